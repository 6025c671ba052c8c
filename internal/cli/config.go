package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"dostup/metadata"
	"dostup/rls/rlscheck"
)

func newConfigCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Work with dostup configurations (YAML)",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "check DIR",
		Short: "Validate a configuration and every restriction of its roles",
		Long: `check loads the configuration in DIR (every *.yaml file under it, see
docs/configuration.md), validates it, and checks that every restriction of
every role expands its templates, preprocesses and parses for every variant.
It prints "<N> objects, <R> roles, <S> restrictions: ok", or every problem with
file:line:col and exits 1. An unreadable DIR exits 2.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if st, err := os.Stat(args[0]); err != nil || !st.IsDir() {
				return usageError(fmt.Errorf("%s: not a readable folder", args[0]))
			}
			cfg, err := metadata.Load(args[0])
			if err != nil {
				if printErrorList(cmd.ErrOrStderr(), err) == 0 {
					return usageError(err)
				}
				return silent{code: ExitFailure}
			}
			report := rlscheck.CheckConfiguration(cfg, rlscheck.CheckOptions{})
			for _, f := range report.Failures {
				fmt.Fprintln(e.stderr, f.String())
			}
			if report.Failed > 0 {
				fmt.Fprintln(e.stderr, report.Summary())
				return silent{code: ExitFailure}
			}
			fmt.Fprintf(e.stdout, "%d objects, %d roles, %d restrictions: ok\n", len(cfg.Objects), len(cfg.Roles), cfg.Restrictions())
			return nil
		},
	})
	return cmd
}

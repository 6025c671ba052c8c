package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"dostup/metadata"
	"dostup/onecxml"
	"dostup/onecxml/importer"
)

func newImportCmd(e *env) *cobra.Command {
	var out string
	var force, quiet bool
	cmd := &cobra.Command{
		Use:   "import DUMP --out DIR [--force]",
		Short: "Turn a 1C configuration dump (Configurator XML) into a dostup configuration",
		Long: `import reads a configuration dumped to XML files by the Configurator
(Configuration.xml, the object files of catalogs, documents, registers
(information, accumulation and accounting), charts of characteristic types,
of accounts and of calculation types, exchange plans, business processes,
tasks, enums, constants, session parameters, functional options, defined
types, common attributes, predefined items (Ext/Predefined.xml) and
Roles/*/Ext/Rights.xml) and writes a dostup configuration
(docs/configuration.md) to DIR: configuration.yaml, objects.yaml and one file
per role under roles/. What the format cannot hold yet is left out with a
warning on stderr. The result is loaded and validated before import reports
success; check it again any time with dostup config check DIR.

DIR must be empty or missing; --force writes into a folder that is not.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			batchGC()
			if out == "" {
				return usageError(errors.New("--out DIR is required"))
			}
			if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 && !force {
				return usageError(fmt.Errorf("%s is not empty: use --force to write into it", out))
			}
			dump, err := onecxml.ReadDump(args[0])
			if err != nil {
				return usageError(err)
			}
			imp, err := importer.Convert(dump)
			if err != nil {
				return usageError(err)
			}
			if err := importer.Write(imp, out); err != nil {
				return err
			}
			if !quiet {
				for _, w := range imp.Warnings {
					fmt.Fprintln(e.stderr, "warning:", w)
				}
			}
			// Validating what was converted needs no second reading of
			// the files written (the YAML of a big application's roles
			// runs to a hundred megabytes); only messages need their
			// positions, so on problems the files are loaded for them.
			cfg, err := metadata.LoadFormats(imp.Files)
			if err != nil {
				if _, lerr := metadata.Load(out); lerr != nil {
					err = lerr
				}
			}
			if err != nil {
				if n := printErrorList(e.stderr, err); n > 0 {
					return failure(fmt.Errorf("the imported configuration does not validate (%d problems)", n))
				}
				return err
			}
			fmt.Fprintf(e.stdout, "imported %s: %d objects, %d roles, %d restrictions to %s (%d warnings)\n",
				dump.Configuration.Name, len(cfg.Objects), len(cfg.Roles), cfg.Restrictions(), out, len(imp.Warnings))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "folder to write the configuration to")
	cmd.Flags().BoolVar(&force, "force", false, "write into a folder that is not empty")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "do not print warnings")
	return cmd
}

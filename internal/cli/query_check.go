package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"dostup/rls/rlscheck"
	"dostup/sdbl/source"
	"dostup/sqlgen/querycheck"
)

func newQueryCheckCmd(e *env) *cobra.Command {
	var config, dialect string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check --config PATH [--json] [--dialect sqlite|postgres] FILE|DIR...",
		Short: "Compile query texts against a configuration without running them",
		Long: `check compiles (does not run) each query text against a configuration, with
full rights: parsed, bound to the metadata and compiled to SQL for the dialect.

--config PATH is a dostup configuration folder or a 1C Configurator dump root
(imported in memory, as dostup import does). A FILE holds one text (a batch of
statements separated by ;); a DIR means every *.sdbl file under it.

Each failure prints as file:line:col: message, the cause first (a table that
does not bind is reported alone, not after the fields read through it), then
  N texts: K ok, F failed
--json prints {"texts": N, "ok": K, "failed": F, "failures": [{"file",
"line", "col", "code", "message"}]}. Exit 0 when every text compiles, 1
otherwise, 2 on bad usage or unreadable input.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			batchGC()
			if config == "" {
				return usageError(errors.New("--config PATH is required: a dostup configuration folder or a Configurator dump"))
			}
			d, err := dialectNamed(dialect)
			if err != nil {
				return err
			}
			texts, err := readQueryTexts(args)
			if err != nil {
				return usageError(err)
			}
			target, err := rlscheck.LoadTarget(config)
			if err != nil {
				var list source.ErrorList
				if errors.As(err, &list) {
					printErrorList(e.stderr, err)
					return failure(fmt.Errorf("%s: the configuration does not validate (%d problems)", config, len(list)))
				}
				return usageError(err)
			}
			report := querycheck.Check(target.Config, d, texts)
			if asJSON {
				if err := writeJSON(e.stdout, report); err != nil {
					return err
				}
			} else {
				for _, f := range report.Failures {
					fmt.Fprintf(e.stdout, "%s:%d:%d: %s\n", f.File, f.Line, f.Col, f.Message)
				}
				fmt.Fprintf(e.stdout, "%s: %d ok, %d failed\n", plural(report.Texts, "text", "texts"), report.OK, report.Failed)
			}
			if report.Failed > 0 {
				return silent{code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&config, "config", "", "the configuration: a dostup configuration folder or a Configurator dump root")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of text")
	cmd.Flags().StringVar(&dialect, "dialect", "sqlite", "SQL dialect: sqlite or postgres")
	return cmd
}

// readQueryTexts reads each FILE as one text and each DIR's *.sdbl files,
// in the order given and, within a folder, by path.
func readQueryTexts(args []string) ([]querycheck.Text, error) {
	var texts []querycheck.Text
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		var files []string
		if st.IsDir() {
			err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".sdbl") {
					files = append(files, p)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			sort.Strings(files)
		} else {
			files = []string{a}
		}
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			texts = append(texts, querycheck.Text{File: f, Line: 1, Col: 1, Body: strings.TrimPrefix(string(body), "\uFEFF")})
		}
	}
	return texts, nil
}

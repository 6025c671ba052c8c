package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"dostup/infobase"
	"dostup/metadata"
)

func newInitCmd(e *env) *cobra.Command {
	var dsn, dir string
	var allowDrop bool
	cmd := &cobra.Command{
		Use:   "init --db DB --config DIR [--allow-drop]",
		Short: "Create or update an infobase's schema for a configuration",
		Long: `init loads the configuration in DIR (docs/configuration.md), validates it, and
creates its tables in DB: an SQLite file (created when missing) or a
postgres:// URL. Run against an infobase made with an earlier configuration,
it adds the new objects and attributes; removing tables or columns, or changing
a column's type, loses data and is refused unless --allow-drop is given, before
anything is changed. On SQLite all of it happens in one transaction: on any
error nothing changes. On PostgreSQL a configuration of thousands of tables
needs more locks than one transaction of a server with default settings may
take, so the change is made in steps, each committed with a record of what it
did: an init that fails or is interrupted leaves the infobase marked
unfinished (other commands refuse it), and running the same init again
finishes it to the same end state. The configuration is stored in the
infobase, so later commands need only --db.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dsn == "" || dir == "" {
				return usageError(errors.New("--db and --config are required"))
			}
			cfg, sources, err := loadConfig(cmd, dir)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			db, err := infobase.Open(ctx, dsn)
			if err != nil {
				return usageError(err)
			}
			defer db.Close()
			rep, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{AllowDrop: allowDrop, Sources: sources})
			if err != nil {
				return failure(err)
			}
			if rep.Resumed {
				fmt.Fprintln(e.stdout, "an earlier init or drop of this infobase had been cut short: it is finished now")
			}
			if !rep.Changed() {
				fmt.Fprintf(e.stdout, "the schema of %s is up to date (%d objects)\n", redactDSN(dsn), len(cfg.Objects))
				return nil
			}
			fmt.Fprintf(e.stdout, "%d tables created, %d columns added, %d tables and %d columns dropped\n",
				len(rep.CreatedTables), len(rep.AddedColumns), len(rep.DroppedTables), len(rep.DroppedColumns))
			return nil
		},
	}
	cmd.Flags().StringVar(&dsn, "db", "", dbUsage)
	cmd.Flags().StringVar(&dir, "config", "", "folder of the configuration's YAML files")
	cmd.Flags().BoolVar(&allowDrop, "allow-drop", false, "drop tables and columns the configuration no longer has (their data is lost)")
	return cmd
}

// loadConfig loads and validates a configuration folder, printing every
// problem, and returns its files for storing in the infobase.
func loadConfig(cmd *cobra.Command, dir string) (*metadata.Configuration, map[string][]byte, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, nil, usageError(fmt.Errorf("%s: not a readable folder", dir))
	}
	cfg, err := metadata.Load(dir)
	if err != nil {
		n := printErrorList(cmd.ErrOrStderr(), err)
		if n == 0 {
			return nil, nil, usageError(err)
		}
		return nil, nil, failure(fmt.Errorf("the configuration in %s has %d problems", dir, n))
	}
	sources := map[string][]byte{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sources[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		return nil, nil, usageError(err)
	}
	return cfg, sources, nil
}

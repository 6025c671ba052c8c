package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"dostup/infobase"
	"dostup/rls/rlscheck"
	"dostup/sdbl/source"
	"dostup/sqlgen"
	"dostup/sqlgen/postgres"
	"dostup/sqlgen/sqlite"
)

func newRLSCompileCmd(e *env) *cobra.Command {
	var asJSON, exec bool
	var params []string
	var dialect, db string
	cmd := &cobra.Command{
		Use:   "compile [--json] [--dialect sqlite|postgres] [--exec [--db DB]] [--param Name=Value]... PATH",
		Short: "Compile every restriction of every role to SQL, and optionally run it",
		Long: `compile takes every restriction of every role through the whole pipeline, for
its object and right: templates expanded, every preprocessor variant as check
enumerates them, parsed, bound to the configuration's metadata and compiled to
SQL (SELECT 1 FROM the table WHERE the restriction) for the dialect. Message
variants (Ошибка: ...) are counted, not compiled.

PATH is a 1C Configurator dump root (converted as dostup import does; failures
point at its Rights.xml files) or a dostup configuration folder.

--exec also runs every statement on a scratch database holding the
configuration's schema: SQLite in a temporary file by default, or with
--db postgres://... a fresh schema of that database, dropped afterwards (the
dialect follows --db). Session parameters are bound as empty values of their
declared types (the empty reference, "", 0, false, the empty date) and
functional options as false; a parameter the configuration does not declare
is a failure.

--param Name=Value pins session parameters for the preprocessor as for check.

A variant that reads a field its table does not have, in a branch chosen by
whether a name describing the table is in a session parameter's list — and
with that answer every way through the branch's #Если reads what the table
lacks, with the other some way does not — is unreachable: a session whose
parameters agree with the metadata never takes it, as the Standard
Subsystems Library's templates are written. It is reported as a note with
its reason, not counted as a failure.

The output is one line per failure, one "note:" line per unreachable
variant, and then
  <N> restrictions: <K> ok, <F> failed (<V> variants)
or with --json one object with those counts, the failures and the
unreachable variants ("unreachable").
Exit 0 when nothing failed, 1 otherwise, 2 on bad usage or unreadable input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			batchGC()
			pinned, err := parseParams(params)
			if err != nil {
				return usageError(err)
			}
			if db != "" && !exec {
				return usageError(errors.New("--db needs --exec"))
			}
			if db != "" && infobase.IsPostgres(db) {
				if cmd.Flags().Changed("dialect") && dialect != "postgres" {
					return usageError(fmt.Errorf("--dialect %s does not match --db %s", dialect, "postgres://..."))
				}
				dialect = "postgres"
			}
			d, err := dialectNamed(dialect)
			if err != nil {
				return err
			}
			if exec && db == "" && dialect == "postgres" {
				return usageError(errors.New("--exec with --dialect postgres needs --db with a postgres:// URL"))
			}
			target, err := rlscheck.LoadTarget(args[0])
			if err != nil {
				var list source.ErrorList
				if errors.As(err, &list) {
					for _, x := range list {
						fmt.Fprintln(e.stderr, x.Error())
					}
					return failure(fmt.Errorf("%s: the configuration does not validate (%d problems)", args[0], len(list)))
				}
				return usageError(err)
			}
			ctx := cmd.Context()
			opts := rlscheck.CompileOptions{Params: pinned, Dialect: d}
			if exec {
				scratch, closeDB, err := scratchDB(ctx, db)
				if err != nil {
					return usageError(err)
				}
				defer closeDB()
				if _, err := infobase.Init(ctx, scratch, target.Config, infobase.InitOptions{}); err != nil {
					return failure(fmt.Errorf("creating the schema: %w", err))
				}
				opts.DB = scratch.SQL
			}
			report, err := rlscheck.Compile(ctx, target, opts)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetEscapeHTML(false)
				if err := enc.Encode(report); err != nil {
					return err
				}
			} else {
				for _, f := range report.Failures {
					fmt.Fprintln(e.stdout, f.String())
				}
				for _, u := range report.Unreachable {
					fmt.Fprintln(e.stdout, "note: "+u.String())
				}
				fmt.Fprintln(e.stdout, report.Summary())
			}
			if report.Failed > 0 {
				return silent{code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of text")
	cmd.Flags().BoolVar(&exec, "exec", false, "run every compiled statement on a scratch database")
	cmd.Flags().StringVar(&dialect, "dialect", "sqlite", "SQL dialect: sqlite or postgres")
	cmd.Flags().StringVar(&db, "db", "", "with --exec: postgres://... (a fresh schema, dropped afterwards) or a new SQLite file")
	cmd.Flags().StringArrayVar(&params, "param", nil, "pin a session parameter: Name=Value (repeatable)")
	return cmd
}

// scratchDB opens an empty database for --exec: an SQLite file in a
// temporary folder when dsn is "", a new SQLite file at dsn, or a schema of
// its own in the PostgreSQL database dsn names. The returned function
// closes it and removes what was made.
func scratchDB(ctx context.Context, dsn string) (*infobase.DB, func(), error) {
	if dsn == "" {
		dir, err := os.MkdirTemp("", "dostup-rls-compile-")
		if err != nil {
			return nil, nil, err
		}
		db, err := infobase.Open(ctx, filepath.Join(dir, "scratch.db"))
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
		return db, func() { db.Close(); os.RemoveAll(dir) }, nil
	}
	if !infobase.IsPostgres(dsn) {
		if _, err := os.Stat(dsn); err == nil {
			return nil, nil, fmt.Errorf("--db %s exists: --exec needs a new database", dsn)
		}
		db, err := infobase.Open(ctx, dsn)
		if err != nil {
			return nil, nil, err
		}
		return db, func() {
			db.Close()
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(dsn + suffix)
			}
		}, nil
	}
	admin, err := infobase.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "dostup_rls_" + hex.EncodeToString(b[:])
	if _, err := admin.SQL.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("creating a scratch schema: %w", err)
	}
	drop := func() {
		// The scratch schema goes even when the command was interrupted.
		if err := infobase.DropSchema(context.WithoutCancel(ctx), admin, schema); err != nil {
			fmt.Fprintf(os.Stderr, "dostup: the scratch schema %s is left behind: %v\n", schema, err)
		}
		admin.Close()
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := infobase.Open(ctx, dsn+sep+"search_path="+schema)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { db.Close(); drop() }, nil
}

// dialectNamed is the SQL dialect --dialect names.
func dialectNamed(name string) (sqlgen.Dialect, error) {
	switch name {
	case "sqlite":
		return sqlite.New(), nil
	case "postgres":
		return postgres.New(), nil
	}
	return nil, usageError(fmt.Errorf("--dialect %q: expected sqlite or postgres", name))
}

package infobase_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"dostup/authn"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/sqlgen"
)

// tables lists the tables of the database but the backend's own.
func tables(t *testing.T, db *infobase.DB) []string {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), db.Dialect.TablesQuery())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "sqlite_") {
			names = append(names, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return names
}

// Drop takes every table of the infobase — dostup's own, whichever package
// made them, the stored configuration's and those of the configurations
// given — and nothing else, so that Init starts afresh.
func TestDrop(t *testing.T) {
	const source = "catalogs:\n  - name: К\n    attributes:\n      - {name: А, type: Строка(10)}\ndocuments:\n  - name: Д\n    tabular_sections:\n      - name: Т\n"
	stored := load(t, source)
	next := load(t, "catalogs:\n  - name: Новый\n")
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, backend)
			db, err := infobase.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if ok, err := infobase.Exists(ctx, db); err != nil || ok {
				t.Fatalf("an empty database holds an infobase: %v, %v", ok, err)
			}
			// Dropping where there is no infobase drops only what was asked.
			if err := infobase.Drop(ctx, db, next); err != nil {
				t.Fatal(err)
			}
			if _, err := infobase.Init(ctx, db, stored, infobase.InitOptions{Sources: map[string][]byte{"c.yaml": []byte(source)}}); err != nil {
				t.Fatal(err)
			}
			// Other packages' tables: authentication's, the event log's.
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer ib.Close()
			if _, err := authn.New(ctx, ib, authn.Config{}); err != nil {
				t.Fatal(err)
			}
			if _, err := ib.EventLog(ctx); err != nil {
				t.Fatal(err)
			}
			// A table of the next configuration left by something else, and
			// one that belongs to no infobase.
			q := db.Dialect.Quote
			leftover := sqlgen.SchemaOf(next).Tables()[0].Name
			for _, name := range []string{leftover, "keep_me"} {
				if _, err := db.Writer.ExecContext(ctx, "CREATE TABLE "+q(name)+" (x TEXT)"); err != nil {
					t.Fatal(err)
				}
			}
			before := tables(t, db)
			for _, want := range []string{infobase.MetaTable, "_dostup_users", "_dostup_eventlog", "_dostup_auth_sessions", leftover} {
				if !slices.Contains(before, want) {
					t.Fatalf("no %s to drop among %v", want, before)
				}
			}
			for _, tb := range sqlgen.SchemaOf(stored).Tables() {
				if !slices.Contains(before, tb.Name) {
					t.Fatalf("no %s to drop among %v", tb.Name, before)
				}
			}
			if ok, err := infobase.Exists(ctx, db); err != nil || !ok {
				t.Fatalf("Init made no infobase: %v, %v", ok, err)
			}

			// A stored schema that does not read back stops Drop before it
			// drops anything.
			var good string
			p := db.Dialect.Placeholder
			if err := db.SQL.QueryRowContext(ctx, "SELECT value FROM "+q(infobase.MetaTable)+" WHERE key = "+p(1), "schema").Scan(&good); err != nil {
				t.Fatal(err)
			}
			setSchema := func(v string) {
				t.Helper()
				if _, err := db.Writer.ExecContext(ctx, "UPDATE "+q(infobase.MetaTable)+" SET value = "+p(1)+" WHERE key = "+p(2), v, "schema"); err != nil {
					t.Fatal(err)
				}
			}
			setSchema("{")
			var damaged *infobase.DamagedSchemaError
			if err := infobase.Drop(ctx, db, next); !errors.As(err, &damaged) {
				t.Fatalf("a damaged schema: %v", err)
			}
			if got := tables(t, db); !slices.Equal(got, before) {
				t.Fatalf("a failed Drop changed the tables: %v, was %v", got, before)
			}
			setSchema(good)

			if err := infobase.Drop(ctx, db, next); err != nil {
				t.Fatal(err)
			}
			if got := tables(t, db); !slices.Equal(got, []string{"keep_me"}) {
				t.Errorf("after Drop the tables are %v", got)
			}
			if ok, err := infobase.Exists(ctx, db); err != nil || ok {
				t.Errorf("after Drop an infobase is left: %v, %v", ok, err)
			}
			// The emptied database takes the next configuration afresh.
			rep, err := infobase.Init(ctx, db, next, infobase.InitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.CreatedTables) != len(sqlgen.SchemaOf(next).Tables()) {
				t.Errorf("Init after Drop created %v", rep.CreatedTables)
			}
		})
	}
}

// DropSchema drops a PostgreSQL schema's tables in as many transactions
// as the lock budget asks (here two tables each), then the schema.
func TestDropSchema(t *testing.T) {
	ctx := context.Background()
	admin, err := infobase.Open(ctx, testdb.DefaultPostgres)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := "t_dropschema"
	if _, err := admin.SQL.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	for i := range 9 {
		if _, err := admin.SQL.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s.t%d (id integer PRIMARY KEY, v text)", schema, i)); err != nil {
			t.Fatal(err)
		}
	}
	commits := 0
	restore := infobase.SetBatchForTest(16, func(int) error { commits++; return nil })
	defer restore()
	if err := infobase.DropSchema(ctx, admin, schema); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := admin.SQL.QueryRowContext(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 || commits < 4 {
		t.Errorf("schema left: %d; %d commits before the last, want at least 4", left, commits)
	}
}

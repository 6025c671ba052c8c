package sqlgen_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/metadata"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
	"dostup/sqlgen"
)

// TestGoldenExecutes runs every statement and access check of every golden
// case that compiles on an empty database of each backend holding the
// case's schema: PostgreSQL types a statement when it plans it, so a
// mismatch (COALESCE of a text and a number, a CASE of two types) fails
// here even without rows. Parameters are bound as NULL, session values as
// the case gives them.
func TestGoldenExecutes(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			schemas := &goldenSchemas{owner: t, dbs: map[*metadata.Configuration]*infobase.DB{}}
			for _, file := range files {
				ar, err := txtar.ParseFile(file)
				if err != nil {
					t.Fatal(err)
				}
				sections := map[string]string{}
				for _, f := range ar.Files {
					sections[f.Name] = string(f.Data)
				}
				if strings.TrimSpace(sections["errors"]) != "" || sections["query"] == "" {
					continue
				}
				t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
					cfg := goldenConfig(t, sections)
					db := schemas.open(t, backend, cfg)
					c := &sqlgen.Compiler{Config: cfg, Schema: sqlgen.SchemaOf(cfg), Dialect: db.Dialect}
					var session map[string]any
					if s := goldenAccess(t, cfg, sections["session"]); s != nil {
						c.Access = s
						_, session, _ = goldenSession(t, sections["session"])
					}
					text := source.FromFile(source.NewFile("query", strings.TrimRight(sections["query"], "\n")))
					b, err := parser.ParseQuery(text)
					if err != nil {
						t.Fatal(err)
					}
					stmts, err := c.Compile(text, b)
					if err != nil {
						t.Fatal(err)
					}
					execStatements(t, db, stmts, session)
				})
			}
		})
	}
}

// goldenSchemas keeps one database per fixture of a backend's run.
type goldenSchemas struct {
	owner *testing.T // the backend's test, which outlives its cases and closes the databases
	mu    sync.Mutex
	dbs   map[*metadata.Configuration]*infobase.DB
}

func (s *goldenSchemas) open(t *testing.T, backend string, cfg *metadata.Configuration) *infobase.DB {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if db := s.dbs[cfg]; db != nil {
		return db
	}
	db := testdb.Open(s.owner, backend)
	if _, err := infobase.Init(context.Background(), db, cfg, infobase.InitOptions{}); err != nil {
		t.Fatal(err)
	}
	s.dbs[cfg] = db
	return db
}

// execStatements runs a batch's statements and their access checks on one
// connection, as a batch runs, reading every row.
func execStatements(t *testing.T, db *infobase.DB, stmts []*sqlgen.Statement, session map[string]any) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	bind := func(args []sqlgen.Arg) []any {
		out := make([]any, len(args))
		for i, a := range args {
			switch {
			case a.Session != "":
				out[i] = db.Dialect.Arg(session[a.Session])
			case a.Param != "":
				out[i] = nil
			default:
				out[i] = db.Dialect.Arg(a.Value)
			}
		}
		return out
	}
	run := func(q string, args []any) {
		rows, err := conn.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
		defer rows.Close()
		for rows.Next() {
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	var temps []string
	for _, s := range stmts {
		for _, ch := range s.Checks {
			run(ch.SQL, bind(ch.Args))
		}
		q, args := s.Expand(func(a sqlgen.Arg) int {
			if a.List {
				return 1
			}
			return -1
		})
		if s.Temp != "" {
			if _, err := conn.ExecContext(ctx, q, bind(args)...); err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
			if !s.Drop {
				temps = append(temps, s.Temp)
			}
			continue
		}
		run(q, bind(args))
	}
	for _, tt := range temps {
		_, _ = conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+db.Dialect.Quote(tt))
	}
}

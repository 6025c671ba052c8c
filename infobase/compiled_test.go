package infobase_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"dostup/demo"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/metadata"
)

// compiledRows counts the compiled forms an infobase holds.
func compiledRows(t *testing.T, dsn string) int {
	t.Helper()
	db, err := infobase.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.SQL.QueryRow("SELECT count(*) FROM " + db.Dialect.Quote(infobase.MetaTable) + " WHERE key = 'compiled'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// execMeta runs a statement on an infobase's MetaTable.
func execMeta(t *testing.T, dsn, stmt string, args ...any) {
	t.Helper()
	db, err := infobase.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmt = strings.ReplaceAll(stmt, "META", db.Dialect.Quote(infobase.MetaTable))
	if db.Dialect.Name() == "postgres" {
		stmt = strings.ReplaceAll(stmt, "?", "$1")
	}
	if _, err := db.SQL.Exec(stmt, args...); err != nil {
		t.Fatal(err)
	}
}

// sameAsYAML fails unless cfg is the configuration of the sources as
// OpenInfobase loaded it before the compiled form: the same model, its
// file names and positions included (the compact encoding is the same
// bytes for the same model).
func sameAsYAML(t *testing.T, cfg *metadata.Configuration, sources map[string][]byte) {
	t.Helper()
	want, err := metadata.LoadSources(sources)
	if err != nil {
		t.Fatal(err)
	}
	a, err := metadata.MarshalCompact(want, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := metadata.MarshalCompact(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("the configuration opened is not the one its YAML loads")
	}
	if got := cfg.Object("Справочник.Контрагенты").Attribute("ИНН").Pos.String(); got != "configuration.yaml:24:16" {
		t.Errorf("ИНН is at %s, not configuration.yaml:24:16", got)
	}
}

func openConfig(t *testing.T, dsn string) *metadata.Configuration {
	t.Helper()
	ib, err := infobase.OpenInfobase(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	ib.Close()
	return ib.Config
}

// TestCompiledForm: Init stores the compiled form (the demo's
// configuration is loaded from a folder, named by path, and stored by
// file name), the open reads it, and an infobase without one (made before
// it, or by a writer that removed it) opens through its YAML and gets it.
func TestCompiledForm(t *testing.T) {
	ctx := context.Background()
	cfg, sources, err := demo.Config()
	if err != nil {
		t.Fatal(err)
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := testdb.DSN(t, backend)
			db, err := infobase.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{Sources: sources}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			if n := compiledRows(t, dsn); n != 1 {
				t.Fatalf("Init stored %d compiled forms", n)
			}
			sameAsYAML(t, openConfig(t, dsn), sources)

			// An infobase of before the compiled form.
			execMeta(t, dsn, "DELETE FROM META WHERE key = 'compiled'")
			sameAsYAML(t, openConfig(t, dsn), sources)
			if n := compiledRows(t, dsn); n != 1 {
				t.Fatalf("opening through the YAML stored %d compiled forms", n)
			}
			sameAsYAML(t, openConfig(t, dsn), sources)

			// An infobase of a build that kept the whole form in the meta
			// table, and before that table: the old row is not read as a
			// header, and the open makes the form's table.
			execMeta(t, dsn, "UPDATE META SET value = ? WHERE key = 'compiled'", strings.Repeat("0", 300))
			execMeta(t, dsn, "DROP TABLE _dostup_compiled")
			sameAsYAML(t, openConfig(t, dsn), sources)
			if n := compiledRows(t, dsn); n != 1 {
				t.Fatalf("opening an earlier build's infobase stored %d compiled forms", n)
			}
			sameAsYAML(t, openConfig(t, dsn), sources)
		})
	}
}

// TestCompiledFormStale: sources changed by a writer that left the form
// as it was are loaded from their YAML, mistakes named at their place,
// and the form is written again for them.
func TestCompiledFormStale(t *testing.T) {
	ctx := context.Background()
	cfg, sources, err := demo.Config()
	if err != nil {
		t.Fatal(err)
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := testdb.DSN(t, backend)
			db, err := infobase.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{Sources: sources}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			changed := map[string][]byte{}
			for name, content := range sources {
				changed[name] = content
			}
			changed["configuration.yaml"] = bytes.Replace(sources["configuration.yaml"], []byte("name: ИНН"), []byte("name: ИННКонтрагента"), 1)
			if bytes.Equal(changed["configuration.yaml"], sources["configuration.yaml"]) {
				t.Fatal("the demo has no attribute ИНН to rename")
			}
			execMeta(t, dsn, "UPDATE META SET value = ? WHERE key = 'config:configuration.yaml'", string(changed["configuration.yaml"]))
			got := openConfig(t, dsn)
			k := got.Object("Справочник.Контрагенты")
			if k.Attribute("ИННКонтрагента") == nil || k.Attribute("ИНН") != nil {
				t.Fatal("the stale compiled form was used")
			}
			if n := compiledRows(t, dsn); n != 1 {
				t.Fatalf("%d compiled forms after the stale one", n)
			}
			if openConfig(t, dsn).Object("Справочник.Контрагенты").Attribute("ИННКонтрагента") == nil {
				t.Fatal("the form written again is not of the new sources")
			}

			// A mistake in the sources is named at its place, form or not.
			broken := bytes.Replace(sources["configuration.yaml"], []byte("name: ИНН"), []byte("name: 1ИНН"), 1)
			execMeta(t, dsn, "UPDATE META SET value = ? WHERE key = 'config:configuration.yaml'", string(broken))
			_, err = infobase.OpenInfobase(ctx, dsn)
			if err == nil || !strings.Contains(err.Error(), "configuration.yaml:24:") {
				t.Fatalf("opening broken sources: %v", err)
			}
		})
	}
}

// TestCompiledFormLeftoverSources: sources an earlier Init stored and this
// one was not given are part of what the infobase loads, so this Init's
// configuration is not, and it stores no form for it; the open loads the
// YAML as before.
func TestCompiledFormLeftoverSources(t *testing.T) {
	ctx := context.Background()
	cfg, sources, err := demo.Config()
	if err != nil {
		t.Fatal(err)
	}
	dsn := testdb.DSN(t, "sqlite")
	db, err := infobase.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	extra := map[string][]byte{"extra.yaml": []byte("catalogs:\n  - name: Лишний\n")}
	for name, content := range sources {
		extra[name] = content
	}
	c2, err := metadata.LoadSources(extra)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := infobase.Init(ctx, db, c2, infobase.InitOptions{Sources: extra}); err != nil {
		t.Fatal(err)
	}
	if _, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{Sources: sources, AllowDrop: true}); err != nil {
		t.Fatal(err)
	}
	if n := compiledRows(t, dsn); n != 0 {
		t.Fatalf("Init stored a form of a configuration the infobase does not hold")
	}
	if openConfig(t, dsn).Object("Справочник.Лишний") == nil {
		t.Fatal("the open did not load every stored source")
	}
	if n := compiledRows(t, dsn); n != 1 {
		t.Fatal("the open did not store the form")
	}
}

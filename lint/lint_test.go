package lint

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/metadata"
)

// fixture writes the configuration files of a golden case to a folder.
func fixture(t *testing.T, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "golden", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if f.Name == "want" || f.Name == "lint.yaml" {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestInfobaseHeldTogether lints an infobase on each backend: the two
// roles that restrict Заказ differently are reported only once a user
// holds both.
func TestInfobaseHeldTogether(t *testing.T) {
	ctx := context.Background()
	dir := fixture(t, "differs_across_roles")
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			for _, c := range []struct {
				name  string
				users string
				want  int
			}{
				{"apart", "  - {name: Иванов, roles: [Менеджер]}\n  - {name: Петров, roles: [Кладовщик]}\n", 0},
				{"together", "  - {name: Иванов, roles: [Менеджер, Кладовщик]}\n", 1},
			} {
				t.Run(c.name, func(t *testing.T) {
					admin := "roles:\n  - {name: Администратор, rights: [Администрирование]}\nusers:\n  - {name: Админ, roles: [Администратор]}\n"
					if err := os.WriteFile(filepath.Join(dir, "users.yaml"), []byte(admin+c.users), 0o644); err != nil {
						t.Fatal(err)
					}
					sources := map[string][]byte{}
					err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
						if err != nil || d.IsDir() {
							return err
						}
						rel, _ := filepath.Rel(dir, path)
						sources[filepath.ToSlash(rel)], err = os.ReadFile(path)
						return err
					})
					if err != nil {
						t.Fatal(err)
					}
					cfg, err := metadata.LoadSources(sources)
					if err != nil {
						t.Fatal(err)
					}
					dsn := testdb.DSN(t, backend)
					db, err := infobase.Open(ctx, dsn)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{Sources: sources}); err != nil {
						t.Fatal(err)
					}
					db.Close()
					in, err := Load(ctx, dsn)
					if err != nil {
						t.Fatal(err)
					}
					r, err := Run(ctx, in, Options{})
					if err != nil {
						t.Fatal(err)
					}
					if got := r.Counts[CodeRestrictionDiffersAcrossRoles]; got != c.want {
						t.Errorf("%d %s findings, want %d: %+v", got, CodeRestrictionDiffersAcrossRoles, c.want, r.Findings)
					}
				})
			}
		})
	}
}

// TestShownPath: a report names an infobase without its password.
func TestShownPath(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://dostup:secret@db:5432/erp": "postgres://dostup:***@db:5432/erp",
		"postgres://dostup@db/erp":             "postgres://dostup@db/erp",
		"/srv/ib/../ib/erp.db":                 "/srv/ib/erp.db",
	} {
		if got := shown(dsn); got != want {
			t.Errorf("shown(%q) = %q, want %q", dsn, got, want)
		}
	}
}

// TestModuleRegions: a code is off between its marks, for the АПК numbers
// lint.yaml gives it and under its own name, up to the end of a module
// that never turns it on again; other codes and numbers are not.
func TestModuleRegions(t *testing.T) {
	src := strings.Join([]string{
		"Процедура А()", // 1
		"	// АПК:1328-выкл используется при начальном заполнении ИБ.",
		"	Запрос = Новый Запрос(\"ВЫБРАТЬ 1\");", // 3
		"	// АПК:1328-вкл",
		"	Запрос = Новый Запрос(\"ВЫБРАТЬ 2\");", // 5
		"	//dostup:query-in-module-выкл",
		"	Запрос = Новый Запрос(\"ВЫБРАТЬ 3\");", // 7
		"КонецПроцедуры",
	}, "\n")
	l := &linter{moduleRegions: map[string]map[string][]region{"m.bsl": offRegions(src)}}
	s, err := ParseSettings("lint.yaml", []byte("rules:\n  - code: query-in-module\n    apk: [1328]\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		code     string
		line     int
		settings *Settings
		want     bool
	}{
		{CodeQueryInModule, 3, s, true},
		{CodeQueryInModule, 3, nil, false}, // no lint.yaml: АПК:1328 means nothing to lint
		{CodeQueryInModule, 5, s, false},
		{CodeQueryInModule, 7, nil, true},
		{CodeQueryInModule, 8, nil, true},
		{"privileged-mode", 7, s, false},
		{"privileged-mode", 3, s, false},
	} {
		l.settings = c.settings
		f := Finding{File: "m.bsl", Line: c.line}
		f.Code = c.code
		if got := l.suppressedInModule(f); got != c.want {
			t.Errorf("%s at line %d (settings %v): suppressed %v, want %v", c.code, c.line, c.settings != nil, got, c.want)
		}
	}
}

// TestSettingsErrors: a lint.yaml's mistakes are named at their place.
func TestSettingsErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"", "lint.yaml: empty lint.yaml"},
		{"rule: []\n", "lint.yaml:1:1: unknown field \"rule\""},
		{"rules:\n  - severity: off\n", "lint.yaml:2:5: a rule without a code"},
		{"rules:\n  - code: unused-templat\n    severity: off\n", "lint.yaml:2:11: \"unused-templat\" is not a finding code"},
		{"rules:\n  - code: unused-template\n    severity: never\n", "lint.yaml:3:15: severity \"never\""},
		{"rules:\n  - code: unused-template\n", "lint.yaml:2:11: the rule for unused-template changes nothing"},
		{"rules:\n  - code: '*'\n    objects: ['[']\n    severity: off\n", "lint.yaml:2:11: the pattern \"[\" is malformed"},
	} {
		_, err := ParseSettings("lint.yaml", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}

// TestOriginPlace: an imported restriction's origin is read back as its
// place; anything else is not a place.
func TestOriginPlace(t *testing.T) {
	if at, ok := originPlace("Roles/Менеджер/Ext/Rights.xml:91:16"); !ok || at != (place{File: "Roles/Менеджер/Ext/Rights.xml", Line: 91, Col: 16}) {
		t.Errorf("origin read as %+v, %v", at, ok)
	}
	for _, bad := range []string{"", "Rights.xml", "Rights.xml:9", ":1:2", "Rights.xml:x:2"} {
		if at, ok := originPlace(bad); ok {
			t.Errorf("%q read as %+v", bad, at)
		}
	}
}

package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/internal/testcorpus"
	"dostup/internal/testdb"
)

func TestRLSCompile(t *testing.T) {
	pg := os.Getenv("DOSTUP_TEST_POSTGRES")
	if pg == "" {
		pg = testdb.DefaultPostgres
	}
	scratchSchemas := func() int {
		db, err := sql.Open("pgx", pg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name LIKE 'dostup_rls_%'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := scratchSchemas()
	for _, args := range [][]string{
		{"rls", "compile", "--exec", "../../demo/config"},
		{"rls", "compile", "--exec", "--db", pg, "../../demo/config"},
		{"rls", "compile", "--dialect", "postgres", "../../demo/config"},
	} {
		code, out, errOut := run(t, "", args...)
		if code != ExitOK || out != "8 restrictions: 8 ok, 0 failed (8 variants)\n" {
			t.Errorf("%v: exit %d, %q, %q", args, code, out, errOut)
		}
	}
	if after := scratchSchemas(); after != before {
		t.Errorf("scratch schemas left behind: %d before, %d after", before, after)
	}

	code, out, _ := run(t, "", "rls", "compile", "--json", "../../demo/config")
	var report map[string]any
	if err := json.Unmarshal([]byte(out), &report); err != nil || code != ExitOK {
		t.Fatalf("--json: exit %d, %q: %v", code, out, err)
	}
	for _, key := range []string{"restrictions", "ok", "failed", "variants", "failures", "unreachable"} {
		if _, ok := report[key]; !ok {
			t.Errorf("--json has no %q: %s", key, out)
		}
	}

	// A dump: problems point at Rights.xml. The corpus has no
	// Ext/Predefined.xml; the import takes the predefined items from the
	// restrictions that name them. Every restriction compiles, the
	// document journals' too; the branches that read fields their table
	// lacks, which only sessions contradicting the metadata choose, are
	// notes before the last line.
	code, out, _ = run(t, "", "rls", "compile", testcorpus.Dir(t, "ssl31"))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != ExitOK || lines[len(lines)-1] != "152 restrictions: 152 ok, 0 failed (3540 variants)" {
		t.Errorf("ssl31: exit %d, last line %q", code, lines[len(lines)-1])
	}
	for _, line := range lines[:len(lines)-1] {
		if !strings.HasPrefix(line, "note: ") || !strings.Contains(line, "Rights.xml:") || !strings.Contains(line, ": unreachable: ") {
			t.Errorf("ssl31: not a note on an unreachable variant: %s", line)
		}
	}
	if want := "ЧтениеДополнительныхОтчетовИОбработок/Ext/Rights.xml:601:37: role ЧтениеДополнительныхОтчетовИОбработок, Catalog.ДополнительныеОтчетыИОбработки, Read: unreachable: Справочник.ДополнительныеОтчетыИОбработки has no field ГруппаДоступа, read only because this variant answers СтрСодержит(&ВидыДоступаБезГруппДляЗначенияДоступа, \",ДополнительныеОтчетыИОбработки,\") = Ложь"; !strings.Contains(out, want) {
		t.Errorf("ssl31: no %q in\n%s", want, out)
	}
	code, out, _ = run(t, "", "rls", "compile", "--json", testcorpus.Dir(t, "ssl31"))
	var corpus struct {
		Failed      int
		Unreachable []struct{ Object, Message string }
	}
	if err := json.Unmarshal([]byte(out), &corpus); err != nil || code != ExitOK || corpus.Failed != 0 || len(corpus.Unreachable) != 9 {
		t.Errorf("ssl31 --json: exit %d, %d failed, %d unreachable: %v", code, corpus.Failed, len(corpus.Unreachable), err)
	}

	dir := t.TempDir()
	cfg := `configuration: {name: Т, language: ru}
catalogs:
  - name: Контрагенты
roles:
  - name: Роль
    objects:
      - object: Справочник.Контрагенты
        rights: [Чтение]
        restrictions:
          - {right: Чтение, condition: ГДЕ Нет = &Нет}
`
	if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, "", "rls", "compile", dir)
	want := filepath.Join(dir, "c.yaml") + ":10:44: role Роль, Справочник.Контрагенты, Read: Нет is neither a table alias nor a field of the query's tables\n" +
		"1 restrictions: 0 ok, 1 failed (1 variants)\n"
	if code != ExitFailure || out != want {
		t.Errorf("failures: exit %d\n%s\nwant\n%s", code, out, want)
	}

	for _, args := range [][]string{
		{"rls", "compile"},
		{"rls", "compile", filepath.Join(dir, "missing")},
		{"rls", "compile", "--dialect", "oracle", dir},
		{"rls", "compile", "--db", pg, dir},
		{"rls", "compile", "--exec", "--dialect", "postgres", dir},
		{"rls", "compile", "--param", "=1", dir},
	} {
		if code, _, errOut := run(t, "", args...); code != ExitUsage || errOut == "" {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

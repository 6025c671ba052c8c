package cli

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"dostup/internal/testdb"
)

// TestAuditCommands runs audit rights and audit findings on the demo
// infobase of each backend and on a Configurator dump of the corpus.
func TestAuditCommands(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := testdb.DSN(t, backend)
			if code, _, errOut := run(t, "", "demo", "--db", dsn); code != ExitOK {
				t.Fatalf("demo: %s", errOut)
			}
			code, out, errOut := run(t, "", "audit", "rights", "--db", dsn, "--format", "csv", "--role", "менеджер")
			if code != ExitOK {
				t.Fatalf("audit rights: exit %d, %s", code, errOut)
			}
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != "infobase,role,object,right,restricted" {
				t.Fatalf("audit rights csv: %v, %q", err, out)
			}
			restricted := false
			for _, r := range rows[1:] {
				if r[0] == "" || r[1] != "Менеджер" || !strings.Contains(r[2], ".") && r[2] != "Конфигурация" {
					t.Errorf("row %q", r)
				}
				restricted = restricted || r[2] == "Справочник.Контрагенты" && r[3] == "Чтение" && r[4] == "true"
			}
			if !restricted {
				t.Errorf("the demo's manager reads Справочник.Контрагенты under a restriction; rows %q", rows)
			}
			code, out, errOut = run(t, "", "audit", "matrix", "users", "--db", dsn, "--format", "csv")
			if code != ExitOK || !strings.HasPrefix(out, "infobase,user,role\n") || !strings.Contains(out, ",ivanov,Менеджер\n") {
				t.Errorf("audit matrix users: exit %d, %q, %s", code, out, errOut)
			}
			code, out, errOut = run(t, "", "audit", "findings", "--db", dsn, "--format", "json")
			var findings []map[string]string
			if code != ExitOK || json.Unmarshal([]byte(out), &findings) != nil {
				t.Fatalf("audit findings: exit %d, %q, %s", code, out, errOut)
			}
			for _, f := range findings {
				if f["code"] == "" || f["severity"] == "" || f["message"] == "" || f["infobase"] == "" {
					t.Errorf("finding %v lacks a field", f)
				}
			}
		})
	}
	dump := filepath.Join("..", "..", "..", "shared", "corpus", "ssl31")
	code, out, errOut := run(t, "", "audit", "rights", "--config", dump, "--object", "Catalog.Пользователи")
	if code != ExitOK || !strings.Contains(out, "Справочник.Пользователи") || strings.Contains(out, "Справочник.ГруппыПользователей") {
		t.Errorf("audit rights --object of a dump: exit %d, %q, %s", code, out, errOut)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "rights"}, "--db DB or --config PATH is required"},
		{[]string{"audit", "rights", "--config", dump, "--object", "Справочник.Нет"}, "has no such object"},
		{[]string{"audit", "rights", "--config", dump, "--role", "Нет"}, "has no such role"},
		{[]string{"audit", "findings", "--config", dump, "--format", "xml"}, "--format must be"},
		{[]string{"audit", "findings", "--config", dump, "--policy", filepath.Join(t.TempDir(), "none.yaml")}, "none.yaml"},
	} {
		if code, _, errOut := run(t, "", tt.args...); code != ExitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

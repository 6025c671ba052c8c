package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/audit"
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

// TestAuditInventory runs the audit commands over an inventory of the
// demo on both backends, a Configurator dump and a broken entry: every
// command prints the others' rows, names the broken one and exits 1.
func TestAuditInventory(t *testing.T) {
	dir := t.TempDir()
	dsns := map[string]string{}
	for _, backend := range testdb.Backends {
		dsns[backend] = testdb.DSN(t, backend)
		if code, _, errOut := run(t, "", "demo", "--db", dsns[backend]); code != ExitOK {
			t.Fatalf("demo: %s", errOut)
		}
	}
	dump, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus", "ssl31"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "users.csv"), "user,roles\nivanov,Менеджер;Кассир\nghost,Менеджер\n")
	writeFile(t, filepath.Join(dir, "sod.yaml"), "conflicts:\n  - rights:\n      - {object: Справочник.Контрагенты, right: Изменение}\n      - {object: Конфигурация, right: Администрирование}\n")
	inventory := filepath.Join(dir, "inventory.yaml")
	writeFile(t, inventory, `infobases:
  - name: lite
    db: `+dsns["sqlite"]+`
    expected_users: users.csv
  - name: pg
    db: `+dsns["postgres"]+`
    sod: sod.yaml
  - name: broken
    db: missing/none.db
  - name: ssl
    config: `+dump+`
`)
	csvOf := func(args ...string) [][]string {
		t.Helper()
		code, out, errOut := run(t, "", append(args, "--inventory", inventory, "--jobs", "2", "--format", "csv")...)
		if code != ExitFailure || !strings.Contains(errOut, "broken:") || !strings.Contains(errOut, "1 of 4 infobases failed: broken") {
			t.Fatalf("%q: exit %d, stderr %q; want 1 and the broken infobase named", args, code, errOut)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%q: %v, %q", args, err, out)
		}
		return rows
	}
	infobases := func(rows [][]string) map[string]int {
		n := map[string]int{}
		for _, r := range rows[1:] {
			n[r[0]]++
		}
		return n
	}
	if n := infobases(csvOf("audit", "rights", "--object", "Конфигурация")); n["lite"] == 0 || n["pg"] == 0 || n["ssl"] == 0 || n["broken"] != 0 {
		t.Errorf("rights by infobase: %v", n)
	}
	users := csvOf("audit", "users")
	if strings.Join(users[0], ",") != strings.Join(audit.UserColumns, ",") {
		t.Errorf("audit users columns %q", users[0])
	}
	if n := infobases(users); n["lite"] != n["pg"] || n["lite"] < 4 || n["ssl"] != 0 {
		t.Errorf("users by infobase: %v", n)
	}
	codes := map[string]bool{}
	for _, r := range csvOf("audit", "findings")[1:] {
		codes[r[0]+" "+r[1]+" "+r[5]] = true
	}
	for _, want := range []string{"lite role-mismatch ivanov", "lite missing-user ghost", "lite unexpected-user admin", "pg sod-conflict admin", "lite dangerous-right "} {
		if !codes[want] {
			t.Errorf("no finding %q among %v", want, codes)
		}
	}
	for c := range codes {
		if strings.HasPrefix(c, "pg role-mismatch") || strings.HasPrefix(c, "ssl no-") {
			t.Errorf("finding %q: pg has no provisioning list, ssl no users", c)
		}
	}
	if n := infobases(csvOf("users", "list")); n["lite"] < 4 || n["pg"] != n["lite"] {
		t.Errorf("users list by infobase: %v", n)
	}
	q := csvOf("query", "--user", "ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты УПОРЯДОЧИТЬ ПО Наименование")
	if strings.Join(q[0], ",") != "infobase,Наименование" || infobases(q)["lite"] == 0 || infobases(q)["lite"] != infobases(q)["pg"] {
		t.Errorf("query over the inventory: %q", q)
	}
	// The HTML report holds every infobase, the broken one with its error.
	out := filepath.Join(dir, "report.html")
	code, _, errOut := run(t, "", "audit", "report", "--inventory", inventory, "--out", out)
	if code != ExitFailure || !strings.Contains(errOut, "broken") {
		t.Fatalf("audit report: exit %d, %s", code, errOut)
	}
	page := readFile(t, out)
	for _, want := range []string{"lite", "pg", "ssl", "broken", "<svg"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "rights", "--inventory", filepath.Join(dir, "none.yaml")}, "none.yaml"},
		{[]string{"audit", "rights", "--inventory", inventory, "--db", dsns["sqlite"]}, "give one of --db, --config and --inventory"},
		{[]string{"audit", "rights", "--inventory", inventory, "--jobs", "0"}, "--jobs 0"},
		{[]string{"audit", "users", "--config", dump}, "has no users"},
		{[]string{"audit", "findings", "--db", dsns["sqlite"], "--days", "0"}, "--days 0"},
		{[]string{"audit", "findings", "--db", dsns["sqlite"], "--sod", filepath.Join(dir, "users.csv")}, "users.csv:1:1"},
		{[]string{"audit", "report", "--db", dsns["sqlite"]}, "--out FILE is required"},
		{[]string{"query", "--inventory", inventory, "--db", dsns["sqlite"], "ВЫБРАТЬ 1"}, "give neither --db nor --sql"},
		{[]string{"users", "list", "--inventory", inventory, "--db", dsns["sqlite"]}, "not both"},
	} {
		if code, _, errOut := run(t, "", tt.args...); code != ExitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

// TestAuditEffective: a user's rights on an object with the granting roles
// and the restriction as the session reads it.
func TestAuditEffective(t *testing.T) {
	dsn := testdb.DSN(t, "sqlite")
	if code, _, errOut := run(t, "", "demo", "--db", dsn); code != ExitOK {
		t.Fatalf("demo: %s", errOut)
	}
	code, out, errOut := run(t, "", "audit", "effective", "--db", dsn, "--user", "ivanov", "--object", "Справочник.Контрагенты", "--format", "json")
	var rights []map[string]any
	if code != ExitOK || json.Unmarshal([]byte(out), &rights) != nil || len(rights) == 0 {
		t.Fatalf("exit %d, %q, %s", code, out, errOut)
	}
	if rights[0]["right"] != "Чтение" || rights[0]["restricted"] != true || rights[0]["infobase"] == "" {
		t.Errorf("first right %v", rights[0])
	}
	code, out, errOut = run(t, "", "audit", "effective", "--db", dsn, "--user", "ivanov", "--object", "Справочник.Контрагенты", "--format", "csv")
	if rows, err := csv.NewReader(strings.NewReader(out)).ReadAll(); code != ExitOK || err != nil || len(rows) < 2 ||
		strings.Join(rows[0], ",") != "infobase,user,object,right,roles,restricted,role,fields,restriction" || rows[1][3] != "Чтение" || rows[1][8] == "" {
		t.Errorf("csv: exit %d, %q, %s", code, out, errOut)
	}
	code, out, errOut = run(t, "", "audit", "effective", "--db", dsn, "--user", "ivanov", "--object", "Справочник.Контрагенты")
	if code != ExitOK || !strings.Contains(out, "RESTRICTION") || !strings.Contains(out, "Менеджер") {
		t.Errorf("table: exit %d, %q, %s", code, out, errOut)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--user", "ivanov"}, "--user and --object are required"},
		{[]string{"--user", "nobody", "--object", "Справочник.Контрагенты"}, "nobody"},
		{[]string{"--user", "ivanov", "--object", "Справочник.Нет"}, "no object Справочник.Нет"},
	} {
		args := append([]string{"audit", "effective", "--db", dsn}, tt.args...)
		if code, _, errOut := run(t, "", args...); code != ExitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestPasswdOverInventory: a password set from the inventory lands in
// every database that has the user and is verified there; one the policy
// refuses fails where it is refused.
func TestPasswdOverInventory(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	for _, db := range []string{a, b} {
		if code, _, errOut := run(t, "", "demo", "--db", db); code != ExitOK {
			t.Fatalf("demo: %s", errOut)
		}
	}
	if code, _, errOut := run(t, "", "users", "delete", "petrov", "--db", b); code != ExitOK {
		t.Fatalf("delete: %s", errOut)
	}
	inventory := filepath.Join(dir, "inventory.yaml")
	writeFile(t, inventory, "infobases:\n  - {name: a, db: a.db}\n  - {name: b, db: b.db}\n  - {name: dump, config: nowhere}\n")
	code, out, errOut := run(t, "", "users", "passwd", "ivanov", "--inventory", inventory, "--password", "Nov-Parol-2026!")
	if code != ExitOK || !strings.Contains(out, "a: set the password of user ivanov") || !strings.Contains(out, "b: set the password of user ivanov") {
		t.Fatalf("exit %d, %q, %s", code, out, errOut)
	}
	// The new password is the one ivanov changes from, in each.
	for _, db := range []string{a, b} {
		code, _, errOut := run(t, "Nov-Parol-2026!\nDrugoy-Parol-2026!\n", "users", "passwd", "ivanov", "--db", db, "--change")
		if code != ExitOK {
			t.Errorf("%s: the password set from the inventory does not verify: %s", db, errOut)
		}
	}
	code, out, errOut = run(t, "", "users", "passwd", "petrov", "--inventory", inventory, "--password", "Petrov-Novy-2026!")
	if code != ExitOK || !strings.Contains(out, "a: set") || !strings.Contains(errOut, "b: no user petrov: passed over") {
		t.Errorf("petrov: exit %d, %q, %s", code, out, errOut)
	}
	if code, out, errOut = run(t, "", "users", "passwd", "ivanov", "--inventory", inventory, "--password", "123"); code != ExitFailure || strings.Contains(out, "set the password") {
		t.Errorf("a weak password: exit %d, %q, %s", code, out, errOut)
	}
	if code, out, _ = run(t, "", "users", "passwd", "ivanov", "--inventory", inventory, "--infobase", "B", "--password", "Tretiy-Parol-2026!"); code != ExitOK || strings.Contains(out, "a: ") {
		t.Errorf("--infobase: exit %d, %q", code, out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"nobody", "--password", "Tretiy-Parol-2026!"}, "no database of the inventory has a user nobody"},
		{[]string{"ivanov", "--infobase", "c", "--password", "Tretiy-Parol-2026!"}, "--infobase c: the inventory has no database of that name"},
	} {
		args := append([]string{"users", "passwd", "--inventory", inventory}, tt.args...)
		if code, _, errOut := run(t, "", args...); code != ExitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

package audit_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"dostup/audit"
)

func intPtr(n int) *int { return &n }

// handInfobase is an infobase with users built by hand, one for each
// finding about users, read at a fixed moment.
func handInfobase() *audit.Infobase {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	pw := []string{"password"}
	return &audit.Infobase{
		Name: "hand", Config: exampleConfig(), HasUsers: true, Now: now, LogSince: now.AddDate(-1, 0, 0),
		RoleLastSession: map[string]time.Time{"менеджер": now.AddDate(0, 0, -3)},
		Users: []audit.User{
			{Name: "nopass", Roles: []string{"Менеджер"}, Authentication: pw},
			{Name: "expired", Roles: []string{"Менеджер"}, Authentication: pw, PasswordSet: true, PasswordChanged: true, PasswordAgeDays: intPtr(100), ExpiresInDays: intPtr(-10), Expired: true},
			{Name: "fresh", Roles: []string{"Менеджер"}, Authentication: pw, PasswordSet: true, PasswordAgeDays: intPtr(2), ExpiresInDays: intPtr(88)},
			{Name: "osonly", Roles: []string{"Менеджер", "ЗапускВнешнегоСоединения"}, Authentication: []string{"os"}},
			{Name: "norole", Authentication: []string{"os"}},
		},
	}
}

// codesOf lists findings as "code subject role", in order.
func codesOf(fs []audit.Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Infobase != "hand" && f.Infobase != "" {
			out = append(out, "wrong infobase "+f.Infobase)
		}
		out = append(out, strings.TrimSpace(f.Code+" "+f.Subject+" "+f.Role))
	}
	return out
}

func TestUserFindings(t *testing.T) {
	sod, err := audit.ParseSoD("sod.yaml", []byte(`conflicts:
  - name: two roles
    roles: [менеджер, ЗапускВнешнегоСоединения]
  - name: read and connect
    rights:
      - {object: Catalog.Контрагенты, right: Read}
      - {object: Конфигурация, right: ВнешнееСоединение}
  - name: never held
    rights:
      - {object: Справочник.Контрагенты, right: Удаление}
      - {object: Справочник.Контрагенты, right: Чтение}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		o    audit.Options
		want []string
	}{
		{"users", audit.Options{}, []string{
			"no-password Пользователь.nopass",
			"password-expired Пользователь.expired",
			"password-never-changed Пользователь.fresh",
			"no-roles Пользователь.norole",
			// Менеджер had a session three days ago; the other never.
			"unused-role Роль.ЗапускВнешнегоСоединения ЗапускВнешнегоСоединения",
		}},
		{"a window shorter than the last session", audit.Options{UnusedDays: 2}, []string{
			"no-password Пользователь.nopass", "password-expired Пользователь.expired", "password-never-changed Пользователь.fresh",
			"no-roles Пользователь.norole", "unused-role Роль.Менеджер Менеджер", "unused-role Роль.ЗапускВнешнегоСоединения ЗапускВнешнегоСоединения",
		}},
		{"segregation of duties", audit.Options{SoD: sod}, []string{
			"no-password Пользователь.nopass", "password-expired Пользователь.expired", "password-never-changed Пользователь.fresh",
			"no-roles Пользователь.norole", "unused-role Роль.ЗапускВнешнегоСоединения ЗапускВнешнегоСоединения",
			// Менеджер alone both reads and connects from outside.
			"sod-conflict Пользователь.nopass", "sod-conflict Пользователь.expired", "sod-conflict Пользователь.fresh",
			"sod-conflict Пользователь.osonly", "sod-conflict Пользователь.osonly",
		}},
		{"provisioning", audit.Options{Expected: []audit.ExpectedUser{
			{User: "NOPASS", Roles: []string{"менеджер"}},
			{User: "expired", Roles: []string{"ЗапускВнешнегоСоединения"}},
			{User: "fresh", Roles: []string{"Менеджер"}},
			{User: "osonly", Roles: []string{"Менеджер", "ЗапускВнешнегоСоединения"}},
			{User: "ghost", Roles: []string{}},
		}}, []string{
			"no-password Пользователь.nopass", "password-expired Пользователь.expired", "password-never-changed Пользователь.fresh",
			"no-roles Пользователь.norole", "unused-role Роль.ЗапускВнешнегоСоединения ЗапускВнешнегоСоединения",
			"role-mismatch Пользователь.expired Менеджер", "role-mismatch Пользователь.expired ЗапускВнешнегоСоединения",
			"unexpected-user Пользователь.norole", "missing-user Пользователь.ghost",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := codesOf(audit.UserFindings(handInfobase(), tt.o))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestFindingsOfAnInfobase(t *testing.T) {
	ib := handInfobase()
	all := audit.Findings(ib, audit.Options{Policy: audit.DefaultPolicy()})
	for _, f := range all {
		if f.Infobase != "hand" || f.Code == "" || f.Severity == "" || f.Message == "" {
			t.Errorf("finding %+v lacks a field", f)
		}
	}
	if got := codesOf(all)[0]; got != "dangerous-right Роль.Менеджер Менеджер" {
		t.Errorf("the roles' findings come first; got %q", got)
	}
	// Without its database a configuration has no user findings.
	ib.HasUsers = false
	for _, f := range audit.Findings(ib, audit.Options{Policy: audit.DefaultPolicy()}) {
		if f.User != "" || f.Code == audit.CodeUnusedRole {
			t.Errorf("a configuration without users: %+v", f)
		}
	}
}

func TestSoDMessages(t *testing.T) {
	sod, err := audit.ParseSoD("sod.yaml", []byte("conflicts:\n  - rights:\n      - {object: Справочник.Контрагенты, right: Чтение}\n      - {object: Конфигурация, right: ExternalConnection}\n"))
	if err != nil {
		t.Fatal(err)
	}
	fs := audit.UserFindings(handInfobase(), audit.Options{SoD: sod})
	var msg string
	for _, f := range fs {
		if f.Code == audit.CodeSoDConflict {
			msg = f.Message
		}
	}
	for _, want := range []string{"user osonly", "Чтение on Справочник.Контрагенты (by Менеджер)", "ВнешнееСоединение on Конфигурация (by Менеджер, ЗапускВнешнегоСоединения)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

// TestParseErrors: every mistake in the consultant's files is placed at
// its line (and column, for YAML) and says what to write.
func TestParseErrors(t *testing.T) {
	for _, tt := range []struct {
		name, text, want string
		parse            func(name, text string) error
	}{
		{"sod: both", "conflicts:\n  - roles: [A, B]\n    rights: [{object: X, right: Чтение}]\n", "sod.yaml:2:5: a conflict lists roles or rights, not both", parseSoD},
		{"sod: one role", "conflicts:\n  - roles: [A]\n", "sod.yaml:2:5: a conflict needs two roles", parseSoD},
		{"sod: bad right", "conflicts:\n  - rights:\n      - {object: X, right: Читать}\n      - {object: X, right: Чтение}\n", `sod.yaml:3:28: "Читать" is not a right`, parseSoD},
		{"sod: no object", "conflicts:\n  - rights:\n      - {right: Чтение}\n      - {object: X, right: Чтение}\n", "sod.yaml:3:10: the right Чтение names no object", parseSoD},
		{"sod: unknown field", "conflicts:\n  - role: [A, B]\n", "sod.yaml:2:5", parseSoD},
		{"sod: empty", "", "sod.yaml: empty segregation-of-duties file", parseSoD},
		{"inventory: no name", "infobases:\n  - db: a.db\n", "inv.yaml:2:5: infobase 1 has no name", parseInventory},
		{"inventory: both", "infobases:\n  - name: a\n    db: a.db\n    config: dump\n", "inv.yaml:2:5: infobase a has both db and config", parseInventory},
		{"inventory: neither", "infobases:\n  - name: a\n", "inv.yaml:2:5: infobase a has neither db nor config", parseInventory},
		{"inventory: twice", "infobases:\n  - {name: a, db: a.db}\n  - {name: A, db: b.db}\n", "inv.yaml:3:6: infobase A is listed twice", parseInventory},
		{"inventory: users of a dump", "infobases:\n  - {name: a, config: d, expected_users: u.csv}\n", "expected_users needs a db", parseInventory},
		{"inventory: none", "infobases: []\n", "inv.yaml: the inventory lists no infobases", parseInventory},
		{"inventory: a list", "- name: a\n", "inv.yaml:1:1", parseInventory},
		{"expected: columns", "user,roles\nivanov,A;B,extra\n", "users.csv:2: 3 columns", parseExpected},
		{"expected: twice", "ivanov,A\npetrov,B\nIvanov,C\n", "users.csv:3: user Ivanov is listed twice (first at line 1)", parseExpected},
		{"expected: no name", "ivanov,A\n,B\n", "users.csv:2: no user name", parseExpected},
		{"expected: quote", "ivanov,\"A\n", "users.csv:1:", parseExpected},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse(tt.name, tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func parseSoD(_, text string) error {
	_, err := audit.ParseSoD("sod.yaml", []byte(text))
	return err
}

func parseInventory(_, text string) error {
	_, err := audit.ParseInventory("inv.yaml", []byte(text))
	return err
}

func parseExpected(_, text string) error {
	_, err := audit.ParseExpectedUsers("users.csv", strings.NewReader(text))
	return err
}

func TestExpectedUsers(t *testing.T) {
	got, err := audit.ParseExpectedUsers("users.csv", strings.NewReader("user,roles\n ivanov , Менеджер; Кассир ;\n\nguest\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].User != "ivanov" || !slices.Equal(got[0].Roles, []string{"Менеджер", "Кассир"}) || got[1].User != "guest" || len(got[1].Roles) != 0 {
		t.Errorf("%+v", got)
	}
}

func TestInventoryPaths(t *testing.T) {
	inv, err := audit.ParseInventory("/audits/inv.yaml", []byte(`infobases:
  - {name: a, db: a.db, expected_users: users.csv, sod: /etc/sod.yaml}
  - {name: b, db: "postgres://127.0.0.1/b"}
  - {name: c, config: dumps/c}
`))
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := inv.Infobases[0], inv.Infobases[1], inv.Infobases[2]
	if a.DB != "/audits/a.db" || a.ExpectedUsers != "/audits/users.csv" || a.SoD != "/etc/sod.yaml" || b.DB != "postgres://127.0.0.1/b" || c.Config != "/audits/dumps/c" {
		t.Errorf("%+v", inv.Infobases)
	}
}

package audit_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"dostup/audit"
	"dostup/metadata"
)

// exampleConfig writes a small configuration: a catalog, a manager who
// reads it under a restriction and may open it from outside, and the
// launcher role the standard allows that right.
func exampleConfig() *metadata.Configuration {
	dir, err := os.MkdirTemp("", "audit-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	files := map[string]string{
		"configuration.yaml": "configuration:\n  name: Пример\n",
		"catalogs.yaml":      "catalogs:\n  - name: Контрагенты\n    attributes:\n      - {name: Менеджер, type: Строка(50)}\n",
		"roles.yaml": `roles:
  - name: Менеджер
    rights: [ТонкийКлиент, ВнешнееСоединение]
    objects:
      - object: Справочник.Контрагенты
        rights: [Чтение, Изменение]
        restrictions:
          - right: Чтение
            condition: Менеджер = "Иванов"
  - name: ЗапускВнешнегоСоединения
    rights: [ВнешнееСоединение]
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			panic(err)
		}
	}
	cfg, err := metadata.Load(dir)
	if err != nil {
		panic(err)
	}
	return cfg
}

// The rights matrix of one role: the configuration's rights, then the
// object's, each with whether a record-level restriction applies.
func ExampleRights() {
	for _, g := range audit.Rights(exampleConfig(), audit.Filter{Role: "Менеджер"}) {
		fmt.Println(g.Object, g.Right, g.Restricted)
	}
	// Output:
	// Конфигурация ТонкийКлиент false
	// Конфигурация ВнешнееСоединение false
	// Справочник.Контрагенты Чтение true
	// Справочник.Контрагенты Изменение false
}

// Findings against 1C's standard: ВнешнееСоединение belongs to the launcher
// role, not to the manager.
func ExampleConfigurationFindings() {
	for _, f := range audit.ConfigurationFindings(exampleConfig(), audit.DefaultPolicy()) {
		fmt.Println(f.Severity, f.Code, f.Role, f.Right)
		fmt.Println(f.Message)
	}
	// Output:
	// error dangerous-right Менеджер ВнешнееСоединение
	// role Менеджер holds ВнешнееСоединение, which only ЗапускВнешнегоСоединения and АдминистраторСистемы may hold
}

// The user × role matrix: a row per role; a user with none has no row.
func ExampleMemberships() {
	for _, m := range audit.Memberships([]audit.UserRoles{
		{User: "ivanov", Roles: []string{"Менеджер", "Кассир"}},
		{User: "guest"},
	}) {
		fmt.Println(m.User, m.Role)
	}
	// Output:
	// ivanov Менеджер
	// ivanov Кассир
}

// The findings of an infobase's users: a password never changed, and a
// user holding two roles a segregation-of-duties matrix forbids together.
func ExampleUserFindings() {
	sod, err := audit.ParseSoD("sod.yaml", []byte("conflicts:\n  - name: who connects from outside does not manage\n    roles: [Менеджер, ЗапускВнешнегоСоединения]\n"))
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	age := 40
	ib := &audit.Infobase{
		Name: "buh", Config: exampleConfig(), HasUsers: true, Now: now,
		RoleLastSession: map[string]time.Time{"Менеджер": now.AddDate(0, 0, -1), "ЗапускВнешнегоСоединения": now.AddDate(0, 0, -2)},
		Users: []audit.User{{
			Name: "ivanov", Roles: []string{"Менеджер", "ЗапускВнешнегоСоединения"}, Authentication: []string{"password"},
			PasswordSet: true, PasswordAgeDays: &age,
		}},
	}
	for _, f := range audit.UserFindings(ib, audit.Options{SoD: sod}) {
		fmt.Println(f.Severity, f.Code, f.User)
		fmt.Println(f.Message)
	}
	// Output:
	// warning password-never-changed ivanov
	// the password of user ivanov, set 40 days ago, is the one the account was given and was never changed
	// error sod-conflict ivanov
	// user ivanov holds role Менеджер and role ЗапускВнешнегоСоединения, which "who connects from outside does not manage" forbids together
}

// An inventory names the infobases to audit together; relative paths are
// read from its folder.
func ExampleParseInventory() {
	inv, err := audit.ParseInventory("/audits/inventory.yaml", []byte(`infobases:
  - name: buh
    db: postgres://127.0.0.1/buh
    expected_users: buh-users.csv
  - name: unf
    config: dumps/unf
`))
	if err != nil {
		panic(err)
	}
	for _, e := range inv.Infobases {
		fmt.Printf("%s db=%q config=%q expected=%q\n", e.Name, e.DB, e.Config, e.ExpectedUsers)
	}
	// Output:
	// buh db="postgres://127.0.0.1/buh" config="" expected="/audits/buh-users.csv"
	// unf db="" config="/audits/dumps/unf" expected=""
}

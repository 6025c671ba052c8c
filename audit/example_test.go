package audit_test

import (
	"fmt"
	"os"
	"path/filepath"

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

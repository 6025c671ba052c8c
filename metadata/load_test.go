package metadata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadDemo(t *testing.T) {
	cfg, err := Load("../demo/config")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Name != "Демо" || cfg.English || len(cfg.Objects) != 7 || len(cfg.Roles) != 4 || cfg.Restrictions() != 8 || len(cfg.Users) != 4 {
		t.Fatalf("got %s: %d objects, %d roles, %d restrictions, %d users", cfg.Name, len(cfg.Objects), len(cfg.Roles), cfg.Restrictions(), len(cfg.Users))
	}
	k := cfg.Object("Catalog.контрагенты")
	if k == nil || k.Kind != Catalog || !k.Hierarchical || !k.FoldersHierarchy {
		t.Fatalf("Контрагенты: %+v", k)
	}
	for _, name := range []string{"Ссылка", "Ref", "ЭтоГруппа", "Родитель", "Наименование", "ИНН", "ОсновнойМенеджер"} {
		if k.Attribute(name) == nil {
			t.Errorf("Контрагенты has no %s", name)
		}
	}
	if k.Attribute("Код") == nil || k.Attribute("Номер") != nil {
		t.Error("standard attributes of a catalog")
	}
	if inn := k.Attribute("ИНН"); inn.Type.String() != "Строка(12)" || inn.Pos.String() != "../demo/config/configuration.yaml:24:16" {
		t.Errorf("ИНН: %s at %s", inn.Type, inn.Pos)
	}
	doc := cfg.Object("Документ.РеализацияТоваров")
	if doc.TabularSection("Товары") == nil || doc.Attribute("Проведен") == nil || doc.Attribute("СуммаДокумента").Type[0].Scale != 2 {
		t.Errorf("РеализацияТоваров: %+v", doc)
	}
	m := cfg.Role("менеджер")
	if m == nil || len(m.Templates) != 1 || m.Objects[3].Restrictions[0].Right != "Read" {
		t.Fatalf("Менеджер: %+v", m)
	}
	cond := m.Objects[3].Restrictions[0].Condition
	if cond.Text != `#КонтрагентыЧтениеИзменение("ИЛИ ЭтоГруппа")` || cond.Position(0).String() != "../demo/config/roles.yaml:22:25" {
		t.Errorf("condition %q at %s", cond.Text, cond.Position(0))
	}
	if q := cfg.SessionParameters[1].Query; q == nil || !strings.HasPrefix(q.Text, "ВЫБРАТЬ Организация") {
		t.Errorf("session parameter query: %v", q)
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown type and object", `
catalogs:
  - name: К
    attributes:
      - {name: А, type: Строка(2000)}
      - {name: Б, type: Справочник.НетТакого}
      - {name: В, type: Целое}
`, []string{
			"c.yaml:5:25: type \"Строка(2000)\": a string of fixed length holds at most 1024 characters; write Строка for unlimited",
			"c.yaml:6:25: Справочник.НетТакого is not in the configuration",
			"c.yaml:7:25: unknown type \"Целое\": expected Строка(n), Число(p, s), Булево, Дата or a reference such as Справочник.Контрагенты",
		}},
		{"duplicates", `
catalogs:
  - name: К
    attributes:
      - {name: Код1, type: Булево}
      - {name: код1, type: Булево}
      - {name: Наименование, type: Булево}
  - name: к
`, []string{
			"c.yaml:6:16: attribute код1 is declared twice (first at c.yaml:5:16)",
			"c.yaml:7:16: attribute Наименование is declared twice (first at c.yaml:3:11)",
			"c.yaml:8:11: Справочник.к is declared twice (first at c.yaml:3:11)",
		}},
		{"unknown key", `
catalogs:
  - name: К
    atributes: []
`, []string{"c.yaml:4:5: unknown field \"atributes\""}},
		{"rights and restrictions", `
catalogs:
  - name: К
roles:
  - name: Р
    rights: [Администрирование, Полеты]
    objects:
      - object: Справочник.К
        rights: [Чтение, Проведение]
        restrictions:
          - {right: Изменение, condition: ГДЕ ЛОЖЬ}
          - {right: Чтение, fields: [Нет], condition: ГДЕ ЛОЖЬ}
      - object: Документ.Нет
users:
  - {name: u, roles: [Р, Нет]}
`, []string{
			"c.yaml:6:33: \"Полеты\" is not a global right (Администрирование/Administration, ВнешнееСоединение/ExternalConnection, ...)",
			"c.yaml:9:26: Проведение applies to documents only",
			"c.yaml:11:21: role Р restricts Update on Справочник.К but does not grant it",
			"c.yaml:12:38: Справочник.К has no field Нет",
			"c.yaml:13:17: Документ.Нет is not in the configuration",
			"c.yaml:15:26: role Нет is not in the configuration",
		}},
		{"template call read as a comment", `
catalogs:
  - name: К
roles:
  - name: Р
    objects:
      - object: Справочник.К
        rights: [Чтение]
        restrictions:
          - right: Чтение
            condition: ГДЕ Наименование = "x" #Шаблон("y")
    templates:
      - name: Шаблон
        condition: 'ГДЕ #Параметр(1)'
`, []string{"c.yaml:11:47: YAML reads the rest of this line from # as a comment, so the text stops before it: quote the whole text ('...') or write it as a block (|)"}},
		{"no administrator", `
roles:
  - name: Р
users:
  - {name: u, roles: [Р]}
`, []string{"c.yaml:5:12: no user holds a role with Администрирование (Administration): at least one must once users exist"}},
		{"yaml syntax", "catalogs:\n  - name: [\n", []string{"c.yaml:2:"}},
		{"accounting", `
catalogs:
  - name: К
    attributes:
      - {name: А, type: Булево, balance: false}
charts_of_accounts:
  - name: П
    max_ext_dimensions: 2
    accounting_flags: [Валютный]
    predefined:
      - {name: Касса, account_type: Дебетовый}
      - {name: Сч, parent: Нет, accounting_flags: [Количественный]}
accounting_registers:
  - name: Р
    resources:
      - {name: Сумма, type: Строка(10)}
  - name: Р2
    chart_of_accounts: Справочник.К
    correspondence: true
    resources:
      - {name: Сумма, type: "Число(15, 2)"}
`, []string{
			"c.yaml:5:42: balance applies to dimensions and resources of an accounting register only",
			"c.yaml:8:25: max_ext_dimensions is 2 but ext_dimension_types is not set",
			"c.yaml:11:37: account_type must be Активный, Пассивный or АктивноПассивный (Active, Passive, ActivePassive), not \"Дебетовый\"",
			"c.yaml:12:28: parent Нет of predefined item Сч is not a predefined item of ПланСчетов.П",
			"c.yaml:12:52: Количественный is not an accounting flag of ПланСчетов.П",
			"c.yaml:14:11: accounting register Р has no chart_of_accounts",
			"c.yaml:16:16: resource Сумма of an accounting register must be a number",
			"c.yaml:18:24: Справочник.К is not a chart of accounts",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(dir)
			if err == nil || cfg != nil {
				t.Fatalf("want errors, got %v", cfg)
			}
			var got []string
			for _, line := range strings.Split(errorLines(err), "\n") {
				got = append(got, strings.ReplaceAll(line, dir+string(filepath.Separator), ""))
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d errors:\n%s", len(got), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], c.want[i]) {
					t.Errorf("error %d:\ngot  %s\nwant %s", i, got[i], c.want[i])
				}
			}
		})
	}
}

// TestLoadFormats: files built in memory load as their YAML would, and
// their problems are reported (at the first line of each file, which is
// why importers load the written files again to show them).
func TestLoadFormats(t *testing.T) {
	files := map[string]*FileFormat{
		"configuration.yaml": {Configuration: &ConfigFormat{Name: "Т", Language: "ru"},
			Catalogs: []ObjectFormat{{Name: "Контрагенты", Attributes: []AttributeFormat{{Name: "ИНН", Type: TypeFormat{"Строка(12)"}}}}}},
		"roles/Менеджер.yaml": {Roles: []RoleFormat{{Name: "Менеджер", Objects: []ObjectRightsFormat{{Object: "Справочник.Контрагенты", Rights: []string{"Чтение"},
			Restrictions: []RestrictionFormat{{Right: "Чтение", Condition: "ГДЕ ИНН = \"1\"\nИЛИ ИСТИНА"}}}}}}},
	}
	cfg, err := LoadFormats(files)
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Role("Менеджер").ObjectRights(cfg, "Справочник.Контрагенты").Restrictions[0]
	if cfg.Object("Справочник.Контрагенты").Attribute("ИНН") == nil || r.Condition.Text != "ГДЕ ИНН = \"1\"\nИЛИ ИСТИНА" || r.Condition.Name != "roles/Менеджер.yaml" {
		t.Fatalf("got %+v", r)
	}
	files["roles/Менеджер.yaml"].Roles[0].Objects[0].Object = "Справочник.Нет"
	_, err = LoadFormats(files)
	if got := errorLines(err); !strings.Contains(got, "roles/Менеджер.yaml:1:1: Справочник.Нет is not in the configuration") {
		t.Fatalf("got %s", got)
	}
}

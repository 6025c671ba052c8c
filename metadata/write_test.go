package metadata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteReadBack writes a configuration with WriteFile and loads it back.
func TestWriteReadBack(t *testing.T) {
	dl := 50
	f := &FileFormat{
		Configuration: &ConfigFormat{Name: "Тест", Language: "ru"},
		Catalogs: []ObjectFormat{{Name: "К", Hierarchical: true, DescriptionLength: &dl, Attributes: []AttributeFormat{
			{Name: "Сумма", Type: TypeFormat{"Число(15, 2)"}},
			{Name: "Связь", Type: TypeFormat{"Справочник.К", "Документ.Д"}},
		}}},
		Documents: []ObjectFormat{{Name: "Д"}},
		Charts:    []ObjectFormat{{Name: "Виды", Type: TypeFormat{"Булево", "Строка(10)"}}},
		Tasks:     []ObjectFormat{{Name: "Задание"}},
		Roles: []RoleFormat{{Name: "Р", Rights: []string{"Administration"}, Objects: []ObjectRightsFormat{{
			Object: "Справочник.К", Rights: []string{"Read"},
			Restrictions: []RestrictionFormat{{Right: "Read", Condition: "ГДЕ\n  Сумма > 0"}},
		}}}},
		Users: []UserFormat{{Name: "u", Roles: []string{"Р"}}},
	}
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "c.yaml"), f); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(dir)
	if err != nil {
		data, _ := os.ReadFile(filepath.Join(dir, "c.yaml"))
		t.Fatalf("%v\n%s", err, data)
	}
	k := cfg.Object("Справочник.К")
	if k.Attribute("Связь").Type.String() != "Справочник.К, Документ.Д" || k.Attribute("Сумма").Type.String() != "Число(15, 2)" || k.DescriptionLength != 50 {
		t.Errorf("К: %v / %v / %d", k.Attribute("Связь").Type, k.Attribute("Сумма").Type, k.DescriptionLength)
	}
	cond := cfg.Roles[0].Objects[0].Restrictions[0].Condition
	if cond.Text != "ГДЕ\n  Сумма > 0" {
		t.Errorf("condition %q", cond.Text)
	}
	if cfg.Object("ПланВидовХарактеристик.Виды").Attribute("ТипЗначения") == nil || cfg.Object("Задача.Задание").Attribute("Выполнена") == nil {
		t.Error("standard attributes of charts and tasks")
	}
}

func TestParseTypeSpec(t *testing.T) {
	cases := []struct{ in, out, err string }{
		{"Строка(12)", "Строка(12)", ""},
		{"String", "Строка", ""},
		{"число(15,2)", "Число(15, 2)", ""},
		{"Number(10)", "Число(10)", ""},
		{"Булево", "Булево", ""},
		{"DateTime", "Дата", ""},
		{"СправочникСсылка.Контрагенты", "Справочник.Контрагенты", ""},
		{"CatalogRef.Контрагенты", "Справочник.Контрагенты", ""},
		{"ПланВидовХарактеристикСсылка.Виды", "ПланВидовХарактеристик.Виды", ""},
		{"ЛюбаяСсылка", "ЛюбаяСсылка", ""},
		{"ХранилищеЗначения", "ХранилищеЗначения", ""},
		{"ФиксированныйМассив", "ФиксированныйМассив", ""},
		{"Число(40)", "", "a number has 1 to 38 digits"},
		{"Число(5, 6)", "", "more digits after the point than in all"},
		{"Число(5", "", "')' is missing"},
		{"Булево(1)", "", "takes no qualifiers"},
		{"Справочник", "", "unknown type"},
		{"Регистр.X", "", "unknown type"},
	}
	for _, c := range cases {
		spec, err := ParseTypeSpec(c.in)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.in, err, c.err)
			}
		case err != nil:
			t.Errorf("%s: %v", c.in, err)
		case spec.String() != c.out:
			t.Errorf("%s: %s, want %s", c.in, spec, c.out)
		}
	}
}

package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/metadata"
	"dostup/onecxml"
)

// rightsDump is a dump of a catalog with an attribute and a tabular
// section, a document and a register, whose one role's Rights.xml each case
// of TestConvertRoleFlags writes.
func rightsDump(t *testing.T, rights string) *onecxml.Dump {
	t.Helper()
	path := filepath.Join(t.TempDir(), "Roles", "Р", "Ext", "Rights.xml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	xml := `<?xml version="1.0" encoding="UTF-8"?>
<Rights xmlns="http://v8.1c.ru/8.2/roles" version="2.18">` + rights + `</Rights>`
	if err := os.WriteFile(path, []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	str := onecxml.TypeDesc{Types: []string{"xs:string"}, StringLength: 10}
	return &onecxml.Dump{
		Configuration: &onecxml.Configuration{Name: "Права", ScriptVariant: "Russian"},
		Objects: []*onecxml.MDObject{
			{Kind: "Catalog", Name: "Товары", CodeLength: 9, CodeType: "String", DescriptionLength: 25,
				Attributes:      []onecxml.MDAttribute{{Name: "Цена", Type: str}, {Name: "Артикул", Type: str}},
				TabularSections: []onecxml.MDTabular{{Name: "Штрихкоды", Attributes: []onecxml.MDAttribute{{Name: "Штрихкод", Type: str}}}}},
			{Kind: "Document", Name: "Заказ", NumberLength: 11, NumberType: "String"},
			{Kind: "InformationRegister", Name: "Цены", Dimensions: []onecxml.MDAttribute{{Name: "Товар", Type: str}}},
		},
		Rights: []string{path},
	}
}

// rightXML is one <right> of an <object>.
func rightXML(object string, rights ...string) string {
	var b strings.Builder
	b.WriteString("<object><name>" + object + "</name>")
	for _, r := range rights {
		name, value, _ := strings.Cut(r, "=")
		b.WriteString("<right><name>" + name + "</name><value>" + value + "</value></right>")
	}
	return b.String() + "</object>"
}

func flagsXML(newObjects, attributes, independent bool) string {
	b := func(v bool) string {
		if v {
			return "true"
		}
		return "false"
	}
	return "<setForNewObjects>" + b(newObjects) + "</setForNewObjects><setForAttributesByDefault>" + b(attributes) +
		"</setForAttributesByDefault><independentRightsOfChildObjects>" + b(independent) + "</independentRightsOfChildObjects>"
}

// TestConvertRoleFlags imports role files as the Configurator writes them,
// listing only what differs from the role's defaults, and asks the loaded
// role what it grants.
func TestConvertRoleFlags(t *testing.T) {
	type check struct {
		object, field, right string
		want                 bool
	}
	cases := []struct {
		name, rights string
		checks       []check
	}{
		{"a full-rights role lists what it withholds",
			flagsXML(true, true, false) +
				rightXML("Configuration.Права", "Administration=false", "MainWindowModeKiosk=true", "TechnicalSpecialistMode=false") +
				rightXML("Catalog.Товары", "InteractiveDelete=false", "InteractiveDeletePredefinedData=false") +
				rightXML("Catalog.Товары.Attribute.Цена", "Edit=false") +
				rightXML("Catalog.Товары.Command.Печать", "View=false") +
				rightXML("Report.Продажи", "Use=false"),
			[]check{
				{"Справочник.Товары", "", "Чтение", true},
				{"Справочник.Товары", "", "ИнтерактивноеУдаление", false},
				{"Справочник.Товары", "", "ИнтерактивноеУдалениеПредопределенныхДанных", false},
				{"Справочник.Товары", "", "ИнтерактивноеУдалениеПомеченныхПредопределенныхДанных", true},
				{"Документ.Заказ", "", "Проведение", true},
				{"РегистрСведений.Цены", "", "Изменение", true},
				{"", "", "Администрирование", false},
				{"", "", "РежимТехническогоСпециалиста", false},
				{"", "", "АдминистрированиеДанных", true},
				{"", "", "РежимОсновногоОкнаКиоск", true},
				{"Справочник.Товары", "Цена", "Редактирование", false},
				{"Справочник.Товары", "Цена", "Просмотр", true},
				{"Справочник.Товары", "Штрихкоды.Штрихкод", "Редактирование", true},
			}},
		{"a role lists what it grants",
			flagsXML(false, true, false) +
				rightXML("Configuration.Права", "ThinClient=true") +
				rightXML("Catalog.Товары", "Read=true", "View=true") +
				rightXML("Catalog.Товары.Attribute.Цена", "View=false") +
				rightXML("InformationRegister.Цены", "Read=true"),
			[]check{
				{"Справочник.Товары", "", "Чтение", true},
				{"Справочник.Товары", "", "Изменение", false},
				{"Документ.Заказ", "", "Чтение", false},
				{"РегистрСведений.Цены", "", "Чтение", true},
				{"", "", "ТонкийКлиент", true},
				{"", "", "АдминистрированиеДанных", false},
				{"Справочник.Товары", "Артикул", "Просмотр", true},
				{"Справочник.Товары", "Цена", "Просмотр", false},
				// The register's dimension follows the register's Просмотр,
				// which the role does not grant.
				{"РегистрСведений.Цены", "Товар", "Просмотр", false},
			}},
		{"fields granted one by one",
			flagsXML(false, false, false) +
				rightXML("InformationRegister.Цены", "Read=true", "View=true") +
				rightXML("InformationRegister.Цены.Dimension.Товар", "View=true") +
				rightXML("Catalog.Товары.TabularSection.Штрихкоды", "View=true") +
				rightXML("Catalog.Товары.TabularSection.Штрихкоды.Attribute.Штрихкод", "View=true"),
			[]check{
				{"РегистрСведений.Цены", "Товар", "Просмотр", true},
				{"РегистрСведений.Цены", "Товар", "Редактирование", false},
				{"Справочник.Товары", "Штрихкоды.Штрихкод", "Просмотр", false},
			}},
		{"independent rights of child objects",
			flagsXML(false, false, true) +
				rightXML("Catalog.Товары.TabularSection.Штрихкоды", "View=true") +
				rightXML("Catalog.Товары.TabularSection.Штрихкоды.Attribute.Штрихкод", "View=true"),
			[]check{
				{"Справочник.Товары", "", "Просмотр", false},
				{"Справочник.Товары", "Штрихкоды.Штрихкод", "Просмотр", true},
				{"Справочник.Товары", "Цена", "Просмотр", false},
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			imp, err := Convert(rightsDump(t, c.rights))
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			if err := Write(imp, out); err != nil {
				t.Fatal(err)
			}
			cfg, err := metadata.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			r := cfg.Role("Р")
			for _, ch := range c.checks {
				var got bool
				switch {
				case ch.object == "":
					got = r.HasGlobalRight(ch.right)
				case ch.field == "":
					or := r.ObjectRights(cfg, ch.object)
					got = or != nil && or.Has(ch.right)
				default:
					got = r.FieldRight(cfg, ch.object, ch.field, ch.right)
				}
				if got != ch.want {
					t.Errorf("%s %s %s: %v, want %v", ch.object, ch.field, ch.right, got, ch.want)
				}
			}
			if t.Failed() {
				data, _ := os.ReadFile(filepath.Join(out, "roles", "Р.yaml"))
				t.Logf("roles/Р.yaml:\n%s", data)
			}
		})
	}
}

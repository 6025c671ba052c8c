package metadata

import (
	"strings"
	"testing"
)

// rightsObjects are the objects the role fragments of TestRoleFlags grant
// rights on.
const rightsObjects = `
configuration: {name: Права, language: ru}
catalogs:
  - name: Товары
    attributes:
      - {name: Цена, type: "Число(15, 2)"}
      - {name: Артикул, type: Строка(20)}
    tabular_sections:
      - name: Штрихкоды
        attributes:
          - {name: Штрихкод, type: Строка(20)}
documents:
  - name: Заказ
information_registers:
  - name: Цены
    dimensions:
      - {name: Товар, type: Справочник.Товары}
enums:
  - {name: Статусы, values: [Новый]}
`

// check is one question asked of a loaded role: an object right (field
// empty), a field right, or a global right (object empty).
type check struct {
	object, field, right string
	want                 bool
}

// TestRoleFlags is the role editor's three flags as 1C applies them, from
// a role fragment to the rights it grants: set_for_new_objects grants what
// the role does not withhold on every object and globally;
// set_for_attributes_by_default decides fields the role does not list; a
// field's right needs the object's unless child objects are independent.
func TestRoleFlags(t *testing.T) {
	cases := []struct {
		name, role string
		checks     []check
	}{
		{"without flags the role grants what it lists", `
  - name: Р
    rights: [ТонкийКлиент]
    objects:
      - {object: Справочник.Товары, rights: [Чтение, Просмотр]}`, []check{
			{"Справочник.Товары", "", "Чтение", true},
			{"Справочник.Товары", "", "Изменение", false},
			{"Документ.Заказ", "", "Чтение", false},
			{"", "", "ТонкийКлиент", true},
			{"", "", "ВебКлиент", false},
			// Fields follow the object by default.
			{"Справочник.Товары", "Цена", "Просмотр", true},
			{"Справочник.Товары", "Цена", "Редактирование", false},
			{"Справочник.Товары", "Штрихкоды.Штрихкод", "Просмотр", true},
			{"Документ.Заказ", "Номер", "Просмотр", false},
		}},
		{"set_for_new_objects grants every right but the withheld", `
  - name: Р
    set_for_new_objects: true
    withheld: [Администрирование, ВнешнееСоединение]
    objects:
      - {object: Справочник.Товары, withheld: [ИнтерактивноеУдаление, ИнтерактивноеУдалениеПредопределенныхДанных]}
      - {object: Документ.Заказ, rights: [Чтение]}`, []check{
			{"Справочник.Товары", "", "Чтение", true},
			{"Справочник.Товары", "", "ИнтерактивноеУдаление", false},
			{"Справочник.Товары", "", "ИнтерактивноеУдалениеПредопределенныхДанных", false},
			{"Справочник.Товары", "", "ИнтерактивнаяПометкаУдаленияПредопределенныхДанных", true},
			{"Справочник.Товары", "", "ПереходНаВерсиюИсторииДанных", true},
			{"Документ.Заказ", "", "Проведение", true},
			{"Документ.Заказ", "", "ОтменаПроведения", true},
			{"Документ.Заказ", "", "ИнтерактивноеПроведениеНеОперативное", true},
			{"РегистрСведений.Цены", "", "Изменение", true},
			{"РегистрСведений.Цены", "", "УправлениеИтогами", true},
			// A register has no Добавление in 1C: the flag grants what the
			// kind has, not every right there is.
			{"РегистрСведений.Цены", "", "Добавление", false},
			{"Перечисление.Статусы", "", "Чтение", true},
			{"", "", "Администрирование", false},
			{"", "", "ВнешнееСоединение", false},
			{"", "", "АдминистрированиеДанных", true},
			{"", "", "АдминистрированиеРасширенийКонфигурации", true},
			{"", "", "РежимОсновногоОкнаКиоск", true},
			{"Справочник.Товары", "Цена", "Редактирование", true},
			{"РегистрСведений.Цены", "Товар", "Просмотр", true},
		}},
		{"a withheld field right", `
  - name: Р
    set_for_new_objects: true
    objects:
      - object: Справочник.Товары
        fields:
          - {field: Цена, withheld: [Редактирование]}
          - {field: Штрихкоды, withheld: [Просмотр]}`, []check{
			{"Справочник.Товары", "Цена", "Редактирование", false},
			{"Справочник.Товары", "Цена", "Просмотр", true},
			{"Справочник.Товары", "Артикул", "Редактирование", true},
			// The section's attribute needs the section's right.
			{"Справочник.Товары", "Штрихкоды.Штрихкод", "Просмотр", false},
			{"Справочник.Товары", "Штрихкоды.Штрихкод", "Редактирование", true},
		}},
		{"fields withheld by default", `
  - name: Р
    set_for_attributes_by_default: false
    objects:
      - object: Справочник.Товары
        rights: [Чтение, Просмотр]
        fields:
          - {field: Цена, rights: [Просмотр, Редактирование]}`, []check{
			{"Справочник.Товары", "Цена", "Просмотр", true},
			// Редактирование of the field needs it of the catalog.
			{"Справочник.Товары", "Цена", "Редактирование", false},
			{"Справочник.Товары", "Артикул", "Просмотр", false},
			{"Справочник.Товары", "Наименование", "Просмотр", false},
		}},
		{"independent rights of child objects", `
  - name: Р
    set_for_attributes_by_default: false
    independent_rights_of_child_objects: true
    objects:
      - object: Справочник.Товары
        fields:
          - {field: Цена, rights: [Просмотр]}
          - {field: Штрихкоды.Штрихкод, rights: [Просмотр]}`, []check{
			{"Справочник.Товары", "", "Просмотр", false},
			{"Справочник.Товары", "Цена", "Просмотр", true},
			{"Справочник.Товары", "Штрихкоды.Штрихкод", "Просмотр", true},
			{"Справочник.Товары", "Штрихкоды", "Просмотр", false},
			{"Справочник.Товары", "Артикул", "Просмотр", false},
			// Only Просмотр and Редактирование are rights of fields.
			{"Справочник.Товары", "Цена", "Чтение", false},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := LoadSources(map[string][]byte{"objects.yaml": []byte(rightsObjects), "roles.yaml": []byte("roles:" + c.role + "\n")})
			if err != nil {
				t.Fatal(errorLines(err))
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
		})
	}
}

// TestRoleFlagsErrors: what a role file cannot mean is told at its place.
func TestRoleFlagsErrors(t *testing.T) {
	cases := []struct{ role, want string }{
		{`
  - name: Р
    withheld: [Администрирование]`, "roles.yaml:3:16: Администрирование is withheld, but the role grants nothing by default: withheld rights mean something only with set_for_new_objects: true"},
		{`
  - name: Р
    objects:
      - {object: Справочник.Товары, withheld: [Чтение]}`, "roles.yaml:4:48: Чтение is withheld, but the role grants nothing by default"},
		{`
  - name: Р
    set_for_new_objects: true
    objects:
      - {object: Справочник.Товары, rights: [Чтение], withheld: [Чтение]}`, "Чтение is both granted and withheld"},
		{`
  - name: Р
    objects:
      - {object: Справочник.Товары, rights: [Старт]}`, "Старт is not a right of Справочник.Товары: its kind has no such right"},
		{`
  - name: Р
    objects:
      - object: Справочник.Товары
        fields:
          - {field: Нет, rights: [Просмотр]}`, "Справочник.Товары has no field Нет"},
		{`
  - name: Р
    objects:
      - object: Справочник.Товары
        fields:
          - {field: Цена, rights: [Чтение]}`, `a field has the rights Просмотр (View) and Редактирование (Edit), not "Чтение"`},
		{`
  - name: Р
    set_for_attributes_by_default: false
    objects:
      - object: Справочник.Товары
        fields:
          - {field: Цена, withheld: [Просмотр]}`, "withheld rights mean something only with set_for_attributes_by_default: true"},
	}
	for _, c := range cases {
		_, err := LoadSources(map[string][]byte{"objects.yaml": []byte(rightsObjects), "roles.yaml": []byte("roles:" + c.role + "\n")})
		if err == nil || !strings.Contains(errorLines(err), c.want) {
			t.Errorf("%s\ngot %v, want %q", c.role, err, c.want)
		}
	}
}

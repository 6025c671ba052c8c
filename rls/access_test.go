package rls

import (
	"testing"

	"dostup/metadata"
	"dostup/metadata/vocab"
)

// rightsConfig has a role granting everything but what it withholds, and
// a role listing one field's right apart from its catalog's.
const rightsConfig = `
configuration: {name: Права, language: ru}
catalogs:
  - name: Товары
    attributes:
      - {name: Цена, type: "Число(15, 2)"}
  - name: Склады
roles:
  - name: ПолныеПрава
    set_for_new_objects: true
    withheld: [Администрирование]
    objects:
      - object: Справочник.Склады
        withheld: [Чтение]
      - object: Справочник.Товары
        fields:
          - {field: Цена, withheld: [Редактирование]}
  - name: Цены
    set_for_attributes_by_default: false
    independent_rights_of_child_objects: true
    objects:
      - object: Справочник.Товары
        fields:
          - {field: Цена, rights: [Просмотр]}
`

// TestHasRight asks the policy what 1C's ПравоДоступа answers for roles
// with the role editor's flags: rights of objects the role does not name,
// global rights, withheld rights, and rights of fields.
func TestHasRight(t *testing.T) {
	cfg, err := metadata.LoadSources(map[string][]byte{"c.yaml": []byte(rightsConfig)})
	if err != nil {
		t.Fatal(err)
	}
	p := NewPolicy(cfg)
	cases := []struct {
		role, right, object, field string
		want                       bool
	}{
		{"ПолныеПрава", "Чтение", "Справочник.Товары", "", true},
		{"ПолныеПрава", "ИнтерактивноеУдалениеПредопределенныхДанных", "Справочник.Товары", "", true},
		{"ПолныеПрава", "Чтение", "Справочник.Склады", "", false},
		{"ПолныеПрава", "Изменение", "Справочник.Склады", "", true},
		{"ПолныеПрава", "АдминистрированиеДанных", "", "", true},
		{"ПолныеПрава", "Администрирование", "", "", false},
		{"ПолныеПрава", "Просмотр", "Справочник.Товары", "Цена", true},
		{"ПолныеПрава", "Редактирование", "Справочник.Товары", "Цена", false},
		{"Цены", "Просмотр", "Справочник.Товары", "", false},
		{"Цены", "Просмотр", "Справочник.Товары", "Цена", true},
		{"Цены", "Редактирование", "Справочник.Товары", "Цена", false},
	}
	for _, c := range cases {
		var got bool
		var err error
		if c.field == "" {
			got, err = p.HasRight([]string{c.role}, c.right, c.object)
		} else {
			got, err = p.HasFieldRight([]string{c.role}, c.right, c.object, c.field)
		}
		if err != nil || got != c.want {
			t.Errorf("%s %s %s %s: %v, %v; want %v", c.role, c.right, c.object, c.field, got, err, c.want)
		}
	}
	s, err := p.Session([]string{"ПолныеПрава"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for object, want := range map[string]Decision{"Справочник.Товары": Allowed, "Справочник.Склады": Denied} {
		if plan, err := s.Plan(object, vocab.Read, Fields{All: true}); err != nil || plan.Decision != want {
			t.Errorf("%s: %v, %v; want %v", object, plan.Decision, err, want)
		}
	}
}

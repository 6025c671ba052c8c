package rls

import (
	"strings"
	"testing"

	"dostup/metadata"
	"dostup/metadata/vocab"
	"dostup/sdbl/preproc"
)

// planConfig has a catalog with a field restriction and a message variant
// behind a functional option, in three roles.
const planConfig = `
configuration: {name: План, language: ru}
catalogs:
  - name: Организации
  - name: Товары
    attributes:
      - {name: Организация, type: Справочник.Организации}
      - {name: Закупочная, type: "Число(15, 2)"}
constants:
  - {name: Закрыто, type: Булево}
session_parameters:
  - {name: Организация, type: Справочник.Организации}
functional_options:
  - {name: Закрыто, constant: Константа.Закрыто}
roles:
  - name: Продавец
    objects:
      - object: Справочник.Товары
        rights: [Чтение, Изменение]
        restrictions:
          - {right: Чтение, condition: ГДЕ Организация = &Организация}
          - {right: Чтение, fields: [Закупочная], condition: ГДЕ ЛОЖЬ}
          - {right: Изменение, condition: '#Если &Закрыто #Тогда Ошибка: период закрыт #Иначе ГДЕ Организация = &Организация #КонецЕсли'}
  - name: Закупщик
    objects:
      - object: Справочник.Товары
        rights: [Чтение]
        restrictions:
          - {right: Чтение, fields: [Закупочная], condition: ГДЕ Организация = &Организация}
  - name: Гость
    objects:
      - {object: Справочник.Организации, rights: [Чтение]}
`

// TestPlan is the §3.2 table of decisions: AND within a role (the
// restrictions that apply to the fields read), OR across roles, a role
// without an applying restriction allowing all, a message variant denying.
func TestPlan(t *testing.T) {
	cfg, err := metadata.LoadSources(map[string][]byte{"c.yaml": []byte(planConfig)})
	if err != nil {
		t.Fatal(err)
	}
	policy := NewPolicy(cfg)
	lower := func(name string) (string, bool) { return strings.ToLower(name), true }
	cases := []struct {
		name   string
		roles  []string
		params preproc.Params
		right  vocab.Right
		fields Fields
		want   string
	}{
		{"no role grants", []string{"Гость"}, nil, vocab.Read, Fields{}, "denied"},
		{"other fields only", []string{"Продавец"}, nil, vocab.Read, Fields{Used: []string{"наименование"}, Key: lower},
			"Продавец: ГДЕ Организация = &Организация"},
		{"field and other fields: AND", []string{"Продавец"}, nil, vocab.Read, Fields{Used: []string{"закупочная", "наименование"}, Key: lower},
			"Продавец: ГДЕ Организация = &Организация AND ГДЕ ЛОЖЬ"},
		{"only the named field", []string{"Продавец"}, nil, vocab.Read, Fields{Used: []string{"закупочная"}, Key: lower},
			"Продавец: ГДЕ ЛОЖЬ"},
		{"no field read: OR of all", []string{"Продавец"}, nil, vocab.Read, Fields{},
			"Продавец: ГДЕ Организация = &Организация OR ГДЕ ЛОЖЬ"},
		{"every field", []string{"Продавец"}, nil, vocab.Read, Fields{All: true},
			"Продавец: ГДЕ Организация = &Организация AND ГДЕ ЛОЖЬ"},
		{"a role with no applying restriction allows all", []string{"Продавец", "Закупщик"}, nil, vocab.Read, Fields{Used: []string{"наименование"}, Key: lower},
			"allowed"},
		{"OR across roles", []string{"Продавец", "Закупщик"}, nil, vocab.Read, Fields{Used: []string{"закупочная"}, Key: lower},
			"Продавец: ГДЕ ЛОЖЬ | Закупщик: ГДЕ Организация = &Организация"},
		{"message variant", []string{"Продавец"}, preproc.Params{"Закрыто": true}, vocab.Update, Fields{All: true},
			"denied: период закрыт"},
		{"the other branch", []string{"Продавец"}, preproc.Params{"Закрыто": false}, vocab.Update, Fields{All: true},
			"Продавец: ГДЕ Организация = &Организация"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := policy.Session(c.roles, c.params)
			if err != nil {
				t.Fatal(err)
			}
			p, err := s.Plan("Справочник.Товары", c.right, c.fields)
			if err != nil {
				t.Fatal(err)
			}
			if got := planText(p); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// planText prints a plan: its decision, or each role's conditions.
func planText(p Plan) string {
	switch p.Decision {
	case Allowed:
		return "allowed"
	case Denied:
		if p.Message != "" {
			return "denied: " + p.Message
		}
		return "denied"
	}
	var roles []string
	for _, r := range p.Roles {
		var conds []string
		for _, c := range r.Conditions {
			conds = append(conds, strings.Join(strings.Fields(c.Text.Body), " "))
		}
		op := " AND "
		if r.Any {
			op = " OR "
		}
		roles = append(roles, r.Role+": "+strings.Join(conds, op))
	}
	return strings.Join(roles, " | ")
}

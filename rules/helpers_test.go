package rules

import (
	"strings"
	"testing"
	"time"
)

type timeT = time.Time

// testConfig is a small configuration for unit tests: the wholesale
// properties plus a date, with a few groups and a synonym.
func testConfig(t testing.TB) *Config {
	t.Helper()
	cfg, err := NewConfig([]*Property{
		{Name: "Пользователь", EN: "User", Type: Type{Kind: Reference}},
		{Name: "Роль", EN: "Role"},
		{Name: "Действие", EN: "Action"},
		{Name: "ВидОбъекта", EN: "ObjectKind"},
		{Name: "Скидка", EN: "Discount", Type: Type{Kind: Number}},
		{Name: "Товары", EN: "Goods", Type: Type{Kind: Reference, List: true}},
		{Name: "ДатаДокумента", EN: "DocumentDate", Type: Type{Kind: Date}},
	})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(cfg.AddGroup("Роль", "Менеджер", "Стажер"))
	must(cfg.AddGroup("Товары", "Алкоголь", "Водка", "Коньяк"))
	must(cfg.AddGroup("Товары", "Продукты", "Хлеб", "Молоко"))
	must(cfg.AddGroup("ВидОбъекта", "Торговые документы", "Расходная", "Приходная"))
	must(cfg.AddSynonyms("Пользователь", "Иванов", "Петров"))
	return cfg
}

// rule builds a rule from Name=condition pairs.
func rule(id string, e Effect, conds ...string) *Rule {
	r := &Rule{ID: id, Effect: e}
	for _, c := range conds {
		k, v, _ := strings.Cut(c, "=")
		r.Conditions = append(r.Conditions, Condition{Property: k, Text: v})
	}
	return r
}

func withPriority(r *Rule, p int) *Rule {
	r.Priority, r.HasPriority = p, true
	return r
}

package rules

import (
	"context"
	"testing"
)

func TestLintWholesaleIsClean(t *testing.T) {
	set, err := loadWholesale(t).At(timeT{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range set.Lint() {
		t.Errorf("%s", f)
	}
}

func TestLintFinds(t *testing.T) {
	cfg := testConfig(t)
	set, err := Compile(cfg, []*Rule{
		rule("a", Allow, "Роль=Менеджер", "Действие=Правка"),
		rule("b", Deny, "Действие=Правка", "ВидОбъекта=Расходная"),      // conflicts with a (Менеджер, Правка, Расходная)
		rule("c", Allow, "Роль=Менеджер", "Действие=Правка"),            // repeats a
		rule("d", Deny, "Роль=Менеджер, Стажер", "Действие=Правка"),     // with c and a: overlapping, d is a list vs exact...
		rule("e", Allow, "Роль=Стажер", "Действие=Правка", "Скидка=>5"), // narrower than d
		withPriority(rule("f", Deny, "Действие=Правка"), 0),             // outranks a, c, e: they never decide
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range set.Lint() {
		got[f.Kind+" "+f.Rule+" "+f.Other] = true
		got[f.Kind+" "+f.Rule] = true
		t.Log(f)
	}
	for _, want := range []string{"conflict b a", "shadowed a f", "shadowed c", "shadowed d f", "shadowed e f"} {
		if !got[want] {
			t.Errorf("missing %q", want)
		}
	}
	_ = context.Background()
}

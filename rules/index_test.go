package rules

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// decideByScan is Decide without the index: every rule evaluated against
// every property, loaded up front. The index must change how fast a
// decision is made, never what it decides nor its trace.
func decideByScan(s *Set, req *Request) (*Decision, error) {
	n := len(s.cfg.Properties)
	st := make([]propState, n)
	for name, v := range req.Values {
		p, _ := s.cfg.Property(name)
		st[p.index].raw, st[p.index].given = v, true
	}
	for pi := range st {
		if err := s.load(context.Background(), req, st, pi); err != nil {
			return nil, err
		}
	}
	var matched []match
	for ri, c := range s.rules {
		levels := make([]Level, n)
		if s.eval(c, st, levels) {
			matched = append(matched, match{ri: ri, levels: levels})
		}
	}
	return s.resolve(matched, st), nil
}

// decisionText is a decision as a person reads it: effect, rule, and each
// step with its outcome and levels.
func decisionText(d *Decision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", d.Effect)
	if d.Rule != nil {
		fmt.Fprintf(&b, " by %s", d.Rule.ID)
	}
	for _, st := range d.Trace {
		fmt.Fprintf(&b, "; %s %s", st.Rule, st.Outcome)
		for _, m := range st.Matched() {
			fmt.Fprintf(&b, " %s:%s", m.Property, m.Level)
		}
	}
	return b.String()
}

// TestIndexAgreesWithScan decides random requests over random rule sets of
// every size the index treats differently (a handful, a few words of
// rules, thousands) with conditions of every form (values, groups, lists,
// NOT, numbers, ranges), by the index and by a scan of every rule.
func TestIndexAgreesWithScan(t *testing.T) {
	cfg := testConfig(t)
	r := rand.New(rand.NewPCG(1, 2))
	roles := []string{"Менеджер", "Стажер", "Кладовщик", "Бухгалтер", "Р1", "Р2", "Р3", "Р4", "Р5", "Р6", "Р7"}
	acts := []string{"Чтение", "Запись", "Проведение", "Удаление"}
	kinds := []string{"Расходная", "Приходная", "Торговые документы", "Счет", "Акт"}
	goods := []string{"Водка", "Коньяк", "Хлеб", "Молоко", "Алкоголь", "Продукты", "Сыр"}
	users := []string{"Иванов", "Петров", "Сидоров"}
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	condOf := func(list []string) string {
		switch r.IntN(6) {
		case 0:
			return "НЕ " + pick(list)
		case 1:
			return pick(list) + ", " + pick(list)
		}
		return pick(list)
	}
	for _, size := range []int{3, 40, 130, 700, 3000} {
		var rs []*Rule
		for i := range size {
			var conds []string
			if r.IntN(10) > 0 {
				conds = append(conds, "Роль="+condOf(roles))
			}
			if r.IntN(3) > 0 {
				conds = append(conds, "Действие="+condOf(acts))
			}
			if r.IntN(2) > 0 {
				conds = append(conds, "ВидОбъекта="+condOf(kinds))
			}
			if r.IntN(5) == 0 {
				conds = append(conds, "Товары="+condOf(goods))
			}
			if r.IntN(6) == 0 {
				conds = append(conds, "Пользователь="+pick(users))
			}
			if r.IntN(7) == 0 {
				conds = append(conds, []string{"Скидка=>1000", "Скидка=500..2000", "Скидка=1500"}[r.IntN(3)])
			}
			e := Allow
			if r.IntN(4) == 0 {
				e = Deny
			}
			ru := rule(fmt.Sprintf("r%d", i), e, conds...)
			if r.IntN(20) == 0 {
				ru = withPriority(ru, r.IntN(3))
			}
			rs = append(rs, ru)
		}
		s, err := Compile(cfg, rs)
		if err != nil {
			t.Fatal(err)
		}
		for q := range 300 {
			values := map[string]any{}
			if r.IntN(10) > 0 {
				values["Роль"] = pick(roles)
			}
			if r.IntN(8) > 0 {
				values["Действие"] = pick(acts)
			}
			if r.IntN(3) > 0 {
				values["ВидОбъекта"] = pick(kinds)
			}
			if r.IntN(3) == 0 {
				values["Товары"] = []string{pick(goods), pick(goods)}
			}
			if r.IntN(2) == 0 {
				values["Пользователь"] = pick(users)
			}
			if r.IntN(2) == 0 {
				values["Скидка"] = r.IntN(3000)
			}
			req := &Request{Values: values}
			got, err := s.Decide(context.Background(), req)
			if err != nil {
				t.Fatalf("%d rules, request %d %v: %v", size, q, values, err)
			}
			want, err := decideByScan(s, req)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := decisionText(got), decisionText(want); g != w {
				t.Fatalf("%d rules, request %v:\nindex: %s\nscan:  %s", size, values, g, w)
			}
		}
	}
}

// TestTrimValue: the shortcut trims exactly what strings.TrimSpace does.
func TestTrimValue(t *testing.T) {
	for _, s := range []string{"", "a", " a", "a ", "ab", "Роль", " Роль", "Роль ", "Роль\u00a0", "\u00a0Роль", "\u3000x\u3000", "x\u2009",
		"Р1", "1Р", "Вид 3", "\tx\n", "Ё", "é", "a\u0085", "ab\u00a0", "\u2028ab", "ï", "ab "} {
		if got, want := trimValue(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimValue(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzTrimValue(f *testing.F) {
	for _, s := range []string{"Роль", " a", "a\u00a0", "\u3000Р", "x\u2009", "\x80a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimValue(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimValue(%q) = %q, want %q", s, got, want)
		}
	})
}

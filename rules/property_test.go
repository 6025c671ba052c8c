package rules

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

// gen draws random rules and contexts over testConfig's properties from a
// seed, so a failure names the seed that reproduces it.
type gen struct{ r *rand.Rand }

var genValues = map[string][]string{
	"Пользователь": {"Иванов", "Петров", "Сидоров"},
	"Роль":         {"Менеджер", "Стажер", "Кладовщик", "Менеджер, Кладовщик", "НЕ Стажер"},
	"Действие":     {"Правка", "Проведение", "Правка, Проведение"},
	"ВидОбъекта":   {"Расходная", "Приходная", "Торговые документы", "<>Расходная"},
	"Скидка":       {">1000", "<=500", "100..2000", "1500"},
	"Товары":       {"Водка", "Хлеб", "Алкоголь", "НЕ Алкоголь", "Продукты"},
}

var genContext = map[string][]any{
	"Пользователь": {"Иванов", "Петров", "Сидоров"},
	"Роль":         {"Менеджер", "Стажер", "Кладовщик"},
	"Действие":     {"Правка", "Проведение"},
	"ВидОбъекта":   {"Расходная", "Приходная"},
	"Скидка":       {0, 500, 1000, 1500, 3000},
	"Товары":       {"Водка", "Хлеб", "Водка,Хлеб", "Молоко"},
}

func (g gen) rule(id string) *Rule {
	r := &Rule{ID: id, Effect: Effect(g.r.Intn(2))}
	for _, p := range []string{"Пользователь", "Роль", "Действие", "ВидОбъекта", "Скидка", "Товары"} {
		if g.r.Intn(3) == 0 {
			vs := genValues[p]
			r.Conditions = append(r.Conditions, Condition{Property: p, Text: vs[g.r.Intn(len(vs))]})
		}
	}
	return r
}

func (g gen) context() map[string]any {
	m := map[string]any{}
	for p, vs := range genContext {
		m[p] = vs[g.r.Intn(len(vs))]
	}
	return m
}

func decide(t *testing.T, s *Set, vals map[string]any) *Decision {
	t.Helper()
	d, err := s.Decide(context.Background(), &Request{Values: vals})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// exactRule is the most specific rule possible for a context: an exact
// value on every property.
func exactRule(id string, e Effect, vals map[string]any) *Rule {
	r := &Rule{ID: id, Effect: e}
	for _, p := range []string{"Пользователь", "Роль", "Действие", "ВидОбъекта", "Скидка", "Товары"} {
		v := fmt.Sprint(vals[p])
		if p == "Товары" {
			v, _, _ = strings.Cut(v, ",") // one of the goods, exactly: any may match
		}
		r.Conditions = append(r.Conditions, Condition{Property: p, Text: v})
	}
	r.Conditions = append(r.Conditions, Condition{Property: "ДатаДокумента", Text: "01.01.2004"})
	return r
}

// TestMoreSpecificDecides: adding a rule more specific than every rule
// matching a context decides that context, whatever it says.
func TestMoreSpecificDecides(t *testing.T) {
	cfg := testConfig(t)
	for seed := int64(0); seed < 300; seed++ {
		g := gen{rand.New(rand.NewSource(seed))}
		var rs []*Rule
		for i := 0; i < 1+g.r.Intn(12); i++ {
			rs = append(rs, g.rule(fmt.Sprintf("r%d", i)))
		}
		vals := g.context()
		vals["ДатаДокумента"] = "01.01.2004"
		for _, e := range []Effect{Allow, Deny} {
			s, err := Compile(cfg, append(append([]*Rule(nil), rs...), exactRule("specific", e, vals)))
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			d := decide(t, s, vals)
			if d.Effect != e || d.Rule == nil || d.Rule.ID != "specific" {
				t.Fatalf("seed %d, %s: decided %s by %v\n%s", seed, e, d.Effect, d.Rule, traceText(d))
			}
		}
	}
}

// TestOrdersReplay: removing a rule by a later order restores the decision
// before the order that added it, and a decision at a past date uses the
// rules in force then.
func TestOrdersReplay(t *testing.T) {
	cfg := testConfig(t)
	day := func(n int) time.Time { return time.Date(2004, 1, 1+n, 0, 0, 0, 0, time.UTC) }
	for seed := int64(0); seed < 200; seed++ {
		g := gen{rand.New(rand.NewSource(seed))}
		var orders []*Order
		for i := 0; i < 1+g.r.Intn(8); i++ {
			orders = append(orders, &Order{Number: i + 1, Date: day(i * 10), Author: "t", Add: []*Rule{g.rule(fmt.Sprintf("r%d", i))}})
		}
		reg, err := NewRegister(cfg, nil, orders)
		if err != nil {
			t.Fatal(err)
		}
		// Each later order removes the rule of order k.
		k := g.r.Intn(len(orders))
		removal := &Order{Number: 100, Date: day(1000), Author: "t", Remove: []string{fmt.Sprintf("r%d", k)}}
		reg2, err := reg.With(removal)
		if err != nil {
			t.Fatal(err)
		}
		// The register without order k, as if it never was.
		var without []*Order
		for i, o := range orders {
			if i != k {
				without = append(without, o)
			}
		}
		reg3, err := NewRegister(cfg, nil, without)
		if err != nil {
			t.Fatal(err)
		}
		for c := 0; c < 20; c++ {
			vals := g.context()
			after, _ := reg2.At(day(2000))
			never, _ := reg3.At(day(2000))
			if a, b := decide(t, after, vals), decide(t, never, vals); a.Effect != b.Effect {
				t.Fatalf("seed %d: removing r%d gives %s, never having it %s", seed, k, a.Effect, b.Effect)
			}
			// At each past date, the register with the removal decides as
			// the register of the orders up to that date.
			for i := range orders {
				past, _ := reg2.At(day(i*10 + 5))
				upto, err := NewRegister(cfg, nil, orders[:i+1])
				if err != nil {
					t.Fatal(err)
				}
				then, _ := upto.At(time.Time{})
				if a, b := decide(t, past, vals), decide(t, then, vals); a.Effect != b.Effect || (a.Rule == nil) != (b.Rule == nil) {
					t.Fatalf("seed %d: at day %d: %s vs %s", seed, i*10+5, a.Effect, b.Effect)
				}
			}
		}
	}
}

// TestResolutionOrder checks the four steps against a direct reading of
// SPEC §4 on random rule sets: the effect equals "deny if any rule left
// after steps 1 and 2 denies, allow if some is left, else deny".
func TestResolutionOrder(t *testing.T) {
	cfg := testConfig(t)
	for seed := int64(0); seed < 300; seed++ {
		g := gen{rand.New(rand.NewSource(seed))}
		var rs []*Rule
		for i := 0; i < 1+g.r.Intn(15); i++ {
			r := g.rule(fmt.Sprintf("r%d", i))
			if g.r.Intn(5) == 0 {
				r.Priority, r.HasPriority = g.r.Intn(3), true
			}
			rs = append(rs, r)
		}
		s, err := Compile(cfg, rs)
		if err != nil {
			t.Fatal(err)
		}
		for c := 0; c < 20; c++ {
			vals := g.context()
			d := decide(t, s, vals)
			// Every matching rule is in the trace, and only those.
			matched := 0
			for _, r := range rs {
				one, _ := Compile(cfg, []*Rule{r})
				if decide(t, one, vals).Rule != nil {
					matched++
				}
			}
			if matched != len(d.Trace) {
				t.Fatalf("seed %d: %d rules match alone, the trace has %d", seed, matched, len(d.Trace))
			}
			left := map[Effect]bool{}
			for _, st := range d.Trace {
				if st.Outcome == Decides || st.Outcome == Agrees || st.Outcome == Overruled {
					left[st.Effect] = true
				}
			}
			want := Deny
			if left[Allow] && !left[Deny] {
				want = Allow
			}
			if d.Effect != want {
				t.Fatalf("seed %d: %s, the rules left say %s\n%s", seed, d.Effect, want, traceText(d))
			}
		}
	}
}

func TestProvidersAreLazy(t *testing.T) {
	cfg := testConfig(t)
	s, err := Compile(cfg, []*Rule{
		rule("a", Allow, "Роль=Менеджер"),
		rule("b", Deny, "Роль=Стажер", "Скидка=>1000"),
	})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	discount := func(ctx context.Context, req *Request) (any, error) { calls++; return 1500, nil }
	req := &Request{Values: map[string]any{"Роль": "Кладовщик"}, Providers: map[string]Provider{"Скидка": discount}}
	if d := decide2(t, s, req); d.Effect != Deny || calls != 0 {
		t.Errorf("Кладовщик: %s, provider called %d times (no candidate needs Скидка)", d.Effect, calls)
	}
	req.Values["Роль"] = "Стажер"
	if d := decide2(t, s, req); d.Effect != Deny || d.Rule.ID != "b" || calls != 1 {
		t.Errorf("Стажер: %s by %v, provider called %d times", d.Effect, d.Rule, calls)
	}
}

func decide2(t *testing.T, s *Set, req *Request) *Decision {
	t.Helper()
	d, err := s.Decide(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestConditions(t *testing.T) {
	cfg := testConfig(t)
	cases := []struct {
		prop, cond string
		value      any
		match      bool
		level      Level
	}{
		{"Роль", "Стажер", "Стажер", true, Exact},
		{"Роль", "Менеджер", "Стажер", true, Group},
		{"Роль", "Менеджер, Кладовщик", "Кладовщик", true, Similar},
		{"Роль", "НЕ Менеджер", "Стажер", false, 0},
		{"Роль", "НЕ Менеджер", "Кладовщик", true, Group},
		{"Роль", "<>Стажер", "Менеджер", true, Group},
		{"Пользователь", "Иванов", "Петров", true, Similar},
		{"Товары", "Алкоголь", []string{"Хлеб", "Коньяк"}, true, Group},
		{"Товары", "НЕ Алкоголь", []string{"Хлеб", "Коньяк"}, false, 0},
		{"Скидка", ">1000", 1000, false, 0},
		{"Скидка", ">=1000", 1000, true, Group},
		{"Скидка", "1000", 1000, true, Exact},
		{"Скидка", "1 000", 1000, true, Exact},
		{"Скидка", "500..1000", 1000, true, Group},
		{"Скидка", "500, 1000", 1000, true, Similar},
		{"ДатаДокумента", "01.01.2004..31.12.2004", "31.12.2004 23:59:59", true, Group},
		{"ДатаДокумента", "01.01.2004..31.12.2004", "01.01.2005", false, 0},
		{"ДатаДокумента", "> «01.01.2004»", "01.01.2004 18:00", false, 0},
		{"ДатаДокумента", "> 01.01.2004", "2004-01-02", true, Group},
		{"ДатаДокумента", "<= 01.01.2004", "01.01.2004 18:00", true, Group},
		{"ДатаДокумента", "01.01.2004", "01.01.2004 18:00", true, Exact},
	}
	for _, c := range cases {
		s, err := Compile(cfg, []*Rule{rule("r", Allow, c.prop+"="+c.cond)})
		if err != nil {
			t.Fatalf("%s %s: %v", c.prop, c.cond, err)
		}
		d := decide(t, s, map[string]any{c.prop: c.value})
		if got := d.Rule != nil; got != c.match {
			t.Errorf("%s %q on %v: match %v, want %v", c.prop, c.cond, c.value, got, c.match)
			continue
		}
		if c.match {
			if l := d.Trace[0].Matched()[0].Level; l != c.level.String() {
				t.Errorf("%s %q on %v: level %s, want %s", c.prop, c.cond, c.value, l, c.level)
			}
		}
	}
	for _, bad := range []struct{ prop, cond, msg string }{
		{"Роль", ">Менеджер", "applies to numbers and dates"},
		{"Скидка", "5..1", "is empty"},
		{"Скидка", "abc", "not a number"},
		{"ДатаДокумента", "32.01.2004", "not a date"},
		{"Роль", `"Менеджер`, "not closed"},
		{"Роль", "НЕ", "needs a condition"},
		{"Роль", "a,,b", "missing"},
	} {
		_, err := Compile(cfg, []*Rule{rule("r", Allow, bad.prop+"="+bad.cond)})
		if err == nil || !contains(err.Error(), bad.msg) {
			t.Errorf("%s %q: %v, want %q", bad.prop, bad.cond, err, bad.msg)
		}
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOfStr(s, sub) >= 0)
}

func indexOfStr(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

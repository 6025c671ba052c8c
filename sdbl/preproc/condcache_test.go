package preproc

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// TestCachedConditionsStandWhereWritten parses one condition in texts that
// place it differently: the second and later parses come from the cache,
// and their errors must still point at their own text.
func TestCachedConditionsStandWhereWritten(t *testing.T) {
	cond := `#Если &Режим = "Полный" И "Чтение" = "Чтение" #Тогда y#КонецЕсли`
	for _, tt := range []struct {
		prefix string
		want   string
	}{
		{"", `t.txt:1:7: session parameter "&Режим" is not set`},
		{"ГДЕ\n  ", `t.txt:2:9: session parameter "&Режим" is not set`},
		{"ГДЕ ИСТИНА И\n\n   x ", `t.txt:3:12: session parameter "&Режим" is not set`},
	} {
		p := mustParse(t, tt.prefix+cond)
		_, err := p.Eval(nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: got %v, want %s", tt.prefix, err, tt.want)
		}
	}
}

// TestCachedConditionsKeepFirstSpelling holds the program's rule that a
// parameter is named by its first spelling, when the condition that spells
// it otherwise was cached from a text that spelled it so first.
func TestCachedConditionsKeepFirstSpelling(t *testing.T) {
	mustParse(t, "#Если &режимB #Тогда a#КонецЕсли") // caches the lower-case spelling
	p := mustParse(t, "#Если &РежимB = 1 #Тогда a#КонецЕсли #Если &режимB #Тогда b#КонецЕсли")
	set, err := p.Variants(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range set.Variants {
		for _, a := range v.Assumptions {
			if strings.Contains(a.Atom, "режимB") {
				t.Errorf("atom %q: want the first spelling &РежимB", a.Atom)
			}
		}
	}
}

// TestFoldedConditions checks that conditions decided without parameters
// give the texts they gave before folding, and that one whose evaluation
// fails still fails at its place.
func TestFoldedConditions(t *testing.T) {
	p := mustParse(t, `#Если "Чтение" = "Изменение" ИЛИ Не СтрСодержит("a;b", "b") #Тогда x#ИначеЕсли &П И 2 + 3 = 5 #Тогда y#Иначе z#КонецЕсли`)
	set, err := p.Variants(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range set.Variants {
		got = append(got, v.Text.Body)
	}
	sort.Strings(got)
	if strings.Join(got, "|") != " y| z" {
		t.Errorf("variants %q, want [\" y\" \" z\"]", got)
	}
	for i := 0; i < 2; i++ { // parsed, then from the cache
		p := mustParse(t, "\n"+`#Если "a" < 1 #Тогда x#КонецЕсли`)
		_, err = p.Eval(nil)
		if want := `t.txt:2:11: cannot compare "a" < 1`; err == nil || err.Error() != want {
			t.Errorf("pass %d: got %v, want %s", i, err, want)
		}
	}
}

// FuzzCondCache parses a text with the cache of conditions and without it:
// the texts, choices and errors must be the same.
func FuzzCondCache(f *testing.F) {
	for _, s := range []string{
		`#Если &X = "a" И "b" = "b" #Тогда a #Иначе b #КонецЕсли`,
		"x\n#Если Не СтрСодержит(&P, \"Р\" + \":\") ИЛИ 1 < \"a\" #Тогда J #КонецЕсли",
		"#If &a Or &A #Then x #ElseIf #Параметр(1) = \"\" #Then y #EndIf",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		outcome := func() string {
			p, err := Parse(text("f.txt", s))
			if err != nil {
				return "parse: " + err.Error()
			}
			var b strings.Builder
			got, err := p.Eval(Params{"X": true, "A": false, "P": "Все"})
			fmt.Fprintf(&b, "eval %q %v\n", got.Body, err)
			vs, err := p.Variants(Options{Limit: 8, MaxPasses: 20, RandomPasses: 4})
			if err != nil {
				return b.String() + err.Error()
			}
			for _, v := range vs.Variants {
				fmt.Fprintf(&b, "%q %v\n", v.Text.Body, v.Assumptions)
			}
			fmt.Fprintln(&b, vs.Errors, vs.Covered, vs.Branches)
			return b.String()
		}
		cached, again := outcome(), outcome()
		condCacheOn = false
		plain := outcome()
		condCacheOn = true
		if cached != plain || again != plain {
			t.Fatalf("with the cache:\n%s\nagain:\n%s\nwithout:\n%s", cached, again, plain)
		}
	})
}

package rules

import (
	"testing"
)

// FuzzParseCond: the condition parser never panics, and what it accepts
// prints back to a text that parses to the same condition.
func FuzzParseCond(f *testing.F) {
	for _, s := range []string{"Стажер", "Менеджер, Стажер", ">1000", ">= 7", "<7", "01.01.2004..31.12.2004", "НЕ Алкоголь, Табак", "<>Водка", `"Рога, копыта"`, "«01.01.2004»", "1 000..2 000", "*", "", "НЕ", "a,,b", `"a""b"`} {
		for k := 0; k < 3; k++ {
			f.Add(s, uint8(k))
		}
	}
	types := []Type{{Kind: String}, {Kind: Number}, {Kind: Date}}
	f.Fuzz(func(t *testing.T, text string, k uint8) {
		typ := types[int(k)%len(types)]
		c, err := ParseCond(text, typ)
		if err != nil {
			var ce *CondError
			if !asCondError(err, &ce) || ce.Offset < 0 || ce.Offset > len(text) {
				t.Fatalf("%q: error without a valid offset: %v", text, err)
			}
			return
		}
		printed := c.String()
		c2, err := ParseCond(printed, typ)
		if err != nil {
			t.Fatalf("%q printed as %q does not parse: %v", text, printed, err)
		}
		if c2.String() != printed || c2.Not != c.Not || len(c2.Terms) != len(c.Terms) {
			t.Fatalf("%q → %q → %q", text, printed, c2.String())
		}
		for i := range c.Terms {
			a, b := c.Terms[i], c2.Terms[i]
			if a.Value.S != b.Value.S || a.Lo != b.Lo || a.Hi != b.Hi || a.LoOpen != b.LoOpen || a.HiOpen != b.HiOpen || a.Point != b.Point {
				t.Fatalf("%q: term %d differs after printing: %+v vs %+v", text, i, a, b)
			}
		}
	})
}

func asCondError(err error, target **CondError) bool {
	ce, ok := err.(*CondError)
	*target = ce
	return ok
}

// FuzzParseDate: dates never panic, and a parsed date prints and parses back.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"31.12.2004", "1.1.2004", "31.12.2004 18:00:00", "2004-12-31", "2004-12-31T18:00:00", "2004-12-31T18:00:00+03:00", "32.13.2004", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, whole, err := ParseDate(s)
		if err != nil {
			return
		}
		v := Value{N: float64(d.Unix())}
		d2, whole2, err := ParseDate(v.format(Date))
		if err != nil || !d2.Equal(d) || (whole && !whole2) {
			t.Fatalf("%q → %s → %v %v", s, v.format(Date), d2, err)
		}
	})
}

// FuzzLoad: the YAML loader never panics on any file, and every error it
// reports names a place.
func FuzzLoad(f *testing.F) {
	f.Add("properties:\n  - name: Роль\nrules:\n  - id: a\n    Роль: Менеджер\n    effect: allow\n")
	f.Add("properties:\n  - name: Скидка\n    type: число\norder:\n  number: 1\n  date: 01.01.2004\n  author: x\n  add:\n    - id: a\n      Скидка: >1000\n      effect: deny\n")
	f.Add("groups:\n  Роль:\n    Менеджер: [Стажер]\n")
	f.Fuzz(func(t *testing.T, src string) {
		_, err := LoadSources(map[string][]byte{"f.yaml": []byte(src)})
		if l, ok := err.(ErrorList); ok {
			for _, e := range l {
				if e.Pos.File == "" && e.Code != "properties" && e.Code != "groups" && e.Code != "config" {
					t.Fatalf("an error without a place: %v", e)
				}
			}
		}
	})
}

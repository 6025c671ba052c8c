package testcorpus

import (
	"testing"

	"dostup/onecxml"
)

// Names are the configurations of the corpus.
var Names = []string{"ssl31", "ssl31en"}

// Conditions returns every restriction and template text of every role of
// the named configurations, as written (after XML decoding). Fuzz targets of
// the lexer, the template expander and the preprocessor are seeded with them.
func Conditions(tb testing.TB, names ...string) []string {
	tb.Helper()
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, r := range Rights(tb, names...) {
		for _, o := range r.Objects {
			for _, rt := range o.Rights {
				for _, x := range rt.Restrictions {
					add(x.Condition.Text)
				}
			}
		}
		for _, t := range r.Templates {
			add(t.Condition.Text)
		}
	}
	return out
}

// Rights reads every role of the named configurations (all when none).
func Rights(tb testing.TB, names ...string) []*onecxml.Rights {
	tb.Helper()
	if len(names) == 0 {
		names = Names
	}
	var out []*onecxml.Rights
	for _, n := range names {
		files, err := onecxml.FindRights(Dir(tb, n))
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			r, err := onecxml.ReadRights(f)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, r)
		}
	}
	return out
}

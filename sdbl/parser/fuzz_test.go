package parser_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/internal/testcorpus"
	"dostup/onecxml"
	"dostup/sdbl/parser"
	"dostup/sdbl/preproc"
	"dostup/sdbl/printer/printertest"
	"dostup/sdbl/source"
	"dostup/sdbl/template"
)

// maxFuzzLen keeps inputs small enough that one run is fast; the grammar's
// interesting shapes are all short.
const maxFuzzLen = 4096

// seed adds the printer's cases of a kind, and the inputs of its golden
// files, to the corpus of a fuzz target.
func seed(f *testing.F, kind printertest.Kind) {
	for _, c := range printertest.Cases {
		if c.Kind == kind || kind == printertest.Restriction && c.Kind == printertest.Expr {
			in := c.In
			if c.Kind == printertest.Expr {
				in = "ГДЕ " + in
			}
			f.Add(in)
		}
	}
	files, _ := filepath.Glob("../printer/testdata/*.golden")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		head := "-- " + string(kind) + " --\n"
		if s, ok := strings.CutPrefix(string(data), head); ok {
			if i := strings.Index(s, "\n-- ru --"); i >= 0 {
				f.Add(s[:i])
			}
		}
	}
}

// check holds one fuzz input to the parser's contract: every problem is a
// *source.Error at a real place of the text, and an accepted text round-trips
// through the printer.
func check(t *testing.T, kind printertest.Kind, text string, err error) {
	if err != nil {
		var list source.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error is not a non-empty source.ErrorList: %T %v", err, err)
		}
		for _, e := range list {
			if e.Loc.File == nil || e.Loc.Offset < 0 || e.Loc.Offset > len(text) || !e.Loc.Position().IsValid() {
				t.Fatalf("error without a valid position: %v (offset %d of %d)", e, e.Loc.Offset, len(text))
			}
			if e.Msg == "" {
				t.Fatalf("error without a message at %v", e.Loc)
			}
		}
		return
	}
	if err := printertest.RoundTrip(kind, text); err != nil {
		t.Fatalf("input %q: %v", text, err)
	}
}

// corpusVariants returns distinct restriction texts of the corpus
// after template expansion and preprocessing (a few variants of each
// restriction), no longer than maxLen bytes: seeds for the parser's fuzz
// targets.
func corpusVariants(tb testing.TB, maxLen int) []string {
	tb.Helper()
	var out []string
	seen := map[string]bool{}
	for _, r := range testcorpus.Rights(tb) {
		var list []*template.Template
		for _, t := range r.Templates {
			if tt, err := template.New(t.Name, t.Condition); err == nil {
				list = append(list, tt)
			}
		}
		set, err := template.NewSet(list...)
		if err != nil {
			tb.Fatal(err)
		}
		for _, o := range r.Objects {
			for _, rt := range o.Rights {
				for _, x := range rt.Restrictions {
					ctx := template.Context{Table: onecxml.TableName(o.Name, true), Right: onecxml.RightName(rt.Name, true)}
					exp, err := template.Expand(source.FromFile(x.Condition), set, ctx)
					if err != nil {
						continue
					}
					prog, err := preproc.Parse(exp)
					if err != nil {
						continue
					}
					vs, err := prog.Variants(preproc.Options{Limit: 8, RandomPasses: 1, MaxPasses: 8})
					if err != nil {
						continue
					}
					for _, v := range vs.Variants {
						if b := v.Text.Body; len(b) <= maxLen && !seen[b] {
							seen[b] = true
							out = append(out, b)
						}
					}
				}
			}
		}
	}
	return out
}

func FuzzParseQuery(f *testing.F) {
	seed(f, printertest.Query)
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > maxFuzzLen {
			return
		}
		_, err := parser.ParseQueryString("fuzz", text)
		check(t, printertest.Query, text, err)
	})
}

func FuzzParseRestriction(f *testing.F) {
	seed(f, printertest.Restriction)
	for _, s := range corpusVariants(f, maxFuzzLen) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > maxFuzzLen {
			return
		}
		_, err := parser.ParseRestrictionString("fuzz", text)
		check(t, printertest.Restriction, text, err)
	})
}

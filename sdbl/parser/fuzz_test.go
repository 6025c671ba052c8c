package parser_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/sdbl/parser"
	"dostup/sdbl/printer/printertest"
	"dostup/sdbl/source"
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
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > maxFuzzLen {
			return
		}
		_, err := parser.ParseRestrictionString("fuzz", text)
		check(t, printertest.Restriction, text, err)
	})
}

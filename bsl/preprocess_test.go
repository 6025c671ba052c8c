package bsl_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"dostup/bsl"
)

var update = flag.Bool("update", false, "rewrite the output sections of testdata/preprocess/*.txtar")

// TestPreprocessGolden preprocesses the module of each
// testdata/preprocess/*.txtar for every context and compares the text with
// the case's section named after the context; the findings go to the
// section "findings". Every output keeps the module's line count.
func TestPreprocessGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/preprocess/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if len(ar.Files) == 0 || ar.Files[0].Name != "module.bsl" {
				t.Fatalf("%s: the first section must be module.bsl", file)
			}
			src := string(ar.Files[0].Data)
			english := strings.HasPrefix(filepath.Base(file), "en")
			got := []txtar.File{ar.Files[0]}
			var findings []bsl.Finding
			for _, ctx := range bsl.Contexts() {
				out, fs := bsl.Preprocess(src, ctx)
				findings = fs
				if n, want := strings.Count(out, "\n"), strings.Count(src, "\n"); n != want {
					t.Errorf("%v: %d lines; the module has %d", ctx, n, want)
				}
				got = append(got, txtar.File{Name: ctx.Name(english), Data: []byte(out)})
			}
			var fb strings.Builder
			for _, f := range findings {
				fmt.Fprintf(&fb, "%d:%d-%d:%d %s %s\n", f.Line, f.Col, f.EndLine, f.EndCol, f.Code, f.Message)
			}
			got = append(got, txtar.File{Name: "findings", Data: []byte(fb.String())})
			if *update {
				ar.Files = got
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want := map[string][]byte{}
			for _, f := range ar.Files {
				want[f.Name] = f.Data
			}
			for _, g := range got[1:] {
				w, ok := want[g.Name]
				if !ok {
					t.Errorf("no section %q (run go test -update)", g.Name)
					continue
				}
				if !bytes.Equal(w, g.Data) {
					t.Errorf("%s:\n%s\nwant:\n%s", g.Name, g.Data, w)
				}
			}
		})
	}
}

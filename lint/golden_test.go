package lint

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/golden/*.txtar")

// TestGolden lints each testdata/golden/*.txtar case: its sections other
// than want are the files of a dostup configuration folder (a lint.yaml
// among them is put beside the folder and applies), and want is the findings as dostup lint prints them,
// places relative to the folder. Each code has a case where it is found
// and one where the same configuration, put right, does not give it.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			// The configuration's folder, with lint.yaml beside it (a dostup
			// configuration reads every YAML file in its folder).
			dir := filepath.Join(t.TempDir(), "config")
			var settings *Settings
			for _, f := range ar.Files {
				if f.Name == "want" {
					continue
				}
				path := filepath.Join(dir, filepath.FromSlash(f.Name))
				if f.Name == "lint.yaml" {
					path = filepath.Join(filepath.Dir(dir), f.Name)
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				if f.Name == "lint.yaml" {
					if settings, err = LoadSettings(path); err != nil {
						t.Fatal(err)
					}
				}
			}
			in, err := Load(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Run(context.Background(), in, Options{Settings: settings})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, f := range r.Findings {
				where := strings.TrimPrefix(filepath.ToSlash(f.File), filepath.ToSlash(dir)+"/")
				fmt.Fprintf(&b, "%s:%d:%d: %s %s: %s\n", where, f.Line, f.Col, f.Severity, f.Code, f.Message)
			}
			fmt.Fprintf(&b, "suppressed: %d\n", r.Suppressed)
			got := b.String()
			if *update {
				found := false
				for i := range ar.Files {
					if ar.Files[i].Name == "want" {
						ar.Files[i].Data, found = []byte(got), true
					}
				}
				if !found {
					ar.Files = append(ar.Files, txtar.File{Name: "want", Data: []byte(got)})
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			var want string
			for _, f := range ar.Files {
				if f.Name == "want" {
					want = string(f.Data)
				}
			}
			if got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

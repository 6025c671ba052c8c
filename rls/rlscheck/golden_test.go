package rlscheck

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"dostup/sdbl/printer"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/*.txtar")

// TestGolden runs Check on each testdata/*.txtar case: its Rights.xml
// section is one role's file, its optional params section pins session
// parameters (Name=Value per line), and its want section is what the check
// yields: every variant of every restriction printed in canonical form, the
// message variants, and the failures with their positions.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string][]byte{}
			for _, f := range ar.Files {
				sections[f.Name] = f.Data
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "Roles", "Роль", "Ext", "Rights.xml")
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, sections["Rights.xml"], 0o644); err != nil {
				t.Fatal(err)
			}
			params := map[string]any{}
			for _, line := range strings.Split(strings.TrimSpace(string(sections["params"])), "\n") {
				if name, val, ok := strings.Cut(line, "="); ok {
					switch val {
					case "true":
						params[name] = true
					case "false":
						params[name] = false
					default:
						params[name] = val
					}
				}
			}
			got := goldenRun(t, path, params)
			got = strings.ReplaceAll(got, path, "Rights.xml")
			if *update {
				for i := range ar.Files {
					if ar.Files[i].Name == "want" {
						ar.Files[i].Data = []byte(got)
					}
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := string(sections["want"]); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func goldenRun(t *testing.T, path string, params map[string]any) string {
	var mu sync.Mutex
	byRestriction := map[string][]string{}
	r, err := Check([]string{path}, CheckOptions{Params: params, Visit: func(v Variant) {
		key := v.Object + " " + v.Right
		var line string
		switch {
		case v.Message != "":
			line = "message: " + v.Message
		case v.Tree != nil:
			line = strings.TrimRight(printer.Restriction(v.Tree, false), "\n")
			if line == "" {
				line = "(empty: every record)"
			}
		default:
			line = "does not parse"
		}
		mu.Lock()
		byRestriction[key] = append(byRestriction[key], line)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	keys := make([]string, 0, len(byRestriction))
	for k := range byRestriction {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "## %s\n", k)
		vs := byRestriction[k]
		sort.Strings(vs)
		for _, v := range vs {
			fmt.Fprintf(&b, "%s\n--\n", v)
		}
	}
	for _, f := range r.Failures {
		fmt.Fprintln(&b, f.String())
	}
	fmt.Fprintln(&b, r.Summary())
	return b.String()
}

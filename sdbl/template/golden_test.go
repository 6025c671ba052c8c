package template

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/sdbl/source"
)

var update = flag.Bool("update", false, "rewrite the output, map and errors sections of testdata/*.txt")

// A golden case is one file of sections, each opened by a line "-- name --":
//
//	-- template Header --   a template (any number of them); its file is named after the template
//	-- restriction --       the text to expand, in a file named "restriction"
//	-- context --           the table on the first line, the right on the second
//	-- output --            the expanded text
//	-- map --               for each output line, where its first character came from
//	-- errors --            one error per line
//
// The last three are written by go test -update and reviewed in diffs.
type section struct{ name, body string }

func parseSections(data string) (head string, secs []section) {
	lines := strings.SplitAfter(data, "\n")
	cur := -1
	var b strings.Builder
	flush := func() {
		s := strings.TrimSuffix(b.String(), "\n")
		if cur < 0 {
			head = b.String()
		} else {
			secs[cur].body = s
		}
		b.Reset()
	}
	for _, l := range lines {
		t := strings.TrimRight(l, "\r\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) >= 6 {
			flush()
			secs = append(secs, section{name: strings.TrimSpace(t[3 : len(t)-3])})
			cur = len(secs) - 1
			continue
		}
		b.WriteString(l)
	}
	flush()
	return head, secs
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			head, secs := parseSections(string(data))
			set := &Set{}
			var restriction string
			var ctx Context
			want := map[string]string{}
			for _, s := range secs {
				switch {
				case strings.HasPrefix(s.name, "template "):
					header := strings.TrimPrefix(s.name, "template ")
					name, _, err := ParseHeader(header)
					if err != nil {
						t.Fatal(err)
					}
					tm, err := New(header, source.NewFile(name, s.body))
					if err != nil {
						t.Fatal(err)
					}
					if err := set.Add(tm); err != nil {
						t.Fatal(err)
					}
				case s.name == "restriction":
					restriction = s.body
				case s.name == "context":
					ctx.Table, ctx.Right, _ = strings.Cut(s.body, "\n")
				default:
					want[s.name] = s.body
				}
			}
			out, err := Expand(source.FromFile(source.NewFile("restriction", restriction)), set, ctx)
			got := map[string]string{"output": out.Body, "map": lineMap(out), "errors": ""}
			if err != nil {
				var msgs []string
				for _, e := range err.(ErrorList) {
					msgs = append(msgs, e.Error())
				}
				got["errors"] = strings.Join(msgs, "\n")
			}
			if *update {
				var b strings.Builder
				b.WriteString(head)
				for _, s := range secs {
					if _, ok := got[s.name]; !ok {
						fmt.Fprintf(&b, "-- %s --\n%s\n", s.name, s.body)
					}
				}
				for _, name := range []string{"output", "map", "errors"} {
					fmt.Fprintf(&b, "-- %s --\n%s\n", name, got[name])
				}
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, name := range []string{"output", "map", "errors"} {
				if got[name] != want[name] {
					t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got[name], want[name])
				}
			}
		})
	}
}

// lineMap lists, for each line of the output, where its first character
// came from: the mapping in a form a reviewer can read.
func lineMap(out source.Text) string {
	var b strings.Builder
	off := 0
	for i, l := range strings.SplitAfter(out.Body, "\n") {
		if l == "" {
			break
		}
		fmt.Fprintf(&b, "%d: %s\n", i+1, out.Locate(off))
		off += len(l)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

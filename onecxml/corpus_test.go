package onecxml

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"dostup/sdbl/source"
)

// corpusDir finds the shared corpus of real 1C dumps by walking up from the
// test's directory, so the tests work from any checkout next to it. The
// corpus is never copied into the repository. (internal/testcorpus does the
// same for other packages; it imports this one, so these tests cannot use it.)
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		for _, c := range []string{
			filepath.Join(dir, "shared", "corpus"),
			filepath.Join(dir, "..", "shared", "corpus"),
		} {
			if fi, err := os.Stat(c); err == nil && fi.IsDir() {
				return c
			}
		}
		up := filepath.Dir(dir)
		if up == dir {
			// A skipped corpus test proves nothing: fail where the corpus is missing.
			t.Fatal("shared/corpus not found above the working directory: expected ../shared/corpus beside the repository")
		}
		dir = up
	}
}

// stdConditions decodes every <condition> of a file with encoding/xml alone,
// in document order: the reference our own decoding must equal.
func stdConditions(t *testing.T, data []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	var out []string
	var cur *strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch tt := tok.(type) {
		case xml.StartElement:
			if tt.Name.Local == "condition" {
				cur = &strings.Builder{}
			}
		case xml.CharData:
			if cur != nil {
				cur.Write(tt)
			}
		case xml.EndElement:
			if tt.Name.Local == "condition" && cur != nil {
				out = append(out, cur.String())
				cur = nil
			}
		}
	}
	return out
}

// checkMapping asserts that every character of a condition maps to a place
// in the raw file holding that character, or the '&' of the entity that
// stands for it, or the CR of a CR LF.
func checkMapping(t testing.TB, data []byte, f *source.File) {
	t.Helper()
	data = bytes.TrimPrefix(data, utf8BOM)
	idx := newLineIndex(data)
	// Walking from the start of the line for every character would make
	// long lines quadratic; continue from the previous character instead.
	line, col, at := 0, 0, 0
	for off, want := range f.Text {
		p := f.Position(off)
		if p.Line < 1 || p.Line > len(idx.starts) || p.Column < 1 {
			t.Fatalf("%s: offset %d maps to %d:%d, outside the file", f.Name, off, p.Line, p.Column)
		}
		if p.Line != line || p.Column < col {
			line, col, at = p.Line, 1, idx.starts[p.Line-1]
		}
		for ; col < p.Column && at < len(data); col++ {
			_, n := utf8.DecodeRune(data[at:])
			at += n
		}
		got, _ := utf8.DecodeRune(data[at:])
		if got != want && got != '&' && !(want == '\n' && got == '\r') {
			t.Fatalf("%s: %q at offset %d maps to %s, which holds %q", f.Name, want, off, p, got)
		}
	}
}

func TestCorpus(t *testing.T) {
	corpus := corpusDir(t)
	tests := []struct {
		dir                                  string
		roles, restrictions, templates       int
		scriptVariant, name, defaultLanguage string
		russian                              bool
	}{
		{"ssl31", 34, 152, 71, "Russian", "БиблиотекаСтандартныхПодсистем", "Language.Русский", true},
		{"ssl31en", 30, 137, 64, "English", "", "Language.English", false},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			root := filepath.Join(corpus, tt.dir)
			files, err := FindRights(root)
			if err != nil {
				t.Fatal(err)
			}
			var roles, restrictions, templates, conditions int
			for _, path := range files {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				rs, err := parseRights(path, data, true)
				if err != nil {
					t.Fatal(err)
				}
				if want := filepath.Base(filepath.Dir(filepath.Dir(path))); rs.Role != want {
					t.Errorf("role %q, want %q", rs.Role, want)
				}
				if rs.HasRestrictions() {
					roles++
				}
				// Conditions in document order: templates come after objects
				// in every corpus file.
				var got []*source.File
				for _, o := range rs.Objects {
					for _, r := range o.Rights {
						if len(r.Restrictions) > 0 && !IsRLSRight(r.Name) {
							t.Errorf("%s: %s has restrictions on right %s", path, o.Name, r.Name)
						}
						for _, rc := range r.Restrictions {
							restrictions++
							got = append(got, rc.Condition)
						}
					}
				}
				for _, tp := range rs.Templates {
					templates++
					got = append(got, tp.Condition)
				}
				std := stdConditions(t, data)
				if len(std) != len(got) {
					t.Fatalf("%s: %d conditions, encoding/xml finds %d", path, len(got), len(std))
				}
				for i, f := range got {
					conditions++
					if f.Text != std[i] {
						t.Fatalf("%s: condition %d differs from encoding/xml's decoding", path, i)
					}
					checkMapping(t, data, f)
				}
			}
			if roles != tt.roles || restrictions != tt.restrictions || templates != tt.templates {
				t.Errorf("%d roles with RLS, %d restrictions, %d templates; want %d, %d, %d",
					roles, restrictions, templates, tt.roles, tt.restrictions, tt.templates)
			}
			t.Logf("%d files, %d conditions checked", len(files), conditions)

			cfgPath, ok := FindConfiguration(files[0])
			if !ok || cfgPath != filepath.Join(root, "Configuration.xml") {
				t.Fatalf("FindConfiguration(%s) = %q, %v", files[0], cfgPath, ok)
			}
			cfg, err := ReadConfiguration(cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.ScriptVariant != tt.scriptVariant || cfg.Russian() != tt.russian || cfg.DefaultLanguage != tt.defaultLanguage {
				t.Errorf("script variant %q, default language %q", cfg.ScriptVariant, cfg.DefaultLanguage)
			}
			if tt.name != "" && cfg.Name != tt.name {
				t.Errorf("name %q", cfg.Name)
			}
			// Every role with a Rights.xml is in the object list.
			for _, path := range files {
				role := filepath.Base(filepath.Dir(filepath.Dir(path)))
				if !cfg.Has("Role." + role) {
					t.Errorf("configuration lacks Role.%s", role)
				}
			}
		})
	}
}

// TestCorpusObjectsKnown checks that the kind table covers every kind that
// real Rights.xml and Configuration.xml files use.
func TestCorpusObjectsKnown(t *testing.T) {
	corpus := corpusDir(t)
	for _, dir := range []string{"ssl31", "ssl31en"} {
		root := filepath.Join(corpus, dir)
		files, err := FindRights(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			rs, err := ReadRights(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range rs.Objects {
				kind, _, _ := strings.Cut(o.Name, ".")
				if _, ok := LookupKind(kind); !ok {
					t.Errorf("%s: unknown kind %s", o.Pos, kind)
				}
				for _, r := range o.Rights {
					if len(r.Restrictions) > 0 && !IsDataTable(o.Name) {
						t.Errorf("%s: restrictions on %s, which IsDataTable rejects", o.Pos, o.Name)
					}
				}
			}
		}
		cfg, err := ReadConfiguration(filepath.Join(root, "Configuration.xml"))
		if err != nil {
			t.Fatal(err)
		}
		if len(cfg.Objects) < 1000 {
			t.Errorf("%s: only %d objects", dir, len(cfg.Objects))
		}
		for _, o := range cfg.Objects {
			if _, ok := LookupKind(o.Kind); !ok {
				t.Errorf("%s: unknown kind %s", dir, o.Kind)
			}
		}
	}
}

func BenchmarkReadRights(b *testing.B) {
	path := filepath.Join(corpusDir(b), "ssl31", "Roles", "ЧтениеДатЗапретаИзменения", "Ext", "Rights.xml")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadRights(path); err != nil {
			b.Fatal(err)
		}
	}
}

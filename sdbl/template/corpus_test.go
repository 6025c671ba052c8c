package template

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"dostup/internal/testcorpus"
	"dostup/sdbl/source"
)

// The real Rights.xml reader lives in onecxml; this test needs only the
// template and restriction texts, so a few regular expressions do.
var (
	reTemplate    = regexp.MustCompile(`(?s)<restrictionTemplate>\s*<name>(.*?)</name>\s*<condition>(.*?)</condition>`)
	reObject      = regexp.MustCompile(`(?s)<object>\s*<name>(.*?)</name>(.*?)</object>`)
	reRestriction = regexp.MustCompile(`(?s)<restrictionByCondition>.*?<condition>(.*?)</condition>`)
)

// ruKinds turns Rights.xml's English kind prefixes into the names a Russian
// configuration's restriction texts use.
var ruKinds = map[string]string{
	"Catalog": "Справочник", "Document": "Документ", "InformationRegister": "РегистрСведений",
	"AccumulationRegister": "РегистрНакопления", "ChartOfCharacteristicTypes": "ПланВидовХарактеристик",
	"ExchangePlan": "ПланОбмена", "BusinessProcess": "БизнесПроцесс", "Task": "Задача",
	"DocumentJournal": "ЖурналДокументов", "AccountingRegister": "РегистрБухгалтерии",
	"ChartOfAccounts": "ПланСчетов", "CalculationRegister": "РегистрРасчета",
}

// corpusRole is what the test reads from one Rights.xml.
type corpusRole struct {
	path         string
	set          *Set
	restrictions []corpusRestriction
}

type corpusRestriction struct {
	table string // as Rights.xml writes it: Catalog.X
	text  source.Text
}

// embedded returns the XML-escaped text that starts at byte off of the file
// as a source.File whose lines are those of the XML file. Columns after an
// entity on the same line are off by the entity's length, which messages in
// this test can live with.
func embedded(path, xmlText string, off int, escaped string) *source.File {
	line := 1 + strings.Count(xmlText[:off], "\n")
	col := 1 + len([]rune(xmlText[strings.LastIndexByte(xmlText[:off], '\n')+1:off]))
	return source.NewEmbeddedFile(path, html.UnescapeString(escaped), []source.Anchor{{Offset: 0, Line: line, Col: col}})
}

func readCorpusRoles(t testing.TB, config string) []corpusRole {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testcorpus.Dir(t, config), "Roles", "*", "Ext", "Rights.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Rights.xml in %s: %v", config, err)
	}
	var roles []corpusRole
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		x := string(data)
		r := corpusRole{path: path, set: &Set{}}
		for _, m := range reTemplate.FindAllStringSubmatchIndex(x, -1) {
			header := html.UnescapeString(x[m[2]:m[3]])
			tm, err := New(header, embedded(path, x, m[4], x[m[4]:m[5]]))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if err := r.set.Add(tm); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		for _, o := range reObject.FindAllStringSubmatchIndex(x, -1) {
			table := x[o[2]:o[3]]
			for _, m := range reRestriction.FindAllStringSubmatchIndex(x[o[4]:o[5]], -1) {
				start, end := o[4]+m[2], o[4]+m[3]
				f := embedded(path, x, start, x[start:end])
				r.restrictions = append(r.restrictions, corpusRestriction{table: table, text: source.FromFile(f)})
			}
		}
		roles = append(roles, r)
	}
	return roles
}

// TestCorpus expands every restriction of every role of both corpus
// configurations, for reading and for changing, and checks that nothing is
// left for this stage: no error, no #Параметр, no template call, and every
// character of the output maps back to a file.
func TestCorpus(t *testing.T) {
	for _, c := range []struct {
		config string
		ru     bool
		rights []string
		min    int // restrictions the corpus README counts
	}{
		{"ssl31", true, []string{"Чтение", "Изменение"}, 152},
		{"ssl31en", false, []string{"Read", "Update"}, 137},
	} {
		t.Run(c.config, func(t *testing.T) {
			roles := readCorpusRoles(t, c.config)
			n, calls := 0, 0
			for _, r := range roles {
				for _, rs := range r.restrictions {
					n++
					table := rs.table
					if kind, name, ok := strings.Cut(table, "."); ok && c.ru && ruKinds[kind] != "" {
						table = ruKinds[kind] + "." + name
					}
					if strings.Contains(rs.text.Body, "#") {
						calls++
					}
					for _, right := range c.rights {
						out, err := Expand(rs.text, r.set, Context{Table: table, Right: right})
						if err != nil {
							t.Errorf("%s %s: %v", table, right, err)
							continue
						}
						checkExpanded(t, table+" "+right, out)
					}
				}
			}
			if n < c.min {
				t.Errorf("read %d restrictions, the corpus has %d", n, c.min)
			}
			t.Logf("%d roles, %d restrictions (%d with # directives) expanded for %v", len(roles), n, calls, c.rights)
		})
	}
}

// checkExpanded asserts that out holds nothing but preprocessor directives
// after #, and that its map covers it.
func checkExpanded(t *testing.T, what string, out source.Text) {
	t.Helper()
	for _, it := range scan(out.Body, false, nil) {
		switch it.kind {
		case kLiteral:
		case kError:
			t.Errorf("%s: expanded text still has a mistake at %s: %s", what, out.Locate(it.off), it.msg)
		default:
			t.Errorf("%s: expanded text still has %q at %s", what, out.Body[it.off:it.end], out.Locate(it.off))
		}
	}
	for off := 0; off < len(out.Body); off += 997 {
		if out.Locate(off).File == nil {
			t.Fatalf("%s: offset %d maps to no file", what, off)
		}
	}
}

// TestCorpusTemplatesCheck: every template of the corpus is well formed on
// its own, before any call.
func TestCorpusTemplatesCheck(t *testing.T) {
	for _, config := range []string{"ssl31", "ssl31en"} {
		for _, r := range readCorpusRoles(t, config) {
			for _, name := range r.set.Names() {
				if err := r.set.Lookup(name).Check(); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		}
	}
}

// TestCorpusPositions: an error inside a real template points at the line of
// Rights.xml where the template's text stands, through the call.
func TestCorpusPositions(t *testing.T) {
	roles := readCorpusRoles(t, "ssl31")
	for _, r := range roles {
		tm := r.set.Lookup("ДляРегистра")
		if tm == nil {
			continue
		}
		call := source.FromFile(source.NewFile("r", `#ДляРегистра("Р", "Пользователь", "", "", "", "")`))
		out, err := Expand(call, r.set, Context{Table: "РегистрСведений.Х", Right: "Чтение"})
		if err != nil {
			t.Fatal(err)
		}
		// The first "Ошибка:" line of the body, which names the table.
		i := strings.Index(out.Body, "Объект: ")
		if i < 0 {
			t.Fatal("no Объект: in ДляРегистра")
		}
		loc := out.Locate(i + len("Объект: "))
		line := 1 + strings.Count(readFile(t, r.path)[:strings.Index(readFile(t, r.path), "<name>ДляРегистра(")], "\n")
		want := tm.Body.Position(strings.Index(tm.Body.Text, "#ИмяТекущейТаблицы"))
		if loc.Position() != want || want.Line <= line || loc.Via == nil || loc.Via.Call.Position().String() != "r:1:1" {
			t.Errorf("#ИмяТекущейТаблицы maps to %s, want %s (header on line %d)", loc, want, line)
		}
		return
	}
	t.Fatal("no role with ДляРегистра")
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BenchmarkExpandCorpus expands every ssl31 restriction for reading: the
// work a loader does per right.
func BenchmarkExpandCorpus(b *testing.B) {
	roles := readCorpusRoles(b, "ssl31")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, r := range roles {
			for _, rs := range r.restrictions {
				if _, err := Expand(rs.text, r.set, Context{Table: "Справочник.Х", Right: "Чтение"}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

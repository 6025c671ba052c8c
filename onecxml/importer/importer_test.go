package importer

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"dostup/internal/testcorpus"
	"dostup/metadata"
	"dostup/onecxml"
	"dostup/sdbl/source"
)

// TestConvertCorpus imports both corpus dumps, writes them and loads the
// result: the configuration validates and holds every object of the kinds
// the model has (document journals with their columns included) and every
// restriction.
func TestConvertCorpus(t *testing.T) {
	cases := []struct {
		name                                string
		objects, roles, restrictions, warns int
		english                             bool
		object, attr, typ                   string
	}{
		{"ssl31", 563, 107, 152, 9, false, "Справочник.Пользователи", "Недействителен", "Булево"},
		{"ssl31en", 498, 94, 137, 9, true, "Catalog.Users", "Invalid", "Булево"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := onecxml.ReadDump(testcorpus.Dir(t, c.name))
			if err != nil {
				t.Fatal(err)
			}
			imp, err := Convert(d)
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			if err := Write(imp, out); err != nil {
				t.Fatal(err)
			}
			cfg, err := metadata.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.Objects) != c.objects || len(cfg.Roles) != c.roles || cfg.Restrictions() != c.restrictions || len(imp.Warnings) != c.warns || cfg.English != c.english {
				t.Errorf("%d objects, %d roles, %d restrictions, %d warnings, english %v:\n%s",
					len(cfg.Objects), len(cfg.Roles), cfg.Restrictions(), len(imp.Warnings), cfg.English, strings.Join(imp.Warnings, "\n"))
			}
			o := cfg.Object(c.object)
			if o == nil || o.Attribute(c.attr) == nil || o.Attribute(c.attr).Type.String() != c.typ {
				t.Errorf("%s.%s: %+v", c.object, c.attr, o)
			}
			for _, w := range imp.Warnings {
				// The corpus has no Ext/Predefined.xml: the items its
				// restrictions name are taken from them, with a warning.
				if lw := strings.ToLower(w); !strings.Contains(lw, "functional option") && !strings.Contains(lw, "ext/predefined.xml") {
					t.Errorf("unexpected warning: %s", w)
				}
			}
		})
	}
}

// TestConvertJournal imports the corpus's journal of interactions: its six
// documents, its columns with the attribute each document shows (a column
// some documents leave out, one that shows attributes of other names), the
// types 1C derives for them, and the roles' Read right and restriction on it.
func TestConvertJournal(t *testing.T) {
	d, err := onecxml.ReadDump(testcorpus.Dir(t, "ssl31"))
	if err != nil {
		t.Fatal(err)
	}
	imp, err := Convert(d)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := Write(imp, out); err != nil {
		t.Fatal(err)
	}
	cfg, err := metadata.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	j := cfg.Object("DocumentJournal.Взаимодействия")
	if j == nil || j.Kind != metadata.DocumentJournal {
		t.Fatalf("journal: %+v", j)
	}
	if got := strings.Join(j.Documents, ", "); got != "Документ.Встреча, Документ.ТелефонныйЗвонок, Документ.ЭлектронноеПисьмоВходящее, Документ.ЭлектронноеПисьмоИсходящее, Документ.ЗапланированноеВзаимодействие, Документ.СообщениеSMS" {
		t.Errorf("documents: %s", got)
	}
	if len(j.Attributes) != 15 {
		t.Errorf("%d columns, want 15", len(j.Attributes))
	}
	for name, want := range map[string]string{
		"Автор":    "Справочник.Пользователи",
		"Входящий": "Булево",
		"Тема":     "Строка(1024)",
		"СтатусИсходящегоПисьма": "Перечисление.СтатусыИсходящегоЭлектронногоПисьма, Перечисление.СостоянияДокументаСообщениеSMS",
		"Номер": "Строка(11)",
	} {
		if a := j.Attribute(name); a == nil || a.Type.String() != want {
			t.Errorf("%s: %+v, want type %s", name, a, want)
		}
	}
	// Участники shows attributes of three names.
	shows := map[string]string{}
	for _, r := range j.Attribute("Участники").References {
		shows[r.Document] = r.Attribute
	}
	if shows["Документ.ТелефонныйЗвонок"] != "АбонентПредставление" || shows["Документ.ЭлектронноеПисьмоВходящее"] != "ОтправительПредставление" || len(shows) != 6 {
		t.Errorf("Участники shows %v", shows)
	}
	if refs := j.Attribute("Автор").References; len(refs) != 5 {
		t.Errorf("Автор shows %d documents' attributes, want 5 (ЭлектронноеПисьмоВходящее has none)", len(refs))
	}
	role := cfg.Role("ДобавлениеИзменениеВзаимодействий")
	or := role.ObjectRights(cfg, "ЖурналДокументов.Взаимодействия")
	if or == nil || !or.Has("Чтение") || !or.Has("Просмотр") || len(or.RestrictionsOf("Чтение")) != 1 {
		t.Errorf("rights on the journal: %+v", or)
	}
}

// TestConvertJournalWarnings: what a dump's journal names but the dump does
// not have is left out with a warning at the journal's or column's place,
// and the rest still loads.
func TestConvertJournalWarnings(t *testing.T) {
	at := func(line int) source.Position {
		return source.Position{Filename: "DocumentJournals/Ж.xml", Line: line, Column: 3}
	}
	doc := &onecxml.MDObject{Kind: "Document", Name: "Д", NumberLength: 9, NumberType: "String",
		Attributes: []onecxml.MDAttribute{{Name: "Сумма", Type: onecxml.TypeDesc{Types: []string{"xs:decimal"}, Digits: 15, FractionDigits: 2}}}}
	d := &onecxml.Dump{
		Configuration: &onecxml.Configuration{Name: "К", ScriptVariant: "Russian"},
		Objects: []*onecxml.MDObject{doc, {
			Kind: "DocumentJournal", Name: "Ж", Pos: at(2),
			RegisteredDocuments: []string{"Document.Д", "Document.Нет", "Catalog.С"},
			Columns: []onecxml.MDAttribute{
				{Name: "Сумма", Pos: at(10), References: []string{"Document.Д.Attribute.Сумма", "Document.Нет.Attribute.Сумма"}},
				{Name: "Пусто", Pos: at(20), References: []string{"Document.Д.Attribute.Нет"}},
				{Name: "Номер", Pos: at(30), References: []string{"Document.Д.StandardAttribute.Number"}},
				{Name: "НомерДокумента", Pos: at(40), References: []string{"Document.Д.StandardAttribute.Number", "Document.Д.TabularSection.Т.Attribute.А"}},
			},
		}},
	}
	imp, err := Convert(d)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"DocumentJournals/Ж.xml:2:3: DocumentJournal.Ж registers Document.Нет, which is not a document of the dump; left out",
		"DocumentJournals/Ж.xml:2:3: DocumentJournal.Ж registers Catalog.С, which is not a document of the dump; left out",
		"DocumentJournals/Ж.xml:10:3: DocumentJournal.Ж: column Сумма shows Сумма of Document.Нет, which the journal does not register; left out",
		"DocumentJournals/Ж.xml:20:3: DocumentJournal.Ж: column Пусто shows Нет, which Document.Д does not have; left out",
		"DocumentJournals/Ж.xml:20:3: DocumentJournal.Ж: column Пусто shows no attribute the dump has; left out",
		"DocumentJournals/Ж.xml:30:3: DocumentJournal.Ж: column Номер has the name of a standard attribute of journals; left out",
		"DocumentJournals/Ж.xml:40:3: DocumentJournal.Ж: column НомерДокумента shows Document.Д.TabularSection.Т.Attribute.А, which is not an attribute of a document; left out",
	}
	if got := strings.Join(imp.Warnings, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	out := t.TempDir()
	if err := Write(imp, out); err != nil {
		t.Fatal(err)
	}
	cfg, err := metadata.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	j := cfg.Object("ЖурналДокументов.Ж")
	if j == nil || len(j.Attributes) != 2 || j.Attribute("Сумма").Type.String() != "Число(15, 2)" || j.Attribute("НомерДокумента").Type.String() != "Строка(9)" {
		t.Errorf("journal: %+v", j)
	}
}

// valueRefPattern is the regular expression valueRefs stands for.
var valueRefPattern = regexp.MustCompile(`(?i)(?:ЗНАЧЕНИЕ|VALUE)\s*\(\s*([\p{L}_][\p{L}\p{N}_]*)\s*\.\s*([\p{L}_][\p{L}\p{N}_]*)\s*\.\s*([\p{L}_][\p{L}\p{N}_]*)\s*\)`)

// TestValueRefs holds the hand-written scan of ЗНАЧЕНИЕ(...) to the
// regular expression it replaced, on edge cases and every text of the
// corpus's libraries.
func TestValueRefs(t *testing.T) {
	texts := append([]string{
		"ЗНАЧЕНИЕ(Справочник.Валюты.Рубль)",
		"значение ( Справочник . Валюты . Рубль ) И Value(Catalog.X.Y)",
		"ЗНАЧЕНИЕ(ЗНАЧЕНИЕ(Справочник.А.Б))",
		"ЗНАЧЕНИЕ(Справочник.А.Б.В)",
		"ПустоеЗначение(Справочник.А.Б)",
		"ЗНАЧЕНИЕ(Справочник.А1.Б_2) ЗНАЧЕНИЕ(1А.Б.В) ЗНАЧЕНИЕ(Перечисление.А.Б",
		"VALUE\t\n(_a.b.c)(VALUE(a.b.c)",
		"ЗНАЧЕНИЕ(\xff.А.Б) ЗНАЧЕНИЕ()",
	}, testcorpus.Conditions(t)...)
	for _, text := range texts {
		var want [][3]string
		for _, m := range valueRefPattern.FindAllStringSubmatch(text, -1) {
			want = append(want, [3]string{m[1], m[2], m[3]})
		}
		if got := valueRefs(text); !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", text, got, want)
		}
	}
}

// convertedYAML converts the dump at root and loads the configuration
// from the YAML dostup import would write of it.
func convertedYAML(t *testing.T, root string) (*Result, *metadata.Configuration) {
	t.Helper()
	d, err := onecxml.ReadDump(root)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := Convert(d)
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]byte{}
	for name, f := range imp.Files {
		if sources[name], err = metadata.Marshal(f); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := metadata.LoadSources(sources)
	if err != nil {
		t.Fatal(err)
	}
	return imp, cfg
}

// TestLoadFormatsAsYAML: a converted dump built as decoded
// (metadata.LoadFormats, what dostup import and rls compile do) gives the
// model that writing its YAML and loading that gives, positions aside.
func TestLoadFormatsAsYAML(t *testing.T) {
	for _, name := range testcorpus.Names {
		t.Run(name, func(t *testing.T) {
			imp, fromYAML := convertedYAML(t, testcorpus.Dir(t, name))
			direct, err := metadata.LoadFormats(imp.Files)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := withoutPositions(t, fromYAML), withoutPositions(t, direct); !reflect.DeepEqual(a, b) {
				t.Fatalf("LoadFormats and LoadSources differ:\n%s", firstDifference(a, b, "$"))
			}
		})
	}
}

// withoutPositions is a configuration as JSON values with every position
// (Pos, and the anchors of texts, which JSON does not see) left out.
func withoutPositions(t *testing.T, cfg *metadata.Configuration) any {
	t.Helper()
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var strip func(any)
	strip = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			delete(v, "Pos")
			for _, x := range v {
				strip(x)
			}
		case []any:
			for _, x := range v {
				strip(x)
			}
		}
	}
	strip(v)
	return v
}

// firstDifference names the first place two JSON values differ.
func firstDifference(a, b any, path string) string {
	switch a := a.(type) {
	case map[string]any:
		if b, ok := b.(map[string]any); ok {
			for k := range a {
				if !reflect.DeepEqual(a[k], b[k]) {
					return firstDifference(a[k], b[k], path+"."+k)
				}
			}
		}
	case []any:
		if b, ok := b.([]any); ok && len(a) == len(b) {
			for i := range a {
				if !reflect.DeepEqual(a[i], b[i]) {
					return firstDifference(a[i], b[i], fmt.Sprintf("%s[%d]", path, i))
				}
			}
		}
	}
	return fmt.Sprintf("%s: %#v vs %#v", path, a, b)
}

// TestRestrictionOrigin: every imported restriction keeps, through its
// YAML, where it stands in the dump (Roles/<Role>/Ext/Rights.xml:line:col,
// relative to the dump's root), and the line there holds its condition.
func TestRestrictionOrigin(t *testing.T) {
	for _, name := range testcorpus.Names {
		t.Run(name, func(t *testing.T) {
			root := testcorpus.Dir(t, name)
			_, cfg := convertedYAML(t, root)
			files := map[string][]string{}
			n := 0
			for _, role := range cfg.Roles {
				for _, or := range role.Objects {
					for _, x := range or.Restrictions {
						n++
						at, ok := source.ParsePosition(x.Origin)
						file, line := at.Filename, at.Line
						if !ok || file != "Roles/"+role.Name+"/Ext/Rights.xml" {
							t.Fatalf("role %s, %s: origin %q", role.Name, or.Object, x.Origin)
						}
						if files[file] == nil {
							data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
							if err != nil {
								t.Fatal(err)
							}
							files[file] = strings.Split(string(data), "\n")
						}
						first, _, _ := strings.Cut(strings.TrimSpace(x.Condition.Text), "\n")
						first = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(first)
						if lines := files[file]; line > len(lines) || !strings.Contains(lines[line-1], first[:min(len(first), 20)]) {
							t.Fatalf("role %s, %s: line %d of %s does not hold %q", role.Name, or.Object, line, file, first)
						}
					}
				}
			}
			if n == 0 {
				t.Fatal("no restrictions imported")
			}
		})
	}
}

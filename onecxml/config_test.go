package onecxml

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadConfiguration(t *testing.T) {
	cfg, err := ReadConfiguration(filepath.Join("testdata", "dump", "Configuration.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Name != "Тест" || cfg.ScriptVariant != "Russian" || !cfg.Russian() || cfg.DefaultLanguage != "Language.Русский" {
		t.Errorf("%+v", cfg)
	}
	want := []ConfigObject{
		{"Language", "Русский"}, {"Role", "Reader"}, {"Role", "Writer"},
		{"Catalog", "Контрагенты"}, {"InformationRegister", "ДатыЗапрета"},
	}
	if !reflect.DeepEqual(cfg.Objects, want) {
		t.Errorf("objects %v", cfg.Objects)
	}
	if !cfg.Has("Справочник.контрагенты") || !cfg.Has("Catalog.Контрагенты") || cfg.Has("Document.Контрагенты") {
		t.Error("Has")
	}
	if got := cfg.Objects[3].FullName(); got != "Catalog.Контрагенты" {
		t.Errorf("FullName %q", got)
	}
}

func TestReadConfigurationErrors(t *testing.T) {
	for doc, want := range map[string]string{
		`<MetaDataObject xmlns="http://v8.1c.ru/8.3/MDClasses"><Catalog/></MetaDataObject>`: "c.xml:1:1: <MetaDataObject> without a <Configuration>",
		`<Rights xmlns="http://v8.1c.ru/8.2/roles"/>`:                                       "c.xml:1:1: root element is <Rights>",
		"<MetaDataObject>\n<Configuration><Properties><Name>X</Nam>":                        "c.xml:2:35: malformed XML: element <Name> closed by </Nam>",
	} {
		_, err := parseConfiguration("c.xml", []byte(doc))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("got %v, want %s", err, want)
		}
	}
	english, err := parseConfiguration("c.xml", []byte(`<MetaDataObject><Configuration><Properties><ScriptVariant>English</ScriptVariant></Properties></Configuration></MetaDataObject>`))
	if err != nil || english.Russian() {
		t.Errorf("English configuration: %v, %+v", err, english)
	}
}

func TestFindRights(t *testing.T) {
	dump := filepath.Join("testdata", "dump")
	reader := filepath.Join(dump, "Roles", "Reader", "Ext", "Rights.xml")
	writer := filepath.Join(dump, "Roles", "Writer", "Ext", "Rights.xml")
	both := []string{reader, writer}
	tests := []struct {
		paths []string
		want  []string
	}{
		{[]string{dump}, both},
		{[]string{filepath.Join(dump, "Roles")}, both},
		{[]string{filepath.Join(dump, "Roles", "Writer")}, []string{writer}},
		{[]string{writer, reader}, both},
		{[]string{writer, dump, reader}, both},
	}
	for _, tt := range tests {
		got, err := FindRights(tt.paths...)
		if err != nil {
			t.Errorf("FindRights(%q): %v", tt.paths, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FindRights(%q) = %q, want %q", tt.paths, got, tt.want)
		}
	}
	for _, bad := range []string{filepath.Join("testdata", "nonexistent"), filepath.Join("testdata", "empty")} {
		_, err := FindRights(dump, bad)
		if err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("FindRights(%q): %v, want an error naming it", bad, err)
		}
	}
}

func TestFindConfiguration(t *testing.T) {
	dump := filepath.Join("testdata", "dump")
	want, err := filepath.Abs(filepath.Join(dump, "Configuration.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		dump,
		filepath.Join(dump, "Roles"),
		filepath.Join(dump, "Roles", "Reader"),
		filepath.Join(dump, "Roles", "Reader", "Ext", "Rights.xml"),
	} {
		got, ok := FindConfiguration(p)
		if !ok || got != want {
			t.Errorf("FindConfiguration(%q) = %q, %v", p, got, ok)
		}
	}
	if got, ok := FindConfiguration(filepath.Join("testdata", "malformed", "Roles", "Broken", "Ext", "Rights.xml")); ok {
		t.Errorf("found %q for a dump without Configuration.xml", got)
	}
	if _, ok := FindConfiguration(filepath.Join("testdata", "nonexistent")); ok {
		t.Error("found a configuration for a missing path")
	}
	// Walking stops at the dump layout's depth: a Configuration.xml five
	// folders up belongs to something else.
	tmp := t.TempDir()
	if err := os.WriteFile(filepath.Join(tmp, "Configuration.xml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(tmp, "a", "Roles", "R", "Ext")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, ok := FindConfiguration(deep); ok {
		t.Errorf("found %q too far up", got)
	}
}

package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bslDump lays out a small Configurator dump with a form, an object module
// and two common modules, one for the client and one for the server
// without ВызовСервера, and returns its root.
func bslDump(t *testing.T) string {
	t.Helper()
	const head = `<?xml version="1.0" encoding="UTF-8"?>
<MetaDataObject xmlns="http://v8.1c.ru/8.3/MDClasses" version="2.17">
`
	common := func(name string, flags ...string) string {
		var b strings.Builder
		b.WriteString(head + "<CommonModule><Properties><Name>" + name + "</Name>")
		for _, f := range flags {
			fmt.Fprintf(&b, "<%s>true</%s>", f, f)
		}
		b.WriteString("<ReturnValuesReuse>DontUse</ReturnValuesReuse></Properties></CommonModule></MetaDataObject>")
		return b.String()
	}
	files := map[string]string{
		"Configuration.xml":                       head + "<Configuration><Properties><Name>Тест</Name><ScriptVariant>Russian</ScriptVariant></Properties></Configuration></MetaDataObject>",
		"CommonModules/Клиентский.xml":            common("Клиентский", "ClientManagedApplication"),
		"CommonModules/Клиентский/Ext/Module.bsl": "Процедура Показать() Экспорт\nКонецПроцедуры\n",
		"CommonModules/Серверный.xml":             common("Серверный", "Server"),
		"CommonModules/Серверный/Ext/Module.bsl":  "Функция Данные() Экспорт\n\tВозврат 1;\nКонецФункции\n",
		"Catalogs/Товары/Forms/ФормаЭлемента/Ext/Form/Module.bsl": "&НаКлиенте\nПроцедура ПриОткрытии(Отказ)\n\tСерверный.Данные();\n\tПолучитьНаСервере();\nКонецПроцедуры\n\n" +
			"&НаСервере\nПроцедура ПолучитьНаСервере()\n\tКлиентский.Показать();\nКонецПроцедуры\n",
		"Catalogs/Товары/Ext/ObjectModule.bsl": "#Если Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение Тогда\n" +
			"Процедура ПередЗаписью(Отказ)\n\tВыполнить(Алгоритм);\nКонецПроцедуры\n#Иначе\nВызватьИсключение \"на клиенте\";\n#КонецЕсли\n",
	}
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// bslReport is the JSON of bsl check.
type bslReport struct {
	Modules  int `json:"modules"`
	Findings []struct {
		File, Code, Severity, Message string
		Line, Col, EndLine, EndCol    int
	} `json:"findings"`
}

func (r bslReport) places(root string) []string {
	var out []string
	for _, f := range r.Findings {
		rel, _ := filepath.Rel(root, f.File)
		out = append(out, fmt.Sprintf("%s:%d:%d %s", filepath.ToSlash(rel), f.Line, f.Col, f.Code))
	}
	return out
}

func TestBSLCheck(t *testing.T) {
	root := bslDump(t)
	form := filepath.Join(root, "Catalogs", "Товары", "Forms", "ФормаЭлемента", "Ext", "Form", "Module.bsl")
	formFindings := []string{
		"Catalogs/Товары/Forms/ФормаЭлемента/Ext/Form/Module.bsl:3:2 unavailable-call",
		"Catalogs/Товары/Forms/ФормаЭлемента/Ext/Form/Module.bsl:9:2 unavailable-call",
	}
	cases := []struct {
		name    string
		args    []string
		modules int
		want    []string
	}{
		{"dump root", []string{root}, 4, append([]string{"Catalogs/Товары/Ext/ObjectModule.bsl:3:2 execute-without-safe-mode"}, formFindings...)},
		// A single file is checked against the common modules of its dump.
		{"one file", []string{form}, 1, formFindings},
		{"common modules only", []string{filepath.Join(root, "CommonModules")}, 2, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append([]string{"bsl", "check", "--json"}, c.args...)...)
			wantCode := ExitOK
			if len(c.want) > 0 {
				wantCode = ExitFailure
			}
			if code != wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", code, wantCode, errOut)
			}
			var r bslReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if r.Modules != c.modules || r.Findings == nil || strings.Join(r.places(root), "\n") != strings.Join(c.want, "\n") {
				t.Errorf("modules %d, findings:\n%s\nwant %d modules and:\n%s", r.Modules, strings.Join(r.places(root), "\n"), c.modules, strings.Join(c.want, "\n"))
			}
			for _, f := range r.Findings {
				if !strings.Contains(f.Message, "вызов") && !strings.Contains(f.Message, "метод") && !strings.Contains(f.Message, "безопасного") {
					t.Errorf("%s: message %q is not in the configuration's language", f.Code, f.Message)
				}
			}
		})
	}

	code, out, _ := run(t, "", "bsl", "check", root)
	if code != ExitFailure || !strings.Contains(out, "Module.bsl:3:2: error: ") || !strings.HasSuffix(out, "4 modules: 3 errors, 0 warnings\n") {
		t.Errorf("text: exit %d\n%s", code, out)
	}

	code, out, _ = run(t, "", "bsl", "check", "--format", "sarif", root)
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || code != ExitFailure {
		t.Fatalf("sarif: exit %d, %v: %s", code, err, out)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 3 || log.Runs[0].Results[0].Level != "error" {
		t.Errorf("sarif log: %+v", log)
	}

	for _, bad := range []struct {
		args []string
		err  string
	}{
		{[]string{"bsl", "check", "--json", "--format", "sarif", root}, "give one of them"},
		{[]string{"bsl", "check", "--format", "xml", root}, "--format must be"},
		{[]string{"bsl", "check", filepath.Join(root, "nowhere")}, "nowhere"},
		{[]string{"bsl", "check", filepath.Join(root, "Configuration.xml")}, "not a .bsl module"},
	} {
		code, _, errOut := run(t, "", bad.args...)
		if code != ExitUsage || !strings.Contains(errOut, bad.err) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", bad.args[2:], code, errOut, bad.err)
		}
	}
}

func TestBSLPreprocess(t *testing.T) {
	root := bslDump(t)
	object := filepath.Join(root, "Catalogs", "Товары", "Ext", "ObjectModule.bsl")
	code, out, errOut := run(t, "", "bsl", "preprocess", "--context", "thinclient", object)
	if code != ExitOK || out != "\n\n\n\n\nВызватьИсключение \"на клиенте\";\n\n" {
		t.Errorf("thin client: exit %d, %q, stderr %q", code, out, errOut)
	}
	code, out, _ = run(t, "", "bsl", "preprocess", "--context", "Сервер", object)
	if code != ExitOK || !strings.HasPrefix(out, "\nПроцедура ПередЗаписью(Отказ)\n\tВыполнить(Алгоритм);\nКонецПроцедуры\n\n\n\n") {
		t.Errorf("server: exit %d, %q", code, out)
	}

	broken := filepath.Join(t.TempDir(), "broken.bsl")
	if err := os.WriteFile(broken, []byte("#Если Серверр Тогда\nА = 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "", "bsl", "preprocess", "--context", "Server", broken)
	if code != ExitFailure || out != "\n\n" || !strings.Contains(errOut, "broken.bsl:1:7: error: ") || !strings.Contains(errOut, "[unknown-preprocessor-symbol]") {
		t.Errorf("unknown symbol: exit %d, %q, stderr %q", code, out, errOut)
	}
	byOS := filepath.Join(t.TempDir(), "os.bsl")
	if err := os.WriteFile(byOS, []byte("#Если Linux Тогда\nА = 1;\n#Иначе\nБ = 2;\n#КонецЕсли\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--context", "Server"}, "\nА = 1;\n\nБ = 2;\n\n"},
		{[]string{"--context", "Server", "--os", "linux"}, "\nА = 1;\n\n\n\n"},
		{[]string{"--context", "Server", "--os", "Windows"}, "\n\n\nБ = 2;\n\n"},
	} {
		code, out, errOut := run(t, "", append(append([]string{"bsl", "preprocess"}, c.args...), byOS)...)
		if code != ExitOK || out != c.want {
			t.Errorf("%v: exit %d, %q (stderr %q); want %q", c.args, code, out, errOut, c.want)
		}
	}
	code, _, errOut = run(t, "", "bsl", "preprocess", "--context", "Server", "--os", "beos", byOS)
	if code != ExitUsage || !strings.Contains(errOut, "--os") {
		t.Errorf("bad os: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = run(t, "", "bsl", "preprocess", "--context", "Луна", object)
	if code != ExitUsage || !strings.Contains(errOut, "ТонкийКлиент/ThinClient") {
		t.Errorf("bad context: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = run(t, "", "bsl", "preprocess", object)
	if code != ExitUsage || !strings.Contains(errOut, "context") {
		t.Errorf("no context: exit %d, stderr %q", code, errOut)
	}
}

func TestBSLMethods(t *testing.T) {
	root := bslDump(t)
	form := filepath.Join(root, "Catalogs", "Товары", "Forms", "ФормаЭлемента", "Ext", "Form", "Module.bsl")
	code, out, errOut := run(t, "", "bsl", "methods", "--json", form)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Modules []struct {
			Kind, Object string
			Methods      []struct {
				Name      string
				Line      int
				Export    bool
				Directive string
				Contexts  []string
			}
			Offers map[string][]string
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Modules) != 1 || got.Modules[0].Kind != "managed-form" || got.Modules[0].Object != "Справочник.Товары.Форма.ФормаЭлемента" {
		t.Fatalf("%s", out)
	}
	ms := got.Modules[0].Methods
	if len(ms) != 2 || ms[0].Name != "ПриОткрытии" || ms[0].Line != 2 || ms[0].Directive != "AtClient" ||
		strings.Join(ms[0].Contexts, ",") != "ThinClient,WebClient,MobileClient,ThickClientManagedApplication,MobileAppClient" ||
		ms[1].Name != "ПолучитьНаСервере" || ms[1].Line != 8 || ms[1].Directive != "AtServer" ||
		strings.Join(ms[1].Contexts, ",") != "Server,MobileAppServer,MobileStandaloneServer" {
		t.Errorf("methods: %+v", ms)
	}

	code, out, _ = run(t, "", "bsl", "methods", filepath.Join(root, "CommonModules", "Серверный", "Ext", "Module.bsl"))
	if code != ExitOK || !strings.Contains(out, "(ОбщийМодуль.Серверный, common)") || !strings.Contains(out, "1     Данные  Экспорт  -") ||
		!strings.Contains(out, "  Сервер: 1 method, 1 exported\n") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
}

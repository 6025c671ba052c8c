package template

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"dostup/sdbl/source"
)

// def is a template as a test writes it: the Rights.xml header and the body.
type def struct{ header, body string }

// mustSet builds a set whose bodies are files named after the template, so
// that positions in messages read "ИмяШаблона:1:5".
func mustSet(t testing.TB, defs ...def) *Set {
	t.Helper()
	s := &Set{}
	for _, d := range defs {
		name, _, err := ParseHeader(d.header)
		if err != nil {
			t.Fatal(err)
		}
		tm, err := New(d.header, source.NewFile(name, d.body))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Add(tm); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func expandString(t testing.TB, set *Set, text string, ctx Context) (source.Text, []string) {
	t.Helper()
	out, err := Expand(source.FromFile(source.NewFile("r", text)), set, ctx)
	var msgs []string
	if err != nil {
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("error is %T, want ErrorList", err)
		}
		for _, e := range list {
			if e.Loc.File == nil {
				t.Errorf("error without a file: %v", e)
			}
			msgs = append(msgs, e.Error())
		}
	}
	return out, msgs
}

var ruRead = Context{Table: "Справочник.Контрагенты", Right: "Чтение"}

func TestExpand(t *testing.T) {
	cases := []struct {
		name string
		defs []def
		text string
		ctx  Context
		want string
		errs []string
	}{
		{
			name: "spec example 001",
			defs: []def{{"КонтрагентыЧтениеИзменение", "ГДЕ Организация = &Организация #Параметр(1)"}},
			text: `#КонтрагентыЧтениеИзменение("ИЛИ ЭтоГруппа")`,
			want: "ГДЕ Организация = &Организация ИЛИ ЭтоГруппа",
		},
		{
			name: "spec example 004",
			defs: []def{{"Шаблон", "#ТекущаяТаблица ГДЕ #ТекущаяТаблица.#Параметр(1) = #Параметр(2)"}},
			text: `#Шаблон("Наименование", """Стул""")`,
			ctx:  Context{Table: "Справочник.Номенклатура", Right: "Чтение"},
			want: `Справочник.Номенклатура ГДЕ Справочник.Номенклатура.Наименование = "Стул"`,
		},
		{
			name: "english keywords",
			defs: []def{{"T", "#CurrentTable WHERE #CurrentTable.#Parameter(1) = 1 AND #CurrentTableName <> #CurrentAccessRightName"}},
			text: `#T("Code")`,
			ctx:  Context{Table: "Catalog.Items", Right: "Read"},
			want: `Catalog.Items WHERE Catalog.Items.Code = 1 AND "Catalog.Items" <> "Read"`,
		},
		{
			name: "keywords in any case, name looked up in any case",
			defs: []def{{"ДляОбъекта", "#ТЕКУЩАЯТАБЛИЦА #параметр(1)"}},
			text: `#дляобъекта("x")`,
			ctx:  ruRead,
			want: "Справочник.Контрагенты x",
		},
		{
			name: "named parameters and #Параметр side by side",
			defs: []def{{"ДляРегистра(Регистр, Поле1, Поле2)", `#Регистр:#Поле1:#поле2:#Параметр(2):#Поле2`}},
			text: `#ДляРегистра("Р", "П1", "")`,
			want: "Р:П1::П1:",
		},
		{
			name: "an empty parameter before .Поле reads the current table's field",
			defs: []def{{"ОсновноеУсловие", "ГДЕ #Параметр(1).УчетнаяЗапись В (&Записи) И #Параметр(2).Владелец = 1 И #Параметр(1) ЕСТЬ NULL"}},
			text: `#ОсновноеУсловие("", "Т")`,
			want: "ГДЕ УчетнаяЗапись В (&Записи) И Т.Владелец = 1 И  ЕСТЬ NULL",
		},
		{
			name: "a call without parentheses has no arguments",
			defs: []def{{"Всегда", "ГДЕ ИСТИНА #Параметр(1)"}},
			text: `#Всегда`,
			want: "ГДЕ ИСТИНА ",
		},
		{
			name: "missing arguments are empty",
			defs: []def{{"Т(А, Б)", "[#А][#Б][#Параметр(7)]"}},
			text: `#Т("a")`,
			want: "[a][][]",
		},
		{
			name: "zero arguments, blanks before the parenthesis",
			defs: []def{{"Т", "body"}},
			text: "x #Т() y #Т ( ) z",
			want: "x body y body z",
		},
		{
			name: "arguments span lines with comments between them",
			defs: []def{{"Т", "#Параметр(1)|#Параметр(2)|#Параметр(3)"}},
			text: "#Т( \"a\", // first\n\t\"b\nc\"\n,\"\")",
			want: "a|b\nc|",
		},
		{
			name: "current table in the restriction itself",
			text: "#ТекущаяТаблица ГДЕ СтрСодержит(&Х, #ИмяТекущейТаблицы) И #ИмяТекущегоПраваДоступа = \"Чтение\"",
			ctx:  ruRead,
			want: `Справочник.Контрагенты ГДЕ СтрСодержит(&Х, "Справочник.Контрагенты") И "Чтение" = "Чтение"`,
		},
		{
			name: "directives pass through untouched",
			defs: []def{{"Т", "#Если #ИмяТекущегоПраваДоступа <> \"Чтение\" #ТОГДА ИСТИНА #ИначеЕсли Х #Тогда #Иначе ЛОЖЬ #КонецЕсли"}},
			text: "#If &X #Then #Т() #ElsIf Y #Then #ElseIf #Else #EndIf",
			ctx:  Context{Table: "Справочник.А", Right: "Изменение"},
			want: "#If &X #Then #Если \"Изменение\" <> \"Чтение\" #ТОГДА ИСТИНА #ИначеЕсли Х #Тогда #Иначе ЛОЖЬ #КонецЕсли #ElsIf Y #Then #ElseIf #Else #EndIf",
		},
		{
			name: "directive followed by a parenthesis on the next line is not a call",
			text: "#КонецЕсли\n(Х)",
			want: "#КонецЕсли\n(Х)",
		},
		{
			name: "## is a literal #",
			defs: []def{{"Т", "a ## b ##Параметр(1) #Параметр(1)"}},
			text: `## #Т("v")`,
			want: "# a # b #Параметр(1) v",
		},
		{
			name: "substitution inside string literals",
			defs: []def{{"ДляРегистра(Регистр, Поле1)", `СтрСодержит(&X, #ИмяТекущейТаблицы + ":#Поле1;") И "#Параметр(1)"`}},
			text: `#ДляРегистра("Р", "Пользователь")`,
			ctx:  ruRead,
			want: `СтрСодержит(&X, "Справочник.Контрагенты" + ":Пользователь;") И "Р"`,
		},
		{
			name: "comments are copied unchanged",
			defs: []def{{"Т(Поле)", "// ДляРегистра(Регистр, Поле2 = \"\") #Поле #Неизвестно\nГДЕ #Поле // #Поле\n\"http://x\" #Поле"}},
			text: `#Т("v") // #НеВызов("x")`,
			want: "// ДляРегистра(Регистр, Поле2 = \"\") #Поле #Неизвестно\nГДЕ v // #Поле\n\"http://x\" v // #НеВызов(\"x\")",
		},
		{
			name: "a string left open at the end of a line keeps being tracked",
			defs: []def{{"Т(П)", "\"a\nb // not a comment #П\" // comment #П\n#П"}},
			text: `#Т("v")`,
			want: "\"a\nb // not a comment v\" // comment #П\nv",
		},
		{
			name: "values are not rescanned",
			defs: []def{{"Т", "#Параметр(1)"}},
			text: `#Т("#Параметр(2) ##x")`,
			errs: []string{"r:1:5: #Параметр(2) can only be used inside a template: the restriction text has no arguments"},
			want: "#Параметр(2) #x",
		},
		{
			name: "arguments are expanded in the caller's context",
			defs: []def{
				{"Внешний(Поле)", `#Внутренний("#Параметр(1)+#Поле", "#ИмяТекущейТаблицы", "##")`},
				{"Внутренний", "[#Параметр(1)][#Параметр(2)][#Параметр(3)][#Параметр(4)]"},
			},
			text: `#Внешний("""q""")`,
			ctx:  ruRead,
			want: `["q"+"q"]["Справочник.Контрагенты"][#][]`,
		},
		{
			name: "nested templates three deep",
			defs: []def{{"А", "a(#Б(\"#Параметр(1)\"))"}, {"Б", "b(#В(\"#Параметр(1)#Параметр(1)\"))"}, {"В", "c(#Параметр(1))"}},
			text: `#А("x")`,
			want: "a(b(c(xx)))",
		},
		{
			name: "a template may be called twice",
			defs: []def{{"Т(П)", "<#П>"}},
			text: `#Т("1") И #Т("2")`,
			want: "<1> И <2>",
		},
		{
			name: "english corpus body",
			defs: []def{{"ByValues", `Error: template not supported "#Parameter(1) #Parameter(2) #Parameter(3)"`}},
			text: `#ByValues( "Catalog.X", "", "Condition")`,
			want: `Error: template not supported "Catalog.X  Condition"`,
		},
		{
			name: "unknown template",
			defs: []def{{"ДляОбъекта(ПолеОбъекта)", "x"}, {"ДляРегистра(Регистр)", "y"}},
			text: "ГДЕ\n  #ДляОбъекта2(\"\")",
			errs: []string{`r:2:3: unknown template "ДляОбъекта2" (the role has: ДляОбъекта, ДляРегистра)`},
			want: "ГДЕ\n  ",
		},
		{
			name: "unknown template, role without templates",
			text: `#Т()`,
			errs: []string{`r:1:1: unknown template "Т" (the role has no templates)`},
		},
		{
			name: "unknown word in the restriction",
			text: "ГДЕ #Поле1 = 1",
			errs: []string{`r:1:5: unknown #Поле1: it is neither a preprocessor directive nor a template of the role (a call is written #Поле1 or #Поле1("..."); a # sign is written ##)`},
			want: "ГДЕ #Поле1 = 1",
		},
		{
			name: "unknown template parameter",
			defs: []def{{"ДляРегистра(Регистр, Поле1)", "ГДЕ\n #Поле2 = 1"}, {"Т", "#Поле"}},
			text: `#ДляРегистра("a", "b") #Т()`,
			errs: []string{
				`ДляРегистра:2:2 (in template ДляРегистра called at r:1:1): unknown template parameter or template #Поле2 (the template's parameters are: Регистр, Поле1)`,
				`Т:1:1 (in template Т called at r:1:24): unknown template parameter or template #Поле (the template has no named parameters: use #Параметр(n) or call a template as #Поле("..."))`,
			},
			want: "ГДЕ\n #Поле2 = 1 #Поле",
		},
		{
			name: "bad parameter numbers",
			defs: []def{{"Т", "#Параметр(x) #Параметр(0) #Параметр #Параметр(1"}},
			text: `#Т()`,
			errs: []string{
				"Т:1:11 (in template Т called at r:1:1): #Параметр(x): the argument number must be a whole number from 1 up",
				"Т:1:24 (in template Т called at r:1:1): #Параметр(0): the argument number must be a whole number from 1 up",
				"Т:1:27 (in template Т called at r:1:1): #Параметр needs the number of an argument in parentheses, as in #Параметр(1)",
				"Т:1:37 (in template Т called at r:1:1): missing ) after #Параметр(",
			},
			want: "#Параметр(x) #Параметр(0) #Параметр #Параметр(1",
		},
		{
			name: "argument that is not a string",
			defs: []def{{"Т", "x"}},
			text: `#Т("a", Б, "в")`,
			errs: []string{"r:1:9: argument 2 of #Т must be a string in double quotes"},
			want: `#Т("a", Б, "в")`,
		},
		{
			name: "unterminated argument string",
			defs: []def{{"Т", "x"}},
			text: "#Т(\"a\",\n \"b)",
			errs: []string{`r:2:2: unterminated string in argument 2 of #Т: the closing " is missing`},
			want: "#Т(\"a\",\n \"b)",
		},
		{
			name: "missing )",
			defs: []def{{"Т", "x"}},
			text: `#Т("a" "b") И #Т("a"`,
			errs: []string{
				"r:1:8: expected , or ) after argument 1 of #Т",
				"r:1:15: missing ) to close the call of #Т(",
			},
			want: `#Т("a" "b") И #Т("a"`,
		},
		{
			name: "trailing comma",
			defs: []def{{"Т", "x"}},
			text: `#Т("a",)`,
			errs: []string{"r:1:8: argument 2 of #Т must be a string in double quotes"},
			want: `#Т("a",)`,
		},
		{
			name: "lone #",
			text: "a # b",
			errs: []string{"r:1:3: # must be followed by a name (write ## for a # sign)"},
			want: "a # b",
		},
		{
			name: "direct recursion",
			defs: []def{{"Т", "x #Т()"}},
			text: `#Т()`,
			errs: []string{"Т:1:3 (in template Т called at r:1:1): recursive template call: Т → Т"},
			want: "x ",
		},
		{
			name: "indirect recursion",
			defs: []def{{"А", "a #Б()"}, {"Б", "b\n #А()"}},
			text: `#А()`,
			errs: []string{"Б:2:2 (in template Б called at А:1:3) (in template А called at r:1:1): recursive template call: А → Б → А"},
			want: "a b\n ",
		},
		{
			name: "call inside an argument",
			defs: []def{{"Т", "#Параметр(1)"}},
			text: `#Т("#Т(x)")`,
			errs: []string{"r:1:5: template call #Т(...) inside an argument of another call is not supported: call it in the template body instead"},
			want: "#Т(x)",
		},
		{
			name: "every mistake of a run is reported",
			defs: []def{{"Т(П)", "#П #Плохо #Параметр(y)"}},
			text: "#Т(\"1\") #Нет() #Т(\"2\")",
			errs: []string{
				"Т:1:4 (in template Т called at r:1:1): unknown template parameter or template #Плохо (the template's parameters are: П)",
				"Т:1:21 (in template Т called at r:1:1): #Параметр(y): the argument number must be a whole number from 1 up",
				`r:1:9: unknown template "Нет" (the role has: Т)`,
				"Т:1:4 (in template Т called at r:1:16): unknown template parameter or template #Плохо (the template's parameters are: П)",
				"Т:1:21 (in template Т called at r:1:16): #Параметр(y): the argument number must be a whole number from 1 up",
			},
			want: "1 #Плохо #Параметр(y)  2 #Плохо #Параметр(y)",
		},
		{
			name: "table not known",
			defs: []def{{"Т", "#ТекущаяТаблица #ИмяТекущейТаблицы"}},
			text: `#Т()`,
			ctx:  Context{Right: "Чтение"},
			errs: []string{"Т:1:1 (in template Т called at r:1:1): #ТекущаяТаблица is used but the table being restricted is not known"},
			want: " ",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errs := expandString(t, mustSet(t, c.defs...), c.text, c.ctx)
			if out.Body != c.want {
				t.Errorf("output:\n got %q\nwant %q", out.Body, c.want)
			}
			if strings.Join(errs, "\n") != strings.Join(c.errs, "\n") {
				t.Errorf("errors:\n got %s\nwant %s", strings.Join(errs, "\n     "), strings.Join(c.errs, "\n     "))
			}
		})
	}
}

// TestMapsBack checks where each kind of output character comes from.
func TestMapsBack(t *testing.T) {
	set := mustSet(t,
		def{"Внешний(Поле)", "ГДЕ #Внутренний(\"#Поле = 1\")"},
		def{"Внутренний", "(#Параметр(1)) И #ТекущаяТаблица"},
	)
	r := "// x\n#Внешний(\"Т.А\"\"Б\")"
	out, errs := expandString(t, set, r, ruRead)
	if errs != nil {
		t.Fatal(errs)
	}
	want := `ГДЕ (Т.А"Б = 1) И Справочник.Контрагенты`
	if !strings.HasSuffix(out.Body, want) {
		t.Fatalf("got %q", out.Body)
	}
	base := len(out.Body) - len(want)
	at := func(s string) int {
		i := strings.Index(want, s)
		if i < 0 {
			t.Fatalf("%q not in output", s)
		}
		return base + i
	}
	cases := []struct {
		off  int
		want string
	}{
		{0, "r:1:1"}, // the comment, copied from the restriction
		{at("ГДЕ"), "Внешний:1:1 (in template Внешний called at r:2:1)"},
		{at("("), "Внутренний:1:1 (in template Внутренний called at Внешний:1:5) (in template Внешний called at r:2:1)"},
		{at("Т.А"), "r:2:11"},     // the value of the outer argument: where it was written
		{at("А\"") + 1, "r:2:14"}, // the quote written as "" maps to the first of the two
		{at("Б"), "r:2:16"},
		{at(" = 1"), "Внешний:1:23 (in template Внешний called at r:2:1)"}, // the rest of the inner argument
		{at(") И"), "Внутренний:1:14 (in template Внутренний called at Внешний:1:5) (in template Внешний called at r:2:1)"},
		{at("Справочник"), "Внутренний:1:18 (in template Внутренний called at Внешний:1:5) (in template Внешний called at r:2:1)"},
		{at("Контрагенты"), "Внутренний:1:18 (in template Внутренний called at Внешний:1:5) (in template Внешний called at r:2:1)"},
	}
	for _, c := range cases {
		if got := out.Locate(c.off).String(); got != c.want {
			t.Errorf("offset %d (%q): got %s, want %s", c.off, out.Body[c.off:], got, c.want)
		}
	}
}

func TestParseHeader(t *testing.T) {
	cases := []struct {
		in     string
		name   string
		params []string
		err    bool
	}{
		{in: "ДляОбъекта", name: "ДляОбъекта"},
		{in: "  ПоЗначениям \n", name: "ПоЗначениям"},
		{in: "ДляОбъекта(ПолеОбъекта)", name: "ДляОбъекта", params: []string{"ПолеОбъекта"}},
		{in: "ДляРегистра(Регистр, Поле1, Поле2, Поле3, Поле4, Поле5)", name: "ДляРегистра", params: []string{"Регистр", "Поле1", "Поле2", "Поле3", "Поле4", "Поле5"}},
		{in: "ForRegister(Register,Field1)", name: "ForRegister", params: []string{"Register", "Field1"}},
		{in: "Т()", name: "Т"},
		{in: "Т(", err: true},
		{in: "Т(А,)", err: true},
		{in: "Т(А, а)", err: true},
		{in: "Т(1А)", err: true},
		{in: "", err: true},
		{in: "Два слова", err: true},
		{in: "(А)", err: true},
	}
	for _, c := range cases {
		name, params, err := ParseHeader(c.in)
		if (err != nil) != c.err {
			t.Errorf("%q: err = %v", c.in, err)
			continue
		}
		if err == nil && (name != c.name || strings.Join(params, ",") != strings.Join(c.params, ",")) {
			t.Errorf("%q: got %q %q", c.in, name, params)
		}
	}
}

func TestSet(t *testing.T) {
	s := mustSet(t, def{"ДляОбъекта(П)", ""}, def{"ПоЗначениям", ""})
	if s.Lookup("дляобъекта") == nil || s.Lookup("ПОЗНАЧЕНИЯМ") == nil || s.Lookup("Нет") != nil {
		t.Error("lookup is not case-insensitive")
	}
	if got := strings.Join(s.Names(), ","); got != "ДляОбъекта,ПоЗначениям" {
		t.Errorf("names: %s", got)
	}
	if err := s.Add(&Template{Name: "ДЛЯОБЪЕКТА"}); err == nil {
		t.Error("a name differing only in case was accepted twice")
	}
	var nilSet *Set
	if nilSet.Lookup("x") != nil || nilSet.Names() != nil {
		t.Error("nil set")
	}
}

func TestCheck(t *testing.T) {
	tm, err := New("Т(П)", source.NewFile("t", "#П\n  #Параметр(0) #Х"))
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	if err := tm.Check(); err != nil {
		for _, e := range err.(ErrorList) {
			got += e.Error() + "\n"
		}
	}
	want := "t:2:13: #Параметр(0): the argument number must be a whole number from 1 up\n" +
		"t:2:16: unknown template parameter or template #Х (the template's parameters are: П)\n"
	if got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
	ok, _ := New("Т", source.NewFile("t", "#Параметр(1) #Если #Тогда"))
	if err := ok.Check(); err != nil {
		t.Error(err)
	}
}

// TestLimits: templates that blow up must stop with an error, not hang.
func TestLimits(t *testing.T) {
	// Each template calls the next twice: 2^40 calls if nothing stopped it.
	var defs []def
	for i := 0; i < 40; i++ {
		defs = append(defs, def{fmt.Sprint("T", i), fmt.Sprintf("#T%d()#T%d()", i+1, i+1)})
	}
	_, errs := expandString(t, mustSet(t, defs...), "#T0()", ruRead)
	if len(errs) == 0 {
		t.Fatal("no error")
	}
	if !strings.Contains(strings.Join(errs, "\n"), "nested more than 32 deep") && !strings.Contains(strings.Join(errs, "\n"), "template calls in one restriction") {
		t.Errorf("got %s", errs)
	}
	// Output growing by doubling.
	defs = defs[:0]
	for i := 0; i < 30; i++ {
		defs = append(defs, def{fmt.Sprint("T", i), fmt.Sprintf("#T%d()#T%d()", i+1, i+1)})
	}
	defs = append(defs, def{"T30", strings.Repeat("x", 1000)})
	_, errs = expandString(t, mustSet(t, defs...), "#T0()", ruRead)
	if len(errs) != 1 || !strings.Contains(errs[0], "larger than") && !strings.Contains(errs[0], "template calls in one restriction") {
		t.Errorf("got %s", errs)
	}
}

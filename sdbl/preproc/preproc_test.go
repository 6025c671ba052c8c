package preproc

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"dostup/sdbl/source"
)

func text(name, s string) source.Text { return source.FromFile(source.NewFile(name, s)) }

func mustParse(t testing.TB, s string) *Program {
	t.Helper()
	p, err := Parse(text("t.txt", s))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

func TestEval(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		params Params
		want   string
	}{
		{"if true", "a #Если &X #Тогда b #КонецЕсли c", Params{"X": true}, "a  b  c"},
		{"if false", "a #Если &X #Тогда b #КонецЕсли c", Params{"x": false}, "a  c"},
		{"else", "#Если &X = 1 #Тогда one#Иначе other#КонецЕсли", Params{"X": 2}, " other"},
		{"elsif", "#Если &X = \"a\" #Тогда A#ИначеЕсли &X = \"b\" #Тогда B#Иначе C#КонецЕсли", Params{"X": "b"}, " B"},
		{"english any case", "#if &X #THEN yes #else no #endif", Params{"X": false}, " no "},
		{"elseif spelling", "#If &X = 1 #Then a#ElseIf &X = 2 #Then b#EndIf", Params{"X": 2.0}, " b"},
		{"upper Тогда", "#Если Истина #ТОГДА x#КонецЕсли", nil, " x"},
		{"inline", "ГДЕ #Если &X #Тогда 0 #Иначе 1 #КонецЕсли = 1", Params{"X": true}, "ГДЕ  0  = 1"},
		{"nested", "#Если &A #Тогда [#Если &B #Тогда b#Иначе nb#КонецЕсли]#КонецЕсли", Params{"A": true, "B": false}, " [ nb]"},
		{"nested not taken needs nothing", "#Если &A #Тогда #Если &B #Тогда b#КонецЕсли#КонецЕсли.", Params{"A": false}, "."},
		{"short circuit", "#Если Ложь И &Unset #Тогда x#Иначе y#КонецЕсли", nil, " y"},
		{"contains concat", `#Если СтрСодержит(&L, "Рег.X" + ":В1;") #Тогда y#КонецЕсли`, Params{"L": "a;Рег.X:В1;b"}, " y"},
		{"not contains const", `#Если Не СтрСодержит("ИдентификаторыОбъектовМетаданных.Y", "КлючиДоступаКРегистру") #Тогда y#КонецЕсли`, nil, " y"},
		{"const compare", `#Если "Пользователь" = "" Или "Чтение" <> "Чтение" #Тогда y#Иначе n#КонецЕсли`, nil, " n"},
		{"escaped quotes", `#Если "a""b" = &S #Тогда y#КонецЕсли`, Params{"S": `a"b`}, " y"},
		{"value ref", `#Если &U = Значение(Справочник.ВП.ПустаяСсылка) #Тогда e#Иначе i#КонецЕсли`, Params{"U": Ref("справочник.вп.пустаяссылка")}, " e"},
		{"value vs string", `#If &U = Value(Catalog.X.EmptyRef) #Then e#Else i#EndIf`, Params{"U": "Catalog.X.EmptyRef"}, " i"},
		{"numbers", "#Если 2 + 3 >= 5 И 1.5 < 2 И -1 < 0 #Тогда y#КонецЕсли", nil, " y"},
		{"comment after then", "#Если Истина #Тогда // why\nГДЕ ИСТИНА\n#КонецЕсли", nil, " // why\nГДЕ ИСТИНА\n"},
		{"directive in comment", "// #Если &X #Тогда\nx", nil, "// #Если &X #Тогда\nx"},
		{"directive in string", `Ошибка: "#Если &X #Тогда" x`, nil, `Ошибка: "#Если &X #Тогда" x`},
		{"line start beats string", "Ошибка: \"odd\n#Если Истина #Тогда a\n#КонецЕсли", nil, "Ошибка: \"odd\n a\n"},
		{"other hash words stay", "#Если Истина #Тогда #ИмяТекущейТаблицы #Параметр(1)#КонецЕсли", nil, " #ИмяТекущейТаблицы #Параметр(1)"},
		{"comment in condition", "#Если Истина // yes\n #Тогда x#КонецЕсли", nil, " x"},
		{"undefined", "#Если &U = Неопределено #Тогда u#КонецЕсли", Params{"U": nil}, " u"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.in)
			got, err := p.Eval(tt.params)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			if got.Body != tt.want {
				t.Errorf("got %q, want %q", got.Body, tt.want)
			}
		})
	}
}

// The output must map back to the file the user wrote.
func TestEvalKeepsOrigins(t *testing.T) {
	p := mustParse(t, "#Если &X #Тогда\nГДЕ ИСТИНА\n#Иначе\nГДЕ ЛОЖЬ\n#КонецЕсли")
	got, err := p.Eval(Params{"X": false})
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(got.Body, "ЛОЖЬ")
	if loc := got.Locate(i).String(); loc != "t.txt:4:5" {
		t.Errorf("ЛОЖЬ at %s, want t.txt:4:5", loc)
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		in     string
		params Params
		want   string
	}{
		{"x\n #Если &X #Тогда y#КонецЕсли", nil, `t.txt:2:8: session parameter "&X" is not set`},
		{"#Если &A ИЛИ &Bb #Тогда y#КонецЕсли", Params{"a": false}, `t.txt:1:14: session parameter "&Bb" is not set`},
		{"#Если #ИмяТекущейТаблицы = \"\" #Тогда y#КонецЕсли", nil, `t.txt:1:7: template parameter "#ИмяТекущейТаблицы" is not expanded`},
		{"#Если &X #Тогда y#КонецЕсли", Params{"X": "s"}, `t.txt:1:7: condition is "s", not a boolean`},
		{"#Если &X < 1 #Тогда y#КонецЕсли", Params{"X": "s"}, `t.txt:1:10: cannot compare "s" < 1`},
	}
	for _, tt := range tests {
		p := mustParse(t, tt.in)
		_, err := p.Eval(tt.params)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: got %v, want %s", tt.in, err, tt.want)
		}
		var pe *Error
		if err != nil && !errors.As(err, &pe) {
			t.Errorf("%q: error %T is not *Error", tt.in, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"#Если &X\nГДЕ ИСТИНА\n#КонецЕсли", []string{"t.txt:1:1: #Если without #Тогда"}},
		{"#Если &X Тогда\nГДЕ ИСТИНА\n#КонецЕсли", []string{"t.txt:1:1: #Если without #Тогда: in restriction texts #Тогда is written with its #"}},
		{"a\n  #Иначе\n", []string{"t.txt:2:3: #Иначе without #Если"}},
		{"#КонецЕсли", []string{"t.txt:1:1: #КонецЕсли without #Если"}},
		{"#EndIf", []string{"t.txt:1:1: #EndIf without #If"}},
		{"x #ИначеЕсли &A #Тогда", []string{"t.txt:1:3: #ИначеЕсли without #Если"}},
		{"\n\t#Если &X #Тогда a", []string{"t.txt:2:2: #Если is not closed with #КонецЕсли"}},
		{"#Если &X #Тогда a #Иначе b #Иначе c #КонецЕсли", []string{"t.txt:1:28: #Иначе twice in one #Если"}},
		{"#Если &X #Тогда a #Иначе b #ИначеЕсли &Y #Тогда c #КонецЕсли", []string{"t.txt:1:28: #ИначеЕсли after #Иначе"}},
		{"#Если &X = = 1 #Тогда a #КонецЕсли", []string{`t.txt:1:12: unexpected "=" in condition`}},
		{"#Если &X = (1 #Тогда a #КонецЕсли", []string{`t.txt:1:15: expected ")", found end of condition`}},
		{"#Если СтрНайти(&X, 1) #Тогда a #КонецЕсли", []string{"t.txt:1:7: unknown function СтрНайти (conditions of #Если may call СтрСодержит / StrContains and Значение / Value)"}},
		{"#Если СтрСодержит(&X) #Тогда a #КонецЕсли", []string{"t.txt:1:7: СтрСодержит takes 2 arguments, not 1"}},
		{"#Если &X = \"abc #Тогда a #КонецЕсли", []string{"t.txt:1:12: string literal not terminated"}},
		{"#Если &X ; #Тогда a #КонецЕсли", []string{"t.txt:1:10: unexpected character ';'"}},
		{"#Если #Тогда a #КонецЕсли", []string{"t.txt:1:7: missing condition before #Тогда"}},
		{"#Тогда", []string{"t.txt:1:1: #Тогда without #Если"}},
		// Several mistakes are all reported in one run.
		{"#Если &X = #Тогда a #КонецЕсли\n#Иначе\n#Если Истина #Тогда",
			[]string{`t.txt:1:12: unexpected end of condition in condition`, "t.txt:2:1: #Иначе without #Если", "t.txt:3:1: #Если is not closed with #КонецЕсли"}},
	}
	for _, tt := range tests {
		_, err := Parse(text("t.txt", tt.in))
		var list ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%q: got %v, want an ErrorList", tt.in, err)
			continue
		}
		var got []string
		for _, e := range list {
			got = append(got, e.Error())
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%q:\ngot  %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func variantBodies(vs *VariantSet) []string {
	var out []string
	for _, v := range vs.Variants {
		out = append(out, v.Text.Body)
	}
	return out
}

func TestVariantsExhaustive(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		opts  Options
		count int
		want  []string // when set, the exact texts in order found
	}{
		{"three independent", "#Если &A #Тогда a#КонецЕсли#Если &B #Тогда b#КонецЕсли#Если &C #Тогда c#КонецЕсли", Options{}, 8, nil},
		{"constant conditions do not fork", `#Если "A" = "" #Тогда x#КонецЕсли#Если "X" <> "X" #Тогда y#КонецЕсли#Если Не СтрСодержит("a", "b") #Тогда z#КонецЕсли`, Options{}, 1, []string{" z"}},
		{"shared atom", `ИЗ Т #Если СтрСодержит(&P, "x") #Тогда СОЕДИНЕНИЕ#КонецЕсли ГДЕ #Если СтрСодержит(&P, "x") #Тогда J#Иначе ИСТИНА#КонецЕсли`, Options{},
			2, []string{"ИЗ Т  ГДЕ  ИСТИНА", "ИЗ Т  СОЕДИНЕНИЕ ГДЕ  J"}},
		{"binding makes later conditions exact", `#Если &P = "Все" #Тогда [все]#КонецЕсли#Если СтрСодержит(&P, "Вс") #Тогда в#Иначе н#КонецЕсли`, Options{},
			3, []string{" н", " в", " [все] в"}},
		{"bare parameter binds", `#Если &P #Тогда a#КонецЕсли#Если Не &P #Тогда b#КонецЕсли#Если &P = Истина #Тогда c#КонецЕсли`, Options{}, 2, []string{" b", " a c"}},
		{"ne false binds", `#Если &P <> "x" #Тогда a#Иначе #Если &P = "x" #Тогда b#КонецЕсли#КонецЕсли`, Options{}, 2, []string{"  b", " a"}},
		{"known params", "#Если &A #Тогда a#КонецЕсли#Если &B #Тогда b#КонецЕсли", Options{Params: Params{"a": true}}, 2, []string{" a", " a b"}},
		{"identical texts merge", "#Если &A #Тогда x#Иначе x#КонецЕсли", Options{}, 1, []string{" x"}},
		{"or gives one text for two walks", "#Если &A ИЛИ &B #Тогда x#КонецЕсли", Options{}, 2, []string{"", " x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := mustParse(t, tt.in).Variants(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !vs.Exhaustive || vs.Count != tt.count || len(vs.Variants) != tt.count {
				t.Errorf("exhaustive %v count %d variants %d, want exhaustive count %d: %q", vs.Exhaustive, vs.Count, len(vs.Variants), tt.count, variantBodies(vs))
			}
			if tt.want != nil && fmt.Sprint(variantBodies(vs)) != fmt.Sprint(tt.want) {
				t.Errorf("got %q, want %q", variantBodies(vs), tt.want)
			}
			// In "ne false" the inner #Иначе is unreachable only through the
			// outer binding, which the static dead-branch check does not see.
			if vs.Covered != vs.Branches-vs.Dead && !strings.HasPrefix(tt.name, "ne false") {
				t.Errorf("covered %d of %d-%d: %v", vs.Covered, vs.Branches, vs.Dead, vs.Uncovered)
			}
			if vs.Upper < vs.Count {
				t.Errorf("upper %d < count %d", vs.Upper, vs.Count)
			}
		})
	}
}

func TestVariantsAssumptions(t *testing.T) {
	vs, err := mustParse(t, `#Если СтрСодержит(&Списки, "РегистрСведений.X" + ":Вариант1Поле1=Поле1;") #Тогда a#КонецЕсли`).Variants(Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(vs.Variants[1].Assumptions)
	want := `[{СтрСодержит(&Списки, "РегистрСведений.X:Вариант1Поле1=Поле1;") true}]`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// Forty independent chains have 2^40 texts: coverage mode must end quickly
// with every branch taken.
func TestVariantsCoverage(t *testing.T) {
	var b strings.Builder
	for i := range 40 {
		fmt.Fprintf(&b, "#Если СтрСодержит(&P, \";%02d;\") #Тогда ,ИСТИНА #Иначе ,ЛОЖЬ #КонецЕсли\n", i)
	}
	b.WriteString("#Если &A #Тогда #Если &B = 1 #Тогда b1 #ИначеЕсли &B = 2 #Тогда b2 #ИначеЕсли Не &C #Тогда nc #КонецЕсли #КонецЕсли")
	p := mustParse(t, b.String())
	vs, err := p.Variants(Options{Limit: 64})
	if err != nil {
		t.Fatal(err)
	}
	// The work is bounded by walks, not time: a hang would be a walk count
	// far beyond the passes allowed.
	if vs.Walks > 1000+64+len(p.slots)*targetedTries+len(p.slots) {
		t.Errorf("%d walks", vs.Walks)
	}
	if vs.Exhaustive {
		t.Error("2^40 texts reported as exhaustive")
	}
	if vs.Covered != vs.Branches || vs.Branches != 40*2+2+4 {
		t.Errorf("covered %d of %d: %v", vs.Covered, vs.Branches, vs.Uncovered)
	}
	if vs.Count < 2 || vs.Count != len(vs.Variants) || vs.Upper <= 1<<40 {
		t.Errorf("count %d upper %d", vs.Count, vs.Upper)
	}
}

func TestVariantsDead(t *testing.T) {
	p := mustParse(t, `#Если "Чтение" <> "Чтение" #Тогда #Если &A #Тогда a #КонецЕсли #ИначеЕсли &X #Тогда x #КонецЕсли`)
	vs, err := p.Variants(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if vs.Branches != 5 || vs.Dead != 3 || vs.Covered != 2 || vs.Count != 2 {
		t.Errorf("branches %d dead %d covered %d count %d", vs.Branches, vs.Dead, vs.Covered, vs.Count)
	}
}

package template

import (
	"dostup/internal/testcorpus"

	"errors"
	"strings"
	"testing"

	"dostup/sdbl/source"
)

// FuzzExpand feeds Expand a restriction and the body of one of its
// templates. Whatever they hold, Expand must not panic or hang, every error
// must say in which file it is, and every output character must map to a
// file.
func FuzzExpand(f *testing.F) {
	seeds := [][2]string{
		{`#Т("a", "b")`, "#ТекущаяТаблица ГДЕ #ТекущаяТаблица.#Параметр(1) = #Параметр(2)"},
		{`#Если &Х #Тогда #Т("", "") #Иначе ГДЕ ИСТИНА #КонецЕсли`, "// ДляРегистра(Регистр, Поле1 = \"\")\n#Если #ИмяТекущегоПраваДоступа <> \"Чтение\" #Тогда ГДЕ #А #Иначе СтрСодержит(&Х, #ИмяТекущейТаблицы + \":#Б;\") #КонецЕсли"},
		{"#Вызов( \"Справочник.X\", \"\",\n\"Условие\", \"Т.Ответственный = &ТекущийПользователь\", \"\"\"\")", `Error: template not supported "#Parameter(1) #Parameter(2) #Parameter(3)"`},
		{`#Т("x") ## #Неизвестный #Т(`, `#Т("y") #Вызов("z") #Параметр(x) #Параметр(0) #`},
		{`#T("a`, `"open string // #А` + "\n" + `#Б"`},
		{`#т()#т()#т()`, `#вызов("#а#а#а#а", "#б")`},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	// Real texts: each as a restriction, and each as the body of the
	// template a short call expands.
	for _, c := range testcorpus.Conditions(f) {
		f.Add(c, "")
		f.Add(`#Т("Ссылка", "Пользователь")`, c)
	}
	f.Fuzz(func(t *testing.T, restriction, body string) {
		set := &Set{}
		for _, d := range []def{
			{"Т(А, Б)", body},
			{"Вызов", `#Т("#Параметр(1)#Параметр(1)", "#Параметр(2)") // #Т("x")`},
		} {
			tm, err := New(d.header, source.NewFile(d.header, d.body))
			if err != nil {
				t.Fatal(err)
			}
			if err := set.Add(tm); err != nil {
				t.Fatal(err)
			}
		}
		in := source.FromFile(source.NewFile("r", restriction))
		out, err := Expand(in, set, Context{Table: "Справочник.Х", Right: "Чтение"})
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.Loc.File == nil {
					t.Fatalf("error without a file: %v", e)
				}
			}
		} else if !strings.Contains(restriction, "#") && out.Body != restriction {
			t.Fatalf("a text without # changed: %q -> %q", restriction, out.Body)
		}
		if len(out.Body) > 2*maxOutput {
			t.Fatalf("output of %d bytes", len(out.Body))
		}
		for off := 0; off < len(out.Body); off += 1 + off/8 {
			if out.Locate(off).File == nil {
				t.Fatalf("offset %d of %q maps to no file", off, out.Body)
			}
		}
		_ = set.Lookup("Т").Check()
	})
}

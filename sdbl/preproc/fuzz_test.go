package preproc

import (
	"dostup/internal/testcorpus"

	"errors"
	"testing"

	"dostup/sdbl/source"
)

func FuzzPreprocess(f *testing.F) {
	for _, s := range []string{
		"#Если &X #Тогда a #Иначе b #КонецЕсли",
		"ГДЕ #Если &X #Тогда 0 #Иначе 1 #КонецЕсли = 1",
		`#Если СтрСодержит(&P, "РегистрСведений.X" + ":Вариант1Поле1=Поле1;") #Тогда J #КонецЕсли`,
		`#Если &ТекущийВнешнийПользователь = Значение(Справочник.ВнешниеПользователи.ПустаяСсылка) #Тогда a #КонецЕсли`,
		"#If Not &A Or &B = \"x\"\"y\" #Then a #ElseIf &C #Then b #Else c #EndIf",
		"#Если &X = \"Все\" #ТОГДА // c\n#Если СтрСодержит(&X, \"В\") #Тогда x #КонецЕсли\n#КонецЕсли",
		"Ошибка: \"odd\n#Если Истина #Тогда #ИмяТекущейТаблицы #КонецЕсли",
		"#Если (1 + 2 >= 3) И -1 < 0 #Тогда #Иначе #Иначе",
	} {
		f.Add(s)
	}
	for _, s := range testcorpus.Conditions(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(source.FromFile(source.NewFile("f.txt", s)))
		checkLocs := func(err error) {
			var list ErrorList
			var one *Error
			switch {
			case errors.As(err, &list):
				for _, e := range list {
					if e.Loc.File == nil {
						t.Fatalf("error without a file: %v", e)
					}
				}
			case errors.As(err, &one):
				if one.Loc.File == nil {
					t.Fatalf("error without a file: %v", one)
				}
			}
		}
		if err != nil {
			checkLocs(err)
			return
		}
		if _, err := p.Eval(Params{"X": true, "A": false, "P": "Все"}); err != nil {
			checkLocs(err)
		}
		vs, err := p.Variants(Options{Limit: 8, MaxPasses: 20, RandomPasses: 4})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range vs.Errors {
			checkLocs(e)
		}
		if vs.Covered > vs.Branches {
			t.Fatalf("covered %d > branches %d", vs.Covered, vs.Branches)
		}
	})
}

package rlscheck

import (
	"reflect"
	"strings"
	"testing"
)

// TestChainsAround reads directives as preproc.Parse does: not inside
// strings or // comments, always at the start of a line.
func TestChainsAround(t *testing.T) {
	text := "#Если &А #Тогда\n" + // 0
		"  Т.Поле = \"#КонецЕсли\" // #Если\n" +
		"  #Если &Б #Тогда Т.X #Иначе Т.Y #КонецЕсли\n" +
		"#КонецЕсли\n" +
		"#Если &В #Тогда ГДЕ ИСТИНА #КонецЕсли"
	at := func(s string) int { return strings.Index(text, s) }
	outer := [2]int{0, at("#КонецЕсли\n#Если") + len("#КонецЕсли")}
	inner := [2]int{at("#Если &Б"), at(" #КонецЕсли\n#КонецЕсли") + len(" #КонецЕсли")}
	if got := chainsAround(text, at("Т.Y")); !reflect.DeepEqual(got, [][2]int{inner, outer}) {
		t.Errorf("around Т.Y: %v, want %v", got, [][2]int{inner, outer})
	}
	if got := chainsAround(text, at("Т.Поле")); !reflect.DeepEqual(got, [][2]int{outer}) {
		t.Errorf("around Т.Поле: %v, want %v", got, [][2]int{outer})
	}
	if got := chainsAround(text, at("ИСТИНА")); len(got) != 1 || got[0][0] != at("#Если &В") {
		t.Errorf("around ИСТИНА: %v", got)
	}
}

func TestCallArguments(t *testing.T) {
	text := `#Если &У #Тогда #ДляОбъекта("") #Иначе
#ПоЗначениям("Справочник.X", "", "ВидДоступа", "Т.Ссылка", "Условие", "Т.А <> ""1""") // "не это"
#КонецЕсли`
	want := []string{"", "Справочник.X", "", "ВидДоступа", "Т.Ссылка", "Условие", `Т.А <> "1"`}
	if got := callArguments(text); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	names := describingNames("Справочник.X", nil)
	if !namesTable("Справочник.X:Владелец;;-", names) || namesTable(",Справочник.Y,", names) {
		t.Error("namesTable")
	}
}

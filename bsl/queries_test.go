package bsl_test

import (
	"strings"
	"testing"

	"dostup/bsl"
)

func TestQueryTexts(t *testing.T) {
	src := strings.Join([]string{
		`Процедура А()`,
		`	Запрос = Новый Запрос("ВЫБРАТЬ 1");`,
		`	Запрос.Текст =`,
		`	"ВЫБРАТЬ`,
		`	|	Т.Ссылка КАК Ссылка, ""кавычки""`,
		`	// закомментированная строка внутри текста`,
		`	|ИЗ`,
		`	|	Справочник.Т КАК Т";`,
		`	Т2 = "ВЫБРАТЬ * ИЗ " + Имя;`,
		`	Т3 = "Не запрос";`,
		`	Т4 = "  // комментарий`,
		`	|select 2";`,
		`	Т5 = "ВЫБРАТЬ`,
		`#Удаление`,
		`	|	Старое`,
		`#КонецУдаления`,
		`	|	Новое";`,
		`КонецПроцедуры`,
		`Функция Б() Экспорт`,
		`	Текст = "ВЫБРАТЬ Т.А,";`,
		`	Если Истина Тогда Текст = Текст + " Т.Б"; КонецЕсли;`,
		`	Текст = СтрЗаменить(Текст, "ВЫБРАТЬ ПЕРВЫЕ 1", "ВЫБРАТЬ");`,
		`	Текст = "ВЫБРАТЬ 2";`,
		`КонецФункции`,
	}, "\n")
	got := bsl.QueryTexts(src)
	want := []bsl.QueryText{
		{Line: 2, Col: 25, Text: "ВЫБРАТЬ 1", SelfContained: true},
		{Line: 4, Col: 3, Text: "ВЫБРАТЬ\n  \tТ.Ссылка КАК Ссылка, \"кавычки\"\n\n  ИЗ\n  \tСправочник.Т КАК Т", SelfContained: true},
		{Line: 9, Col: 8, Text: "ВЫБРАТЬ * ИЗ ", SelfContained: false},
		{Line: 11, Col: 8, Text: "  // комментарий\n  select 2", SelfContained: true},
		{Line: 13, Col: 8, Text: "ВЫБРАТЬ\n\n\n\n  \tНовое", SelfContained: false},
		{Line: 20, Col: 11, Text: "ВЫБРАТЬ Т.А,", SelfContained: false},
		{Line: 22, Col: 30, Text: "ВЫБРАТЬ ПЕРВЫЕ 1", SelfContained: false},
		{Line: 22, Col: 50, Text: "ВЫБРАТЬ", SelfContained: false},
		{Line: 23, Col: 11, Text: "ВЫБРАТЬ 2", SelfContained: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d texts: %#v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("text %d:\n got %#v\nwant %#v", i, got[i], want[i])
		}
	}
}

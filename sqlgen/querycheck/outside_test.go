package querycheck_test

import (
	"slices"
	"testing"

	"dostup/sqlgen/querycheck"
)

func TestOutside(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"ВЫБРАТЬ 1", nil},
		{"ВЫБРАТЬ Т.А ПОМЕСТИТЬ ВТ ИЗ Справочник.Т КАК Т; ВЫБРАТЬ * ИЗ ВТ", nil},
		{"ВЫБРАТЬ * ИЗ ВТ_Чужая КАК Ч ЛЕВОЕ СОЕДИНЕНИЕ &Таблица КАК П ПО ИСТИНА", []string{"ВТ_Чужая", "&Таблица"}},
		{"ВЫБРАТЬ * ИЗ ВТ; ВЫБРАТЬ 1 ПОМЕСТИТЬ ВТ", []string{"ВТ"}},
		{"ВЫБРАТЬ * ИЗ Справочник.Т ГДЕ %1", []string{"%1"}},
		{"ВЫБРАТЬ * ИЗ Справочник.Т {ГДЕ Т.Ссылка}", []string{"{...}"}},
		{"ВЫБРАТЬ ИЗ", nil},
		{"ВЫБРАТЬ К.Ссылка ИЗ #Классификатор КАК К", []string{"#Классификатор"}},
	}
	for _, c := range cases {
		if got := querycheck.Outside(c.text); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.text, got, c.want)
		}
	}
}

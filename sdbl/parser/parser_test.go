package parser

import (
	"errors"
	"strings"
	"testing"

	"dostup/sdbl/source"
)

// errorCases are typical mistakes and the messages they must give, each as
// "file:line:col: message", so a user can jump to the place.
var errorCases = []struct {
	name        string
	restriction bool
	text        string
	want        []string
}{
	{"missing FROM source", false, "ВЫБРАТЬ А ИЗ ГДЕ Б = 1", []string{"q:1:14: expected a name, found keyword ГДЕ"}},
	{"unclosed parenthesis", false, "ВЫБРАТЬ (А + Б ИЗ Т", []string{"q:1:16: expected ')', found keyword ИЗ"}},
	{"unclosed nested query", false, "ВЫБРАТЬ А ИЗ (ВЫБРАТЬ 1 КАК Х\n", []string{"q:2:1: expected ')' closing the nested query, found end of text"}},
	{"wrong right name", true, "НеверноеПраво: Чтение", []string{"q:1:14: unexpected character ':'"}},
	{"stray directive", true, "ГДЕ #Если &Роль #Тогда А #КонецЕсли", []string{"q:1:5: directive #Если is not part of the query language here: templates and #Если must be expanded first, and a literal # is written ## in a template"}},
	{"three mistakes on three lines", false, "ВЫБРАТЬ А, ИЗ Т\nГДЕ Б = = 1\nУПОРЯДОЧИТЬ ПО ВЫБОР", []string{
		"q:1:12: expected an expression, found keyword ИЗ",
		"q:2:9: expected an expression, found '='",
		"q:3:21: expected an expression, found end of text",
	}},
	{"three mistakes in a restriction", true, "ГДЕ А В 1\nИЛИ Б МЕЖДУ 1 2\nИЛИ НеверноеПраво: Чтение", []string{
		"q:1:9: expected '(' with a list of values or a nested query after В (IN), found number 1",
		"q:2:15: expected И (AND), found number 2",
		"q:3:18: unexpected character ':'",
	}},
	{"empty query", false, "  // nothing\n", []string{"q:2:1: the query text is empty: expected ВЫБРАТЬ (SELECT)"}},
	{"unterminated string", true, "ГДЕ А = \"абв", []string{"q:1:9: string not terminated: a closing \" is missing"}},
	{"missing ON", false, "ВЫБРАТЬ 1 ИЗ А ЛЕВОЕ СОЕДИНЕНИЕ Б ГДЕ 1", []string{"q:1:35: expected ПО (ON) and the join condition, found keyword ГДЕ"}},
	{"reserved word as alias", false, "ВЫБРАТЬ А КАК Выбор ИЗ Т", []string{"q:1:15: expected a name, found keyword Выбор"}},
	{"bare ampersand", true, "ГДЕ А = & Б", []string{"q:1:9: '&' must be followed by a parameter name, as in &Организация"}},
	// Values the databases cannot take are refused where they are written.
	{"TOP past int64", false, "ВЫБРАТЬ ПЕРВЫЕ 99999999999999999999 А ИЗ Т", []string{"q:1:16: ПЕРВЫЕ (TOP) takes a whole number of rows from 0 to 9223372036854775807, not 99999999999999999999"}},
	{"fractional TOP", false, "ВЫБРАТЬ ПЕРВЫЕ 1.5 А ИЗ Т", []string{"q:1:16: ПЕРВЫЕ (TOP) takes a whole number of rows from 0 to 9223372036854775807, not 1.5"}},
	{"NUL in a string", true, "ГДЕ А = \"а\x00б\"", []string{"q:1:11: a string cannot hold the character U+0000 (NUL)"}},
	{"NUL outside strings", true, "ГДЕ А = \x00", []string{"q:1:9: unexpected character U+0000"}},
	{"invalid UTF-8 in a string", true, "ГДЕ А = \"а\xffб\"", []string{"q:1:11: the text is not valid UTF-8"}},
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		var err error
		if c.restriction {
			_, err = ParseRestrictionString("q", c.text)
		} else {
			_, err = ParseQueryString("q", c.text)
		}
		var list source.ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: want a source.ErrorList, got %v", c.name, err)
			continue
		}
		var got []string
		for _, e := range list {
			got = append(got, e.Error())
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}

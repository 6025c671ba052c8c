package sqlgen

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

func TestTranslit(t *testing.T) {
	cases := map[string]string{
		"Пользователи": "polzovateli", "ОбъектВыпуска": "obektvypuska", "Щука_1": "shchuka_1",
		"Catalog": "catalog", "Ёлка": "elka", "日本": "u65e5u672c", "": "x",
	}
	for in, want := range cases {
		if got := translit(in); got != want {
			t.Errorf("translit(%q) = %q, want %q", in, got, want)
		}
	}
	long := fit(strings.Repeat("a", 80))
	if len(long) != 63 || fit(strings.Repeat("a", 80)) != long || fit(strings.Repeat("a", 81)) == long {
		t.Errorf("fit: %q", long)
	}
	n := namer{}
	if a, b := n.take("x"), n.take("X"); a != "x" || b != "X_2" {
		t.Errorf("namer: %q %q", a, b)
	}
}

func TestNameUUID(t *testing.T) {
	id := NameUUID("Перечисление.Виды/Первый")
	if id != NameUUID("Перечисление.Виды/Первый") || id == NameUUID("Перечисление.Виды/Второй") || len(id) != 36 || id[14] != '5' {
		t.Errorf("NameUUID: %s", id)
	}
}

// UUIDv5 agrees with another implementation:
// uuid.uuid5(uuid.NAMESPACE_URL, "https://example.com") in Python.
func TestUUIDv5(t *testing.T) {
	if got := UUIDv5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "https://example.com"); got != "4fd35a71-71ef-5a55-a9d9-aa75c889a6d0" {
		t.Errorf("v5(URL namespace, https://example.com) = %s", got)
	}
}

// translitReference is translit as first written (lower-case the whole
// name, then spell each rune): the names of tables and columns of every
// infobase made so far come from it, so the fast path must agree.
func translitReference(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		_, cyr := cyrillic[r]
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case cyr:
			b.WriteString(cyrillic[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			fmt.Fprintf(&b, "u%x", r)
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

func TestTranslitAgrees(t *testing.T) {
	var all strings.Builder
	for r := 'А'; r <= 'я'; r++ {
		all.WriteRune(r)
	}
	for _, in := range []string{all.String(), "ЁёЪЬъь", "КатегорииЗастрахованныхЛицДляПФР_2", "ABCxyz09_-. ", "Straße", "ΑΒΓ", "日本Ω"} {
		if got, want := translit(in), translitReference(in); got != want {
			t.Errorf("translit(%q) = %q, as first written %q", in, got, want)
		}
	}
}

func FuzzTranslit(f *testing.F) {
	f.Add("Справочник.Контрагенты")
	f.Add("ЁЛКА_ёлка 1")
	f.Fuzz(func(t *testing.T, in string) {
		if got, want := translit(in), translitReference(in); got != want {
			t.Errorf("translit(%q) = %q, as first written %q", in, got, want)
		}
	})
}

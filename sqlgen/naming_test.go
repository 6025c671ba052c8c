package sqlgen

import (
	"strings"
	"testing"
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

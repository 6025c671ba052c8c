package metadata

import (
	"errors"
	"strings"
	"testing"

	"dostup/sdbl/source"
)

// TestRegisterRecords: the registers documents post to give each
// register's Регистратор its type, the documents in declaration order; a
// register no document names keeps any reference.
func TestRegisterRecords(t *testing.T) {
	cfg, err := LoadSources(map[string][]byte{"c.yaml": []byte(`
documents:
  - name: Приход
    register_records: [РегистрНакопления.Остатки, РегистрСведений.История]
  - name: Расход
    register_records: [AccumulationRegister.Остатки]
accumulation_registers:
  - name: Остатки
    dimensions: [{name: Товар, type: Строка(10)}]
    resources: [{name: Количество, type: Число(10)}]
  - name: Прочие
    resources: [{name: Сумма, type: Число(10)}]
information_registers:
  - name: История
    recorder: true
    resources: [{name: Сумма, type: Число(10)}]
`)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ register, want string }{
		{"РегистрНакопления.Остатки", "Документ.Приход, Документ.Расход"},
		{"РегистрСведений.История", "Документ.Приход"},
		{"РегистрНакопления.Прочие", ""},
	} {
		typ := cfg.Object(c.register).Attribute("Регистратор").Type
		var names []string
		for _, s := range typ {
			names = append(names, s.Object)
		}
		if got := strings.Join(names, ", "); got != c.want {
			t.Errorf("%s: Регистратор is %q, want %q", c.register, got, c.want)
		}
	}
	if got := strings.Join(cfg.Object("Документ.Приход").RegisterRecords, ", "); got != "РегистрНакопления.Остатки, РегистрСведений.История" {
		t.Errorf("Приход posts to %q", got)
	}

	_, err = LoadSources(map[string][]byte{"c.yaml": []byte(`
documents:
  - name: Д
    register_records: [РегистрНакопления.Нет, РегистрСведений.Свободный, Справочник.К, РегистрНакопления.Р, РегистрНакопления.Р]
catalogs:
  - name: К
    register_records: [РегистрНакопления.Р]
accumulation_registers:
  - name: Р
    resources: [{name: Сумма, type: Число(10)}]
information_registers:
  - name: Свободный
    resources: [{name: Сумма, type: Число(10)}]
`)})
	want := []string{
		"c.yaml:4:24: РегистрНакопления.Нет is not in the configuration",
		"c.yaml:4:47: РегистрСведений.Свободный has no recorder",
		"c.yaml:4:74: Справочник.К is not a register",
		"c.yaml:4:109: Документ.Д lists РегистрНакопления.Р twice",
		"c.yaml:7:23: only a document posts to registers",
	}
	var list source.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v is not a list", err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("errors:\n%s\nlack %q", all, w)
		}
	}
}

package cli

import (
	"reflect"
	"strings"
	"testing"

	"dostup/demo"
	"dostup/internal/testdb"
)

func TestQueryParamsRepeated(t *testing.T) {
	got, err := queryParams([]string{"Список=a", "&Один=1", "список=b", "СПИСОК=c", "Пусто="})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Список": []any{"a", "b", "c"}, "Один": "1", "Пусто": ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"novalue", "=x", "Имя=a\x00b", "Имя=\xff"} {
		if _, err := queryParams([]string{bad}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestQueryListParams: repeated --param Name=Value bind each value to
// В (&Name), on both backends; a parameter that cannot be bound exits 2.
func TestQueryListParams(t *testing.T) {
	a, b := demo.ID("Справочник.Контрагенты", "Стройторг"), demo.ID("Справочник.Контрагенты", "Хлебозавод")
	list := "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&Список) УПОРЯДОЧИТЬ ПО Наименование"
	for _, backend := range testdb.Backends {
		dsn := testdb.DSN(t, backend)
		if code, _, errOut := run(t, "", "demo", "--db", dsn); code != ExitOK {
			t.Fatalf("%s demo: %s", backend, errOut)
		}
		code, out, errOut := run(t, "", "query", "--db", dsn, "--user", "admin", "--param", "Список="+a, "--param", "Список="+b, list)
		if code != ExitOK || out != "Наименование\nСтройторг\nХлебозавод\n" {
			t.Errorf("%s two values: exit %d, %q, %q", backend, code, out, errOut)
		}
		code, out, errOut = run(t, "", "query", "--db", dsn, "--user", "ivanov", "--param", "Список="+a, "--param", "Список="+b,
			"ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&Список)")
		if code != ExitOK || out != "Наименование\nСтройторг\n" {
			t.Errorf("%s as ivanov: exit %d, %q, %q", backend, code, out, errOut)
		}
		code, out, errOut = run(t, "", "query", "--db", dsn, "--user", "admin", "--param", "Список="+a, list)
		if code != ExitOK || out != "Наименование\nСтройторг\n" {
			t.Errorf("%s one value: exit %d, %q, %q", backend, code, out, errOut)
		}
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"--param", "Список=" + a, "--param", "Список=" + b, "ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Ссылка = &Список"}, "&Список holds a list of values: only В (IN) takes a list"},
			{[]string{"--param", "Имя=a\x00b", "ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Наименование = &Имя"}, "--param Имя: the value holds a NUL character"},
			{[]string{"ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Наименование = &Имя"}, "the query's parameter &Имя is not set"},
		} {
			args := append([]string{"query", "--db", dsn, "--user", "admin"}, c.args...)
			code, _, errOut := run(t, "", args...)
			if code != ExitUsage || !strings.Contains(errOut, c.want) {
				t.Errorf("%s %v: exit %d, %q; want exit 2 and %q", backend, c.args, code, errOut, c.want)
			}
		}
	}
}

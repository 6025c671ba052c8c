package sqlgen_test

import (
	"context"
	"testing"

	"dostup/demo"
	"dostup/internal/testdb"
	"dostup/rls"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
	"dostup/sqlgen"
)

// TestRestrictionSemantics runs pairs of restrictions that must allow the
// same records of the demo infobase, on both backends: the constructs of
// real restrictions (comparisons with НЕОПРЕДЕЛЕНО, values of unrelated
// types, the restricted table named by the restriction's alias in ИЗ)
// against plain forms of the same condition.
func TestRestrictionSemantics(t *testing.T) {
	cases := []struct{ object, text, same string }{
		// ЕСТЬNULL(x, НЕОПРЕДЕЛЕНО) is Неопределено exactly where x is NULL.
		{"Справочник.Контрагенты", "ГДЕ ЕСТЬNULL(Организация.Наименование, НЕОПРЕДЕЛЕНО) <> НЕОПРЕДЕЛЕНО", "ГДЕ НЕ Организация.Наименование ЕСТЬ NULL"},
		{"Справочник.Контрагенты", "ГДЕ ЕСТЬNULL(Организация.Наименование, НЕОПРЕДЕЛЕНО) = НЕОПРЕДЕЛЕНО", "ГДЕ Организация.Наименование ЕСТЬ NULL"},
		{"Справочник.Контрагенты", "ГДЕ НЕОПРЕДЕЛЕНО = ЕСТЬNULL(Организация.Ссылка, НЕОПРЕДЕЛЕНО)", "ГДЕ Организация.Ссылка ЕСТЬ NULL"},
		// A single-typed value is never Неопределено; NULL compares as NULL.
		{"Справочник.Контрагенты", "ГДЕ Организация.Наименование <> НЕОПРЕДЕЛЕНО", "ГДЕ НЕ Организация.Наименование ЕСТЬ NULL"},
		{"Справочник.Контрагенты", "ГДЕ Организация.Наименование = НЕОПРЕДЕЛЕНО", "ГДЕ ЛОЖЬ"},
		{"Справочник.Контрагенты", "ГДЕ НЕ Организация.Наименование = НЕОПРЕДЕЛЕНО", "ГДЕ НЕ Организация.Наименование ЕСТЬ NULL"},
		{"Справочник.Контрагенты", "ГДЕ НЕОПРЕДЕЛЕНО = НЕОПРЕДЕЛЕНО", "ГДЕ ИСТИНА"},
		// A composite is Неопределено when its type tag is empty.
		{"РегистрНакопления.ОстаткиТоваров", "ГДЕ Регистратор = НЕОПРЕДЕЛЕНО", "ГДЕ ТИПЗНАЧЕНИЯ(Регистратор) ЕСТЬ NULL"},
		{"РегистрНакопления.ОстаткиТоваров", "ГДЕ Регистратор <> НЕОПРЕДЕЛЕНО", "ГДЕ НЕ ТИПЗНАЧЕНИЯ(Регистратор) ЕСТЬ NULL"},
		// Values with no kind in common are never equal (a string and a
		// reference; a Boolean and a reference, as (a = b) = c reads).
		{"Справочник.Контрагенты", "ГДЕ ИНН = Организация", "ГДЕ ЛОЖЬ"},
		{"Справочник.Контрагенты", "ГДЕ ИНН <> Организация", "ГДЕ НЕ ИНН ЕСТЬ NULL И НЕ Организация ЕСТЬ NULL"},
		{"Справочник.Контрагенты", "ГДЕ Организация.Ссылка = Организация = Организация", "ГДЕ ЛОЖЬ"},
		{"Справочник.Контрагенты", "ГДЕ ИСТИНА <> Организация.Ссылка", "ГДЕ НЕ Организация.Ссылка ЕСТЬ NULL"},
		// The restricted table named in ИЗ by the restriction's alias.
		{"Справочник.Контрагенты", "Т ИЗ Т ГДЕ Т.ЭтоГруппа", "ГДЕ ЭтоГруппа"},
		{"Справочник.Контрагенты", "Т ИЗ Т ЛЕВОЕ СОЕДИНЕНИЕ Справочник.Организации КАК О ПО О.Ссылка = Т.Организация ГДЕ О.Ссылка ЕСТЬ NULL",
			"ГДЕ Организация.Ссылка ЕСТЬ NULL"},
		{"Справочник.Контрагенты", "ТекущаяТаблица ИЗ ТекущаяТаблица ГДЕ ИСТИНА В (ВЫБРАТЬ ИСТИНА ИЗ Справочник.Организации КАК О ГДЕ О.Ссылка = ТекущаяТаблица.Организация)",
			"ГДЕ НЕ Организация.Ссылка ЕСТЬ NULL"},
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			db := testdb.Open(t, backend)
			if err := demo.Create(ctx, db); err != nil {
				t.Fatal(err)
			}
			cfg, _, err := demo.Config()
			if err != nil {
				t.Fatal(err)
			}
			c := &sqlgen.Compiler{Config: cfg, Schema: sqlgen.SchemaOf(cfg), Dialect: db.Dialect}
			count := func(object, text string) int {
				t.Helper()
				src := source.FromFile(source.NewFile("r", text))
				tree, err := parser.ParseRestriction(src)
				if err != nil {
					t.Fatalf("%s: %v", text, err)
				}
				st, err := c.CompileRestriction(object, rls.Condition{Text: src, Tree: tree})
				if err != nil {
					t.Fatalf("%s: %v", text, err)
				}
				args := make([]any, len(st.Args))
				for i, a := range st.Args {
					args[i] = db.Dialect.Arg(a.Value)
				}
				rows, err := db.SQL.QueryContext(ctx, st.SQL, args...)
				if err != nil {
					t.Fatalf("%s: %v\n%s", text, err, st.SQL)
				}
				defer rows.Close()
				n := 0
				for rows.Next() {
					n++
				}
				if err := rows.Err(); err != nil {
					t.Fatalf("%s: %v\n%s", text, err, st.SQL)
				}
				return n
			}
			for _, tc := range cases {
				got, want := count(tc.object, tc.text), count(tc.object, tc.same)
				if got != want {
					t.Errorf("%s: %d records, want %d as %s", tc.text, got, want, tc.same)
				}
			}
			// The pairs are not all trivially empty or full.
			if all, none := count("Справочник.Контрагенты", "ГДЕ ИСТИНА"), count("Справочник.Контрагенты", cases[1].same); none == 0 || none == all {
				t.Errorf("the demo's counterparties should have some without an organisation: %d of %d", none, all)
			}
		})
	}
}

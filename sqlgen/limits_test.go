package sqlgen_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"dostup/sqlgen"
	"dostup/sqlgen/postgres"
	"dostup/sqlgen/sqlite"
)

// at is "q:1:COL" of the n-th (1-based) occurrence of sub in a one-line
// text, for messages that name a place in generated queries.
func at(text, sub string, n int) string {
	off := 0
	for i := 0; i < n; i++ {
		j := strings.Index(text[off:], sub)
		if j < 0 {
			panic(sub + " not in the text")
		}
		off += j
		if i < n-1 {
			off += len(sub)
		}
	}
	return fmt.Sprintf("q:1:%d: ", utf8.RuneCountInString(text[:off])+1)
}

func repeat(n int, f func(i int) string, sep string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = f(i)
	}
	return strings.Join(parts, sep)
}

// TestCompileRefusesAtPlace: what a database would refuse — a value past
// its range, a limit of its engine, SQL it does not take — is refused at
// compile time at its place in the query, on both dialects alike.
func TestCompileRefusesAtPlace(t *testing.T) {
	unions := repeat(501, func(i int) string { return fmt.Sprintf("ВЫБРАТЬ %d КАК Н", i) }, " ОБЪЕДИНИТЬ ВСЕ ")
	columns := "ВЫБРАТЬ " + repeat(1700, func(i int) string { return fmt.Sprintf("%d КАК П%d", i, i) }, ", ")
	tables := "ВЫБРАТЬ 1 ИЗ " + repeat(65, func(i int) string { return fmt.Sprintf("Справочник.Организации КАК Т%d", i) }, ", ")
	strs := "ВЫБРАТЬ 1 ИЗ Справочник.Организации ГДЕ Код В (" + repeat(sqlgen.MaxArgs+5, func(i int) string { return fmt.Sprintf(`"%d"`, i) }, ", ") + ")"
	sum := "ВЫБРАТЬ 1" + strings.Repeat(" + 1", 1000)
	cases := []struct{ query, want string }{
		{"ВЫБРАТЬ 1 + 123456789012345678901234567890123456789", "q:1:13: a number holds at most 38 digits; this one has 39"},
		{"ВЫБРАТЬ ДАТАВРЕМЯ(10000, 1, 1)", "q:1:19: ДАТАВРЕМЯ takes a year from 1 to 9999, as 1C's dates have, not 10000"},
		{"ВЫБРАТЬ ДОБАВИТЬКДАТЕ(Дата, ГОД, 10000) ИЗ Документ.РеализацияТоваров", "q:1:34: ДОБАВИТЬКДАТЕ (DATEADD) adds a whole number of years that stays within 1C's calendar (years 1 to 9999), at most 9999, not 10000"},
		{"ВЫБРАТЬ ДОБАВИТЬКДАТЕ(Дата, ДЕНЬ, -99999999999999) ИЗ Документ.РеализацияТоваров", "q:1:35: ДОБАВИТЬКДАТЕ (DATEADD) adds a whole number of days"},
		{"ВЫБРАТЬ ПОДСТРОКА(Номер, 99999999999999999999, 1) ИЗ Документ.РеализацияТоваров", "q:1:26: ПОДСТРОКА (SUBSTRING) starts at a whole number from 1 to 2147483647, not 99999999999999999999"},
		{"ВЫБРАТЬ ПОДСТРОКА(Номер, 1, 2.5) ИЗ Документ.РеализацияТоваров", "q:1:29: ПОДСТРОКА (SUBSTRING) takes a length that is a whole number from 0 to 2147483647, not 2.5"},
		// A union and РАЗЛИЧНЫЕ order by fields of their result.
		{"ВЫБРАТЬ Наименование ИЗ Справочник.Организации ОБЪЕДИНИТЬ ВЫБРАТЬ Наименование ИЗ Справочник.Номенклатура УПОРЯДОЧИТЬ ПО Код",
			"q:1:122: УПОРЯДОЧИТЬ ПО (ORDER BY) of a query with ОБЪЕДИНИТЬ (UNION) takes fields of its result"},
		{"ВЫБРАТЬ РАЗЛИЧНЫЕ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Контрагент.ИНН",
			"q:1:70: УПОРЯДОЧИТЬ ПО (ORDER BY) of ВЫБРАТЬ РАЗЛИЧНЫЕ (SELECT DISTINCT) takes fields of its result: add Контрагент.ИНН to the fields"},
		// Grouping reads values of the groups only.
		{"ВЫБРАТЬ Номер, СУММА(СуммаДокумента) ИЗ Документ.РеализацияТоваров", "q:1:9: Номер is neither grouped (СГРУППИРОВАТЬ ПО) nor inside an aggregate function"},
		{"ВЫБРАТЬ Организация, КОЛИЧЕСТВО(*) ИЗ Документ.РеализацияТоваров СГРУППИРОВАТЬ ПО Организация ИМЕЮЩИЕ СуммаДокумента > 1",
			"q:1:103: СуммаДокумента is neither grouped"},
		{"ВЫБРАТЬ Организация, КОЛИЧЕСТВО(*) ИЗ Документ.РеализацияТоваров СГРУППИРОВАТЬ ПО Организация УПОРЯДОЧИТЬ ПО Контрагент.ИНН",
			"q:1:110: Контрагент.ИНН is neither grouped"},
		// Limits of the engines, at the item that passes them.
		{unions, at(unions, "ОБЪЕДИНИТЬ", 500) + "ОБЪЕДИНИТЬ (UNION) joins at most 500 SELECTs in one query; this query has 501"},
		{columns, at(columns, "1664 КАК", 1) + "a ВЫБРАТЬ (SELECT) returns at most 1664 columns"},
		{tables, "q:1:1: this ВЫБРАТЬ (SELECT) reads 65 tables"},
		{strs, at(strs, fmt.Sprintf(`"%d"`, sqlgen.MaxArgs), 1) + "a query binds at most 32766 values"},
		{sum, "q:1:9: the expression nests more than 400 levels deep"},
	}
	for _, d := range []sqlgen.Dialect{sqlite.New(), postgres.New()} {
		for _, c := range cases {
			_, err := compile(t, d, c.query)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				q := c.query
				if len(q) > 200 {
					q = q[:200] + "…"
				}
				t.Errorf("%s: %s:\n got %.300v\nwant %s", d.Name(), q, err, c.want)
			}
		}
	}
}

// TestCompileLongFlatQuery: thousands of terms joined by ИЛИ or И compile
// to SQL that nests as deep as their logarithm, below SQLite's expression
// depth of 1000.
func TestCompileLongFlatQuery(t *testing.T) {
	for _, op := range []string{" ИЛИ ", " И "} {
		q := "ВЫБРАТЬ Наименование ИЗ Справочник.Организации ГДЕ " + repeat(5000, func(i int) string { return fmt.Sprintf("Код <> %d", i) }, op)
		stmts, err := compile(t, sqlite.New(), q)
		if err != nil {
			t.Fatalf("%q: %v", op, err)
		}
		depth, most := 0, 0
		for _, c := range stmts[0].SQL {
			switch c {
			case '(':
				depth++
				most = max(most, depth)
			case ')':
				depth--
			}
		}
		if most > 30 {
			t.Errorf("%q: the SQL nests %d parentheses deep", op, most)
		}
	}
}

// TestCompileOrderByDereference: УПОРЯДОЧИТЬ ПО a field read through a
// reference joins the reference's table in FROM (it used to be left out),
// and NULL sorts first ascending on both backends.
func TestCompileOrderByDereference(t *testing.T) {
	q := "ВЫБРАТЬ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Контрагент.ИНН УБЫВ, Контрагент.Наименование"
	want := map[string]string{
		"sqlite":   `SELECT t1."_number" FROM ("doc_realizatsiyatovarov" t1 LEFT JOIN "cat_kontragenty" t2 ON t2."_id" = t1."kontragent") ORDER BY t2."inn" DESC, t2."_description"`,
		"postgres": `SELECT t1."_number" FROM ("doc_realizatsiyatovarov" t1 LEFT JOIN "cat_kontragenty" t2 ON t2."_id" = t1."kontragent") ORDER BY t2."inn" DESC NULLS LAST, t2."_description" NULLS FIRST`,
	}
	for _, d := range []sqlgen.Dialect{sqlite.New(), postgres.New()} {
		stmts, err := compile(t, d, q)
		if err != nil {
			t.Fatal(err)
		}
		if got := stmts[0].SQL; got != want[d.Name()] {
			t.Errorf("%s:\n got %s\nwant %s", d.Name(), got, want[d.Name()])
		}
	}
}

// TestCompileListParams: a parameter in В (IN) may hold a list; Expand
// gives each element a placeholder, and a list of none makes В false and
// НЕ В true without a placeholder.
func TestCompileListParams(t *testing.T) {
	q := `ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&С) И НЕ Код В (&К, "1") И ИНН = &И`
	stmts, err := compile(t, sqlite.New(), q)
	if err != nil {
		t.Fatal(err)
	}
	st := stmts[0]
	head := `SELECT t1."_description" FROM "cat_kontragenty" t1 WHERE `
	if want := head + `(((t1."_id" IN (?1)) AND NOT ((t1."_code" IN (?2, ?3)))) AND (t1."inn" = ?4))`; st.SQL != want || !st.HasLists() {
		t.Errorf("as written:\n got %s\nwant %s", st.SQL, want)
	}
	cases := []struct {
		counts map[string]int
		sql    string
		args   string
	}{
		{map[string]int{"С": 3, "К": 2},
			`(((t1."_id" IN (?1, ?2, ?3)) AND NOT ((t1."_code" IN (?4, ?5, ?6)))) AND (t1."inn" = ?7))`, "С1 С2 С3 К1 К2 =1 И"},
		{map[string]int{"С": 0, "К": 0},
			`(((t1."_id" IS NULL AND FALSE) AND NOT ((t1."_code" IN (?1)))) AND (t1."inn" = ?2))`, "=1 И"},
		{map[string]int{"С": -1, "К": 1},
			`(((t1."_id" IN (?1)) AND NOT ((t1."_code" IN (?2, ?3)))) AND (t1."inn" = ?4))`, "С К1 =1 И"},
	}
	for _, c := range cases {
		sqlText, args := st.Expand(func(a sqlgen.Arg) int {
			if n, ok := c.counts[a.Param]; ok {
				return n
			}
			return -1
		})
		var got []string
		for _, a := range args {
			switch {
			case a.Param == "":
				got = append(got, fmt.Sprint("=", a.Value))
			case a.Elem > 0:
				got = append(got, fmt.Sprint(a.Param, a.Elem))
			default:
				got = append(got, a.Param)
			}
		}
		if sqlText != head+c.sql || strings.Join(got, " ") != c.args {
			t.Errorf("%v:\n got %s %v\nwant %s %s", c.counts, sqlText, got, head+c.sql, c.args)
		}
	}
	// НЕ В an empty list is true (НЕ of a false В); PostgreSQL numbers the
	// same way.
	pg, err := compile(t, postgres.New(), `ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ НЕ Ссылка В (&С) ИЛИ Ссылка В (&Д)`)
	if err != nil {
		t.Fatal(err)
	}
	sqlText, _ := pg[0].Expand(func(a sqlgen.Arg) int { return map[string]int{"С": 0, "Д": 2}[a.Param] })
	if want := `SELECT 1 FROM "cat_kontragenty" t1 WHERE (NOT ((t1."_id" IS NULL AND FALSE)) OR (t1."_id" IN ($1, $2)))`; sqlText != want {
		t.Errorf("postgres:\n got %s\nwant %s", sqlText, want)
	}
	// Values of no kind in common with the left side are never in it.
	none, err := compile(t, sqlite.New(), `ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Код В (1, 2) И НЕ ИНН В (3)`)
	if err != nil {
		t.Fatal(err)
	}
	if want := `SELECT 1 FROM "cat_kontragenty" t1 WHERE ((t1."_code" IS NULL AND FALSE) AND NOT ((t1."inn" IS NULL AND FALSE)))`; none[0].SQL != want {
		t.Errorf("kinds apart:\n got %s\nwant %s", none[0].SQL, want)
	}
}

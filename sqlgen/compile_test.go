package sqlgen_test

import (
	"regexp"
	"strings"
	"testing"

	"dostup/metadata"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
	"dostup/sqlgen"
	"dostup/sqlgen/postgres"
	"dostup/sqlgen/sqlite"
)

func compile(t *testing.T, d sqlgen.Dialect, text string) ([]*sqlgen.Statement, error) {
	t.Helper()
	cfg, err := metadata.Load("../demo/config")
	if err != nil {
		t.Fatal(err)
	}
	src := source.FromFile(source.NewFile("q", text))
	b, err := parser.ParseQuery(src)
	if err != nil {
		t.Fatal(err)
	}
	c := &sqlgen.Compiler{Config: cfg, Schema: sqlgen.SchemaOf(cfg), Dialect: d}
	return c.Compile(src, b)
}

var numbered = regexp.MustCompile(`\?(\d+)`)

func TestCompile(t *testing.T) {
	cases := []struct{ query, sqlite string }{
		{"ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты",
			`SELECT COUNT(*) FROM "cat_kontragenty" t1`},
		{"SELECT SUM(Сумма) FROM Document.РеализацияТоваров.Товары",
			`SELECT SUM(t1."summa") FROM "doc_realizatsiyatovarov__tovary" t1`},
		{"ВЫБРАТЬ Т.Наименование ИЗ Справочник.Контрагенты КАК Т ГДЕ Т.ЭтоГруппа = ЛОЖЬ И Т.Организация.Наименование = &Орг УПОРЯДОЧИТЬ ПО Наименование УБЫВ",
			`SELECT t1."_description" FROM ("cat_kontragenty" t1 LEFT JOIN "cat_organizatsii" t2 ON t2."_id" = t1."organizatsiya") WHERE ((t1."_is_folder" = FALSE) AND (t2."_description" = ?1)) ORDER BY 1 DESC`},
		{"ВЫБРАТЬ РАЗЛИЧНЫЕ ПЕРВЫЕ 3 Д.Контрагент, СУММА(Д.СуммаДокумента) КАК Сумма ИЗ Документ.РеализацияТоваров КАК Д СГРУППИРОВАТЬ ПО Д.Контрагент ИМЕЮЩИЕ СУММА(Д.СуммаДокумента) > 100",
			`SELECT DISTINCT t1."kontragent", t2."_description", SUM(t1."summadokumenta") FROM ("doc_realizatsiyatovarov" t1 LEFT JOIN "cat_kontragenty" t2 ON t2."_id" = t1."kontragent") GROUP BY t1."kontragent", t2."_description" HAVING (SUM(t1."summadokumenta") > 100) LIMIT 3`},
		{"ВЫБРАТЬ Т.Ссылка ИЗ Справочник.Номенклатура КАК Т ГДЕ Т.Наименование ПОДОБНО \"Кирпич%\" И НЕ Т.Код В (\"1\", \"2\")",
			`SELECT t1."_id", t1."_description" FROM "cat_nomenklatura" t1 WHERE ((t1."_description" LIKE ?1) AND NOT ((t1."_code" IN (?2, ?3))))`},
	}
	for _, c := range cases {
		stmts, err := compile(t, sqlite.New(), c.query)
		if err != nil {
			t.Errorf("%s: %v", c.query, err)
			continue
		}
		if got := stmts[0].SQL; got != c.sqlite {
			t.Errorf("%s:\ngot  %s\nwant %s", c.query, got, c.sqlite)
		}
		pg, err := compile(t, postgres.New(), c.query)
		if err != nil {
			t.Fatal(err)
		}
		// The dialects differ only in placeholders here, and in the order
		// of NULL: PostgreSQL is told to sort it as SQLite and 1C do.
		want := numbered.ReplaceAllString(c.sqlite, "$$$1")
		want = strings.Replace(want, "ORDER BY 1 DESC", "ORDER BY 1 DESC NULLS LAST", 1)
		if pg[0].SQL != want {
			t.Errorf("%s (postgres):\ngot  %s\nwant %s", c.query, pg[0].SQL, want)
		}
	}
}

// Hostile text never reaches SQL: strings are bound, names must exist.
func TestCompileNoInjection(t *testing.T) {
	stmts, err := compile(t, sqlite.New(), `ВЫБРАТЬ Т.Наименование ИЗ Справочник.Контрагенты КАК Т ГДЕ Т.Наименование = "x' OR 1=1; DROP TABLE cat_kontragenty; --"`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stmts[0].SQL, "DROP") || stmts[0].Args[0].Value != "x' OR 1=1; DROP TABLE cat_kontragenty; --" {
		t.Errorf("%s %v", stmts[0].SQL, stmts[0].Args)
	}
	for _, q := range []string{
		`ВЫБРАТЬ Т.Наименование ИЗ Справочник.Контрагенты КАК Т ГДЕ Т.ИмяСКавычкой"--" = 1`,
		`ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты КАК Т ГДЕ Т.Нет = 1`,
	} {
		src := source.FromFile(source.NewFile("q", q))
		if _, err := parser.ParseQuery(src); err != nil {
			continue // rejected by the parser: fine
		}
		if _, err := compile(t, sqlite.New(), q); err == nil {
			t.Errorf("%s: compiled", q)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	cases := []struct{ query, want string }{
		{"ВЫБРАТЬ Т.Нет ИЗ Справочник.Контрагенты КАК Т", "q:1:11: Справочник.Контрагенты has no field Нет"},
		{"ВЫБРАТЬ 1 ИЗ Справочник.Нет", "q:1:14: Справочник.Нет is not in the configuration"},
		{"ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты КАК А, Справочник.Номенклатура КАК Б", "q:1:9: field Наименование is ambiguous"},
		{"ВЫБРАТЬ Т.ИНН.Длина ИЗ Справочник.Контрагенты КАК Т", "q:1:15: ИНН is not a reference: its fields cannot be read"},
		{"ВЫБРАТЬ ЗНАЧЕНИЕ(Справочник.Организации.Нет) ИЗ Справочник.Организации", "q:1:41: Справочник.Организации has no predefined items (declare them under predefined: in the configuration)"},
		{"ВЫБРАТЬ 1 ИЗ РегистрНакопления.ОстаткиТоваров ГДЕ Регистратор.Номер = 1", "q:1:63: Регистратор may hold a reference of any type, whose fields are not known: read them through ВЫРАЗИТЬ(Регистратор КАК Документ.Имя).Номер"},
		{"ВЫБРАТЬ 1 ИЗ Документ.РеализацияТоваров ГДЕ Контрагент ССЫЛКА Справочник.Нет", "q:1:63: Справочник.Нет is not in the configuration"},
		{"ВЫБРАТЬ РАЗНОСТЬДАТ(Дата, Дата, ДЕКАДА) ИЗ Документ.РеализацияТоваров", "q:1:33: РАЗНОСТЬДАТ (DATEDIFF) counts СЕКУНДА, МИНУТА, ЧАС, ДЕНЬ, МЕСЯЦ, КВАРТАЛ or ГОД, as in 1C"},
		{"ВЫБРАТЬ НАЧАЛОПЕРИОДА(Дата, ВЕК) ИЗ Документ.РеализацияТоваров", "q:1:29: expected a period: ГОД, ПОЛУГОДИЕ, КВАРТАЛ, МЕСЯЦ, ДЕКАДА, НЕДЕЛЯ, ДЕНЬ, ЧАС, МИНУТА or СЕКУНДА"},
		{"ВЫБРАТЬ ДАТАВРЕМЯ(2024, 2, 30)", "q:1:9: ДАТАВРЕМЯ(2024, 2, 30) is not a date"},
		{"ВЫБРАТЬ ПРЕДСТАВЛЕНИЕ(&П) ИЗ РегистрНакопления.ОстаткиТоваров", "q:1:23: ПРЕДСТАВЛЕНИЕ of a reference whose type is not known here"},
	}
	for _, c := range cases {
		_, err := compile(t, sqlite.New(), c.query)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %s", c.query, err, c.want)
		}
	}
}

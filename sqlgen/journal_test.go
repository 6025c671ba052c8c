package sqlgen_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/rls"

	"dostup/metadata"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
	"dostup/sqlgen"
	"dostup/sqlgen/postgres"
	"dostup/sqlgen/sqlite"
)

// journalConfig is a small configuration with a document journal over two
// documents whose numbers, subjects and columns differ in type and length.
const journalConfig = `
configuration: {name: Журналы, language: ru}
catalogs:
  - name: Организации
    description_length: 50
documents:
  - name: Встреча
    number: {length: 9}
    attributes:
      - {name: Организация, type: Справочник.Организации}
      - {name: Тема, type: Строка(100)}
      - {name: Длительность, type: Число(5)}
  - name: Звонок
    number: {length: 5, type: number}
    attributes:
      - {name: Организация, type: Справочник.Организации}
      - {name: Описание, type: Строка(200)}
      - {name: Входящий, type: Булево}
document_journals:
  - name: Взаимодействия
    documents: [Документ.Встреча, Документ.Звонок]
    columns:
      - name: Организация
        references: [Документ.Встреча.Организация, Документ.Звонок.Организация]
      - name: Тема
        references: [Документ.Встреча.Тема, Документ.Звонок.Описание]
      - name: Входящий
        references: [Документ.Звонок.Входящий]
session_parameters:
  - name: Организация
    type: Справочник.Организации
roles:
  - name: Администратор
    rights: [Администрирование]
    objects:
      - {object: Справочник.Организации, rights: [Чтение, Добавление, Изменение, Удаление]}
      - {object: Документ.Встреча, rights: [Чтение, Добавление, Изменение, Удаление, Проведение]}
      - {object: Документ.Звонок, rights: [Чтение, Добавление, Изменение, Удаление, Проведение]}
      - {object: ЖурналДокументов.Взаимодействия, rights: [Чтение, Просмотр]}
  - name: Менеджер
    objects:
      - {object: Справочник.Организации, rights: [Чтение]}
      - object: Документ.Встреча
        rights: [Чтение]
        restrictions:
          - {right: Чтение, condition: ГДЕ ЛОЖЬ}
      - object: ЖурналДокументов.Взаимодействия
        rights: [Чтение]
        restrictions:
          - {right: Чтение, condition: ГДЕ Организация = &Организация}
  - name: БезЖурнала
    objects:
      - {object: Документ.Встреча, rights: [Чтение]}
      - {object: Документ.Звонок, rights: [Чтение]}
users:
  - {name: admin, roles: [Администратор]}
  - {name: ivanov, roles: [Менеджер]}
  - {name: petrov, roles: [БезЖурнала]}
`

func journalCompiler(t *testing.T, d sqlgen.Dialect) *sqlgen.Compiler {
	t.Helper()
	cfg, err := metadata.LoadSources(map[string][]byte{"journal.yaml": []byte(journalConfig)})
	if err != nil {
		t.Fatal(err)
	}
	return &sqlgen.Compiler{Config: cfg, Schema: sqlgen.SchemaOf(cfg), Dialect: d}
}

// The union over a journal's documents, as both dialects write it: typed
// NULLs and tags on PostgreSQL, whose UNION settles column types pairwise.
const (
	journalUnionSQLite = `(SELECT 'Документ.Встреча' AS "_id_t", j."_id" AS "_id_r", j."_date" AS "_date", 'Строка' AS "_number_t", j."_number" AS "_number_s", NULL AS "_number_n", j."_deleted" AS "_deleted", j."_posted" AS "_posted", 'Документ.Встреча' AS "_type", j."organizatsiya" AS "organizatsiya", j."tema" AS "tema", NULL AS "vkhodyashchiy" FROM "doc_vstrecha" j` +
		` UNION ALL SELECT 'Документ.Звонок' AS "_id_t", j."_id" AS "_id_r", j."_date" AS "_date", 'Число' AS "_number_t", NULL AS "_number_s", j."_number" AS "_number_n", j."_deleted" AS "_deleted", j."_posted" AS "_posted", 'Документ.Звонок' AS "_type", j."organizatsiya" AS "organizatsiya", j."opisanie" AS "tema", j."vkhodyashchiy" AS "vkhodyashchiy" FROM "doc_zvonok" j)`
	journalUnionPostgres = `(SELECT CAST('Документ.Встреча' AS text) AS "_id_t", j."_id" AS "_id_r", j."_date" AS "_date", CAST('Строка' AS text) AS "_number_t", j."_number" AS "_number_s", CAST(NULL AS numeric(5, 0)) AS "_number_n", j."_deleted" AS "_deleted", j."_posted" AS "_posted", CAST('Документ.Встреча' AS text) AS "_type", j."organizatsiya" AS "organizatsiya", j."tema" AS "tema", CAST(NULL AS boolean) AS "vkhodyashchiy" FROM "doc_vstrecha" j` +
		` UNION ALL SELECT CAST('Документ.Звонок' AS text) AS "_id_t", j."_id" AS "_id_r", j."_date" AS "_date", CAST('Число' AS text) AS "_number_t", CAST(NULL AS varchar(9)) AS "_number_s", j."_number" AS "_number_n", j."_deleted" AS "_deleted", j."_posted" AS "_posted", CAST('Документ.Звонок' AS text) AS "_type", j."organizatsiya" AS "organizatsiya", j."opisanie" AS "tema", j."vkhodyashchiy" AS "vkhodyashchiy" FROM "doc_zvonok" j)`
)

// TestJournalSQL pins how a journal reads: a derived table over its
// documents, never a table of its own.
func TestJournalSQL(t *testing.T) {
	cases := []struct{ query, sqlite, postgres string }{
		{"ВЫБРАТЬ Тема ИЗ ЖурналДокументов.Взаимодействия ГДЕ Входящий",
			`SELECT t1."tema" FROM ` + journalUnionSQLite + ` t1 WHERE t1."vkhodyashchiy"`,
			`SELECT t1."tema" FROM ` + journalUnionPostgres + ` t1 WHERE t1."vkhodyashchiy"`},
		{"ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ ЖурналДокументов.Взаимодействия КАК Ж ГДЕ Ж.Тип = ТИП(Документ.Звонок) И Ж.Ссылка ССЫЛКА Документ.Звонок",
			`SELECT COUNT(*) FROM ` + journalUnionSQLite + ` t1 WHERE ((t1."_type" = ?1) AND (t1."_id_t" = ?2))`,
			`SELECT COUNT(*) FROM ` + journalUnionPostgres + ` t1 WHERE ((t1."_type" = CAST($1 AS text)) AND (t1."_id_t" = $2))`},
		{"ВЫБРАТЬ Организация.Наименование КАК Организация ИЗ ЖурналДокументов.Взаимодействия",
			`SELECT t2."_description" FROM (` + journalUnionSQLite + ` t1 LEFT JOIN "cat_organizatsii" t2 ON t2."_id" = t1."organizatsiya")`,
			`SELECT t2."_description" FROM (` + journalUnionPostgres + ` t1 LEFT JOIN "cat_organizatsii" t2 ON t2."_id" = t1."organizatsiya")`},
	}
	for _, c := range cases {
		for _, d := range []struct {
			dialect sqlgen.Dialect
			want    string
		}{{sqlite.New(), c.sqlite}, {postgres.New(), c.postgres}} {
			comp := journalCompiler(t, d.dialect)
			src := source.FromFile(source.NewFile("q", c.query))
			b, err := parser.ParseQuery(src)
			if err != nil {
				t.Fatal(err)
			}
			st, err := comp.Compile(src, b)
			if err != nil {
				t.Errorf("%s (%s): %v", c.query, d.dialect.Name(), err)
				continue
			}
			if st[0].SQL != d.want {
				t.Errorf("%s (%s):\ngot  %s\nwant %s", c.query, d.dialect.Name(), st[0].SQL, d.want)
			}
		}
	}
}

// TestJournalSchema: a journal has no table of its own; its fields are
// typed from its documents'.
func TestJournalSchema(t *testing.T) {
	c := journalCompiler(t, sqlite.New())
	for _, tb := range c.Schema.Tables() {
		if tb.Object == "ЖурналДокументов.Взаимодействия" {
			t.Errorf("SchemaOf made table %s for the journal", tb.Name)
		}
	}
	j := c.Config.Object("DocumentJournal.Взаимодействия")
	for name, want := range map[string]string{
		"Ссылка": "Документ.Встреча, Документ.Звонок", "Ref": "Документ.Встреча, Документ.Звонок",
		"Номер": "Строка(9), Число(5)", "Дата": "Дата", "Тип": "Строка", "Проведен": "Булево",
		"Тема": "Строка(200)", "Организация": "Справочник.Организации", "Входящий": "Булево",
	} {
		if a := j.Attribute(name); a == nil || a.Type.String() != want {
			t.Errorf("%s: %v, want %s", name, a, want)
		}
	}
	if j.Attribute("ВерсияДанных") != nil {
		t.Error("a journal has no ВерсияДанных in 1C")
	}
	src := source.FromFile(source.NewFile("q", "ВЫБРАТЬ * ИЗ ЖурналДокументов.Взаимодействия"))
	b, err := parser.ParseQuery(src)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Compile(src, b)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, col := range st[0].Columns {
		names = append(names, col.Name)
	}
	if got := strings.Join(names, ", "); got != "Ссылка, Дата, Номер, ПометкаУдаления, Проведен, Тип, Организация, Тема, Входящий" {
		t.Errorf("ВЫБРАТЬ * gives %s", got)
	}
}

func TestJournalCompileErrors(t *testing.T) {
	c := journalCompiler(t, sqlite.New())
	for q, want := range map[string]string{
		"ВЫБРАТЬ Длительность ИЗ ЖурналДокументов.Взаимодействия": "q:1:9: Длительность is neither a table alias nor a field of the query's tables",
		"ВЫБРАТЬ Ж.Нет ИЗ ЖурналДокументов.Взаимодействия КАК Ж":  "q:1:11: ЖурналДокументов.Взаимодействия has no field Нет",
		"ВЫБРАТЬ 1 ИЗ ЖурналДокументов.Нет":                       "q:1:14: ЖурналДокументов.Нет is not in the configuration",
	} {
		src := source.FromFile(source.NewFile("q", q))
		b, err := parser.ParseQuery(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Compile(src, b); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: got %v, want %s", q, err, want)
		}
	}
	if _, err := c.ForbiddenCheck("ЖурналДокументов.Взаимодействия", "Изменение"); err == nil {
		t.Error("a journal is never written, so it has no write check")
	}
}

// TestJournalBackend reads a journal over two documents on both backends,
// with full rights and as sessions: the journal's own Read right and
// restriction govern it, not its documents' (1C's rule, which the Standard
// Subsystems Library follows by giving journals restrictions of their own).
func TestJournalBackend(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, backend)
			db, err := infobase.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			sources := map[string][]byte{"journal.yaml": []byte(journalConfig)}
			cfg, err := metadata.LoadSources(sources)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{Sources: sources}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer ib.Close()
			create := func(object string, values map[string]any) string {
				t.Helper()
				ref, err := ib.Create(ctx, object, values, nil)
				if err != nil {
					t.Fatal(err)
				}
				return ref
			}
			a := create("Справочник.Организации", map[string]any{"Наименование": "А"})
			b := create("Справочник.Организации", map[string]any{"Наименование": "Б"})
			create("Документ.Встреча", map[string]any{"Организация": a, "Тема": "Планёрка", "Длительность": 30})
			create("Документ.Встреча", map[string]any{"Организация": b, "Тема": "Обед"})
			create("Документ.Звонок", map[string]any{"Организация": a, "Описание": "Звонок клиенту", "Входящий": true})
			create("Документ.Звонок", map[string]any{"Организация": b, "Описание": "Звонок поставщику"})

			cases := []struct {
				user, query string
				params      map[string]any
				want        string // JSON rows; "" with denied
			}{
				{query: "ВЫБРАТЬ Ж.Тема, Ж.Входящий, Ж.Тип = ТИП(Документ.Звонок) КАК Звонок, Ж.Организация ИЗ ЖурналДокументов.Взаимодействия КАК Ж УПОРЯДОЧИТЬ ПО Ж.Тема",
					want: `[["Звонок клиенту",true,true,"А"],["Звонок поставщику",false,true,"Б"],["Обед",null,false,"Б"],["Планёрка",null,false,"А"]]`},
				{query: "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ ЖурналДокументов.Взаимодействия ГДЕ Ссылка ССЫЛКА Документ.Встреча И НЕ Проведен И НЕ ПометкаУдаления",
					want: `[["2"]]`},
				{query: "ВЫБРАТЬ ТИПЗНАЧЕНИЯ(Ж.Номер) = ТИП(Строка) КАК Строкой, ТИПЗНАЧЕНИЯ(Ж.Ссылка) = ТИП(Документ.Звонок) КАК Звонок ИЗ ЖурналДокументов.Взаимодействия КАК Ж ГДЕ Ж.Организация = &Орг УПОРЯДОЧИТЬ ПО Звонок",
					params: map[string]any{"Орг": a}, want: `[[true,false],[false,true]]`},
				{query: "ВЫБРАТЬ О.Наименование, КОЛИЧЕСТВО(Ж.Ссылка) КАК Н ИЗ Справочник.Организации КАК О ЛЕВОЕ СОЕДИНЕНИЕ ЖурналДокументов.Взаимодействия КАК Ж ПО Ж.Организация = О.Ссылка И Ж.Входящий СГРУППИРОВАТЬ ПО О.Наименование УПОРЯДОЧИТЬ ПО О.Наименование",
					want: `[["А","1"],["Б","0"]]`},
				{user: "ivanov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ О.Наименование, Ж.Тема ИЗ Справочник.Организации КАК О ПОЛНОЕ СОЕДИНЕНИЕ ЖурналДокументов.Взаимодействия КАК Ж ПО Ж.Организация = О.Ссылка УПОРЯДОЧИТЬ ПО О.Наименование, Ж.Тема",
					want: `[["А","Звонок клиенту"],["А","Планёрка"],["Б",null]]`},
				{user: "ivanov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ КОЛИЧЕСТВО(*) ИЗ Справочник.Организации КАК О ГДЕ О.Ссылка В (ВЫБРАТЬ Ж.Организация ИЗ ЖурналДокументов.Взаимодействия КАК Ж)",
					want: `[["1"]]`},
				// The journal's own restriction, although the documents'
				// restrict more (Встреча: none) or grant nothing (Звонок).
				{user: "ivanov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Тема ИЗ ЖурналДокументов.Взаимодействия УПОРЯДОЧИТЬ ПО Тема",
					want: `[["Звонок клиенту"],["Планёрка"]]`},
				// The documents reached through Ссылка keep their own rights:
				// their presentations read as absent where forbidden.
				{user: "ivanov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Ж.Ссылка, Ж.Тема ИЗ ЖурналДокументов.Взаимодействия КАК Ж УПОРЯДОЧИТЬ ПО Ж.Тема",
					want: `[["","Звонок клиенту"],["","Планёрка"]]`},
				// A reference of either document presents it by its number,
				// a string for one and a number for the other.
				{query: "ВЫБРАТЬ Ж.Ссылка, Ж.Номер ИЗ ЖурналДокументов.Взаимодействия КАК Ж УПОРЯДОЧИТЬ ПО Ж.Тема",
					want: `[["1","1"],["2","2"],["000000002","000000002"],["000000001","000000001"]]`},
				{user: "ivanov", query: "ВЫБРАТЬ Тема ИЗ ЖурналДокументов.Взаимодействия"},
				{user: "ivanov", query: "ВЫБРАТЬ Тема ИЗ ЖурналДокументов.Взаимодействия ГДЕ Организация = &Орг УПОРЯДОЧИТЬ ПО Тема",
					params: map[string]any{"Орг": a}, want: `[["Звонок клиенту"],["Планёрка"]]`},
				{user: "ivanov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Тема ИЗ Документ.Встреча", want: `[]`},
				// Reading documents needs no right on a journal, and a
				// journal no right on its documents.
				{user: "petrov", query: "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Документ.Встреча", want: `[["2"]]`},
				{user: "petrov", query: "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ ЖурналДокументов.Взаимодействия"},
			}
			for _, c := range cases {
				var res *infobase.Result
				var err error
				if c.user == "" {
					res, err = ib.Query(ctx, c.query, c.params)
				} else {
					s, serr := ib.NewSession(ctx, c.user, infobase.SessionOptions{Params: map[string]any{"Организация": a}})
					if serr != nil {
						t.Fatal(serr)
					}
					res, err = s.Query(ctx, c.query, c.params)
				}
				if c.want == "" {
					if !rls.IsAccessDenied(err) {
						t.Errorf("%s: %s: want access denied, got %v", c.user, c.query, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %s: %v", c.user, c.query, err)
					continue
				}
				if got := journalRows(res); got != c.want {
					t.Errorf("%s: %s:\n got %s\nwant %s", c.user, c.query, got, c.want)
				}
			}
		})
	}
}

// journalRows prints a result as JSON rows, references by presentation.
func journalRows(res *infobase.Result) string {
	rows := make([][]any, len(res.Rows))
	for i, r := range res.Rows {
		out := make([]any, len(r))
		for j, v := range r {
			switch v := v.(type) {
			case infobase.Ref:
				out[j] = v.Presentation
			case infobase.Number:
				out[j] = string(v)
			default:
				out[j] = v
			}
		}
		rows[i] = out
	}
	if len(rows) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(rows)
	return string(b)
}

package infobase_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"dostup/demo"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/rls"
	"dostup/sdbl/source"
)

// queryAs runs a query as a user of the demo (admin, ivanov ...).
func queryAs(t *testing.T, ib *infobase.Infobase, user, text string, params map[string]any) (*infobase.Result, error) {
	t.Helper()
	s, err := ib.NewSession(context.Background(), user, infobase.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s.Query(context.Background(), text, params)
}

// TestSectionsUnderRestrictions: a tabular section read through its
// owner (Д.Товары.Поле, Д.Товары.(…)) under РАЗРЕШЕННЫЕ used to compile
// to SQL naming an owner's row never joined; the owner's restriction
// decides, on both backends.
func TestSectionsUnderRestrictions(t *testing.T) {
	cases := []struct{ user, query, want string }{
		{"ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Д.Номер, Д.Товары.(Номенклатура, Количество) ИЗ Документ.РеализацияТоваров КАК Д УПОРЯДОЧИТЬ ПО Д.Номер, ТоварыКоличество",
			`[["РТ-0001","Кирпич белый","500.000"],["РТ-0001","Кирпич красный","1000.000"],["РТ-0002","Кирпич красный","200.000"]]`},
		{"petrov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Д.Номер, Д.Товары.Номенклатура.Наименование КАК Н ИЗ Документ.РеализацияТоваров КАК Д УПОРЯДОЧИТЬ ПО Д.Номер",
			`[["РТ-0003","Молоко"],["РТ-0004","Хлеб"]]`},
		{"ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Д.Номер ИЗ Документ.РеализацияТоваров КАК Д ГДЕ Д.Товары.Количество > 300 УПОРЯДОЧИТЬ ПО Д.Номер",
			`[["РТ-0001"],["РТ-0001"]]`},
		{"ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Т.Ссылка.Номер КАК Н, Т.Ссылка.Товары.Номенклатура.Наименование КАК Т ИЗ Документ.РеализацияТоваров.Товары КАК Т ГДЕ Т.НомерСтроки = 1 УПОРЯДОЧИТЬ ПО Н, Т",
			`[["РТ-0001","Кирпич белый"],["РТ-0001","Кирпич красный"],["РТ-0002","Кирпич красный"]]`},
		{"ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ К.Наименование, Р.Товары.Сумма КАК С ИЗ Справочник.Контрагенты КАК К ЛЕВОЕ СОЕДИНЕНИЕ Документ.РеализацияТоваров КАК Р ПО Р.Контрагент = К.Ссылка ГДЕ НЕ К.ЭтоГруппа УПОРЯДОЧИТЬ ПО К.Наименование, С",
			`[["Кирпичный завод","7000.00"],["Кирпичный завод","12500.00"],["Лесопилка",null],["Стройторг","2500.00"]]`},
		{"ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ К.Наименование, К.Продукция.Наименование КАК П ИЗ Справочник.Контрагенты КАК К ГДЕ НЕ К.ЭтоГруппа УПОРЯДОЧИТЬ ПО К.Наименование, П",
			`[["Кирпичный завод","Кирпич белый"],["Кирпичный завод","Кирпич красный"],["Лесопилка",null],["Стройторг",null]]`},
		// Without РАЗРЕШЕННЫЕ the owner's check still refuses what the
		// user may not read, and passes what it may.
		{"ivanov", "ВЫБРАТЬ Д.Номер, Д.Товары.Номенклатура ИЗ Документ.РеализацияТоваров КАК Д", "denied"},
		{"ivanov", "ВЫБРАТЬ Д.Номер, Д.Товары.Сумма ИЗ Документ.РеализацияТоваров КАК Д ГДЕ Д.Организация.Наименование = \"ООО Ромашка\" УПОРЯДОЧИТЬ ПО Д.Товары.Сумма",
			`[["РТ-0002","2500.00"],["РТ-0001","7000.00"],["РТ-0001","12500.00"]]`},
		{"admin", "ВЫБРАТЬ РАЗРЕШЕННЫЕ КОЛИЧЕСТВО(Д.Товары.НомерСтроки) ИЗ Документ.РеализацияТоваров КАК Д", `[["5"]]`},
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ib := openDemo(t, backend)
			for _, c := range cases {
				res, err := queryAs(t, ib, c.user, c.query, nil)
				if c.want == "denied" {
					var ae *rls.AccessError
					if !errors.As(err, &ae) {
						t.Errorf("%s: %s: want access denied, got %v", c.user, c.query, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %s: %v", c.user, c.query, err)
					continue
				}
				if got := rowsJSON(res); got != c.want {
					t.Errorf("%s: %s:\n got %s\nwant %s", c.user, c.query, got, c.want)
				}
			}
		})
	}
}

// TestOrderByThroughReference: УПОРЯДОЧИТЬ ПО a field read through a
// reference used to leave the reference's table out of FROM; and NULL
// sorts first ascending, last descending, on both backends (PostgreSQL
// sorted it the other way).
func TestOrderByThroughReference(t *testing.T) {
	cases := []struct{ user, query, want string }{
		{"ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Контрагент.ИНН", `[["РТ-0001"],["РТ-0002"]]`},
		{"ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Контрагент.ИНН УБЫВ", `[["РТ-0002"],["РТ-0001"]]`},
		{"ivanov", "ВЫБРАТЬ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Контрагент.ИНН", "denied"},
		{"admin", "ВЫБРАТЬ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Контрагент.ИНН", `[["РТ-0001"],["РТ-0002"],["РТ-0003"],["РТ-0004"]]`},
		{"admin", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Контрагент.Организация.Наименование УБЫВ, Контрагент.Наименование", `[["РТ-0001"],["РТ-0002"],["РТ-0004"],["РТ-0003"]]`},
		{"admin", "ВЫБРАТЬ ПЕРВЫЕ 1 Т.Н ИЗ (ВЫБРАТЬ Номер КАК Н, Контрагент КАК К ИЗ Документ.РеализацияТоваров) КАК Т УПОРЯДОЧИТЬ ПО Т.К.Наименование", `[["РТ-0001"]]`},
		{"admin", "ВЫБРАТЬ Наименование, ОсновнойМенеджер.Наименование КАК М ИЗ Справочник.Контрагенты ГДЕ Родитель.Наименование = \"Покупатели\" ИЛИ ЭтоГруппа УПОРЯДОЧИТЬ ПО М, Наименование",
			`[["Покупатели",null],["Поставщики",null],["Кирпичный завод","ivanov"],["Стройторг","ivanov"],["Молокозавод","petrov"],["Хлебозавод","petrov"]]`},
		{"admin", "ВЫБРАТЬ Наименование, ОсновнойМенеджер.Наименование КАК М ИЗ Справочник.Контрагенты ГДЕ Родитель.Наименование = \"Покупатели\" ИЛИ ЭтоГруппа УПОРЯДОЧИТЬ ПО М УБЫВ, Наименование",
			`[["Молокозавод","petrov"],["Хлебозавод","petrov"],["Кирпичный завод","ivanov"],["Стройторг","ivanov"],["Покупатели",null],["Поставщики",null]]`},
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ib := openDemo(t, backend)
			for _, c := range cases {
				res, err := queryAs(t, ib, c.user, c.query, nil)
				if c.want == "denied" {
					var ae *rls.AccessError
					if !errors.As(err, &ae) {
						t.Errorf("%s: %s: want access denied, got %v", c.user, c.query, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %s: %v", c.user, c.query, err)
					continue
				}
				if got := rowsJSON(res); got != c.want {
					t.Errorf("%s: %s:\n got %s\nwant %s", c.user, c.query, got, c.want)
				}
			}
		})
	}
}

// TestListParameters: a list value of a parameter in В (IN) binds each of
// its values, converted as a single value would be; an empty list matches
// nothing and НЕ В it everything; a list elsewhere is refused.
func TestListParameters(t *testing.T) {
	ref := func(name string) string { return demo.ID("Справочник.Контрагенты", name) }
	cases := []struct {
		user, query string
		params      map[string]any
		want        string // JSON rows, or "param" for a *ParamError
	}{
		{"admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&Список) УПОРЯДОЧИТЬ ПО Наименование",
			map[string]any{"Список": []any{ref("Стройторг"), ref("Хлебозавод")}}, `[["Стройторг"],["Хлебозавод"]]`},
		{"admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&Список)",
			map[string]any{"Список": []any{}}, `[]`},
		{"admin", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ НЕ Ссылка В (&Список)",
			map[string]any{"Список": []any{}}, `[["8"]]`},
		{"admin", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&Список) ИЛИ Ссылка В (&Список)",
			map[string]any{"Список": []any{ref("Стройторг")}}, `[["1"]]`},
		{"admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&Список)",
			map[string]any{"Список": ref("Стройторг")}, `[["Стройторг"]]`},
		{"admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&А, &Б) УПОРЯДОЧИТЬ ПО Наименование",
			map[string]any{"А": []any{}, "Б": []any{infobase.Ref{ID: ref("Лесопилка")}}}, `[["Лесопилка"]]`},
		{"admin", "ВЫБРАТЬ Номер ИЗ Документ.РеализацияТоваров ГДЕ СуммаДокумента В (&Суммы, 8000) УПОРЯДОЧИТЬ ПО Номер",
			map[string]any{"Суммы": []any{infobase.Number("2500"), infobase.Number("2250.00"), infobase.Number("1e4")}}, `[["РТ-0002"],["РТ-0003"],["РТ-0004"]]`},
		{"admin", "ВЫБРАТЬ Номер ИЗ Документ.РеализацияТоваров ГДЕ НАЧАЛОПЕРИОДА(Дата, ДЕНЬ) В (&Дни) УПОРЯДОЧИТЬ ПО Номер",
			map[string]any{"Дни": []any{"2024-01-15 00:00:00", "2024-02-12 00:00:00"}}, `[["РТ-0001"],["РТ-0004"]]`},
		{"admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В ИЕРАРХИИ (&Группы) И НЕ ЭтоГруппа УПОРЯДОЧИТЬ ПО Наименование",
			map[string]any{"Группы": []any{ref("Поставщики")}}, `[["Лесопилка"],["Фермер Петров"]]`},
		{"admin", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ НЕ Ссылка В ИЕРАРХИИ (&Группы)",
			map[string]any{"Группы": []any{}}, `[["8"]]`},
		{"admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (ВЫБРАТЬ Контрагент ИЗ Документ.РеализацияТоваров ГДЕ Номер В (&Н)) УПОРЯДОЧИТЬ ПО Наименование",
			map[string]any{"Н": []any{"РТ-0001", "РТ-0004"}}, `[["Кирпичный завод"],["Молокозавод"]]`},
		// As a restricted user: the access check binds the list as well.
		{"ivanov", "ВЫБРАТЬ Номер ИЗ Документ.РеализацияТоваров ГДЕ Контрагент В (&К) УПОРЯДОЧИТЬ ПО Номер",
			map[string]any{"К": []any{ref("Кирпичный завод"), ref("Стройторг")}}, `[["РТ-0001"],["РТ-0002"]]`},
		{"ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.РеализацияТоваров ГДЕ НЕ Контрагент В (&К) УПОРЯДОЧИТЬ ПО Номер",
			map[string]any{"К": []any{ref("Стройторг")}}, `[["РТ-0001"]]`},
		// A list only where В takes one; lists hold single values.
		{"admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка = &Список", map[string]any{"Список": []any{ref("Стройторг")}}, "param"},
		{"admin", "ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&Список)", map[string]any{"Список": []any{[]any{ref("Стройторг")}}}, "param"},
		{"admin", "ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&Список)", map[string]any{"Список": []any{map[string]any{"a": 1}}}, "param"},
		{"admin", "ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Наименование В (&Список)", map[string]any{"Список": make([]any, 40000)}, "param"},
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ib := openDemo(t, backend)
			for _, c := range cases {
				res, err := queryAs(t, ib, c.user, c.query, c.params)
				if c.want == "param" {
					var pe *infobase.ParamError
					if !errors.As(err, &pe) {
						t.Errorf("%s: want a *ParamError, got %v", c.query, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %v", c.query, err)
					continue
				}
				if got := rowsJSON(res); got != c.want {
					t.Errorf("%s %v:\n got %s\nwant %s", c.query, c.params, got, c.want)
				}
			}
		})
	}
}

// TestListInRestriction: a session parameter holding a list, read by a
// restriction's В (IN), binds each value; an empty list allows nothing.
func TestListInRestriction(t *testing.T) {
	cfg := `
catalogs:
  - name: Организации
  - name: Склады
    attributes:
      - {name: Организация, type: Справочник.Организации}
session_parameters:
  - {name: ДоступныеОрганизации, type: ФиксированныйМассив}
roles:
  - name: Администратор
    rights: [Администрирование]
    objects:
      - {object: Справочник.Организации, rights: [Чтение, Добавление]}
      - {object: Справочник.Склады, rights: [Чтение, Добавление]}
  - name: Кладовщик
    objects:
      - {object: Справочник.Организации, rights: [Чтение]}
      - object: Справочник.Склады
        rights: [Чтение]
        restrictions:
          - {right: Чтение, condition: ГДЕ Организация В (&ДоступныеОрганизации)}
users:
  - {name: admin, roles: [Администратор]}
  - {name: u, roles: [Кладовщик]}
`
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, backend)
			db, err := infobase.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := infobase.Init(ctx, db, load(t, cfg), infobase.InitOptions{Sources: map[string][]byte{"c.yaml": []byte(cfg)}}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer ib.Close()
			orgs := map[string]string{}
			for _, name := range []string{"А", "Б", "В"} {
				id, err := ib.Create(ctx, "Справочник.Организации", map[string]any{"Наименование": name}, nil)
				if err != nil {
					t.Fatal(err)
				}
				orgs[name] = id
				if _, err := ib.Create(ctx, "Справочник.Склады", map[string]any{"Наименование": "Склад " + name, "Организация": id}, nil); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range []struct {
				orgs []any
				want string
			}{
				{[]any{orgs["А"], orgs["В"]}, `[["Склад А"],["Склад В"]]`},
				{[]any{orgs["Б"]}, `[["Склад Б"]]`},
				{[]any{}, `[]`},
			} {
				s, err := ib.NewSession(ctx, "u", infobase.SessionOptions{Params: map[string]any{"ДоступныеОрганизации": c.orgs}})
				if err != nil {
					t.Fatal(err)
				}
				res, err := s.Query(ctx, "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Склады УПОРЯДОЧИТЬ ПО Наименование", nil)
				if err != nil {
					t.Errorf("%v: %v", c.orgs, err)
					continue
				}
				if got := rowsJSON(res); got != c.want {
					t.Errorf("%v: got %s, want %s", c.orgs, got, c.want)
				}
			}
		})
	}
}

// TestHostileQueryValues: values no database takes are refused with a
// message naming the place (a literal) or the parameter; what a database
// refuses at run time is a *StatementError, never a bare driver error.
func TestHostileQueryValues(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ib := openDemo(t, backend)
			ctx := context.Background()
			q := "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Наименование = &Имя"
			for _, v := range []any{"a\x00b", "\xff\xfe", infobase.Number("1e999999"), infobase.Number("99999999999999999999999999999999999999999"), infobase.Number("12abc")} {
				_, err := ib.Query(ctx, q, map[string]any{"Имя": v})
				var pe *infobase.ParamError
				if !errors.As(err, &pe) || pe.Name != "Имя" {
					t.Errorf("%q: want a *ParamError for &Имя, got %v", v, err)
				}
			}
			if res, err := ib.Query(ctx, "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Документ.РеализацияТоваров ГДЕ СуммаДокумента > &Ч", map[string]any{"Ч": infobase.Number("1e3")}); err != nil || rowsJSON(res) != `[["4"]]` {
				t.Errorf("1e3: %v %v", res, err)
			}
			for text, want := range map[string]string{
				"ВЫБРАТЬ 1 ГДЕ \"a\x00b\" = \"\"":       "query:1:17: a string cannot hold the character U+0000 (NUL)",
				"ВЫБРАТЬ ПЕРВЫЕ 99999999999999999999 1": "query:1:16: ПЕРВЫЕ (TOP) takes a whole number of rows",
				"ВЫБРАТЬ 1 ГДЕ 1 = 1e999999":            "query:1:20: expected",
			} {
				_, err := ib.Query(ctx, text, nil)
				var list source.ErrorList
				if !errors.As(err, &list) || !strings.HasPrefix(err.Error(), want) {
					t.Errorf("%q: got %v, want %s", text, err, want)
				}
			}
			// A division by zero is NULL on both backends.
			if res, err := ib.Query(ctx, "ВЫБРАТЬ 1 / 0, СУММА(СуммаДокумента) / (КОЛИЧЕСТВО(*) - 4) ИЗ Документ.РеализацияТоваров", nil); err != nil || rowsJSON(res) != `[[null,null]]` {
				t.Errorf("division by zero: %v %v", res, err)
			}
			// Values only the running statement meets: PostgreSQL refuses
			// them, SQLite computes something; neither is a bare driver
			// error.
			for _, c := range []struct {
				text   string
				params map[string]any
			}{
				{"ВЫБРАТЬ ВЫРАЗИТЬ(&Ч КАК Число(5, 2))", map[string]any{"Ч": infobase.Number("99999999")}},
				{"ВЫБРАТЬ Номер ИЗ Документ.РеализацияТоваров ГДЕ Дата > &Д", map[string]any{"Д": "not a date"}},
				{"ВЫБРАТЬ ДОБАВИТЬКДАТЕ(Дата, ГОД, &Н) ИЗ Документ.РеализацияТоваров", map[string]any{"Н": infobase.Number("300000")}},
			} {
				_, err := ib.Query(ctx, c.text, c.params)
				var se *infobase.StatementError
				if backend == "postgres" && !errors.As(err, &se) || err != nil && !errors.As(err, &se) {
					t.Errorf("%s: want a *StatementError, got %T %v", c.text, err, err)
				}
			}
		})
	}
}

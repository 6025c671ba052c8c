package sqlgen_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/internal/testdemo"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
	"dostup/sqlgen"
	"dostup/sqlgen/sqlite"
	"dostup/wire"
)

// TestTotalsExecute runs queries with ИТОГИ on the demo infobase of each
// backend and checks every row: its record type, its grouping and its
// values, in 1C's direct order (ОбходРезультатаЗапроса.Прямой).
func TestTotalsExecute(t *testing.T) {
	cases := []struct {
		name   string
		user   string // "" runs with full rights
		query  string
		params map[string]any
		want   string // a line per row: type/grouping then the values as JSON
	}{
		{name: "overall and one grouping, ordered by the aggregate",
			query: `ВЫБРАТЬ Д.Организация КАК Организация, Д.Номер КАК Номер, Д.СуммаДокумента КАК Сумма
				ИЗ Документ.РеализацияТоваров КАК Д
				УПОРЯДОЧИТЬ ПО Сумма УБЫВ
				ИТОГИ СУММА(Сумма) ПО ОБЩИЕ, Организация`,
			want: `
ОбщийИтог [null,null,"32250.00"]
ИтогПоГруппировке/Организация ["ООО Ромашка",null,"22000.00"]
ДетальнаяЗапись ["ООО Ромашка","РТ-0001","19500.00"]
ДетальнаяЗапись ["ООО Ромашка","РТ-0002","2500.00"]
ИтогПоГруппировке/Организация ["ООО Лютик",null,"10250.00"]
ДетальнаяЗапись ["ООО Лютик","РТ-0003","8000.00"]
ДетальнаяЗапись ["ООО Лютик","РТ-0004","2250.00"]`},
		{name: "two groupings without aggregates, by grouping values",
			query: `ВЫБРАТЬ Т.Ссылка.Организация КАК Организация, Т.Номенклатура, Т.Количество КАК Количество
				ИЗ Документ.РеализацияТоваров.Товары КАК Т
				ИТОГИ ПО Организация, Т.Номенклатура КАК Товар`,
			want: `
ИтогПоГруппировке/Организация ["ООО Лютик",null,null]
ИтогПоГруппировке/Товар ["ООО Лютик","Молоко",null]
ДетальнаяЗапись ["ООО Лютик","Молоко","100.000"]
ИтогПоГруппировке/Товар ["ООО Лютик","Хлеб",null]
ДетальнаяЗапись ["ООО Лютик","Хлеб","50.000"]
ИтогПоГруппировке/Организация ["ООО Ромашка",null,null]
ИтогПоГруппировке/Товар ["ООО Ромашка","Кирпич белый",null]
ДетальнаяЗапись ["ООО Ромашка","Кирпич белый","500.000"]
ИтогПоГруппировке/Товар ["ООО Ромашка","Кирпич красный",null]
ДетальнаяЗапись ["ООО Ромашка","Кирпич красный","1000.000"]
ДетальнаяЗапись ["ООО Ромашка","Кирпич красный","200.000"]`},
		{name: "record-level security: totals of the rows the user may read",
			user: "ivanov",
			query: `ВЫБРАТЬ РАЗРЕШЕННЫЕ Д.Контрагент КАК Контрагент, Д.Номер КАК Номер, Д.СуммаДокумента КАК Сумма, 0 КАК Документов
				ИЗ Документ.РеализацияТоваров КАК Д
				УПОРЯДОЧИТЬ ПО Номер
				ИТОГИ СУММА(Сумма), КОЛИЧЕСТВО(РАЗЛИЧНЫЕ Контрагент) КАК Документов ПО ОБЩИЕ, Контрагент`,
			want: `
ОбщийИтог [null,null,"22000.00","2"]
ИтогПоГруппировке/Контрагент ["Кирпичный завод",null,"19500.00","1"]
ДетальнаяЗапись ["Кирпичный завод","РТ-0001","19500.00","0"]
ИтогПоГруппировке/Контрагент ["Стройторг",null,"2500.00","1"]
ДетальнаяЗапись ["Стройторг","РТ-0002","2500.00","0"]`},
		{name: "periods, parameters, count and maximum",
			query: `ВЫБРАТЬ Д.Дата КАК Дата, Д.Номер КАК Номер, Д.СуммаДокумента КАК Сумма, 1 КАК Документов
				ИЗ Документ.РеализацияТоваров КАК Д
				ГДЕ Д.СуммаДокумента > &Порог
				УПОРЯДОЧИТЬ ПО Дата
				ИТОГИ МАКСИМУМ(Сумма), КОЛИЧЕСТВО(Номер) КАК Документов ПО ОБЩИЕ, Дата ПЕРИОДАМИ(МЕСЯЦ, , )`,
			params: map[string]any{"Порог": infobase.Number("2300")},
			want: `
ОбщийИтог [null,null,"19500.00","3"]
ИтогПоГруппировке/Дата ["2024-01-01T00:00:00",null,"19500.00","2"]
ДетальнаяЗапись ["2024-01-15T10:00:00","РТ-0001","19500.00","1"]
ДетальнаяЗапись ["2024-01-22T11:30:00","РТ-0002","2500.00","1"]
ИтогПоГруппировке/Дата ["2024-02-01T00:00:00",null,"8000.00","1"]
ДетальнаяЗапись ["2024-02-05T09:00:00","РТ-0003","8000.00","1"]`},
		{name: "the overall total alone, without aggregates: one row; a table aliased Итоги",
			query: `ВЫБРАТЬ Итоги.Номер КАК Номер ИЗ Документ.РеализацияТоваров КАК Итоги ГДЕ Итоги.Номер > "РТ-0002" УПОРЯДОЧИТЬ ПО Номер ИТОГИ ПО ОБЩИЕ`,
			want: `
ОбщийИтог [null]
ДетальнаяЗапись ["РТ-0003"]
ДетальнаяЗапись ["РТ-0004"]`},
		{name: "a batch: totals over a temporary table",
			query: `ВЫБРАТЬ Д.Организация КАК Организация, Д.СуммаДокумента КАК Сумма ПОМЕСТИТЬ ВТ ИЗ Документ.РеализацияТоваров КАК Д;
				ВЫБРАТЬ ВТ.Организация, ВТ.Сумма ИЗ ВТ УПОРЯДОЧИТЬ ПО ВТ.Сумма ИТОГИ СРЕДНЕЕ(Сумма) ПО Организация`,
			want: `
ИтогПоГруппировке/Организация ["ООО Лютик","5125.00"]
ДетальнаяЗапись ["ООО Лютик","2250.00"]
ДетальнаяЗапись ["ООО Лютик","8000.00"]
ИтогПоГруппировке/Организация ["ООО Ромашка","11000.00"]
ДетальнаяЗапись ["ООО Ромашка","2500.00"]
ДетальнаяЗапись ["ООО Ромашка","19500.00"]`},
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ib := testdemo.Open(t, backend)
			ctx := context.Background()
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					var res *infobase.Result
					var err error
					if c.user == "" {
						res, err = ib.Query(ctx, c.query, c.params)
					} else {
						s, serr := ib.NewSession(ctx, c.user, infobase.SessionOptions{})
						if serr != nil {
							t.Fatal(serr)
						}
						res, err = s.Query(ctx, c.query, c.params)
					}
					if err != nil {
						t.Fatal(err)
					}
					if got := totalsRows(t, res); got != strings.TrimSpace(c.want) {
						t.Errorf("got:\n%s\nwant:\n%s", got, strings.TrimSpace(c.want))
					}
				})
			}
		})
	}
}

// totalsRows prints a result a row per line: the record type and grouping,
// then the values, references as their presentations.
func totalsRows(t *testing.T, res *infobase.Result) string {
	t.Helper()
	if len(res.Records) != len(res.Rows) {
		t.Fatalf("%d records for %d rows", len(res.Records), len(res.Rows))
	}
	var lines []string
	for i, r := range res.Rows {
		vals := make([]any, len(r))
		for j, v := range r {
			switch v := v.(type) {
			case infobase.Ref:
				vals[j] = v.Presentation
			case time.Time:
				vals[j] = v.Format("2006-01-02T15:04:05")
			default:
				vals[j] = v
			}
		}
		data, err := json.Marshal(vals)
		if err != nil {
			t.Fatal(err)
		}
		rec := res.Records[i]
		head := rec.Type.String()
		if rec.Grouping != "" {
			head += "/" + rec.Grouping
		}
		lines = append(lines, head+" "+string(data))
	}
	return strings.Join(lines, "\n")
}

// TestTotalsWire: the JSON of a result with ИТОГИ adds "records" beside
// the rows; a query without ИТОГИ answers as it always has.
func TestTotalsWire(t *testing.T) {
	ib := testdemo.Open(t, "sqlite")
	ctx := context.Background()
	res, err := ib.Query(ctx, "ВЫБРАТЬ Д.Номер КАК Номер, Д.СуммаДокумента КАК Сумма ИЗ Документ.РеализацияТоваров КАК Д ГДЕ Д.Номер = \"РТ-0001\" ИТОГИ СУММА(Сумма) ПО ОБЩИЕ, Номер", nil)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(wire.Result(res))
	want := `{"columns":["Номер","Сумма"],"records":[{"grouping":"","type":"ОбщийИтог"},{"grouping":"Номер","type":"ИтогПоГруппировке"},{"grouping":"","type":"ДетальнаяЗапись"}],"rows":[[null,19500.00],["РТ-0001",19500.00],["РТ-0001",19500.00]]}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
	res, err = ib.Query(ctx, "ВЫБРАТЬ Д.Номер КАК Номер ИЗ Документ.РеализацияТоваров КАК Д ГДЕ Д.Номер = \"РТ-0001\"", nil)
	if err != nil {
		t.Fatal(err)
	}
	data, _ = json.Marshal(wire.Result(res))
	if want := `{"columns":["Номер"],"rows":[["РТ-0001"]]}`; string(data) != want || res.Records != nil {
		t.Errorf("got  %s (records %v)\nwant %s", data, res.Records, want)
	}
}

// TestTotalsErrors: what ИТОГИ cannot be is refused at its place.
func TestTotalsErrors(t *testing.T) {
	cases := []struct{ query, want string }{
		{"ВЫБРАТЬ Д.Номер ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ ПО Д.Контрагент",
			"q:1:62: Д.Контрагент is not a field of the query's result"},
		{"ВЫБРАТЬ Д.Номер КАК Н ПОМЕСТИТЬ ВТ ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ ПО Н",
			"q:1:72: a query with ИТОГИ (TOTALS) cannot fill a temporary table (ПОМЕСТИТЬ ВТ)"},
		{"ВЫБРАТЬ Д.Номер, Д.СуммаДокумента КАК С ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ СУММА(С + 1) ПО Номер",
			"q:1:89: С + 1 is not a field of the query's result"},
		{"ВЫБРАТЬ Д.Номер, Д.СуммаДокумента КАК С ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ С ПО Номер",
			"q:1:83: ИТОГИ (TOTALS) takes aggregate functions of the result's fields"},
		{"ВЫБРАТЬ Д.Номер, Д.СуммаДокумента КАК С ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ КОЛИЧЕСТВО(С) КАК Номер ПО Номер",
			"q:1:83: КОЛИЧЕСТВО gives a number and Номер holds Строка(11)"},
		{"ВЫБРАТЬ Д.Номер, Д.СуммаДокумента КАК С ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ СУММА(С), МАКСИМУМ(С) ПО Номер",
			"q:1:93: С already holds a total of ИТОГИ (TOTALS)"},
		{"ВЫБРАТЬ Д.Контрагент, Д.СуммаДокумента КАК С ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ МАКСИМУМ(Контрагент) ПО С",
			"q:1:88: МАКСИМУМ of Контрагент, a reference or a field of several types, is not supported yet"},
		{"ВЫБРАТЬ Д.Номер ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ ПО Номер, ОБЩИЕ",
			"q:1:69: ОБЩИЕ (OVERALL) comes first"},
		{"ВЫБРАТЬ Д.Номер ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ ПО Номер ПЕРИОДАМИ(ДЕНЬ)",
			"q:1:62: ПЕРИОДАМИ (PERIODS) groups a field of dates; Номер is Строка(11)"},
		{"ВЫБРАТЬ Д.Дата ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ ПО Дата ПЕРИОДАМИ(ДЕКАДА, &Н, &К)",
			"q:1:76: ПЕРИОДАМИ (PERIODS) takes ДЕНЬ, НЕДЕЛЯ, МЕСЯЦ, КВАРТАЛ, ГОД, ЧАС or МИНУТА, not ДЕКАДА"},
		{"ВЫБРАТЬ Д.Номер ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ ПО Номер ИЕРАРХИЯ",
			"q:1:62: ИЕРАРХИЯ (HIERARCHY) in ИТОГИ ... ПО (TOTALS ... BY) groups by a reference to one hierarchical table; Номер is Строка(11)"},
		{"ВЫБРАТЬ Д.Организация ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ ПО Организация ИЕРАРХИЯ",
			"q:1:68: ИЕРАРХИЯ (HIERARCHY) in ИТОГИ ... ПО (TOTALS ... BY) needs a hierarchical table; Справочник.Организации is not one"},
		{"ВЫБРАТЬ Т.Н ИЗ (ВЫБРАТЬ Д.Номер КАК Н ИЗ Документ.РеализацияТоваров КАК Д ИТОГИ ПО Н) КАК Т",
			"q:1:75: ИТОГИ (TOTALS) ends a whole query only"},
	}
	cfg := goldenConfig(t, map[string]string{"fixture": "demo"})
	c := &sqlgen.Compiler{Config: cfg, Schema: sqlgen.SchemaOf(cfg), Dialect: sqlite.New()}
	for _, tc := range cases {
		text := source.FromFile(source.NewFile("q", tc.query))
		b, err := parser.ParseQuery(text)
		if err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		_, err = c.Compile(text, b)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %s", tc.query, err, tc.want)
		}
	}
}

// TestTotalsHierarchy: ИТОГИ ... ИЕРАРХИЯ over a tree two groups deep (the
// demo's Покупатели moved into a new group Все, with one counterparty in a
// subgroup Крупные), on each backend: the total of every group above the
// values, in the tree's order, and with ТОЛЬКО ИЕРАРХИЯ the groups' totals
// alone above the detail rows.
func TestTotalsHierarchy(t *testing.T) {
	cases := []struct{ query, want string }{
		{`ВЫБРАТЬ Д.Контрагент КАК Контрагент, Д.Номер КАК Номер, Д.СуммаДокумента КАК Сумма
			ИЗ Документ.РеализацияТоваров КАК Д
			ИТОГИ СУММА(Сумма) ПО ОБЩИЕ, Контрагент ИЕРАРХИЯ`, `
ОбщийИтог [null,null,"32250.00"]
ИтогПоИерархии/Контрагент ["Все",null,"32250.00"]
ИтогПоИерархии/Контрагент ["Покупатели",null,"32250.00"]
ИтогПоИерархии/Контрагент ["Крупные",null,"19500.00"]
ИтогПоГруппировке/Контрагент ["Кирпичный завод",null,"19500.00"]
ДетальнаяЗапись ["Кирпичный завод","РТ-0001","19500.00"]
ИтогПоГруппировке/Контрагент ["Молокозавод",null,"2250.00"]
ДетальнаяЗапись ["Молокозавод","РТ-0004","2250.00"]
ИтогПоГруппировке/Контрагент ["Стройторг",null,"2500.00"]
ДетальнаяЗапись ["Стройторг","РТ-0002","2500.00"]
ИтогПоГруппировке/Контрагент ["Хлебозавод",null,"8000.00"]
ДетальнаяЗапись ["Хлебозавод","РТ-0003","8000.00"]`},
		{`ВЫБРАТЬ Д.Организация КАК Организация, Д.Контрагент КАК Контрагент, Д.СуммаДокумента КАК Сумма
			ИЗ Документ.РеализацияТоваров КАК Д
			ИТОГИ СУММА(Сумма) ПО Организация, Контрагент ТОЛЬКО ИЕРАРХИЯ`, `
ИтогПоГруппировке/Организация ["ООО Лютик",null,"10250.00"]
ИтогПоИерархии/Контрагент ["ООО Лютик","Все","10250.00"]
ИтогПоИерархии/Контрагент ["ООО Лютик","Покупатели","10250.00"]
ДетальнаяЗапись ["ООО Лютик","Молокозавод","2250.00"]
ДетальнаяЗапись ["ООО Лютик","Хлебозавод","8000.00"]
ИтогПоГруппировке/Организация ["ООО Ромашка",null,"22000.00"]
ИтогПоИерархии/Контрагент ["ООО Ромашка","Все","22000.00"]
ИтогПоИерархии/Контрагент ["ООО Ромашка","Покупатели","22000.00"]
ИтогПоИерархии/Контрагент ["ООО Ромашка","Крупные","19500.00"]
ДетальнаяЗапись ["ООО Ромашка","Кирпичный завод","19500.00"]
ДетальнаяЗапись ["ООО Ромашка","Стройторг","2500.00"]`},
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			ib := testdemo.Open(t, backend)
			move := func(name, parent string) {
				t.Helper()
				res, err := ib.Query(ctx, "ВЫБРАТЬ К.Ссылка ИЗ Справочник.Контрагенты КАК К ГДЕ К.Наименование = &Имя", map[string]any{"Имя": name})
				if err != nil || len(res.Rows) != 1 {
					t.Fatalf("%s: %v", name, err)
				}
				obj, err := ib.Read(ctx, "Справочник.Контрагенты", res.Rows[0][0].(infobase.Ref).ID)
				if err != nil {
					t.Fatal(err)
				}
				obj.Values["Родитель"] = parent
				if err := ib.Update(ctx, obj); err != nil {
					t.Fatal(err)
				}
			}
			all, err := ib.Create(ctx, "Справочник.Контрагенты", map[string]any{"Наименование": "Все", "ЭтоГруппа": true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			move("Покупатели", all)
			res, err := ib.Query(ctx, "ВЫБРАТЬ К.Ссылка ИЗ Справочник.Контрагенты КАК К ГДЕ К.Наименование = \"Покупатели\"", nil)
			if err != nil {
				t.Fatal(err)
			}
			big, err := ib.Create(ctx, "Справочник.Контрагенты", map[string]any{"Наименование": "Крупные", "ЭтоГруппа": true, "Родитель": res.Rows[0][0].(infobase.Ref).ID}, nil)
			if err != nil {
				t.Fatal(err)
			}
			move("Кирпичный завод", big)
			for _, c := range cases {
				res, err := ib.Query(ctx, c.query, nil)
				if err != nil {
					t.Fatalf("%s: %v", c.query, err)
				}
				if got := totalsRows(t, res); got != strings.TrimSpace(c.want) {
					t.Errorf("%s:\ngot\n%s\nwant\n%s", c.query, got, strings.TrimSpace(c.want))
				}
			}
		})
	}
}

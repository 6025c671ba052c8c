package infobase_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/rls"
	"dostup/sqlgen"
)

// accountingConfig is a small books-of-account: a chart with subconto and
// a currency flag, an accounting register with correspondence whose
// currency and currency amount are kept per side, and a document that
// posts to it.
const accountingConfig = `
catalogs:
  - name: Организации
  - name: Контрагенты
  - name: Номенклатура
  - name: Валюты
    predefined: [USD]
charts_of_characteristic_types:
  - name: ВидыСубконто
    type: [Справочник.Контрагенты, Справочник.Номенклатура]
    predefined: [Контрагенты, Номенклатура]
charts_of_accounts:
  - name: Основной
    code: {length: 8}
    description_length: 100
    ext_dimension_types: ПланВидовХарактеристик.ВидыСубконто
    max_ext_dimensions: 2
    accounting_flags: [Валютный]
    predefined:
      - {name: Касса, code: "50", account_type: Активный, accounting_flags: [Валютный]}
      - {name: Товары, code: "41", description: Товары на складах, account_type: Активный}
      - {name: Расчеты, code: "60", account_type: Пассивный}
      - {name: РасчетыСПоставщиками, code: "60.01", parent: Расчеты, account_type: АктивноПассивный}
      - {name: Капитал, code: "80", account_type: Пассивный}
accounting_registers:
  - name: Хозрасчетный
    chart_of_accounts: ПланСчетов.Основной
    correspondence: true
    dimensions:
      - {name: Организация, type: Справочник.Организации}
      - {name: Валюта, type: Справочник.Валюты, balance: false}
    resources:
      - {name: Сумма, type: "Число(15, 2)"}
      - {name: СуммаВал, type: "Число(15, 2)", balance: false}
    attributes:
      - {name: Содержание, type: Строка(50)}
documents:
  - name: Операция
    register_records: [РегистрБухгалтерии.Хозрасчетный]
roles:
  - name: ПолныеПрава
    set_for_new_objects: true
  - name: Администратор
    rights: [Администрирование]
  - name: БухгалтерРомашки
    objects:
      - object: ПланСчетов.Основной
        rights: [Чтение]
      - object: Справочник.Организации
        rights: [Чтение]
      - object: РегистрБухгалтерии.Хозрасчетный
        rights: [Чтение]
        restrictions:
          - right: Чтение
            condition: 'ГДЕ Организация.Наименование = "ООО Ромашка"'
users:
  - {name: admin, roles: [Администратор]}
  - {name: full, roles: [ПолныеПрава]}
  - {name: accountant, roles: [БухгалтерРомашки]}
`

// TestAccountingRegister posts three operations through the objects API
// and reads every virtual table of the register on both backends: the
// balances show on the side the account's Вид says, turnovers split by
// side and by pair of accounts, and the period bounds hold.
func TestAccountingRegister(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			cfg := load(t, accountingConfig)
			dsn := testdb.DSN(t, backend)
			db, err := infobase.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{Sources: map[string][]byte{"c.yaml": []byte(accountingConfig)}}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer ib.Close()
			create := func(kind string, values map[string]any) string {
				t.Helper()
				ref, err := ib.Create(ctx, kind, values, nil)
				if err != nil {
					t.Fatal(err)
				}
				return ref
			}
			org := create("Справочник.Организации", map[string]any{"Наименование": "ООО Ромашка"})
			supplier := create("Справочник.Контрагенты", map[string]any{"Наименование": "Поставщик"})
			item := create("Справочник.Номенклатура", map[string]any{"Наименование": "Стол"})
			account := func(name string) string {
				return sqlgen.PredefinedID(cfg.Object("ПланСчетов.Основной"), name)
			}
			subconto := func(name string) string {
				return sqlgen.PredefinedID(cfg.Object("ПланВидовХарактеристик.ВидыСубконто"), name)
			}
			usd := sqlgen.PredefinedID(cfg.Object("Справочник.Валюты"), "USD")
			post := func(date string, record map[string]any) {
				t.Helper()
				day, _ := time.Parse(time.DateOnly, date)
				ref := create("Документ.Операция", map[string]any{"Дата": day})
				record["Организация"] = org
				err := ib.Post(ctx, "Документ.Операция", ref, []infobase.RecordSet{{Register: "РегистрБухгалтерии.Хозрасчетный", Records: []map[string]any{record}}})
				if err != nil {
					t.Fatal(err)
				}
			}
			post("2026-01-10", map[string]any{"СчетДт": account("Касса"), "СчетКт": account("Капитал"), "Сумма": 1000,
				"ВалютаДт": usd, "СуммаВалДт": 10, "Содержание": "Взнос в капитал"})
			post("2026-01-20", map[string]any{"СчетДт": account("Товары"), "СчетКт": account("РасчетыСПоставщиками"), "Сумма": 300,
				"ВидСубконтоДт1": subconto("Номенклатура"), "СубконтоДт1": infobase.TypedValue{Type: "Справочник.Номенклатура", Value: infobase.Ref{ID: item}},
				"ВидСубконтоКт1": subconto("Контрагенты"), "СубконтоКт1": infobase.TypedValue{Type: "Справочник.Контрагенты", Value: infobase.Ref{ID: supplier}}})
			post("2026-02-05", map[string]any{"СчетДт": account("РасчетыСПоставщиками"), "СчетКт": account("Касса"), "Сумма": 500,
				"ВидСубконтоДт1": subconto("Контрагенты"), "СубконтоДт1": infobase.TypedValue{Type: "Справочник.Контрагенты", Value: infobase.Ref{ID: supplier}},
				"ВалютаКт": usd, "СуммаВалКт": 4})
			feb := map[string]any{"Н": time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), "К": time.Date(2026, 2, 28, 23, 59, 59, 0, time.UTC),
				"Март": time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "Расчеты": account("Расчеты")}
			cases := []struct{ name, query, want string }{
				{"chart of accounts", `ВЫБРАТЬ Код, Наименование, Родитель.Код, ПРЕДСТАВЛЕНИЕ(Вид), Валютный ИЗ ПланСчетов.Основной
					ГДЕ Ссылка В ИЕРАРХИИ (&Расчеты) УПОРЯДОЧИТЬ ПО Код`,
					`[["60","Расчеты",null,"Пассивный",false],["60.01","РасчетыСПоставщиками","60","АктивноПассивный",false]]`},
				{"a predefined account's flag and description", `ВЫБРАТЬ Наименование, Валютный, Забалансовый ИЗ ПланСчетов.Основной
					ГДЕ Код В ("50", "41") УПОРЯДОЧИТЬ ПО Код`,
					`[["Товары на складах",false,false],["Касса",true,false]]`},
				{"balances at the end", `ВЫБРАТЬ Счет.Код, ПРЕДСТАВЛЕНИЕ(Субконто1), ПРЕДСТАВЛЕНИЕ(Валюта), СуммаОстаток, СуммаОстатокДт, СуммаОстатокКт, СуммаВалОстаток
					ИЗ РегистрБухгалтерии.Хозрасчетный.Остатки(&Март) УПОРЯДОЧИТЬ ПО Счет.Код`,
					`[["41","Стол","","300.00","300.00","0.00","0.00"],["50","","USD","500.00","500.00","0.00","6.00"],` +
						`["60.01","Поставщик","","200.00","200.00","0.00","0.00"],["80","","","-1000.00","0.00","1000.00","0.00"]]`},
				{"balances before February, one branch", `ВЫБРАТЬ Счет.Код, СуммаОстаток, СуммаОстатокДт, СуммаОстатокКт, СуммаРазвернутыйОстатокКт
					ИЗ РегистрБухгалтерии.Хозрасчетный.Остатки(&Н, Счет В ИЕРАРХИИ (&Расчеты), , Организация <> ЗНАЧЕНИЕ(Справочник.Организации.ПустаяСсылка))`,
					`[["60.01","-300.00","0.00","300.00","300.00"]]`},
				{"turnovers of February", `ВЫБРАТЬ Счет.Код, СуммаОборот, СуммаОборотДт, СуммаОборотКт
					ИЗ РегистрБухгалтерии.Хозрасчетный.Обороты(&Н, &К) УПОРЯДОЧИТЬ ПО Счет.Код`,
					`[["50","-500.00","0.00","500.00"],["60.01","500.00","500.00","0.00"]]`},
				{"turnovers by correspondent", `ВЫБРАТЬ Счет.Код, КорСчет.Код, СуммаОборотКт
					ИЗ РегистрБухгалтерии.Хозрасчетный.Обороты(, , , Счет = ЗНАЧЕНИЕ(ПланСчетов.Основной.Касса)) УПОРЯДОЧИТЬ ПО КорСчет.Код`,
					`[["50","60.01","500.00"],["50","80","0.00"]]`},
				{"turnovers by pair", `ВЫБРАТЬ СчетДт.Код, СчетКт.Код, СуммаОборот, СуммаВалОборотДт
					ИЗ РегистрБухгалтерии.Хозрасчетный.ОборотыДтКт(, &Н) УПОРЯДОЧИТЬ ПО СчетДт.Код`,
					`[["41","60.01","300.00","0.00"],["50","80","1000.00","10.00"]]`},
				{"balance and turnovers", `ВЫБРАТЬ Счет.Код, СуммаНачальныйОстатокКт, СуммаОборотДт, СуммаКонечныйОстатокДт
					ИЗ РегистрБухгалтерии.Хозрасчетный.ОстаткиИОбороты(&Н, &К, , , Счет = ЗНАЧЕНИЕ(ПланСчетов.Основной.РасчетыСПоставщиками))`,
					`[["60.01","300.00","500.00","200.00"]]`},
				{"records with subconto", `ВЫБРАТЬ СчетДт.Код, СчетКт.Код, ПРЕДСТАВЛЕНИЕ(СубконтоКт1), Сумма, Содержание
					ИЗ РегистрБухгалтерии.Хозрасчетный.ДвиженияССубконто(, &Н) УПОРЯДОЧИТЬ ПО Сумма`,
					`[["41","60.01","Поставщик","300.00",""],["50","80","","1000.00","Взнос в капитал"]]`},
			}
			for _, c := range cases {
				res, err := ib.Query(ctx, c.query, feb)
				if err != nil {
					t.Errorf("%s: %v", c.name, err)
					continue
				}
				if got := rowsJSON(res); got != c.want {
					t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
				}
			}
			// Another organisation's entry, which the accountant of Ромашка
			// may not see.
			other := create("Справочник.Организации", map[string]any{"Наименование": "ООО Лютик"})
			day, _ := time.Parse(time.DateOnly, "2026-01-15")
			ref := create("Документ.Операция", map[string]any{"Дата": day})
			if err := ib.Post(ctx, "Документ.Операция", ref, []infobase.RecordSet{{Register: "РегистрБухгалтерии.Хозрасчетный",
				Records: []map[string]any{{"Организация": other, "СчетДт": account("Касса"), "СчетКт": account("Капитал"), "Сумма": 7}}}}); err != nil {
				t.Fatal(err)
			}
			full, err := ib.NewSession(ctx, "full", infobase.SessionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			accountant, err := ib.NewSession(ctx, "accountant", infobase.SessionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			cash := `ВЫБРАТЬ %s Организация.Наименование, СуммаОстаток ИЗ РегистрБухгалтерии.Хозрасчетный.Остатки(, Счет = ЗНАЧЕНИЕ(ПланСчетов.Основной.Касса)) УПОРЯДОЧИТЬ ПО Организация.Наименование`
			for _, c := range []struct {
				name    string
				session *infobase.Session
				query   string
				want    string
			}{
				{"full rights, the register", full, fmt.Sprintf(cash, ""), `[["ООО Лютик","7.00"],["ООО Ромашка","500.00"]]`},
				{"full rights, the chart and a catalog", full, `ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ ПланСчетов.Основной КАК П, Справочник.Организации КАК О`, `[["10"]]`},
				{"the accountant, allowed records", accountant, fmt.Sprintf(cash, "РАЗРЕШЕННЫЕ"), `[["ООО Ромашка","500.00"]]`},
			} {
				res, err := c.session.Query(ctx, c.query, nil)
				if err != nil {
					t.Errorf("%s: %v", c.name, err)
					continue
				}
				if got := rowsJSON(res); got != c.want {
					t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
				}
			}
			// Without РАЗРЕШЕННЫЕ the balances would read Лютик's entry: 1C
			// fails the query.
			var denied *rls.AccessError
			if _, err := accountant.Query(ctx, fmt.Sprintf(cash, ""), nil); !errors.As(err, &denied) {
				t.Errorf("the accountant reads every record: %v", err)
			}
		})
	}
}

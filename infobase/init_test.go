package infobase_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/metadata"
	"dostup/sqlgen"
)

func load(t *testing.T, yaml string) *metadata.Configuration {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := metadata.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestInitDemo(t *testing.T) {
	cfg, err := metadata.Load("../demo/config")
	if err != nil {
		t.Fatal(err)
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			db := testdb.Open(t, backend)
			rep, err := infobase.Init(context.Background(), db, cfg, infobase.InitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.CreatedTables) != 9 {
				t.Errorf("created %v", rep.CreatedTables)
			}
			// The tables take rows: a counterparty with its product line.
			q := db.Dialect.Quote
			p := db.Dialect.Placeholder
			ctx := context.Background()
			if _, err := db.SQL.ExecContext(ctx, "INSERT INTO "+q("cat_kontragenty")+" ("+q("_id")+", "+q("_description")+", "+q("inn")+") VALUES ("+p(1)+", "+p(2)+", "+p(3)+")",
				"6f1c3a52-0000-4000-8000-000000000001", "Кирпичный завод", "7701234567"); err != nil {
				t.Fatal(err)
			}
			var name string
			if err := db.SQL.QueryRowContext(ctx, "SELECT "+q("_description")+" FROM "+q("cat_kontragenty")).Scan(&name); err != nil || name != "Кирпичный завод" {
				t.Errorf("read back %q, %v", name, err)
			}
			// A second Init with the same configuration changes nothing.
			rep, err = infobase.Init(ctx, db, cfg, infobase.InitOptions{})
			if err != nil || rep.Changed() {
				t.Errorf("second init: %+v, %v", rep, err)
			}
		})
	}
}

func TestInitEvolves(t *testing.T) {
	v1 := load(t, "catalogs:\n  - name: К\n    attributes:\n      - {name: А, type: Строка(10)}\n      - {name: Б, type: Булево}\n")
	v2 := load(t, "catalogs:\n  - name: К\n    attributes:\n      - {name: А, type: Строка(10)}\n      - {name: В, type: Дата}\n  - name: Новый\n")
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			db := testdb.Open(t, backend)
			if _, err := infobase.Init(ctx, db, v1, infobase.InitOptions{}); err != nil {
				t.Fatal(err)
			}
			_, err := infobase.Init(ctx, db, v2, infobase.InitOptions{})
			if !errors.Is(err, infobase.ErrDestructive) || !strings.Contains(err.Error(), "column cat_k.b of Справочник.К is no longer in the configuration") {
				t.Fatalf("want a refusal naming cat_k.b, got %v", err)
			}
			// Refused means nothing changed: the new table is not there.
			if _, err := db.SQL.ExecContext(ctx, "SELECT * FROM "+db.Dialect.Quote("cat_novyy")); err == nil {
				t.Error("the refused init created a table")
			}
			rep, err := infobase.Init(ctx, db, v2, infobase.InitOptions{AllowDrop: true})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(rep.CreatedTables, ",") != "cat_novyy" || strings.Join(rep.AddedColumns, ",") != "cat_k.v" || strings.Join(rep.DroppedColumns, ",") != "cat_k.b" {
				t.Errorf("report %+v", rep)
			}
		})
	}
}

func TestInitImportedCorpus(t *testing.T) {
	// The whole Standard Subsystems Library, imported by the importer's own
	// test data path, is too slow to import here; its schema is checked by
	// dostup's CLI test. Here: a configuration with composite types, owners,
	// hierarchy, registers of every kind and long names.
	cfg := load(t, `
catalogs:
  - name: Организации
  - name: ОченьДлинноеИмяСправочникаКотороеНеПомещаетсяВИдентификаторПостгреса
    hierarchical: true
    owners: [Справочник.Организации]
    attributes:
      - {name: Значение, type: [Строка(10), "Число(15, 2)", Справочник.Организации, Булево, Дата]}
      - {name: Любая, type: ЛюбаяСсылка}
documents:
  - name: Заказ
    tabular_sections:
      - name: Товары
        attributes:
          - {name: Количество, type: "Число(15, 3)"}
information_registers:
  - name: Курсы
    periodicity: day
    dimensions: [{name: Валюта, type: Строка(3)}]
    resources: [{name: Курс, type: "Число(10, 4)"}]
  - name: Движения
    recorder: true
    dimensions: [{name: Организация, type: Справочник.Организации}]
accumulation_registers:
  - name: Остатки
    dimensions: [{name: Организация, type: Справочник.Организации}]
    resources: [{name: Количество, type: "Число(15, 3)"}]
constants:
  - {name: Флаг, type: Булево}
enums:
  - {name: Виды, values: [Первый, Второй]}
`)
	schema := sqlgen.SchemaOf(cfg)
	long := schema.Object(cfg, "Справочник.ОченьДлинноеИмяСправочникаКотороеНеПомещаетсяВИдентификаторПостгреса")
	if len(long.Table.Name) > 63 {
		t.Errorf("table name %q is over 63 bytes", long.Table.Name)
	}
	if f := long.Fields["значение"]; f.Tag == "" || len(f.Parts) != 5 {
		t.Errorf("composite field: %+v", f)
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			db := testdb.Open(t, backend)
			rep, err := infobase.Init(context.Background(), db, cfg, infobase.InitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.CreatedTables) != len(schema.Tables()) {
				t.Errorf("created %d of %d tables", len(rep.CreatedTables), len(schema.Tables()))
			}
		})
	}
}

func TestPredefinedItems(t *testing.T) {
	cfg := load(t, `
catalogs:
  - name: Валюты
    predefined: [Рубль, Доллар]
    attributes:
      - {name: Курс, type: "Число(10, 4)"}
`)
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, backend)
			db, err := infobase.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // a second Init adds no second row
				if _, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{Sources: map[string][]byte{"c.yaml": []byte("catalogs:\n  - name: Валюты\n    predefined: [Рубль, Доллар]\n    attributes:\n      - {name: Курс, type: \"Число(10, 4)\"}\n")}}); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer ib.Close()
			res, err := ib.Query(ctx, "ВЫБРАТЬ Наименование, Предопределенный, Курс ИЗ Справочник.Валюты ГДЕ Ссылка = ЗНАЧЕНИЕ(Справочник.Валюты.Доллар)", nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := rowsJSON(res); got != `[["Доллар",true,"0.0000"]]` {
				t.Errorf("got %s", got)
			}
			res, err = ib.Query(ctx, "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Валюты", nil)
			if err != nil || rowsJSON(res) != `[["2"]]` {
				t.Errorf("rows: %v %v", rowsJSON(res), err)
			}
			if _, err := ib.Compile("ВЫБРАТЬ ЗНАЧЕНИЕ(Справочник.Валюты.Евро)"); err == nil || !strings.Contains(err.Error(), "Справочник.Валюты has no predefined item Евро (it has Рубль, Доллар)") {
				t.Errorf("unknown item: %v", err)
			}
		})
	}
}

// A predefined item's name is its description, cut to the catalog's
// length as 1C cuts a value given to an attribute: УНФ's
// Справочник.ВидыРабочегоВремени keeps descriptions of two characters and
// has an item Болезнь.
func TestPredefinedNameLongerThanDescription(t *testing.T) {
	cfg := load(t, "catalogs:\n  - name: Виды\n    description_length: 2\n    predefined: [Болезнь]\n")
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			db := testdb.Open(t, backend)
			if _, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{}); err != nil {
				t.Fatal(err)
			}
			var got string
			if err := db.SQL.QueryRowContext(ctx, "SELECT "+db.Dialect.Quote("_description")+" FROM "+db.Dialect.Quote("cat_vidy")).Scan(&got); err != nil || got != "Бо" {
				t.Errorf("description %q, %v", got, err)
			}
		})
	}
}

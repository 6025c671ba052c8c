package infobase_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"dostup/demo"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/internal/testdemo"
)

// benchQuery is a report over document lines: a join, a dereference and an
// aggregate, the shape that RLS predicates will wrap.
const benchQuery = "ВЫБРАТЬ Т.Ссылка.Организация КАК Организация, СУММА(Т.Сумма) КАК Сумма ИЗ Документ.РеализацияТоваров.Товары КАК Т ГДЕ Т.Номенклатура.Наименование ПОДОБНО &Товар СГРУППИРОВАТЬ ПО Т.Ссылка.Организация"

// benchSQL is the SQL a person would write for benchQuery.
const benchSQL = `SELECT d.organizatsiya, o._description, SUM(t.summa)
FROM doc_realizatsiyatovarov__tovary t
JOIN doc_realizatsiyatovarov d ON d._id = t._owner_id
JOIN cat_nomenklatura n ON n._id = t.nomenklatura
LEFT JOIN cat_organizatsii o ON o._id = d.organizatsiya
WHERE n._description LIKE %s
GROUP BY d.organizatsiya, o._description`

// scaled opens the demo with generated data: DOSTUP_BENCH_LINES document
// lines (default 100,000) and a tenth as many counterparties.
func scaled(b *testing.B, backend string) *infobase.Infobase {
	b.Helper()
	lines := 100000
	if s := os.Getenv("DOSTUP_BENCH_LINES"); s != "" {
		lines, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	dsn := testdb.DSN(b, backend)
	db, err := infobase.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	if err := demo.Create(ctx, db); err != nil {
		b.Fatal(err)
	}
	if err := demo.Scale(ctx, db, lines/10, lines); err != nil {
		b.Fatal(err)
	}
	if backend == "postgres" {
		_, _ = db.SQL.ExecContext(ctx, "ANALYZE")
	}
	db.Close()
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ib.Close() })
	return ib
}

// BenchmarkQuery compares a compiled 1C query with the hand-written SQL on
// the same scaled data, on both backends: the ratio of their ns/op is the
// cost of compilation's SQL (the plan is cached, so compiling is not in it).
func BenchmarkQuery(b *testing.B) {
	for _, backend := range testdb.Backends {
		ib := scaled(b, backend)
		ctx := context.Background()
		params := map[string]any{"Товар": "Кирпич%"}
		b.Run(backend+"/compiled", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := ib.Query(ctx, benchQuery, params)
				if err != nil || len(res.Rows) != 2 {
					b.Fatalf("%v %v", res, err)
				}
			}
		})
		b.Run(backend+"/handwritten", func(b *testing.B) {
			b.ReportAllocs()
			stmt := sprintfSQL(ib)
			for b.Loop() {
				rows, err := ib.DB.SQL.QueryContext(ctx, stmt, "Кирпич%")
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					var org, name, sum any
					if err := rows.Scan(&org, &name, &sum); err != nil {
						b.Fatal(err)
					}
					n++
				}
				rows.Close()
				if n != 2 {
					b.Fatalf("%d rows", n)
				}
			}
		})
	}
}

func sprintfSQL(ib *infobase.Infobase) string {
	return replacePlaceholder(benchSQL, ib.DB.Dialect.Placeholder(1))
}

func replacePlaceholder(s, p string) string {
	out := []byte{}
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+1 < len(s) && s[i+1] == 's' {
			out = append(out, p...)
			i++
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}

// BenchmarkCompile measures compiling a query: cold (a new text every time,
// parse and bind) and cached (the same text, a map lookup).
func BenchmarkCompile(b *testing.B) {
	ib := openDemoB(b)
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			// A comment makes each text new, so nothing comes from the cache.
			if _, err := ib.Compile(benchQuery + " // " + strconv.Itoa(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ib.Compile(benchQuery); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func openDemoB(b *testing.B) *infobase.Infobase {
	ctx := context.Background()
	dsn := testdb.DSN(b, "sqlite")
	db, err := infobase.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	if err := demo.Create(ctx, db); err != nil {
		b.Fatal(err)
	}
	db.Close()
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ib.Close() })
	return ib
}

// BenchmarkSmallQuery is the query an API answers most: a few rows of one
// table, where running the statement costs little and preparing it is a
// share of the whole (SQLite prepares once per connection, stmtcache.go).
func BenchmarkSmallQuery(b *testing.B) {
	for _, backend := range testdb.Backends {
		ib := testdemo.Open(b, backend)
		ctx := context.Background()
		b.Run(backend, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := ib.Query(ctx, "ВЫБРАТЬ ПЕРВЫЕ 3 Наименование ИЗ Справочник.Контрагенты ГДЕ НЕ ЭтоГруппа УПОРЯДОЧИТЬ ПО Наименование", nil)
				if err != nil || len(res.Rows) != 3 {
					b.Fatalf("%v %v", res, err)
				}
			}
		})
	}
}

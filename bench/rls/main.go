// Command rls measures what record-level security costs: queries of the
// demo's manager ivanov, whose restrictions dostup inlines into the SQL,
// against the SQL a person would write with the same filter, on a scaled
// demo infobase, on SQLite and PostgreSQL in one run. It prints one line
// per backend and query:
//
//	rls/hand sqlite: 1.03 (document lines by item: 4 rows)
//
// the ratio of the median times of the two (compile caching on, so the
// compiled side pays only for running its SQL and reading the result).
//
//	go run ./bench/rls [--counterparties 100000] [--lines 1000000] [--rounds 15]
//	    [--sqlite FILE] [--postgres URL] [--reuse]
//
// Building the scaled data takes minutes; --reuse keeps the SQLite file and
// the PostgreSQL schema of an earlier run with the same scale.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	_ "github.com/jackc/pgx/v5/stdlib"
)

func main() {
	var o options
	flag.IntVar(&o.counterparties, "counterparties", 100000, "counterparties to generate")
	flag.IntVar(&o.lines, "lines", 1000000, "document lines to generate (four to a document)")
	flag.IntVar(&o.rounds, "rounds", 15, "timed runs of each side, interleaved")
	flag.StringVar(&o.sqlite, "sqlite", filepath.Join(os.TempDir(), "dostup-bench-rls.db"), "the SQLite infobase file")
	flag.StringVar(&o.postgres, "postgres", "postgres://127.0.0.1:5432/test?sslmode=disable", "the PostgreSQL database (the data goes in its schema dostup_bench_rls); empty skips PostgreSQL")
	flag.BoolVar(&o.reuse, "reuse", false, "reuse the data of an earlier run of the same scale")
	flag.Parse()
	o.out = os.Stdout
	o.log = os.Stderr
	ctx := context.Background()
	if o.postgres != "" {
		dsn, err := schemaURL(ctx, o.postgres, "dostup_bench_rls", o.reuse)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/rls: PostgreSQL:", err)
			os.Exit(1)
		}
		o.postgres = dsn
	}
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench/rls:", err)
		os.Exit(1)
	}
}

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
	flag.StringVar(&o.sqlite, "sqlite", filepath.Join(os.TempDir(), "dostup-bench-rls.db"), "the SQLite infobase file; empty skips SQLite (the 10,000,000-line run is PostgreSQL's only)")
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

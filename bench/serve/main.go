package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"dostup/authn"
)

func main() {
	var o options
	flag.IntVar(&o.requests, "requests", 2000, "requests to send in all, per backend (and as many to the health endpoint)")
	flag.IntVar(&o.clients, "clients", 16, "concurrent clients")
	flag.IntVar(&o.queries, "queries", 8, "queries a client runs per login")
	flag.StringVar(&o.sqlite, "sqlite", filepath.Join(os.TempDir(), "dostup-bench-serve.db"), "the SQLite infobase file (made anew); empty skips SQLite")
	flag.StringVar(&o.postgres, "postgres", "postgres://127.0.0.1:5432/test?sslmode=disable", "the PostgreSQL database (the demo goes in its schema dostup_bench_serve); empty skips PostgreSQL")
	flag.DurationVar(&o.timeout, "timeout", 5*time.Minute, "give up after this long per backend")
	flag.IntVar(&o.instances, "instances", 1, "run the load again over this many API instances on the one database, each with its own pools, and report the throughput against one")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof reads it)")
	light := flag.Bool("light-hash", false, "hash passwords with argon2id at 8 MiB and one pass instead of the default 64 MiB and three, to see what the API costs apart from password hashing")
	flag.Parse()
	if *light {
		o.hash = authn.HashParams{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	}
	o.out, o.log = os.Stdout, os.Stderr
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/serve:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "bench/serve:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(context.Background(), o); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench/serve:", err)
		os.Exit(1)
	}
}

// Command serve is the load test of the HTTP API (issue 7): a fixed number
// of requests from concurrent clients on loopback — each client logs in
// with a password, runs queries as the user through record-level security,
// and logs out — against the demo infobase, with no error allowed and no
// event-log record lost. The same number of requests to the
// unauthenticated health endpoint, at the same concurrency, is the
// baseline. It prints one line per backend:
//
//	serve sqlite: 2000 requests, 0 errors: 812 req/s; p99 41.2 ms (logins 40.1, queries 9.3), health p99 1.9 ms: p99 ratio 21.7 (queries 4.9); event log: 600 of 600
//
//	go run ./bench/serve [--requests 2000] [--clients 16] [--queries 8]
//	    [--sqlite FILE] [--postgres URL] [--timeout 5m] [--light-hash]
//
// Logins hash with argon2id at the default parameters (64 MiB, three
// passes), as in production, so on a small machine they dominate the cost
// and the latency of everything queued behind them; --light-hash shows the
// rest. --queries sets how many queries a client runs per login.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
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
	light := flag.Bool("light-hash", false, "hash passwords with argon2id at 8 MiB and one pass instead of the default 64 MiB and three, to see what the API costs apart from password hashing")
	flag.Parse()
	if *light {
		o.hash = authn.HashParams{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	}
	o.out, o.log = os.Stdout, os.Stderr
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench/serve:", err)
		os.Exit(1)
	}
}

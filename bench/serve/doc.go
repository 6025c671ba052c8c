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
//	go run ./bench/serve [--requests 2000] [--clients 16] [--queries 8] [--instances N] [--cpuprofile FILE]
//	    [--sqlite FILE] [--postgres URL] [--timeout 5m] [--light-hash]
//
// Logins hash with argon2id at the default parameters (64 MiB, three
// passes), as in production, so on a small machine they dominate the cost
// and the latency of everything queued behind them; --light-hash shows the
// rest. --queries sets how many queries a client runs per login.
package main

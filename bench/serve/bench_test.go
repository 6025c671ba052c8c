package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dostup/authn"
	"dostup/internal/testdb"
)

// TestLoadSmall runs the load test small on both backends, over one
// instance and then two on the one database: no error, no lost event-log
// record, a line for each with the two instances' throughput.
func TestLoadSmall(t *testing.T) {
	var out, log bytes.Buffer
	o := options{requests: 120, clients: 6, queries: 3, instances: 2, sqlite: filepath.Join(t.TempDir(), "s.db"),
		postgres: testdb.DSN(t, "postgres"), timeout: 2 * time.Minute, out: &out, log: &log,
		hash: authn.HashParams{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	if err := run(context.Background(), o); err != nil {
		t.Fatalf("%v\n%s%s", err, out.String(), log.String())
	}
	if got := strings.Count(out.String(), ", 0 errors:"); got != 2 || strings.Count(out.String(), "2 instances on one database: ") != 2 {
		t.Errorf("lines:\n%s", out.String())
	}
	t.Log(out.String())
}

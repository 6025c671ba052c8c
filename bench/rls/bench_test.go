package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"dostup/internal/testdb"
)

// TestBenchSmall runs the benchmark at a small scale on both backends: the
// compiled and hand-written sides must agree on every query, and a ratio
// line comes out for each.
func TestBenchSmall(t *testing.T) {
	var out, log bytes.Buffer
	o := options{counterparties: 200, lines: 2000, rounds: 1, sqlite: filepath.Join(t.TempDir(), "b.db"),
		postgres: testdb.DSN(t, "postgres"), out: &out, log: &log}
	if err := run(context.Background(), o); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if got := strings.Count(out.String(), "rls/hand "); got != 2*len(pairs) {
		t.Errorf("%d ratio lines:\n%s", got, out.String())
	}
	if got := strings.Count(out.String(), "rls/pgrls postgres: "); got != len(pairs) {
		t.Errorf("%d PostgreSQL RLS lines:\n%s", got, out.String())
	}
}

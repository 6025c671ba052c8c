package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/infobase"
)

// Backends are the backends every backend test runs on.
var Backends = []string{"sqlite", "postgres"}

// DefaultPostgres is the server the tests use unless DOSTUP_TEST_POSTGRES says otherwise.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// DSN returns a --db value for a fresh database of the backend.
func DSN(t testing.TB, backend string) string {
	t.Helper()
	if backend == "sqlite" {
		return filepath.Join(t.TempDir(), "infobase.db")
	}
	base := os.Getenv("DOSTUP_TEST_POSTGRES")
	if base == "" {
		base = DefaultPostgres
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("PostgreSQL at %s: %v (start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)", base, err)
	}
	t.Cleanup(func() {
		// In batches: a big configuration's tables would not fit the
		// lock table of one CASCADE.
		db, err := infobase.Open(context.Background(), base)
		if err != nil {
			t.Errorf("dropping the test schema %s: %v", schema, err)
			return
		}
		defer db.Close()
		if err := infobase.DropSchema(context.Background(), db, schema); err != nil {
			t.Errorf("dropping the test schema %s: %v", schema, err)
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// Open opens a fresh database of the backend, closed when the test ends.
func Open(t testing.TB, backend string) *infobase.DB {
	t.Helper()
	db, err := infobase.Open(context.Background(), DSN(t, backend))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

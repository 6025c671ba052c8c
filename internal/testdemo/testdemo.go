package testdemo

import (
	"context"
	"testing"

	"dostup/authn"
	"dostup/demo"
	"dostup/infobase"
	"dostup/internal/testdb"
)

// FastHash keeps tests quick: the service reads each stored hash's own
// parameters, so nothing else changes with them.
var FastHash = authn.HashParams{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Open creates the demo infobase on a fresh database of the backend and
// opens it; it is closed when the test ends.
func Open(t testing.TB, backend string) *infobase.Infobase {
	t.Helper()
	ctx := context.Background()
	dsn := testdb.DSN(t, backend)
	db, err := infobase.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Create(ctx, db); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ib.Close() })
	return ib
}

// Secure opens the demo as Open does, starts an authentication service
// over it (FastHash unless cfg names other parameters) and gives the demo
// its credentials.
func Secure(t testing.TB, backend string, cfg authn.Config) (*authn.Service, *demo.Credentials, *infobase.Infobase) {
	t.Helper()
	ib := Open(t, backend)
	if cfg.Hash == (authn.HashParams{}) {
		cfg.Hash = FastHash
	}
	s, err := authn.New(context.Background(), ib, cfg)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := demo.Secure(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return s, creds, ib
}

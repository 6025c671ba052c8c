package infobase

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestStmtCache: statements are prepared once and shared by concurrent
// queries; a text past the bound still runs; a text that does not prepare
// reports its own mistake; a schema change after a statement was prepared
// is seen by it; closing the database closes them.
func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer.ExecContext(ctx, "CREATE TABLE t (n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer.ExecContext(ctx, "INSERT INTO t VALUES (1), (2), (3)"); err != nil {
		t.Fatal(err)
	}
	count := func(text string, args ...any) (int, error) {
		rows, err := db.stmts.query(ctx, text, args...)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			n++
		}
		return n, rows.Err()
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				text := fmt.Sprintf("SELECT n FROM t WHERE n >= ? AND %d = %d", i%5, i%5)
				if n, err := count(text, 1+g%3); err != nil || n != 3-g%3 {
					errs <- fmt.Errorf("%s with %d: %d rows, %v", text, 1+g%3, n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(db.stmts.stmts); n != 5 {
		t.Errorf("%d statements kept, want the 5 texts", n)
	}
	if _, err := count("SELECT nope FROM t"); err == nil {
		t.Error("a text that does not prepare ran")
	}
	// A column added after the statement was prepared is read by it.
	if _, err := db.Writer.ExecContext(ctx, "ALTER TABLE t ADD COLUMN m INTEGER DEFAULT 7"); err != nil {
		t.Fatal(err)
	}
	rows, err := db.stmts.query(ctx, "SELECT * FROM t WHERE n >= ? AND 0 = 0", 3)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	rows.Close()
	if len(cols) != 2 {
		t.Errorf("columns after the change: %v", cols)
	}
	// Past the bound a text runs unprepared and is not kept.
	for i := range stmtCacheSize + 3 {
		if _, err := count(fmt.Sprintf("SELECT %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(db.stmts.stmts); n != stmtCacheSize {
		t.Errorf("%d statements kept, bound %d", n, stmtCacheSize)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(db.stmts.stmts); n != 0 {
		t.Errorf("%d statements left after Close", n)
	}
}

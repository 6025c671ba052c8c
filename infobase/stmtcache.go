package infobase

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the read pool's prepared statements of SQLite, by SQL
// text. SQLite compiles a statement's text into a program on every
// prepare, which an API answering the same few queries again and again
// paid on every request (4 % of a loaded server's time); a *sql.Stmt is
// prepared once per connection of the pool and kept. PostgreSQL needs no
// cache here: pgx keeps its own per connection.
//
// The cache is bounded and never evicts: the texts an application sends
// are few, and a statement is not closed while another goroutine may run
// it. Past the bound a text runs unprepared, as before. SQLite prepares
// again by itself a statement whose tables' schema changed since.
type stmtCache struct {
	db    *sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// stmtCacheSize bounds the statements kept.
const stmtCacheSize = 512

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// query runs a statement of the read pool, prepared once.
func (c *stmtCache) query(ctx context.Context, text string, args ...any) (*sql.Rows, error) {
	c.mu.Lock()
	st, ok := c.stmts[text]
	c.mu.Unlock()
	if !ok {
		prepared, err := c.db.PrepareContext(ctx, text)
		if err != nil {
			// The text's own mistake: running it says the same.
			return c.db.QueryContext(ctx, text, args...)
		}
		c.mu.Lock()
		switch other, raced := c.stmts[text]; {
		case raced:
			// Another goroutine prepared it first: keep one.
			prepared.Close()
			st = other
		case len(c.stmts) < stmtCacheSize:
			c.stmts[text] = prepared
			st = prepared
		default:
			c.mu.Unlock()
			defer prepared.Close()
			return prepared.QueryContext(ctx, args...)
		}
		c.mu.Unlock()
	}
	return st.QueryContext(ctx, args...)
}

// close closes the statements kept.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for text, st := range c.stmts {
		if err := st.Close(); err != nil && first == nil {
			first = err
		}
		delete(c.stmts, text)
	}
	return first
}

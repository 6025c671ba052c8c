package infobase

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// A batch runs a schema change too large for one transaction of a server
// as it comes — Init's or Drop's of a configuration of thousands of tables
// — as a series of transactions. PostgreSQL keeps a lock on every table a
// transaction creates, alters or drops until it ends, in a lock table
// shared by all sessions and sized for max_locks_per_transaction (64 by
// default) per connection: 5,600 tables created in one transaction exhaust
// it ("out of shared memory", SQLSTATE 53200). Users are not asked to
// change the server's settings; the change is cut instead into steps,
// each committed with the record of what it did (pendingKey), so that a
// change cut short is finished by running it again. SQLite locks the whole
// file, not tables, and holds the change in one transaction.
type batch struct {
	db *DB
	// budget is how many locks one transaction may take; 0 is no limit:
	// one transaction for the whole change.
	budget  int
	tx      *sql.Tx
	used    int // locks the open transaction's steps take
	commits int // transactions committed
}

// The locks a step takes on PostgreSQL, counted in pg_locks (15): a new
// table locks itself, its key's index, its TOAST table and that table's
// index (the schema and the column types are locked once for all); a
// dropped one those and its row types. Rounded up: an estimate too small
// would be paid for by the users of the server.
const (
	locksCreate = 6
	locksAlter  = 2
	locksDrop   = 8
	locksWrite  = 2 // rows written to a table and its key's index
	// locksOwn are those of the transaction itself: its id, the meta
	// table and its index, the catalogues read.
	locksOwn = 8
)

// Test hooks (export_test.go): a budget that cuts even a small change
// into many transactions, on either backend, and a call after every
// commit but the last, whose error stops the change there.
var (
	testLockBudget  int
	testAfterCommit func(commits int) error
)

// lockBudget is the budget of a batch on db: the locks the server sizes
// its lock table for per transaction, less the transaction's own.
func lockBudget(ctx context.Context, db *DB) (int, error) {
	if testLockBudget > 0 {
		return testLockBudget, nil
	}
	if db.Dialect.SingleWriter() {
		// A database that admits one writer locks itself as a whole
		// (SQLite): its tables cost a transaction nothing.
		return 0, nil
	}
	var s string
	if err := db.Writer.QueryRowContext(ctx, "SHOW max_locks_per_transaction").Scan(&s); err != nil {
		return 0, fmt.Errorf("reading max_locks_per_transaction: %w", err)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("max_locks_per_transaction %q: %w", s, err)
	}
	return max(n-locksOwn, locksDrop), nil
}

// newBatch begins the first transaction of a change.
func newBatch(ctx context.Context, db *DB) (*batch, error) {
	budget, err := lockBudget(ctx, db)
	if err != nil {
		return nil, err
	}
	tx, err := db.Writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &batch{db: db, budget: budget, tx: tx}, nil
}

// Tx is the open transaction, for the reads that plan the change.
func (b *batch) Tx() *sql.Tx { return b.tx }

// step runs fn, which takes about locks locks, in the open transaction
// while that has room for them, else in a new one after committing it.
// What one fn does commits together.
func (b *batch) step(ctx context.Context, locks int, fn func(tx *sql.Tx) error) error {
	if b.budget > 0 && b.used > 0 && b.used+locks > b.budget {
		if err := b.tx.Commit(); err != nil {
			return err
		}
		b.commits++
		b.used = 0
		if testAfterCommit != nil {
			if err := testAfterCommit(b.commits); err != nil {
				return err
			}
		}
		tx, err := b.db.Writer.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		b.tx = tx
	}
	b.used += locks
	return fn(b.tx)
}

// commit commits the last transaction of the change.
func (b *batch) commit() error {
	err := b.tx.Commit()
	if err == nil {
		b.commits++
	}
	return err
}

// rollback rolls back the open transaction, if any: the steps committed
// before it stay, recorded.
func (b *batch) rollback() { _ = b.tx.Rollback() }

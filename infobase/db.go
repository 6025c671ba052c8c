package infobase

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver (pure Go)

	"dostup/sqlgen"
	"dostup/sqlgen/postgres"
	"dostup/sqlgen/sqlite"
)

// DB is an open infobase database.
type DB struct {
	// SQL is the pool reads go through (on PostgreSQL, writes too).
	SQL *sql.DB
	// Writer is the pool every write goes through. On SQLite it is one
	// connection whose transactions begin IMMEDIATE: SQLite admits one
	// writer, and a transaction that reads first and then writes cannot
	// wait for another writer (it fails "database is locked" at once), so
	// writers of this process queue for the connection and a writer of
	// another process is waited for, up to the busy timeout, before the
	// transaction starts. On PostgreSQL it is SQL: row locks and
	// compare-and-swap updates order concurrent writers there.
	Writer  *sql.DB
	Dialect sqlgen.Dialect

	// stmts are the read pool's prepared statements on SQLite
	// (stmtcache.go); nil on PostgreSQL.
	stmts *stmtCache
}

// IsPostgres reports whether a --db value names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database a --db value names: a postgres:// URL, or else the
// path of an SQLite file (created when missing).
func Open(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgres(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("connecting to %s: %w", redact(dsn), err)
		}
		return &DB{SQL: db, Writer: db, Dialect: postgres.New()}, nil
	}
	// WAL lets readers go on while a write commits; the busy timeout makes a
	// writer of another process wait instead of failing at once; foreign
	// keys on.
	pragmas := "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)"
	db, err := sql.Open("sqlite", "file:"+dsn+pragmas)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", dsn, err)
	}
	w, err := sql.Open("sqlite", "file:"+dsn+pragmas+"&_txlock=immediate")
	if err != nil {
		db.Close()
		return nil, err
	}
	// The writer connects when the first write comes: each SQLite
	// connection parses the whole schema when it opens (thousands of
	// tables in a big application), and many opens only read.
	w.SetMaxOpenConns(1)
	return &DB{SQL: db, Writer: w, Dialect: sqlite.New(), stmts: newStmtCache(db)}, nil
}

// Close closes the database.
func (db *DB) Close() error {
	var err error
	if db.stmts != nil {
		err = db.stmts.close()
	}
	err = errors.Join(err, db.SQL.Close())
	if db.Writer != nil && db.Writer != db.SQL {
		err = errors.Join(err, db.Writer.Close())
	}
	return err
}

// redact hides a password in a URL for messages.
func redact(dsn string) string {
	if at := strings.Index(dsn, "@"); at > 0 {
		if colon := strings.Index(dsn[strings.Index(dsn, "//")+2:at], ":"); colon >= 0 {
			start := strings.Index(dsn, "//") + 2 + colon + 1
			return dsn[:start] + "***" + dsn[at:]
		}
	}
	return dsn
}

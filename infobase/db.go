package infobase

import (
	"context"
	"database/sql"
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
	SQL     *sql.DB
	Dialect sqlgen.Dialect
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
		return &DB{SQL: db, Dialect: postgres.New()}, nil
	}
	// WAL lets readers go on while a write commits; the busy timeout makes a
	// second writer wait instead of failing at once; foreign keys on.
	db, err := sql.Open("sqlite", "file:"+dsn+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)")
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", dsn, err)
	}
	return &DB{SQL: db, Dialect: sqlite.New()}, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.SQL.Close() }

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

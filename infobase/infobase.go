package infobase

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"dostup/eventlog"
	"dostup/metadata"
	"dostup/rls"
	"dostup/sqlgen"
)

// Infobase is an open infobase: its database, configuration and schema.
type Infobase struct {
	DB       *DB
	Config   *metadata.Configuration
	Schema   *sqlgen.Schema
	compiler *sqlgen.Compiler // full rights; sessions have their own
	mu       sync.Mutex
	plans    map[string][]*sqlgen.Statement // by query text, and a session's access key
	// rlsPolicy is the configuration's roles prepared for sessions.
	rlsPolicy *rls.Policy
	// eventLog is the infobase's event log, opened on first use.
	eventLog *eventlog.Log
}

// OpenInfobase opens a database that Init prepared, reading the
// configuration stored in it.
func OpenInfobase(ctx context.Context, dsn string) (*Infobase, error) {
	if !IsPostgres(dsn) {
		// Opening a missing SQLite file would create an empty one.
		if _, err := os.Stat(dsn); err != nil {
			return nil, fmt.Errorf("%s: no such infobase (run dostup demo or dostup init first)", dsn)
		}
	}
	db, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	rows, err := db.SQL.QueryContext(ctx, fmt.Sprintf("SELECT key, value FROM %s WHERE key LIKE 'config:%%' OR key = '%s'", db.Dialect.Quote(MetaTable), metaUnfinished))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s is not an infobase (run dostup init or dostup demo first): %w", redact(dsn), err)
	}
	sources := map[string][]byte{}
	unfinished := ""
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			db.Close()
			return nil, err
		}
		if k == metaUnfinished {
			unfinished = v
			continue
		}
		sources[strings.TrimPrefix(k, "config:")] = []byte(v)
	}
	rows.Close()
	if unfinished != "" {
		// Its tables are part old, part new: no configuration describes them.
		db.Close()
		again := "dostup init"
		if unfinished != "init" {
			again = "the command that dropped it"
		}
		return nil, fmt.Errorf("%s: %w (its %s was interrupted; run %s again to finish it)", redact(dsn), ErrUnfinished, unfinished, again)
	}
	if len(sources) == 0 {
		db.Close()
		return nil, fmt.Errorf("%s holds no configuration (run dostup init or dostup demo first)", redact(dsn))
	}
	cfg, err := metadata.LoadSources(sources)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("the configuration stored in %s does not load: %w", redact(dsn), err)
	}
	if err := ensureUsers(ctx, db, cfg); err != nil {
		db.Close()
		return nil, err
	}
	ib := &Infobase{DB: db, Config: cfg, Schema: sqlgen.SchemaOf(cfg)}
	ib.compiler = &sqlgen.Compiler{Config: cfg, Schema: ib.Schema, Dialect: db.Dialect}
	return ib, nil
}

// Close closes the database.
func (ib *Infobase) Close() error { return ib.DB.Close() }

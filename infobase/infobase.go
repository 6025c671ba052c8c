package infobase

import (
	"context"
	"fmt"
	"os"
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
	// The compiled form when it is current, else the YAML (compiled.go).
	cfg, err := loadStoredConfig(ctx, db, dsn)
	if err != nil {
		db.Close()
		return nil, err
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

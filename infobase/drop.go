package infobase

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"dostup/metadata"
	"dostup/sqlgen"
)

// ownPrefix starts the name of every table dostup keeps beside a
// configuration's own (the meta table, users, authentication, the event
// log, rules orders), so that none clashes with one and Drop finds them
// all, whichever package made them.
const ownPrefix = "_dostup_"

// Exists reports whether db holds an infobase: whether Init made its
// MetaTable there. A tool about to create one asks it so as not to
// overwrite data unasked.
func Exists(ctx context.Context, db *DB) (bool, error) {
	names, err := tableNames(ctx, db.SQL, db)
	if err != nil {
		return false, err
	}
	return slices.Contains(names, MetaTable), nil
}

// Drop drops the tables of the infobase in db: dostup's own, those of the
// configuration Init last stored (with those an unfinished Init made), and
// those the configurations in also map to. A tool about to Init a
// configuration on the emptied database passes it, so that no table of the
// same name stands in Init's way even where the stored schema does not
// name it. A database without an infobase loses only the tables of also.
// The data is lost: callers ask first (Exists). Like Init, Drop spans
// transactions where one would not fit the server's lock table (batch):
// MetaTable goes last, so a Drop that fails part-way leaves an infobase
// that OpenInfobase refuses (ErrUnfinished) and that Drop, run again,
// empties.
func Drop(ctx context.Context, db *DB, also ...*metadata.Configuration) error {
	b, err := newBatch(ctx, db)
	if err != nil {
		return err
	}
	defer b.rollback()
	tx := b.Tx()
	names := map[string]bool{}
	all, err := tableNames(ctx, tx, db)
	if err != nil {
		return err
	}
	for _, name := range all {
		if strings.HasPrefix(name, ownPrefix) {
			names[name] = true
		}
	}
	infobase := names[MetaTable]
	if infobase {
		// The stored schema names tables an earlier configuration made,
		// which the configurations given need not cover.
		stored, err := storedTables(ctx, tx, db)
		if err != nil {
			return err
		}
		for _, t := range stored {
			names[t.Name] = true
		}
		if err := putMeta(ctx, tx, db, metaUnfinished, "drop"); err != nil {
			return err
		}
	}
	for _, cfg := range also {
		for _, t := range sqlgen.SchemaOf(cfg).Tables() {
			names[t.Name] = true
		}
	}
	delete(names, MetaTable)
	for _, name := range sortedKeys(names) {
		err := b.step(ctx, locksDrop, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+db.Dialect.Quote(name)); err != nil {
				return err
			}
			if !infobase {
				return nil
			}
			// Recorded gone, so that an Init after a failed Drop creates it.
			return putPending(ctx, tx, db, name, nil)
		})
		if err != nil {
			return err
		}
	}
	if infobase {
		err := b.step(ctx, locksDrop, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "DROP TABLE "+db.Dialect.Quote(MetaTable))
			return err
		})
		if err != nil {
			return err
		}
	}
	return b.commit()
}

// tableNames lists the tables of the schema db works in.
func tableNames(ctx context.Context, q queryer, db *DB) ([]string, error) {
	return queryStrings(ctx, q, db.Dialect.TablesQuery())
}

// queryStrings runs a query of the database's catalogue whose rows are one
// name each.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DropSchema drops a PostgreSQL schema and everything in it, as DROP
// SCHEMA ... CASCADE would, in as many transactions as the server's lock
// table needs: one CASCADE over the thousands of tables of a big
// application takes a lock per table and index and fails with "out of
// shared memory" under default settings. db is a connection to the
// database holding the schema (its search_path does not matter); schema
// is the name as the catalogue spells it (unquoted names are lower-case).
func DropSchema(ctx context.Context, db *DB, schema string) error {
	tables, err := queryStrings(ctx, db.SQL, "SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename", schema)
	if err != nil {
		return err
	}
	b, err := newBatch(ctx, db)
	if err != nil {
		return err
	}
	defer b.rollback()
	q := db.Dialect.Quote
	for _, t := range tables {
		err := b.step(ctx, locksDrop, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+q(schema)+"."+q(t)+" CASCADE")
			return err
		})
		if err != nil {
			return fmt.Errorf("dropping %s.%s: %w", schema, t, err)
		}
	}
	if err := b.commit(); err != nil {
		return err
	}
	_, err = db.Writer.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+q(schema)+" CASCADE")
	return err
}

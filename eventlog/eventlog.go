package eventlog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"dostup/sqlgen"
)

// Event is one record of the log.
type Event struct {
	ID          int64          `json:"id"`                    // assigned on append, increasing
	Time        time.Time      `json:"time"`                  // UTC, microsecond precision; set by Append when zero
	Level       Level          `json:"level"`                 // Information when empty
	Kind        string         `json:"event"`                 // a Kind name
	User        string         `json:"user,omitempty"`        // who: the session's user, or the name tried at login
	Session     string         `json:"session,omitempty"`     // session id (never a token: the log is readable by auditors)
	Application string         `json:"application,omitempty"` // the application the session belongs to
	Source      string         `json:"source,omitempty"`      // client address
	Object      string         `json:"object,omitempty"`      // metadata object or user the event is about
	Data        map[string]any `json:"data,omitempty"`        // details, kept as JSON
	Comment     string         `json:"comment,omitempty"`
}

// Tables of the log. Their names start with _dostup_ like every table
// dostup keeps beside a configuration's own, so they never clash with one.
const (
	eventsTable   = "_dostup_eventlog"
	settingsTable = "_dostup_eventlog_settings"
)

// timeLayout is how a backend without a time type keeps the times of
// events (the dialect's InstantArg), for reading them back.
const timeLayout = sqlgen.InstantLayout

// The times an event may have: what the fixed-width text holds.
var (
	minTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
)

// Log is an open event log over a database, safe for any number of
// goroutines.
type Log struct {
	// db takes the log's writes, read its reads (the same pool unless
	// OpenPools gave two).
	db, read *sql.DB
	dialect  sqlgen.Dialect
	// writer lets one of this Log's transactions write at a time on a
	// single-writer database (SQLite). The database admits one writer
	// anyway, but its busy wait is a race that a writer can keep losing
	// under load until the busy timeout fails it; goroutines queued on a
	// channel are served in turn. Nil where row locks let writers run
	// together (PostgreSQL).
	writer chan struct{}
}

// Open creates the log's tables and indexes when missing and returns the
// log. db is the infobase's database, d the SQL dialect it speaks.
func Open(ctx context.Context, db *sql.DB, d sqlgen.Dialect) (*Log, error) {
	return OpenPools(ctx, db, db, d)
}

// OpenPools is Open for a database whose writes go through a pool of their
// own (an SQLite infobase's single writer connection): the log writes
// through writer and reads through read, so reading the log never holds
// up the writers.
func OpenPools(ctx context.Context, writer, read *sql.DB, d sqlgen.Dialect) (*Log, error) {
	l := &Log{db: writer, read: read, dialect: d}
	if d.SingleWriter() {
		l.writer = make(chan struct{}, 1)
	}
	stmts := []string{
		// An identity key: ids of purged events are never given again, so
		// an id an auditor noted names one event for ever.
		`CREATE TABLE IF NOT EXISTS ` + eventsTable + ` (
	id ` + d.IdentityKey() + `,
	at ` + d.InstantType() + ` NOT NULL,
	level TEXT NOT NULL,
	kind TEXT NOT NULL,
	user_name TEXT NOT NULL DEFAULT '',
	session_id TEXT NOT NULL DEFAULT '',
	application TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT '',
	object TEXT NOT NULL DEFAULT '',
	data TEXT,
	comment TEXT NOT NULL DEFAULT ''
)`,
		// What an auditor filters by: a period, a user, a kind or group
		// (a list of kinds). Listings go in id order, which the user and
		// kind indexes carry so that a listing walks them without sorting.
		`CREATE INDEX IF NOT EXISTS ` + eventsTable + `_at ON ` + eventsTable + ` (at)`,
		`CREATE INDEX IF NOT EXISTS ` + eventsTable + `_user ON ` + eventsTable + ` (user_name, id)`,
		`CREATE INDEX IF NOT EXISTS ` + eventsTable + `_kind ON ` + eventsTable + ` (kind, id)`,
		`CREATE TABLE IF NOT EXISTS ` + settingsTable + ` (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	}
	err := l.inTx(ctx, "creating the event log tables", func(tx *sql.Tx) error {
		// Two processes opening a new infobase at once would both try to
		// create the tables, and PostgreSQL's IF NOT EXISTS does not stop
		// the loser failing on its catalog: take turns. A single-writer
		// database has them take turns already.
		if lock := d.AdvisoryLock(l.ph(1)); lock != "" {
			if _, err := tx.ExecContext(ctx, lock, createLock); err != nil {
				return err
			}
		}
		for _, st := range stmts {
			if _, err := tx.ExecContext(ctx, st); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// createLock is the advisory lock key Open takes while it creates the
// tables ("dostupEL" in ASCII).
const createLock int64 = 0x646f73747570454c

// ph is the n-th placeholder (from 1) of the dialect.
func (l *Log) ph(n int) string { return l.dialect.Placeholder(n) }

// timeArg is a time as the dialect's column takes it.
func (l *Log) timeArg(t time.Time) any { return l.dialect.InstantArg(t) }

// Append writes the events in one transaction: all of them or, on an
// error, none.
func (l *Log) Append(ctx context.Context, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	rows, err := l.rows(events, time.Now())
	if err != nil {
		return err
	}
	return l.inTx(ctx, "appending events", func(tx *sql.Tx) error { return l.insert(ctx, tx, rows) })
}

// AppendTx writes the events inside the caller's transaction, so they
// commit or roll back with the change they describe. Events that must
// survive a rollback (a refused write, a failed login) go through Append
// after it: the caller decides which.
func (l *Log) AppendTx(ctx context.Context, tx *sql.Tx, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	rows, err := l.rows(events, time.Now())
	if err != nil {
		return err
	}
	if err := l.insert(ctx, tx, rows); err != nil {
		return fmt.Errorf("eventlog: appending events: %w", err)
	}
	return nil
}

// rows checks and normalises the events before anything is written, so a
// bad event in a batch leaves the database untouched.
func (l *Log) rows(events []Event, now time.Time) ([][]any, error) {
	out := make([][]any, len(events))
	for i, e := range events {
		r, err := l.row(e, now)
		if err != nil {
			if len(events) > 1 {
				return nil, fmt.Errorf("eventlog: event %d of %d: %w", i+1, len(events), err)
			}
			return nil, fmt.Errorf("eventlog: %w", err)
		}
		out[i] = r
	}
	return out, nil
}

// row is an event as the values of the insert's columns.
func (l *Log) row(e Event, now time.Time) ([]any, error) {
	t := e.Time
	if t.IsZero() {
		t = now
	}
	t = t.UTC().Truncate(time.Microsecond)
	if t.Before(minTime) || t.After(maxTime) {
		return nil, fmt.Errorf("event time %s is outside the years 1 to 9999", t.Format(time.RFC3339))
	}
	level := Information
	if e.Level != "" {
		var ok bool
		if level, ok = e.Level.canonical(); !ok {
			return nil, fmt.Errorf("unknown level %q (use Information, Warning, Error or Note)", e.Level)
		}
	}
	kind := clean(e.Kind)
	if kind == "" {
		return nil, errors.New("an event needs a kind (such as eventlog.SessionStart)")
	}
	if k, ok := KindOf(kind); ok {
		kind = k.Name // a presentation given as the kind is stored as the name
	}
	var data any // NULL when there is nothing to say
	if len(e.Data) > 0 {
		b, err := marshal(e.Data)
		if err != nil {
			return nil, fmt.Errorf("data of event %s: %w", kind, err)
		}
		data = string(b)
	}
	return []any{l.timeArg(t), string(level), kind, clean(e.User), clean(e.Session),
		clean(e.Application), clean(e.Source), clean(e.Object), data, clean(e.Comment)}, nil
}

// clean makes a string storable on both backends: PostgreSQL refuses NUL
// bytes and invalid UTF-8 in text, and the log must not refuse an event
// because an attacker chose such a user name.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

// insert writes rows made by row; one statement prepared for the batch.
// Errors are the driver's: callers say what was being done.
func (l *Log) insert(ctx context.Context, tx *sql.Tx, rows [][]any) error {
	phs := make([]string, 10)
	for i := range phs {
		phs[i] = l.ph(i + 1)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+eventsTable+
		` (at, level, kind, user_name, session_id, application, source, object, data, comment) VALUES (`+
		strings.Join(phs, ", ")+`)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, r...); err != nil {
			return err
		}
	}
	return nil
}

// marshal writes JSON without HTML escaping: the log is read by people and
// tools, not embedded in pages, and "<" should stay "<".
func marshal(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}

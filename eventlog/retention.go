package eventlog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Retention says how long the log keeps events. It is stored in the log's
// settings table, so every process serving the infobase purges alike.
type Retention struct {
	MaxAge    time.Duration `json:"max_age"`    // 0 keeps events forever
	MaxEvents int64         `json:"max_events"` // 0 keeps any number
}

// The rows of the settings table.
const (
	settingMaxAge    = "retention.max_age"    // a Go duration ("720h0m0s"), readable in SQL
	settingMaxEvents = "retention.max_events" // a decimal number
)

// logObject is the Object of the events the log writes about itself.
const logObject = "EventLog"

// Retention reads the retention settings; a log never set keeps everything.
func (l *Log) Retention(ctx context.Context) (Retention, error) {
	rows, err := l.read.QueryContext(ctx, `SELECT name, value FROM `+settingsTable+
		` WHERE name IN (`+l.ph(1)+`, `+l.ph(2)+`)`, settingMaxAge, settingMaxEvents)
	if err != nil {
		return Retention{}, fmt.Errorf("eventlog: reading the retention: %w", err)
	}
	defer rows.Close()
	var r Retention
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return Retention{}, fmt.Errorf("eventlog: reading the retention: %w", err)
		}
		switch name {
		case settingMaxAge:
			r.MaxAge, err = time.ParseDuration(value)
		case settingMaxEvents:
			r.MaxEvents, err = strconv.ParseInt(value, 10, 64)
		}
		if err != nil {
			return Retention{}, fmt.Errorf("eventlog: the setting %s in %s is %q: %w", name, settingsTable, value, err)
		}
	}
	if err := rows.Err(); err != nil {
		return Retention{}, fmt.Errorf("eventlog: reading the retention: %w", err)
	}
	return r, nil
}

// SetRetention stores the retention and, in the same transaction, appends
// a PolicyUpdate event saying what it became: shortening the log's memory
// is itself something an auditor must be able to see.
func (l *Log) SetRetention(ctx context.Context, r Retention) error {
	if r.MaxAge < 0 || r.MaxEvents < 0 {
		return fmt.Errorf("eventlog: retention %s, %d events: neither may be negative (0 means no limit)", r.MaxAge, r.MaxEvents)
	}
	ev, err := l.row(Event{
		Kind:    PolicyUpdate,
		Object:  logObject,
		Data:    map[string]any{"max_age": r.MaxAge.String(), "max_events": r.MaxEvents},
		Comment: "event log retention: " + describe(r),
	}, time.Now())
	if err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	return l.inTx(ctx, "setting the retention", func(tx *sql.Tx) error {
		// An upsert first: the transaction starts by writing, so on SQLite
		// it takes the write lock at once (waiting out the busy timeout)
		// instead of failing when it would upgrade a read.
		upsert := `INSERT INTO ` + settingsTable + ` (name, value) VALUES (` + l.ph(1) + `, ` + l.ph(2) +
			`) ON CONFLICT (name) DO UPDATE SET value = excluded.value`
		for _, s := range [][2]string{
			{settingMaxAge, r.MaxAge.String()},
			{settingMaxEvents, strconv.FormatInt(r.MaxEvents, 10)},
		} {
			if _, err := tx.ExecContext(ctx, upsert, s[0], s[1]); err != nil {
				return err
			}
		}
		return l.insert(ctx, tx, [][]any{ev})
	})
}

// Purge deletes the events the retention no longer keeps — older than
// MaxAge before now, and the oldest beyond MaxEvents — and appends one
// RetentionPurge event with the count, in one transaction. It is the only
// way events leave the log. The purge's own event counts towards
// MaxEvents, so after Purge the log holds at most MaxEvents events. A zero
// now means the current time.
func (l *Log) Purge(ctx context.Context, now time.Time) (int64, error) {
	if now.IsZero() {
		now = time.Now()
	}
	r, err := l.Retention(ctx)
	if err != nil {
		return 0, err
	}
	data := map[string]any{"max_age": r.MaxAge.String(), "max_events": r.MaxEvents}
	var cutoff time.Time
	if r.MaxAge > 0 {
		cutoff = ceilMicro(now.Add(-r.MaxAge))
		data["before"] = cutoff.Format(time.RFC3339Nano)
	}
	var deleted int64
	err = l.inTx(ctx, "purging the event log", func(tx *sql.Tx) error {
		deleted = 0
		// Deletions come first, for the same reason as SetRetention's upsert.
		if r.MaxAge > 0 && cutoff.After(minTime) {
			res, err := tx.ExecContext(ctx, `DELETE FROM `+eventsTable+` WHERE at < `+l.ph(1), l.timeArg(cutoff))
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			deleted += n
		}
		if r.MaxEvents > 0 {
			// Keep the newest MaxEvents-1 and make room for the purge's own
			// event: delete every id up to the MaxEvents-th newest.
			res, err := tx.ExecContext(ctx, `DELETE FROM `+eventsTable+` WHERE id <= (SELECT id FROM `+eventsTable+
				` ORDER BY id DESC LIMIT 1 OFFSET `+l.ph(1)+`)`, r.MaxEvents-1)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			deleted += n
		}
		data["deleted"] = deleted
		ev, err := l.row(Event{
			Time:    now,
			Kind:    RetentionPurge,
			Object:  logObject,
			Data:    data,
			Comment: fmt.Sprintf("%d events deleted (%s)", deleted, describe(r)),
		}, now)
		if err != nil {
			return err
		}
		return l.insert(ctx, tx, [][]any{ev})
	})
	if err != nil {
		return 0, err
	}
	return deleted, nil
}

// inTx runs fn in a transaction of the log's database, committing when fn
// succeeds. On SQLite it waits its turn among the Log's writers, and when
// the database stays locked by another process past the busy timeout it
// tries again while ctx allows, up to maxTries: an event given to Append
// must not be lost to a burst of writes. fn may therefore run more than
// once, each time in a fresh transaction.
func (l *Log) inTx(ctx context.Context, what string, fn func(*sql.Tx) error) error {
	if l.writer != nil {
		select {
		case l.writer <- struct{}{}:
			defer func() { <-l.writer }()
		case <-ctx.Done():
			return fmt.Errorf("eventlog: %s: %w", what, ctx.Err())
		}
	}
	var err error
	for try := 1; ; try++ {
		err = l.tryTx(ctx, fn)
		if err == nil || l.writer == nil || !busy(err) || try == maxTries {
			break
		}
		select {
		case <-time.After(time.Duration(try) * 50 * time.Millisecond):
		case <-ctx.Done():
			return fmt.Errorf("eventlog: %s: %w (after %v)", what, ctx.Err(), err)
		}
	}
	if err != nil {
		return fmt.Errorf("eventlog: %s: %w", what, err)
	}
	return nil
}

// maxTries bounds inTx's attempts: each waits up to the busy timeout, so
// a database locked this long is held by something that will not let go.
const maxTries = 5

// tryTx is one attempt of inTx.
func (l *Log) tryTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// busy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED (any
// extended code), which go away when the other writer finishes. The
// driver's error is matched by its Code method so that the package does
// not depend on one SQLite driver.
func busy(err error) bool {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	return false
}

// describe is a retention in words, for comments people read.
func describe(r Retention) string {
	age, count := "any age", "any number"
	if r.MaxAge > 0 {
		age = "at most " + r.MaxAge.String() + " old"
	}
	if r.MaxEvents > 0 {
		count = "at most " + strconv.FormatInt(r.MaxEvents, 10) + " events"
	}
	return "keep " + count + " of " + age
}

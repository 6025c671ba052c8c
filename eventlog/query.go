package eventlog

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Filter selects events; zero fields match all.
//
// From is inclusive and To exclusive, so consecutive ranges neither overlap
// nor leave a gap. Kind is a kind's name or presentation (Russian or
// English) in any letter case, or a group: a prefix ending in "." such as
// "_$Session$_." or "Сеанс.". User, Session and Object match exactly.
// AfterID continues a listing after the last event seen; Limit bounds it.
// On PostgreSQL ids are drawn when an event is inserted, not when it
// commits, so a tail that polls with AfterID while others write may see an
// event of a long transaction appear behind one it has already passed;
// an export of a closed period is exact.
type Filter struct {
	From, To                    time.Time
	User, Kind, Session, Object string
	Level                       Level
	AfterID                     int64
	Limit                       int
}

// Query returns the events the filter selects, ordered by ID.
func (l *Log) Query(ctx context.Context, f Filter) ([]Event, error) {
	var out []Event
	err := l.Each(ctx, f, func(e Event) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// Each calls fn for each event the filter selects, in ID order, reading
// them one at a time so that exporting a big log does not hold it in
// memory. An error from fn stops the walk and is returned as it is.
func (l *Log) Each(ctx context.Context, f Filter, fn func(Event) error) error {
	w, err := l.where(f)
	if err != nil {
		return err
	}
	q := `SELECT id, at, level, kind, user_name, session_id, application, source, object, data, comment FROM ` +
		eventsTable + w.sql() + ` ORDER BY id` + w.limit(f.Limit)
	rows, err := l.read.QueryContext(ctx, q, w.args...)
	if err != nil {
		return fmt.Errorf("eventlog: reading events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("eventlog: reading events: %w", err)
	}
	return nil
}

// Count returns how many events Query would return for the filter,
// Limit included.
func (l *Log) Count(ctx context.Context, f Filter) (int64, error) {
	w, err := l.where(f)
	if err != nil {
		return 0, err
	}
	q := `SELECT COUNT(*) FROM ` + eventsTable + w.sql()
	if f.Limit > 0 {
		q = `SELECT COUNT(*) FROM (SELECT id FROM ` + eventsTable + w.sql() + ` ORDER BY id` + w.limit(f.Limit) + `) AS limited`
	}
	var n int64
	if err := l.read.QueryRowContext(ctx, q, w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("eventlog: counting events: %w", err)
	}
	return n, nil
}

// where is a filter as SQL conditions and their bound arguments.
type where struct {
	l     *Log
	conds []string
	args  []any
}

// arg binds v and returns its placeholder: no value is ever spliced into
// the text.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return w.l.ph(len(w.args))
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func (w *where) limit(n int) string {
	if n <= 0 {
		return ""
	}
	return " LIMIT " + w.arg(n)
}

// where turns a filter into conditions.
func (l *Log) where(f Filter) (*where, error) {
	w := &where{l: l}
	if !f.From.IsZero() {
		from := ceilMicro(f.From)
		switch {
		case from.After(maxTime):
			w.conds = append(w.conds, "1 = 0")
		case from.After(minTime):
			w.conds = append(w.conds, "at >= "+w.arg(l.timeArg(from)))
		}
	}
	if !f.To.IsZero() {
		to := ceilMicro(f.To)
		switch {
		case !to.After(minTime):
			w.conds = append(w.conds, "1 = 0")
		case !to.After(maxTime):
			w.conds = append(w.conds, "at < "+w.arg(l.timeArg(to)))
		}
	}
	if f.Level != "" {
		level, ok := f.Level.canonical()
		if !ok {
			return nil, fmt.Errorf("eventlog: unknown level %q in the filter (use Information, Warning, Error or Note)", f.Level)
		}
		w.conds = append(w.conds, "level = "+w.arg(string(level)))
	}
	if f.Kind != "" {
		w.conds = append(w.conds, w.kind(clean(f.Kind)))
	}
	for _, c := range []struct{ col, v string }{{"user_name", f.User}, {"session_id", f.Session}, {"object", f.Object}} {
		if c.v != "" {
			w.conds = append(w.conds, c.col+" = "+w.arg(clean(c.v)))
		}
	}
	if f.AfterID > 0 {
		w.conds = append(w.conds, "id > "+w.arg(f.AfterID))
	}
	return w, nil
}

// kind is the condition for Filter.Kind. Known kinds are stored under their
// names (Append turns a presentation into the name), so a name or
// presentation becomes the name and a group the list of names it covers;
// kinds of the caller's own match as written, a group by its first
// characters.
func (w *where) kind(k string) string {
	if !strings.HasSuffix(k, ".") {
		if known, ok := KindOf(k); ok {
			k = known.Name
		}
		return "kind = " + w.arg(k)
	}
	var in []string
	for _, name := range group(k) {
		in = append(in, w.arg(name))
	}
	own := "substr(kind, 1, " + w.arg(utf8.RuneCountInString(k)) + ") = " + w.arg(k)
	if len(in) == 0 {
		return own
	}
	return "(kind IN (" + strings.Join(in, ", ") + ") OR " + own + ")"
}

// ceilMicro rounds t up to the microsecond the stored times have, so that
// "at >= from" and "at < to" mean the same as comparing the full times.
func ceilMicro(t time.Time) time.Time {
	t = t.UTC()
	if tr := t.Truncate(time.Microsecond); tr.Before(t) {
		return tr.Add(time.Microsecond)
	}
	return t
}

// scan reads one row of Each's query.
func scan(rows *sql.Rows) (Event, error) {
	var e Event
	var at any
	var level string
	var data sql.NullString
	if err := rows.Scan(&e.ID, &at, &level, &e.Kind, &e.User, &e.Session, &e.Application,
		&e.Source, &e.Object, &data, &e.Comment); err != nil {
		return Event{}, fmt.Errorf("eventlog: reading events: %w", err)
	}
	e.Level = Level(level)
	switch v := at.(type) {
	case time.Time:
		e.Time = v.UTC()
	case string:
		t, err := time.Parse(timeLayout, v)
		if err != nil {
			return Event{}, fmt.Errorf("eventlog: event %d: bad time %q: %w", e.ID, v, err)
		}
		e.Time = t
	case []byte:
		t, err := time.Parse(timeLayout, string(v))
		if err != nil {
			return Event{}, fmt.Errorf("eventlog: event %d: bad time %q: %w", e.ID, v, err)
		}
		e.Time = t
	default:
		return Event{}, fmt.Errorf("eventlog: event %d: time of type %T", e.ID, at)
	}
	if data.Valid && data.String != "" {
		if err := json.Unmarshal([]byte(data.String), &e.Data); err != nil {
			return Event{}, fmt.Errorf("eventlog: event %d: bad data: %w", e.ID, err)
		}
	}
	return e, nil
}

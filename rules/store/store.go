package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"dostup/eventlog"
	"dostup/infobase"
	"dostup/rules"
)

// The tables. The version row counts committed orders; orders hold one row
// each; changes hold one row per added or removed rule, so that "which order
// added or removed rule X" is one SQL query.
const (
	versionTable = "_dostup_rules_version"
	ordersTable  = "_dostup_rules_orders"
	changesTable = "_dostup_rules_changes"
)

// Store is the register of one database: the configuration and the orders
// kept as files (the rules directory), plus the orders applied to the
// database. Safe for concurrent use.
type Store struct {
	db    *infobase.DB
	files *rules.Register
	log   *eventlog.Log // orders are recorded in the infobase's event log
	// CheckEvery is how long a loaded version is trusted before the counter
	// is read again; 0 reads it before every decision.
	CheckEvery time.Duration

	mu      sync.Mutex
	version int64
	checked time.Time
	reg     *rules.Register
}

// ErrOrderExists is returned when an order's number is already taken.
var ErrOrderExists = errors.New("order number already used")

// Open creates the tables if missing and loads the orders. files is the
// register read from the rules directory: its configuration, base rules
// and file orders come before the database's orders.
func Open(ctx context.Context, db *infobase.DB, files *rules.Register) (*Store, error) {
	s := &Store{db: db, files: files, version: -1}
	if err := s.create(ctx); err != nil {
		return nil, err
	}
	log, err := eventlog.OpenPools(ctx, db.Writer, db.SQL, db.Dialect)
	if err != nil {
		return nil, err
	}
	s.log = log
	if _, err := s.Register(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) q(name string) string { return s.db.Dialect.Quote(name) }
func (s *Store) p(n int) string       { return s.db.Dialect.Placeholder(n) }

func (s *Store) create(ctx context.Context) error {
	stmts := []string{
		fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)`, s.q(versionTable)),
		fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (number INTEGER PRIMARY KEY, date TEXT NOT NULL, author TEXT NOT NULL, reason TEXT NOT NULL, applied_at TEXT NOT NULL, body TEXT NOT NULL)`, s.q(ordersTable)),
		fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (order_number INTEGER NOT NULL, seq INTEGER NOT NULL, op TEXT NOT NULL, rule_id TEXT NOT NULL, rule TEXT, PRIMARY KEY (order_number, seq))`, s.q(changesTable)),
		fmt.Sprintf(`INSERT INTO %s (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`, s.q(versionTable)),
	}
	for _, st := range stmts {
		if _, err := s.db.Writer.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("creating the rules tables: %w", err)
		}
	}
	return nil
}

// Version reads the counter of committed orders.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.SQL.QueryRowContext(ctx, fmt.Sprintf(`SELECT version FROM %s WHERE id = 1`, s.q(versionTable))).Scan(&v)
	return v, err
}

// Register returns the register with every committed order, reloading it
// when another process (or this one) committed an order since the last load.
func (s *Store) Register(ctx context.Context) (*rules.Register, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reg != nil && s.CheckEvery > 0 && time.Since(s.checked) < s.CheckEvery {
		return s.reg, nil
	}
	v, err := s.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the rules version: %w", err)
	}
	s.checked = time.Now()
	if v == s.version && s.reg != nil {
		return s.reg, nil
	}
	orders, err := s.load(ctx, s.db.SQL)
	if err != nil {
		return nil, err
	}
	reg, err := s.files.With(orders...)
	if err != nil {
		return nil, fmt.Errorf("the orders in the database do not apply: %w", err)
	}
	s.reg, s.version = reg, v
	return reg, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// load reads the database's orders.
func (s *Store) load(ctx context.Context, q querier) ([]*rules.Order, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT number, body, applied_at FROM %s ORDER BY number`, s.q(ordersTable)))
	if err != nil {
		return nil, fmt.Errorf("reading orders: %w", err)
	}
	defer rows.Close()
	var out []*rules.Order
	for rows.Next() {
		var n int
		var body, applied string
		if err := rows.Scan(&n, &body, &applied); err != nil {
			return nil, err
		}
		o := &rules.Order{}
		if err := json.Unmarshal([]byte(body), o); err != nil {
			return nil, fmt.Errorf("order %d in the database: %w", n, err)
		}
		o.Number = n
		o.AppliedAt, _ = time.Parse(time.RFC3339Nano, applied)
		o.Pos = rules.Pos{File: fmt.Sprintf("order %d (database)", n)}
		for _, r := range o.Add {
			r.Pos = o.Pos
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Apply commits an order: checked against the register with every order
// committed so far (removals of rules in force, ids not in force), numbered
// next when it has no number, stamped with the commit time. After it
// returns, every Store on the same database sees the order at its next
// decision.
func (s *Store) Apply(ctx context.Context, o *rules.Order) (*rules.Order, error) {
	tx, err := s.db.Writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Take the write lock first: concurrent appliers then number and check
	// their orders one after another.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET version = version + 1 WHERE id = 1`, s.q(versionTable))); err != nil {
		return nil, fmt.Errorf("locking the rules register: %w", err)
	}
	orders, err := s.load(ctx, tx)
	if err != nil {
		return nil, err
	}
	cur, err := s.files.With(orders...)
	if err != nil {
		return nil, err
	}
	o2 := *o
	if o2.Number == 0 {
		o2.Number = cur.NextNumber()
	} else if _, taken := cur.Order(o2.Number); taken {
		return nil, fmt.Errorf("%w: order %d exists; leave number: out to take the next one", ErrOrderExists, o2.Number)
	}
	o2.AppliedAt = time.Now().UTC()
	if o2.Pos.File == "" {
		o2.Pos = rules.Pos{File: fmt.Sprintf("order %d", o2.Number)}
	}
	if _, err := cur.With(&o2); err != nil {
		return nil, err
	}
	body, err := json.Marshal(&o2)
	if err != nil {
		return nil, err
	}
	p := s.p
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %s (number, date, author, reason, applied_at, body) VALUES (%s, %s, %s, %s, %s, %s)`,
		s.q(ordersTable), p(1), p(2), p(3), p(4), p(5), p(6)),
		o2.Number, o2.Date.UTC().Format(time.RFC3339), o2.Author, o2.Reason, o2.AppliedAt.Format(time.RFC3339Nano), string(body)); err != nil {
		return nil, fmt.Errorf("saving order %d: %w", o2.Number, err)
	}
	seq := 0
	ins := fmt.Sprintf(`INSERT INTO %s (order_number, seq, op, rule_id, rule) VALUES (%s, %s, %s, %s, %s)`, s.q(changesTable), p(1), p(2), p(3), p(4), p(5))
	for _, id := range o2.Remove {
		seq++
		if _, err := tx.ExecContext(ctx, ins, o2.Number, seq, "remove", id, nil); err != nil {
			return nil, err
		}
	}
	for _, r := range o2.Add {
		seq++
		rb, _ := json.Marshal(r)
		if _, err := tx.ExecContext(ctx, ins, o2.Number, seq, "add", r.ID, string(rb)); err != nil {
			return nil, err
		}
	}
	// The order and its record in the event log commit together (§6).
	if err := s.log.AppendTx(ctx, tx, eventlog.Event{Kind: eventlog.RulesOrder, User: o2.Author, Object: fmt.Sprintf("order %d", o2.Number),
		Data: map[string]any{"number": o2.Number, "date": o2.Date.UTC().Format(time.RFC3339), "reason": o2.Reason, "added": len(o2.Add), "removed": len(o2.Remove)}}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return &o2, nil
}

// Decide decides a request with the rules in force at a moment (the zero
// time: now, with every order), after making sure no order was committed
// since the register was loaded.
func (s *Store) Decide(ctx context.Context, at time.Time, req *rules.Request) (*rules.Decision, error) {
	reg, err := s.Register(ctx)
	if err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = time.Now()
	}
	set, err := reg.At(at)
	if err != nil {
		return nil, err
	}
	return set.Decide(ctx, req)
}

// Change is one addition or removal of a rule, as the history records it.
type Change struct {
	Order int    `json:"order"`
	Op    string `json:"op"` // add or remove
	Rule  string `json:"rule"`
}

// RuleHistory lists the orders in the database that added or removed a rule.
func (s *Store) RuleHistory(ctx context.Context, id string) ([]Change, error) {
	rows, err := s.db.SQL.QueryContext(ctx, fmt.Sprintf(`SELECT order_number, op, rule_id FROM %s WHERE rule_id = %s ORDER BY order_number, seq`, s.q(changesTable), s.p(1)), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.Order, &c.Op, &c.Rule); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

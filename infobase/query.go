package infobase

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"dostup/metadata/vocab"
	"dostup/rls"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
	"dostup/sqlgen"
)

// Compile parses and compiles a query text with full rights, caching the
// plan per text.
func (ib *Infobase) Compile(text string) ([]*sqlgen.Statement, error) {
	return ib.compile(ib.compiler, text, text)
}

// maxPlans bounds the plan cache: a program that builds query texts with
// values inside would otherwise grow it without end. When full it starts
// over; the texts in use come back at once.
const maxPlans = 4096

// compile compiles with a compiler (full rights, or a session's), caching
// the plan under key: the text, with the session's access key for a
// session, as the restrictions inlined depend on the roles and parameters.
func (ib *Infobase) compile(c *sqlgen.Compiler, key, text string) ([]*sqlgen.Statement, error) {
	ib.mu.Lock()
	p, ok := ib.plans[key]
	ib.mu.Unlock()
	if ok {
		return p, nil
	}
	src := source.FromFile(source.NewFile("query", text))
	b, err := parser.ParseQuery(src)
	if err != nil {
		return nil, err
	}
	stmts, err := c.Compile(src, b)
	if err != nil {
		return nil, err
	}
	ib.mu.Lock()
	if ib.plans == nil || len(ib.plans) >= maxPlans {
		ib.plans = map[string][]*sqlgen.Statement{}
	}
	ib.plans[key] = stmts
	ib.mu.Unlock()
	return stmts, nil
}

// Ref is a reference in a result: the object's id and its presentation.
type Ref struct {
	ID           string `json:"ref"`
	Presentation string `json:"presentation"`
	// Type is the referenced object's full name when the value came from a
	// field of several types; presentations of those are looked up after
	// the query.
	Type string `json:"-"`
}

// Present is the reference as text: its presentation.
func (r Ref) Present() string { return r.Presentation }

// Result is a query's result: its columns and rows. Values are nil, bool,
// string, time.Time, Ref, or a number as a decimal string (json.Number-like).
type Result struct {
	Columns []sqlgen.ResultColumn
	Rows    [][]any
	// Records tells, for a query with ИТОГИ, what each row of Rows is
	// (Выборка.ТипЗаписи() and Выборка.Группировка() in 1C); nil for a
	// query without it.
	Records []Record
}

// Record is what a row of a query with ИТОГИ is: a detail record or a
// total, and the grouping a total is of.
type Record struct {
	Type sqlgen.RecordType
	// Grouping is the name of the grouping the row totals (its КАК in
	// ИТОГИ ... ПО, else the field's name); "" for detail records and the
	// overall total.
	Grouping string
}

// Number is a number in a result, in decimal form.
type Number string

// Query runs a query with caller parameters (by name, without &). A batch
// returns the result of its last SELECT that is not ПОМЕСТИТЬ; it runs on one connection, as its
// temporary tables live there, and drops what it made at the end.
//
// Query runs with full rights, as the engine itself does (session
// parameters, tools that own the infobase); programs acting for a user run
// queries through a Session.
func (ib *Infobase) Query(ctx context.Context, text string, params map[string]any) (*Result, error) {
	stmts, err := ib.Compile(text)
	if err != nil {
		return nil, err
	}
	return ib.runBatch(ctx, stmts, params, nil)
}

// runBatch runs compiled statements in one transaction, so that access
// checks and the statements they guard read one snapshot; s supplies the
// values of session parameters restrictions read (nil with full rights).
// The transaction only reads (temporary tables aside) and is rolled back,
// which also drops the temporary tables.
func (ib *Infobase) runBatch(ctx context.Context, stmts []*sqlgen.Statement, params map[string]any, s *Session) (*Result, error) {
	if len(stmts) == 1 && alone(stmts[0]) {
		// One statement reads one snapshot by itself: without a
		// transaction around it, PostgreSQL answers in one round trip
		// instead of three (BEGIN, the query, ROLLBACK).
		st := stmts[0]
		sqlText, list := st.Expand(listCount(params, s))
		args, err := ib.bindArgs(list, params, s)
		if err != nil {
			return nil, err
		}
		return ib.run(ctx, ib.DB.SQL, st, sqlText, args)
	}
	conn, err := ib.DB.SQL.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var opts *sql.TxOptions
	if iso := ib.DB.Dialect.SnapshotIsolation(); iso != sql.LevelDefault {
		opts = &sql.TxOptions{Isolation: iso}
	}
	tx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var res *Result
	count := listCount(params, s)
	for _, st := range stmts {
		for _, c := range st.Checks {
			if err := ib.runCheck(ctx, tx, c, params, s); err != nil {
				return nil, err
			}
		}
		// Lists bound to В (IN) give the statement a placeholder per value.
		sqlText, list := st.Expand(count)
		args, err := ib.bindArgs(list, params, s)
		if err != nil {
			return nil, err
		}
		if st.Temp != "" {
			if _, err := tx.ExecContext(ctx, sqlText, args...); err != nil {
				return nil, fmt.Errorf("running the query: %w", statementError(err))
			}
			if res == nil {
				res = &Result{}
			}
			continue
		}
		res, err = ib.run(ctx, tx, st, sqlText, args)
		if err != nil {
			return nil, err
		}
		if err := ib.presentRefs(ctx, tx, res, s); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// runCheck runs an access check: a row means the statement would read a
// forbidden record of the table it names.
func (ib *Infobase) runCheck(ctx context.Context, tx *sql.Tx, c *sqlgen.Check, params map[string]any, s *Session) error {
	sqlText, list := c.Expand(listCount(params, s))
	args, err := ib.bindArgs(list, params, s)
	if err != nil {
		return err
	}
	var n int64
	switch err := tx.QueryRowContext(ctx, sqlText, args...).Scan(&n); {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("checking access: %w", statementError(err))
	}
	obj := ""
	if n >= 1 && int(n) <= len(c.Objects) {
		obj = c.Objects[n-1]
	}
	return &rls.AccessError{Object: obj, Right: vocab.Read, Records: true, Mode: "all"}
}

// bindArgs gives a statement's arguments their values: the query's
// parameters from params, session parameters from the session; an
// element of a list value where the statement was expanded for the list.
// A value that cannot be bound is a *ParamError.
func (ib *Infobase) bindArgs(list []sqlgen.Arg, params map[string]any, s *Session) ([]any, error) {
	if len(list) > sqlgen.MaxArgs {
		return nil, &ParamError{Name: firstList(list), Msg: fmt.Sprintf("makes the query bind %d values: a query binds at most %d, lists counted value by value", len(list), sqlgen.MaxArgs)}
	}
	args := make([]any, len(list))
	for i, a := range list {
		switch {
		case a.Session != "":
			if s == nil {
				return nil, fmt.Errorf("the session parameter &%s is read outside a session", a.Session)
			}
			v, err := s.sessionArg(a.Session)
			if err != nil {
				return nil, err
			}
			if l, ok := v.([]any); ok && a.Elem > 0 && a.Elem <= len(l) {
				v = l[a.Elem-1]
			}
			args[i] = ib.DB.Dialect.Arg(bindable(v))
		case a.Param != "":
			v, ok := lookupParam(params, a.Param)
			if !ok {
				return nil, &ParamError{Name: a.Param, Msg: "is not set"}
			}
			v, err := paramValue(a.Param, v, a)
			if err != nil {
				return nil, err
			}
			args[i] = ib.DB.Dialect.Arg(v)
		default:
			args[i] = ib.DB.Dialect.Arg(a.Value)
		}
	}
	return args, nil
}

// bindable turns result values given back as parameters into driver
// values: a reference by its id, a number as decimal text.
func bindable(v any) any {
	switch v := v.(type) {
	case Ref:
		return v.ID
	case Number:
		return sqlgen.DecimalText(v)
	}
	return v
}

func lookupParam(params map[string]any, name string) (any, bool) {
	for k, v := range params {
		if strings.EqualFold(strings.TrimPrefix(k, "&"), name) {
			return v, true
		}
	}
	return nil, false
}

// alone reports whether a statement needs nothing beside it in a
// transaction: no access check to read the same snapshot, no temporary
// table, and no field of several types whose presentations are looked up
// after it.
func alone(st *sqlgen.Statement) bool {
	if len(st.Checks) > 0 || st.Temp != "" {
		return false
	}
	for _, c := range st.Columns {
		if len(c.Composite) > 0 {
			return false
		}
	}
	return true
}

// querier is a pool, a connection or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (ib *Infobase) run(ctx context.Context, tx querier, st *sqlgen.Statement, sqlText string, args []any) (*Result, error) {
	var rows *sql.Rows
	var err error
	if db, ok := tx.(*sql.DB); ok && db == ib.DB.SQL && ib.DB.stmts != nil {
		rows, err = ib.DB.stmts.query(ctx, sqlText, args...)
	} else {
		rows, err = tx.QueryContext(ctx, sqlText, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("running the query: %w", statementError(err))
	}
	defer rows.Close()
	res := &Result{Columns: st.Columns}
	width := sqlgen.Width(st.Columns)
	if st.Groupings != nil {
		// The record type and grouping number follow the result's columns.
		width += 2
		res.Records = []Record{}
	}
	raw := make([]any, width)
	ptrs := make([]any, width)
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, statementError(err)
		}
		row := make([]any, 0, len(st.Columns))
		k := 0
		for _, c := range st.Columns {
			if len(c.Composite) > 0 {
				v := compositeValue(raw[k:k+1+len(c.Composite)], c.Composite)
				k += 1 + len(c.Composite)
				if c.Presentation {
					if r, ok := v.(Ref); ok {
						r.Presentation = asString(convert(raw[k], nil))
						v = r
					}
					k++
				}
				row = append(row, v)
				continue
			}
			v := convert(raw[k], c.Type)
			k++
			if c.Presentation {
				if v != nil {
					v = Ref{ID: asString(v), Presentation: asString(convert(raw[k], nil))}
				}
				k++
			}
			row = append(row, v)
		}
		if st.Groupings != nil {
			res.Records = append(res.Records, totalsRecord(raw[k], raw[k+1], st.Groupings))
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("running the query: %w", statementError(err))
	}
	return res, nil
}

// presentRefs fills the presentations of references read from fields of any
// reference type, whose tables the query could not join: one look-up per
// type met, for all of its ids at once.
//
// In a session, references to records the session may not read keep no
// presentation: a reference to a forbidden record still reads as a
// reference, but nothing of the record.
func (ib *Infobase) presentRefs(ctx context.Context, tx *sql.Tx, res *Result, s *Session) error {
	want := map[string]map[string]string{} // type → id → presentation
	for _, row := range res.Rows {
		for _, v := range row {
			if r, ok := v.(Ref); ok && r.Presentation == "" && r.Type != "" && r.ID != sqlgen.EmptyRef {
				if want[r.Type] == nil {
					want[r.Type] = map[string]string{}
				}
				want[r.Type][r.ID] = ""
			}
		}
	}
	q, p := ib.DB.Dialect.Quote, ib.DB.Dialect.Placeholder
	for typ, ids := range want {
		om := ib.Schema.Object(ib.Config, typ)
		if om == nil {
			continue
		}
		col := sqlgen.PresentationColumn(om)
		if col == "" {
			continue
		}
		var marks []string
		var args []any
		for id := range ids {
			args = append(args, id)
			marks = append(marks, p(len(args)))
		}
		stmt := fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s IN (%s)", q("_id"), q(col), q(om.Table.Name), q("_id"), strings.Join(marks, ", "))
		if s != nil && !s.PrivilegedMode() {
			allowed, err := s.readable(ctx, tx, om, args)
			if err != nil {
				return err
			}
			args = args[:0]
			marks = marks[:0]
			for _, id := range allowed {
				args = append(args, id)
				marks = append(marks, p(len(args)))
			}
			if len(args) == 0 {
				continue
			}
			stmt = fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s IN (%s)", q("_id"), q(col), q(om.Table.Name), q("_id"), strings.Join(marks, ", "))
		}
		rows, err := tx.QueryContext(ctx, stmt, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, pres any
			if err := rows.Scan(&id, &pres); err != nil {
				rows.Close()
				return err
			}
			ids[asString(convert(id, nil))] = asString(convert(pres, nil))
		}
		rows.Close()
	}
	for _, row := range res.Rows {
		for i, v := range row {
			if r, ok := v.(Ref); ok && r.Presentation == "" && want[r.Type] != nil {
				r.Presentation = want[r.Type][r.ID]
				row[i] = r
			}
		}
	}
	return nil
}

// totalsRecord decodes the record type and 1-based grouping number a query with
// ИТОГИ ends each row with.
func totalsRecord(typ, group any, groupings []string) Record {
	r := Record{Type: sqlgen.RecordType(asInt(typ))}
	if n := int(asInt(group)); n >= 1 && n <= len(groupings) {
		r.Grouping = groupings[n-1]
	}
	return r
}

// asInt reads an integer column as either driver gives it.
func asInt(v any) int64 {
	switch v := v.(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	case float64:
		return int64(v)
	case []byte:
		n, _ := strconv.ParseInt(string(v), 10, 64)
		return n
	case string:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return 0
}

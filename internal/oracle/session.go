package oracle

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"dostup/metadata"
	"dostup/sdbl/ast"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
)

// AccessError is access denied: the user may not read Object, or (without
// РАЗРЕШЕННЫЕ) the query would read a record of it the user may not read.
type AccessError struct {
	User    string
	Object  string // full name, Справочник.Контрагенты
	Right   string // Read
	Message string
}

func (e *AccessError) Error() string {
	return fmt.Sprintf("user %s: access denied to %s (%s): %s", e.User, e.Object, e.Right, e.Message)
}

// Result is a query's result. Values are nil, bool, string, Number,
// time.Time and Ref (for fields of a reference type).
type Result struct {
	Columns []string
	Rows    [][]any
}

// Session is a user's session: its roles and session parameters.
type Session struct {
	User   string
	Params map[string]any // session parameters by lower-cased name, normalised values

	o     *Oracle
	roles []*metadata.Role
	cache map[holdsKey]bool
}

// NewSession starts a session of a configuration's user: its session
// parameters are computed by their queries without access checks, with
// &ИмяПользователя (&UserName) set to the user's name. A query that gives
// no row fails the session, as the engine does.
func (o *Oracle) NewSession(user string) (s *Session, err error) {
	defer catch(&err)
	var u *metadata.User
	for _, x := range o.Config.Users {
		if strings.EqualFold(x.Name, user) {
			u = x
		}
	}
	if u == nil {
		return nil, fmt.Errorf("%s is not a user of the configuration", user)
	}
	s = &Session{User: u.Name, Params: map[string]any{}, o: o, cache: map[holdsKey]bool{}}
	for _, name := range u.Roles {
		if r := o.Config.Role(name); r != nil {
			s.roles = append(s.roles, r)
		}
	}
	for _, sp := range o.Config.SessionParameters {
		if sp.Query == nil {
			continue
		}
		b, err := parser.ParseQuery(source.FromFile(sp.Query))
		if err != nil {
			return nil, fmt.Errorf("session parameter %s: %w", sp.Name, err)
		}
		q, ok := b.Statements[len(b.Statements)-1].(*ast.Query)
		if !ok || len(b.Statements) != 1 {
			return nil, fmt.Errorf("session parameter %s: the oracle runs one query", sp.Name)
		}
		e := &evaluator{d: o.Data, params: map[string]any{"имяпользователя": u.Name, "username": u.Name}, opts: &o.Options}
		_, rows := e.query(q, nil)
		if len(rows) == 0 {
			return nil, fmt.Errorf("session parameter %s: its query gives no value for user %s", sp.Name, u.Name)
		}
		s.Params[strings.ToLower(sp.Name)] = rows[0][0]
	}
	return s, nil
}

// plain is an evaluator without access checks, with the session's parameters.
func (s *Session) plain() *evaluator {
	return &evaluator{d: s.o.Data, params: s.Params, opts: &s.o.Options}
}

func (s *Session) denied(o *metadata.Object, format string, args ...any) *AccessError {
	return &AccessError{User: s.User, Object: o.FullName(false), Right: "Read", Message: fmt.Sprintf(format, args...)}
}

// occurrence is a table the query reads: the main table ("" key) or one
// reached through a reference path from it.
type occurrence struct {
	key  string // lower-cased path from the main table: "контрагент.менеджер"
	t    *table
	used []string // fields read of it, as the configuration spells them
}

func (oc *occurrence) use(name string) {
	for _, u := range oc.used {
		if u == name {
			return
		}
	}
	oc.used = append(oc.used, name)
	sort.Strings(oc.used)
}

// Query runs a query for the session with the rules of SPEC §3: with
// РАЗРЕШЕННЫЕ forbidden records are absent and fields read through
// references to them are NULL; without it the query fails with
// *AccessError when a row its own condition keeps is forbidden or reads a
// field through a reference to a forbidden record. The query is ВЫБРАТЬ
// [РАЗРЕШЕННЫЕ] [РАЗЛИЧНЫЕ] fields ИЗ one table or tabular section [КАК
// alias] [ГДЕ cond], the fields being field paths or КОЛИЧЕСТВО(*) alone.
func (s *Session) Query(text string, params map[string]any) (res *Result, err error) {
	defer catch(&err)
	b, err := parser.ParseQuery(source.FromFile(source.NewFile("query", text)))
	if err != nil {
		return nil, err
	}
	if len(b.Statements) != 1 {
		return nil, fmt.Errorf("the oracle runs one query")
	}
	q, ok := b.Statements[0].(*ast.Query)
	if !ok || len(q.Unions) > 0 || q.Totals != nil {
		return nil, fmt.Errorf("the oracle runs one ВЫБРАТЬ without ОБЪЕДИНИТЬ and ИТОГИ")
	}
	sel := q.Select
	if len(sel.From) != 1 || sel.Top != nil || len(sel.GroupBy) > 0 || sel.Having != nil || sel.Into != nil {
		return nil, fmt.Errorf("the oracle checks queries of one table without ПЕРВЫЕ, СГРУППИРОВАТЬ ПО, ИМЕЮЩИЕ, ПОМЕСТИТЬ")
	}
	src, ok := sel.From[0].(*ast.TableSource)
	if !ok || src.HasParams {
		return nil, fmt.Errorf("the oracle checks queries of one table")
	}
	e := s.plain()
	e.params = queryParams(nil, params) // a query's &Name is the caller's, never a session parameter
	var bs []*binding
	e.sources(src, &bs, nil)
	main := bs[0]
	sc := &scope{bindings: bs}

	// Which tables the query reads and which fields of each.
	occs := map[string]*occurrence{"": {t: main.t}}
	count := len(sel.Fields) == 1 && isCountStar(sel.Fields[0].X)
	var nodes []ast.Node
	if !count {
		for _, f := range sel.Fields {
			nodes = append(nodes, f.X)
		}
	}
	if sel.Where != nil {
		nodes = append(nodes, sel.Where)
	}
	for _, n := range nodes {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SubqueryExpr:
				fail("nested queries in a checked query are not supported by the oracle")
			case *ast.ValueExpr, *ast.TypeExpr:
				return false
			case *ast.CallExpr:
				if isCountStar(n) {
					fail("КОЛИЧЕСТВО(*) goes alone in the oracle's queries")
				}
			case *ast.Path:
				s.occurrences(e, n, sc, occs)
				return false
			}
			return true
		})
	}
	// Read must be granted on every table the query reads, the tables
	// reached through references included, in either mode (issue 5: "a
	// missing right is an access-denied error naming the table").
	owner := main.t.obj
	if len(s.grants(owner)) == 0 {
		return nil, s.denied(owner, "no role of the user grants Read")
	}
	for _, oc := range sortedOccs(occs) {
		if len(s.grants(oc.t.obj)) == 0 {
			return nil, s.denied(oc.t.obj, "no role of the user grants Read")
		}
	}
	mainUsed := occs[""].used
	if main.t.sec != nil {
		mainUsed = []string{main.t.sec.Name}
	}
	ownerOf := func(row Row) (*table, Row) {
		if main.t.sec == nil {
			return main.t, row
		}
		ot, _ := e.d.table(owner.FullName(false))
		id, _ := row["ссылка"].(string)
		return ot, ot.byID[id]
	}
	types := make([]metadata.Type, len(sel.Fields))
	for i, f := range sel.Fields {
		if p, ok := f.X.(*ast.Path); ok {
			types[i] = pathType(e.d, p, sc)
		}
	}
	res = &Result{Columns: fieldNames(sel)}
	n := 0
	emit := func() {
		n++
		if count {
			return
		}
		row := make([]any, len(sel.Fields))
		for i, f := range sel.Fields {
			row[i] = output(e.expr(f.X, sc), types[i])
		}
		res.Rows = append(res.Rows, row)
	}
	if sel.Allowed {
		e.follow = func(b *binding, key string, target *table, id string) Row {
			r := target.byID[id]
			if r == nil || b != main {
				return r
			}
			oc := occs[key]
			if oc == nil {
				fail("internal: no occurrence %q", key)
			}
			if !s.accessible(target, r, oc.used) {
				return nil
			}
			return r
		}
		for _, r := range main.t.rows {
			ot, or := ownerOf(r)
			if or != nil && !s.accessible(ot, or, mainUsed) {
				continue
			}
			main.row = r
			if sel.Where == nil || e.cond(sel.Where, sc) == true {
				emit()
			}
		}
	} else {
		for _, r := range main.t.rows {
			main.row = r
			if sel.Where != nil && e.cond(sel.Where, sc) != true {
				continue
			}
			if ot, or := ownerOf(r); or != nil && !s.accessible(ot, or, mainUsed) {
				return nil, s.denied(ot.obj, "record %s is forbidden and the query's condition keeps it", or["ссылка"])
			}
			for _, oc := range sortedOccs(occs) {
				if oc.key == "" {
					continue
				}
				t, tr := s.target(e, main, oc.key)
				if tr != nil && !s.accessible(t, tr, oc.used) {
					return nil, s.denied(t.obj, "record %s, read through %s of a kept row, is forbidden", tr["ссылка"], oc.key)
				}
			}
			emit()
		}
	}
	if count {
		res.Rows = [][]any{{Number(fmt.Sprint(n))}}
	}
	if sel.Distinct {
		res.Rows = distinct(res.Rows)
	}
	return res, nil
}

// occurrences records the tables a path reads through references and the
// fields it reads of each.
func (s *Session) occurrences(e *evaluator, p *ast.Path, sc *scope, occs map[string]*occurrence) {
	b, parts := resolve(p, sc)
	t := b.t
	var key []string
	for i, part := range parts {
		a := t.field(part.Name)
		if a == nil {
			fail("%s has no field %s (the oracle reads tabular sections only as the query's table)", t.name, part.Name)
		}
		occs[strings.Join(key, ".")].use(a.Name)
		if i == len(parts)-1 {
			return
		}
		if len(a.Type) != 1 || a.Type[0].Primitive != metadata.Ref || a.Type[0].Object == "" {
			fail("%s is not a reference: its fields cannot be read", part.Name)
		}
		target, err := e.d.table(a.Type[0].Object)
		if err != nil {
			fail("%v", err)
		}
		key = append(key, strings.ToLower(part.Name))
		k := strings.Join(key, ".")
		if occs[k] == nil {
			occs[k] = &occurrence{key: k, t: target}
		}
		t = target
	}
}

// target follows an occurrence's path from the main row without checks:
// the table and the row it reaches (nil when a reference on the way is
// empty or broken).
func (s *Session) target(e *evaluator, main *binding, key string) (*table, Row) {
	t, row := main.t, main.row
	for _, name := range strings.Split(key, ".") {
		a := t.field(name)
		target, _ := e.d.table(a.Type[0].Object)
		var next Row
		if row != nil {
			if id, _ := row[strings.ToLower(a.Name)].(string); id != "" && id != EmptyRef {
				next = target.byID[id]
			}
		}
		t, row = target, next
	}
	return t, row
}

func sortedOccs(m map[string]*occurrence) []*occurrence {
	var out []*occurrence
	for k, oc := range m {
		oc.key = k
		out = append(out, oc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// output turns an internal value into a result value of the field's type.
func output(v any, typ metadata.Type) any {
	switch x := v.(type) {
	case nil:
		return nil
	case *big.Rat:
		return numberOf(x)
	case string:
		if len(typ) == 1 && typ[0].Primitive == metadata.Ref {
			return Ref{ID: x}
		}
		return x
	case time.Time:
		return x.UTC()
	}
	return v
}

// QueryPrivileged runs a query without any access check, as privileged
// mode does: every row of every table.
func (o *Oracle) QueryPrivileged(text string, params map[string]any) (res *Result, err error) {
	defer catch(&err)
	b, err := parser.ParseQuery(source.FromFile(source.NewFile("query", text)))
	if err != nil {
		return nil, err
	}
	q, ok := b.Statements[len(b.Statements)-1].(*ast.Query)
	if !ok || len(b.Statements) != 1 {
		return nil, fmt.Errorf("the oracle runs one query")
	}
	e := &evaluator{d: o.Data, params: queryParams(nil, params), opts: &o.Options}
	cols, rows := e.query(q, nil)
	res = &Result{Columns: cols}
	var bs []*binding
	for _, src := range q.Select.From {
		e.sources(src, &bs, nil)
	}
	sc := &scope{bindings: bs}
	types := make([]metadata.Type, len(q.Select.Fields))
	for i, f := range q.Select.Fields {
		if p, ok := f.X.(*ast.Path); ok {
			types[i] = pathType(o.Data, p, sc)
		}
	}
	for _, r := range rows {
		out := make([]any, len(r))
		for i, v := range r {
			var typ metadata.Type
			if i < len(types) {
				typ = types[i]
			}
			out[i] = output(v, typ)
		}
		res.Rows = append(res.Rows, out)
	}
	return res, nil
}

// queryParams merges session parameters and a caller's query parameters
// (normalised: references by id, numbers exact) by lower-cased name.
func queryParams(session, params map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range session {
		out[k] = v
	}
	for k, v := range params {
		switch x := v.(type) {
		case Ref:
			v = strings.ToLower(x.ID)
		case string, bool, time.Time, nil:
		default:
			if r, ok := ratOf(v); ok {
				v = r
			}
		}
		out[strings.ToLower(strings.TrimPrefix(k, "&"))] = v
	}
	return out
}

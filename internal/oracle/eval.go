package oracle

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"dostup/metadata"
	"dostup/sdbl/ast"
	"dostup/sdbl/token"
)

// evalError carries an error out of the recursive evaluation; entry points
// recover it.
type evalError struct{ err error }

func fail(format string, args ...any) { panic(evalError{fmt.Errorf(format, args...)}) }

// catch turns an evalError panic into *err.
func catch(err *error) {
	if r := recover(); r != nil {
		e, ok := r.(evalError)
		if !ok {
			panic(r)
		}
		*err = e.err
	}
}

// binding is one source of a FROM list while rows are walked: its table
// and the row it stands on (nil: the NULL row of an outer join).
type binding struct {
	aliases []string // lower-cased names that qualify its fields
	t       *table   // nil for a nested query in FROM
	row     Row
	// A nested query in FROM: its columns and the current values.
	cols []string
	vals []any
	// The restricted record's binding in a restriction: the current row of
	// each tabular section its condition reads (nil: no row).
	secRows map[string]Row
}

func (b *binding) named(parts []*ast.Ident) int {
	for n := len(parts); n >= 1; n-- {
		var s []string
		for _, p := range parts[:n] {
			s = append(s, strings.ToLower(p.Name))
		}
		joined := strings.Join(s, ".")
		for _, a := range b.aliases {
			if a == joined {
				return n
			}
		}
	}
	return 0
}

// has reports whether the binding has a field (or, for the restricted
// record, a tabular section) of a name.
func (b *binding) has(name string) bool {
	if b.t == nil {
		for _, c := range b.cols {
			if strings.EqualFold(c, name) {
				return true
			}
		}
		return false
	}
	if b.t.field(name) != nil {
		return true
	}
	return b.t.sec == nil && b.t.obj.TabularSection(name) != nil
}

type scope struct {
	bindings []*binding
	outer    *scope
}

// followFunc reads the row a reference points to. key is the path from the
// binding to the reference field (lower-cased, dot-separated): the table
// occurrence, as the engine joins one per path.
type followFunc func(b *binding, key string, target *table, id string) Row

// evaluator evaluates expressions and queries over a dataset.
type evaluator struct {
	d      *Dataset
	params map[string]any // lower-cased name → normalised value
	follow followFunc     // nil: plain look-up, no access checks
	opts   *Options
}

func (e *evaluator) lookup(b *binding, key string, target *table, id string) Row {
	if e.follow != nil {
		return e.follow(b, key, target, id)
	}
	return target.byID[id]
}

// resolve finds the binding a path starts from and the field parts after
// its qualifier.
func resolve(p *ast.Path, sc *scope) (*binding, []*ast.Ident) {
	for s := sc; s != nil; s = s.outer {
		for _, b := range s.bindings {
			if n := b.named(p.Parts); n > 0 && n < len(p.Parts) {
				return b, p.Parts[n:]
			}
		}
	}
	for s := sc; s != nil; s = s.outer {
		var found *binding
		for _, b := range s.bindings {
			if b.has(p.Parts[0].Name) {
				if found != nil {
					fail("field %s is ambiguous", p)
				}
				found = b
			}
		}
		if found != nil {
			return found, p.Parts
		}
	}
	fail("%s is neither a table alias nor a field of the query's tables", p)
	return nil, nil
}

// path reads a field path: fields of the binding, then through references.
func (e *evaluator) path(p *ast.Path, sc *scope) any {
	b, parts := resolve(p, sc)
	return e.fields(b, parts)
}

func (e *evaluator) fields(b *binding, parts []*ast.Ident) any {
	if b.t == nil {
		if len(parts) != 1 {
			fail("reading fields through a column of a nested query is not supported by the oracle")
		}
		for i, c := range b.cols {
			if strings.EqualFold(c, parts[0].Name) {
				if b.vals == nil {
					return nil
				}
				return b.vals[i]
			}
		}
		fail("the nested query has no column %s", parts[0].Name)
	}
	t, row := b.t, b.row
	var key []string
	for i, part := range parts {
		key = append(key, strings.ToLower(part.Name))
		a := t.field(part.Name)
		if a == nil {
			ts := (*metadata.TabularSection)(nil)
			if t.sec == nil {
				ts = t.obj.TabularSection(part.Name)
			}
			if ts == nil {
				fail("%s has no field %s", t.name, part.Name)
			}
			if i != 0 || i == len(parts)-1 || b.secRows == nil {
				fail("the tabular section %s can be read here only as %s.Поле in a restriction", part.Name, part.Name)
			}
			r, ok := b.secRows[strings.ToLower(ts.Name)]
			if !ok {
				fail("internal: tabular section %s was not joined", ts.Name)
			}
			st, _ := e.d.table(t.name + "." + ts.Name)
			t, row = st, r
			continue
		}
		var v any
		if row != nil {
			v = row[strings.ToLower(a.Name)]
		}
		if i == len(parts)-1 {
			return v
		}
		if len(a.Type) != 1 || a.Type[0].Primitive != metadata.Ref || a.Type[0].Object == "" {
			fail("%s is not a reference: its fields cannot be read", part.Name)
		}
		target, err := e.d.table(a.Type[0].Object)
		if err != nil {
			fail("%v", err)
		}
		id, _ := v.(string)
		if v == nil || id == EmptyRef {
			row = nil
		} else {
			row = e.lookup(b, strings.Join(key, "."), target, id)
		}
		t = target
	}
	return nil
}

// pathType is the static type of a field path (nil when it is not a path
// of a table).
func pathType(d *Dataset, p *ast.Path, sc *scope) metadata.Type {
	b, parts := resolve(p, sc)
	if b.t == nil {
		return nil
	}
	t := b.t
	for i, part := range parts {
		a := t.field(part.Name)
		if a == nil {
			if t.sec == nil && t.obj.TabularSection(part.Name) != nil && i < len(parts)-1 {
				t, _ = d.table(t.name + "." + part.Name)
				continue
			}
			return nil
		}
		if i == len(parts)-1 {
			return a.Type
		}
		if len(a.Type) != 1 || a.Type[0].Primitive != metadata.Ref {
			return nil
		}
		var err error
		if t, err = d.table(a.Type[0].Object); err != nil {
			return nil
		}
	}
	return nil
}

// cond evaluates a condition: true, false or nil (unknown).
func (e *evaluator) cond(x ast.Expr, sc *scope) any {
	v := e.expr(x, sc)
	if v == nil {
		return nil
	}
	b, ok := v.(bool)
	if !ok {
		fail("a condition gives %s, not a boolean", describe(v))
	}
	return b
}

func (e *evaluator) expr(x ast.Expr, sc *scope) any {
	switch x := x.(type) {
	case *ast.Path:
		return e.path(x, sc)
	case *ast.Literal:
		if x.Kind == token.NUMBER {
			r, ok := new(big.Rat).SetString(x.Value)
			if !ok {
				fail("bad number %s", x.Value)
			}
			return r
		}
		return x.Value
	case *ast.Constant:
		switch x.Value {
		case token.True:
			return true
		case token.False:
			return false
		}
		return nil
	case *ast.Param:
		v, ok := e.params[strings.ToLower(x.Name)]
		if !ok {
			fail("the parameter &%s is not set", x.Name)
		}
		return v
	case *ast.ParenExpr:
		return e.expr(x.X, sc)
	case *ast.UnaryExpr:
		if x.Not {
			return not3(e.cond(x.X, sc))
		}
		v := e.expr(x.X, sc)
		if x.Op == token.MINUS && v != nil {
			r, ok := v.(*big.Rat)
			if !ok {
				fail("unary minus of %s", describe(v))
			}
			return new(big.Rat).Neg(r)
		}
		return v
	case *ast.BinaryExpr:
		switch x.Kw {
		case token.And:
			l := e.cond(x.X, sc)
			return and3(l, e.cond(x.Y, sc))
		case token.Or:
			l := e.cond(x.X, sc)
			return or3(l, e.cond(x.Y, sc))
		}
		l, r := e.expr(x.X, sc), e.expr(x.Y, sc)
		return binary(x.Op, l, r)
	case *ast.InExpr:
		if x.Hierarchy {
			fail("В ИЕРАРХИИ is not supported by the oracle")
		}
		l := e.expr(x.X, sc)
		var list []any
		switch y := x.List.(type) {
		case *ast.TupleExpr:
			for _, item := range y.List {
				list = append(list, e.expr(item, sc))
			}
		case *ast.SubqueryExpr:
			cols, rows := e.query(y.Query, sc)
			if len(cols) != 1 {
				fail("the nested query on the right of В gives %d columns; the oracle compares one", len(cols))
			}
			for _, r := range rows {
				list = append(list, r[0])
			}
		default:
			fail("unexpected right side of В: %T", x.List)
		}
		res := in3(l, list)
		if x.Not {
			return not3(res)
		}
		return res
	case *ast.BetweenExpr:
		v, lo, hi := e.expr(x.X, sc), e.expr(x.Lo, sc), e.expr(x.Hi, sc)
		res := and3(binary(token.GE, v, lo), binary(token.LE, v, hi))
		if x.Not {
			return not3(res)
		}
		return res
	case *ast.IsNullExpr:
		v := e.expr(x.X, sc)
		return (v == nil) != x.Not
	case *ast.LikeExpr:
		if x.Escape != nil {
			fail("СПЕЦСИМВОЛ is not supported by the oracle")
		}
		v, p := e.expr(x.X, sc), e.expr(x.Pattern, sc)
		if v == nil || p == nil {
			return nil
		}
		s, ok1 := v.(string)
		pat, ok2 := p.(string)
		if !ok1 || !ok2 {
			fail("ПОДОБНО compares strings")
		}
		res := like(s, pat)
		if x.Not {
			return !res
		}
		return res
	case *ast.CaseExpr:
		if x.Operand != nil {
			fail("ВЫБОР with an operand is not supported by the oracle")
		}
		for _, w := range x.Whens {
			if e.cond(w.Cond, sc) == true {
				return e.expr(w.Result, sc)
			}
		}
		if x.Else != nil {
			return e.expr(x.Else, sc)
		}
		return nil
	case *ast.CallExpr:
		name := strings.ToUpper(x.Fun.Name)
		switch name {
		case "ЕСТЬNULL", "ISNULL":
			if len(x.Args) != 2 {
				fail("ЕСТЬNULL takes two arguments")
			}
			if v := e.expr(x.Args[0], sc); v != nil {
				return v
			}
			return e.expr(x.Args[1], sc)
		case "ДАТАВРЕМЯ", "DATETIME":
			var n [6]int
			for i, a := range x.Args {
				r, ok := e.expr(a, sc).(*big.Rat)
				if !ok || i >= 6 || !r.IsInt() {
					fail("ДАТАВРЕМЯ takes whole numbers")
				}
				n[i] = int(r.Num().Int64())
			}
			return time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC)
		}
		fail("the function %s is not supported by the oracle here", x.Fun.Name)
	case *ast.ValueExpr:
		parts := x.Name.Parts
		if len(parts) == 3 && (strings.EqualFold(parts[2].Name, "ПустаяСсылка") || strings.EqualFold(parts[2].Name, "EmptyRef")) {
			if e.d.cfg.Object(parts[0].Name+"."+parts[1].Name) == nil {
				fail("%s is not in the configuration", x.Name)
			}
			return EmptyRef
		}
		fail("ЗНАЧЕНИЕ(%s) is not supported by the oracle", x.Name)
	}
	fail("the expression %T is not supported by the oracle", x)
	return nil
}

func binary(op token.Kind, l, r any) any {
	switch op {
	case token.EQ, token.NE, token.LT, token.GT, token.LE, token.GE:
		if l == nil || r == nil {
			return nil
		}
		c, err := compare(l, r)
		if err != nil {
			panic(evalError{err})
		}
		switch op {
		case token.EQ:
			return c == 0
		case token.NE:
			return c != 0
		case token.LT:
			return c < 0
		case token.GT:
			return c > 0
		case token.LE:
			return c <= 0
		}
		return c >= 0
	case token.PLUS, token.MINUS, token.STAR, token.SLASH:
		if l == nil || r == nil {
			return nil
		}
		if ls, ok := l.(string); ok && op == token.PLUS {
			rs, ok := r.(string)
			if !ok {
				fail("cannot add %s to a string", describe(r))
			}
			return ls + rs
		}
		a, ok1 := l.(*big.Rat)
		b, ok2 := r.(*big.Rat)
		if !ok1 || !ok2 {
			fail("arithmetic on %s and %s", describe(l), describe(r))
		}
		switch op {
		case token.PLUS:
			return new(big.Rat).Add(a, b)
		case token.MINUS:
			return new(big.Rat).Sub(a, b)
		case token.STAR:
			return new(big.Rat).Mul(a, b)
		}
		if b.Sign() == 0 {
			return nil
		}
		return new(big.Rat).Quo(a, b)
	}
	fail("operator %v is not supported by the oracle", op)
	return nil
}

// in3 is SQL's X IN (list): true when an item equals X, unknown when none
// does but X or an item is NULL, else false.
func in3(v any, list []any) any {
	var res any = false
	for _, item := range list {
		res = or3(res, binary(token.EQ, v, item))
		if res == true {
			return true
		}
	}
	return res
}

// like matches a 1C ПОДОБНО pattern (% any run, _ one character,
// [...] a set), case-sensitively.
func like(s, pat string) bool {
	rs, rp := []rune(s), []rune(pat)
	var match func(i, j int) bool
	match = func(i, j int) bool {
		for j < len(rp) {
			switch rp[j] {
			case '%':
				for k := i; k <= len(rs); k++ {
					if match(k, j+1) {
						return true
					}
				}
				return false
			case '_':
				if i >= len(rs) {
					return false
				}
			case '[':
				end := j + 1
				for end < len(rp) && rp[end] != ']' {
					end++
				}
				if i >= len(rs) || end >= len(rp) {
					return false
				}
				set, neg := rp[j+1:end], false
				if len(set) > 0 && set[0] == '^' {
					set, neg = set[1:], true
				}
				in := false
				for k := 0; k < len(set); k++ {
					if k+2 < len(set) && set[k+1] == '-' {
						if rs[i] >= set[k] && rs[i] <= set[k+2] {
							in = true
						}
						k += 2
					} else if rs[i] == set[k] {
						in = true
					}
				}
				if in == neg {
					return false
				}
				j = end
			default:
				if i >= len(rs) || rs[i] != rp[j] {
					return false
				}
			}
			i++
			j++
		}
		return i == len(rs)
	}
	return match(0, 0)
}

// ------------------------------------------------------------ queries

// sources makes the bindings of a FROM list (in order).
func (e *evaluator) sources(src ast.Source, out *[]*binding, sc *scope) {
	switch s := src.(type) {
	case *ast.TableSource:
		if s.HasParams {
			fail("virtual tables are not supported by the oracle")
		}
		t, err := e.d.table(s.Name.String())
		if err != nil {
			fail("%v", err)
		}
		b := &binding{t: t}
		if s.Alias != nil {
			b.aliases = []string{strings.ToLower(s.Alias.Name)}
		} else {
			b.aliases = []string{strings.ToLower(s.Name.Last().Name)}
		}
		*out = append(*out, b)
	case *ast.SubquerySource:
		b := &binding{aliases: []string{strings.ToLower(s.Alias.Name)}}
		*out = append(*out, b)
	case *ast.JoinSource:
		e.sources(s.Left, out, sc)
		e.sources(s.Right, out, sc)
	default:
		fail("the source %T is not supported by the oracle", src)
	}
}

// walk calls fn for every combination of rows of the FROM list that its
// joins keep; bindings are the ones sources made, in order. fixed pins a
// binding to one row (the restricted record).
func (e *evaluator) walk(from []ast.Source, bs []*binding, sc *scope, fixed map[*binding]Row, fn func()) {
	var items [][]*binding
	k := 0
	for _, src := range from {
		var list []*binding
		e.sources(src, &list, sc) // only to count them
		items = append(items, bs[k:k+len(list)])
		k += len(list)
	}
	var step func(i int)
	step = func(i int) {
		if i == len(from) {
			fn()
			return
		}
		e.walkSource(from[i], items[i], sc, fixed, func() { step(i + 1) })
	}
	step(0)
}

func (e *evaluator) walkSource(src ast.Source, bs []*binding, sc *scope, fixed map[*binding]Row, fn func()) {
	switch s := src.(type) {
	case *ast.TableSource:
		b := bs[0]
		if r, ok := fixed[b]; ok {
			b.row = r
			fn()
			return
		}
		for _, r := range b.t.rows {
			b.row = r
			fn()
		}
	case *ast.SubquerySource:
		b := bs[0]
		cols, rows := e.query(s.Query, sc)
		b.cols = cols
		for _, r := range rows {
			b.vals = r
			fn()
		}
	case *ast.JoinSource:
		var left []*binding
		e.sources(s.Left, &left, sc)
		lb, rb := bs[:len(left)], bs[len(left):]
		if s.Kind != ast.InnerJoin && s.Kind != ast.LeftJoin {
			fail("only inner and left joins are supported by the oracle")
		}
		e.walkSource(s.Left, lb, sc, fixed, func() {
			matched := false
			e.walkSource(s.Right, rb, sc, fixed, func() {
				if e.cond(s.On, sc) == true {
					matched = true
					fn()
				}
			})
			if !matched && s.Kind == ast.LeftJoin {
				for _, b := range rb {
					b.row, b.vals = nil, nil
					if b.t == nil && b.cols == nil {
						b.cols = columnsOf(s.Right)
					}
				}
				fn()
			}
		})
	}
}

func columnsOf(src ast.Source) []string {
	if s, ok := src.(*ast.SubquerySource); ok {
		return fieldNames(s.Query.Select)
	}
	return nil
}

// fieldNames names a select's columns: the alias, else the path's parts
// run together after a leading table alias is dropped, as 1C does.
func fieldNames(s *ast.Select) []string {
	var out []string
	for i, f := range s.Fields {
		switch {
		case f.Alias != nil:
			out = append(out, f.Alias.Name)
		default:
			if p, ok := f.X.(*ast.Path); ok {
				out = append(out, p.Last().Name)
			} else {
				out = append(out, fmt.Sprintf("Поле%d", i+1))
			}
		}
	}
	return out
}

// query evaluates a query without access checks: every row of every table.
func (e *evaluator) query(q *ast.Query, outer *scope) ([]string, [][]any) {
	if q.Totals != nil {
		fail("ИТОГИ is not supported by the oracle")
	}
	cols, rows := e.selectRows(q.Select, outer)
	for _, u := range q.Unions {
		_, more := e.selectRows(u.Select, outer)
		rows = append(rows, more...)
		if !u.All {
			rows = distinct(rows)
		}
	}
	return cols, rows
}

func distinct(rows [][]any) [][]any {
	seen := map[string]bool{}
	var out [][]any
	for _, r := range rows {
		k := rowKey(r)
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

func rowKey(r []any) string {
	var b strings.Builder
	for _, v := range r {
		b.WriteString(key(v))
		b.WriteByte(0)
	}
	return b.String()
}

func isCountStar(x ast.Expr) bool {
	c, ok := x.(*ast.CallExpr)
	if !ok || !strings.EqualFold(c.Fun.Name, "КОЛИЧЕСТВО") && !strings.EqualFold(c.Fun.Name, "COUNT") {
		return false
	}
	if len(c.Args) != 1 {
		return false
	}
	_, star := c.Args[0].(*ast.Star)
	return star
}

func (e *evaluator) selectRows(s *ast.Select, outer *scope) ([]string, [][]any) {
	if s.Top != nil || len(s.GroupBy) > 0 || s.Having != nil || s.Into != nil {
		fail("ПЕРВЫЕ, СГРУППИРОВАТЬ ПО, ИМЕЮЩИЕ and ПОМЕСТИТЬ are not supported by the oracle")
	}
	var bs []*binding
	for _, src := range s.From {
		e.sources(src, &bs, outer)
	}
	sc := &scope{bindings: bs, outer: outer}
	count := len(s.Fields) == 1 && isCountStar(s.Fields[0].X)
	var rows [][]any
	n := 0
	e.walk(s.From, bs, sc, nil, func() {
		if s.Where != nil && e.cond(s.Where, sc) != true {
			return
		}
		n++
		if count {
			return
		}
		row := make([]any, len(s.Fields))
		for i, f := range s.Fields {
			row[i] = e.expr(f.X, sc)
		}
		rows = append(rows, row)
	})
	if count {
		rows = [][]any{{new(big.Rat).SetInt64(int64(n))}}
	}
	if s.Distinct {
		rows = distinct(rows)
	}
	return fieldNames(s), rows
}

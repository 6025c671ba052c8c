package sqlgen

import (
	"math"
	"math/big"
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
	"dostup/sdbl/token"
)

// The limits of a statement. A query past one is refused at compile time,
// at the place in its text that goes past it, rather than by the database
// with a message about SQL the user never wrote. Each is SQLite's limit,
// kept on PostgreSQL too, so a query that runs on one backend runs on the
// other.
const (
	// MaxArgs is how many values a statement binds (string literals,
	// parameters, each element of a list parameter): SQLite numbers
	// placeholders up to ?32766.
	MaxArgs = 32766
	// maxNesting bounds how deep expressions nest in SQL, counting nested
	// queries, below SQLite's expression depth of 1000 with room for the
	// restrictions inlined around them. A long chain of И (AND) or ИЛИ (OR)
	// is printed as a balanced tree and nests only as deep as its
	// logarithm.
	maxNesting = 400
	// maxUnion is how many SELECTs ОБЪЕДИНИТЬ joins (SQLite's compound
	// SELECT limit).
	maxUnion = 500
	// maxColumns is how many columns one SELECT returns, presentations of
	// references counted (PostgreSQL's target list; SQLite's is 2000).
	maxColumns = 1664
	// maxTables is how many tables one SELECT reads, the tables joined to
	// read fields through references counted (SQLite's join limit).
	maxTables = 64
)

// checkNumber refuses a number literal that no 1C number holds: more than
// metadata.MaxPrecision significant digits.
func (g *gen) checkNumber(x *ast.Literal) bool {
	whole, frac, _ := strings.Cut(x.Value, ".")
	digits := len(strings.TrimLeft(whole, "0")) + len(strings.TrimRight(frac, "0"))
	if digits > metadata.MaxPrecision {
		g.errorf(x, "a number holds at most %d digits; this one has %d", metadata.MaxPrecision, digits)
		return false
	}
	return true
}

// numberLiteral is the number literal x is, signs and parentheses around
// it allowed (neg when it is negated), or nil.
func numberLiteral(x ast.Expr) (lit *ast.Literal, neg bool) {
	for {
		switch e := x.(type) {
		case *ast.ParenExpr:
			x = e.X
			continue
		case *ast.UnaryExpr:
			if e.Not {
				return nil, false
			}
			if e.Op == token.MINUS {
				neg = !neg
			}
			x = e.X
			continue
		case *ast.Literal:
			if e.Kind == token.NUMBER {
				return e, neg
			}
		}
		return nil, false
	}
}

// checkRange reports, at its place, a number literal that is no whole
// number from lo to hi; must says what it must be. Other expressions pass.
func (g *gen) checkRange(x ast.Expr, lo, hi int64, must string) {
	lit, neg := numberLiteral(x)
	if lit == nil {
		return
	}
	text := lit.Value
	if neg {
		text = "-" + text
	}
	v, ok := new(big.Rat).SetString(text)
	if !ok || !v.IsInt() || !v.Num().IsInt64() || v.Num().Int64() < lo || v.Num().Int64() > hi {
		g.errorf(x, "%s, not %s", must, text)
	}
}

// dateAddLimit is, per unit, the most ДОБАВИТЬКДАТЕ can add and stay within
// 1C's calendar (years 1 to 9999).
var dateAddLimit = map[string]int64{
	"year": 9999, "quarter": 4 * 9999, "month": 12 * 9999, "week": 9999 * 53, "day": 9999 * 366,
	"halfyear": 2 * 9999, "decade": 9999 * 37, "hour": 9999 * 366 * 24, "minute": 9999 * 366 * 24 * 60, "second": 9999 * 366 * 24 * 60 * 60,
}

// integerArg is a numeric argument a function takes as a whole number
// (ПОДСТРОКА's start and length): a literal is checked here, a parameter
// is typed by the function, and anything else (a field of type Число) is
// cast, as PostgreSQL's functions take integers only.
func (g *gen) integerArg(x ast.Expr, v val, lo int64, must string) string {
	if lit, _ := numberLiteral(x); lit != nil {
		g.checkRange(x, lo, math.MaxInt32, must)
		return v.sql
	}
	if _, ok := x.(*ast.Param); ok {
		return v.sql
	}
	// Rounded first, so that both backends agree (SQLite's CAST truncates,
	// PostgreSQL's rounds).
	return "CAST(ROUND(" + v.sql + ") AS INTEGER)"
}

// balanced joins the operands of a chain of one logical operator as a
// balanced tree, (a OR b) OR (c OR d), so its SQL nests as deep as the
// chain's logarithm: a flat chain of thousands of terms stays below the
// databases' expression depth.
func balanced(parts []string, op string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	m := (len(parts) + 1) / 2
	return "(" + balanced(parts[:m], op) + " " + op + " " + balanced(parts[m:], op) + ")"
}

// chain collects the operands of a left- or right-leaning chain of И (AND)
// or ИЛИ (OR) with the same operator, in order.
func chain(x ast.Expr, kw token.Keyword, out []ast.Expr) []ast.Expr {
	if b, ok := x.(*ast.BinaryExpr); ok && b.Kw == kw {
		out = chain(b.X, kw, out)
		return chain(b.Y, kw, out)
	}
	return append(out, x)
}

// depthOf is how deep a balanced tree of n operands nests.
func depthOf(n int) int {
	d := 0
	for k := 1; k < n; k *= 2 {
		d++
	}
	return d
}

// tooDeep reports, once per statement, an expression that nests past
// maxNesting at its place.
func (g *gen) tooDeep(x ast.Node) {
	if !g.st.deepReported {
		g.st.deepReported = true
		g.errorf(x, "the expression nests more than %d levels deep (nested queries and chains of operators counted): split it, or use В (IN) with a list", maxNesting)
	}
}

// countArg reports, once per statement, the value that makes the statement
// bind more than MaxArgs values.
func (g *gen) countArg(x ast.Node) {
	if len(g.st.args) > MaxArgs && !g.st.argsReported {
		g.st.argsReported = true
		g.errorf(x, "a query binds at most %d values (strings and parameters): this one is the %dth; pass many values as one list parameter (В (&Список)) or read them from a table", MaxArgs, len(g.st.args))
	}
}

// countTables reports a SELECT that reads more than maxTables tables.
func (g *gen) countTables(s *ast.Select, sc *scope) {
	if n := g.tablesOf(sc); n > maxTables {
		g.errorf(s, "this ВЫБРАТЬ (SELECT) reads %d tables, counting those joined to read fields through references; a SELECT reads at most %d: split the query with ПОМЕСТИТЬ (INTO)", n, maxTables)
	}
}

// tablesOf counts the tables a SELECT's FROM joins: its sources, those
// joined through references, and the owners of tabular sections joined for
// their restriction.
func (g *gen) tablesOf(sc *scope) int {
	n := 0
	var walk func(o *tableOccurrence)
	walk = func(o *tableOccurrence) {
		n++
		if o.sec != nil && o.checked && !o.viaOwner {
			n++ // the owner's row, joined for the owner's restriction
		}
		for _, d := range o.order {
			walk(d)
		}
	}
	for _, j := range sc.joins {
		walk(j.src)
	}
	return n
}

// countColumns reports the field of a SELECT that takes its result past
// maxColumns SQL columns; cols are the fields' columns in order.
func (g *gen) countColumns(fields []*ast.Field, cols []ResultColumn) {
	w := 0
	for k := range cols {
		w += cols[k].Width()
		if w > maxColumns && len(fields) > 0 {
			g.errorf(fields[min(k, len(fields)-1)].X, "a ВЫБРАТЬ (SELECT) returns at most %d columns, references' presentations counted; this field makes %d", maxColumns, w)
			return
		}
	}
}

// countUnion reports the part of a query past maxUnion SELECTs.
func (g *gen) countUnion(q *ast.Query) {
	if len(q.Unions) >= maxUnion {
		g.errorf(q.Unions[maxUnion-1], "ОБЪЕДИНИТЬ (UNION) joins at most %d SELECTs in one query; this query has %d: put parts in temporary tables (ПОМЕСТИТЬ) first", maxUnion, len(q.Unions)+1)
	}
}

// logical compiles a chain of И (AND) or ИЛИ (OR) as a balanced tree of
// its operands, each nesting as deep as the tree does.
func (g *gen) logical(x *ast.BinaryExpr, sc *scope) val {
	ops := chain(x, x.Kw, nil)
	d := depthOf(len(ops)) - 1 // this node is counted already
	g.st.depth += d
	parts := make([]string, len(ops))
	for i, op := range ops {
		parts[i] = g.expr(op, sc).sql
	}
	g.st.depth -= d
	op := "AND"
	if x.Kw == token.Or {
		op = "OR"
	}
	return val{sql: balanced(parts, op), typ: metadata.Type{{Primitive: metadata.Boolean}}}
}

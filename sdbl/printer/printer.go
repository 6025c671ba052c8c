package printer

import (
	"fmt"
	"io"
	"strings"

	"dostup/sdbl/ast"
	"dostup/sdbl/token"
)

// Config controls the output. The zero value prints Russian with tabs, the
// form 1C itself shows, so most callers need only the convenience functions.
type Config struct {
	English bool   // spell keywords and language-defined names in English
	Indent  string // one level of indentation; "\t" when empty
}

// Query returns the canonical text of a batch of queries.
func Query(b *ast.Batch, english bool) string { return sprint(b, english) }

// Restriction returns the canonical text of a restriction; an empty
// restriction prints as the empty text, which parses back to it.
func Restriction(r *ast.Restriction, english bool) string { return sprint(r, english) }

// Expr returns the canonical text of an expression.
func Expr(x ast.Expr, english bool) string { return sprint(x, english) }

func sprint(n ast.Node, english bool) string {
	var b strings.Builder
	c := Config{English: english}
	if err := c.Fprint(&b, n); err != nil {
		// strings.Builder never fails; only an unprintable node gets here.
		return "<" + err.Error() + ">"
	}
	return b.String()
}

// Fprint writes the text of node to w. It accepts a *ast.Batch, *ast.Query,
// *ast.Select, *ast.Restriction, *ast.DropStatement, any source or
// expression, *ast.Field, *ast.OrderItem and *ast.TypeRef; other nodes are an
// error, as is a failing writer.
func (c *Config) Fprint(w io.Writer, node ast.Node) error {
	p := &printer{english: c.English, indentStr: c.Indent}
	if p.indentStr == "" {
		p.indentStr = "\t"
	}
	p.tables = tableNames(node)
	switch n := node.(type) {
	case *ast.Batch:
		for i, s := range n.Statements {
			if i > 0 {
				p.out.WriteString(";\n\n")
			}
			if err := p.statement(s); err != nil {
				return err
			}
		}
	case *ast.Query:
		p.query(n)
	case *ast.Select:
		p.selectPart(n, true)
	case *ast.DropStatement:
		p.drop(n)
	case *ast.Restriction:
		p.restriction(n)
	case ast.Source:
		p.source(n)
	case ast.Expr:
		p.expr(n, 0)
	case *ast.Field:
		p.field(n)
	case *ast.OrderItem:
		p.orderItem(n)
	case *ast.TypeRef:
		p.typeRef(n)
	default:
		return fmt.Errorf("printer: cannot print a %T on its own", node)
	}
	_, err := io.WriteString(w, p.out.String())
	return err
}

type printer struct {
	out       strings.Builder
	english   bool
	indentStr string
	indent    int // indentation of the line being written, in levels
	// tables holds, in canonical lower-case Russian, the full names of
	// tables used without an alias (Справочник.Номенклатура), so that a
	// field path starting with one (Справочник.Номенклатура.Наименование)
	// gets its metadata kind translated like the table itself.
	tables map[string]bool
}

func (p *printer) statement(s ast.Node) error {
	switch s := s.(type) {
	case *ast.Query:
		p.query(s)
	case *ast.DropStatement:
		p.drop(s)
	default:
		return fmt.Errorf("printer: a batch cannot hold a %T", s)
	}
	return nil
}

func (p *printer) str(s string)       { p.out.WriteString(s) }
func (p *printer) kw(k token.Keyword) { p.out.WriteString(k.Spell(p.english)) }
func (p *printer) sp(k token.Keyword) { p.str(" "); p.kw(k) }

func (p *printer) newline() {
	p.out.WriteByte('\n')
	for i := 0; i < p.indent; i++ {
		p.out.WriteString(p.indentStr)
	}
}

// clause writes a clause keyword on a line of its own at the current level
// and leaves the indentation one level deeper for its items.
func (p *printer) clause(words ...token.Keyword) {
	p.newline()
	for i, k := range words {
		if i > 0 {
			p.str(" ")
		}
		p.kw(k)
	}
	p.indent++
	p.newline()
}

func (p *printer) endClause() { p.indent-- }

// ------------------------------------------------------------------ queries

func (p *printer) drop(d *ast.DropStatement) {
	p.kw(token.Drop)
	p.str(" ")
	p.ident(d.Table)
}

func (p *printer) query(q *ast.Query) {
	// The tail (ДЛЯ ИЗМЕНЕНИЯ, ИНДЕКСИРОВАТЬ ПО) of the last SELECT goes after
	// ORDER BY and TOTALS, where 1C writes it; the parser attaches it there.
	p.selectPart(q.Select, len(q.Unions) > 0)
	for i, u := range q.Unions {
		p.str("\n\n")
		p.indentOnly()
		p.kw(token.Union)
		if u.All {
			p.sp(token.All)
		}
		p.str("\n\n")
		p.indentOnly()
		p.selectPart(u.Select, i < len(q.Unions)-1)
	}
	if len(q.OrderBy) > 0 {
		p.clause(token.Order, token.By)
		for i, o := range q.OrderBy {
			if i > 0 {
				p.str(",")
				p.newline()
			}
			p.orderItem(o)
		}
		p.endClause()
	}
	if q.Autoorder {
		p.newline()
		p.kw(token.Autoorder)
	}
	if q.Totals != nil {
		p.totals(q.Totals)
	}
	p.selectTail(lastSelect(q))
}

// indentOnly writes the indentation of the current level; used after blank
// lines, which carry no trailing blanks.
func (p *printer) indentOnly() {
	for i := 0; i < p.indent; i++ {
		p.out.WriteString(p.indentStr)
	}
}

func lastSelect(q *ast.Query) *ast.Select {
	if n := len(q.Unions); n > 0 {
		return q.Unions[n-1].Select
	}
	return q.Select
}

// selectPart prints ВЫБРАТЬ ... ИМЕЮЩИЕ; withTail adds ДЛЯ ИЗМЕНЕНИЯ and
// ИНДЕКСИРОВАТЬ ПО (a query prints those of its last SELECT at its end).
func (p *printer) selectPart(s *ast.Select, withTail bool) {
	p.kw(token.Select)
	if s.Allowed {
		p.sp(token.Allowed)
	}
	if s.Distinct {
		p.sp(token.Distinct)
	}
	if s.Top != nil {
		p.sp(token.Top)
		p.str(" ")
		p.str(s.Top.Value)
	}
	p.indent++
	for i, f := range s.Fields {
		if i > 0 {
			p.str(",")
		}
		p.newline()
		p.field(f)
	}
	p.indent--
	if s.Into != nil {
		p.newline()
		p.kw(token.Into)
		p.str(" ")
		p.ident(s.Into)
	}
	if len(s.From) > 0 {
		p.clause(token.From)
		for i, src := range s.From {
			if i > 0 {
				p.str(",")
				p.newline()
			}
			p.source(src)
		}
		p.endClause()
	}
	if s.Where != nil {
		p.clause(token.Where)
		p.expr(s.Where, 0)
		p.endClause()
	}
	if len(s.GroupBy) > 0 {
		p.clause(token.Group, token.By)
		p.exprLines(s.GroupBy)
		p.endClause()
	}
	if s.Having != nil {
		p.clause(token.Having)
		p.expr(s.Having, 0)
		p.endClause()
	}
	if withTail {
		p.selectTail(s)
	}
}

func (p *printer) selectTail(s *ast.Select) {
	if s.ForUpdate {
		p.newline()
		p.kw(token.For)
		p.sp(token.Update)
		for i, t := range s.ForUpdateTables {
			if i > 0 {
				p.str(",")
			}
			p.str(" ")
			p.tableName(t)
		}
	}
	if len(s.IndexBy) > 0 {
		p.clause(token.Index, token.By)
		p.exprLines(s.IndexBy)
		p.endClause()
	}
}

func (p *printer) exprLines(list []ast.Expr) {
	for i, x := range list {
		if i > 0 {
			p.str(",")
			p.newline()
		}
		p.expr(x, 0)
	}
}

func (p *printer) field(f *ast.Field) {
	p.expr(f.X, 0)
	if f.Alias != nil {
		p.sp(token.As)
		p.str(" ")
		p.ident(f.Alias)
	}
}

func (p *printer) orderItem(o *ast.OrderItem) {
	p.expr(o.X, 0)
	if o.Hierarchy {
		p.sp(token.HierarchyTotals)
	}
	switch {
	case o.Desc:
		p.sp(token.Desc)
	case o.Dir:
		p.sp(token.Asc)
	}
}

func (p *printer) totals(t *ast.Totals) {
	p.newline()
	p.kw(token.Totals)
	p.indent++
	for i, f := range t.Fields {
		if i > 0 {
			p.str(",")
		}
		p.newline()
		p.field(f)
	}
	p.indent--
	p.clause(token.By)
	for i, item := range t.By {
		if i > 0 {
			p.str(",")
			p.newline()
		}
		p.totalsItem(item)
	}
	p.endClause()
}

func (p *printer) totalsItem(it *ast.TotalsItem) {
	if it.Overall {
		p.kw(token.Overall)
		return
	}
	p.expr(it.X, 0)
	switch {
	case it.OnlyHierarchy:
		p.sp(token.Only)
		p.sp(token.HierarchyTotals)
	case it.Hierarchy:
		p.sp(token.HierarchyTotals)
	}
	if len(it.Periods) > 0 {
		p.sp(token.Periods)
		p.args(it.Periods, 0)
	}
	if it.Alias != nil {
		p.sp(token.As)
		p.str(" ")
		p.ident(it.Alias)
	}
}

// args prints a parenthesised list where elements may be left out (nil),
// as virtual table parameters are: (, Склад = &Склад). unitArg is the index
// of a period unit argument, or -1.
func (p *printer) args(list []ast.Expr, unitArg int) {
	p.str("(")
	for i, x := range list {
		if i > 0 {
			p.str(",")
		}
		if x == nil {
			continue
		}
		if i > 0 {
			p.str(" ")
		}
		if i == unitArg {
			p.periodUnit(x)
		} else {
			p.expr(x, 0)
		}
	}
	p.str(")")
}

func (p *printer) periodUnit(x ast.Expr) {
	if path, ok := x.(*ast.Path); ok && len(path.Parts) == 1 {
		if s, ok := periodUnits.spell(path.Parts[0].Name, p.english); ok {
			p.str(s)
			return
		}
	}
	p.expr(x, 0)
}

// ------------------------------------------------------------------ restriction

func (p *printer) restriction(r *ast.Restriction) {
	first := true
	sep := func() {
		if !first {
			p.newline()
		}
		first = false
	}
	if r.Alias != nil {
		sep()
		p.tableName(r.Alias)
	}
	if len(r.From) > 0 {
		sep()
		p.kw(token.From)
		p.indent++
		p.newline()
		for i, src := range r.From {
			if i > 0 {
				p.str(",")
				p.newline()
			}
			p.source(src)
		}
		p.indent--
	}
	if r.Where != nil {
		sep()
		p.kw(token.Where)
		p.indent++
		p.newline()
		p.expr(r.Where, 0)
		p.indent--
	}
}

// ------------------------------------------------------------------ sources

func (p *printer) source(s ast.Source) {
	switch s := s.(type) {
	case *ast.TableSource:
		p.tableName(s.Name)
		if s.HasParams || len(s.Params) > 0 {
			p.args(s.Params, -1)
		}
		p.alias(s.Alias)
	case *ast.ParamSource:
		p.expr(s.Param, 0)
		p.alias(s.Alias)
	case *ast.SubquerySource:
		p.str("(")
		p.query(s.Query)
		p.str(")")
		p.alias(s.Alias)
	case *ast.JoinSource:
		p.source(s.Left)
		p.indent++
		p.newline()
		switch s.Kind {
		case ast.LeftJoin:
			p.kw(token.Left)
		case ast.RightJoin:
			p.kw(token.Right)
		case ast.FullJoin:
			p.kw(token.Full)
		default:
			p.kw(token.Inner)
		}
		if s.Outer {
			p.sp(token.Outer)
		}
		p.sp(token.Join)
		p.str(" ")
		if _, nested := s.Right.(*ast.JoinSource); nested {
			// The parser reads joins left to right; a join on the right
			// side was written in parentheses and must be again.
			p.str("(")
			p.source(s.Right)
			p.str(")")
		} else {
			p.source(s.Right)
		}
		if s.On != nil {
			p.newline()
			p.kw(token.On)
			p.str(" ")
			p.expr(s.On, 0)
		}
		p.indent--
	}
}

func (p *printer) alias(a *ast.Ident) {
	if a != nil {
		p.sp(token.As)
		p.str(" ")
		p.ident(a)
	}
}

// tableName prints the name of a table: the metadata kind and a register's
// virtual table are the language's words and get translated.
func (p *printer) tableName(path *ast.Path) {
	for i, id := range path.Parts {
		if i > 0 {
			p.str(".")
		}
		name := id.Name
		switch {
		case i == 0:
			if s, ok := metaKinds.spell(name, p.english); ok {
				name = s
			} else {
				name, _ = currentTable.spell(name, p.english)
			}
		case i == 2 && len(path.Parts) == 3 && registers.has(path.Parts[0].Name):
			name, _ = virtualTables.spell(name, p.english)
		}
		p.str(name)
	}
}

// metaPath prints the path of ЗНАЧЕНИЕ(...), ССЫЛКА and types: the metadata
// kind, and ПустаяСсылка at the end, are translated.
func (p *printer) metaPath(path *ast.Path) {
	for i, id := range path.Parts {
		if i > 0 {
			p.str(".")
		}
		name := id.Name
		switch {
		case i == 0:
			name, _ = metaKinds.spell(name, p.english)
		case i == len(path.Parts)-1 && i >= 2:
			name, _ = emptyRef.spell(name, p.english)
		}
		p.str(name)
	}
}

// exprPath prints a field path. Only ТекущаяТаблица and the kind of a table
// used by its full name are translated; anything else is a field and is
// printed as written.
func (p *printer) exprPath(path *ast.Path) {
	translate := false
	if len(path.Parts) >= 2 && metaKinds.has(path.Parts[0].Name) {
		for n := 2; n <= len(path.Parts); n++ {
			if p.tables[canonicalTable(path.Parts[:n])] {
				translate = true
				break
			}
		}
	}
	for i, id := range path.Parts {
		if i > 0 {
			p.str(".")
		}
		name := id.Name
		if i == 0 {
			if translate {
				name, _ = metaKinds.spell(name, p.english)
			} else {
				name, _ = currentTable.spell(name, p.english)
			}
		}
		p.str(name)
	}
}

func canonicalTable(parts []*ast.Ident) string {
	var b strings.Builder
	for i, id := range parts {
		name := id.Name
		if i == 0 {
			name, _ = metaKinds.spell(name, false)
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strings.ToLower(name))
	}
	return b.String()
}

// tableNames collects the full names of tables a tree uses without an alias.
func tableNames(n ast.Node) (m map[string]bool) {
	m = make(map[string]bool)
	add := func(path *ast.Path) {
		if path != nil && len(path.Parts) >= 2 && metaKinds.has(path.Parts[0].Name) {
			m[canonicalTable(path.Parts)] = true
		}
	}
	defer func() {
		// ast.Walk panics on a nil child, which only a tree built by a
		// program can have; such a tree just gets no field translation.
		if recover() != nil {
			return
		}
	}()
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TableSource:
			if n.Alias == nil {
				add(n.Name)
			}
		case *ast.Restriction:
			add(n.Alias)
		}
		return true
	})
	return m
}

func (p *printer) ident(id *ast.Ident) { p.str(id.Name) }

// ------------------------------------------------------------------ expressions

// Precedence levels, loosest first, as the parser reads them.
const (
	precOr = 1 + iota
	precAnd
	precNot
	precCompare // = <> < > <= >=, В, МЕЖДУ, ПОДОБНО, ЕСТЬ NULL, ССЫЛКА
	precAdd
	precMul
	precUnary
	precPrimary
)

func precedence(x ast.Expr) int {
	switch x := x.(type) {
	case *ast.BinaryExpr:
		switch x.Op {
		case token.IDENT:
			if x.Kw == token.Or {
				return precOr
			}
			return precAnd
		case token.PLUS, token.MINUS:
			return precAdd
		case token.STAR, token.SLASH:
			return precMul
		}
		return precCompare
	case *ast.UnaryExpr:
		if x.Not {
			return precNot
		}
		return precUnary
	case *ast.InExpr, *ast.BetweenExpr, *ast.LikeExpr, *ast.IsNullExpr, *ast.RefsExpr:
		return precCompare
	}
	return precPrimary
}

var binaryOps = map[token.Kind]string{
	token.PLUS: "+", token.MINUS: "-", token.STAR: "*", token.SLASH: "/",
	token.EQ: "=", token.NE: "<>", token.LT: "<", token.GT: ">", token.LE: "<=", token.GE: ">=",
}

// expr prints x, in parentheses when it binds looser than min allows.
func (p *printer) expr(x ast.Expr, min int) {
	if x == nil {
		return
	}
	prec := precedence(x)
	if prec < min {
		p.str("(")
		defer p.str(")")
	}
	switch x := x.(type) {
	case *ast.Ident:
		name, _ := currentTable.spell(x.Name, p.english)
		p.str(name)
	case *ast.Path:
		p.exprPath(x)
	case *ast.Literal:
		if x.Kind == token.STRING {
			p.str(quote(x.Value, strings.Repeat(p.indentStr, p.indent)))
		} else {
			p.str(x.Value)
		}
	case *ast.Constant:
		p.kw(x.Value)
	case *ast.Param:
		p.str("&" + x.Name)
	case *ast.Star:
		if x.Qualifier != nil {
			p.exprPath(x.Qualifier)
			p.str(".")
		}
		p.str("*")
	case *ast.ParenExpr:
		p.str("(")
		p.expr(x.X, 0)
		p.str(")")
	case *ast.TupleExpr:
		p.str("(")
		for i, e := range x.List {
			if i > 0 {
				p.str(", ")
			}
			p.expr(e, 0)
		}
		p.str(")")
	case *ast.SubqueryExpr:
		p.str("(")
		p.indent++
		p.query(x.Query)
		p.indent--
		p.str(")")
	case *ast.UnaryExpr:
		if x.Not {
			p.kw(token.Not)
			p.str(" ")
			p.expr(x.X, precNot)
		} else {
			p.str(binaryOps[x.Op])
			p.expr(x.X, precUnary)
		}
	case *ast.BinaryExpr:
		p.expr(x.X, prec)
		p.str(" ")
		if x.Op == token.IDENT {
			p.kw(x.Kw)
		} else {
			p.str(binaryOps[x.Op])
		}
		p.str(" ")
		p.expr(x.Y, prec+1)
	case *ast.InExpr:
		p.expr(x.X, precCompare)
		p.not(x.Not)
		p.sp(token.In)
		if x.Hierarchy {
			p.sp(token.Hierarchy)
		}
		p.str(" ")
		p.expr(x.List, precPrimary)
	case *ast.BetweenExpr:
		p.expr(x.X, precCompare)
		p.not(x.Not)
		p.sp(token.Between)
		p.str(" ")
		p.expr(x.Lo, precAdd)
		p.sp(token.And)
		p.str(" ")
		p.expr(x.Hi, precAdd)
	case *ast.LikeExpr:
		p.expr(x.X, precCompare)
		p.not(x.Not)
		p.sp(token.Like)
		p.str(" ")
		p.expr(x.Pattern, precAdd)
		if x.Escape != nil {
			p.sp(token.Escape)
			p.str(" ")
			p.expr(x.Escape, precAdd)
		}
	case *ast.IsNullExpr:
		p.expr(x.X, precCompare)
		p.sp(token.Is)
		p.not(x.Not)
		p.sp(token.Null)
	case *ast.RefsExpr:
		p.expr(x.X, precCompare)
		p.sp(token.Refs)
		p.str(" ")
		p.metaPath(x.Table)
	case *ast.CaseExpr:
		p.caseExpr(x)
	case *ast.CallExpr:
		name, _ := functions.spell(x.Fun.Name, p.english)
		p.str(name)
		p.str("(")
		if x.Distinct {
			p.kw(token.Distinct)
			if len(x.Args) > 0 {
				p.str(" ")
			}
		}
		unit, ok := periodArg[strings.ToLower(x.Fun.Name)]
		if !ok {
			unit = -1
		}
		for i, a := range x.Args {
			if i > 0 {
				p.str(", ")
			}
			if i == unit {
				p.periodUnit(a)
			} else {
				p.expr(a, 0)
			}
		}
		p.str(")")
	case *ast.ValueExpr:
		p.str(p.special("ЗНАЧЕНИЕ", "VALUE"))
		p.str("(")
		p.metaPath(x.Name)
		p.str(")")
	case *ast.TypeExpr:
		p.str(p.special("ТИП", "TYPE"))
		p.str("(")
		p.typeRef(x.Type)
		p.str(")")
	case *ast.CastExpr:
		p.str(p.special("ВЫРАЗИТЬ", "CAST"))
		p.str("(")
		p.expr(x.X, 0)
		p.sp(token.As)
		p.str(" ")
		p.typeRef(x.Type)
		p.str(")")
	case *ast.FieldAccess:
		p.expr(x.X, 0)
		for _, f := range x.Fields {
			p.str(".")
			p.ident(f)
		}
	case *ast.NestedFields:
		p.exprPath(x.Table)
		p.str(".(")
		for i, f := range x.Fields {
			if i > 0 {
				p.str(", ")
			}
			p.field(f)
		}
		p.str(")")
	}
}

func (p *printer) special(ru, en string) string {
	if p.english {
		return en
	}
	return ru
}

func (p *printer) not(not bool) {
	if not {
		p.sp(token.Not)
	}
}

// caseExpr prints ВЫБОР over several lines, as the 1C designer does, with
// its branches one level deeper than the line it starts on.
func (p *printer) caseExpr(c *ast.CaseExpr) {
	p.kw(token.Case)
	if c.Operand != nil {
		p.str(" ")
		p.expr(c.Operand, 0)
	}
	p.indent++
	for _, w := range c.Whens {
		p.newline()
		p.kw(token.When)
		p.str(" ")
		p.expr(w.Cond, 0)
		p.indent++
		p.newline()
		p.kw(token.Then)
		p.str(" ")
		p.expr(w.Result, 0)
		p.indent--
	}
	if c.Else != nil {
		p.newline()
		p.kw(token.Else)
		p.str(" ")
		p.expr(c.Else, 0)
	}
	p.indent--
	p.newline()
	p.kw(token.End)
}

func (p *printer) typeRef(t *ast.TypeRef) {
	if len(t.Name.Parts) == 1 {
		name, _ := primitiveTypes.spell(t.Name.Parts[0].Name, p.english)
		p.str(name)
	} else {
		p.metaPath(t.Name)
	}
	if len(t.Args) > 0 {
		p.str("(")
		for i, a := range t.Args {
			if i > 0 {
				p.str(", ")
			}
			p.str(a.Value)
		}
		p.str(")")
	}
}

// quote writes a string literal: quotes doubled, and after every line break
// the indentation and a '|', as 1C writes texts in modules. The lexer drops
// the blanks and '|' that start a continuation line, so the value comes
// back intact, even a line of it that starts with '|' or blanks.
func quote(s, indent string) string {
	s = strings.ReplaceAll(s, `"`, `""`)
	s = strings.ReplaceAll(s, "\n", "\n"+indent+"|")
	return `"` + s + `"`
}

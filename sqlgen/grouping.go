package sqlgen

import (
	"strings"

	"dostup/sdbl/ast"
	"dostup/sdbl/printer"
)

// Grouping. In a SELECT that groups (СГРУППИРОВАТЬ ПО, or an aggregate
// function in its fields), every field, ИМЕЮЩИЕ and УПОРЯДОЧИТЬ ПО reads
// values of the groups only: a grouped expression, an aggregate, a
// constant. SQLite would return any row's value for anything else and
// PostgreSQL would refuse the statement; 1C refuses the query, and so does
// the compiler, at the field's place. A field read through a grouped
// reference (Контрагент.Наименование when grouping by Контрагент) has one
// value per group, as in 1C: it is grouped by as well.

// aggregates are the aggregate functions, by upper-case name.
var aggregates = map[string]bool{"КОЛИЧЕСТВО": true, "COUNT": true, "СУММА": true, "SUM": true, "МАКСИМУМ": true, "MAX": true,
	"МИНИМУМ": true, "MIN": true, "СРЕДНЕЕ": true, "AVG": true}

func isAggregate(x ast.Expr) bool {
	c, ok := x.(*ast.CallExpr)
	return ok && aggregates[strings.ToUpper(c.Fun.Name)]
}

// hasAggregate reports an aggregate call in x outside nested queries.
func hasAggregate(x ast.Expr) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SubqueryExpr:
			return false
		case ast.Expr:
			if isAggregate(n) {
				found = true
			}
		}
		return !found
	})
	return found
}

// grouping is what a grouping SELECT groups by.
type grouping struct {
	printed map[string]bool // the GROUP BY items as written
	sql     map[string]bool // the SQL of the items and of what they bring (presentations)
	extra   []string        // SQL grouped by for fields read through grouped references
}

// checkGrouping checks the fields, ИМЕЮЩИЕ and УПОРЯДОЧИТЬ ПО of a
// grouping SELECT; parts is the SQL of its GROUP BY, presOf the
// presentations of its reference fields. It returns what GROUP BY must add.
func (g *gen) checkGrouping(s *ast.Select, fields []*ast.Field, q *ast.Query, cols []ResultColumn, parts []string, presOf map[string]string, sc *scope) []string {
	if len(g.st.errs) > 0 {
		return nil // the fields did not compile: nothing to add to
	}
	groups := len(s.GroupBy) > 0
	for _, f := range fields {
		groups = groups || hasAggregate(f.X)
	}
	if s.Having != nil {
		groups = groups || hasAggregate(s.Having)
	}
	if !groups {
		return nil
	}
	gr := &grouping{printed: map[string]bool{}, sql: map[string]bool{}}
	for _, x := range s.GroupBy {
		gr.printed[printer.Expr(x, false)] = true
	}
	for _, p := range parts {
		gr.sql[p] = true
	}
	for _, x := range s.GroupBy {
		if p, ok := x.(*ast.Path); ok {
			gr.sql[g.expr(p, sc).sql] = true
		}
	}
	for _, f := range fields {
		g.grouped(f.X, gr, presOf, sc)
	}
	if s.Having != nil {
		g.grouped(s.Having, gr, presOf, sc)
	}
	if q != nil {
		for _, o := range q.OrderBy {
			if p, ok := o.X.(*ast.Path); ok && len(p.Parts) == 1 && resultName(cols, p.Parts[0].Name) {
				continue
			}
			g.grouped(o.X, gr, presOf, sc)
		}
	}
	return gr.extra
}

func resultName(cols []ResultColumn, name string) bool {
	for _, c := range cols {
		if strings.EqualFold(c.Name, name) {
			return true
		}
	}
	return false
}

// grouped checks that x reads values of the groups only.
func (g *gen) grouped(x ast.Expr, gr *grouping, presOf map[string]string, sc *scope) {
	if x == nil || gr.printed[printer.Expr(x, false)] {
		return
	}
	switch e := x.(type) {
	case *ast.Literal, *ast.Constant, *ast.Param, *ast.ValueExpr, *ast.TypeExpr, *ast.SubqueryExpr, *ast.Star:
		return
	case *ast.CallExpr:
		if isAggregate(e) {
			return
		}
		skip := periodArg(e)
		for i, a := range e.Args {
			if i != skip {
				g.grouped(a, gr, presOf, sc)
			}
		}
		return
	case *ast.Path:
		g.groupedPath(e, gr, presOf, sc)
		return
	case *ast.FieldAccess, *ast.CastExpr, *ast.NestedFields:
		return // ВЫРАЗИТЬ and sections: left to the database
	}
	ast.Inspect(x, func(n ast.Node) bool {
		if n == x {
			return true
		}
		if sub, ok := n.(ast.Expr); ok {
			g.grouped(sub, gr, presOf, sc)
			return false
		}
		return true
	})
}

// groupedPath checks a field: grouped itself, a field of a row whose key is
// grouped, or read through a grouped reference (then grouped by too).
func (g *gen) groupedPath(p *ast.Path, gr *grouping, presOf map[string]string, sc *scope) {
	v := g.expr(p, sc)
	if v.from == nil || gr.sql[v.sql] || v.comp && gr.sql[v.tag] {
		return
	}
	if v.from.virt == nil {
		if t := v.from.table(); len(t.PrimaryKey) == 1 && gr.sql[v.from.sql+"."+g.c.Dialect.Quote(t.PrimaryKey[0])] {
			return // the row's key is grouped: one row per group
		}
	}
	for o := v.from; o != nil && o.via != ""; o = o.parent {
		if gr.sql[o.via] {
			gr.add(v.sql)
			if pres, ok := presOf[v.sql]; ok {
				gr.add(pres)
			}
			return
		}
	}
	g.errorf(p, "%s is neither grouped (СГРУППИРОВАТЬ ПО) nor inside an aggregate function (СУММА, КОЛИЧЕСТВО, МАКСИМУМ, МИНИМУМ, СРЕДНЕЕ)", p)
}

func (gr *grouping) add(sql string) {
	if !gr.sql[sql] {
		gr.sql[sql] = true
		gr.extra = append(gr.extra, sql)
	}
}

// periodArg is the index of the argument naming a period (МЕСЯЦ in
// НАЧАЛОПЕРИОДА(Дата, МЕСЯЦ)), a word rather than a value to group by; -1
// for other functions.
func periodArg(c *ast.CallExpr) int {
	switch strings.ToUpper(c.Fun.Name) {
	case "НАЧАЛОПЕРИОДА", "BEGINOFPERIOD", "КОНЕЦПЕРИОДА", "ENDOFPERIOD", "ДОБАВИТЬКДАТЕ", "DATEADD":
		return 1
	case "РАЗНОСТЬДАТ", "DATEDIFF":
		return 2
	}
	return -1
}

package sqlgen

import (
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
)

// rowIn compiles (А, Б) В (ВЫБРАТЬ Х, У ...): whether a row of the nested
// query equals the values, each to its column. 1C compiles it as EXISTS
// over equalities (SQL Server has no row values), so НЕ В is НЕ EXISTS and
// a NULL matches nothing, and so does this; EXISTS also lets a composite
// value be compared by its type tag and parts.
func (g *gen) rowIn(x *ast.InExpr, tuple *ast.TupleExpr, sc *scope) val {
	boolean := metadata.Type{{Primitive: metadata.Boolean}}
	list, ok := x.List.(*ast.SubqueryExpr)
	if !ok || x.Hierarchy {
		g.errorf(x, "several values in parentheses take В (IN) of a nested query only: (А, Б) В (ВЫБРАТЬ Х, У ИЗ ...)")
		return val{sql: "FALSE", typ: boolean}
	}
	left := make([]val, len(tuple.List))
	for i, e := range tuple.List {
		left[i] = g.expr(e, sc)
	}
	sub, cols := g.nested(list.Query, sc)
	if len(cols) != len(left) {
		g.errorf(list, "the nested query gives %d fields for %d values in parentheses", len(cols), len(left))
		return val{sql: "FALSE", typ: boolean}
	}
	alias := g.alias("r")
	conds := make([]string, len(left))
	for i, l := range left {
		conds[i] = g.equalsColumn(l, cols[i], alias)
	}
	not := ""
	if x.Not {
		not = "NOT "
	}
	return val{sql: "(" + not + "EXISTS (SELECT 1 FROM (" + sub + ") " + alias + " WHERE " + strings.Join(conds, " AND ") + "))", typ: boolean}
}

// equalsColumn is SQL true where the value v equals the column c of the
// derived table alias (a nested query's, whose columns are named).
func (g *gen) equalsColumn(v val, c ResultColumn, alias string) string {
	q := func(name string) string { return alias + "." + g.c.Dialect.Quote(name) }
	if c.tagColumn == "" {
		if v.comp {
			// A composite against a column of one type: its part of that
			// kind, where its tag names the column's type.
			if len(c.Type) == 1 {
				if p, ok := v.parts[partKind(c.Type[0])]; ok {
					return "(" + v.tag + " = " + g.c.Dialect.Cast(g.bind(Arg{Value: TypeTag(c.Type[0])}), ColumnType{Kind: Text}) + " AND " + p + " = " + q(c.column) + ")"
				}
			}
			return "(" + v.sql + " = " + q(c.column) + ")"
		}
		return "(" + v.sql + " = " + q(c.column) + ")"
	}
	if !v.comp {
		if len(v.typ) != 1 {
			// A value whose type only the row knows (a parameter):
			// references are unique across types, so its reference part.
			if p, ok := c.partColumns["ref"]; ok {
				return "(" + v.sql + " = " + q(p) + ")"
			}
			return "FALSE"
		}
		p, ok := c.partColumns[partKind(v.typ[0])]
		if !ok {
			return "FALSE"
		}
		return "(" + q(c.tagColumn) + " = " + g.c.Dialect.Cast(g.bind(Arg{Value: TypeTag(v.typ[0])}), ColumnType{Kind: Text}) + " AND " + q(p) + " = " + v.sql + ")"
	}
	// Two composites: the same type, and the same value of its kind.
	var parts []string
	for _, kind := range compositeKinds {
		vp, ok1 := v.parts[kind]
		cp, ok2 := c.partColumns[kind]
		if ok1 && ok2 {
			parts = append(parts, "("+vp+" = "+q(cp)+")")
		}
	}
	if len(parts) == 0 {
		return "FALSE"
	}
	return "(" + v.tag + " = " + q(c.tagColumn) + " AND (" + strings.Join(parts, " OR ") + "))"
}

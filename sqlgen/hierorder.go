package sqlgen

import (
	"fmt"
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
)

// hierarchyOrder compiles УПОРЯДОЧИТЬ ПО Поле ИЕРАРХИЯ: rows ordered as
// the tree of the hierarchical table the reference points into, each group
// before its items and subgroups, siblings by their presentation, as 1C
// orders them. The key of a row is the path from the root to its
// reference: each level's presentation and id, levels apart by a
// character that sorts before every other, so a group's path is a prefix
// of its items' and sorts first. A name of the result's fields stands for
// its expression.
func (g *gen) hierarchyOrder(o *ast.OrderItem, q *ast.Query, sc *scope) string {
	if len(q.Unions) > 0 || q.Select.Distinct {
		g.errorf(o.X, "УПОРЯДОЧИТЬ ПО ... ИЕРАРХИЯ (HIERARCHY) of a query with ОБЪЕДИНИТЬ or РАЗЛИЧНЫЕ is not supported yet: put the query in a temporary table and order that")
		return "1"
	}
	if o.Desc {
		g.errorf(o.X, "УПОРЯДОЧИТЬ ПО ... ИЕРАРХИЯ УБЫВ (HIERARCHY DESC) is not supported yet")
	}
	x := o.X
	if p, ok := x.(*ast.Path); ok && len(p.Parts) == 1 {
		for _, f := range q.Select.Fields {
			if f.Alias != nil && strings.EqualFold(f.Alias.Name, p.Parts[0].Name) {
				x = f.X
			}
		}
	}
	v := g.expr(x, sc)
	if v.comp || len(v.typ) != 1 || v.typ[0].Primitive != metadata.Ref || v.typ[0].Object == "" {
		g.errorf(o.X, "УПОРЯДОЧИТЬ ПО ... ИЕРАРХИЯ (HIERARCHY) orders a reference to one hierarchical table")
		return "1"
	}
	obj := g.c.Config.Object(v.typ[0].Object)
	om := g.c.Schema.Object(g.c.Config, v.typ[0].Object)
	parent, ok := om.Fields["родитель"]
	if !ok || parent.Column == "" || obj == nil || !obj.Hierarchical {
		g.errorf(o.X, "УПОРЯДОЧИТЬ ПО ... ИЕРАРХИЯ (HIERARCHY) needs a reference to a hierarchical table; %s is not one", v.typ[0].Object)
		return "1"
	}
	return g.c.Dialect.Order(g.hierarchyPath(om, parent.Column, v.sql), false)
}

// hierarchyPath is the tree-order key of the reference ref into the
// hierarchical table of om (parent its Родитель column): the path from the
// root, each level's presentation and id, levels apart by \x01 and the
// parts of a level by \x02, so that a group's key is a prefix of its
// items' keys and sorts first; compared by code points (BinaryText).
func (g *gen) hierarchyPath(om *ObjectMap, parent, ref string) string {
	d := g.c.Dialect
	qt := d.Quote
	pres := presentationColumn(om)
	if pres == "" {
		pres = "_id"
	}
	text := func(alias string) string {
		return d.Cast(alias+"."+qt(pres), ColumnType{Kind: Text}) + " || " + d.Cast(g.bind(Arg{Value: "\x02"}), ColumnType{Kind: Text}) +
			" || " + d.Cast(alias+"."+qt("_id"), ColumnType{Kind: Text})
	}
	h, c, p := g.alias("h"), g.alias("c"), g.alias("c")
	table := qt(om.Table.Name)
	// Up from the row to the root, prefixing each ancestor's level; the
	// longest path is the whole one.
	key := fmt.Sprintf("(WITH RECURSIVE %s(id, parent, path) AS (SELECT %s.%s, %s.%s, %s FROM %s %s WHERE %s.%s = %s"+
		" UNION ALL SELECT %s.%s, %s.%s, %s || %s || %s.path FROM %s %s JOIN %s ON %s.%s = %s.parent)"+
		" SELECT path FROM %s ORDER BY LENGTH(path) DESC LIMIT 1)",
		h, c, qt("_id"), c, qt(parent), text(c), table, c, c, qt("_id"), ref,
		p, qt("_id"), p, qt(parent), text(p), d.Cast(g.bind(Arg{Value: "\x01"}), ColumnType{Kind: Text}), h, table, p, h, p, qt("_id"), h, h)
	return d.BinaryText(key)
}

package sqlgen

import (
	"fmt"
	"strconv"
	"strings"

	"dostup/sdbl/ast"
	"dostup/sdbl/printer"
)

// query compiles a whole query: its result columns carry the
// presentations of references, unless it fills a temporary table.
func (g *gen) query(q *ast.Query) *Statement {
	sqlText, cols := g.compound(q, q.Select.Into == nil)
	s := &Statement{SQL: sqlText, Columns: cols}
	if q.Totals != nil {
		g.totals(q, s) // totals.go: the tree of totals over the detail query
	}
	return s
}

// compound compiles what a whole query and a nested one share: the first
// SELECT, which names the result's columns as in 1C, the parts of
// ОБЪЕДИНИТЬ, each of which must give as many columns, then УПОРЯДОЧИТЬ ПО
// and ПЕРВЫЕ. Where the parts' values of a column differ in shape, the
// query is compiled again with a layout for that column (union.go).
func (g *gen) compound(q *ast.Query, presentations bool) (string, []ResultColumn) {
	if len(q.Unions) == 0 {
		sqlText, cols, _ := g.compoundWith(q, presentations, nil)
		return sqlText, cols
	}
	start := g.st.mark()
	sqlText, cols, parts := g.compoundWith(q, presentations, nil)
	layouts := g.unionLayouts(parts, presentations)
	if layouts == nil {
		return sqlText, cols
	}
	g.st.reset(start)
	sqlText, cols, _ = g.compoundWith(q, presentations, layouts)
	return sqlText, cols
}

// compoundWith compiles the query with the given column layouts and
// returns, beside the SQL and the result's columns, each part's columns as
// it gave them.
func (g *gen) compoundWith(q *ast.Query, presentations bool, layouts map[int]*columnLayout) (string, []ResultColumn, [][]ResultColumn) {
	sqlText, order, cols := g.selectSQLWith(q.Select, presentations, q, layouts)
	parts := [][]ResultColumn{append([]ResultColumn(nil), cols...)}
	var b strings.Builder
	union := len(q.Unions) > 0
	b.WriteString(g.unionPart(sqlText, q.Select, union))
	g.countUnion(q)
	for _, u := range q.Unions {
		part, _, ucols := g.selectSQLWith(u.Select, presentations, nil, layouts)
		parts = append(parts, ucols)
		switch {
		case len(ucols) != len(cols):
			g.errorf(u, "this part of ОБЪЕДИНИТЬ (UNION) gives %d fields, the first part %d", len(ucols), len(cols))
		case Width(ucols) != Width(cols):
			for i := range cols {
				if cols[i].Width() != ucols[i].Width() {
					g.errorf(u, "field %d of this part of ОБЪЕДИНИТЬ (UNION) is %s, and the first part's (%s) is %s: these types cannot stand in one column; make them agree with ВЫРАЗИТЬ",
						i+1, typeText(ucols[i].Type), cols[i].Name, typeText(cols[i].Type))
					break
				}
			}
		}
		for i := range cols {
			if i < len(ucols) && cols[i].Type == nil {
				cols[i].Type = ucols[i].Type
			}
		}
		if u.All {
			b.WriteString(" UNION ALL ")
		} else {
			b.WriteString(" UNION ")
		}
		b.WriteString(g.unionPart(part, u.Select, true))
	}
	b.WriteString(order)
	if q.Select.Top != nil && !union {
		b.WriteString(" LIMIT " + q.Select.Top.Value)
	}
	return b.String(), cols, parts
}

// unionPart is a SELECT as a part of ОБЪЕДИНИТЬ: its ПЕРВЫЕ limits that
// part alone, as in 1C, so a part with one stands as a derived table with
// its LIMIT (SQL puts a LIMIT only at the end of the whole union).
func (g *gen) unionPart(sqlText string, s *ast.Select, union bool) string {
	if !union || s.Top == nil {
		return sqlText
	}
	return "SELECT * FROM (" + sqlText + " LIMIT " + s.Top.Value + ") " + g.alias("p")
}

// orderBy compiles УПОРЯДОЧИТЬ ПО of a query whose first SELECT has just
// bound its sources (sc) and fields (cols): before that SELECT's FROM is
// printed, because ordering by a field read through a reference
// (Контрагент.ИНН) joins the reference's table there.
func (g *gen) orderBy(q *ast.Query, cols []ResultColumn, sc *scope) string {
	if q == nil || len(q.OrderBy) == 0 {
		return ""
	}
	parts := make([]string, len(q.OrderBy))
	for i, o := range q.OrderBy {
		parts[i] = g.orderItem(o, q, cols, sc)
	}
	return " ORDER BY " + strings.Join(parts, ", ")
}

// orderItem resolves an item of УПОРЯДОЧИТЬ ПО: a field alias of the result
// first, as 1C does, else an expression over the sources. A union and
// РАЗЛИЧНЫЕ order by fields of the result only (the databases sort the
// rows they return, not the tables they read): an item written as one of
// the first SELECT's fields orders by that field, any other is an error at
// its place.
func (g *gen) orderItem(o *ast.OrderItem, q *ast.Query, cols []ResultColumn, sc *scope) string {
	if o.Hierarchy {
		return g.hierarchyOrder(o, q, sc)
	}
	pos := 0
	if p, ok := o.X.(*ast.Path); ok && len(p.Parts) == 1 {
		for i, c := range cols {
			if strings.EqualFold(c.Name, p.Parts[0].Name) {
				pos = columnOrder(cols, i)
				break
			}
		}
	}
	if pos == 0 && (len(q.Unions) > 0 || q.Select.Distinct) && !hasStar(q.Select) {
		if i := fieldIndex(q.Select, o.X); i >= 0 && i < len(cols) {
			pos = columnOrder(cols, i)
		}
	}
	if pos > 0 {
		return g.c.Dialect.Order(strconv.Itoa(pos), o.Desc)
	}
	switch {
	case len(q.Unions) > 0:
		g.errorf(o.X, "УПОРЯДОЧИТЬ ПО (ORDER BY) of a query with ОБЪЕДИНИТЬ (UNION) takes fields of its result: name %s with КАК in the first ВЫБРАТЬ and order by that name", printer.Expr(o.X, false))
		return "1"
	case q.Select.Distinct:
		g.errorf(o.X, "УПОРЯДОЧИТЬ ПО (ORDER BY) of ВЫБРАТЬ РАЗЛИЧНЫЕ (SELECT DISTINCT) takes fields of its result: add %s to the fields", printer.Expr(o.X, false))
		return "1"
	}
	return g.c.Dialect.Order(g.expr(o.X, sc).sql, o.Desc)
}

// hasStar reports whether a SELECT lists * or Т.*: its fields then stand
// elsewhere in the result than in the text.
func hasStar(s *ast.Select) bool {
	for _, f := range s.Fields {
		if _, ok := f.X.(*ast.Star); ok {
			return true
		}
	}
	return false
}

// selectSQLWith compiles a SELECT; presentations adds the presentation of
// reference fields, which a nested query and a temporary table must not
// (their columns are named c1, c2 ... for the query that reads them). q,
// when s is its first SELECT, is the query whose УПОРЯДОЧИТЬ ПО is compiled
// with it (orderBy) and returned apart, to follow the query's unions.
// layouts, for a part of a union, shape the columns its parts disagree on.
func (g *gen) selectSQLWith(s *ast.Select, presentations bool, q *ast.Query, layouts map[int]*columnLayout) (sqlText, order string, cols []ResultColumn) {
	start := g.st.mark()
	sqlText, order, cols, sc := g.selectSQLOnce(s, presentations, q, layouts)
	if presentations && !g.st.subqueryPresentations && g.tablesOf(sc) > maxTables {
		// Too many joins, the presentations' among them: compiled again
		// with the presentations read by subqueries, which count against
		// no SELECT's joins.
		g.st.reset(start)
		g.st.subqueryPresentations = true
		sqlText, order, cols, sc = g.selectSQLOnce(s, presentations, q, layouts)
		g.st.subqueryPresentations = false
	}
	g.countTables(s, sc)
	return sqlText, order, cols
}

// selectSQLOnce is selectSQLWith's one pass, returning the SELECT's scope
// beside what selectSQLWith returns.
func (g *gen) selectSQLOnce(s *ast.Select, presentations bool, q *ast.Query, layouts map[int]*columnLayout) (sqlText, order string, cols []ResultColumn, sc *scope) {
	sc = &scope{parent: g.outer}
	for _, src := range s.From {
		g.from(src, sc, "", "")
	}
	g.place(sc)
	var fields []string
	presOf := map[string]string{} // a reference field's SQL → its presentation's
	expanded := g.expandStars(s.Fields, sc)
	for i, f := range expanded {
		fsc := sc
		if table, ok := g.st.inSection[f.X]; ok {
			fsc = g.sectionScope(table, sc)
		}
		v := g.expr(f.X, fsc)
		lay := layouts[i]
		presents := true // whether the value may hold a reference to present
		if lay != nil && lay.composite {
			_, refPart := v.parts["ref"]
			presents = v.comp && refPart || len(v.typ) == 1 && partKind(v.typ[0]) == "ref"
			v = g.conform(v, lay)
		}
		name := fmt.Sprintf("Поле%d", i+1)
		if f.Alias != nil {
			name = f.Alias.Name
		} else if p, ok := f.X.(*ast.Path); ok {
			name = autoName(p, sc)
		}
		col := ResultColumn{Name: name, Type: v.typ}
		if v.comp && !presentations {
			// A composite kept by a nested query or temporary table: its
			// tag and parts under names of their own, read back as a
			// composite field.
			n := len(cols) + 1
			col.tagColumn = fmt.Sprintf("c%d", n)
			col.partColumns = map[string]string{}
			fields = append(fields, v.tag+" AS "+g.c.Dialect.Quote(col.tagColumn))
			for _, kind := range compositeKinds {
				if p, ok := v.parts[kind]; ok {
					pc := fmt.Sprintf("c%d_%s", n, kind)
					col.partColumns[kind] = pc
					col.Composite = append(col.Composite, kind)
					fields = append(fields, p+" AS "+g.c.Dialect.Quote(pc))
				}
			}
			cols = append(cols, col)
			continue
		}
		if v.comp {
			// A composite value: its tag, a column per kind of value, and
			// the presentation of whichever reference it holds.
			fields = append(fields, v.tag)
			for _, kind := range compositeKinds {
				if p, ok := v.parts[kind]; ok {
					fields = append(fields, p)
					col.Composite = append(col.Composite, kind)
				}
			}
			pres, ok := "", false
			if presents {
				pres, ok = g.compositePresentation(v)
			}
			if ok && (lay == nil || lay.presentation) {
				fields = append(fields, pres)
				col.Presentation = true
				presOf[v.tag] = pres
			} else if lay != nil && lay.presentation {
				fields = append(fields, g.c.Dialect.Cast("NULL", ColumnType{Kind: Text}))
				col.Presentation = true
			}
			cols = append(cols, col)
			continue
		}
		if lay != nil && v.sql == "NULL" && len(lay.typ) == 1 {
			// NULL in a column of one type: typed as the other parts' are.
			v.sql = g.c.Dialect.Cast("NULL", columnType(lay.typ[0]))
		}
		if !presentations {
			col.column = fmt.Sprintf("c%d", len(cols)+1)
			fields = append(fields, v.sql+" AS "+g.c.Dialect.Quote(col.column))
		} else {
			fields = append(fields, v.sql)
			pres, ok := g.presentation(v, f.X, sc)
			if !ok && lay != nil && lay.presentation {
				pres, ok = g.layoutPresentation(v), true
			}
			if ok && (lay == nil || lay.presentation) {
				col.Presentation = true
				fields = append(fields, pres)
				presOf[v.sql] = pres
			}
		}
		cols = append(cols, col)
	}
	where := ""
	if s.Where != nil {
		where = g.cond(s.Where, sc)
	}
	var parts []string // of GROUP BY
	if len(s.GroupBy) > 0 {
		for _, x := range s.GroupBy {
			// An expression that is also a field of the result groups by the
			// field's position: compiled twice it would bind its values
			// twice, and PostgreSQL would not see the two as one expression.
			if pos := fieldPosition(s, x, cols); pos > 0 {
				parts = append(parts, strconv.Itoa(pos))
				if cols[fieldIndex(s, x)].Presentation {
					parts = append(parts, strconv.Itoa(pos+1))
				}
				continue
			}
			v := g.expr(x, sc)
			if v.comp {
				// A composite groups by its tag and every part, as the
				// result reads them all.
				parts = append(parts, v.tag)
				for _, kind := range compositeKinds {
					if p, ok := v.parts[kind]; ok {
						parts = append(parts, p)
					}
				}
				if pres, ok := presOf[v.tag]; ok {
					parts = append(parts, pres)
				}
				continue
			}
			parts = append(parts, v.sql)
			// A grouped reference brings its presentation into the result;
			// it must be grouped too (PostgreSQL insists).
			if pres, ok := presOf[v.sql]; ok {
				parts = append(parts, pres)
			}
		}
	}
	having := ""
	if s.Having != nil {
		having = " HAVING " + g.cond(s.Having, sc)
	}
	order = g.orderBy(q, cols, sc)
	parts = append(parts, g.checkGrouping(s, expanded, q, cols, parts, presOf, sc)...)
	group := ""
	if len(parts) > 0 {
		group = " GROUP BY " + strings.Join(parts, ", ")
	}
	g.countColumns(expanded, cols)
	var b strings.Builder
	b.WriteString("SELECT ")
	if s.Distinct {
		b.WriteString("DISTINCT ")
	}
	b.WriteString(strings.Join(fields, ", "))
	if len(sc.joins) > 0 {
		from := g.renderFrom(sc)
		b.WriteString(" FROM " + from)
		var roots, filtered []*tableOccurrence
		for _, j := range sc.joins {
			roots = append(roots, j.src)
			if !j.src.nullable && !j.src.derived {
				filtered = append(filtered, j.src)
			}
		}
		g.addProbe(roots, from, where)
		b.WriteString(g.filterClause(where, filtered))
	} else if where != "" {
		b.WriteString(" WHERE " + where)
	}
	b.WriteString(group + having)
	return b.String(), order, cols, sc
}

// nested compiles a nested query (in ИЗ or В): its columns are named c1,
// c2 ... and carry no presentations; unions, order and ПЕРВЫЕ apply as in a
// whole query.
func (g *gen) nested(q *ast.Query, sc *scope) (string, []ResultColumn) {
	if q.Totals != nil {
		g.errorf(q.Totals, "ИТОГИ (TOTALS) ends a whole query only, not a nested one: 1C refuses it here")
	}
	inner := g.sub()
	inner.outer = nil
	if g.restriction {
		// Restrictions' nested queries read the record being checked
		// (ТекущаяТаблица.Ссылка); a query's may not, as in 1C.
		inner.outer = sc
	}
	sqlText, cols := inner.compound(q, false)
	if len(q.Unions) > 0 {
		// A union must stand as a whole where one SELECT would.
		sqlText = "SELECT * FROM (" + sqlText + ") " + g.alias("u")
	}
	return sqlText, cols
}

// fieldIndex returns the index of the SELECT field whose expression is x as
// written (printed alike), or -1.
func fieldIndex(s *ast.Select, x ast.Expr) int {
	want := printer.Expr(x, false)
	for i, f := range s.Fields {
		if printer.Expr(f.X, false) == want {
			return i
		}
	}
	return -1
}

// fieldPosition is the 1-based SQL column of the SELECT field that is x,
// or 0; only expressions that are not plain field paths need it.
func fieldPosition(s *ast.Select, x ast.Expr, cols []ResultColumn) int {
	if _, ok := x.(*ast.Path); ok {
		return 0
	}
	i := fieldIndex(s, x)
	if i < 0 || i >= len(cols) {
		return 0
	}
	return Width(cols[:i]) + 1
}

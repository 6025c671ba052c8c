package sqlgen

import (
	"fmt"
	"strconv"
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
	"dostup/sdbl/printer"
	"dostup/sdbl/token"
)

// ИТОГИ ... ПО (TOTALS ... BY). 1C returns the rows of a query with totals
// as a tree read in direct order (ОбходРезультатаЗапроса.Прямой): the
// overall total (ОБЩИЕ) first, then for each value of the first grouping
// its total, the totals of the next grouping within it, and so on down to
// the detail records under the last grouping. Each row tells its kind
// (ТипЗаписи) and the grouping it totals.
//
// The statement is built around the query as compiled without ИТОГИ, the
// detail query, which is compiled once and holds the marks of record-level
// security like any other: every total is an aggregate over its rows, so
// the totals count only what the session may read (with РАЗРЕШЕННЫЕ) or
// what the access checks allowed. The detail query stands as a CTE; the
// totals of each grouping level are a GROUP BY over it, all levels joined
// by UNION ALL with the detail rows, and one ORDER BY puts them in tree
// order:
//
//	WITH d(c1, ..., cW) AS (detail query),
//	  n AS (SELECT d.*, ROW_NUMBER() OVER (ORDER BY ...) AS rn FROM d),
//	  u AS (detail rows UNION ALL overall total UNION ALL level 1 ... ),
//	  w AS (SELECT u.*, sort values of total rows FROM u)
//	SELECT v1, ..., vW, rt, gi FROM w ORDER BY tree order
//
// Each row of u carries its level (lvl: 0 the overall total, 1..n the
// groupings, n+1 the detail rows) and the keys of every grouping above and
// at its level (NULL below it). The tree order sorts, level by level, the
// rows above the level first (lvl < i), then by the query's УПОРЯДОЧИТЬ ПО
// items as the level's total rows hold them (a window over the rows of one
// group of the level, so the rows below a total sort with it), then by the
// grouping value; the detail rows, last, by their number in the order of
// УПОРЯДОЧИТЬ ПО.
//
// A grouping with ИЕРАРХИЯ adds, for each value, the totals of the groups
// above it in its hierarchical table (ИтогПоИерархии): a CTE of each
// value's ancestors (a recursive query up Родитель) joined to the detail
// rows, grouped by the ancestor. Rows of such a level sort by the path key
// of their value (hierarchyPath), of which a group's is a prefix of its
// members', so each group comes before what it holds.

// RecordType is the kind of a row of a query with ИТОГИ: 1C's
// ТипЗаписиЗапроса, what Выборка.ТипЗаписи() returns.
type RecordType int

// The record types, with 1C's names.
const (
	DetailRecord   RecordType = iota // ДетальнаяЗапись: a row of the query itself
	GroupTotal                       // ИтогПоГруппировке: the total of one value of a grouping
	HierarchyTotal                   // ИтогПоИерархии: the total of a folder of a hierarchical catalog
	OverallTotal                     // ОбщийИтог: the total of the whole result (ОБЩИЕ)
)

// String is the type's 1C name (ТипЗаписиЗапроса.ИтогПоГруппировке ...).
func (t RecordType) String() string {
	switch t {
	case GroupTotal:
		return "ИтогПоГруппировке"
	case HierarchyTotal:
		return "ИтогПоИерархии"
	case OverallTotal:
		return "ОбщийИтог"
	}
	return "ДетальнаяЗапись"
}

// English is the type's name in 1C's English script variant
// (QueryRecordType.GroupTotal ...).
func (t RecordType) English() string {
	switch t {
	case GroupTotal:
		return "GroupTotal"
	case HierarchyTotal:
		return "TotalByHierarchy"
	case OverallTotal:
		return "Overall"
	}
	return "DetailRecord"
}

// periodUnits are the units of ПЕРИОДАМИ the dialects truncate dates to.
var periodUnits = map[string]string{
	"ДЕНЬ": "day", "DAY": "day", "НЕДЕЛЯ": "week", "WEEK": "week", "МЕСЯЦ": "month", "MONTH": "month",
	"КВАРТАЛ": "quarter", "QUARTER": "quarter", "ГОД": "year", "YEAR": "year",
	"ЧАС": "hour", "HOUR": "hour", "МИНУТА": "minute", "MINUTE": "minute",
}

// totalsLevel is one grouping of ИТОГИ ... ПО.
type totalsLevel struct {
	name string // what Выборка.Группировка() names it: its КАК, else the field's name
	col  int    // the result column it groups by
	unit string // ПЕРИОДАМИ's unit ("day" ...), or ""
	keys []string
	hier *totalsHierarchy // ИЕРАРХИЯ: totals of the groups above each value too
}

// totalsHierarchy is a grouping by a reference to a hierarchical table with
// ИЕРАРХИЯ: beside the total of each value, a total (ИтогПоИерархии) of
// each group above the values, over the rows of every value under it; the
// rows sort in the tree's order by the path key (hierarchyPath). With
// ТОЛЬКО ИЕРАРХИЯ the totals of the values themselves are left out.
type totalsHierarchy struct {
	om     *ObjectMap
	parent string // the table's Родитель column
	only   bool
}

// totalsAgg is an aggregate of ИТОГИ: its SQL over the detail rows and the
// result column that holds it in total rows.
type totalsAgg struct {
	col int
	sql string
}

// totals turns the statement of a query with ИТОГИ into the tree of its
// totals and detail rows; s holds the detail query as compiled.
func (g *gen) totals(q *ast.Query, s *Statement) {
	t := q.Totals
	if q.Select.Into != nil {
		g.errorf(t, "a query with ИТОГИ (TOTALS) cannot fill a temporary table (ПОМЕСТИТЬ %s): 1C refuses it; put the detail rows into the table and total them in the next query of the batch", q.Select.Into.Name)
		return
	}
	cols := s.Columns
	offsets := make([]int, len(cols)) // the 0-based SQL column of each result column
	for i := range cols {
		offsets[i] = Width(cols[:i])
	}
	width := Width(cols)
	d, n, u, w := g.alias("td"), g.alias("tn"), g.alias("tu"), g.alias("tw")
	q1 := g.c.Dialect.Quote
	c := func(k int) string { return q1(fmt.Sprintf("c%d", k+1)) } // a detail column, 0-based
	v := func(k int) string { return q1(fmt.Sprintf("v%d", k+1)) } // a column of u

	overall := false
	var levels []*totalsLevel
	for _, item := range t.By {
		if item.Overall {
			if len(levels) > 0 || overall {
				g.errorf(posNode(item.OverallPos), "ОБЩИЕ (OVERALL) comes first in ИТОГИ ... ПО (TOTALS ... BY), and once")
			}
			overall = true
			continue
		}
		col := g.resultColumn(q, cols, item.X)
		if col < 0 {
			g.errorf(item.X, "%s is not a field of the query's result: ИТОГИ ... ПО (TOTALS ... BY) groups by fields of the result; add it to the fields of ВЫБРАТЬ, or name the field by its КАК", printer.Expr(item.X, false))
			continue
		}
		lv := &totalsLevel{name: cols[col].Name, col: col}
		if item.Alias != nil {
			lv.name = item.Alias.Name
		}
		if item.Hierarchy {
			lv.hier = g.totalsHierarchyOf(item, cols[col])
			if lv.hier == nil {
				continue
			}
		}
		for k := 0; k < cols[col].Width(); k++ {
			lv.keys = append(lv.keys, c(offsets[col]+k))
		}
		if item.Periods != nil {
			lv.unit = g.totalsPeriod(item, cols[col])
			if lv.unit != "" {
				lv.keys = []string{g.c.Dialect.Trunc(lv.unit, c(offsets[col]))}
			}
		}
		levels = append(levels, lv)
	}
	aggs := g.totalsAggregates(q, cols, c, offsets)
	if len(g.st.errs) > 0 {
		return
	}

	// grouped[col] is the first level grouping by the column.
	grouped := map[int]int{}
	for i, lv := range levels {
		if _, ok := grouped[lv.col]; !ok {
			grouped[lv.col] = i + 1
		}
	}
	aggOf := map[int]string{}
	for _, a := range aggs {
		if _, ok := grouped[a.col]; !ok {
			aggOf[a.col] = a.sql
		}
	}
	keyName := func(level, j int) string { return q1(fmt.Sprintf("k%d_%d", level+1, j+1)) }

	// branch is one part of u: the rows of level lvl (0 overall, 1..n the
	// groupings' totals, n+1 the detail rows).
	pathName := func(level int) string { return q1(fmt.Sprintf("pk%d", level+1)) }
	// branch is one part of u: the rows of level lvl (0 overall, 1..n the
	// groupings' totals, n+1 the detail rows); with hier, the totals of the
	// groups above the values of level lvl (ИЕРАРХИЯ), read from the
	// ancestors table anc.
	branch := func(lvl int, hier bool, anc string) string {
		detail := lvl == len(levels)+1
		ancestor := anc + "." + q1("anc")
		var f []string
		for i, col := range cols {
			at, isGroup := grouped[i]
			for k := 0; k < col.Width(); k++ {
				src := "NULL"
				switch {
				case hier && isGroup && at == lvl:
					// The group above the row's value, and its presentation.
					src = ancestor
					if k > 0 {
						if pres, ok := g.presentationSubquery(levels[at-1].hier.om, ancestor); ok {
							src = pres
						}
					}
				case detail:
					src = c(offsets[i] + k)
				case isGroup && at <= lvl:
					src = c(offsets[i] + k)
					if lv := levels[at-1]; lv.unit != "" {
						src = lv.keys[0]
					}
				case aggOf[i] != "":
					src = aggOf[i]
				}
				f = append(f, src+" AS "+v(offsets[i]+k))
			}
		}
		rt, gi := DetailRecord, 0
		switch {
		case lvl == 0:
			rt = OverallTotal
		case hier:
			rt, gi = HierarchyTotal, lvl
		case !detail:
			rt, gi = GroupTotal, lvl
		}
		f = append(f, strconv.Itoa(lvl)+" AS "+q1("lvl"), strconv.Itoa(int(rt))+" AS "+q1("rt"), strconv.Itoa(gi)+" AS "+q1("gi"))
		var group []string
		for i, lv := range levels {
			for j, key := range lv.keys {
				src := "NULL"
				switch {
				case hier && i == lvl-1:
					src = ancestor
					if j > 0 {
						if pres, ok := g.presentationSubquery(lv.hier.om, ancestor); ok {
							src = pres
						}
					}
				case i < lvl:
					src = key
					group = append(group, key)
				}
				f = append(f, src+" AS "+keyName(i, j))
			}
			if lv.hier != nil {
				src := "NULL"
				switch {
				case hier && i == lvl-1:
					src = g.hierarchyPath(lv.hier.om, lv.hier.parent, ancestor)
				case detail:
					src = pathName(i)
				case i < lvl:
					src = "MAX(" + pathName(i) + ")"
				}
				f = append(f, src+" AS "+pathName(i))
			}
		}
		switch {
		case detail:
			f = append(f, q1("rn"))
		case lvl == 0 && len(aggOf) == 0:
			// The overall total of a query with no aggregates is still one
			// row: an aggregate (of no value) makes the SELECT one.
			f = append(f, "MAX(CASE WHEN 1 = 0 THEN "+q1("rn")+" END) AS "+q1("rn"))
		default:
			f = append(f, "NULL AS "+q1("rn"))
		}
		text := "SELECT " + strings.Join(f, ", ") + " FROM " + n
		if hier {
			text += " JOIN " + anc + " ON " + anc + "." + q1("id") + " = " + c(offsets[levels[lvl-1].col])
			group = append(group, ancestor)
		}
		if !detail && len(group) > 0 {
			// Every column of a grouping's value is grouped by (a reference
			// with its presentation, a composite with its parts), or its
			// period.
			text += " GROUP BY " + strings.Join(uniq(group), ", ")
		}
		return text
	}
	// The detail rows come first in the union: PostgreSQL types a UNION
	// pair by pair from the left, and a totals row's NULLs have no type of
	// their own.
	parts := []string{branch(len(levels)+1, false, "")}
	if overall {
		parts = append(parts, branch(0, false, ""))
	}
	ancestors := map[int]string{} // by level: the CTE of each value's groups
	for i, lv := range levels {
		if lv.hier == nil || !lv.hier.only {
			parts = append(parts, branch(i+1, false, ""))
		}
		if lv.hier != nil {
			ancestors[i] = g.alias("ta")
			parts = append(parts, branch(i+1, true, ancestors[i]))
		}
	}

	names := make([]string, width)
	for k := range names {
		names[k] = c(k)
	}
	var b strings.Builder
	b.WriteString("WITH " + d + "(" + strings.Join(names, ", ") + ") AS (" + s.SQL + "), ")
	var paths []string
	for i, lv := range levels {
		if lv.hier != nil {
			paths = append(paths, g.hierarchyPath(lv.hier.om, lv.hier.parent, d+"."+c(offsets[lv.col]))+" AS "+pathName(i))
		}
	}
	b.WriteString(n + " AS (SELECT " + d + ".*, ROW_NUMBER() OVER (" + g.totalsDetailOrder(q, cols, c) + ") AS " + q1("rn"))
	for _, p := range paths {
		b.WriteString(", " + p)
	}
	b.WriteString(" FROM " + d + "), ")
	for i, lv := range levels {
		if lv.hier == nil {
			continue
		}
		// Each value's groups, up to the root: (id, anc) for every group
		// anc above the value id.
		a, t, p := g.alias("a"), g.alias("t"), g.alias("t")
		table, id, parent := q1(lv.hier.om.Table.Name), q1("_id"), q1(lv.hier.parent)
		ref := c(offsets[lv.col])
		b.WriteString(fmt.Sprintf("%s AS (SELECT * FROM (WITH RECURSIVE %s(id, anc) AS (SELECT %s.%s, %s.%s FROM %s %s WHERE %s.%s IN (SELECT %s FROM %s)"+
			" UNION SELECT %s.id, %s.%s FROM %s JOIN %s %s ON %s.%s = %s.anc) SELECT id, anc FROM %s WHERE anc IS NOT NULL AND anc <> %s) %s), ",
			ancestors[i], a, t, id, t, parent, table, t, t, id, ref, n,
			a, p, parent, a, table, p, p, id, a, a, g.bind(Arg{Value: EmptyRef}), g.alias("x")))
	}
	b.WriteString(u + " AS (" + strings.Join(parts, " UNION ALL ") + ")")

	// The sort values of total rows: for each level, each item of
	// УПОРЯДОЧИТЬ ПО that is an aggregate of ИТОГИ, as the level's total
	// row of the row's group holds it.
	type sortValue struct {
		name string
		desc bool
	}
	sorts := make([][]sortValue, len(levels))
	var windows []string
	keysUpTo := func(level int) []string {
		var out []string
		for i := 0; i <= level; i++ {
			for j := range levels[i].keys {
				out = append(out, keyName(i, j))
			}
		}
		return out
	}
	orderCols := g.totalsOrderColumns(q, cols)
	for i := range levels {
		for _, oc := range orderCols {
			if _, ok := aggOf[oc.col]; !ok || isBool(cols[oc.col].Type) {
				continue
			}
			name := q1(fmt.Sprintf("s%d_%d", i+1, len(sorts[i])+1))
			windows = append(windows, fmt.Sprintf("MAX(CASE WHEN %s = %d THEN %s END) OVER (PARTITION BY %s) AS %s",
				q1("lvl"), i+1, v(offsets[oc.col]), strings.Join(keysUpTo(i), ", "), name))
			sorts[i] = append(sorts[i], sortValue{name: name, desc: oc.desc})
		}
	}
	if len(windows) > 0 && len(ancestors) > 0 {
		g.errorf(t, "ИТОГИ ... ИЕРАРХИЯ (TOTALS ... HIERARCHY) with УПОРЯДОЧИТЬ ПО a total is not supported yet: order by the groupings' fields")
	}
	if len(windows) > 0 {
		b.WriteString(", " + w + " AS (SELECT " + u + ".*, " + strings.Join(windows, ", ") + " FROM " + u + ")")
	} else {
		w = u
	}

	var order []string
	for i, lv := range levels {
		order = append(order, fmt.Sprintf("CASE WHEN %s >= %d THEN 1 ELSE 0 END", q1("lvl"), i+1))
		// The grouping's own field in УПОРЯДОЧИТЬ ПО gives its direction.
		desc := false
		for _, oc := range orderCols {
			if oc.col == lv.col {
				desc = oc.desc
				break
			}
		}
		for _, sv := range sorts[i] {
			order = append(order, g.c.Dialect.Order(sv.name, sv.desc))
		}
		if lv.hier != nil {
			// The tree's order: a group before the values under it.
			order = append(order, g.c.Dialect.Order(pathName(i), false))
		}
		// A reference sorts by its presentation, then by itself (two
		// records may be presented alike).
		first := 0
		if lv.unit == "" {
			first = columnOrder(cols, lv.col) - 1 - offsets[lv.col]
		}
		order = append(order, g.c.Dialect.Order(keyName(i, first), desc))
		for j := range lv.keys {
			if j != first {
				order = append(order, g.c.Dialect.Order(keyName(i, j), desc))
			}
		}
	}
	order = append(order, fmt.Sprintf("CASE WHEN %s > %d THEN 1 ELSE 0 END", q1("lvl"), len(levels)), q1("rn"))

	out := make([]string, 0, width+2)
	for k := 0; k < width; k++ {
		out = append(out, v(k))
	}
	out = append(out, q1("rt"), q1("gi"))
	b.WriteString(" SELECT " + strings.Join(out, ", ") + " FROM " + w + " ORDER BY " + strings.Join(order, ", "))

	s.SQL = b.String()
	s.Groupings = make([]string, len(levels))
	for i, lv := range levels {
		s.Groupings[i] = lv.name
	}
}

// uniq drops repeated items, keeping the first of each.
func uniq(items []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range items {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func isBool(t metadata.Type) bool {
	return len(t) == 1 && t[0].Primitive == metadata.Boolean
}

// resultColumn finds the result column x names: by its name (the field's
// КАК, or the name 1C gives a field path), else by the field written as x
// in the first ВЫБРАТЬ; -1 when none.
func (g *gen) resultColumn(q *ast.Query, cols []ResultColumn, x ast.Expr) int {
	if p, ok := x.(*ast.Path); ok && len(p.Parts) == 1 {
		for i, col := range cols {
			if strings.EqualFold(col.Name, p.Parts[0].Name) {
				return i
			}
		}
	}
	if hasStar(q.Select) {
		return -1
	}
	if i := fieldIndex(q.Select, x); i >= 0 && i < len(cols) {
		return i
	}
	return -1
}

// totalsPeriod checks ПЕРИОДАМИ(unit, start, end) of a grouping and returns
// the dialect's unit. The bounds are compiled for their errors only:
// periods without records are not added (see the TODO below).
func (g *gen) totalsPeriod(item *ast.TotalsItem, col ResultColumn) string {
	if len(col.Type) != 1 || col.Type[0].Primitive != metadata.Date || len(col.Composite) > 0 {
		g.errorf(item.X, "ПЕРИОДАМИ (PERIODS) groups a field of dates; %s is %s", printer.Expr(item.X, false), typeText(col.Type))
		return ""
	}
	if len(item.Periods) == 0 || item.Periods[0] == nil {
		g.errorf(item.X, "ПЕРИОДАМИ (PERIODS) takes the period first: ПЕРИОДАМИ(ДЕНЬ, &Начало, &Конец)")
		return ""
	}
	p, ok := item.Periods[0].(*ast.Path)
	unit := ""
	if ok && len(p.Parts) == 1 {
		unit = periodUnits[strings.ToUpper(p.Parts[0].Name)]
	}
	if unit == "" {
		g.errorf(item.Periods[0], "ПЕРИОДАМИ (PERIODS) takes ДЕНЬ, НЕДЕЛЯ, МЕСЯЦ, КВАРТАЛ, ГОД, ЧАС or МИНУТА, not %s (ДЕКАДА, ПОЛУГОДИЕ and СЕКУНДА are not supported yet)", printer.Expr(item.Periods[0], false))
		return ""
	}
	if len(item.Periods) > 3 {
		g.errorf(item.Periods[3], "ПЕРИОДАМИ (PERIODS) takes the period and at most two dates, the start and the end")
	}
	// TODO(totals): 1C adds a total row with empty aggregates for every
	// period between the start and the end that has no records; those
	// rows are left out here, so the bounds only have to be valid.
	for _, x := range item.Periods[1:] {
		if x != nil {
			g.expr(x, &scope{})
		}
	}
	return unit
}

// totalsAggregates compiles the aggregates of ИТОГИ over the detail
// columns: each an aggregate function of a result field (by its name or as
// written in ВЫБРАТЬ), held in that field in total rows, or in the field
// its КАК names. Without a list, total rows hold the groupings' values
// only.
func (g *gen) totalsAggregates(q *ast.Query, cols []ResultColumn, c func(int) string, offsets []int) []totalsAgg {
	fns := map[string]string{"КОЛИЧЕСТВО": "COUNT", "COUNT": "COUNT", "СУММА": "SUM", "SUM": "SUM", "МАКСИМУМ": "MAX", "MAX": "MAX",
		"МИНИМУМ": "MIN", "MIN": "MIN", "СРЕДНЕЕ": "AVG", "AVG": "AVG"}
	var out []totalsAgg
	for _, f := range q.Totals.Fields {
		call, ok := f.X.(*ast.CallExpr)
		fn := ""
		if ok {
			fn = fns[strings.ToUpper(call.Fun.Name)]
		}
		if fn == "" || len(call.Args) != 1 {
			g.errorf(f.X, "ИТОГИ (TOTALS) takes aggregate functions of the result's fields (СУММА(Поле), КОЛИЧЕСТВО(РАЗЛИЧНЫЕ Поле), МАКСИМУМ, МИНИМУМ, СРЕДНЕЕ); %s is not one (expressions over aggregates are not supported yet)", printer.Expr(f.X, false))
			continue
		}
		arg := -1
		if _, star := call.Args[0].(*ast.Star); !star {
			if arg = g.resultColumn(q, cols, call.Args[0]); arg < 0 {
				g.errorf(call.Args[0], "%s is not a field of the query's result: the aggregates of ИТОГИ (TOTALS) read fields of ВЫБРАТЬ, by their names", printer.Expr(call.Args[0], false))
				continue
			}
		} else if fn != "COUNT" {
			g.errorf(call.Args[0], "* is an argument of КОЛИЧЕСТВО (COUNT) only")
			continue
		}
		target := arg
		if f.Alias != nil {
			target = -1
			for i, col := range cols {
				if strings.EqualFold(col.Name, f.Alias.Name) {
					target = i
				}
			}
			if target < 0 {
				g.errorf(f.Alias, "%s is not a field of the query's result: КАК in ИТОГИ (TOTALS) names the field that holds the total", f.Alias.Name)
				continue
			}
		}
		if target < 0 {
			g.errorf(f.X, "КОЛИЧЕСТВО(*) in ИТОГИ (TOTALS) needs КАК naming the field that holds it")
			continue
		}
		tc := cols[target]
		// A reference is counted by itself, not its presentation, and a
		// composite by its type tag, which every value sets; other
		// aggregates of them are not compiled yet.
		counted := arg >= 0 && fn == "COUNT" && (len(cols[arg].Composite) == 0 || !call.Distinct)
		if tc.Width() != 1 || (arg >= 0 && cols[arg].Width() != 1 && !counted) {
			g.errorf(f.X, "%s of %s, a reference or a field of several types, is not supported yet in ИТОГИ (TOTALS): total a field of numbers, strings or dates, or count it", call.Fun.Name, cols[max(arg, 0)].Name)
			continue
		}
		isNumber := len(tc.Type) == 1 && tc.Type[0].Primitive == metadata.Number
		if (fn == "COUNT" || fn == "SUM" || fn == "AVG") && len(tc.Type) > 0 && !isNumber {
			// Both backends type a column once for all rows: a count in a
			// field of strings would not fit it.
			g.errorf(f.X, "%s gives a number and %s holds %s: in ИТОГИ (TOTALS) a count, sum or average goes into a field of numbers (name one with КАК)", call.Fun.Name, tc.Name, typeText(tc.Type))
			continue
		}
		taken := false
		for _, o := range out {
			taken = taken || o.col == target
		}
		if taken {
			g.errorf(f.X, "%s already holds a total of ИТОГИ (TOTALS): name another field with КАК", tc.Name)
			continue
		}
		a := "*"
		if arg >= 0 {
			a = c(offsets[arg])
			if call.Distinct {
				a = "DISTINCT " + a
			}
		}
		out = append(out, totalsAgg{col: target, sql: fn + "(" + a + ")"})
	}
	return out
}

// totalsOrder is an item of УПОРЯДОЧИТЬ ПО that names a result column.
type totalsOrder struct {
	col  int
	desc bool
}

// totalsOrderColumns resolves the items of УПОРЯДОЧИТЬ ПО that are fields
// of the result; -1 stands for one that is not (an expression over the
// sources, which orders the detail rows only).
func (g *gen) totalsOrderColumns(q *ast.Query, cols []ResultColumn) []totalsOrder {
	var out []totalsOrder
	for _, o := range q.OrderBy {
		out = append(out, totalsOrder{col: g.resultColumn(q, cols, o.X), desc: o.Desc})
	}
	return out
}

// totalsDetailOrder is the window order that numbers the detail rows as
// УПОРЯДОЧИТЬ ПО sorts them. When an item is not a field of the result its
// value is not in the detail CTE; the rows are then numbered in the order
// the detail query returns them, which its own ORDER BY gives: both
// backends number an empty window in the order of the rows they read.
func (g *gen) totalsDetailOrder(q *ast.Query, cols []ResultColumn, c func(int) string) string {
	var items []string
	for _, oc := range g.totalsOrderColumns(q, cols) {
		if oc.col < 0 {
			return ""
		}
		items = append(items, g.c.Dialect.Order(c(columnOrder(cols, oc.col)-1), oc.desc))
	}
	if len(items) == 0 {
		return ""
	}
	return "ORDER BY " + strings.Join(items, ", ")
}

// posNode is a position standing as a node, for errors at a keyword.
type posNode token.Pos

func (p posNode) Pos() token.Pos { return token.Pos(p) }
func (p posNode) End() token.Pos { return token.Pos(p) }

// totalsHierarchyOf checks that a grouping with ИЕРАРХИЯ groups by a
// reference to one hierarchical table, and says how to climb it.
func (g *gen) totalsHierarchyOf(item *ast.TotalsItem, col ResultColumn) *totalsHierarchy {
	if len(col.Composite) > 0 || len(col.Type) != 1 || col.Type[0].Primitive != metadata.Ref || col.Type[0].Object == "" {
		g.errorf(item.X, "ИЕРАРХИЯ (HIERARCHY) in ИТОГИ ... ПО (TOTALS ... BY) groups by a reference to one hierarchical table; %s is %s", printer.Expr(item.X, false), typeText(col.Type))
		return nil
	}
	obj := g.c.Config.Object(col.Type[0].Object)
	om := g.c.Schema.Object(g.c.Config, col.Type[0].Object)
	if obj == nil || om == nil || !obj.Hierarchical || om.Fields["родитель"].Column == "" {
		g.errorf(item.X, "ИЕРАРХИЯ (HIERARCHY) in ИТОГИ ... ПО (TOTALS ... BY) needs a hierarchical table; %s is not one", col.Type[0].Object)
		return nil
	}
	return &totalsHierarchy{om: om, parent: om.Fields["родитель"].Column, only: item.OnlyHierarchy}
}

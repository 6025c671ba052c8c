package sqlgen

import (
	"strconv"
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
	"dostup/sdbl/printer"
)

// The periodicity of an accumulation register's Обороты and
// ОстаткиИОбороты: what one row of the virtual table covers, and the
// fields that name it (Период, Регистратор, НомерСтроки and ПериодДень,
// ПериодМесяц ...), as 1C offers them.

// grain is a periodicity: "" for the whole interval, "record" (Запись),
// "recorder" (Регистратор), or a unit of time as Dialect.Trunc names it.
type grain string

// grainRank orders the periodicities from the finest; a period field is
// offered when its unit is not finer than the grain.
var grainRank = map[grain]int{"record": 0, "recorder": 1, "second": 2, "minute": 3, "hour": 4, "day": 5,
	"week": 6, "month": 7, "quarter": 8, "year": 9}

// periodFields are the fields of a virtual table's period at each unit.
var periodFields = []struct {
	ru, en string
	unit   grain
}{
	{"ПериодСекунда", "SecondPeriod", "second"}, {"ПериодМинута", "MinutePeriod", "minute"},
	{"ПериодЧас", "HourPeriod", "hour"}, {"ПериодДень", "DayPeriod", "day"},
	{"ПериодНеделя", "WeekPeriod", "week"}, {"ПериодМесяц", "MonthPeriod", "month"},
	{"ПериодКвартал", "QuarterPeriod", "quarter"}, {"ПериодГод", "YearPeriod", "year"},
}

// periodicityWords maps the words of the periodicity parameter to grains.
var periodicityWords = map[string]grain{
	"": "", "авто": "auto", "auto": "auto", "период": "", "period": "",
	"регистратор": "recorder", "recorder": "recorder", "запись": "record", "record": "record",
	"секунда": "second", "second": "second", "минута": "minute", "minute": "minute",
	"час": "hour", "hour": "hour", "день": "day", "day": "day", "неделя": "week", "week": "week",
	"месяц": "month", "month": "month", "квартал": "quarter", "quarter": "quarter", "год": "year", "year": "year",
}

// periodicity is the grain the parameter x asks of the virtual table s;
// Авто is resolved by the fields the statement reads of it, as 1C picks
// the finest periodicity the query's period fields need.
func (g *gen) periodicity(s *ast.TableSource, x ast.Expr, table string) grain {
	if x == nil {
		return ""
	}
	gr, ok := periodicityWords[periodWord(x)]
	if !ok {
		g.errorf(x, "%s by %s is not supported: the periodicity is Авто, Запись, Регистратор, Секунда, Минута, Час, День, Неделя, Месяц, Квартал, Год or Период", table, printer.Expr(x, g.c.Config.English))
		return ""
	}
	if gr == "auto" {
		return g.autoGrain(s)
	}
	return gr
}

// autoGrain is the periodicity Авто gives s: the finest that the period
// fields the statement names of it need, or the whole interval when it
// names none.
func (g *gen) autoGrain(s *ast.TableSource) grain {
	if g.st.query == nil {
		return ""
	}
	alias := s.Name.Parts[1].Name + s.Name.Last().Name
	if s.Alias != nil {
		alias = s.Alias.Name
	}
	best := grain("")
	take := func(gr grain) {
		if best == "" || grainRank[gr] < grainRank[best] {
			best = gr
		}
	}
	ast.Inspect(g.st.query, func(n ast.Node) bool {
		p, ok := n.(*ast.Path)
		if !ok {
			return true
		}
		var name string
		switch {
		case len(p.Parts) == 1:
			name = p.Parts[0].Name
		case strings.EqualFold(p.Parts[0].Name, alias):
			name = p.Parts[1].Name
		default:
			return true
		}
		switch strings.ToLower(name) {
		case "номерстроки", "linenumber":
			take("record")
		case "регистратор", "recorder":
			take("recorder")
		case "период", "period":
			// The movement's own time: turnovers of each moment apart.
			take("second")
		}
		for _, f := range periodFields {
			if strings.EqualFold(name, f.ru) || strings.EqualFold(name, f.en) {
				take(f.unit)
			}
		}
		return true
	})
	return best
}

// trunc is the start of the unit's period holding the date expr; a
// second is the value itself, as dates are kept to the second.
func (g *gen) trunc(unit grain, expr string) string {
	if unit == "second" {
		return expr
	}
	return g.c.Dialect.Trunc(string(unit), expr)
}

// offerPeriodFields adds to vt the period fields a grain allows, each the
// start of its unit's period holding the row's period (the SQL of period,
// a column of the derived table's source); it returns the SELECT items.
func (g *gen) offerPeriodFields(vt *virtualTable, gr grain, period string) []string {
	var items []string
	for _, f := range periodFields {
		if grainRank[f.unit] < grainRank[gr] {
			continue
		}
		col := "_period_" + string(f.unit)
		items = append(items, g.trunc(f.unit, period)+" AS "+g.c.Dialect.Quote(col))
		vt.add(virtualField{column: col, typ: metadata.Type{{Primitive: metadata.Date}}}, f.ru, f.en)
	}
	return items
}

// fieldColumns are the columns of a field in a derived table that keeps
// the register's column names: its one column, or a composite's tag and
// parts in their order.
func fieldColumns(f Field) []string {
	if f.Column != "" {
		return []string{f.Column}
	}
	out := []string{f.Tag}
	for _, kind := range compositeKinds {
		if col, ok := f.Parts[kind]; ok {
			out = append(out, col)
		}
	}
	return out
}

// boundsWord reads the fourth parameter of ОстаткиИОбороты: whether the
// periods at the interval's bounds are added to those with movements.
func (g *gen) boundsWord(x ast.Expr) bool {
	if x == nil {
		return false
	}
	switch periodWord(x) {
	case "движения", "registerrecords":
		return false
	case "движенияиграницыпериода", "registerrecordsandperiodboundaries":
		return true
	}
	g.errorf(x, "the fourth parameter of ОстаткиИОбороты is Движения or ДвиженияИГраницыПериода (RegisterRecords or RegisterRecordsAndPeriodBoundaries)")
	return false
}

// balanceAndTurnoversBy is ОстаткиИОбороты with a periodicity: a row per
// combination of dimensions and period (or recorder, or movement) that
// has movements in the interval, with the balance at its start and end;
// each period's opening balance is the closing balance of the one before.
// With bounds (ДвиженияИГраницыПериода) the periods holding the
// interval's start and end are there too, movements or not.
//
// One pass over the movements up to the end groups them by dimensions
// and period, those before the start into one row per combination (the
// opening balance); a running sum over each combination's rows in order
// of period gives every closing balance.
func (g *gen) balanceAndTurnoversBy(vt *virtualTable, o *metadata.Object, om *ObjectMap, gr grain, start, end, cond ast.Expr, bounds bool) {
	q := g.c.Dialect.Quote
	sc, r := g.registerScope(om)
	where := []string{g.column(r, "Активность") + " = TRUE"}
	before, startSQL, endSQL := "FALSE", "", ""
	if start != nil {
		startSQL = g.expr(start, sc).sql
		before = g.column(r, "Период") + " < " + startSQL
	}
	if end != nil {
		endSQL = g.expr(end, sc).sql
		where = append(where, g.column(r, "Период")+" <= "+endSQL)
	}
	if cond != nil {
		where = append(where, g.cond(cond, sc))
	}
	var dims, mItems []string // dims: the dimensions' columns in the derived tables
	for _, d := range g.dims(o) {
		f := om.Fields[strings.ToLower(d.Name)]
		if f.Column == "" {
			_, items, vf := g.compositeColumns(r, f, d.Type)
			mItems = append(mItems, items...)
			vt.add(vf, d.Name)
		} else {
			mItems = append(mItems, g.column(r, d.Name)+" AS "+q(f.Column))
			vt.add(virtualField{column: f.Column, typ: d.Type}, d.Name)
		}
		for _, c := range fieldColumns(f) {
			dims = append(dims, q(c))
		}
	}
	// The period's key: its start, and for Регистратор and Запись the
	// recorder (and line) after the movement's time.
	type keyCol struct{ name, expr string }
	pf := om.Fields["период"].Column
	periodExpr := g.column(r, "Период")
	if gr != "record" && gr != "recorder" {
		periodExpr = g.trunc(gr, periodExpr)
	}
	keys := []keyCol{{pf, periodExpr}}
	vt.add(virtualField{column: pf, typ: metadata.Type{{Primitive: metadata.Date}}}, "Период", "Period")
	if gr == "record" || gr == "recorder" {
		names := []string{"Регистратор"}
		if gr == "record" {
			names = append(names, "НомерСтроки")
		}
		for _, name := range names {
			f := om.Fields[strings.ToLower(name)]
			a := o.Attribute(name)
			for _, c := range fieldColumns(f) {
				keys = append(keys, keyCol{c, r.sql + "." + q(c)})
			}
			vt.add(virtualField{column: f.Column, typ: a.Type, tag: f.Tag, parts: f.Parts}, a.Name, a.English)
		}
	}
	var keyNames []string
	for _, k := range keys {
		mItems = append(mItems, "CASE WHEN "+before+" THEN NULL ELSE "+k.expr+" END AS "+q(k.name))
		keyNames = append(keyNames, q(k.name))
	}
	mItems = append(mItems, "CASE WHEN "+before+" THEN 0 ELSE 1 END AS "+q("_in"), g.recordSign(r)+" AS "+q("_s"))
	var resources []*metadata.Attribute
	for _, a := range o.Attributes {
		if a.Role == metadata.Resource {
			resources = append(resources, a)
		}
	}
	var sums, regroup, outer, nonZero []string
	col := func(prefix string, i int) string { return q(prefix + strconv.Itoa(i)) }
	english := map[string]string{"Приход": "Receipt", "Расход": "Expense", "Оборот": "Turnover",
		"НачальныйОстаток": "OpeningBalance", "КонечныйОстаток": "ClosingBalance"}
	for i, res := range resources {
		v, rc, e, d, c := col("_v", i), col("_r", i), col("_e", i), col("_d", i), col("_c", i)
		mItems = append(mItems, g.column(r, res.Name)+" AS "+v)
		sums = append(sums,
			"SUM(CASE WHEN "+q("_in")+" = 1 AND "+q("_s")+" = 1 THEN "+v+" ELSE 0 END) AS "+rc,
			"SUM(CASE WHEN "+q("_in")+" = 1 AND "+q("_s")+" = -1 THEN "+v+" ELSE 0 END) AS "+e,
			"SUM("+q("_s")+" * "+v+") AS "+d)
		regroup = append(regroup, "SUM("+rc+") AS "+rc, "SUM("+e+") AS "+e, "SUM("+d+") AS "+d)
		for _, s := range [][2]string{{"НачальныйОстаток", c + " - " + d}, {"Приход", rc}, {"Расход", e}, {"Оборот", d}, {"КонечныйОстаток", c}} {
			name := translit(res.Name + s[0])
			outer = append(outer, s[1]+" AS "+q(name))
			vt.add(virtualField{column: name, typ: res.Type}, res.Name+s[0], res.Name+english[s[0]])
		}
		nonZero = append(nonZero, c+" - "+d+" <> 0", rc+" <> 0", e+" <> 0")
	}
	from := g.renderSource(r)
	g.addProbe([]*tableOccurrence{r}, from, strings.Join(where, " AND "))
	m := "SELECT " + strings.Join(mItems, ", ") + " FROM " + from + g.filterClause(strings.Join(where, " AND "), []*tableOccurrence{r})
	by := strings.Join(append(append(append([]string(nil), dims...), q("_in")), keyNames...), ", ")
	rows := "SELECT " + by + ", " + strings.Join(sums, ", ") + ", 1 AS " + q("_b") + " FROM (" + m + ") " + g.alias("m") + " GROUP BY " + by
	if bounds && (startSQL != "" || endSQL != "") {
		// Each row once more at the start's period and at the end's, with
		// no movements; grouped again, they join the rows of those
		// periods, or stand alone where there were no movements.
		k := g.alias("k")
		bound := func(at string) string {
			if gr == "record" || gr == "recorder" {
				return at
			}
			return g.trunc(gr, at)
		}
		var items []string
		items = append(items, dims...)
		items = append(items, "CASE WHEN "+k+"."+q("b")+" = 1 THEN "+q("_in")+" ELSE 1 END AS "+q("_in"))
		for i, kn := range keyNames {
			x := "CASE " + k + "." + q("b") + " WHEN 1 THEN " + kn
			if i == 0 {
				if startSQL != "" {
					x += " WHEN 0 THEN " + bound(startSQL)
				}
				if endSQL != "" {
					x += " WHEN 2 THEN " + bound(endSQL)
				}
			}
			items = append(items, x+" END AS "+kn)
		}
		for i := range resources {
			for _, p := range []string{"_r", "_e", "_d"} {
				c := col(p, i)
				items = append(items, "CASE WHEN "+k+"."+q("b")+" = 1 THEN "+c+" ELSE 0 END AS "+c)
			}
		}
		items = append(items, k+"."+q("b")+" AS "+q("_b"))
		which := []string{k + "." + q("b") + " = 1"}
		if startSQL != "" {
			which = append(which, k+"."+q("b")+" = 0")
		}
		if endSQL != "" {
			which = append(which, k+"."+q("b")+" = 2")
		}
		three := "(SELECT 0 AS " + q("b") + " UNION ALL SELECT 1 UNION ALL SELECT 2) " + k
		doubled := "SELECT " + strings.Join(items, ", ") + " FROM (" + rows + ") " + g.alias("i") + " CROSS JOIN " + three + " WHERE " + strings.Join(which, " OR ")
		rows = "SELECT " + by + ", " + strings.Join(regroup, ", ") + ", MIN(" + q("_b") + ") AS " + q("_b") + " FROM (" + doubled + ") " + g.alias("b") + " GROUP BY " + by
	}
	partition := ""
	if len(dims) > 0 {
		partition = "PARTITION BY " + strings.Join(dims, ", ") + " "
	}
	order := append([]string{q("_in"), keyNames[0], q("_b")}, keyNames[1:]...)
	var running []string
	for i := range resources {
		running = append(running, "SUM("+col("_d", i)+") OVER ("+partition+"ORDER BY "+strings.Join(order, ", ")+" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "+col("_c", i))
	}
	w := g.alias("w")
	withRunning := "SELECT " + w + ".*"
	if len(running) > 0 {
		withRunning += ", " + strings.Join(running, ", ")
	}
	withRunning += " FROM (" + rows + ") " + w
	items := append(append([]string(nil), dims...), keyNames...)
	items = append(items, g.offerPeriodFields(vt, gr, q(pf))...)
	items = append(items, outer...)
	filter := q("_in") + " = 1"
	if len(nonZero) > 0 {
		// 1C leaves out the rows where every resource comes to nothing.
		filter += " AND (" + strings.Join(nonZero, " OR ") + ")"
	}
	vt.sql = "SELECT " + strings.Join(items, ", ") + " FROM (" + withRunning + ") " + g.alias("v") + " WHERE " + filter
}

package sqlgen

import (
	"fmt"
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
)

// virtualTable is a register's virtual table compiled to a derived table:
// its SQL and the fields it offers.
type virtualTable struct {
	name   string // as written, for messages
	sql    string // the derived table's query, or
	table  string // a temporary table's name
	fields map[string]virtualField
	order  []string // field names as * lists them
	period string   // Обороты by period: the SQL of the period's start
	grain  grain    // Обороты: the periodicity, which decides the period fields
	// by lists the register's own fields Обороты groups by beside its
	// dimensions: Регистратор and Период for the periodicity Регистратор,
	// those and НомерСтроки for Запись.
	by []string
}

// add offers a field under name (and more names for the same column, such
// as its English one); * lists it under the first.
func (vt *virtualTable) add(f virtualField, names ...string) {
	for _, n := range names {
		vt.fields[strings.ToLower(n)] = f
	}
	vt.order = append(vt.order, names[0])
}

type virtualField struct {
	column string
	typ    metadata.Type
	// tag and parts are a composite field's columns in the derived table:
	// its type tag and a column per kind of value (columns.go).
	tag   string
	parts map[string]string
}

// compositeColumns are the SELECT items and the virtual field of a
// composite field f of the register occurrence r: its tag and parts,
// under the register's own column names.
func (g *gen) compositeColumns(r *tableOccurrence, f Field, typ metadata.Type) (exprs, items []string, vf virtualField) {
	q := g.c.Dialect.Quote
	vf = virtualField{typ: typ, tag: f.Tag, parts: map[string]string{}}
	exprs = append(exprs, r.sql+"."+q(f.Tag))
	items = append(items, r.sql+"."+q(f.Tag)+" AS "+q(f.Tag))
	for _, kind := range compositeKinds {
		col, ok := f.Parts[kind]
		if !ok {
			continue
		}
		vf.parts[kind] = col
		exprs = append(exprs, r.sql+"."+q(col))
		items = append(items, r.sql+"."+q(col)+" AS "+q(col))
	}
	return exprs, items, vf
}

// virtual compiles РегистрСведений.X.СрезПоследних/СрезПервых(Период,
// Условие) and РегистрНакопления.X.Остатки(Период, Условие) /
// Обороты(Начало, Конец, Периодичность, Условие).
func (g *gen) virtual(s *ast.TableSource) *tableOccurrence {
	p := s.Name
	if len(p.Parts) != 3 {
		g.errorf(p, "%s is not a virtual table: expected Регистр.Имя.Таблица(...)", p)
		return nil
	}
	om := g.objectOf(p)
	if om == nil {
		return nil
	}
	o := om.Object
	kind := strings.ToLower(p.Parts[2].Name)
	vt := &virtualTable{name: p.String(), fields: map[string]virtualField{}}
	arg := func(i int) ast.Expr {
		if i < len(s.Params) {
			return s.Params[i]
		}
		return nil
	}
	switch {
	case o.Kind == metadata.InformationRegister && (kind == "срезпоследних" || kind == "slicelast" || kind == "срезпервых" || kind == "slicefirst"):
		if o.Periodicity == metadata.NotPeriodic {
			g.errorf(p.Parts[2], "%s is not periodic: it has no %s", o.FullName(g.c.Config.English), p.Parts[2].Name)
			return nil
		}
		if len(s.Params) > 2 {
			g.errorf(s, "%s takes at most two parameters: the period and a condition", p.Parts[2].Name)
		}
		last := kind == "срезпоследних" || kind == "slicelast"
		g.slice(vt, o, om, last, arg(0), arg(1))
	case o.Kind == metadata.AccumulationRegister && (kind == "остатки" || kind == "balance"):
		if o.Turnovers {
			g.errorf(p.Parts[2], "%s keeps turnovers: it has no balances", o.FullName(g.c.Config.English))
			return nil
		}
		if len(s.Params) > 2 {
			g.errorf(s, "Остатки takes at most two parameters: the period and a condition")
		}
		g.balance(vt, o, om, arg(0), arg(1))
	case o.Kind == metadata.AccumulationRegister && (kind == "остаткииобороты" || kind == "balanceandturnovers"):
		if o.Turnovers {
			g.errorf(p.Parts[2], "%s keeps turnovers: it has no balances", o.FullName(g.c.Config.English))
			return nil
		}
		if len(s.Params) > 5 {
			g.errorf(s, "ОстаткиИОбороты takes at most five parameters: start, end, periodicity, how movements count and a condition")
		}
		bounds := g.boundsWord(arg(3))
		if gr := g.periodicity(s, arg(2), "ОстаткиИОбороты"); gr != "" {
			g.balanceAndTurnoversBy(vt, o, om, gr, arg(0), arg(1), arg(4), bounds)
		} else {
			g.balanceAndTurnovers(vt, o, om, arg(0), arg(1), arg(4))
		}
	case o.Kind == metadata.AccountingRegister:
		if !g.accounting(vt, s, om) {
			return nil
		}
	case o.Kind == metadata.AccumulationRegister && (kind == "обороты" || kind == "turnovers"):
		if len(s.Params) > 4 {
			g.errorf(s, "Обороты takes at most four parameters: start, end, periodicity and a condition")
		}
		g.turnovers(vt, o, om, arg(0), arg(1), g.periodicity(s, arg(2), "Обороты"), arg(3))
	default:
		g.errorf(p.Parts[2], "%s has no virtual table %s (supported: СрезПоследних and СрезПервых of periodic information registers, Остатки, Обороты and ОстаткиИОбороты of accumulation registers)", o.FullName(g.c.Config.English), p.Parts[2].Name)
		return nil
	}
	return g.occurrence(&tableOccurrence{virt: vt, obj: om})
}

// virtualName reports whether a three-part table name is a register's
// virtual table written without parentheses (РегистрНакопления.Х.Обороты),
// which 1C reads as the table with every parameter left out, rather than
// a tabular section.
func (g *gen) virtualName(p *ast.Path) bool {
	if len(p.Parts) != 3 {
		return false
	}
	o := g.c.Config.Object(p.Parts[0].Name + "." + p.Parts[1].Name)
	if o == nil || o.TabularSection(p.Parts[2].Name) != nil {
		return false
	}
	switch strings.ToLower(p.Parts[2].Name) {
	case "срезпоследних", "slicelast", "срезпервых", "slicefirst":
		return o.Kind == metadata.InformationRegister
	case "остатки", "balance", "обороты", "turnovers", "остаткииобороты", "balanceandturnovers":
		return o.Kind == metadata.AccumulationRegister || o.Kind == metadata.AccountingRegister
	}
	if o.Kind == metadata.AccountingRegister {
		_, ok := accountingTable[strings.ToLower(p.Parts[2].Name)]
		return ok
	}
	return false
}

// registerScope is a scope holding only the register itself, for the
// conditions and periods of a virtual table.
func (g *gen) registerScope(om *ObjectMap) (*scope, *tableOccurrence) {
	r := g.occurrence(&tableOccurrence{obj: om})
	r.name = strings.ToLower(om.Object.Name)
	// The register's records are what a virtual table reads: its
	// restrictions apply to them, whichever fields the query names.
	r.usesAll = true
	return &scope{sources: []*tableOccurrence{r}}, r
}

func (g *gen) dims(o *metadata.Object) []*metadata.Attribute {
	var out []*metadata.Attribute
	for _, a := range o.Attributes {
		if a.Role == metadata.Dimension {
			out = append(out, a)
		}
	}
	return out
}

// column is the SQL of a single-column field of the register occurrence.
func (g *gen) column(r *tableOccurrence, name string) string {
	f, _ := r.field(name)
	return r.sql + "." + g.c.Dialect.Quote(f.Column)
}

func (g *gen) slice(vt *virtualTable, o *metadata.Object, om *ObjectMap, last bool, period, cond ast.Expr) {
	sc, r := g.registerScope(om)
	var where []string
	dir, cmp := "DESC", "<="
	if !last {
		dir, cmp = "ASC", ">="
	}
	if period != nil {
		where = append(where, g.column(r, "Период")+" "+cmp+" "+g.expr(period, sc).sql)
	}
	if cond != nil {
		where = append(where, g.cond(cond, sc))
	}
	var cols, part []string
	for _, a := range o.Attributes {
		f := om.Fields[strings.ToLower(a.Name)]
		if f.Column == "" {
			exprs, items, vf := g.compositeColumns(r, f, a.Type)
			cols = append(cols, items...)
			vt.add(vf, a.Name)
			if a.Role == metadata.Dimension {
				part = append(part, exprs...)
			}
			continue
		}
		cols = append(cols, g.column(r, a.Name)+" AS "+g.c.Dialect.Quote(f.Column))
		vt.add(virtualField{column: f.Column, typ: a.Type}, a.Name)
		if a.Role == metadata.Dimension {
			part = append(part, g.column(r, a.Name))
		}
	}
	if o.Recorder {
		// A register subordinate to recorders: the slice's record names
		// the document that wrote it.
		f := om.Fields["регистратор"]
		a := o.Attribute("Регистратор")
		if f.Column == "" {
			_, items, vf := g.compositeColumns(r, f, a.Type)
			cols = append(cols, items...)
			vt.add(vf, a.Name, a.English)
		} else {
			cols = append(cols, g.column(r, a.Name)+" AS "+g.c.Dialect.Quote(f.Column))
			vt.add(virtualField{column: f.Column, typ: a.Type}, a.Name, a.English)
		}
	}
	pf := om.Fields["период"].Column
	cols = append(cols, g.column(r, "Период")+" AS "+g.c.Dialect.Quote(pf))
	vt.add(virtualField{column: pf, typ: metadata.Type{{Primitive: metadata.Date}}}, "Период", "Period")
	partition := ""
	if len(part) > 0 {
		partition = "PARTITION BY " + strings.Join(part, ", ") + " "
	}
	from := g.renderSource(r)
	inner := fmt.Sprintf("SELECT %s, ROW_NUMBER() OVER (%sORDER BY %s %s) AS _rn FROM %s",
		strings.Join(cols, ", "), partition, g.column(r, "Период"), dir, from)
	g.addProbe([]*tableOccurrence{r}, from, strings.Join(where, " AND "))
	inner += g.filterClause(strings.Join(where, " AND "), []*tableOccurrence{r})
	vt.sql = "SELECT * FROM (" + inner + ") " + g.alias("s") + " WHERE _rn = 1"
}

// recordSign is +1 for receipts and -1 for expenses, from the movement's
// ВидДвижения (the name-based id of Перечисление.ВидДвиженияНакопления).
func (g *gen) recordSign(r *tableOccurrence) string {
	receipt := g.bind(Arg{Value: RecordTypeID("Приход")})
	return "CASE WHEN " + g.column(r, "ВидДвижения") + " = " + receipt + " THEN 1 ELSE -1 END"
}

func (g *gen) balance(vt *virtualTable, o *metadata.Object, om *ObjectMap, period, cond ast.Expr) {
	sc, r := g.registerScope(om)
	where := []string{g.column(r, "Активность") + " = TRUE"}
	if period != nil {
		where = append(where, g.column(r, "Период")+" < "+g.expr(period, sc).sql)
	}
	if cond != nil {
		where = append(where, g.cond(cond, sc))
	}
	g.aggregate(vt, o, om, r, where, func(res *metadata.Attribute) [][2]string {
		return [][2]string{{"Остаток", "SUM(" + g.recordSign(r) + " * " + g.column(r, res.Name) + ")"}}
	}, true)
}

func (g *gen) turnovers(vt *virtualTable, o *metadata.Object, om *ObjectMap, start, end ast.Expr, gr grain, cond ast.Expr) {
	sc, r := g.registerScope(om)
	vt.grain = gr
	switch gr {
	case "":
		// The turnovers of the whole interval.
	case "recorder":
		vt.by = []string{"Регистратор", "Период"}
	case "record":
		vt.by = []string{"Регистратор", "НомерСтроки", "Период"}
	default:
		// Обороты by period: the turnovers of each day (month ...) apart,
		// with the period's start as the field Период.
		vt.period = g.trunc(gr, g.column(r, "Период"))
	}
	where := []string{g.column(r, "Активность") + " = TRUE"}
	if start != nil {
		where = append(where, g.column(r, "Период")+" >= "+g.expr(start, sc).sql)
	}
	if end != nil {
		where = append(where, g.column(r, "Период")+" <= "+g.expr(end, sc).sql)
	}
	if cond != nil {
		where = append(where, g.cond(cond, sc))
	}
	g.aggregate(vt, o, om, r, where, func(res *metadata.Attribute) [][2]string {
		col := g.column(r, res.Name)
		if o.Turnovers {
			return [][2]string{{"Оборот", "SUM(" + col + ")"}}
		}
		return [][2]string{
			{"Приход", "SUM(CASE WHEN " + g.recordSign(r) + " = 1 THEN " + col + " ELSE 0 END)"},
			{"Расход", "SUM(CASE WHEN " + g.recordSign(r) + " = -1 THEN " + col + " ELSE 0 END)"},
			{"Оборот", "SUM(" + g.recordSign(r) + " * " + col + ")"},
		}
	}, false)
}

// balanceAndTurnovers gives, per dimensions, the balance at the start, the
// receipts, expenses and turnover within the period and the balance at its
// end, from one pass over the movements up to the end.
func (g *gen) balanceAndTurnovers(vt *virtualTable, o *metadata.Object, om *ObjectMap, start, end, cond ast.Expr) {
	sc, r := g.registerScope(om)
	where := []string{g.column(r, "Активность") + " = TRUE"}
	before := "FALSE"
	if start != nil {
		before = g.column(r, "Период") + " < " + g.expr(start, sc).sql
	}
	if end != nil {
		where = append(where, g.column(r, "Период")+" <= "+g.expr(end, sc).sql)
	}
	if cond != nil {
		where = append(where, g.cond(cond, sc))
	}
	g.aggregate(vt, o, om, r, where, func(res *metadata.Attribute) [][2]string {
		col := g.column(r, res.Name)
		sign := g.recordSign(r)
		return [][2]string{
			{"НачальныйОстаток", "SUM(CASE WHEN " + before + " THEN " + sign + " * " + col + " ELSE 0 END)"},
			{"Приход", "SUM(CASE WHEN NOT (" + before + ") AND " + sign + " = 1 THEN " + col + " ELSE 0 END)"},
			{"Расход", "SUM(CASE WHEN NOT (" + before + ") AND " + sign + " = -1 THEN " + col + " ELSE 0 END)"},
			{"Оборот", "SUM(CASE WHEN NOT (" + before + ") THEN " + sign + " * " + col + " ELSE 0 END)"},
			{"КонечныйОстаток", "SUM(" + sign + " * " + col + ")"},
		}
	}, false)
}

// aggregate groups the register's movements by its dimensions, offering
// each resource under the names suffixes give (КоличествоОстаток ...).
func (g *gen) aggregate(vt *virtualTable, o *metadata.Object, om *ObjectMap, r *tableOccurrence, where []string, sums func(*metadata.Attribute) [][2]string, nonZero bool) {
	var cols, group, having []string
	for _, d := range g.dims(o) {
		f := om.Fields[strings.ToLower(d.Name)]
		if f.Column == "" {
			exprs, items, vf := g.compositeColumns(r, f, d.Type)
			cols = append(cols, items...)
			group = append(group, exprs...)
			vt.add(vf, d.Name)
			continue
		}
		cols = append(cols, g.column(r, d.Name)+" AS "+g.c.Dialect.Quote(f.Column))
		group = append(group, g.column(r, d.Name))
		vt.add(virtualField{column: f.Column, typ: d.Type}, d.Name)
	}
	for _, name := range vt.by {
		f := om.Fields[strings.ToLower(name)]
		a := o.Attribute(name)
		if f.Column == "" {
			exprs, items, vf := g.compositeColumns(r, f, a.Type)
			cols = append(cols, items...)
			group = append(group, exprs...)
			vt.add(vf, a.Name, a.English)
			continue
		}
		cols = append(cols, g.column(r, name)+" AS "+g.c.Dialect.Quote(f.Column))
		group = append(group, g.column(r, name))
		vt.add(virtualField{column: f.Column, typ: a.Type}, a.Name, a.English)
	}
	if vt.period != "" {
		cols = append(cols, vt.period+" AS "+g.c.Dialect.Quote("_period"))
		group = append(group, vt.period)
		vt.add(virtualField{column: "_period", typ: metadata.Type{{Primitive: metadata.Date}}}, "Период", "Period")
	}
	if vt.grain != "" {
		// ПериодДень, ПериодМесяц ...: functions of the period grouped by,
		// so grouping by them too changes no group.
		period := vt.period
		if period == "" {
			period = g.column(r, "Период")
		}
		items := g.offerPeriodFields(vt, vt.grain, period)
		cols = append(cols, items...)
		for _, it := range items {
			group = append(group, it[:strings.LastIndex(it, " AS ")])
		}
	}
	english := map[string]string{"Остаток": "Balance", "Приход": "Receipt", "Расход": "Expense", "Оборот": "Turnover",
		"НачальныйОстаток": "OpeningBalance", "КонечныйОстаток": "ClosingBalance"}
	for _, res := range o.Attributes {
		if res.Role != metadata.Resource {
			continue
		}
		for _, s := range sums(res) {
			col := translit(res.Name + s[0])
			cols = append(cols, s[1]+" AS "+g.c.Dialect.Quote(col))
			vf := virtualField{column: col, typ: res.Type}
			vt.add(vf, res.Name+s[0], res.Name+english[s[0]])
			if nonZero {
				having = append(having, s[1]+" <> 0")
			}
		}
	}
	from := g.renderSource(r)
	g.addProbe([]*tableOccurrence{r}, from, strings.Join(where, " AND "))
	sqlText := "SELECT " + strings.Join(cols, ", ") + " FROM " + from + g.filterClause(strings.Join(where, " AND "), []*tableOccurrence{r})
	if len(group) > 0 {
		sqlText += " GROUP BY " + strings.Join(group, ", ")
	}
	if len(having) > 0 {
		// 1C's balance tables leave out what has come to nothing.
		sqlText += " HAVING " + strings.Join(having, " OR ")
	}
	vt.sql = sqlText
}

// periodWord is the word a periodicity parameter is written as, in lower
// case; "" when the parameter is left out or is not a word.
func periodWord(x ast.Expr) string {
	if p, ok := x.(*ast.Path); ok && len(p.Parts) == 1 {
		return strings.ToLower(p.Parts[0].Name)
	}
	return ""
}

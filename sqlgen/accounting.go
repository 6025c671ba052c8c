package sqlgen

import (
	"fmt"
	"strconv"
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
)

// The virtual tables of accounting registers.
//
// A record of a register with correspondence holds two entries, the debit
// of СчетДт and the credit of СчетКт, each with its own subconto and, for
// the dimensions and resources that are not balanced, its own values
// (ВалютаДт, ВалютаКт). Balances and turnovers are per account, so every
// table but ОборотыДтКт and ДвиженияССубконто reads the records as
// entries: one per side (a record crossed with the two sides), or one per
// record without correspondence, whose ВидДвижения tells the side. An
// entry has the account, its correspondent (КорСчет) and their subconto,
// the dimensions and resources of its side, and a sign: +1 for the debit.
// The balance is the sum of signed amounts; the account's Вид decides on
// which side it shows, as 1C shows it.
//
// What differs from 1C: the Субконто parameter is accepted but does not
// reorder the subconto (Субконто1 is a record's first subconto, in the
// order of the account's ВидыСубконто, which is how the parameter is
// usually written); ОстаткиИОбороты has no periodicity but the whole
// interval; ДвиженияССубконто takes no Порядок and Первые.

// accountingTable names a virtual table of accounting registers, in lower
// case in either language, by the Russian name.
var accountingTable = map[string]string{
	"остатки": "Остатки", "balance": "Остатки",
	"обороты": "Обороты", "turnovers": "Обороты",
	"оборотыдткт": "ОборотыДтКт", "drcrturnovers": "ОборотыДтКт",
	"остаткииобороты": "ОстаткиИОбороты", "balanceandturnovers": "ОстаткиИОбороты",
	"движенияссубконто": "ДвиженияССубконто", "recordswithextdimensions": "ДвиженияССубконто",
}

// accounting compiles a virtual table of an accounting register into vt;
// false when the register has no such table (the error is reported).
func (g *gen) accounting(vt *virtualTable, s *ast.TableSource, om *ObjectMap) bool {
	p := s.Name
	o := om.Object
	name, ok := accountingTable[strings.ToLower(p.Parts[2].Name)]
	if ok && name == "ОборотыДтКт" && !o.Correspondence {
		g.errorf(p.Parts[2], "%s has no correspondence: it has no ОборотыДтКт", o.FullName(g.c.Config.English))
		return false
	}
	if !ok {
		g.errorf(p.Parts[2], "%s has no virtual table %s (an accounting register has Остатки, Обороты, ОборотыДтКт, ОстаткиИОбороты and ДвиженияССубконто)", o.FullName(g.c.Config.English), p.Parts[2].Name)
		return false
	}
	arg := func(i int) ast.Expr {
		if i < len(s.Params) {
			return s.Params[i]
		}
		return nil
	}
	most := map[string]int{"Остатки": 4, "Обороты": 8, "ОборотыДтКт": 8, "ОстаткиИОбороты": 7, "ДвиженияССубконто": 5}[name]
	if len(s.Params) > most {
		g.errorf(s, "%s of an accounting register takes at most %d parameters", name, most)
	}
	switch name {
	case "Остатки":
		// (Период, УсловиеСчета, Субконто, Условие)
		sc, r := g.registerScope(om)
		var where []string
		if arg(0) != nil {
			where = append(where, g.column(r, "Период")+" < "+g.expr(arg(0), sc).sql)
		}
		e := g.entries(om, r, where)
		g.accountTotals(vt, om, e, "", arg(1), arg(3), nil, true)
	case "Обороты":
		// (Начало, Конец, Периодичность, УсловиеСчета, Субконто, Условие,
		// УсловиеКорСчета, КорСубконто)
		sc, r := g.registerScope(om)
		where := g.interval(r, sc, arg(0), arg(1))
		e := g.entries(om, r, where)
		by := g.accountingPeriodicity(vt, e, arg(2))
		g.accountTotals(vt, om, e, "", arg(3), arg(5), arg(6), false, by...)
	case "ОстаткиИОбороты":
		// (Начало, Конец, Периодичность, МетодДополнения, УсловиеСчета,
		// Субконто, Условие)
		switch periodWord(arg(2)) {
		case "", "авто", "auto", "период", "period":
		default:
			g.errorf(arg(2), "ОстаткиИОбороты of an accounting register by %s is not supported yet: leave the periodicity out (or write Авто)", arg(2))
		}
		sc, r := g.registerScope(om)
		where := g.interval(r, sc, nil, arg(1))
		before := "FALSE"
		if arg(0) != nil {
			before = "%s < " + g.expr(arg(0), sc).sql
		}
		e := g.entries(om, r, where)
		if before != "FALSE" {
			before = fmt.Sprintf(before, e.sql+"."+g.c.Dialect.Quote("_period"))
		}
		g.accountTotals(vt, om, e, before, arg(4), arg(6), nil, false)
	case "ОборотыДтКт":
		g.drCrTurnovers(vt, om, arg)
	case "ДвиженияССубконто":
		if arg(3) != nil || arg(4) != nil {
			g.errorf(s, "ДвиженияССубконто with Порядок or Первые is not supported yet: order and limit the query itself")
		}
		sc, r := g.registerScope(om)
		where := g.interval(r, sc, arg(0), arg(1))
		if arg(2) != nil {
			where = append(where, g.cond(arg(2), sc))
		}
		g.records(vt, om, r, where)
	}
	return true
}

// interval is the condition on a register's Период of a virtual table's
// start and end, either left out.
func (g *gen) interval(r *tableOccurrence, sc *scope, start, end ast.Expr) []string {
	var where []string
	if start != nil {
		where = append(where, g.column(r, "Период")+" >= "+g.expr(start, sc).sql)
	}
	if end != nil {
		where = append(where, g.column(r, "Период")+" <= "+g.expr(end, sc).sql)
	}
	return where
}

// entryField is a field of an entry: its name, its type, and the
// register's field it reads on the debit and on the credit side.
type entryField struct {
	name, english string
	typ           metadata.Type
	dt, kt        Field
}

// entryFields are the fields of an entry of the register, in the order a
// table lists them: the account and its subconto, the correspondent
// account and its subconto, the dimensions, then the resources.
func (g *gen) entryFields(om *ObjectMap) (keys, dims, resources []entryField) {
	o := om.Object
	f := func(name string) Field { return om.Fields[strings.ToLower(name)] }
	account := metadata.Type{{Primitive: metadata.Ref, Object: o.ChartOfAccounts}}
	kinds := metadata.Type{{Primitive: metadata.Ref, Object: o.ExtDimensionTypes}}
	if o.Correspondence {
		keys = append(keys, entryField{"Счет", "Account", account, f("СчетДт"), f("СчетКт")})
		for i := 1; i <= o.ExtDimensions; i++ {
			n := strconv.Itoa(i)
			keys = append(keys,
				entryField{"Субконто" + n, "ExtDimension" + n, o.ExtDimensionType, f("СубконтоДт" + n), f("СубконтоКт" + n)},
				entryField{"ВидСубконто" + n, "ExtDimensionType" + n, kinds, f("ВидСубконтоДт" + n), f("ВидСубконтоКт" + n)})
		}
		keys = append(keys, entryField{"КорСчет", "BalancedAccount", account, f("СчетКт"), f("СчетДт")})
		for i := 1; i <= o.ExtDimensions; i++ {
			n := strconv.Itoa(i)
			keys = append(keys,
				entryField{"КорСубконто" + n, "BalancedExtDimension" + n, o.ExtDimensionType, f("СубконтоКт" + n), f("СубконтоДт" + n)},
				entryField{"КорВидСубконто" + n, "BalancedExtDimensionType" + n, kinds, f("ВидСубконтоКт" + n), f("ВидСубконтоДт" + n)})
		}
	} else {
		keys = append(keys, entryField{"Счет", "Account", account, f("Счет"), f("Счет")})
		for i := 1; i <= o.ExtDimensions; i++ {
			n := strconv.Itoa(i)
			keys = append(keys,
				entryField{"Субконто" + n, "ExtDimension" + n, o.ExtDimensionType, f("Субконто" + n), f("Субконто" + n)},
				entryField{"ВидСубконто" + n, "ExtDimensionType" + n, kinds, f("ВидСубконто" + n), f("ВидСубконто" + n)})
		}
	}
	seen := map[string]bool{}
	for _, a := range o.Attributes {
		if a.Role != metadata.Dimension && a.Role != metadata.Resource {
			continue
		}
		ef := entryField{name: a.Name, typ: a.Type, dt: f(a.Name), kt: f(a.Name)}
		if a.Side != "" {
			if seen[a.Base] {
				continue
			}
			seen[a.Base] = true
			ef = entryField{name: a.Base, typ: a.Type, dt: f(a.Base + "Дт"), kt: f(a.Base + "Кт")}
		}
		if a.Role == metadata.Dimension {
			dims = append(dims, ef)
		} else {
			resources = append(resources, ef)
		}
	}
	return keys, dims, resources
}

// entries is the occurrence of the register's records as entries, for
// the records of r that are active and meet where.
func (g *gen) entries(om *ObjectMap, r *tableOccurrence, where []string) *tableOccurrence {
	q := g.c.Dialect.Quote
	o := om.Object
	ev := &virtualTable{name: o.FullName(g.c.Config.English), fields: map[string]virtualField{}}
	side := ""
	sign := "1"
	if o.Correspondence {
		side = g.alias("sd") + "." + q("_side")
		sign = side
	} else {
		debit := g.bind(Arg{Value: SystemEnumID(metadata.AccountingRecordTypeEnum, "Дебет")})
		sign = "CASE WHEN " + g.column(r, "ВидДвижения") + " = " + debit + " THEN 1 ELSE -1 END"
	}
	pick := func(dt, kt string) string {
		if side == "" || dt == kt {
			return r.sql + "." + q(dt)
		}
		return "CASE WHEN " + side + " = 1 THEN " + r.sql + "." + q(dt) + " ELSE " + r.sql + "." + q(kt) + " END"
	}
	var items []string
	keys, dims, resources := g.entryFields(om)
	for _, list := range [][]entryField{keys, dims, resources} {
		for _, ef := range list {
			col := "_e_" + translit(ef.name)
			if ef.dt.Column != "" {
				items = append(items, pick(ef.dt.Column, ef.kt.Column)+" AS "+q(col))
				ev.add(virtualField{column: col, typ: ef.typ}, ef.name, ef.english)
				continue
			}
			vf := virtualField{typ: ef.typ, tag: col + "_t", parts: map[string]string{}}
			items = append(items, pick(ef.dt.Tag, ef.kt.Tag)+" AS "+q(vf.tag))
			for _, k := range compositeKinds {
				if c, ok := ef.dt.Parts[k]; ok {
					vf.parts[k] = col + "_" + k[:1]
					items = append(items, pick(c, ef.kt.Parts[k])+" AS "+q(vf.parts[k]))
				}
			}
			ev.add(vf, ef.name, ef.english)
		}
	}
	for _, std := range []struct{ ru, en, col string }{{"Период", "Period", "_period"}, {"Регистратор", "Recorder", "_recorder"}, {"НомерСтроки", "LineNumber", "_line"}} {
		f := om.Fields[strings.ToLower(std.ru)]
		a := o.Attribute(std.ru)
		if f.Column != "" {
			items = append(items, r.sql+"."+q(f.Column)+" AS "+q(std.col))
			ev.add(virtualField{column: std.col, typ: a.Type}, std.ru, std.en)
			continue
		}
		vf := virtualField{typ: a.Type, tag: std.col + "_t", parts: map[string]string{}}
		items = append(items, r.sql+"."+q(f.Tag)+" AS "+q(vf.tag))
		for _, k := range compositeKinds {
			if c, ok := f.Parts[k]; ok {
				vf.parts[k] = std.col + "_" + k[:1]
				items = append(items, r.sql+"."+q(c)+" AS "+q(vf.parts[k]))
			}
		}
		ev.add(vf, std.ru, std.en)
	}
	items = append(items, sign+" AS "+q("_sign"))
	where = append([]string{g.column(r, "Активность") + " = TRUE"}, where...)
	from := g.renderSource(r)
	g.addProbe([]*tableOccurrence{r}, from, strings.Join(where, " AND "))
	if side != "" {
		sd := strings.TrimSuffix(side, "."+q("_side"))
		from += " CROSS JOIN (SELECT 1 AS " + q("_side") + " UNION ALL SELECT -1 AS " + q("_side") + ") " + sd
	}
	// An entry without an account is the missing side of a record to an
	// off-balance account: it counts nowhere.
	account := om.Fields[strings.ToLower(keys[0].name)]
	if o.Correspondence {
		where = append(where, pick(om.Fields["счетдт"].Column, om.Fields["счеткт"].Column)+" <> "+g.bind(Arg{Value: EmptyRef}))
	} else {
		where = append(where, r.sql+"."+q(account.Column)+" <> "+g.bind(Arg{Value: EmptyRef}))
	}
	ev.sql = "SELECT " + strings.Join(items, ", ") + " FROM " + from + g.filterClause(strings.Join(where, " AND "), []*tableOccurrence{r})
	e := g.occurrence(&tableOccurrence{virt: ev, obj: om})
	e.name = strings.ToLower(o.Name)
	return e
}

// accountingPeriodicity is what Обороты groups by beside the account,
// subconto and dimensions for its periodicity: Регистратор and Период,
// those and НомерСтроки for Запись, or the start of each period.
func (g *gen) accountingPeriodicity(vt *virtualTable, e *tableOccurrence, periodicity ast.Expr) []string {
	switch periodWord(periodicity) {
	case "", "авто", "auto", "период", "period":
		return nil
	case "регистратор", "recorder":
		return []string{"Регистратор", "Период"}
	case "запись", "record":
		return []string{"Регистратор", "НомерСтроки", "Период"}
	}
	unit := g.periodUnit(periodicity)
	if unit == "hour" || unit == "minute" || unit == "second" {
		g.errorf(periodicity, "Обороты by %s are not supported: use ДЕНЬ, НЕДЕЛЯ, МЕСЯЦ, КВАРТАЛ or ГОД", unit)
	}
	vt.period = g.c.Dialect.Trunc(unit, e.sql+"."+g.c.Dialect.Quote("_period"))
	return nil
}

// accountTotals groups the entries e by account, subconto and dimensions
// (and the correspondent account for Обороты), with the sums of each
// resource: balances when balance is set (Остатки), turnovers, or, when
// before is the SQL of "before the start", opening balances, turnovers and
// closing balances (ОстаткиИОбороты). accountCond, cond and corCond are
// the table's conditions on the account, the entries and the
// correspondent account.
func (g *gen) accountTotals(vt *virtualTable, om *ObjectMap, e *tableOccurrence, before string, accountCond, cond, corCond ast.Expr, balance bool, by ...string) {
	q := g.c.Dialect.Quote
	o := om.Object
	sc := &scope{sources: []*tableOccurrence{e}}
	var where []string
	for _, c := range []ast.Expr{accountCond, cond, corCond} {
		if c != nil {
			where = append(where, g.cond(c, sc))
		}
	}
	keys, dims, resources := g.entryFields(om)
	turnovers := !balance && before == ""
	var cols, group []string
	// add groups by a field of the entries, a composite by its tag and
	// parts, and offers it under its names.
	add := func(f virtualField, names ...string) {
		if f.column != "" {
			cols = append(cols, e.sql+"."+q(f.column)+" AS "+q(f.column))
			group = append(group, e.sql+"."+q(f.column))
			vt.add(f, names...)
			return
		}
		cols = append(cols, e.sql+"."+q(f.tag)+" AS "+q(f.tag))
		group = append(group, e.sql+"."+q(f.tag))
		for _, k := range compositeKinds {
			if c, ok := f.parts[k]; ok {
				cols = append(cols, e.sql+"."+q(c)+" AS "+q(c))
				group = append(group, e.sql+"."+q(c))
			}
		}
		vt.add(f, names...)
	}
	offer := func(name string) {
		names := []string{name}
		for _, list := range [][]entryField{keys, dims} {
			for _, ef := range list {
				if ef.name == name && ef.english != "" {
					names = append(names, ef.english)
				}
			}
		}
		add(e.virt.fields[strings.ToLower(name)], names...)
	}
	// Turnovers split by the correspondent only when the query asks for
	// it, as 1C's do: a text that never names КорСчет or КорСубконто
	// reads the turnovers of each account whatever it corresponds with.
	body := strings.ToLower(g.text.Body)
	pairs := turnovers && (corCond != nil || strings.Contains(body, "корсчет") || strings.Contains(body, "корсубконто") ||
		strings.Contains(body, "корвидсубконто") || strings.Contains(body, "balancedaccount") || strings.Contains(body, "balancedextdimension"))
	for _, k := range keys {
		if strings.HasPrefix(k.name, "Кор") && !pairs {
			continue // balances are of an account, not of a pair
		}
		offer(k.name)
	}
	for _, d := range dims {
		offer(d.name)
	}
	for _, name := range by {
		a := o.Attribute(name)
		add(e.virt.fields[strings.ToLower(name)], a.Name, a.English)
	}
	if vt.period != "" {
		cols = append(cols, vt.period+" AS "+q("_period"))
		group = append(group, vt.period)
		vt.add(virtualField{column: "_period", typ: metadata.Type{{Primitive: metadata.Date}}}, "Период", "Period")
	}
	// The account's Вид decides the side a balance shows on: read from the
	// chart's table itself, not through its restrictions, since it only
	// places a sum the register gives.
	from := g.renderSource(e)
	kind := "NULL"
	if chart := g.c.Schema.Object(g.c.Config, o.ChartOfAccounts); chart != nil && !turnovers {
		a := g.alias("a")
		account := e.virt.fields["счет"]
		from += " LEFT JOIN " + g.tableSQL(chart.Table) + " " + a + " ON " + a + "." + q("_id") + " = " + e.sql + "." + q(account.column)
		kind = a + "." + q(chart.Fields["вид"].Column)
		group = append(group, kind)
	}
	active := g.bind(Arg{Value: SystemEnumID(metadata.AccountTypeEnum, "Активный")})
	passive := g.bind(Arg{Value: SystemEnumID(metadata.AccountTypeEnum, "Пассивный")})
	// sides gives a balance's debit and credit shown by the account's Вид,
	// and its debit and credit expanded (a positive balance is a debit).
	sides := func(bal string) (dr, cr, xdr, xcr string) {
		dr = fmt.Sprintf("CASE WHEN %s = %s THEN %s WHEN %s = %s THEN 0 WHEN %s > 0 THEN %s ELSE 0 END", kind, active, bal, kind, passive, bal, bal)
		cr = fmt.Sprintf("CASE WHEN %s = %s THEN 0 WHEN %s = %s THEN -(%s) WHEN %s < 0 THEN -(%s) ELSE 0 END", kind, active, kind, passive, bal, bal, bal)
		xdr = fmt.Sprintf("CASE WHEN %s > 0 THEN %s ELSE 0 END", bal, bal)
		xcr = fmt.Sprintf("CASE WHEN %s < 0 THEN -(%s) ELSE 0 END", bal, bal)
		return
	}
	english := map[string]string{
		"Остаток": "Balance", "ОстатокДт": "BalanceDr", "ОстатокКт": "BalanceCr",
		"РазвернутыйОстатокДт": "ExtendedBalanceDr", "РазвернутыйОстатокКт": "ExtendedBalanceCr",
		"Оборот": "Turnover", "ОборотДт": "TurnoverDr", "ОборотКт": "TurnoverCr",
		"НачальныйОстаток": "OpeningBalance", "НачальныйОстатокДт": "OpeningBalanceDr", "НачальныйОстатокКт": "OpeningBalanceCr",
		"НачальныйРазвернутыйОстатокДт": "OpeningSplittedBalanceDr", "НачальныйРазвернутыйОстатокКт": "OpeningSplittedBalanceCr",
		"КонечныйОстаток": "ClosingBalance", "КонечныйОстатокДт": "ClosingBalanceDr", "КонечныйОстатокКт": "ClosingBalanceCr",
		"КонечныйРазвернутыйОстатокДт": "ClosingSplittedBalanceDr", "КонечныйРазвернутыйОстатокКт": "ClosingSplittedBalanceCr",
	}
	var having []string
	for _, res := range resources {
		f := e.virt.fields[strings.ToLower(res.name)]
		amount := e.sql + "." + q(f.column)
		sign := e.sql + "." + q("_sign")
		var sums [][2]string
		balanceSums := func(prefix, bal string) {
			dr, cr, xdr, xcr := sides(bal)
			sums = append(sums, [2]string{prefix + "Остаток", bal}, [2]string{prefix + "ОстатокДт", dr}, [2]string{prefix + "ОстатокКт", cr},
				[2]string{prefix + "РазвернутыйОстатокДт", xdr}, [2]string{prefix + "РазвернутыйОстатокКт", xcr})
		}
		turnoverSums := func(in string) {
			sums = append(sums,
				[2]string{"Оборот", "SUM(CASE WHEN " + in + " THEN " + sign + " * " + amount + " ELSE 0 END)"},
				[2]string{"ОборотДт", "SUM(CASE WHEN " + in + " AND " + sign + " = 1 THEN " + amount + " ELSE 0 END)"},
				[2]string{"ОборотКт", "SUM(CASE WHEN " + in + " AND " + sign + " = -1 THEN " + amount + " ELSE 0 END)"})
		}
		switch {
		case balance:
			balanceSums("", "SUM("+sign+" * "+amount+")")
		case turnovers:
			turnoverSums("TRUE")
		default:
			balanceSums("Начальный", "SUM(CASE WHEN "+before+" THEN "+sign+" * "+amount+" ELSE 0 END)")
			turnoverSums("NOT (" + before + ")")
			balanceSums("Конечный", "SUM("+sign+" * "+amount+")")
		}
		for _, s := range sums {
			col := translit(res.name + s[0])
			cols = append(cols, s[1]+" AS "+q(col))
			vt.add(virtualField{column: col, typ: res.typ}, res.name+s[0], res.name+english[s[0]])
			having = append(having, s[1]+" <> 0")
		}
	}
	sqlText := "SELECT " + strings.Join(cols, ", ") + " FROM " + from
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	if len(group) > 0 {
		sqlText += " GROUP BY " + strings.Join(group, ", ")
	}
	if len(having) > 0 {
		// 1C's tables leave out what has come to nothing.
		sqlText += " HAVING " + strings.Join(having, " OR ")
	}
	vt.sql = sqlText
}

// drCrTurnovers compiles ОборотыДтКт(Начало, Конец, Периодичность,
// УсловиеСчетаДт, СубконтоДт, УсловиеСчетаКт, СубконтоКт, Условие): the
// turnovers of each pair of accounts, from the records as they are.
func (g *gen) drCrTurnovers(vt *virtualTable, om *ObjectMap, arg func(int) ast.Expr) {
	q := g.c.Dialect.Quote
	o := om.Object
	sc, r := g.registerScope(om)
	where := append([]string{g.column(r, "Активность") + " = TRUE"}, g.interval(r, sc, arg(0), arg(1))...)
	for _, i := range []int{3, 5, 7} {
		if arg(i) != nil {
			where = append(where, g.cond(arg(i), sc))
		}
	}
	switch periodWord(arg(2)) {
	case "", "авто", "auto", "период", "period":
	case "регистратор", "recorder":
		vt.by = []string{"Регистратор", "Период"}
	case "запись", "record":
		vt.by = []string{"Регистратор", "НомерСтроки", "Период"}
	default:
		unit := g.periodUnit(arg(2))
		vt.period = g.c.Dialect.Trunc(unit, g.column(r, "Период"))
	}
	var cols, group []string
	offer := func(name string, typ metadata.Type, english string) {
		f := om.Fields[strings.ToLower(name)]
		names := []string{name}
		if english != "" {
			names = append(names, english)
		}
		if f.Column == "" {
			exprs, items, vf := g.compositeColumns(r, f, typ)
			cols = append(cols, items...)
			group = append(group, exprs...)
			vt.add(vf, names...)
			return
		}
		cols = append(cols, g.column(r, name)+" AS "+q(f.Column))
		group = append(group, g.column(r, name))
		vt.add(virtualField{column: f.Column, typ: typ}, names...)
	}
	for _, a := range o.StandardAttributes() {
		if strings.HasPrefix(a.Name, "Счет") || strings.HasPrefix(a.Name, "Субконто") || strings.HasPrefix(a.Name, "ВидСубконто") {
			offer(a.Name, a.Type, a.English)
		}
	}
	for _, a := range o.Attributes {
		if a.Role == metadata.Dimension {
			offer(a.Name, a.Type, "")
		}
	}
	for _, name := range vt.by {
		a := o.Attribute(name)
		offer(a.Name, a.Type, a.English)
	}
	if vt.period != "" {
		cols = append(cols, vt.period+" AS "+q("_period"))
		group = append(group, vt.period)
		vt.add(virtualField{column: "_period", typ: metadata.Type{{Primitive: metadata.Date}}}, "Период", "Period")
	}
	for _, a := range o.Attributes {
		if a.Role != metadata.Resource {
			continue
		}
		// A balanced resource has one turnover for the pair; one that is
		// not has its debit's and its credit's.
		suffix, en := "Оборот", "Turnover"
		if a.Side != "" {
			suffix, en = "Оборот"+a.Side, "Turnover"+map[string]string{"Дт": "Dr", "Кт": "Cr"}[a.Side]
		}
		name := a.Name
		if a.Side != "" {
			name = a.Base
		}
		col := translit(name + suffix)
		cols = append(cols, "SUM("+g.column(r, a.Name)+") AS "+q(col))
		vt.add(virtualField{column: col, typ: a.Type}, name+suffix, name+en)
	}
	from := g.renderSource(r)
	g.addProbe([]*tableOccurrence{r}, from, strings.Join(where, " AND "))
	vt.sql = "SELECT " + strings.Join(cols, ", ") + " FROM " + from + g.filterClause(strings.Join(where, " AND "), []*tableOccurrence{r})
	if len(group) > 0 {
		vt.sql += " GROUP BY " + strings.Join(group, ", ")
	}
}

// records compiles ДвиженияССубконто: the register's active records in
// the interval that meet the condition, every field as the record has it.
func (g *gen) records(vt *virtualTable, om *ObjectMap, r *tableOccurrence, where []string) {
	q := g.c.Dialect.Quote
	o := om.Object
	where = append([]string{g.column(r, "Активность") + " = TRUE"}, where...)
	var cols []string
	offer := func(a *metadata.Attribute) {
		f := om.Fields[strings.ToLower(a.Name)]
		names := []string{a.Name}
		if a.English != "" {
			names = append(names, a.English)
		}
		if f.Column == "" {
			_, items, vf := g.compositeColumns(r, f, a.Type)
			cols = append(cols, items...)
			vt.add(vf, names...)
			return
		}
		cols = append(cols, g.column(r, a.Name)+" AS "+q(f.Column))
		vt.add(virtualField{column: f.Column, typ: a.Type}, names...)
	}
	for _, a := range o.StandardAttributes() {
		if a.Name != "Активность" {
			offer(a)
		}
	}
	for _, a := range o.Attributes {
		offer(a)
	}
	from := g.renderSource(r)
	g.addProbe([]*tableOccurrence{r}, from, strings.Join(where, " AND "))
	vt.sql = "SELECT " + strings.Join(cols, ", ") + " FROM " + from + g.filterClause(strings.Join(where, " AND "), []*tableOccurrence{r})
}

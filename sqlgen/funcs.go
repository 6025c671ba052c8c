package sqlgen

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"dostup/metadata"
	"dostup/sdbl/ast"
	"dostup/sdbl/token"
)

func (g *gen) call(x *ast.CallExpr, sc *scope) val {
	name := strings.ToUpper(x.Fun.Name)
	agg := map[string]string{"КОЛИЧЕСТВО": "COUNT", "COUNT": "COUNT", "СУММА": "SUM", "SUM": "SUM", "МАКСИМУМ": "MAX", "MAX": "MAX",
		"МИНИМУМ": "MIN", "MIN": "MIN", "СРЕДНЕЕ": "AVG", "AVG": "AVG"}
	if fn, ok := agg[name]; ok {
		if len(x.Args) != 1 {
			g.errorf(x, "%s takes one argument", x.Fun.Name)
			return val{sql: "NULL"}
		}
		arg := g.expr(x.Args[0], sc)
		d := ""
		if x.Distinct {
			d = "DISTINCT "
		}
		typ := arg.typ
		if fn == "COUNT" {
			typ = metadata.Type{{Primitive: metadata.Number, Precision: 15}}
		}
		return val{sql: fn + "(" + d + arg.sql + ")", typ: typ}
	}
	num := metadata.Type{{Primitive: metadata.Number, Precision: 10}}
	date := metadata.Type{{Primitive: metadata.Date}}
	argc := func(n ...int) bool {
		for _, k := range n {
			if len(x.Args) == k {
				return true
			}
		}
		g.errorf(x, "%s takes %v arguments, not %d", x.Fun.Name, n, len(x.Args))
		return false
	}
	// A date argument of unknown type (a parameter) is cast, as the
	// backend cannot pick among the date functions' overloads otherwise.
	dateArg := func(a ast.Expr) string {
		v := g.expr(a, sc)
		if len(v.typ) == 0 {
			return g.c.Dialect.Cast(v.sql, ColumnType{Kind: Timestamp})
		}
		return v.sql
	}
	if part, ok := dateParts[name]; ok {
		if !argc(1) {
			return val{sql: "NULL"}
		}
		return val{sql: g.c.Dialect.DatePart(part, dateArg(x.Args[0])), typ: num}
	}
	switch name {
	case "НАЧАЛОПЕРИОДА", "BEGINOFPERIOD", "КОНЕЦПЕРИОДА", "ENDOFPERIOD":
		if !argc(2) {
			return val{sql: "NULL"}
		}
		unit := g.periodUnit(x.Args[1])
		d := dateArg(x.Args[0])
		start := g.periodStart(unit, d)
		if name == "НАЧАЛОПЕРИОДА" || name == "BEGINOFPERIOD" {
			return val{sql: start, typ: date}
		}
		return val{sql: g.periodEnd(unit, d, start), typ: date}
	case "ДОБАВИТЬКДАТЕ", "DATEADD":
		if !argc(3) {
			return val{sql: "NULL"}
		}
		unit := g.periodUnit(x.Args[1])
		lim := dateAddLimit[unit]
		g.checkRange(x.Args[2], -lim, lim, fmt.Sprintf("ДОБАВИТЬКДАТЕ (DATEADD) adds a whole number of %ss that stays within 1C's calendar (years 1 to 9999), at most %d", unit, lim))
		return val{sql: g.dateAdd(dateArg(x.Args[0]), unit, g.expr(x.Args[2], sc).sql), typ: date}
	case "РАЗНОСТЬДАТ", "DATEDIFF":
		if !argc(3) {
			return val{sql: "NULL"}
		}
		unit := g.periodUnit(x.Args[2])
		if unit == "decade" || unit == "halfyear" {
			g.errorf(x.Args[2], "РАЗНОСТЬДАТ (DATEDIFF) counts СЕКУНДА, МИНУТА, ЧАС, ДЕНЬ, МЕСЯЦ, КВАРТАЛ or ГОД, as in 1C")
		}
		return val{sql: g.c.Dialect.DateDiff(dateArg(x.Args[0]), dateArg(x.Args[1]), unit), typ: num}
	case "ДАТАВРЕМЯ", "DATETIME":
		if !argc(3, 6) {
			return val{sql: "NULL"}
		}
		var n [6]int
		for i, a := range x.Args {
			lit, ok := a.(*ast.Literal)
			if !ok || lit.Kind != token.NUMBER {
				g.errorf(a, "ДАТАВРЕМЯ takes whole numbers: year, month, day[, hour, minute, second]")
				return val{sql: "NULL"}
			}
			v, err := strconv.Atoi(lit.Value)
			if err != nil {
				g.errorf(a, "ДАТАВРЕМЯ takes whole numbers: year, month, day[, hour, minute, second]")
				return val{sql: "NULL"}
			}
			n[i] = v
		}
		t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC)
		if n[0] < 1 || n[0] > 9999 {
			g.errorf(x.Args[0], "ДАТАВРЕМЯ takes a year from 1 to 9999, as 1C's dates have, not %d", n[0])
		} else if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] {
			g.errorf(x, "ДАТАВРЕМЯ(%d, %d, %d) is not a date", n[0], n[1], n[2])
		}
		return val{sql: g.c.Dialect.Cast(g.bind(Arg{Value: t}), ColumnType{Kind: Timestamp}), typ: date}
	case "ТИПЗНАЧЕНИЯ", "VALUETYPE":
		if !argc(1) {
			return val{sql: "NULL"}
		}
		v := g.expr(x.Args[0], sc)
		str := metadata.Type{{Primitive: metadata.String}}
		switch {
		case v.comp:
			// The empty tag is Неопределено: NULL, as ТИПЗНАЧЕНИЯ(НЕОПРЕДЕЛЕНО) compares.
			return val{sql: "NULLIF(" + v.tag + ", '')", typ: str}
		case len(v.typ) == 1:
			return val{sql: g.c.Dialect.Cast(g.bind(Arg{Value: TypeTag(v.typ[0])}), ColumnType{Kind: Text}), typ: str}
		}
		g.errorf(x.Args[0], "the type of this value is not known here")
		return val{sql: "NULL"}
	case "ПРЕДСТАВЛЕНИЕ", "PRESENTATION", "ПРЕДСТАВЛЕНИЕССЫЛКИ", "REFPRESENTATION":
		if !argc(1) {
			return val{sql: "NULL"}
		}
		v := g.expr(x.Args[0], sc)
		if pres, ok := g.presentationOf(v, x.Args[0], sc); ok {
			return val{sql: pres, typ: metadata.Type{{Primitive: metadata.String}}}
		}
		if (name == "ПРЕДСТАВЛЕНИЕССЫЛКИ" || name == "REFPRESENTATION") && !v.comp && len(v.typ) == 0 {
			// A reference whose type only the value knows (a parameter):
			// ids are unique across tables, so the one holding it presents it.
			if pres, ok := g.idPresentation(v.sql); ok {
				return val{sql: pres, typ: metadata.Type{{Primitive: metadata.String}}}
			}
		}
		g.errorf(x.Args[0], "ПРЕДСТАВЛЕНИЕ of a reference whose type is not known here (a reference of any type): name its type with ВЫРАЗИТЬ(... КАК Документ.Имя)")
		return val{sql: "NULL"}
	case "ПОДСТРОКА", "SUBSTRING":
		if !argc(3) {
			return val{sql: "NULL"}
		}
		s, from, n := g.expr(x.Args[0], sc), g.expr(x.Args[1], sc), g.expr(x.Args[2], sc)
		start := g.integerArg(x.Args[1], from, 1, "ПОДСТРОКА (SUBSTRING) starts at a whole number from 1 to 2147483647")
		length := g.integerArg(x.Args[2], n, 0, "ПОДСТРОКА (SUBSTRING) takes a length that is a whole number from 0 to 2147483647")
		return val{sql: "SUBSTR(" + s.sql + ", " + start + ", " + length + ")", typ: metadata.Type{{Primitive: metadata.String}}}
	case "ЕСТЬNULL", "ISNULL":
		if len(x.Args) != 2 {
			g.errorf(x, "%s takes two arguments", x.Fun.Name)
			return val{sql: "NULL"}
		}
		a, b := g.expr(x.Args[0], sc), g.expr(x.Args[1], sc)
		if a.comp && (b.comp || b.undefined || len(b.typ) > 0) || b.comp || differInKind(a.typ, b.typ) {
			return g.isNullComposite(a, b)
		}
		v := val{sql: "COALESCE(" + a.sql + ", " + b.sql + ")", typ: a.typ}
		if b.undefined {
			// ЕСТЬNULL(x, НЕОПРЕДЕЛЕНО): Неопределено where x is NULL.
			v.undef = "(" + a.sql + " IS NULL)"
			if a.undef != "" {
				v.undef = "(" + a.sql + " IS NULL OR " + a.undef + ")"
			}
		}
		return v
	}
	g.errorf(x, "function %s is not supported in queries yet", x.Fun.Name)
	return val{sql: "NULL"}
}

// differInKind reports whether values of one type each need a type tag to
// stand in one column: a reference and a string, or two tables' references
// (ЕСТЬNULL(Т.Упаковка, "")).
func differInKind(a, b metadata.Type) bool {
	if len(a) != 1 || len(b) != 1 {
		return false
	}
	ka, kb := partKind(a[0]), partKind(b[0])
	return ka != kb || ka == "ref" && !strings.EqualFold(a[0].Object, b[0].Object)
}

// isNullComposite is ЕСТЬNULL(a, b) where either value is composite or the
// two differ in kind: the
// result keeps a's type tag and parts, or b's where a is NULL (an outer
// join found no row), so ТИПЗНАЧЕНИЯ, comparisons and presentations of the
// result see the value's type as 1C does. A composite holding Неопределено
// has the empty tag, not NULL, and stays Неопределено.
func (g *gen) isNullComposite(a, b val) val {
	aNull := "(" + a.sql + " IS NULL)"
	if a.comp {
		aNull = "(" + a.tag + " IS NULL)"
	}
	if b.undefined {
		v := a
		v.from, v.field = nil, ""
		v.undef = aNull
		if a.undef != "" {
			v.undef = "(" + aNull + " OR " + a.undef + ")"
		}
		return v
	}
	onlyWhenANull := func(sql string) string { return "CASE WHEN " + aNull + " THEN " + sql + " END" }
	if b.comp {
		parts := make(map[string]string, len(b.parts))
		for kind, p := range b.parts {
			parts[kind] = onlyWhenANull(p)
		}
		b.tag, b.parts, b.sql = onlyWhenANull(b.tag), parts, onlyWhenANull(b.sql)
	} else {
		if b.from == nil && len(b.typ) == 1 && partKind(b.typ[0]) != "number" {
			// A constant or parameter: PostgreSQL would type a bare
			// argument under CASE as text (numbers stand inline).
			b.sql = g.c.Dialect.Cast(b.sql, kindColumnType(partKind(b.typ[0])))
		}
		b.sql = onlyWhenANull(b.sql)
	}
	return g.mergeAlternatives(nil, "", []val{a, b})
}

// dateParts are the functions that take a part of a date.
var dateParts = map[string]string{
	"ГОД": "year", "YEAR": "year", "КВАРТАЛ": "quarter", "QUARTER": "quarter", "МЕСЯЦ": "month", "MONTH": "month",
	"ДЕНЬГОДА": "dayofyear", "DAYOFYEAR": "dayofyear", "ДЕНЬ": "day", "DAY": "day", "НЕДЕЛЯ": "week", "WEEK": "week",
	"ДЕНЬНЕДЕЛИ": "weekday", "WEEKDAY": "weekday", "ЧАС": "hour", "HOUR": "hour", "МИНУТА": "minute", "MINUTE": "minute",
	"СЕКУНДА": "second", "SECOND": "second",
}

// periodUnit reads the period of НАЧАЛОПЕРИОДА and friends: a word such as
// ДЕНЬ or МЕСЯЦ; ДЕКАДА (ten days: 1–10, 11–20, 21 to the month's end) and
// ПОЛУГОДИЕ are "decade" and "halfyear", which periodStart, periodEnd and
// dateAdd build of the others, as no database knows them.
func (g *gen) periodUnit(x ast.Expr) string {
	units := map[string]string{"ГОД": "year", "YEAR": "year", "КВАРТАЛ": "quarter", "QUARTER": "quarter", "МЕСЯЦ": "month",
		"MONTH": "month", "НЕДЕЛЯ": "week", "WEEK": "week", "ДЕНЬ": "day", "DAY": "day", "ЧАС": "hour", "HOUR": "hour",
		"МИНУТА": "minute", "MINUTE": "minute", "СЕКУНДА": "second", "SECOND": "second",
		"ДЕКАДА": "decade", "TENDAYS": "decade", "ПОЛУГОДИЕ": "halfyear", "HALFYEAR": "halfyear"}
	if p, ok := x.(*ast.Path); ok && len(p.Parts) == 1 {
		if u, ok := units[strings.ToUpper(p.Parts[0].Name)]; ok {
			return u
		}
	}
	g.errorf(x, "expected a period: ГОД, ПОЛУГОДИЕ, КВАРТАЛ, МЕСЯЦ, ДЕКАДА, НЕДЕЛЯ, ДЕНЬ, ЧАС, МИНУТА or СЕКУНДА")
	return "day"
}

// periodStart is the start of the period of the date d.
func (g *gen) periodStart(unit, d string) string {
	dl := g.c.Dialect
	switch unit {
	case "halfyear":
		return dl.DateAdd(dl.Trunc("year", d), "month", "CASE WHEN "+dl.DatePart("month", d)+" > 6 THEN 6 ELSE 0 END")
	case "decade":
		day := dl.DatePart("day", d)
		return dl.DateAdd(dl.Trunc("month", d), "day", "CASE WHEN "+day+" <= 10 THEN 0 WHEN "+day+" <= 20 THEN 10 ELSE 20 END")
	}
	return dl.Trunc(unit, d)
}

// periodEnd is the last second of the period of d that starts at start,
// as 1C's КОНЕЦПЕРИОДА gives it; the third decade ends with its month.
func (g *gen) periodEnd(unit, d, start string) string {
	dl := g.c.Dialect
	last := func(next string) string { return dl.DateAdd(next, "second", "-1") }
	if unit == "decade" {
		return "CASE WHEN " + dl.DatePart("day", d) + " <= 20 THEN " + last(dl.DateAdd(start, "day", "10")) +
			" ELSE " + last(dl.DateAdd(dl.Trunc("month", d), "month", "1")) + " END"
	}
	return last(g.dateAdd(start, unit, "1"))
}

// dateAdd adds n periods to d: a decade is ten days, a half-year six
// months.
func (g *gen) dateAdd(d, unit, n string) string {
	switch unit {
	case "halfyear":
		return g.c.Dialect.DateAdd(d, "month", "("+n+") * 6")
	case "decade":
		return g.c.Dialect.DateAdd(d, "day", "("+n+") * 10")
	}
	return g.c.Dialect.DateAdd(d, unit, n)
}

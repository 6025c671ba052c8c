package sqlgen

import (
	"fmt"
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
	"dostup/sdbl/printer"
	"dostup/sdbl/token"
)

// val is a compiled expression.
type val struct {
	sql   string
	typ   metadata.Type
	from  *tableOccurrence // for a reference field: the occurrence it belongs to
	field string           // and its name
	// comp is set for a composite field: sql then reads its reference part
	// (references are unique across types, so comparing it is comparing the
	// value) and tag is the SQL of its type tag.
	comp  bool
	tag   string
	parts map[string]string // composite: the SQL of each part by kind
	// undefined marks the constant Неопределено, whose SQL is NULL; undef,
	// when set, is SQL true when the value is Неопределено (a composite's
	// empty tag, ЕСТЬNULL(x, НЕОПРЕДЕЛЕНО) of a NULL x). Comparisons with
	// Неопределено read them, as NULL never compares equal (equality).
	undefined bool
	undef     string
}

func (g *gen) cond(x ast.Expr, sc *scope) string { return g.expr(x, sc).sql }

// expr compiles an expression, counting how deep expressions nest: past
// maxNesting the database would refuse the statement.
func (g *gen) expr(x ast.Expr, sc *scope) val {
	g.st.depth++
	defer func() { g.st.depth-- }()
	if g.st.depth > maxNesting {
		g.tooDeep(x)
		return val{sql: "NULL"}
	}
	return g.exprNode(x, sc)
}

// literal compiles a number, written into SQL as the lexer read it once
// checkNumber has bounded it, or a string, which is always bound.
func (g *gen) literal(x *ast.Literal) val {
	if x.Kind == token.NUMBER {
		if !g.checkNumber(x) {
			return val{sql: "NULL"}
		}
		_, frac, _ := strings.Cut(x.Value, ".")
		return val{sql: x.Value, typ: metadata.Type{{Primitive: metadata.Number, Precision: 38, Scale: len(frac)}}}
	}
	v := val{sql: g.bind(Arg{Value: x.Value}), typ: metadata.Type{{Primitive: metadata.String}}}
	g.countArg(x)
	return v
}

// constant compiles ИСТИНА, ЛОЖЬ, НЕОПРЕДЕЛЕНО and NULL.
func constant(x *ast.Constant) val {
	switch x.Value {
	case token.True:
		return val{sql: "TRUE", typ: metadata.Type{{Primitive: metadata.Boolean}}}
	case token.False:
		return val{sql: "FALSE", typ: metadata.Type{{Primitive: metadata.Boolean}}}
	case token.Undefined:
		return val{sql: "NULL", undefined: true}
	}
	return val{sql: "NULL"}
}

// exprNode compiles one node of an expression by its kind.
func (g *gen) exprNode(x ast.Expr, sc *scope) val {
	switch x := x.(type) {
	case *ast.Path:
		return g.path(x, sc)
	case *ast.Literal:
		return g.literal(x)
	case *ast.Constant:
		return constant(x)
	case *ast.Param:
		if g.restriction {
			return val{sql: g.bind(Arg{Session: x.Name})}
		}
		v := val{sql: g.bind(Arg{Param: x.Name})}
		g.countArg(x)
		return v
	case *ast.ParenExpr:
		v := g.expr(x.X, sc)
		v.sql = "(" + v.sql + ")"
		return v
	case *ast.UnaryExpr:
		v := g.expr(x.X, sc)
		switch {
		case x.Not:
			return val{sql: "NOT (" + v.sql + ")", typ: metadata.Type{{Primitive: metadata.Boolean}}}
		case x.Op == token.MINUS:
			return val{sql: "-(" + v.sql + ")", typ: v.typ}
		}
		return v
	case *ast.BinaryExpr:
		if x.Kw == token.And || x.Kw == token.Or {
			return g.logical(x, sc)
		}
		if v, ok := g.paramTypeCompare(x, sc); ok {
			return v
		}
		l, r := g.expr(x.X, sc), g.expr(x.Y, sc)
		op := map[token.Kind]string{token.PLUS: "+", token.MINUS: "-", token.STAR: "*", token.SLASH: "/",
			token.EQ: "=", token.NE: "<>", token.LT: "<", token.GT: ">", token.LE: "<=", token.GE: ">="}[x.Op]
		typ := l.typ
		if x.Op == token.PLUS || x.Op == token.MINUS || x.Op == token.STAR || x.Op == token.SLASH {
			if bad, what := arithmetic(x.Op, x.X, l, x.Y, r); bad != nil {
				g.errorf(bad, "%s: arithmetic takes numbers (and + joins strings), and this is %s", printer.Expr(bad, g.c.Config.English), what)
				return val{sql: "NULL"}
			}
		}
		switch {
		case x.Op == token.PLUS && isString(l.typ):
			op = "||"
		case x.Op == token.SLASH:
			return val{sql: g.c.Dialect.Div(l.sql, r.sql), typ: typ}
		case op == "=" || op == "<>":
			return val{sql: g.equality(l, r, op), typ: metadata.Type{{Primitive: metadata.Boolean}}}
		case op == "<" || op == ">" || op == "<=" || op == ">=":
			typ = metadata.Type{{Primitive: metadata.Boolean}}
		}
		return val{sql: "(" + l.sql + " " + op + " " + r.sql + ")", typ: typ}
	case *ast.InExpr:
		if tuple, ok := x.X.(*ast.TupleExpr); ok {
			return g.rowIn(x, tuple, sc)
		}
		l := g.expr(x.X, sc)
		not := ""
		if x.Not {
			not = "NOT "
		}
		switch list := x.List.(type) {
		case *ast.TupleExpr:
			items := g.inItems(l, list.List, sc)
			if x.Hierarchy {
				return val{sql: "(" + l.sql + " " + not + "IN (" + g.hierarchy(x, l, g.hierarchySeed(l, items)) + "))", typ: metadata.Type{{Primitive: metadata.Boolean}}}
			}
			return val{sql: "(" + l.sql + inList(items, x.Not) + ")", typ: metadata.Type{{Primitive: metadata.Boolean}}}
		case *ast.SubqueryExpr:
			sub, _ := g.nested(list.Query, sc)
			if x.Hierarchy {
				sub = g.hierarchy(x, l, sub)
			}
			return val{sql: "(" + l.sql + " " + not + "IN (" + sub + "))", typ: metadata.Type{{Primitive: metadata.Boolean}}}
		}
	case *ast.BetweenExpr:
		l, lo, hi := g.expr(x.X, sc), g.expr(x.Lo, sc), g.expr(x.Hi, sc)
		not := ""
		if x.Not {
			not = "NOT "
		}
		return val{sql: "(" + l.sql + " " + not + "BETWEEN " + lo.sql + " AND " + hi.sql + ")", typ: metadata.Type{{Primitive: metadata.Boolean}}}
	case *ast.LikeExpr:
		l, p := g.expr(x.X, sc), g.expr(x.Pattern, sc)
		not := ""
		if x.Not {
			not = "NOT "
		}
		esc := ""
		if x.Escape != nil {
			esc = " ESCAPE " + g.expr(x.Escape, sc).sql
		}
		return val{sql: "(" + l.sql + " " + not + "LIKE " + p.sql + esc + ")", typ: metadata.Type{{Primitive: metadata.Boolean}}}
	case *ast.IsNullExpr:
		l := g.expr(x.X, sc)
		not := ""
		if x.Not {
			not = "NOT "
		}
		return val{sql: "(" + l.sql + " IS " + not + "NULL)", typ: metadata.Type{{Primitive: metadata.Boolean}}}
	case *ast.CaseExpr:
		var b strings.Builder
		b.WriteString("CASE")
		var typ metadata.Type
		for _, w := range x.Whens {
			r := g.expr(w.Result, sc)
			typ = r.typ
			b.WriteString(" WHEN " + g.cond(w.Cond, sc) + " THEN " + r.sql)
		}
		if x.Else != nil {
			b.WriteString(" ELSE " + g.expr(x.Else, sc).sql)
		}
		b.WriteString(" END")
		return val{sql: b.String(), typ: typ}
	case *ast.CallExpr:
		return g.call(x, sc)
	case *ast.ValueExpr:
		return g.value(x)
	case *ast.CastExpr:
		return g.cast(x, sc)
	case *ast.FieldAccess:
		v := g.cast(x.X.(*ast.CastExpr), sc)
		if len(v.typ) != 1 || v.typ[0].Primitive != metadata.Ref || v.typ[0].Object == "" || g.c.Schema.Object(g.c.Config, v.typ[0].Object) == nil {
			g.errorf(x, "fields can be read through ВЫРАЗИТЬ only to a table of references, as ВЫРАЗИТЬ(Регистратор КАК Документ.Реализация).Номер")
			return val{sql: "NULL"}
		}
		if v.from == nil {
			return g.castFieldsOfValue(x, v)
		}
		// Join the table the value was cast to, once per cast expression.
		key := "cast:" + v.sql
		d, ok := v.from.derefs[key]
		if !ok {
			d = g.deref(v.from, key, g.c.Schema.Object(g.c.Config, v.typ[0].Object), func(d *tableOccurrence) string {
				return d.sql + "." + g.c.Dialect.Quote("_id") + " = " + v.sql
			})
		}
		d.soft = false
		return g.fields(d, x.Fields)
	case *ast.TypeExpr:
		spec, ok := g.typeSpec(x.Type)
		if !ok {
			return val{sql: "NULL"}
		}
		return val{sql: g.c.Dialect.Cast(g.bind(Arg{Value: TypeTag(spec)}), ColumnType{Kind: Text}), typ: metadata.Type{{Primitive: metadata.String}}}
	case *ast.RefsExpr:
		l := g.expr(x.X, sc)
		spec, ok := g.typeSpec(&ast.TypeRef{Name: x.Table})
		if !ok || spec.Primitive != metadata.Ref {
			g.errorf(x.Table, "ССЫЛКА takes a table of references such as Справочник.Контрагенты")
			return val{sql: "NULL"}
		}
		boolean := metadata.Type{{Primitive: metadata.Boolean}}
		switch {
		case l.comp:
			return val{sql: "(" + l.tag + " = " + g.bind(Arg{Value: spec.Object}) + ")", typ: boolean}
		case len(l.typ) == 1 && l.typ[0].Primitive == metadata.Ref && l.typ[0].Object == spec.Object:
			return val{sql: "(" + l.sql + " IS NOT NULL)", typ: boolean}
		case len(l.typ) == 0 && !l.undefined:
			// A parameter: its type is its value's, which the table of the
			// type holds when the value is one of its references.
			return val{sql: g.heldBy(spec, l.sql), typ: boolean}
		}
		return val{sql: "FALSE", typ: boolean}
	case *ast.Star:
		return val{sql: "*"}
	}
	g.errorf(x, "this expression is not supported in queries yet")
	return val{sql: "NULL"}
}

// castFieldsOfValue reads fields through ВЫРАЗИТЬ(&Параметр КАК X) (or of
// another value no table of the query holds): a subquery of X's table for
// the row of that reference, read with the session's rights (a forbidden
// row reads as NULL, as a presentation does).
func (g *gen) castFieldsOfValue(x *ast.FieldAccess, v val) val {
	d := g.occurrence(&tableOccurrence{obj: g.c.Schema.Object(g.c.Config, v.typ[0].Object)})
	d.soft = true
	d.nullable = true
	f := g.fields(d, x.Fields)
	if f.comp {
		g.errorf(x, "a field of several types cannot be read through ВЫРАЗИТЬ of a parameter yet: read it in a query of the table")
		return val{sql: "NULL"}
	}
	q := g.c.Dialect.Quote
	f.sql = "(SELECT " + f.sql + " FROM " + g.renderSource(d) + " WHERE " + d.sql + "." + q("_id") + " = " + v.sql + andMark(d) + ")"
	f.from, f.field = nil, ""
	return f
}

// paramTypeCompare compiles ТИПЗНАЧЕНИЯ(&Параметр) = ТИП(Справочник.X)
// (or <>, either way round): the parameter's type is known only from its
// value, a reference of that type exactly when the type's table holds it.
func (g *gen) paramTypeCompare(x *ast.BinaryExpr, sc *scope) (val, bool) {
	if x.Op != token.EQ && x.Op != token.NE {
		return val{}, false
	}
	call, typ := x.X, x.Y
	if _, ok := call.(*ast.TypeExpr); ok {
		call, typ = typ, call
	}
	c, ok := call.(*ast.CallExpr)
	t, ok2 := typ.(*ast.TypeExpr)
	if !ok || !ok2 || len(c.Args) != 1 || !(strings.EqualFold(c.Fun.Name, "ТИПЗНАЧЕНИЯ") || strings.EqualFold(c.Fun.Name, "VALUETYPE")) {
		return val{}, false
	}
	if _, isParam := c.Args[0].(*ast.Param); !isParam || g.restriction {
		return val{}, false
	}
	spec, ok := g.typeSpec(t.Type)
	if !ok || spec.Primitive != metadata.Ref || spec.Object == "" {
		return val{}, false
	}
	ref := g.c.Dialect.Cast(g.expr(c.Args[0], sc).sql, ColumnType{Kind: UUID})
	held := g.heldBy(spec, ref)
	if x.Op == token.NE {
		held = "(" + ref + " IS NOT NULL AND NOT " + held + ")"
	}
	return val{sql: held, typ: metadata.Type{{Primitive: metadata.Boolean}}}, true
}

// heldBy is SQL true when the reference ref is a row of the table of the
// reference type spec (references are unique across tables).
func (g *gen) heldBy(spec metadata.TypeSpec, ref string) string {
	if e := metadata.SystemEnumNamed(spec.Object); e != nil {
		return "FALSE"
	}
	om := g.c.Schema.Object(g.c.Config, spec.Object)
	if om == nil || om.Table.union != nil {
		return "FALSE"
	}
	q := g.c.Dialect.Quote
	return "EXISTS (SELECT 1 FROM " + q(om.Table.Name) + " WHERE " + q("_id") + " = " + ref + ")"
}

// equality compiles l = r or l <> r as 1C compares values: Неопределено
// equals only Неопределено, and values of types that share no kind of
// value (a string and a reference, a Boolean and a number) are never
// equal, which a backend with strict types (PostgreSQL) would otherwise
// refuse to compare. A NULL operand still gives NULL.
func (g *gen) equality(l, r val, op string) string {
	if l.undefined {
		l, r = r, l
	}
	if r.undefined {
		if l.undefined {
			return map[string]string{"=": "TRUE", "<>": "FALSE"}[op]
		}
		if l.undef == "" {
			// A value of a type without Неопределено: never equal.
			return unequal(l.sql, "", op)
		}
		if op == "=" {
			return l.undef
		}
		return "(NOT " + l.undef + ")"
	}
	if len(l.typ) > 0 && len(r.typ) > 0 && !sharesKind(l.typ, r.typ) {
		return unequal(l.sql, r.sql, op)
	}
	return "(" + l.sql + " " + op + " " + r.sql + ")"
}

// unequal is the comparison of values that can never be equal: NULL when
// one is NULL, else FALSE for = and TRUE for <>.
func unequal(l, r, op string) string {
	isNull := "(" + l + ") IS NULL"
	if r != "" {
		isNull += " OR (" + r + ") IS NULL"
	}
	result := map[string]string{"=": "FALSE", "<>": "TRUE"}[op]
	return "(CASE WHEN " + isNull + " THEN NULL ELSE " + result + " END)"
}

// sharesKind reports whether two types have a kind of value in common
// (strings, numbers, Booleans, dates, references, stored values).
func sharesKind(a, b metadata.Type) bool {
	for _, x := range a {
		for _, y := range b {
			if partKind(x) == partKind(y) {
				return true
			}
		}
	}
	return false
}

// hierarchy turns a list of groups (SQL yielding ids) into those groups and
// every item below them, for В ИЕРАРХИИ: a recursive walk down Родитель.
func (g *gen) hierarchy(x ast.Node, l val, groups string) string {
	if len(l.typ) != 1 || l.typ[0].Primitive != metadata.Ref || l.typ[0].Object == "" {
		g.errorf(x, "В ИЕРАРХИИ needs a reference to a hierarchical catalog on its left")
		return groups
	}
	o := g.c.Config.Object(l.typ[0].Object)
	om := g.c.Schema.Object(g.c.Config, l.typ[0].Object)
	parent, ok := om.Fields["родитель"]
	if !ok || !o.Hierarchical {
		g.errorf(x, "В ИЕРАРХИИ needs a hierarchical catalog; %s is not", o.FullName(g.c.Config.English))
		return groups
	}
	q := g.c.Dialect.Quote
	h := g.alias("h")
	c := g.alias("c")
	return fmt.Sprintf("WITH RECURSIVE %s(id) AS (%s UNION SELECT %s.%s FROM %s %s JOIN %s ON %s.%s = %s.id) SELECT id FROM %s",
		h, groups, c, q("_id"), q(om.Table.Name), c, h, c, q(parent.Column), h, h)
}

// value compiles ЗНАЧЕНИЕ(...): an empty reference, or an enumeration value.
func (g *gen) value(x *ast.ValueExpr) val {
	parts := x.Name.Parts
	if e := metadata.SystemEnumNamed(parts[0].Name); len(parts) == 2 && e != nil {
		// A system enumeration (ВидДвиженияНакопления, ВидДвиженияБухгалтерии,
		// ВидСчета): its values are known.
		k, ok := e.Value(parts[1].Name)
		if !ok {
			g.errorf(parts[1], "%s has %s, not %s", e.ShortName(), strings.Join(e.Values, ", "), parts[1].Name)
			return val{sql: "NULL"}
		}
		return val{sql: g.bind(Arg{Value: SystemEnumID(e.Name, k)}), typ: metadata.Type{{Primitive: metadata.Ref, Object: e.Name}}}
	}
	if len(parts) != 3 {
		g.errorf(x, "ЗНАЧЕНИЕ(%s): expected Вид.Имя.Значение, as Справочник.Валюты.ПустаяСсылка", x.Name)
		return val{sql: "NULL"}
	}
	o := g.c.Config.Object(parts[0].Name + "." + parts[1].Name)
	if o == nil {
		g.errorf(x, "%s.%s is not in the configuration", parts[0].Name, parts[1].Name)
		return val{sql: "NULL"}
	}
	typ := metadata.Type{{Primitive: metadata.Ref, Object: o.FullName(false)}}
	last := parts[2].Name
	if strings.EqualFold(last, "ПустаяСсылка") || strings.EqualFold(last, "EmptyRef") {
		return val{sql: g.bind(Arg{Value: EmptyRef}), typ: typ}
	}
	if o.Kind == metadata.Enum {
		for _, v := range o.Values {
			if strings.EqualFold(v, last) {
				return val{sql: g.bind(Arg{Value: EnumValueID(o, v)}), typ: typ}
			}
		}
		g.errorf(parts[2], "%s has no value %s", o.FullName(g.c.Config.English), last)
		return val{sql: "NULL"}
	}
	for _, name := range o.Predefined {
		if strings.EqualFold(name, last) {
			return val{sql: g.bind(Arg{Value: PredefinedID(o, name)}), typ: typ}
		}
	}
	if len(o.Predefined) == 0 {
		g.errorf(parts[2], "%s has no predefined items (declare them under predefined: in the configuration)", o.FullName(g.c.Config.English))
	} else {
		g.errorf(parts[2], "%s has no predefined item %s (it has %s)", o.FullName(g.c.Config.English), last, strings.Join(o.Predefined, ", "))
	}
	return val{sql: "NULL"}
}

// arithmetic finds the operand of + - * / whose type 1C refuses there: a
// reference, a boolean, a date, or a string anywhere but on both sides of
// +. Operands whose type is not known (expressions, NULL, parameters) pass.
func arithmetic(op token.Kind, lx ast.Expr, l val, rx ast.Expr, r val) (ast.Expr, string) {
	kind := func(v val) string {
		if v.comp || len(v.typ) != 1 {
			return ""
		}
		switch v.typ[0].Primitive {
		case metadata.Number:
			return "number"
		case metadata.String:
			return "string"
		case metadata.Boolean:
			return "a boolean"
		case metadata.Date:
			return "a date"
		case metadata.Ref:
			return "a reference"
		}
		return "a value storage"
	}
	lk, rk := kind(l), kind(r)
	if op == token.PLUS && (lk == "string" || rk == "string") && (lk == "" || lk == "string") && (rk == "" || rk == "string") {
		return nil, ""
	}
	bad := func(k string) bool { return k != "" && k != "number" }
	switch {
	case bad(lk):
		return lx, describeKind(lk)
	case bad(rk):
		return rx, describeKind(rk)
	}
	return nil, ""
}

func describeKind(k string) string {
	if k == "string" {
		return "a string"
	}
	return k
}

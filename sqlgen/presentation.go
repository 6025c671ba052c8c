package sqlgen

import (
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
)

// presentation adds the presentation of a reference field to the result:
// Наименование of catalogs, Номер of documents, the name of an enumeration
// value; it joins the referenced table for it.
func (g *gen) presentation(v val, x ast.Expr, sc *scope) (string, bool) {
	if v.from == nil || len(v.typ) != 1 || v.typ[0].Primitive != metadata.Ref || v.typ[0].Object == "" {
		return "", false
	}
	if e := metadata.SystemEnumNamed(v.typ[0].Object); e != nil && strings.EqualFold(e.Name, v.typ[0].Object) {
		// A system enumeration has no table: its values are known.
		var b strings.Builder
		b.WriteString("CASE " + v.sql)
		for _, value := range e.Values {
			b.WriteString(" WHEN " + g.bind(Arg{Value: SystemEnumID(e.Name, value)}) + " THEN '" + value + "'")
		}
		b.WriteString(" END")
		return b.String(), true
	}
	om := g.c.Schema.Object(g.c.Config, v.typ[0].Object)
	if om == nil {
		return "", false
	}
	col := presentationColumn(om)
	if col == "" {
		return "", false
	}
	key := strings.ToLower(v.field)
	// A reference to the row itself (Ссылка) needs no join.
	if f, ok := v.from.field(v.field); ok && f.Column == "_id" && v.from.obj == om {
		return v.from.sql + "." + g.c.Dialect.Quote(col), true
	}
	next, ok := v.from.derefs[key]
	if !ok && g.st.subqueryPresentations {
		// Past the joins a SELECT may make (tablesOver): a subquery.
		return g.presentationSubquery(om, v.sql)
	}
	if !ok {
		next = g.deref(v.from, key, om, func(d *tableOccurrence) string {
			return d.sql + "." + g.c.Dialect.Quote("_id") + " = " + v.sql
		})
		next.soft = true
	}
	return next.sql + "." + g.c.Dialect.Quote(col), true
}

// compositePresentation is the presentation of the reference a composite
// field holds: a join per reference type it declares, the one whose id
// matches giving its Наименование or Номер. Any-reference fields, whose
// types are not listed, go without.
func (g *gen) compositePresentation(v val) (string, bool) {
	ref, ok := v.parts["ref"]
	if !ok {
		return "", false
	}
	// A composite computed from other values (ЕСТЬNULL of two) belongs to
	// no one table occurrence to join the types' tables to.
	if refTypes(v.typ) > maxJoinedPresentations || v.from == nil || g.st.subqueryPresentations {
		var oms []*ObjectMap
		for _, spec := range v.typ {
			if spec.Primitive == metadata.Ref && spec.Object != "" {
				if om := g.c.Schema.Object(g.c.Config, spec.Object); om != nil {
					oms = append(oms, om)
				}
			}
		}
		return g.presentationByTag(v, ref, oms)
	}
	var alts []string
	for _, spec := range v.typ {
		if spec.Primitive != metadata.Ref || spec.Object == "" {
			continue
		}
		om := g.c.Schema.Object(g.c.Config, spec.Object)
		if om == nil {
			continue
		}
		col := presentationColumn(om)
		if col == "" {
			continue
		}
		// The join a read through the composite made for this type
		// (throughComposite) serves the presentation too.
		key := ""
		if v.field != "" {
			key = strings.ToLower(v.field) + "|" + strings.ToLower(spec.Object)
		}
		d := v.from.derefs[key]
		if d == nil {
			d = g.deref(v.from, key, om, func(d *tableOccurrence) string {
				return d.sql + "." + g.c.Dialect.Quote("_id") + " = " + ref
			})
			d.soft = true
		}
		alt := d.sql + "." + g.c.Dialect.Quote(col)
		if c := om.Table.Column(col); c != nil && c.Type.Kind != Text && c.Type.Kind != VarChar {
			// A number presents a document as well as a string does, but
			// PostgreSQL's COALESCE takes values of one type: all as text.
			alt = g.c.Dialect.Cast(alt, ColumnType{Kind: Text})
		}
		alts = append(alts, alt)
	}
	switch len(alts) {
	case 0:
		return "", false
	case 1:
		return alts[0], true
	}
	return "COALESCE(" + strings.Join(alts, ", ") + ")", true
}

// maxJoinedPresentations is how many reference types a composite value
// may list and still be presented by a join per type. Past it, and for a
// reference of any type, the presentation is read by a subquery per type
// under a CASE over the value's type tag, as 1C reads it: a SELECT joins
// at most maxTables tables, and a register's Регистратор or a field of
// any reference type may name hundreds (thousands in a large
// configuration), of which each row needs one.
const maxJoinedPresentations = 4

// anyRef reports whether a value of type t may be a reference of any
// type: ЛюбаяСсылка, or a type not known at all.
func anyRef(t metadata.Type) bool {
	for _, spec := range t {
		if spec.Primitive == metadata.Ref && spec.Object == "" {
			return true
		}
	}
	return len(t) == 0
}

// refTypes counts the reference types a type lists.
func refTypes(t metadata.Type) int {
	n := 0
	for _, spec := range t {
		if spec.Primitive == metadata.Ref && spec.Object != "" {
			n++
		}
	}
	return n
}

// presentationByTag presents the reference ref of the composite v by a
// CASE over its type tag, each branch a subquery of one table of oms
// (those without a presentation left out). Each subquery is a soft
// occurrence: a forbidden record presents as NULL, as a join would.
func (g *gen) presentationByTag(v val, ref string, oms []*ObjectMap) (string, bool) {
	var b strings.Builder
	n := 0
	for _, om := range oms {
		sub, ok := g.presentationSubquery(om, ref)
		if !ok {
			continue
		}
		if n == 0 {
			b.WriteString("CASE " + v.tag)
		}
		n++
		b.WriteString(" WHEN " + g.bind(Arg{Value: om.Object.FullName(false)}) + " THEN " + sub)
	}
	if n == 0 {
		return "", false
	}
	b.WriteString(" END")
	return b.String(), true
}

// presentationSubquery presents the reference ref of om's table by a
// subquery of that table: a soft occurrence, so a forbidden record
// presents as NULL, as a join would. False when the table has no
// presentation.
func (g *gen) presentationSubquery(om *ObjectMap, ref string) (string, bool) {
	q := g.c.Dialect.Quote
	col := presentationColumn(om)
	if col == "" {
		return "", false
	}
	d := g.occurrence(&tableOccurrence{obj: om})
	d.soft = true
	d.nullable = true
	alt := d.sql + "." + q(col)
	if c := om.Table.Column(col); c != nil && c.Type.Kind != Text && c.Type.Kind != VarChar {
		alt = g.c.Dialect.Cast(alt, ColumnType{Kind: Text})
	}
	return "(SELECT " + alt + " FROM " + g.renderSource(d) + " WHERE " + d.sql + "." + q("_id") + " = " + ref + andMark(d) + ")", true
}

// anyPresentation presents a reference of any type (ЛюбаяСсылка, or a
// value whose type lists no tables): every table of references of the
// configuration may hold it.
func (g *gen) anyPresentation(v val) (string, bool) {
	ref, ok := v.parts["ref"]
	if !ok {
		return "", false
	}
	var oms []*ObjectMap
	for _, o := range g.c.Config.Objects {
		if !o.Kind.IsReference() {
			continue
		}
		if om := g.c.Schema.objectByKey(strings.ToLower(o.FullName(false))); om != nil {
			oms = append(oms, om)
		}
	}
	return g.presentationByTag(v, ref, oms)
}

// maxCoalesce is how many values one COALESCE takes here: SQLite's
// functions take at most 127 arguments, so longer lists nest.
const maxCoalesce = 100

// idPresentation presents a reference known by its id alone (a
// parameter, whose type only its value knows): the presentation of the
// row of whichever table of references holds that id, each table read by
// a subquery, as ids are unique across tables.
func (g *gen) idPresentation(id string) (string, bool) {
	var alts []string
	for _, o := range g.c.Config.Objects {
		if !o.Kind.IsReference() {
			continue
		}
		if om := g.c.Schema.objectByKey(strings.ToLower(o.FullName(false))); om != nil {
			if sub, ok := g.presentationSubquery(om, id); ok {
				alts = append(alts, sub)
			}
		}
	}
	if len(alts) == 0 {
		return "", false
	}
	for len(alts) > 1 {
		var next []string
		for i := 0; i < len(alts); i += maxCoalesce {
			chunk := alts[i:min(i+maxCoalesce, len(alts))]
			if len(chunk) == 1 {
				next = append(next, chunk[0])
				continue
			}
			next = append(next, "COALESCE("+strings.Join(chunk, ", ")+")")
		}
		alts = next
	}
	return "COALESCE(" + alts[0] + ", '')", true
}

// PresentationColumn is the column that presents an object's references:
// Наименование, else Номер, else an enumeration value's name, else Код; ""
// when there is none.
func PresentationColumn(om *ObjectMap) string { return presentationColumn(om) }

func presentationColumn(om *ObjectMap) string {
	for _, name := range []string{"наименование", "номер", "_name", "код"} {
		if f, ok := om.Fields[name]; ok && f.Column != "" {
			return f.Column
		}
	}
	return ""
}

// presentationOf is ПРЕДСТАВЛЕНИЕ of any value: a reference's presentation,
// a string itself, a number's digits, Да or Нет (Yes, No in an English
// configuration), a date as ДД.ММ.ГГГГ Ч:ММ:СС, and the empty string for
// NULL and Неопределено. A composite value presents the value it holds, a
// reference of any type by the table its type tag names.
//
// 1C groups a number's digits and writes its decimal point by the
// session's locale; the digits here are plain (2500, 12.5), so that both
// backends print the same text.
func (g *gen) presentationOf(v val, x ast.Expr, sc *scope) (string, bool) {
	if v.comp {
		return g.compositeText(v)
	}
	if pres, ok := g.presentation(v, x, sc); ok {
		return "COALESCE(" + pres + ", '')", true
	}
	if v.undefined || v.sql == "NULL" && len(v.typ) == 0 {
		return "''", true
	}
	if len(v.typ) != 1 {
		return "", false
	}
	text, ok := g.primitiveText(v.typ[0], v.sql)
	if !ok {
		return "", false
	}
	return "COALESCE(" + text + ", '')", true
}

// primitiveText is the text of a value of one primitive type; ok is false
// for a reference.
func (g *gen) primitiveText(t metadata.TypeSpec, sqlText string) (string, bool) {
	switch t.Primitive {
	case metadata.String:
		return sqlText, true
	case metadata.Number:
		return g.c.Dialect.NumberText(sqlText), true
	case metadata.Boolean:
		yes, no := "'Да'", "'Нет'"
		if g.c.Config.English {
			yes, no = "'Yes'", "'No'"
		}
		return "CASE WHEN " + sqlText + " THEN " + yes + " WHEN NOT " + sqlText + " THEN " + no + " END", true
	case metadata.Date:
		return g.c.Dialect.DateText(sqlText), true
	case metadata.ValueStorage:
		return "''", true
	}
	return "", false
}

// compositeText presents the value a composite holds: its reference's
// presentation, or the text of its primitive part, by its tag.
func (g *gen) compositeText(v val) (string, bool) {
	var alts []string
	present := g.compositePresentation
	if anyRef(v.typ) {
		present = g.anyPresentation
	}
	if pres, ok := present(v); ok {
		alts = append(alts, pres)
	}
	for _, kind := range compositeKinds {
		p, ok := v.parts[kind]
		if !ok || kind == "ref" {
			continue
		}
		spec := map[string]metadata.TypeSpec{"string": {Primitive: metadata.String}, "number": {Primitive: metadata.Number},
			"bool": {Primitive: metadata.Boolean}, "date": {Primitive: metadata.Date}, "bytes": {Primitive: metadata.ValueStorage}}[kind]
		text, _ := g.primitiveText(spec, p)
		alts = append(alts, "CASE WHEN "+v.tag+" = "+g.bind(Arg{Value: TypeTag(spec)})+" THEN "+text+" END")
	}
	if len(alts) == 0 {
		return "''", true
	}
	return "COALESCE(" + strings.Join(alts, ", ") + ", '')", true
}

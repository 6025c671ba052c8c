package sqlgen

import (
	"fmt"
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
	if v.typ[0].Object == metadata.RecordTypeEnum {
		// The system enumeration has no table: its two values are known.
		return fmt.Sprintf("CASE %s WHEN %s THEN 'Приход' WHEN %s THEN 'Расход' END", v.sql,
			g.bind(Arg{Value: RecordTypeID("Приход")}), g.bind(Arg{Value: RecordTypeID("Расход")})), true
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
// NULL and Неопределено. A composite value presents the value it holds. A
// reference of any type (its table unknown) has none: ok is false.
//
// 1C groups a number's digits and writes its decimal point by the
// session's locale; the digits here are plain (2500, 12.5), so that both
// backends print the same text.
func (g *gen) presentationOf(v val, x ast.Expr, sc *scope) (string, bool) {
	if v.comp && len(v.typ) == 0 {
		return "", false // any reference: the tables to present it from are not known
	}
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
	if pres, ok := g.compositePresentation(v); ok {
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

package sqlgen

import (
	"strings"

	"dostup/metadata"
	"dostup/rls"
)

// The parts of ОБЪЕДИНИТЬ give one column each per field, as SQL's UNION
// needs; where their values differ in shape (a reference in one part, a
// string or another table's reference in the next, a composite field in a
// third) 1C's result column is composite, of all the parts' types. The
// compiler then compiles the query again with a layout for such a column
// that every part follows: the type tag, a column per kind of value of any
// part (NULL where a part's value has none of that kind), and the
// presentation.

// columnLayout is the shape every part of a union gives one result column.
type columnLayout struct {
	composite bool
	kinds     []string      // composite: the kinds of its part columns, in compositeKinds order
	typ       metadata.Type // the types of all parts' values
	// presentation: the column is followed by a presentation in every
	// part (NULL in a part whose value presents nothing).
	presentation bool
}

// stateMark is how far a statement's shared state had come: compiling a
// union again with layouts starts from it, so its arguments, aliases,
// errors and access checks are made once.
type stateMark struct {
	args, nalias, errs, occs, probes int
	denied                           *rls.AccessError
	deepReported, argsReported       bool
}

func (s *state) mark() stateMark {
	return stateMark{args: len(s.args), nalias: s.nalias, errs: len(s.errs), occs: len(s.occs), probes: len(s.probes),
		denied: s.denied, deepReported: s.deepReported, argsReported: s.argsReported}
}

func (s *state) reset(m stateMark) {
	s.args, s.nalias, s.errs = s.args[:m.args], m.nalias, s.errs[:m.errs]
	s.occs, s.probes = s.occs[:m.occs], s.probes[:m.probes]
	s.denied, s.deepReported, s.argsReported = m.denied, m.deepReported, m.argsReported
}

// valueShape is what decides how a part's column can stand beside the
// others': a composite's kinds, one type's kind (and table, for a
// reference), no type at all (NULL, a parameter, Неопределено), or several
// types in one column, which no layout can take apart.
type valueShape struct {
	composite, unknown, several bool
	kinds                       []string
	kind, object                string
}

func shapeOf(c ResultColumn) valueShape {
	switch {
	case len(c.Composite) > 0:
		return valueShape{composite: true, kinds: c.Composite}
	case len(c.Type) == 0:
		return valueShape{unknown: true}
	case len(c.Type) > 1:
		return valueShape{several: true}
	}
	return valueShape{kind: partKind(c.Type[0]), object: strings.ToLower(c.Type[0].Object)}
}

// unionLayouts decides the layout of each column whose parts differ in
// shape; nil when every column already agrees across the parts (or none
// can be reconciled).
func (g *gen) unionLayouts(parts [][]ResultColumn, presentations bool) map[int]*columnLayout {
	var out map[int]*columnLayout
	for i := range parts[0] {
		var shapes []valueShape
		var typ metadata.Type
		ok := true
		for _, p := range parts {
			if i >= len(p) {
				ok = false
				break
			}
			shapes = append(shapes, shapeOf(p[i]))
			for _, spec := range p[i].Type {
				typ = addSpec(typ, spec)
			}
		}
		if !ok {
			continue
		}
		lay := g.layoutFor(shapes, typ, presentations)
		if lay == nil {
			continue
		}
		agree := true
		for _, p := range parts {
			if !lay.fits(p[i]) {
				agree = false
			}
		}
		if agree {
			continue
		}
		if out == nil {
			out = map[int]*columnLayout{}
		}
		out[i] = lay
	}
	return out
}

// layoutFor is the layout of one column given its parts' shapes, or nil
// when they cannot be reconciled.
func (g *gen) layoutFor(shapes []valueShape, typ metadata.Type, presentations bool) *columnLayout {
	composite := false
	kinds := map[string]bool{}
	first := valueShape{unknown: true}
	for _, s := range shapes {
		switch {
		case s.several:
			return nil
		case s.unknown:
			continue
		case s.composite:
			composite = true
			for _, k := range s.kinds {
				kinds[k] = true
			}
			continue
		}
		kinds[s.kind] = true
		if first.unknown {
			first = s
		} else if s.kind != first.kind || s.object != first.object {
			composite = true
		}
	}
	lay := &columnLayout{composite: composite, typ: typ}
	if !composite {
		// One type's values: a presentation follows when one part has one
		// (a reference read from a table), and the first known type
		// stands for the column, as before.
		if first.unknown {
			return nil
		}
		for _, spec := range typ {
			if partKind(spec) == first.kind && strings.EqualFold(spec.Object, first.object) {
				lay.typ = metadata.Type{spec}
				break
			}
		}
		lay.presentation = presentations && first.kind == "ref" && g.presentable(lay.typ)
		return lay
	}
	for _, k := range compositeKinds {
		if kinds[k] {
			lay.kinds = append(lay.kinds, k)
		}
	}
	if len(lay.kinds) == 0 {
		return nil
	}
	lay.presentation = presentations && kinds["ref"] && g.presentable(typ)
	return lay
}

// presentable reports whether a reference of one of the types has a
// presentation the compiler can read (compositePresentation's tables).
func (g *gen) presentable(typ metadata.Type) bool {
	for _, spec := range typ {
		if spec.Primitive != metadata.Ref || spec.Object == "" {
			continue
		}
		if metadata.SystemEnumNamed(spec.Object) != nil {
			return true
		}
		if om := g.c.Schema.Object(g.c.Config, spec.Object); om != nil && presentationColumn(om) != "" {
			return true
		}
	}
	return false
}

// fits reports whether a part's column already has the layout's shape.
func (l *columnLayout) fits(c ResultColumn) bool {
	if l.composite {
		return strings.Join(c.Composite, ",") == strings.Join(l.kinds, ",") && c.Presentation == l.presentation
	}
	return len(c.Composite) == 0 && (len(c.Type) == 1 || !l.presentation) && c.Presentation == l.presentation
}

// conform gives a part's value the layout's composite shape: its own tag
// and parts where it has them, typed NULLs for the kinds it lacks, and for
// a value of one type a tag naming that type where the value is not NULL.
func (g *gen) conform(v val, l *columnLayout) val {
	out := val{comp: true, typ: l.typ, parts: map[string]string{}}
	switch {
	case v.comp:
		out.tag, out.from, out.field = v.tag, v.from, v.field
		for k, p := range v.parts {
			out.parts[k] = p
		}
	case v.undefined:
		out.tag = "''" // the empty tag is Неопределено
	case len(v.typ) == 1:
		kind, sql := partKind(v.typ[0]), v.sql
		if v.from == nil && kind != "number" {
			// A constant or parameter: PostgreSQL cannot tell the type of
			// a bare argument under IS NOT NULL (numbers stand inline).
			sql = g.c.Dialect.Cast(sql, kindColumnType(kind))
		}
		tag := g.c.Dialect.Cast(g.bind(Arg{Value: TypeTag(v.typ[0])}), ColumnType{Kind: Text})
		out.tag = "CASE WHEN " + sql + " IS NOT NULL THEN " + tag + " END"
		out.parts[kind] = sql
	default:
		out.tag = g.c.Dialect.Cast("NULL", ColumnType{Kind: Text})
	}
	for _, k := range l.kinds {
		if _, ok := out.parts[k]; !ok {
			out.parts[k] = g.c.Dialect.Cast("NULL", kindColumnType(k))
		}
	}
	for k := range out.parts {
		if !containsKind(l.kinds, k) {
			delete(out.parts, k)
		}
	}
	out.undef = "(" + out.tag + " = '')"
	out.sql = "NULL"
	if r, ok := out.parts["ref"]; ok {
		out.sql = r
	}
	return out
}

// kindColumnType is the column type a typed NULL of a composite's part of
// that kind takes: PostgreSQL settles a union column's type from its
// parts and cannot match an untyped NULL read from a derived table.
func kindColumnType(kind string) ColumnType {
	switch kind {
	case "string":
		return ColumnType{Kind: Text}
	case "number":
		return ColumnType{Kind: Decimal, Precision: metadata.MaxPrecision, Scale: 10}
	case "bool":
		return ColumnType{Kind: Bool}
	case "date":
		return ColumnType{Kind: Timestamp}
	case "bytes":
		return ColumnType{Kind: Bytes}
	}
	return ColumnType{Kind: UUID}
}

func containsKind(kinds []string, k string) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// layoutPresentation presents a part's value of one reference type that
// g.presentation cannot (a constant, a parameter of known type: no table
// occurrence to join to) by a subquery of its table, or as NULL.
func (g *gen) layoutPresentation(v val) string {
	if len(v.typ) == 1 && v.typ[0].Primitive == metadata.Ref && v.typ[0].Object != "" {
		if om := g.c.Schema.Object(g.c.Config, v.typ[0].Object); om != nil {
			if sub, ok := g.presentationSubquery(om, v.sql); ok {
				return sub
			}
		}
	}
	return g.c.Dialect.Cast("NULL", ColumnType{Kind: Text})
}

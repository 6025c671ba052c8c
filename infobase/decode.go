package infobase

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"dostup/metadata"
	"dostup/sqlgen"
)

// column is one attribute as read: its columns and how to decode them.
type column struct {
	attr *metadata.Attribute
	typ  metadata.Type
	f    sqlgen.Field
	pres bool // a presentation column follows the value
}

// readObject reads an object's row and its tabular sections, with the
// presentations of the records its references name as the engine sees
// them (Session.hideForbidden then empties those its user may not read).
func (ib *Infobase) readObject(ctx context.Context, q queryer, om *sqlgen.ObjectMap, id string) (*Object, error) {
	cols := objectColumns(om)
	extra := []string{om.Fields["версияданных"].Column, om.Fields["пометкаудаления"].Column}
	rows, extras, err := ib.readRows(ctx, q, om.Table.Name, cols, extra, "t."+ib.q("_id")+" = "+ib.p(1), "", id)
	if err != nil {
		return nil, err
	}
	name := om.Object.FullName(false)
	if len(rows) == 0 {
		return nil, &NotFoundError{Object: name, Ref: id}
	}
	obj := &Object{FullName: name, Ref: id, Values: rows[0], Sections: map[string][]map[string]any{}}
	ver, _ := strconv.ParseInt(asString(convert(extras[0][0], metadata.Type{{Primitive: metadata.Number}})), 10, 64)
	obj.Version = ver
	obj.DeletionMark, _ = convert(extras[0][1], metadata.Type{{Primitive: metadata.Boolean}}).(bool)
	for _, sm := range sortedSections(om) {
		scols := sectionColumns(om, sm)
		line := "t." + ib.q(sm.Fields["номерстроки"].Column)
		srows, _, err := ib.readRows(ctx, q, sm.Table.Name, scols, nil, "t."+ib.q(sm.Fields["ссылка"].Column)+" = "+ib.p(1), line, id)
		if err != nil {
			return nil, err
		}
		if srows == nil {
			srows = []map[string]any{}
		}
		obj.Sections[sm.Section.Name] = srows
	}
	return obj, nil
}

// objectColumns are the columns of an object's row that Object.Values
// holds: its standard attributes but the three Object keeps apart, and its
// own attributes.
func objectColumns(om *sqlgen.ObjectMap) []column {
	var cols []column
	for _, a := range om.Object.StandardAttributes() {
		switch a.Name {
		case "Ссылка", "ВерсияДанных", "ПометкаУдаления":
			continue
		}
		cols = append(cols, column{attr: a, typ: storedType(a), f: om.Fields[strings.ToLower(a.Name)]})
	}
	for _, a := range om.Object.Attributes {
		cols = append(cols, column{attr: a, typ: a.Type, f: om.Fields[strings.ToLower(a.Name)]})
	}
	return cols
}

// sectionColumns are the columns of a tabular section's row: НомерСтроки
// and the section's attributes.
func sectionColumns(om *sqlgen.ObjectMap, sm *sqlgen.SectionMap) []column {
	cols := []column{{attr: sm.Section.StandardAttributes(om.Object)[1], typ: metadata.Type{{Primitive: metadata.Number, Precision: 5}}, f: sm.Fields["номерстроки"]}}
	for _, a := range sm.Section.Attributes {
		cols = append(cols, column{attr: a, typ: a.Type, f: sm.Fields[strings.ToLower(a.Name)]})
	}
	return cols
}

// readRows reads rows of a table: each attribute decoded as the query API
// gives it, single-typed references with their presentation (one LEFT JOIN
// per reference attribute whose object has one).
func (ib *Infobase) readRows(ctx context.Context, q queryer, table string, cols []column, extra []string, where string, order string, args ...any) ([]map[string]any, [][]any, error) {
	var sel, joins []string
	for _, e := range extra {
		sel = append(sel, "t."+ib.q(e))
	}
	for i := range cols {
		c := &cols[i]
		if c.f.Column == "" {
			sel = append(sel, "t."+ib.q(c.f.Tag))
			for _, k := range c.f.Kinds() {
				sel = append(sel, "t."+ib.q(c.f.Parts[k]))
			}
			continue
		}
		sel = append(sel, "t."+ib.q(c.f.Column))
		if len(c.typ) == 1 && c.typ[0].Primitive == metadata.Ref && c.typ[0].Object != "" {
			if om := ib.Schema.Object(ib.Config, c.typ[0].Object); om != nil {
				if pc := sqlgen.PresentationColumn(om); pc != "" {
					alias := fmt.Sprintf("j%d", len(joins))
					joins = append(joins, fmt.Sprintf(" LEFT JOIN %s %s ON %s.%s = t.%s", ib.q(om.Table.Name), alias, alias, ib.q("_id"), ib.q(c.f.Column)))
					sel = append(sel, alias+"."+ib.q(pc))
					c.pres = true
				}
			}
		}
	}
	stmt := fmt.Sprintf("SELECT %s FROM %s t%s WHERE %s", strings.Join(sel, ", "), ib.q(table), strings.Join(joins, ""), where)
	if order != "" {
		stmt += " ORDER BY " + order
	}
	for i, a := range args {
		args[i] = ib.DB.Dialect.Arg(a)
	}
	rows, err := q.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", table, err)
	}
	defer rows.Close()
	var out []map[string]any
	var extras [][]any
	for rows.Next() {
		n := len(sel)
		raw := make([]any, n)
		ptrs := make([]any, n)
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		k := len(extra)
		extras = append(extras, raw[:k])
		vals := map[string]any{}
		for _, c := range cols {
			if c.f.Column == "" {
				vals[c.attr.Name] = decodeComposite(c.typ, c.f, raw[k:])
				k += 1 + len(c.f.Parts)
				continue
			}
			v := convert(raw[k], c.typ)
			k++
			if len(c.typ) == 1 && c.typ[0].Primitive == metadata.Ref {
				r := Ref{ID: asString(v)}
				if c.pres {
					r.Presentation = asString(convert(raw[k], nil))
					k++
				}
				v = r
			}
			vals[c.attr.Name] = v
		}
		out = append(out, vals)
	}
	return out, extras, rows.Err()
}

// decodeComposite reads a composite attribute of a stored object from its
// tag and part columns: a TypedValue, or nil for Неопределено. A number
// keeps the attribute's scale; a reference is an id without presentation.
func decodeComposite(typ metadata.Type, f sqlgen.Field, raw []any) any {
	tag, spec, parsed, part, ok := compositePart(raw[:1+len(f.Parts)], f.Kinds())
	if tag == "" {
		return nil
	}
	if !parsed || !ok {
		return TypedValue{Type: tag}
	}
	for _, s := range typ {
		if s.Primitive == spec.Primitive && s.Primitive == metadata.Number && s.Scale > spec.Scale {
			spec = s
		}
	}
	v := convert(part, metadata.Type{spec})
	if spec.Primitive == metadata.Ref {
		v = Ref{ID: asString(v)}
	}
	return TypedValue{Type: tag, Value: v}
}

// compositeValue reads a composite column of a query's result from its tag
// and parts (kinds, in sqlgen.CompositeKinds order): the value itself, a
// Ref with its type for a reference, nil for Неопределено.
func compositeValue(raw []any, kinds []string) any {
	tag, spec, _, part, ok := compositePart(raw, kinds)
	if tag == "" || !ok {
		return nil
	}
	v := convert(part, metadata.Type{spec})
	if sqlgen.PartKind(spec) == "ref" {
		if v == nil {
			return nil
		}
		return Ref{ID: asString(v), Type: spec.Object}
	}
	return v
}

// compositePart finds, in a composite's type tag and part columns (raw,
// with the parts' kinds), the column holding its value: the tag ("" for
// Неопределено), the type it names (parsed is false for a tag that does not
// parse as a type: it is taken for a reference type's name), and the part;
// ok is false when no part holds values of that type.
func compositePart(raw []any, kinds []string) (tag string, spec metadata.TypeSpec, parsed bool, part any, ok bool) {
	tag = asString(convert(raw[0], nil))
	if tag == "" {
		return "", spec, false, nil, false
	}
	spec, err := metadata.ParseTypeSpec(tag)
	parsed = err == nil
	if !parsed {
		spec = metadata.TypeSpec{Primitive: metadata.Ref, Object: tag}
	}
	kind := sqlgen.PartKind(spec)
	for i, k := range kinds {
		if k == kind && i+1 < len(raw) {
			return tag, spec, parsed, raw[i+1], true
		}
	}
	return tag, spec, parsed, nil, false
}

// convert turns a driver value into a result value of the column's type, so
// both backends give the same values.
func convert(v any, t metadata.Type) any {
	if v == nil {
		return nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	if b, ok := v.([16]byte); ok {
		v = fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	}
	if len(t) != 1 {
		switch v := v.(type) {
		case int64:
			return Number(strconv.FormatInt(v, 10))
		case float64:
			return Number(strconv.FormatFloat(v, 'f', -1, 64))
		}
		return v
	}
	switch t[0].Primitive {
	case metadata.Boolean:
		switch v := v.(type) {
		case int64:
			return v != 0
		case bool:
			return v
		}
	case metadata.Number:
		return Number(decimal(v, t[0].Scale))
	case metadata.Date:
		switch v := v.(type) {
		case time.Time:
			return v.UTC()
		case string:
			if tm, err := time.Parse(sqlgen.TimeLayout, v); err == nil {
				return tm
			}
		}
	}
	return v
}

// decimal formats a number with the scale its type declares: SQLite keeps
// NUMERIC as floating point, PostgreSQL as exact text; both print alike.
func decimal(v any, scale int) string {
	var r *big.Rat
	switch v := v.(type) {
	case int64:
		r = new(big.Rat).SetInt64(v)
	case float64:
		r = new(big.Rat).SetFloat64(v)
	case string:
		if out, ok := plainDecimal(v, scale); ok {
			return out
		}
		var ok bool
		if r, ok = new(big.Rat).SetString(v); !ok {
			return v
		}
	default:
		return fmt.Sprint(v)
	}
	if r == nil {
		return fmt.Sprint(v)
	}
	return r.FloatString(scale)
}

// plainDecimal writes a number PostgreSQL gives as text (a minus, digits,
// a fraction) with scale fraction digits, as big.Rat's FloatString would,
// when that needs no rounding: the common case, a numeric column of the
// type's own scale. A query of thousands of rows paid a big.Rat per value
// (2 ms of 5,000 rows). ok is false for anything else, which the caller
// converts exactly.
func plainDecimal(s string, scale int) (string, bool) {
	digits := func(t string) bool {
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return false
			}
		}
		return true
	}
	neg := strings.HasPrefix(s, "-")
	whole, frac, dot := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if whole == "" || !digits(whole) || dot && (frac == "" || !digits(frac)) || scale < 0 {
		return "", false
	}
	if len(frac) > scale {
		if strings.Trim(frac[scale:], "0") != "" {
			return "", false // rounding: the exact way decides it
		}
		frac = frac[:scale]
	}
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	var b strings.Builder
	b.Grow(len(whole) + scale + 2)
	if neg && (whole != "0" || strings.Trim(frac, "0") != "") {
		b.WriteByte('-') // -0.00 is 0.00, as FloatString writes it
	}
	b.WriteString(whole)
	if scale > 0 {
		b.WriteByte('.')
		b.WriteString(frac)
		for range scale - len(frac) {
			b.WriteByte('0')
		}
	}
	return b.String(), true
}

func asString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case Number:
		return string(v)
	}
	return fmt.Sprint(v)
}

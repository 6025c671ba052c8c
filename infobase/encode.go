package infobase

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dostup/metadata"
	"dostup/sqlgen"
)

// place is where a value being written stands, for messages.
type place struct {
	object  string // full name
	section string // "tabular section Продукция", "РегистрНакопления.X"; empty for the header
	line    int
}

func (p *place) errorf(attr, format string, args ...any) *ValidationError {
	return &ValidationError{Object: p.object, Section: p.section, Line: p.line, Attribute: attr, Msg: fmt.Sprintf(format, args...)}
}

// encode checks a Go value against an attribute's type and gives the
// columns to write (column → Go value for Dialect.Arg) and the value as
// Read would give it back. A nil value is the type's empty value. old is the
// stored value, if any: a reference that did not change is not looked up
// again, so a broken reference stored before does not block other changes.
func (ib *Infobase) encode(ctx context.Context, tx *sql.Tx, at *place, a *metadata.Attribute, typ metadata.Type, f sqlgen.Field, v any, old any) (map[string]any, any, error) {
	if p, ok := v.(*Ref); ok && p != nil {
		v = *p
	}
	if f.Column != "" {
		var spec metadata.TypeSpec
		if len(typ) == 1 {
			spec = typ[0]
		}
		if tv, ok := v.(TypedValue); ok {
			ts, err := metadata.ParseTypeSpec(tv.Type)
			if err != nil || ts.Primitive != spec.Primitive || (ts.Primitive == metadata.Ref && !strings.EqualFold(ts.Object, spec.Object)) {
				return nil, nil, at.errorf(a.Name, "attribute %s is %s: a value of type %s does not fit", a.Name, typ, tv.Type)
			}
			v = tv.Value
		}
		x, norm, err := ib.scalar(ctx, tx, at, a.Name, typ, spec, v, old)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{f.Column: x}, norm, nil
	}
	// A composite type: the tag names the value's type, its part holds it,
	// the other parts hold their empty values (never NULL).
	cols := map[string]any{f.Tag: ""}
	for kind, col := range f.Parts {
		cols[col] = emptyPart(kind)
	}
	if v == nil {
		return cols, nil, nil
	}
	spec, val, err := ib.pickSpec(ctx, tx, at, a.Name, typ, v)
	if err != nil {
		return nil, nil, err
	}
	var oldVal any
	if ot, ok := old.(TypedValue); ok {
		oldVal = ot.Value
	}
	x, norm, err := ib.scalar(ctx, tx, at, a.Name, typ, spec, val, oldVal)
	if err != nil {
		return nil, nil, err
	}
	tag := typeTag(spec)
	cols[f.Tag] = tag
	cols[f.Parts[sqlgen.PartKind(spec)]] = x
	return cols, TypedValue{Type: tag, Value: norm}, nil
}

// pickSpec chooses the type of a composite value: the one a TypedValue
// names, or the only one the Go value can be (for a reference, the object
// that holds its id).
func (ib *Infobase) pickSpec(ctx context.Context, tx *sql.Tx, at *place, attr string, typ metadata.Type, v any) (metadata.TypeSpec, any, error) {
	if tv, ok := v.(TypedValue); ok {
		ts, err := metadata.ParseTypeSpec(tv.Type)
		if err != nil {
			return ts, nil, at.errorf(attr, "attribute %s is %s: %q is not a type", attr, typ, tv.Type)
		}
		for _, s := range typ {
			if s.Primitive != ts.Primitive {
				continue
			}
			if s.Primitive != metadata.Ref {
				return s, tv.Value, nil
			}
			if s.Object == "" || strings.EqualFold(s.Object, ts.Object) {
				if o := ib.Config.Object(ts.Object); o != nil {
					ts.Object = o.FullName(false)
				}
				return ts, tv.Value, nil
			}
		}
		return ts, nil, at.errorf(attr, "attribute %s is %s: a value of type %s does not fit", attr, typ, tv.Type)
	}
	var want metadata.Primitive
	switch x := v.(type) {
	case string:
		want = metadata.String
		if _, isID := normalizeUUID(x); isID && !hasPrimitive(typ, metadata.String) {
			want = metadata.Ref
		}
	case bool:
		want = metadata.Boolean
	case time.Time:
		want = metadata.Date
	case Ref:
		want = metadata.Ref
	case []byte:
		want = metadata.ValueStorage
	default:
		if _, ok := toRat(v); ok {
			want = metadata.Number
		}
	}
	var refs []metadata.TypeSpec
	for _, s := range typ {
		if s.Primitive != want {
			continue
		}
		if want != metadata.Ref {
			return s, v, nil
		}
		refs = append(refs, s)
	}
	if len(refs) == 1 && refs[0].Object != "" {
		return refs[0], v, nil
	}
	if len(refs) > 0 {
		s, _ := refID(v).(string)
		if id, ok := normalizeUUID(s); ok {
			if id == sqlgen.EmptyRef {
				return metadata.TypeSpec{}, nil, at.errorf(attr, "attribute %s is %s: an empty reference needs its type: give a TypedValue", attr, typ)
			}
			found, err := ib.refType(ctx, tx, id)
			if err != nil {
				return metadata.TypeSpec{}, nil, err
			}
			for _, s := range refs {
				if found != "" && (s.Object == "" || strings.EqualFold(s.Object, found)) {
					return metadata.TypeSpec{Primitive: metadata.Ref, Object: found}, v, nil
				}
			}
			if found != "" {
				return metadata.TypeSpec{}, nil, at.errorf(attr, "attribute %s is %s: a reference to %s does not fit", attr, typ, found)
			}
			return metadata.TypeSpec{}, nil, at.errorf(attr, "attribute %s is %s: there is no object with the reference %s", attr, typ, id)
		}
	}
	return metadata.TypeSpec{}, nil, at.errorf(attr, "attribute %s is %s: a value of Go type %T does not fit", attr, typ, v)
}

func hasPrimitive(typ metadata.Type, p metadata.Primitive) bool {
	for _, s := range typ {
		if s.Primitive == p {
			return true
		}
	}
	return false
}

// scalar checks a value of one type spec: the column value and the value
// as read back.
func (ib *Infobase) scalar(ctx context.Context, tx *sql.Tx, at *place, attr string, typ metadata.Type, spec metadata.TypeSpec, v any, old any) (any, any, error) {
	wrong := func() (any, any, error) {
		return nil, nil, at.errorf(attr, "attribute %s is %s: a value of Go type %T does not fit", attr, typ, v)
	}
	switch spec.Primitive {
	case metadata.String:
		if v == nil {
			return "", "", nil
		}
		s, ok := v.(string)
		if !ok {
			return wrong()
		}
		if n := utf8.RuneCountInString(s); spec.Length > 0 && n > spec.Length {
			return nil, nil, at.errorf(attr, "attribute %s is %s: a string of %d characters does not fit", attr, typ, n)
		}
		return s, s, nil
	case metadata.Number:
		if v == nil {
			v = 0
		}
		r, ok := toRat(v)
		if !ok {
			return wrong()
		}
		text := ratString(r)
		scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(pow10(spec.Scale)))
		if !scaled.IsInt() {
			return nil, nil, at.errorf(attr, "attribute %s is %s: %s has more than %d digits after the point", attr, typ, text, spec.Scale)
		}
		limit := new(big.Rat).SetInt(pow10(spec.Precision - spec.Scale))
		if new(big.Rat).Abs(r).Cmp(limit) >= 0 {
			return nil, nil, at.errorf(attr, "attribute %s is %s: %s has more than %d digits before the point", attr, typ, text, spec.Precision-spec.Scale)
		}
		s := r.FloatString(spec.Scale)
		return sqlgen.DecimalText(s), Number(s), nil
	case metadata.Boolean:
		if v == nil {
			return false, false, nil
		}
		b, ok := v.(bool)
		if !ok {
			return wrong()
		}
		return b, b, nil
	case metadata.Date:
		if v == nil {
			return emptyDate(), emptyDate(), nil
		}
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			t = x
		case string:
			var err error
			if t, err = parseDate(x); err != nil {
				return nil, nil, at.errorf(attr, "attribute %s is %s: %q is not a date (write 2006-01-02 15:04:05)", attr, typ, x)
			}
		default:
			return wrong()
		}
		// 1C's dates have no zone and whole seconds: the wall clock counts.
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
		return t, t, nil
	case metadata.ValueStorage:
		if v == nil {
			return []byte{}, []byte{}, nil
		}
		b, ok := v.([]byte)
		if !ok {
			return wrong()
		}
		return b, b, nil
	case metadata.UUID:
		if v == nil {
			return sqlgen.EmptyRef, sqlgen.EmptyRef, nil
		}
		s, _ := v.(string)
		id, ok := normalizeUUID(s)
		if !ok {
			return nil, nil, at.errorf(attr, "attribute %s is %s: %v is not a UUID", attr, typ, v)
		}
		return id, id, nil
	case metadata.Ref:
		if v == nil {
			return sqlgen.EmptyRef, Ref{ID: sqlgen.EmptyRef}, nil
		}
		id, err := ib.refValue(ctx, tx, at, attr, typ, spec, v, old)
		if err != nil {
			return nil, nil, err
		}
		return id, Ref{ID: id}, nil
	}
	return nil, nil, at.errorf(attr, "attribute %s is %s: values of this type cannot be written", attr, typ)
}

// refValue checks a reference: its form, and that an object of the
// attribute's type holds it. An enumeration value may be given by name.
func (ib *Infobase) refValue(ctx context.Context, tx *sql.Tx, at *place, attr string, typ metadata.Type, spec metadata.TypeSpec, v any, old any) (string, error) {
	var s string
	switch x := v.(type) {
	case Ref:
		s = x.ID
	case string:
		s = x
	default:
		return "", at.errorf(attr, "attribute %s is %s: a value of Go type %T does not fit", attr, typ, v)
	}
	id, ok := normalizeUUID(s)
	if !ok {
		if name, isEnum := ib.enumValue(spec.Object, s); isEnum {
			return name, nil
		}
		return "", at.errorf(attr, "attribute %s is %s: %q is not a reference (a UUID)", attr, typ, s)
	}
	if id == sqlgen.EmptyRef || id == refID(old) {
		return id, nil
	}
	if e := metadata.SystemEnumNamed(spec.Object); e != nil && strings.EqualFold(e.Name, spec.Object) {
		for _, v := range e.Values {
			if id == sqlgen.SystemEnumID(e.Name, v) {
				return id, nil
			}
		}
		return "", at.errorf(attr, "attribute %s is %s: %s is none of %s", attr, typ, id, strings.Join(e.Values, ", "))
	}
	om := ib.Schema.Object(ib.Config, spec.Object)
	if om == nil {
		return id, nil // a type the schema has no table for: nothing to look in
	}
	found, err := ib.exists(ctx, tx, om, id)
	if err != nil || found {
		return id, err
	}
	other, err := ib.refType(ctx, tx, id)
	if err != nil {
		return "", err
	}
	if other != "" {
		return "", at.errorf(attr, "attribute %s is %s: a reference to %s does not fit", attr, typ, other)
	}
	return "", at.errorf(attr, "attribute %s is %s: there is no object with the reference %s", attr, typ, id)
}

// enumValue is the id of an enumeration value given by name.
func (ib *Infobase) enumValue(enum, name string) (string, bool) {
	if e := metadata.SystemEnumNamed(enum); e != nil && strings.EqualFold(e.Name, enum) {
		v, ok := e.Value(name)
		if !ok {
			return "", false
		}
		return sqlgen.SystemEnumID(e.Name, v), true
	}
	o := ib.Config.Object(enum)
	if o == nil || o.Kind != metadata.Enum {
		return "", false
	}
	for _, v := range o.Values {
		if strings.EqualFold(v, name) {
			return sqlgen.EnumValueID(o, v), true
		}
	}
	return "", false
}

// exists reports whether an object's table holds an id.
func (ib *Infobase) exists(ctx context.Context, q queryer, om *sqlgen.ObjectMap, id string) (bool, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT 1 FROM %s WHERE %s = %s", ib.q(om.Table.Name), ib.q("_id"), ib.p(1)), ib.DB.Dialect.Arg(id))
	if err != nil {
		return false, err
	}
	defer rows.Close()
	return rows.Next(), rows.Err()
}

// refType finds the object an id belongs to, looking in every table of
// references: only on the way to an error, or for a composite value given
// without its type.
func (ib *Infobase) refType(ctx context.Context, q queryer, id string) (string, error) {
	for _, o := range ib.Config.Objects {
		if !o.Kind.IsReference() {
			continue
		}
		om := ib.Schema.Object(ib.Config, o.FullName(false))
		if om == nil || om.Table.Column("_id") == nil {
			continue
		}
		ok, err := ib.exists(ctx, q, om, id)
		if err != nil {
			return "", err
		}
		if ok {
			return o.FullName(false), nil
		}
	}
	return "", nil
}

// refID is the id of a reference value (Ref, TypedValue of a reference,
// UUID string), or the value itself.
func refID(v any) any {
	switch x := v.(type) {
	case Ref:
		return x.ID
	case *Ref:
		if x != nil {
			return x.ID
		}
	case TypedValue:
		return refID(x.Value)
	}
	return v
}

func emptyPart(kind string) any {
	switch kind {
	case "string":
		return ""
	case "number":
		return sqlgen.DecimalText("0")
	case "bool":
		return false
	case "date":
		return emptyDate()
	case "bytes":
		return []byte{}
	}
	return sqlgen.EmptyRef
}

// toRat reads a number given as a Go number, Number or decimal text.
func toRat(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	case int32:
		return new(big.Rat).SetInt64(int64(x)), true
	case int64:
		return new(big.Rat).SetInt64(x), true
	case uint:
		return new(big.Rat).SetUint64(uint64(x)), true
	case uint32:
		return new(big.Rat).SetUint64(uint64(x)), true
	case uint64:
		return new(big.Rat).SetUint64(x), true
	case float32:
		return toRat(float64(x))
	case float64:
		// The shortest text that reads back as x: 0.1 is 0.1, not its
		// binary expansion.
		return new(big.Rat).SetString(strconv.FormatFloat(x, 'f', -1, 64))
	case Number:
		return decimalRat(string(x))
	case sqlgen.DecimalText:
		return decimalRat(string(x))
	case json.Number:
		return decimalRat(string(x))
	}
	return nil, false
}

func decimalRat(s string) (*big.Rat, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "/eE") {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(20)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(n, 0))), nil)
}

func parseDate(s string) (time.Time, error) {
	var err error
	for _, layout := range []string{sqlgen.TimeLayout, "2006-01-02T15:04:05", time.RFC3339, "2006-01-02"} {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// lookupValue finds a value given under an attribute's Russian or English
// name, in any letter case.
func lookupValue(values map[string]any, name string, o *metadata.Object) (any, bool) {
	a := o.Attribute(name)
	for k, v := range values {
		if strings.EqualFold(k, name) || (a != nil && (strings.EqualFold(k, a.Name) || (a.English != "" && strings.EqualFold(k, a.English)))) {
			return v, true
		}
	}
	return nil, false
}

func deleteValue(values map[string]any, name string, o *metadata.Object) {
	a := o.Attribute(name)
	for k := range values {
		if strings.EqualFold(k, name) || (a != nil && (strings.EqualFold(k, a.Name) || (a.English != "" && strings.EqualFold(k, a.English)))) {
			delete(values, k)
		}
	}
}

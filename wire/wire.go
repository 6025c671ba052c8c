package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"dostup/infobase"
	"dostup/metadata"
)

// PutObject creates or updates an object from JSON values as the session's
// user: with "Ссылка" it updates that object (checking "ВерсияДанных" when
// given), else it creates one. A reference value is a UUID or an object of
// field values that must match exactly one item the user may read.
// It returns the object's reference.
func PutObject(ctx context.Context, s *infobase.Session, obj *metadata.Object, values map[string]any) (string, error) {
	name := obj.FullName(false)
	var ref string
	var version any
	attrs := map[string]any{}
	sections := map[string][]map[string]any{}
	for k, v := range values {
		switch {
		case strings.EqualFold(k, "Ссылка") || strings.EqualFold(k, "Ref"):
			id, ok := v.(string)
			if !ok {
				return "", errors.New("the value of Ссылка must be the object's UUID")
			}
			if ref != "" && !strings.EqualFold(ref, id) {
				return "", fmt.Errorf("the object's reference is given twice, as %s and as %s: give Ссылка (Ref) once", ref, id)
			}
			ref = id
		case strings.EqualFold(k, "ВерсияДанных") || strings.EqualFold(k, "DataVersion"):
			version = v
		case obj.TabularSection(k) != nil:
			ts := obj.TabularSection(k)
			list, ok := v.([]any)
			if !ok {
				return "", fmt.Errorf("%s is a tabular section: give an array of rows", k)
			}
			var rows []map[string]any
			for i, item := range list {
				row, ok := item.(map[string]any)
				if !ok {
					return "", fmt.Errorf("%s, row %d: expected an object of values", k, i+1)
				}
				for col, cv := range row {
					a := sectionAttribute(ts, col)
					if a == nil {
						return "", fmt.Errorf("%s, row %d: the tabular section has no attribute %s", k, i+1, col)
					}
					rv, err := ResolveValue(ctx, s, a, cv)
					if err != nil {
						return "", fmt.Errorf("%s, row %d, %s: %w", k, i+1, col, err)
					}
					row[col] = rv
				}
				rows = append(rows, row)
			}
			sections[ts.Name] = rows
		default:
			a := obj.Attribute(k)
			if a == nil {
				return "", fmt.Errorf("%s has no attribute %s", name, k)
			}
			rv, err := ResolveValue(ctx, s, a, v)
			if err != nil {
				return "", fmt.Errorf("%s: %w", k, err)
			}
			attrs[a.Name] = rv
		}
	}
	if ref == "" {
		if version != nil {
			return "", errors.New("ВерсияДанных is given without Ссылка: a new object has no version yet")
		}
		return s.Create(ctx, name, attrs, sections)
	}
	stored, err := s.Read(ctx, name, ref)
	if err != nil {
		return "", err
	}
	if version != nil {
		if fmt.Sprint(version) != fmt.Sprint(stored.Version) {
			return "", fmt.Errorf("%s %s: %w (ВерсияДанных %v given, %d stored)", name, ref, infobase.ErrVersionConflict, version, stored.Version)
		}
	}
	for k, v := range attrs {
		if strings.EqualFold(k, "ПометкаУдаления") {
			b, ok := v.(bool)
			if !ok {
				return "", errors.New("ПометкаУдаления must be true or false")
			}
			stored.DeletionMark = b
			continue
		}
		stored.Values[k] = v
	}
	stored.Sections = sections
	return stored.Ref, s.Update(ctx, stored)
}

func sectionAttribute(ts *metadata.TabularSection, name string) *metadata.Attribute {
	for _, a := range ts.Attributes {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

// ResolveValue turns a JSON value into what the objects API takes: an
// object given for a reference becomes the one item it matches, found by a
// query the session runs with РАЗРЕШЕННЫЕ, so the user picks only among
// what the user may read.
func ResolveValue(ctx context.Context, s *infobase.Session, a *metadata.Attribute, v any) (any, error) {
	match, ok := v.(map[string]any)
	if !ok {
		return v, nil
	}
	if len(a.Type) != 1 || a.Type[0].Primitive != metadata.Ref || a.Type[0].Object == "" {
		return nil, fmt.Errorf("an object of field values picks a reference only for an attribute of one reference type; %s is %s: give the UUID", a.Name, a.Type)
	}
	if len(match) == 0 {
		return nil, errors.New("{} matches nothing: name fields, as {\"Наименование\": \"…\"}")
	}
	keys := make([]string, 0, len(match))
	for k := range match {
		if !isIdentifier(k) {
			return nil, fmt.Errorf("%q is not a field name", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var conds []string
	params := map[string]any{}
	for i, k := range keys {
		p := fmt.Sprintf("Значение%d", i+1)
		// The field name is checked against the metadata by the
		// compiler; the value is bound.
		conds = append(conds, fmt.Sprintf("Т.%s = &%s", k, p))
		params[p] = match[k]
	}
	target := a.Type[0].Object
	res, err := s.Query(ctx, fmt.Sprintf("ВЫБРАТЬ РАЗРЕШЕННЫЕ ПЕРВЫЕ 2 Т.Ссылка КАК Ссылка ИЗ %s КАК Т ГДЕ %s", target, strings.Join(conds, " И ")), params)
	if err != nil {
		return nil, err
	}
	desc, _ := json.Marshal(match)
	switch len(res.Rows) {
	case 0:
		return nil, fmt.Errorf("%s matches no item of %s that user %s may read", desc, target, s.User())
	case 1:
		return res.Rows[0][0], nil
	}
	return nil, fmt.Errorf("%s matches more than one item of %s: name more fields or give the UUID", desc, target)
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// Object is an object as JSON: Ссылка, ВерсияДанных, ПометкаУдаления, the
// attributes in name order, and each tabular section's rows, with values
// as Value gives them. Keys keep the order; a map would sort them anew.
func Object(o *infobase.Object) []byte {
	var b object
	b.put("Ссылка", Value(o.Ref))
	b.put("ВерсияДанных", Value(o.Version))
	b.put("ПометкаУдаления", Value(o.DeletionMark))
	keys := make([]string, 0, len(o.Values))
	for k := range o.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.put(k, Value(o.Values[k]))
	}
	names := make([]string, 0, len(o.Sections))
	for k := range o.Sections {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		rows := []map[string]any{}
		for _, r := range o.Sections[k] {
			row := map[string]any{}
			for c, v := range r {
				row[c] = Value(v)
			}
			rows = append(rows, row)
		}
		b.put(k, rows)
	}
	// Values read from the infobase marshal; one that did not would be
	// left empty, as it always was.
	out, _ := b.json()
	return out
}

// object builds a JSON object with its keys in the order they are put:
// objects and users are answered with their keys in a fixed order, which a
// map would sort anew and a struct could not leave out by a rule of its
// own. Values are written with < > & as they are: the output is read by
// people and programs, not embedded in HTML.
type object struct {
	b   bytes.Buffer
	enc *json.Encoder
	err error
}

// put adds the key k with the value v as JSON.
func (o *object) put(k string, v any) {
	if o.enc == nil {
		o.enc = json.NewEncoder(&o.b)
		o.enc.SetEscapeHTML(false)
		o.b.WriteByte('{')
	} else {
		o.b.WriteByte(',')
	}
	o.encode(k)
	o.b.WriteByte(':')
	o.encode(v)
}

// putUnless is put, but for a value left out (omitempty for one key).
func (o *object) putUnless(omit bool, k string, v any) {
	if !omit {
		o.put(k, v)
	}
}

// encode writes v without the newline the encoder ends it with; a value
// that does not marshal writes nothing and is the object's error.
func (o *object) encode(v any) {
	if err := o.enc.Encode(v); err != nil {
		if o.err == nil {
			o.err = err
		}
		return
	}
	o.b.Truncate(o.b.Len() - 1)
}

// json is the object put together, and the first error of a value that
// did not marshal.
func (o *object) json() ([]byte, error) {
	if o.enc == nil {
		o.b.WriteByte('{')
	}
	o.b.WriteByte('}')
	return o.b.Bytes(), o.err
}

// Value is a query or object value as JSON shows it: numbers exact,
// dates as 2006-01-02T15:04:05, references as {"ref","presentation"},
// values of composite fields with their type.
func Value(v any) any {
	switch v := v.(type) {
	case infobase.Number:
		return json.Number(v)
	case time.Time:
		return v.Format("2006-01-02T15:04:05")
	case infobase.TypedValue:
		return map[string]any{"type": v.Type, "value": Value(v.Value)}
	}
	return v
}

// Result is a query result as JSON: {"columns": [...], "rows": [[...]]},
// the same for the CLI's --format json and the HTTP API. A query with
// ИТОГИ adds "records", one per row: {"type": "ИтогПоГруппировке",
// "grouping": "Контрагент"} (the grouping "" for detail records and the
// overall total); the rows themselves are as without it.
func Result(res *infobase.Result) map[string]any {
	names := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		names[i] = c.Name
	}
	rows := make([][]any, len(res.Rows))
	for i, r := range res.Rows {
		out := make([]any, len(r))
		for j, v := range r {
			out[j] = Value(v)
		}
		rows[i] = out
	}
	out := map[string]any{"columns": names, "rows": rows}
	if res.Records != nil {
		records := make([]map[string]string, len(res.Records))
		for i, r := range res.Records {
			records[i] = map[string]string{"type": r.Type.String(), "grouping": r.Grouping}
		}
		out["records"] = records
	}
	return out
}

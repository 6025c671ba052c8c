package sqlgen

import "dostup/metadata"

// The layout of values in SQL columns, one home for the schema, the
// compiler and the infobase that decodes rows: a composite value is a type
// tag and a column per kind of value it may hold, in compositeKinds order;
// a reference in a result is followed by its presentation.

// compositeKinds is the order of a composite's part columns, in its table
// and in a result.
var compositeKinds = []string{"string", "number", "bool", "date", "ref", "bytes"}

// CompositeKinds are the kinds of a composite value's part columns
// ("string", "number", "bool", "date", "ref", "bytes") in the order they
// stand after its type tag, in a table and in a result row.
func CompositeKinds() []string { return append([]string(nil), compositeKinds...) }

// Kinds are the kinds of a composite field's part columns in the order
// they stand after its tag; nil for a field of one type.
func (f Field) Kinds() []string {
	var out []string
	for _, k := range compositeKinds {
		if _, ok := f.Parts[k]; ok {
			out = append(out, k)
		}
	}
	return out
}

// PartKind is the kind of column ("string", "number", "bool", "date",
// "ref", "bytes") that holds values of s in a composite field.
func PartKind(s metadata.TypeSpec) string { return partKind(s) }

func partKind(s metadata.TypeSpec) string {
	switch s.Primitive {
	case metadata.String:
		return "string"
	case metadata.Number:
		return "number"
	case metadata.Boolean:
		return "bool"
	case metadata.Date:
		return "date"
	case metadata.ValueStorage:
		return "bytes"
	}
	return "ref"
}

// Width is the number of SQL columns a result row has: a column each, the
// parts of composites, and the presentations of references.
func Width(cols []ResultColumn) int {
	n := 0
	for _, c := range cols {
		n += c.Width()
	}
	return n
}

// Width is the number of SQL columns the result column takes: its value
// (a composite's type tag), a composite's parts, a reference's
// presentation.
func (c ResultColumn) Width() int {
	n := 1 + len(c.Composite)
	if c.Presentation {
		n++
	}
	return n
}

// columnOrder is the 1-based SQL column that orders the result's field i:
// a reference orders by its presentation.
func columnOrder(cols []ResultColumn, i int) int {
	pos := Width(cols[:i]) + 1
	if cols[i].Presentation {
		pos += len(cols[i].Composite) + 1
	}
	return pos
}

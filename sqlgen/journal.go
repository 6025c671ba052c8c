package sqlgen

import (
	"strings"

	"dostup/metadata"
)

// A document journal (ЖурналДокументов) stores nothing: in 1C its rows are
// the rows of the documents it registers. dostup reads it the same way, as
// a derived table made of one SELECT per registered document joined by
// UNION ALL, each mapping the document's columns to the journal's: its
// reference, date, number and marks, the columns (графы) by the attribute
// each document shows in them, and NULL where a document shows none. The
// derived table is written into every statement that reads the journal, so
// nothing is created in the database and both backends read it alike; a
// view would have to be kept in step with the documents' tables by Init.

// unionPart is one registered document's SELECT: for each column of the
// journal's table, in order, what fills it.
type unionPart struct {
	table  string       // the document's table
	values []unionValue // one per column of the journal's table
}

// unionValue fills a column of a journal's row from a document: one of the
// document's columns, or a type tag known from the metadata (a value of a
// single type kept in a composite column, the journal's Тип), or NULL when
// both are empty.
type unionValue struct {
	column string
	tag    string
}

// journalMap lays out a journal's derived table. Its columns are named as a
// stored object's would be; the Ссылка of a journal of several documents
// is composite (a type tag and the reference), like any reference of
// several types.
func journalMap(s *Schema, o *metadata.Object) *ObjectMap {
	t := &Table{Name: "jrn_" + translit(o.Name), Object: o.FullName(false)}
	om := &ObjectMap{Object: o, Table: t, Fields: map[string]Field{}, Sections: map[string]*SectionMap{}}
	cols := namer{}
	docs := make([]*ObjectMap, len(o.Documents))
	t.union = make([]unionPart, len(o.Documents))
	for i, name := range o.Documents {
		docs[i] = s.objectLocked(strings.ToLower(name))
		t.union[i].table = docs[i].Table.Name
	}
	// add adds a field of the journal and, for each document, what fills
	// its columns: from reads the document's field (ok false: none).
	add := func(names []string, base string, typ metadata.Type, from func(d *ObjectMap) (Field, metadata.Type, bool)) Field {
		first := len(t.Columns)
		f := addField(t, cols, base, typ)
		for _, n := range names {
			om.Fields[strings.ToLower(n)] = f
		}
		for i, d := range docs {
			var vals map[string]unionValue
			if df, dt, ok := from(d); ok {
				vals = project(f, df, dt)
			}
			for _, c := range t.Columns[first:] {
				t.union[i].values = append(t.union[i].values, vals[c.Name])
			}
		}
		return f
	}
	for _, a := range o.StandardAttributes() {
		if a.Name == "Тип" {
			// The type of the row's document, as ТИП(Документ.X) compiles.
			f := addField(t, cols, standardColumns[a.Name], a.Type)
			om.Fields["тип"], om.Fields["type"] = f, f
			for i, d := range docs {
				t.union[i].values = append(t.union[i].values, unionValue{tag: d.Object.FullName(false)})
			}
			continue
		}
		name := strings.ToLower(a.Name)
		f := add([]string{a.Name, a.English}, standardColumns[a.Name], a.Type, func(d *ObjectMap) (Field, metadata.Type, bool) {
			df, ok := d.Fields[name]
			if !ok {
				return Field{}, nil, false
			}
			return df, d.Object.Attribute(a.Name).Type, true
		})
		if a.Name == "Ссылка" {
			// Every row has its document's reference: it tells a row
			// from the NULLs of an outer join (presentColumn).
			if f.Column != "" {
				t.PrimaryKey = []string{f.Column}
			} else {
				t.PrimaryKey = []string{f.Parts["ref"]}
			}
		}
	}
	for _, a := range o.Attributes {
		col := a.Column
		if col == "" {
			col = translit(a.Name)
		}
		add([]string{a.Name}, col, a.Type, func(d *ObjectMap) (Field, metadata.Type, bool) {
			for _, r := range a.References {
				if strings.EqualFold(r.Document, d.Object.FullName(false)) {
					return d.Fields[strings.ToLower(r.Attribute)], d.Object.Attribute(r.Attribute).Type, true
				}
			}
			return Field{}, nil, false
		})
	}
	return om
}

// project says how a document's field df of type dt fills the columns of
// the journal's field f, by column name: a composite column takes a
// single-typed value with its type's tag and the value in the part of its
// kind; the other parts stay NULL.
func project(f, df Field, dt metadata.Type) map[string]unionValue {
	out := map[string]unionValue{}
	single := df.Column != "" && len(dt) == 1
	if f.Column != "" {
		switch {
		case df.Column != "":
			out[f.Column] = unionValue{column: df.Column}
		default:
			// A composite document field in a single-typed column cannot
			// be, as the column's type includes the field's; read the
			// part of the column's kind all the same.
			for _, c := range df.Parts {
				out[f.Column] = unionValue{column: c}
				break
			}
		}
		return out
	}
	if single {
		out[f.Tag] = unionValue{tag: TypeTag(dt[0])}
		if c, ok := f.Parts[partKind(dt[0])]; ok {
			out[c] = unionValue{column: df.Column}
		}
		return out
	}
	out[f.Tag] = unionValue{column: df.Tag}
	for kind, c := range f.Parts {
		if dc, ok := df.Parts[kind]; ok {
			out[c] = unionValue{column: dc}
		}
	}
	return out
}

// tableSQL is what FROM reads for a table: its name, or for a document
// journal the derived table of its documents' rows, in parentheses.
func (g *gen) tableSQL(t *Table) string {
	return tableSQL(g.c.Dialect, t)
}

func tableSQL(d Dialect, t *Table) string {
	if t.union == nil {
		return d.Quote(t.Name)
	}
	var b strings.Builder
	b.WriteString("(")
	for i, p := range t.union {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString("SELECT ")
		for j, c := range t.Columns {
			if j > 0 {
				b.WriteString(", ")
			}
			switch v := p.values[j]; {
			case v.column != "":
				b.WriteString("j." + d.Quote(v.column))
			case v.tag != "":
				// Tags are names of the configuration: letters, digits
				// and dots; quoting keeps them literals all the same.
				b.WriteString(d.Cast(sqlString(v.tag), ColumnType{Kind: Text}))
			default:
				// A typed NULL: PostgreSQL settles the type of a UNION's
				// column pairwise and cannot match an untyped NULL with a
				// later part.
				b.WriteString(d.Cast("NULL", c.Type))
			}
			b.WriteString(" AS " + d.Quote(c.Name))
		}
		b.WriteString(" FROM " + d.Quote(p.table) + " j")
	}
	b.WriteString(")")
	return b.String()
}

// sqlString is s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

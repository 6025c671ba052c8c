package sqlgen

import (
	"sort"
	"strings"

	"dostup/metadata"
	"dostup/metadata/vocab"
)

// tableOccurrence is one appearance of a table in a statement: a FROM
// source, a table joined to read through a reference, a tabular section, a
// virtual table or a nested query. Each has its own SQL alias, and record-
// level security filters or checks each on its own, by the fields the
// statement reads of it.
type tableOccurrence struct {
	name string // the alias the query uses, lower-cased ("" for dereferences)
	// fullName: written without КАК, so its fields may also be named
	// through the table's full name (Константа.ВалютаУчета.Значение).
	fullName bool
	sql      string // its SQL alias
	obj      *ObjectMap
	sec      *SectionMap
	virt     *virtualTable               // a register's virtual table (obj is the register)
	derefs   map[string]*tableOccurrence // dereference joins by field, reached from this occurrence
	order    []*tableOccurrence          // the dereference joins in the order made
	on       string                      // for a dereference: its join condition
	inner    bool                        // the dereference always finds its row (a row's owner)

	// Access checks (finish.go, restrict.go).
	id       int             // its index among the statement's occurrences
	checked  bool            // a table of the configuration the session's rights govern
	used     map[string]bool // the fields the statement reads of it, by fieldKey
	usesAll  bool            // every field counts as read (a register under a virtual table)
	soft     bool            // joined only to present a reference: reads NULL when forbidden, never fails
	nullable bool            // an outer join may give it as NULLs
	viaOwner bool            // a tabular section read through its owner's occurrence, which is checked
	// correlated is a restriction's main table: the row being checked,
	// which belongs to the enclosing statement.
	correlated bool
	access     vocab.Right // the right checked; "" is Read
	derived    bool        // filtered inside a derived table (RIGHT and FULL JOIN)
	ownerSQL   string      // a tabular section's: the alias of its owner's row, joined for the owner's restriction
	// parent and via are, for a dereference, the occurrence it hangs off
	// and the SQL of the reference it reads through (grouping.go).
	parent *tableOccurrence
	via    string
}

// ownerMark is where a tabular section's occurrence joins its owner's row
// when the owner's restriction needs it.
func ownerMark(s *tableOccurrence, kind byte) string {
	if s.sec == nil || !s.checked || s.viaOwner {
		return ""
	}
	return mark(kind, s.id)
}

func (s *tableOccurrence) field(name string) (Field, bool) {
	if s.virt != nil {
		f, ok := s.virt.fields[strings.ToLower(name)]
		return Field{Column: f.column, Tag: f.tag, Parts: f.parts}, ok
	}
	if s.sec != nil {
		f, ok := s.sec.Fields[strings.ToLower(name)]
		return f, ok
	}
	f, ok := s.obj.Fields[strings.ToLower(name)]
	return f, ok
}

// fieldType is the type of a field of the occurrence.
func (s *tableOccurrence) fieldType(name string) metadata.Type {
	if s.virt != nil {
		return s.virt.fields[strings.ToLower(name)].typ
	}
	if s.sec != nil {
		if strings.EqualFold(name, "Ссылка") || strings.EqualFold(name, "Ref") {
			return metadata.Type{{Primitive: metadata.Ref, Object: s.sec.Owner.FullName(false)}}
		}
		if strings.EqualFold(name, "НомерСтроки") || strings.EqualFold(name, "LineNumber") {
			return metadata.Type{{Primitive: metadata.Number, Precision: 9}}
		}
		for _, a := range s.sec.Section.Attributes {
			if strings.EqualFold(a.Name, name) {
				return a.Type
			}
		}
		return nil
	}
	if a := s.obj.Object.Attribute(name); a != nil {
		return a.Type
	}
	return nil
}

// occurrence introduces a table occurrence. Every table a statement reads
// passes here: the place record-level security hooks in.
func (g *gen) occurrence(s *tableOccurrence) *tableOccurrence {
	s.sql = g.alias("t")
	s.derefs = map[string]*tableOccurrence{}
	s.used = map[string]bool{}
	if g.c.Access != nil && !g.restriction && s.virt == nil {
		// Restrictions read tables without checks (§3.8); virtual tables
		// are checked on the register they read.
		s.checked = true
		s.id = len(g.st.occs)
		g.st.occs = append(g.st.occs, s)
	}
	return s
}

// deref is an occurrence joined to cur to read through a reference.
func (g *gen) deref(cur *tableOccurrence, key string, om *ObjectMap, on func(d *tableOccurrence) string) *tableOccurrence {
	d := g.occurrence(&tableOccurrence{obj: om, parent: cur})
	d.on = on(d)
	d.via = strings.TrimPrefix(d.on, d.sql+"."+g.c.Dialect.Quote("_id")+" = ")
	if d.via == d.on {
		d.via = ""
	}
	d.nullable = true
	if key != "" {
		cur.derefs[key] = d
	}
	cur.order = append(cur.order, d)
	return d
}

func (s *tableOccurrence) table() *Table {
	if s.sec != nil {
		return s.sec.Table
	}
	return s.obj.Table
}

func (g *gen) describe(s *tableOccurrence) string {
	if s.virt != nil {
		return s.virt.name
	}
	if s.sec != nil {
		return s.sec.Owner.FullName(false) + "." + s.sec.Section.Name
	}
	return s.obj.Object.FullName(g.c.Config.English)
}

// object is the full name of the table whose rights govern an occurrence.
func (s *tableOccurrence) object() string {
	if s.sec != nil {
		return s.sec.Owner.FullName(false)
	}
	return s.obj.Object.FullName(false)
}

func (s *tableOccurrence) right() vocab.Right {
	if s.access != "" {
		return s.access
	}
	return vocab.Read
}

// presentColumn is a column never NULL in a stored row of the occurrence,
// telling a row that exists from one an outer join made up.
func (s *tableOccurrence) presentColumn() string {
	t := s.table()
	if s.sec == nil && s.obj.Object.Kind.IsReference() {
		return "_id"
	}
	if len(t.PrimaryKey) > 0 {
		return t.PrimaryKey[0]
	}
	return t.Columns[0].Name
}

// usedKeys are the fields read of an occurrence, as keys of fieldKey.
func (s *tableOccurrence) usedKeys() []string {
	if s.sec != nil {
		// A tabular section's rows are a field of its owner.
		return []string{"§" + strings.ToLower(s.sec.Section.Name)}
	}
	out := make([]string, 0, len(s.used))
	for k := range s.used {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fieldKey names a field of an object the same way whichever of its names
// (Russian, English) a text uses: its column, or § and the name of a
// tabular section.
func fieldKey(om *ObjectMap, name string) (string, bool) {
	if f, ok := om.Fields[strings.ToLower(name)]; ok {
		if f.Column != "" {
			return f.Column, true
		}
		return f.Tag, true
	}
	if sm, ok := om.Sections[strings.ToLower(name)]; ok {
		return "§" + strings.ToLower(sm.Section.Name), true
	}
	return "", false
}

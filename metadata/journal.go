package metadata

import (
	"fmt"
	"strings"

	"dostup/sdbl/source"
)

// journal builds a document journal. It runs once every object of every
// file is built, since a journal names documents and their attributes.
func (b *builder) journal(f *yamlFile, path string, raw JournalFormat) {
	if !b.name(f, path, "document journal", raw.Name) {
		return
	}
	at := f.pos(path + ".name")
	k := key(DocumentJournal, raw.Name)
	if first, dup := b.objectAt[k]; dup {
		b.errorf(at, "%s.%s is declared twice (first at %s)", DocumentJournal.Prefix(false), raw.Name, first)
		return
	}
	b.objectAt[k] = at
	o := &Object{Kind: DocumentJournal, Name: raw.Name, Synonym: raw.Synonym, Pos: at}
	docs := map[string]*Object{}
	for i, name := range raw.Documents {
		p := fmt.Sprintf("%s.documents[%d]", path, i)
		d := b.cfg.Object(name)
		switch {
		case d == nil:
			b.errorf(f.pos(p), "%s is not in the configuration", name)
			continue
		case d.Kind != Document:
			b.errorf(f.pos(p), "%s is not a document: a journal registers documents only", name)
			continue
		case docs[strings.ToLower(d.FullName(false))] != nil:
			b.errorf(f.pos(p), "%s is registered in journal %s twice", name, raw.Name)
			continue
		}
		docs[strings.ToLower(d.FullName(false))] = d
		o.Documents = append(o.Documents, d.FullName(false))
	}
	if len(raw.Documents) == 0 {
		b.errorf(at, "document journal %s registers no documents: list them under documents (Документ.Имя)", raw.Name)
	}
	var numbers []Type
	for _, name := range o.Documents {
		numbers = append(numbers, docs[strings.ToLower(name)].Attribute("Номер").Type)
	}
	o.NumberType = unionType(numbers)

	seen := map[string]source.Position{}
	for _, std := range o.StandardAttributes() {
		seen[strings.ToLower(std.Name)] = at
		seen[strings.ToLower(std.English)] = at
	}
	for i, rc := range raw.Columns {
		p := fmt.Sprintf("%s.columns[%d]", path, i)
		if !b.name(f, p, "journal column", rc.Name) {
			continue
		}
		cat := f.pos(p + ".name")
		if first, dup := seen[strings.ToLower(rc.Name)]; dup {
			if first == at {
				b.errorf(cat, "%s is a standard attribute of every journal: name the column otherwise", rc.Name)
			} else {
				b.errorf(cat, "column %s is declared twice (first at %s)", rc.Name, first)
			}
			continue
		}
		seen[strings.ToLower(rc.Name)] = cat
		if len(rc.References) == 0 {
			b.errorf(cat, "column %s of journal %s shows no attribute: list under references the attribute of each document it shows (Документ.Имя.Реквизит)", rc.Name, raw.Name)
			continue
		}
		col := &Attribute{Name: rc.Name, Role: PlainAttribute, Pos: cat}
		shown := map[*Object]bool{}
		var types []Type
		for j, ref := range rc.References {
			rp := fmt.Sprintf("%s.references[%d]", p, j)
			parts := strings.Split(ref, ".")
			if len(parts) != 3 {
				b.errorf(f.pos(rp), "%q is not an attribute of a document: write Документ.Имя.Реквизит", ref)
				continue
			}
			d := b.cfg.Object(parts[0] + "." + parts[1])
			switch {
			case d == nil || d.Kind != Document:
				b.errorf(f.pos(rp), "%s.%s is not a document of the configuration", parts[0], parts[1])
				continue
			case docs[strings.ToLower(d.FullName(false))] == nil:
				b.errorf(f.pos(rp), "%s is not registered in journal %s: add it to documents", d.FullName(false), raw.Name)
				continue
			case shown[d]:
				b.errorf(f.pos(rp), "column %s already shows an attribute of %s: a column shows one attribute per document", rc.Name, d.FullName(false))
				continue
			}
			a := d.Attribute(parts[2])
			if a == nil {
				b.errorf(f.pos(rp), "%s has no attribute %s", d.FullName(false), parts[2])
				continue
			}
			shown[d] = true
			col.References = append(col.References, ColumnReference{Document: d.FullName(false), Attribute: a.Name, Pos: f.pos(rp)})
			types = append(types, a.Type)
		}
		col.Type = unionType(types)
		o.Attributes = append(o.Attributes, col)
	}
	b.cfg.Objects = append(b.cfg.Objects, o)
	b.cfg.byName[k] = o
}

// unionType is the type of the values of any of types, as 1C derives the
// type of a journal column from the attributes it shows: one string (the
// longest, unlimited when any is), one number (wide enough for each), each
// reference and other primitive once.
func unionType(types []Type) Type {
	var out Type
	for _, t := range types {
		for _, s := range t {
			merged := false
			for i, o := range out {
				if o.Primitive != s.Primitive || o.Primitive == Ref && o.Object != s.Object {
					continue
				}
				switch s.Primitive {
				case String:
					if o.Length != 0 && s.Length != 0 {
						out[i].Length = max(o.Length, s.Length)
					} else {
						out[i].Length = 0
					}
				case Number:
					ints := max(o.Precision-o.Scale, s.Precision-s.Scale)
					scale := max(o.Scale, s.Scale)
					out[i].Precision, out[i].Scale = min(ints+scale, MaxPrecision), scale
				}
				merged = true
				break
			}
			if !merged {
				out = append(out, s)
			}
		}
	}
	return out
}

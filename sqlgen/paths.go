package sqlgen

import (
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
)

// autoName names a result field that has no КАК as 1C does: the path's
// parts after the table alias, run together (Контрагент.Наименование gives
// КонтрагентНаименование).
func autoName(p *ast.Path, sc *scope) string {
	parts := p.Parts
	if len(parts) > 1 {
		for _, s := range sc.sources {
			if s.name == strings.ToLower(parts[0].Name) {
				parts = parts[1:]
				break
			}
		}
	}
	var b strings.Builder
	for _, id := range parts {
		b.WriteString(id.Name)
	}
	return b.String()
}

// path resolves a field path: [source alias.]field[.field...], joining the
// tables of references on the way.
func (g *gen) path(p *ast.Path, sc *scope) val {
	parts := p.Parts
	var src *tableOccurrence
	for in := sc; in != nil && src == nil; in = in.parent {
		// Innermost first: a restriction's nested query reads the record
		// being checked by its alias (ТекущаяТаблица.Ссылка).
		for _, s := range in.sources {
			if s.name == strings.ToLower(parts[0].Name) {
				src = s
				parts = parts[1:]
				break
			}
		}
	}
	if src == nil && len(parts) > 2 {
		// Константа.ВалютаУчета.Значение: a table written without КАК,
		// named by its full name.
		if o := g.c.Config.Object(parts[0].Name + "." + parts[1].Name); o != nil {
			for in := sc; in != nil && src == nil; in = in.parent {
				for _, s := range in.sources {
					if s.fullName && s.sec == nil && s.obj != nil && s.obj.Object == o {
						src, parts = s, parts[2:]
						break
					}
				}
			}
		}
	}
	if src == nil && sc.parent != nil && !hasField(sc, parts[0].Name) {
		// An unqualified field no table of the nested query has: the
		// enclosing restriction's.
		return g.path(p, sc.parent)
	}
	if src == nil {
		// An unqualified field: the one source that has it.
		for _, s := range sc.sources {
			_, ok := s.field(parts[0].Name)
			if !ok && s.sec == nil && s.virt == nil && s.obj != nil && len(parts) > 1 {
				_, ok = s.obj.Sections[strings.ToLower(parts[0].Name)]
			}
			if ok {
				if src != nil {
					g.errorf(p, "field %s is ambiguous: more than one table of the query has it; qualify it with an alias", parts[0].Name)
					return val{sql: "NULL"}
				}
				src = s
			}
		}
		if src == nil {
			if !sc.hasBroken() {
				g.errorf(p, "%s is neither a table alias nor a field of the query's tables", parts[0].Name)
			}
			return val{sql: "NULL"}
		}
	}
	if len(parts) == 0 {
		g.errorf(p, "%s is a table: name one of its fields, as %s.Ссылка", p, p)
		return val{sql: "NULL"}
	}
	return g.fields(src, parts)
}

// hasField reports whether a source of the scope has a field (or tabular
// section) of the name.
func hasField(sc *scope, name string) bool {
	for _, s := range sc.sources {
		if _, ok := s.field(name); ok {
			return true
		}
		if s.sec == nil && s.virt == nil && s.obj != nil && s.obj.Sections[strings.ToLower(name)] != nil {
			return true
		}
	}
	return false
}

// fields reads the field path parts from the occurrence cur, joining the
// tables of references on the way.
func (g *gen) fields(cur *tableOccurrence, parts []*ast.Ident) val {
	for i, part := range parts {
		cur.soft = false
		f, ok := cur.field(part.Name)
		if ok && cur.virt == nil {
			if f.Column != "" {
				cur.used[f.Column] = true
			} else {
				cur.used[f.Tag] = true
			}
		}
		if !ok {
			if cur.sec == nil && cur.virt == nil && cur.obj.Sections[strings.ToLower(part.Name)] != nil && i < len(parts)-1 {
				// Док.Товары.Поле: the section's rows joined to the object,
				// one result row per line, as 1C reads it.
				sm := cur.obj.Sections[strings.ToLower(part.Name)]
				cur.used["§"+strings.ToLower(sm.Section.Name)] = true
				key := "section:" + strings.ToLower(part.Name)
				next, ok := cur.derefs[key]
				if !ok {
					next = g.occurrence(&tableOccurrence{sec: sm})
					next.on = next.sql + "." + g.c.Dialect.Quote("_owner_id") + " = " + cur.sql + "." + g.c.Dialect.Quote("_id")
					next.nullable = true
					next.viaOwner = true
					cur.derefs[key] = next
					cur.order = append(cur.order, next)
				}
				return g.fields(next, parts[i+1:])
			}
			if v, ok := g.pseudoField(cur, part.Name); ok {
				if i != len(parts)-1 {
					g.errorf(parts[i+1], "%s is a string: it has no fields", part.Name)
					return val{sql: "NULL"}
				}
				return v
			}
			if cur.sec == nil && cur.virt == nil && cur.obj.Sections[strings.ToLower(part.Name)] != nil {
				g.errorf(part, "%s is a tabular section: name its fields, as %s.Поле or %s.(Поле1, Поле2)", part.Name, part.Name, part.Name)
			} else {
				g.noField(part, "%s has no field %s", g.describe(cur), part.Name)
			}
			return val{sql: "NULL"}
		}
		typ := cur.fieldType(part.Name)
		if f.Column == "" {
			if i != len(parts)-1 {
				return g.throughComposite(cur, f, part, typ, parts[i+1:])
			}
			v := val{typ: typ, comp: true, tag: cur.sql + "." + g.c.Dialect.Quote(f.Tag), from: cur, field: part.Name, parts: map[string]string{}}
			v.undef = "(" + v.tag + " = '')" // the empty tag is Неопределено
			for kind, col := range f.Parts {
				v.parts[kind] = cur.sql + "." + g.c.Dialect.Quote(col)
			}
			if ref, ok := f.Parts["ref"]; ok {
				v.sql = cur.sql + "." + g.c.Dialect.Quote(ref)
			} else {
				v.sql = "NULL"
			}
			return v
		}
		colSQL := cur.sql + "." + g.c.Dialect.Quote(f.Column)
		if i == len(parts)-1 {
			return val{sql: colSQL, typ: typ, from: cur, field: part.Name}
		}
		// Dereference: join the referenced object's table once per field.
		if len(typ) != 1 || typ[0].Primitive != metadata.Ref || typ[0].Object == "" {
			g.errorf(parts[i+1], "%s is not a reference: its fields cannot be read", part.Name)
			return val{sql: "NULL"}
		}
		next, ok := cur.derefs[strings.ToLower(part.Name)]
		if !ok {
			om := g.c.Schema.Object(g.c.Config, typ[0].Object)
			if om == nil {
				g.errorf(parts[i+1], "%s refers to %s, whose fields cannot be read", part.Name, typ[0].Object)
				return val{sql: "NULL"}
			}
			next = g.deref(cur, strings.ToLower(part.Name), om, func(d *tableOccurrence) string {
				return d.sql + "." + g.c.Dialect.Quote("_id") + " = " + colSQL
			})
			// A tabular section's row always has its owner: an inner join
			// leaves the planner free to choose the join order.
			next.inner = cur.sec != nil && f.Column == "_owner_id"
		}
		cur = next
	}
	return val{sql: "NULL"}
}

// throughComposite reads the fields rest through the composite field part
// of cur as 1C does: the table of every reference type that has the field
// is joined on the reference (ids are unique across tables, so one join at
// most finds a row), and the value is the found table's. Values of one
// type merge into one column; of several, into a composite value whose tag
// names the type found. A type without the field, or a value that is not
// a reference, reads NULL.
func (g *gen) throughComposite(cur *tableOccurrence, f Field, part *ast.Ident, typ metadata.Type, rest []*ast.Ident) val {
	q := g.c.Dialect.Quote
	ref, ok := f.Parts["ref"]
	if !ok {
		g.errorf(rest[0], "%s holds no references (%s): it has no fields to read", part.Name, typeText(typ))
		return val{sql: "NULL"}
	}
	refSQL := cur.sql + "." + q(ref)
	var alts []val
	anyRef := len(typ) == 0
	for _, spec := range typ {
		if spec.Primitive != metadata.Ref {
			continue
		}
		if spec.Object == "" {
			anyRef = true
			continue
		}
		om := g.c.Schema.Object(g.c.Config, spec.Object)
		if om == nil {
			continue
		}
		if _, ok := fieldKey(om, rest[0].Name); !ok {
			continue
		}
		key := strings.ToLower(part.Name) + "|" + strings.ToLower(spec.Object)
		d, ok := cur.derefs[key]
		if !ok {
			d = g.deref(cur, key, om, func(d *tableOccurrence) string {
				return d.sql + "." + q("_id") + " = " + refSQL
			})
		}
		d.soft = false // read for its fields, not only to present the reference
		v := g.fields(d, rest)
		if v.sql == "NULL" && !v.comp && len(v.typ) == 0 {
			return v // an error was reported further down the path
		}
		alts = append(alts, v)
	}
	switch {
	case len(alts) == 0 && anyRef:
		g.errorf(rest[0], "%s may hold a reference of any type, whose fields are not known: read them through ВЫРАЗИТЬ(%s КАК Документ.Имя).%s", part.Name, part.Name, rest[0].Name)
		return val{sql: "NULL"}
	case len(alts) == 0:
		g.noField(rest[0], "no type of %s (%s) has a field %s", part.Name, typeText(typ), rest[0].Name)
		return val{sql: "NULL"}
	case len(alts) == 1:
		return alts[0]
	}
	return g.mergeAlternatives(cur, part.Name+"."+pathText(rest), alts)
}

// pathText is the dotted text of a path's parts.
func pathText(parts []*ast.Ident) string {
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = p.Name
	}
	return strings.Join(names, ".")
}

// mergeAlternatives makes one value of values of which at most one is not
// NULL in a row: one column when they have one type, else a composite.
func (g *gen) mergeAlternatives(from *tableOccurrence, field string, alts []val) val {
	var typ metadata.Type
	composite := false
	for _, a := range alts {
		composite = composite || a.comp
		for _, spec := range a.typ {
			typ = addSpec(typ, spec)
		}
	}
	if !composite && len(typ) == 1 {
		sqls := make([]string, len(alts))
		for i, a := range alts {
			sqls[i] = a.sql
		}
		return val{sql: "COALESCE(" + strings.Join(sqls, ", ") + ")", typ: typ, from: from, field: field}
	}
	var whens []string
	parts := map[string][]string{}
	for _, a := range alts {
		if a.comp {
			whens = append(whens, "WHEN "+a.tag+" IS NOT NULL THEN "+a.tag)
			for kind, p := range a.parts {
				parts[kind] = append(parts[kind], p)
			}
			continue
		}
		if len(a.typ) == 0 {
			continue
		}
		tag := g.c.Dialect.Cast(g.bind(Arg{Value: TypeTag(a.typ[0])}), ColumnType{Kind: Text})
		whens = append(whens, "WHEN "+a.sql+" IS NOT NULL THEN "+tag)
		kind := partKind(a.typ[0])
		parts[kind] = append(parts[kind], a.sql)
	}
	v := val{comp: true, typ: typ, from: from, field: field, parts: map[string]string{}}
	v.tag = "CASE " + strings.Join(whens, " ") + " END"
	v.undef = "(" + v.tag + " = '')"
	for kind, ps := range parts {
		if len(ps) == 1 {
			v.parts[kind] = ps[0]
		} else {
			v.parts[kind] = "COALESCE(" + strings.Join(ps, ", ") + ")"
		}
	}
	v.sql = "NULL"
	if r, ok := v.parts["ref"]; ok {
		v.sql = r
	}
	return v
}

// addSpec adds a type to a composite type unless it holds it already.
func addSpec(t metadata.Type, s metadata.TypeSpec) metadata.Type {
	for _, x := range t {
		if x.Primitive == s.Primitive && x.Object == s.Object {
			return t
		}
	}
	return append(t, s)
}

// pointInTime is МоментВремени of a document (its Дата and Ссылка) or of a
// record of a register subordinate to recorders (its Период and
// Регистратор): a text that sorts and compares as 1C orders moments, by
// the date, then by the reference. The date is written as fixed-width
// digits (ГГГГММДДЧЧММСС after a leading 1), so both databases compare it
// alike whatever their date settings.
func (g *gen) pointInTime(cur *tableOccurrence) (val, bool) {
	var date, ref string
	switch {
	case cur.obj.Object.Kind == metadata.Document:
		date, ref = g.column(cur, "Дата"), g.column(cur, "Ссылка")
		cur.used["_date"] = true
	case cur.obj.Fields["регистратор"].Tag != "" || cur.obj.Fields["регистратор"].Column != "":
		if _, ok := cur.obj.Fields["период"]; !ok {
			return val{}, false
		}
		date = g.column(cur, "Период")
		rec := cur.obj.Fields["регистратор"]
		cur.used[cur.obj.Fields["период"].Column] = true
		if rec.Column != "" {
			ref = cur.sql + "." + g.c.Dialect.Quote(rec.Column)
			cur.used[rec.Column] = true
		} else {
			ref = cur.sql + "." + g.c.Dialect.Quote(rec.Parts["ref"])
			cur.used[rec.Tag] = true
		}
	default:
		return val{}, false
	}
	d := g.c.Dialect
	part := func(p string, scale string) string { return d.DatePart(p, date) + " * " + scale }
	key := "(100000000000000 + " + part("year", "10000000000") + " + " + part("month", "100000000") + " + " + part("day", "1000000") +
		" + " + part("hour", "10000") + " + " + part("minute", "100") + " + " + d.DatePart("second", date) + ")"
	text := d.Cast(key, ColumnType{Kind: Text}) + " || " + d.Cast(ref, ColumnType{Kind: Text})
	return val{sql: "(" + text + ")", typ: metadata.Type{{Primitive: metadata.String}}}, true
}

// pseudoField is a standard field 1C computes rather than stores: an
// object's Представление (its presentation: a catalog item's Наименование,
// a document's "Синоним Номер от Дата") and ИмяПредопределенныхДанных (the
// name of a predefined item, "" for others; predefined items' ids are made
// from their names, so the name is known from the id).
func (g *gen) pseudoField(cur *tableOccurrence, name string) (val, bool) {
	if n := strings.ToLower(name); (n == "моментвремени" || n == "pointintime") && cur.obj != nil && cur.sec == nil && cur.virt == nil {
		return g.pointInTime(cur)
	}
	if cur.obj == nil || cur.sec != nil || cur.virt != nil || !cur.obj.Object.Kind.IsReference() {
		return val{}, false
	}
	q := g.c.Dialect.Quote
	o := cur.obj.Object
	str := metadata.Type{{Primitive: metadata.String}}
	switch strings.ToLower(name) {
	case "представление", "presentation":
		if o.Kind == metadata.Document {
			title := o.Synonym
			if title == "" {
				title = o.Name
			}
			cur.used["_number"], cur.used["_date"] = true, true
			from := " от "
			if g.c.Config.English {
				from = " dated "
			}
			number := g.columnText(cur, "_number")
			text := g.c.Dialect.Cast(g.bind(Arg{Value: title + " "}), ColumnType{Kind: Text}) + " || " + number + " || " +
				g.c.Dialect.Cast(g.bind(Arg{Value: from}), ColumnType{Kind: Text}) + " || " + g.c.Dialect.DateText(cur.sql+"."+q("_date"))
			return val{sql: "(" + text + ")", typ: str}, true
		}
		col := presentationColumn(cur.obj)
		if col == "" {
			return val{sql: "''", typ: str}, true
		}
		cur.used[col] = true
		return val{sql: g.columnText(cur, col), typ: str}, true
	case "имяпредопределенныхданных", "predefineddataname":
		if len(o.Predefined) == 0 {
			return val{sql: "''", typ: str}, true
		}
		var b strings.Builder
		b.WriteString("CASE " + cur.sql + "." + q("_id"))
		for _, p := range o.Predefined {
			b.WriteString(" WHEN " + g.bind(Arg{Value: PredefinedID(o, p)}) + " THEN " + g.c.Dialect.Cast(g.bind(Arg{Value: p}), ColumnType{Kind: Text}))
		}
		b.WriteString(" ELSE '' END")
		return val{sql: b.String(), typ: str}, true
	}
	return val{}, false
}

// columnText is a presentation column of the occurrence as text: a number
// (a numeric code or number) in its shortest digits.
func (g *gen) columnText(cur *tableOccurrence, col string) string {
	sqlText := cur.sql + "." + g.c.Dialect.Quote(col)
	if c := cur.obj.Table.Column(col); c != nil && c.Type.Kind != Text && c.Type.Kind != VarChar {
		return g.c.Dialect.NumberText(sqlText)
	}
	return sqlText
}

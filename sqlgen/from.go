package sqlgen

import (
	"strings"

	"dostup/sdbl/ast"
)

type scope struct {
	sources []*tableOccurrence
	joins   []*joinNode // FROM items in order
	parent  *scope      // in a restriction, the scope a nested query may also read
	// broken are the lower-cased names of FROM items that did not bind
	// (their error is reported at ИЗ): what may read them is not reported
	// again, so that the cause comes first and alone.
	broken map[string]bool
}

// hasBroken reports whether the scope, or one it is nested in, has a FROM
// item that did not bind: a name that resolves nowhere may be its alias or
// one of its fields.
func (sc *scope) hasBroken() bool {
	for in := sc; in != nil; in = in.parent {
		if len(in.broken) > 0 {
			return true
		}
	}
	return false
}

// joinNode is an item of FROM: a source, possibly joined to the next ones.
type joinNode struct {
	src   *tableOccurrence
	kind  string // "" for the first item of a comma list, else "LEFT JOIN" ...
	on    string
	comma bool
	// A nested join (А СОЕДИНЕНИЕ Б СОЕДИНЕНИЕ В ПО ... ПО ...) joins its
	// items among themselves first: its first node opens the group
	// (groupStart; its kind and on are the group's, printed when the group
	// closes), each member names the group it is in (head), and the node
	// that ends one or more groups lists their heads, innermost first.
	groupStart bool
	head       *joinNode
	closes     []*joinNode
}

// insideLeftJoin reports whether the node is inside a group joined by
// LEFT JOIN: its rows may be made up of NULLs like the group's.
func (j *joinNode) insideLeftJoin() bool {
	for h := j.head; h != nil; h = h.head {
		if h.kind == "LEFT JOIN" {
			return true
		}
	}
	return false
}

// place decides where the predicates of a SELECT's FROM items go: in WHERE
// for the items every row has, in ON for the right side of LEFT JOIN, and
// inside a derived table for each item when RIGHT or FULL JOIN can make
// any of them NULL.
func (g *gen) place(sc *scope) {
	outer := false
	for _, j := range sc.joins {
		if j.kind == "RIGHT JOIN" || j.kind == "FULL JOIN" {
			outer = true
		}
	}
	for i, j := range sc.joins {
		switch {
		case outer:
			j.src.derived = true
			j.src.nullable = true
		case i > 0 && j.kind == "LEFT JOIN", j.insideLeftJoin():
			j.src.nullable = true
		}
	}
}

// from binds a FROM item.
func (g *gen) from(src ast.Source, sc *scope, kind, on string) {
	switch s := src.(type) {
	case *ast.TableSource:
		var occ *tableOccurrence
		switch {
		case g.main != nil:
			// A restriction's ИЗ names the table it restricts first: by its
			// full name, or by the restriction's alias (Т ИЗ Т ..., as the
			// Standard Subsystems Library writes it).
			self := len(s.Name.Parts) == 1 && strings.ToLower(s.Name.Parts[0].Name) == g.main.name
			if o := g.c.Config.Object(s.Name.String()); !self && (s.HasParams || o == nil || o.FullName(false) != g.main.obj.Object.FullName(false)) {
				return
			}
			occ, g.main = g.main, nil
		case s.HasParams || g.virtualName(s.Name):
			occ = g.virtual(s)
		default:
			occ = g.table(s.Name)
		}
		if occ == nil {
			if sc.broken == nil {
				sc.broken = map[string]bool{}
			}
			name := s.Name.Last().Name
			if s.Alias != nil {
				name = s.Alias.Name
			}
			sc.broken[strings.ToLower(name)] = true
			return
		}
		occ.name = strings.ToLower(s.Name.Last().Name)
		if occ.virt != nil && occ.virt.table == "" {
			// 1C names a virtual table's occurrence after the register.
			occ.name = strings.ToLower(s.Name.Parts[1].Name + s.Name.Last().Name)
		}
		if s.Alias != nil {
			occ.name = strings.ToLower(s.Alias.Name)
		} else if occ.virt == nil {
			occ.fullName = true
		}
		sc.sources = append(sc.sources, occ)
		sc.joins = append(sc.joins, &joinNode{src: occ, kind: kind, comma: kind == "" && len(sc.joins) > 0})
	case *ast.JoinSource:
		g.from(s.Left, sc, kind, on)
		kw := map[ast.JoinKind]string{ast.InnerJoin: "INNER JOIN", ast.LeftJoin: "LEFT JOIN", ast.RightJoin: "RIGHT JOIN", ast.FullJoin: "FULL JOIN"}[s.Kind]
		n := len(sc.joins)
		g.from(s.Right, sc, kw, "")
		if len(sc.joins) <= n {
			break
		}
		if _, nested := s.Right.(*ast.JoinSource); nested {
			head := sc.joins[n]
			head.groupStart = true
			for _, j := range sc.joins[n+1:] {
				if j.head == nil {
					j.head = head
				}
			}
			last := sc.joins[len(sc.joins)-1]
			last.closes = append(last.closes, head)
		}
		sc.joins[n].on = g.cond(s.On, sc)
	case *ast.SubquerySource:
		sqlText, cols := g.nested(s.Query, nil)
		vt := &virtualTable{name: "nested query", sql: sqlText, fields: map[string]virtualField{}}
		for _, c := range cols {
			vt.add(c.virtual(), c.Name)
		}
		occ := g.occurrence(&tableOccurrence{virt: vt})
		if s.Alias == nil {
			g.errorf(s, "a nested query in ИЗ (FROM) needs КАК and a name")
		} else {
			occ.name = strings.ToLower(s.Alias.Name)
		}
		sc.sources = append(sc.sources, occ)
		sc.joins = append(sc.joins, &joinNode{src: occ, kind: kind, comma: kind == "" && len(sc.joins) > 0})
	}
}

// table resolves Справочник.X or Документ.X.ТабличнаяЧасть to a new occurrence.
func (g *gen) table(p *ast.Path) *tableOccurrence {
	if len(p.Parts) == 1 {
		if t := g.temps[strings.ToLower(p.Parts[0].Name)]; t != nil {
			return g.occurrence(&tableOccurrence{virt: &virtualTable{name: t.name, table: t.sql, fields: t.fields, order: t.order}})
		}
		g.errorf(p, "%s is neither a table of the configuration nor a temporary table made earlier in the batch", p)
		return nil
	}
	if len(p.Parts) < 2 || len(p.Parts) > 3 {
		g.errorf(p, "%s is not a table: expected a name such as Справочник.Контрагенты", p)
		return nil
	}
	om := g.objectOf(p)
	if om == nil {
		return nil
	}
	o := om.Object
	if len(p.Parts) == 2 {
		return g.occurrence(&tableOccurrence{obj: om})
	}
	sm := om.Sections[strings.ToLower(p.Parts[2].Name)]
	if sm == nil {
		g.noField(p.Parts[2], "%s has no tabular section %s", o.FullName(g.c.Config.English), p.Parts[2].Name)
		return nil
	}
	return g.occurrence(&tableOccurrence{sec: sm})
}

// renderSource prints a table occurrence with its dereference joins in
// parentheses, so that conditions may read fields reached through it.
func (g *gen) renderSource(s *tableOccurrence) string {
	q := g.c.Dialect.Quote
	var base string
	switch {
	case s.correlated:
		// A restriction's row is the enclosing statement's: what it joins
		// hangs off one dummy row.
		base = "(SELECT 1 AS " + q("one") + ") " + g.alias("d")
	case s.virt != nil && s.virt.table != "":
		base = q(s.virt.table) + " " + s.sql
	case s.virt != nil:
		base = "(" + s.virt.sql + ") " + s.sql
	case s.derived && s.checked:
		base = "(SELECT " + s.sql + ".* FROM " + g.tableSQL(s.table()) + " " + s.sql + ownerMark(s, markJoined) + " WHERE " + mark(markFilter, s.id) + ") " + s.sql
	default:
		base = ownerMark(s, markOpen) + g.tableSQL(s.table()) + " " + s.sql + ownerMark(s, markOwner)
	}
	if len(s.order) == 0 {
		return base
	}
	var jb strings.Builder
	jb.WriteString("(" + base)
	var add func(s *tableOccurrence)
	add = func(s *tableOccurrence) {
		for _, d := range s.order {
			join := " LEFT JOIN "
			switch {
			case d.inner && d.checked:
				join = mark(markInner, d.id)
			case d.inner:
				join = " JOIN "
			}
			jb.WriteString(join + g.tableSQL(d.table()) + " " + d.sql + " ON " + d.on + andMark(d))
			add(d)
		}
	}
	add(s)
	jb.WriteString(")")
	return jb.String()
}

// renderFrom prints FROM.
func (g *gen) renderFrom(sc *scope) string {
	var b strings.Builder
	for i, j := range sc.joins {
		switch {
		case i == 0:
		case j.comma:
			b.WriteString(", ")
		default:
			b.WriteString(" " + j.kind + " ")
		}
		if j.groupStart {
			b.WriteString("(")
		}
		b.WriteString(g.renderSource(j.src))
		if j.kind != "" && i > 0 && !j.groupStart {
			b.WriteString(g.joinOn(j))
		}
		for _, h := range j.closes {
			b.WriteString(")" + g.joinOn(h))
		}
	}
	return b.String()
}

// joinOn is the ON clause of a joined node, with the mark of its
// restriction when an outer join may make it NULL.
func (g *gen) joinOn(j *joinNode) string {
	on := j.on
	if on == "" {
		on = "TRUE"
	}
	s := " ON " + on
	if j.src.nullable && !j.src.derived {
		s += andMark(j.src)
	}
	return s
}

// objectOf resolves the object a table name starts with (Справочник.X of
// Справочник.X.Товары or РегистрНакопления.X.Остатки), reporting a name the
// configuration does not have at its place.
func (g *gen) objectOf(p *ast.Path) *ObjectMap {
	o := g.c.Config.Object(p.Parts[0].Name + "." + p.Parts[1].Name)
	if o == nil {
		g.errorf(p, "%s.%s is not in the configuration", p.Parts[0].Name, p.Parts[1].Name)
		return nil
	}
	return g.c.Schema.Object(g.c.Config, o.FullName(false))
}

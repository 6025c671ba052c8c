package sqlgen

import (
	"strings"

	"dostup/metadata/vocab"
	"dostup/rls"
)

// Access is what the compiler needs to know of a session to put its rights
// and record-level security into a statement: rls.Session. A Compiler with
// a nil Access compiles with full rights, as privileged mode does.
type Access interface {
	// Plan decides the records of the object (its full Russian name,
	// Справочник.Контрагенты) the session may use with the right (Read,
	// Insert, Update, Delete, Posting, UndoPosting) when the statement
	// reads fields; a plan denied without a message means the right is not
	// granted.
	Plan(object string, right vocab.Right, fields rls.Fields) (rls.Plan, error)
}

// granted reports whether a role of the session grants a right on an
// object, whatever its restrictions say.
func granted(a Access, object string, right vocab.Right) (bool, error) {
	p, err := a.Plan(object, right, rls.Fields{})
	if err != nil {
		return false, err
	}
	return p.Decision != rls.Denied || p.Message != "", nil
}

// pred is the predicate an occurrence's records must satisfy for the
// session: "" when every record is allowed, compiled once per occurrence.
// A tabular section read through its owner's occurrence (Док.Товары.Поле)
// has none of its own: the owner's predicate, which counts the section as a
// field read, already leaves out the rows of forbidden owners, and the
// owner's row is that occurrence, not one joined for the section.
func (g *gen) pred(o *tableOccurrence) string {
	if o.viaOwner {
		return ""
	}
	if p, ok := g.st.preds[o]; ok {
		return p
	}
	if g.st.preds == nil {
		g.st.preds = map[*tableOccurrence]string{}
	}
	g.st.preds[o] = "FALSE" // a restriction that reaches itself gets nothing
	p := g.compilePred(o)
	g.st.preds[o] = p
	return p
}

// compilePred compiles the session's plan for an occurrence: the right of
// its table and the fields the statement reads of it (every field when it
// uses them all) decide the plan; the compiler emits its leaves, ANDed
// (ORed when no field is read) within a role and ORed across roles.
func (g *gen) compilePred(o *tableOccurrence) string {
	plan, err := g.c.Access.Plan(o.object(), o.right(), rls.Fields{All: o.usesAll, Used: o.usedKeys(), Key: func(name string) (string, bool) {
		return fieldKey(g.ownerMap(o), name)
	}})
	if err != nil {
		g.fail(err)
		return "FALSE"
	}
	switch plan.Decision {
	case rls.Allowed:
		return ""
	case rls.Denied:
		if plan.Message != "" && g.st.denied == nil {
			g.st.denied = &rls.AccessError{Object: o.object(), Right: o.right(), Message: plan.Message}
		}
		return "FALSE"
	}
	roles := make([]string, 0, len(plan.Roles))
	for _, r := range plan.Roles {
		parts := make([]string, 0, len(r.Conditions))
		for _, c := range r.Conditions {
			parts = append(parts, g.condition(o, c))
		}
		op := " AND "
		if r.Any {
			op = " OR "
		}
		roles = append(roles, "("+strings.Join(parts, op)+")")
	}
	if len(roles) == 1 {
		return roles[0]
	}
	return "(" + strings.Join(roles, " OR ") + ")"
}

// ownerAlias is the alias of the owner's row joined to a tabular section's
// occurrence for its owner's restriction.
func (g *gen) ownerAlias(o *tableOccurrence) string {
	if o.ownerSQL == "" {
		o.ownerSQL = g.alias("o")
	}
	return o.ownerSQL
}

// ownerJoin joins a tabular section's rows to their owner's when the
// owner's restriction reads it; every row has its owner, so the join keeps
// them all, and the planner may start from the owners the restriction
// selects.
func (g *gen) ownerJoin(o *tableOccurrence) string {
	if o.sec == nil || o.viaOwner || !o.checked || g.pred(o) == "" {
		return ""
	}
	q := g.c.Dialect.Quote
	om := g.ownerMap(o)
	a := g.ownerAlias(o)
	return " JOIN " + q(om.Table.Name) + " " + a + " ON " + a + "." + q("_id") + " = " + o.sql + "." + q(o.sec.Fields["ссылка"].Column)
}

// ownerMap is the object whose restrictions govern an occurrence.
func (g *gen) ownerMap(o *tableOccurrence) *ObjectMap {
	if o.sec != nil {
		return g.c.Schema.Object(g.c.Config, o.sec.Owner.FullName(false))
	}
	return o.obj
}

// condition compiles one restriction for an occurrence. The record being
// checked is the occurrence's own row: a condition on its fields alone is
// inlined as it is; one that reads through references or other tables
// becomes EXISTS over them, correlated with the row. A tabular section's
// row is checked by its owner's restriction, through the owner's row.
func (g *gen) condition(o *tableOccurrence, c rls.Condition) string {
	r := &gen{c: g.c, text: c.Text, st: g.st, restriction: true}
	om := g.ownerMap(o)
	row := o.sql
	if o.sec != nil {
		// A section's row is checked through its owner's row, which
		// ownerJoin joins to it.
		row = g.ownerAlias(o)
	}
	main := &tableOccurrence{obj: om, sql: row, derefs: map[string]*tableOccurrence{}, used: map[string]bool{}, correlated: true}
	main.name = strings.ToLower(om.Object.Name)
	tree := c.Tree
	if tree.Alias != nil {
		main.name = strings.ToLower(tree.Alias.Last().Name)
	}
	sc := &scope{}
	if len(tree.From) > 0 {
		r.main = main
		for _, src := range tree.From {
			r.from(src, sc, "", "")
		}
		if r.main != nil {
			r.errorf(tree.From[0], "ИЗ (FROM) of a restriction starts with the table it restricts, %s", om.Object.FullName(g.c.Config.English))
			return "FALSE"
		}
	} else {
		sc.sources = []*tableOccurrence{main}
		sc.joins = []*joinNode{{src: main}}
	}
	r.outer = sc
	cond := "TRUE"
	if tree.Where != nil {
		cond = r.cond(tree.Where, sc)
	}
	if main.correlated && len(main.order) == 0 && len(sc.joins) == 1 {
		return "(" + cond + ")"
	}
	return "EXISTS (SELECT 1 FROM " + r.renderFrom(sc) + " WHERE " + cond + ")"
}

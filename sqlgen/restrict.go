package sqlgen

import (
	"strings"

	"dostup/sdbl/ast"
	"dostup/sdbl/source"
)

// Access is what the compiler needs to know of a session to put its rights
// and record-level security into a statement. A Compiler with a nil Access
// compiles with full rights, as privileged mode does.
type Access interface {
	// Grants returns, for every role of the session that grants right on
	// the object (its full Russian name, Справочник.Контрагенты), the
	// restrictions of that right as the session sees them. No grants means
	// the right is not granted. Right is Чтение, Добавление, Изменение,
	// Удаление, Проведение or ОтменаПроведения.
	Grants(object, right string) ([]Grant, error)
}

// Grant is one role's grant of a right on an object. A grant without
// restrictions allows every record.
type Grant struct {
	Role         string
	Restrictions []Condition
}

// Condition is one restriction of a grant, prepared for the session:
// templates expanded, the preprocessor evaluated with the session's
// parameters, the text parsed.
type Condition struct {
	// Fields are the fields a Read restriction is for; empty means every
	// field no other restriction of the role names ("other fields"), and
	// is the only form other rights have.
	Fields []string
	Text   source.Text      // the expanded text, for positions in errors
	Tree   *ast.Restriction // nil for a message variant
	// Message is set for a message variant: a text the restriction's
	// author wrote to stop such sessions (Ошибка: …). Any operation the
	// restriction applies to fails with it.
	Message string
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

// compilePred combines the session's restrictions of an occurrence (§3.2):
// per role the restrictions that apply to the fields the statement reads,
// joined by AND; roles joined by OR; every restriction joined by OR when
// the statement reads no field of the table.
func (g *gen) compilePred(o *tableOccurrence) string {
	grants, err := g.c.Access.Grants(o.object(), o.right())
	if err != nil {
		g.fail(err)
		return "FALSE"
	}
	if len(grants) == 0 {
		return "FALSE"
	}
	used := o.usedKeys()
	var roles []string
	for _, gr := range grants {
		var conds []Condition
		if len(used) == 0 && !o.usesAll {
			conds = gr.Restrictions
		} else {
			conds = applicable(g.ownerMap(o), o.usesAll, gr.Restrictions, used)
		}
		if len(conds) == 0 {
			return "" // this role allows every record
		}
		var parts []string
		for _, c := range conds {
			if c.Tree == nil {
				if g.st.denied == nil {
					g.st.denied = &AccessError{Object: o.object(), Right: o.right(), Message: c.Message}
				}
				return "FALSE"
			}
			parts = append(parts, g.condition(o, c))
		}
		if len(used) == 0 && !o.usesAll {
			roles = append(roles, "("+strings.Join(parts, " OR ")+")")
		} else {
			roles = append(roles, "("+strings.Join(parts, " AND ")+")")
		}
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

// applicable picks a role's restrictions for the fields used: one for
// named fields when it names a used one, the "other fields" one when a used
// field is named by none.
func applicable(om *ObjectMap, usesAll bool, all []Condition, used []string) []Condition {
	if usesAll {
		return all
	}
	named := map[string]bool{}
	keys := make([][]string, len(all))
	for i, c := range all {
		for _, f := range c.Fields {
			k := strings.ToLower(f)
			if fk, ok := fieldKey(om, f); ok {
				k = fk
			}
			keys[i] = append(keys[i], k)
			named[k] = true
		}
	}
	other := false
	for _, u := range used {
		if !named[u] {
			other = true
		}
	}
	isUsed := map[string]bool{}
	for _, u := range used {
		isUsed[u] = true
	}
	var out []Condition
	for i, c := range all {
		if len(c.Fields) == 0 {
			if other {
				out = append(out, c)
			}
			continue
		}
		for _, k := range keys[i] {
			if isUsed[k] {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// condition compiles one restriction for an occurrence. The record being
// checked is the occurrence's own row: a condition on its fields alone is
// inlined as it is; one that reads through references or other tables
// becomes EXISTS over them, correlated with the row. A tabular section's
// row is checked by its owner's restriction, through the owner's row.
func (g *gen) condition(o *tableOccurrence, c Condition) string {
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

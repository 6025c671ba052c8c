package sqlgen

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"dostup/metadata"
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

// AccessError is an operation refused by rights or record-level security.
type AccessError struct {
	User   string // filled in by the session
	Object string // the table's full name
	Right  string // Чтение, Добавление, Изменение, Удаление, Проведение, ОтменаПроведения
	// Records is set when the right is granted but a record the operation
	// reads or writes is outside the restriction.
	Records bool
	Message string // a restriction's own message (a message variant)
	// Mode is how the operation ran: "allowed" (ВЫБРАТЬ РАЗРЕШЕННЫЕ),
	// "all" (a query without it), "read" (an object read by reference)
	// or "write" (an object written, posted or deleted).
	Mode string
}

// ObjectMode is the Mode of an object operation needing a right: "read"
// for Чтение, "write" for every other.
func ObjectMode(right string) string {
	if strings.EqualFold(right, "Чтение") || strings.EqualFold(right, "Read") {
		return "read"
	}
	return "write"
}

func (e *AccessError) Error() string {
	who := ""
	if e.User != "" {
		who = " for user " + e.User
	}
	right := e.Right
	if en := metadata.RightName(e.Right, true); en != "" && en != e.Right {
		right += " (" + en + ")"
	}
	switch {
	case e.Message != "":
		return fmt.Sprintf("access denied%s: %s (restriction of the %s right on %s)", who, e.Message, right, e.Object)
	case e.Records && strings.EqualFold(e.Right, "Чтение"):
		return fmt.Sprintf("access denied%s: the %s right on %s does not extend to every record the query reads (record-level restriction); ВЫБРАТЬ РАЗРЕШЕННЫЕ leaves such records out", who, right, e.Object)
	case e.Records:
		return fmt.Sprintf("access denied%s: the record is outside the restriction of the %s right on %s", who, right, e.Object)
	}
	return fmt.Sprintf("access denied%s: no %s right on %s", who, right, e.Object)
}

// IsAccessDenied reports whether err is, or wraps, an *AccessError.
func IsAccessDenied(err error) bool {
	var ae *AccessError
	return errors.As(err, &ae)
}

// Check is a query that must return no row for its statement to run: an
// access check of a statement without РАЗРЕШЕННЫЕ. A row's single column
// is the 1-based number of the table in Objects whose forbidden record the
// statement would read.
type Check struct {
	SQL     string
	Args    []Arg
	Objects []string
	tmpl    template // for Expand, when В lists hold parameters
}

// probe is a SELECT (or a virtual table's read of its register) whose
// forbidden records an access check looks for: its FROM and WHERE as
// compiled, and the occurrences FROM holds.
type probe struct {
	roots []*source_
	from  string
	where string // "" when none
}

// The marks that compiled text holds until the statement is finished: a
// bound argument, and the places record-level security fills in once the
// fields a statement reads from each table are known.
const (
	markArg    = '?' // a placeholder: the argument's index
	markAnd    = 'a' // " AND <predicate>" of an occurrence, or nothing
	markWhere  = 'w' // " WHERE <predicates>" of occurrences, or nothing
	markFilter = 'p' // "<predicate>" of an occurrence, or TRUE
	markOwner  = 's' // the join of a tabular section to its owner, when a restriction reads it, and ")"
	markOpen   = 'S' // "(" before a section joined to its owner
	markJoined = 'j' // the join of a section to its owner, without parentheses
	markInner  = 'J' // the join of a dereference that always finds its row: JOIN, or LEFT JOIN when filtered
)

func mark(kind byte, n int) string { return "\x00" + string(kind) + strconv.Itoa(n) + "\x00" }

func markList(kind byte, ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return "\x00" + string(kind) + strings.Join(parts, ",") + "\x00"
}

// filterClause is the WHERE of a SELECT: the query's own condition (SQL,
// or "") and the predicates of the occurrences it filters.
func (g *gen) filterClause(where string, occs []*source_) string {
	var ids []int
	for _, o := range occs {
		if o.checked {
			ids = append(ids, o.id)
		}
	}
	if where == "" {
		if len(ids) == 0 {
			return ""
		}
		return markList(markWhere, ids)
	}
	var b strings.Builder
	b.WriteString(" WHERE " + where)
	for _, id := range ids {
		b.WriteString(mark(markAnd, id))
	}
	return b.String()
}

// andMark is the mark of an occurrence's predicate in an ON condition.
func andMark(o *source_) string {
	if !o.checked {
		return ""
	}
	return mark(markAnd, o.id)
}

// addProbe registers a SELECT's FROM and WHERE for the access check of a
// statement without РАЗРЕШЕННЫЕ.
func (g *gen) addProbe(roots []*source_, from, where string) {
	if g.c.Access == nil || g.restriction || from == "" {
		return
	}
	g.st.probes = append(g.st.probes, &probe{roots: roots, from: from, where: where})
}

// finish completes a statement: it checks the session's rights on every
// table the statement reads, puts the record-level predicates in (allowed:
// РАЗРЕШЕННЫЕ filters; otherwise checks that fail the statement), and
// numbers the placeholders.
func (g *gen) finish(s *Statement, allowed bool) {
	if g.c.Access != nil {
		g.checkRights()
	}
	text := g.resolve(s.SQL, allowed)
	if d := g.st.denied; d != nil && d.Mode == "" {
		d.Mode = "all"
		if allowed {
			d.Mode = "allowed"
		}
	}
	if g.c.Access != nil && !allowed {
		for _, p := range g.st.probes {
			if c := g.check(p); c != nil {
				s.Checks = append(s.Checks, c)
			}
		}
	}
	s.tmpl = g.template(text)
	s.SQL, s.Args = g.number(text)
}

// checkRights fails the statement for the first table it reads — named,
// joined, nested or dereferenced, in either mode — whose Read right no role
// of the session grants. A table joined only to present a reference reads
// as absent instead: the reference stays, its presentation is empty.
func (g *gen) checkRights() {
	for _, o := range g.st.occs {
		if !o.checked || o.viaOwner || o.soft {
			continue
		}
		grants, err := g.c.Access.Grants(o.object(), o.right())
		if err != nil {
			g.fail(err)
			return
		}
		if len(grants) == 0 && g.st.denied == nil {
			g.st.denied = &AccessError{Object: o.object(), Right: o.right()}
		}
	}
}

// fail records an error that has no place in the query: one of the
// session's restrictions that does not expand or parse.
func (g *gen) fail(err error) {
	var list source.ErrorList
	var one *source.Error
	switch {
	case errors.As(err, &list):
		g.st.errs = append(g.st.errs, list...)
	case errors.As(err, &one):
		g.st.errs = append(g.st.errs, one)
	default:
		g.st.errs = append(g.st.errs, &source.Error{Code: "access", Msg: err.Error()})
	}
}

// resolve replaces the marks of record-level security in text.
func (g *gen) resolve(text string, allowed bool) string {
	if !strings.Contains(text, "\x00") {
		return text
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(text, 0)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		j := strings.IndexByte(text[i+1:], 0) + i + 1
		b.WriteString(text[:i])
		kind, body := text[i+1], text[i+2:j]
		switch kind {
		case markArg, markIn, markItem, markEnd:
			b.WriteString(text[i : j+1])
		case markAnd:
			if f := g.filter(g.occ(body), allowed); f != "" {
				b.WriteString(" AND " + f)
			}
		case markOwner, markOpen, markJoined:
			o := g.occ(body)
			join := ""
			if allowed || g.probing || o.soft {
				join = g.ownerJoin(o)
			}
			switch {
			case join == "":
			case kind == markOpen:
				// PostgreSQL takes parentheses around joined tables only.
				b.WriteString("(")
			case kind == markOwner:
				b.WriteString(join + ")")
			default:
				b.WriteString(join)
			}
		case markInner:
			// A row always has its owner, but a filtered owner may be absent:
			// then its fields read as NULL and the row stays.
			if g.filter(g.occ(body), allowed) != "" {
				b.WriteString(" LEFT JOIN ")
			} else {
				b.WriteString(" JOIN ")
			}
		case markFilter:
			if f := g.filter(g.occ(body), allowed); f != "" {
				b.WriteString(f)
			} else {
				b.WriteString("TRUE")
			}
		case markWhere:
			var fs []string
			for _, id := range strings.Split(body, ",") {
				if f := g.filter(g.occ(id), allowed); f != "" {
					fs = append(fs, f)
				}
			}
			if len(fs) > 0 {
				b.WriteString(" WHERE " + strings.Join(fs, " AND "))
			}
		}
		text = text[j+1:]
	}
}

func (g *gen) occ(id string) *source_ {
	n, _ := strconv.Atoi(id)
	return g.st.occs[n]
}

// filter is the predicate that leaves an occurrence's forbidden records
// out, or "" when none: in РАЗРЕШЕННЫЕ always; otherwise only for tables
// joined to present references, which never fail a query.
func (g *gen) filter(o *source_, allowed bool) string {
	if !allowed && !o.soft {
		return ""
	}
	return g.resolve(g.pred(o), allowed)
}

// check builds the access check of one probe: the first occurrence with a
// record the probe's SELECT would read that its restriction forbids.
func (g *gen) check(p *probe) *Check {
	var whens, viols, objects []string
	var walk func(o *source_)
	walk = func(o *source_) {
		if o.checked && !o.soft && !o.viaOwner {
			if pr := g.pred(o); pr != "" {
				v := "NOT COALESCE(" + pr + ", FALSE)"
				if o.nullable {
					v = "(" + o.sql + "." + g.c.Dialect.Quote(o.presentColumn()) + " IS NOT NULL AND " + v + ")"
				}
				objects = append(objects, o.object())
				whens = append(whens, fmt.Sprintf("WHEN %s THEN %d", v, len(objects)))
				viols = append(viols, v)
			}
		}
		for _, d := range o.order {
			walk(d)
		}
	}
	for _, r := range p.roots {
		walk(r)
	}
	if len(viols) == 0 {
		return nil
	}
	where := "(" + strings.Join(viols, " OR ") + ")"
	if p.where != "" {
		where = "(" + p.where + ") AND " + where
	}
	text := "SELECT CASE " + strings.Join(whens, " ") + " END FROM " + p.from + " WHERE " + where + " LIMIT 1"
	g.probing = true
	text = g.resolve(text, false)
	g.probing = false
	sqlText, args := g.number(text)
	return &Check{SQL: sqlText, Args: args, Objects: objects, tmpl: g.template(text)}
}

// number turns the argument marks of text into the dialect's placeholders,
// numbered from 1 in order of first use, and returns the arguments the
// text uses.
func (g *gen) number(text string) (string, []Arg) {
	return numberMarks(text, g.st.args, g.c.Dialect)
}

// object is the full name of the table whose rights govern an occurrence.
func (s *source_) object() string {
	if s.sec != nil {
		return s.sec.Owner.FullName(false)
	}
	return s.obj.Object.FullName(false)
}

func (s *source_) right() string {
	if s.access != "" {
		return s.access
	}
	return "Чтение"
}

// presentColumn is a column never NULL in a stored row of the occurrence,
// telling a row that exists from one an outer join made up.
func (s *source_) presentColumn() string {
	t := s.table()
	if s.sec == nil && s.obj.Object.Kind.IsReference() {
		return "_id"
	}
	if len(t.PrimaryKey) > 0 {
		return t.PrimaryKey[0]
	}
	return t.Columns[0].Name
}

// pred is the predicate an occurrence's records must satisfy for the
// session: "" when every record is allowed, compiled once per occurrence.
// A tabular section read through its owner's occurrence (Док.Товары.Поле)
// has none of its own: the owner's predicate, which counts the section as a
// field read, already leaves out the rows of forbidden owners, and the
// owner's row is that occurrence, not one joined for the section.
func (g *gen) pred(o *source_) string {
	if o.viaOwner {
		return ""
	}
	if p, ok := g.st.preds[o]; ok {
		return p
	}
	if g.st.preds == nil {
		g.st.preds = map[*source_]string{}
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
func (g *gen) compilePred(o *source_) string {
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

// usedKeys are the fields read of an occurrence, as keys of fieldKey.
func (s *source_) usedKeys() []string {
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

// ownerAlias is the alias of the owner's row joined to a tabular section's
// occurrence for its owner's restriction.
func (g *gen) ownerAlias(o *source_) string {
	if o.ownerSQL == "" {
		o.ownerSQL = g.alias("o")
	}
	return o.ownerSQL
}

// ownerJoin joins a tabular section's rows to their owner's when the
// owner's restriction reads it; every row has its owner, so the join keeps
// them all, and the planner may start from the owners the restriction
// selects.
func (g *gen) ownerJoin(o *source_) string {
	if o.sec == nil || o.viaOwner || !o.checked || g.pred(o) == "" {
		return ""
	}
	q := g.c.Dialect.Quote
	om := g.ownerMap(o)
	a := g.ownerAlias(o)
	return " JOIN " + q(om.Table.Name) + " " + a + " ON " + a + "." + q("_id") + " = " + o.sql + "." + q(o.sec.Fields["ссылка"].Column)
}

// ownerMap is the object whose restrictions govern an occurrence.
func (g *gen) ownerMap(o *source_) *ObjectMap {
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
func (g *gen) condition(o *source_, c Condition) string {
	r := &gen{c: g.c, text: c.Text, st: g.st, restriction: true}
	om := g.ownerMap(o)
	row := o.sql
	if o.sec != nil {
		// A section's row is checked through its owner's row, which
		// ownerJoin joins to it.
		row = g.ownerAlias(o)
	}
	main := &source_{obj: om, sql: row, derefs: map[string]*source_{}, used: map[string]bool{}, correlated: true}
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
		sc.sources = []*source_{main}
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

// ForbiddenCheck compiles the check of a write or an object read: a
// statement that returns a row when the stored record of a reference
// object with the id &Ссылка — or a record of a register's record set
// whose recorder is &Ссылка — is outside the session's restriction of a
// right (Чтение, Добавление, Изменение, Удаление), every field counting as
// used. It returns nil when the right is granted without restriction, and
// an *AccessError when no role grants it.
func (c *Compiler) ForbiddenCheck(object, right string) (*Statement, error) {
	om := c.Schema.Object(c.Config, object)
	if om == nil {
		return nil, fmt.Errorf("%s is not in the configuration", object)
	}
	key := "_id"
	if om.Object.Kind == metadata.DocumentJournal {
		return nil, fmt.Errorf("%s is a document journal: it is only read, its documents are written", object)
	}
	if !om.Object.Kind.IsReference() {
		rec, ok := om.Fields["регистратор"]
		if !ok {
			return nil, fmt.Errorf("%s has no recorder: its records are not written by reference", object)
		}
		key = rec.Parts["ref"]
	}
	if c.Access == nil {
		return nil, nil
	}
	grants, err := c.Access.Grants(om.Object.FullName(false), right)
	if err != nil {
		return nil, err
	}
	if len(grants) == 0 {
		return nil, &AccessError{Object: om.Object.FullName(false), Right: right, Mode: ObjectMode(right)}
	}
	g := &gen{c: c, st: &state{}}
	o := &source_{obj: om, access: right, usesAll: true, checked: true}
	o.sql = g.alias("t")
	p := g.pred(o)
	if len(g.st.errs) > 0 {
		g.st.errs.Sort()
		return nil, g.st.errs
	}
	if g.st.denied != nil {
		g.st.denied.Mode = ObjectMode(right)
		return nil, g.st.denied
	}
	if p == "" {
		return nil, nil
	}
	q := c.Dialect.Quote
	text := "SELECT 1 FROM " + g.tableSQL(om.Table) + " " + o.sql + " WHERE " + o.sql + "." + q(key) + " = " + g.bind(Arg{Param: "Ссылка"}) +
		" AND NOT COALESCE(" + p + ", FALSE) LIMIT 1"
	s := &Statement{}
	s.SQL, s.Args = g.number(g.resolve(text, true))
	return s, nil
}

// CompileRestriction compiles one restriction of an object as a session
// inlines it for a table occurrence, into SELECT 1 FROM the table WHERE the
// condition: session parameters (&Name) become arguments with Session set.
// It is how `dostup rls compile` proves that every variant of every
// restriction of a configuration compiles and runs.
func (c *Compiler) CompileRestriction(object string, cond Condition) (*Statement, error) {
	om := c.Schema.Object(c.Config, object)
	if om == nil {
		return nil, fmt.Errorf("%s is not in the configuration", object)
	}
	if cond.Tree == nil {
		return nil, fmt.Errorf("a message variant has no condition to compile: %s", cond.Message)
	}
	g := &gen{c: c, st: &state{}, text: cond.Text}
	o := &source_{obj: om, derefs: map[string]*source_{}}
	o.sql = g.alias("t")
	p := g.condition(o, cond)
	if len(g.st.errs) > 0 {
		g.st.errs.Sort()
		return nil, g.st.errs
	}
	s := &Statement{}
	s.SQL, s.Args = g.number("SELECT 1 FROM " + g.tableSQL(om.Table) + " " + o.sql + " WHERE " + p)
	return s, nil
}

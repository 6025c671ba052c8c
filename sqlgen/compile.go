package sqlgen

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"dostup/metadata"
	"dostup/sdbl/ast"
	"dostup/sdbl/printer"
	"dostup/sdbl/source"
	"dostup/sdbl/token"
)

// Compiler turns queries in the 1C query language into one SQL statement
// each, for one configuration, schema and dialect.
//
// Every table a query touches — FROM sources, joined tables, tables reached
// by dereferencing a reference field — is introduced through one method
// (occurrence), which is where record-level security adds its predicates
// (access.go). Caller parameters (&Name) and string literals are always bound
// arguments; names are resolved against the metadata and the SQL names come
// from the schema, so no text of the query reaches SQL unescaped.
type Compiler struct {
	Config  *metadata.Configuration
	Schema  *Schema
	Dialect Dialect
	// Access, when set, is the session whose rights and record-level
	// security every statement obeys; nil compiles with full rights.
	Access Access
}

// Arg is a bound argument of a statement: a caller parameter by name, or a
// value the compiler took from the query text.
type Arg struct {
	Param string // &Param's name; empty for a value
	// Session is the name of a session parameter or functional option a
	// restriction reads (&Name in its text).
	Session string
	Value   any
	// List is set for a parameter in the list of В (IN): its value may be
	// a list, which Statement.Expand gives a placeholder per element.
	List bool
	// Elem, in an expanded statement, is the 1-based element of the list
	// value that the placeholder binds; 0 binds the whole value.
	Elem int
}

// ResultColumn describes a column of a statement's result.
type ResultColumn struct {
	Name string
	Type metadata.Type // nil when the compiler cannot tell (expressions)
	// Presentation: the SQL returns the reference, then its presentation
	// (Наименование, Номер, the enumeration value's name) in the next column.
	Presentation bool
	// Composite lists, for a field of several types, the kinds of value
	// ("string", "number", "bool", "date", "ref", "bytes") whose columns
	// follow its type tag in the SQL; the tag comes first, then these, then
	// the presentation when Presentation is set.
	Composite []string
	column    string // its SQL name where the SELECT names its columns
}

// Statement is one compiled query of a batch.
type Statement struct {
	SQL     string
	Args    []Arg
	Columns []ResultColumn
	// Temp names the temporary table the statement creates (ПОМЕСТИТЬ) or
	// drops (УНИЧТОЖИТЬ); a batch runs on one connection and drops what it
	// created at the end.
	Temp string
	Drop bool
	// Checks run before the statement when it reads without РАЗРЕШЕННЫЕ:
	// any row they return fails it with access denied.
	Checks []*Check
	tmpl   template // for Expand, when В lists hold parameters
}

// tempTable is a temporary table made by ПОМЕСТИТЬ earlier in the batch.
type tempTable struct {
	name   string // as the query names it
	sql    string // its SQL name
	fields map[string]virtualField
	order  []string
}

// Compile compiles a parsed batch; text is the source the tree was parsed
// from, for positions in errors.
func (c *Compiler) Compile(text source.Text, b *ast.Batch) ([]*Statement, error) {
	var out []*Statement
	var errs source.ErrorList
	temps := map[string]*tempTable{}
	for i, st := range b.Statements {
		switch st := st.(type) {
		case *ast.DropStatement:
			t := temps[strings.ToLower(st.Table.Name)]
			if t == nil {
				errs.Add(text.Locate(int(st.Table.Pos())), "bind", fmt.Sprintf("temporary table %s is not made earlier in the batch (ПОМЕСТИТЬ %s)", st.Table.Name, st.Table.Name))
				continue
			}
			delete(temps, strings.ToLower(st.Table.Name))
			out = append(out, &Statement{SQL: "DROP TABLE " + c.Dialect.Quote(t.sql), Temp: t.sql, Drop: true})
		case *ast.Query:
			g := &gen{c: c, text: text, temps: temps, st: &state{}}
			s := g.query(st)
			if into := st.Select.Into; into != nil {
				if _, dup := temps[strings.ToLower(into.Name)]; dup {
					g.errorf(into, "temporary table %s is already made in this batch", into.Name)
				}
				t := &tempTable{name: into.Name, sql: fmt.Sprintf("tt%d_%s", i+1, translit(into.Name)), fields: map[string]virtualField{}}
				for _, col := range s.Columns {
					t.fields[strings.ToLower(col.Name)] = virtualField{column: col.column, typ: col.Type}
					t.order = append(t.order, col.Name)
				}
				temps[strings.ToLower(into.Name)] = t
				s.SQL = "CREATE TEMPORARY TABLE " + c.Dialect.Quote(t.sql) + " AS " + s.SQL
				s.Temp = t.sql
			}
			g.finish(s, st.Select.Allowed)
			errs = append(errs, g.st.errs...)
			if g.st.denied != nil && len(errs) == 0 {
				return nil, g.st.denied
			}
			out = append(out, s)
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return out, nil
}

// gen compiles one statement, or one restriction inlined into it.
type gen struct {
	c     *Compiler
	text  source.Text // what positions in errors refer to
	st    *state
	temps map[string]*tempTable
	// restriction is set while compiling a restriction's condition: &Name
	// is a session parameter, tables are read without checks (§3.8), and
	// nested queries may read the fields of the record being checked.
	restriction bool
	outer       *scope   // the scope a correlated nested query may read
	main        *source_ // a restriction's table, until its ИЗ names it
	probing     bool     // resolving an access check, which joins what restrictions read
}

// state is what the generators of one statement share: bound arguments,
// the alias counter, errors, and the table occurrences and probes that
// access checks complete when the statement is finished.
type state struct {
	args   []Arg
	nalias int
	errs   source.ErrorList
	occs   []*source_
	probes []*probe
	preds  map[*source_]string // predicates compiled so far, by occurrence
	denied *AccessError
	// depth is how deep the expression being compiled nests (limits.go);
	// the flags keep one message per statement for a limit passed.
	depth                      int
	deepReported, argsReported bool
}

// sub is a generator for a nested query: the same statement.
func (g *gen) sub() *gen {
	inner := *g
	return &inner
}

func (g *gen) errorf(n ast.Node, format string, a ...any) {
	g.st.errs.Add(g.text.Locate(int(n.Pos())), "bind", fmt.Sprintf(format, a...))
}

// CodeNoField is the Code of the errors that name a field or tabular
// section a table does not have ("Справочник.X has no field Y"): tools tell
// them from other binding errors (dostup rls compile looks for branches
// that only sessions contradicting the metadata choose).
const CodeNoField = "no-field"

func (g *gen) noField(n ast.Node, format string, a ...any) {
	g.st.errs.Add(g.text.Locate(int(n.Pos())), CodeNoField, fmt.Sprintf(format, a...))
}

// bind adds an argument and returns a mark that finish turns into the
// dialect's placeholder; numbering waits until the statement is complete
// because restrictions inlined at the end bind arguments of their own, and
// an access check reads only some of the statement's.
func (g *gen) bind(a Arg) string {
	if a.Session != "" {
		// A session parameter has one value: every restriction that reads
		// it shares one placeholder (one in a list of В, another outside).
		for i, b := range g.st.args {
			if strings.EqualFold(b.Session, a.Session) && b.List == a.List {
				return mark('?', i)
			}
		}
	}
	g.st.args = append(g.st.args, a)
	return mark('?', len(g.st.args)-1)
}

func (g *gen) alias(prefix string) string {
	g.st.nalias++
	return fmt.Sprintf("%s%d", prefix, g.st.nalias)
}

// source is a table occurrence of a SELECT: a FROM source or a table
// reached through a reference.
type source_ struct {
	name   string // the alias the query uses, lower-cased ("" for dereferences)
	sql    string // its SQL alias
	obj    *ObjectMap
	sec    *SectionMap
	virt   *virtualTable       // a register's virtual table (obj is the register)
	derefs map[string]*source_ // dereference joins by field, reached from this occurrence
	order  []*source_          // the dereference joins in the order made
	on     string              // for a dereference: its join condition
	inner  bool                // the dereference always finds its row (a row's owner)

	// Access checks (access.go).
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
	access     string // the right checked; "" is Чтение
	derived    bool   // filtered inside a derived table (RIGHT and FULL JOIN)
	ownerSQL   string // a tabular section's: the alias of its owner's row, joined for the owner's restriction
	// parent and via are, for a dereference, the occurrence it hangs off
	// and the SQL of the reference it reads through (grouping.go).
	parent *source_
	via    string
}

// ownerMark is where a tabular section's occurrence joins its owner's row
// when the owner's restriction needs it.
func ownerMark(s *source_, kind byte) string {
	if s.sec == nil || !s.checked || s.viaOwner {
		return ""
	}
	return mark(kind, s.id)
}

func (s *source_) field(name string) (Field, bool) {
	if s.virt != nil {
		f, ok := s.virt.fields[strings.ToLower(name)]
		return Field{Column: f.column}, ok
	}
	if s.sec != nil {
		f, ok := s.sec.Fields[strings.ToLower(name)]
		return f, ok
	}
	f, ok := s.obj.Fields[strings.ToLower(name)]
	return f, ok
}

// fieldType is the type of a field of the occurrence.
func (s *source_) fieldType(name string) metadata.Type {
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

type scope struct {
	sources []*source_
	joins   []*joinNode // FROM items in order
	parent  *scope      // in a restriction, the scope a nested query may also read
}

// joinNode is an item of FROM: a source, possibly joined to the next ones.
type joinNode struct {
	src   *source_
	kind  string // "" for the first item of a comma list, else "LEFT JOIN" ...
	on    string
	comma bool
}

func (g *gen) query(q *ast.Query) *Statement {
	if q.Totals != nil {
		g.errorf(q.Totals, "ИТОГИ (TOTALS) is not supported")
	}
	st := &Statement{}
	sqlText, order, cols := g.selectSQLWith(q.Select, q.Select.Into == nil, q)
	var b strings.Builder
	b.WriteString(sqlText)
	g.countUnion(q)
	for _, u := range q.Unions {
		// The first SELECT names the result's columns, as in 1C; every part
		// must give as many.
		part, _, ucols := g.selectSQLWith(u.Select, u.Select.Into == nil, nil)
		if width(ucols) != width(cols) {
			g.errorf(u, "this part of ОБЪЕДИНИТЬ (UNION) gives %d columns, the first part %d", len(ucols), len(cols))
		}
		for i := range cols {
			if i < len(ucols) && cols[i].Type == nil {
				cols[i].Type = ucols[i].Type
			}
		}
		if u.All {
			b.WriteString(" UNION ALL ")
		} else {
			b.WriteString(" UNION ")
		}
		b.WriteString(part)
	}
	if len(q.Unions) > 0 && q.Select.Top != nil {
		g.errorf(q.Select.Top, "ПЕРВЫЕ (TOP) with ОБЪЕДИНИТЬ (UNION) is not supported yet")
	}
	b.WriteString(order)
	if q.Select.Top != nil {
		b.WriteString(" LIMIT " + q.Select.Top.Value)
	}
	st.SQL = b.String()
	st.Columns = cols
	return st
}

// orderBy compiles УПОРЯДОЧИТЬ ПО of a query whose first SELECT has just
// bound its sources (sc) and fields (cols): before that SELECT's FROM is
// printed, because ordering by a field read through a reference
// (Контрагент.ИНН) joins the reference's table there.
func (g *gen) orderBy(q *ast.Query, cols []ResultColumn, sc *scope) string {
	if q == nil || len(q.OrderBy) == 0 {
		return ""
	}
	parts := make([]string, len(q.OrderBy))
	for i, o := range q.OrderBy {
		parts[i] = g.orderItem(o, q, cols, sc)
	}
	return " ORDER BY " + strings.Join(parts, ", ")
}

// orderItem resolves an item of УПОРЯДОЧИТЬ ПО: a field alias of the result
// first, as 1C does, else an expression over the sources. A union and
// РАЗЛИЧНЫЕ order by fields of the result only (the databases sort the
// rows they return, not the tables they read): an item written as one of
// the first SELECT's fields orders by that field, any other is an error at
// its place.
func (g *gen) orderItem(o *ast.OrderItem, q *ast.Query, cols []ResultColumn, sc *scope) string {
	pos := 0
	if p, ok := o.X.(*ast.Path); ok && len(p.Parts) == 1 {
		for i, c := range cols {
			if strings.EqualFold(c.Name, p.Parts[0].Name) {
				pos = columnOrder(cols, i)
				break
			}
		}
	}
	if pos == 0 && (len(q.Unions) > 0 || q.Select.Distinct) && !hasStar(q.Select) {
		if i := fieldIndex(q.Select, o.X); i >= 0 && i < len(cols) {
			pos = columnOrder(cols, i)
		}
	}
	if pos > 0 {
		return g.c.Dialect.Order(strconv.Itoa(pos), o.Desc)
	}
	switch {
	case len(q.Unions) > 0:
		g.errorf(o.X, "УПОРЯДОЧИТЬ ПО (ORDER BY) of a query with ОБЪЕДИНИТЬ (UNION) takes fields of its result: name %s with КАК in the first ВЫБРАТЬ and order by that name", printer.Expr(o.X, false))
		return "1"
	case q.Select.Distinct:
		g.errorf(o.X, "УПОРЯДОЧИТЬ ПО (ORDER BY) of ВЫБРАТЬ РАЗЛИЧНЫЕ (SELECT DISTINCT) takes fields of its result: add %s to the fields", printer.Expr(o.X, false))
		return "1"
	}
	return g.c.Dialect.Order(g.expr(o.X, sc).sql, o.Desc)
}

// columnOrder is the 1-based SQL column that orders the result's field i:
// a reference orders by its presentation.
func columnOrder(cols []ResultColumn, i int) int {
	pos := width(cols[:i]) + 1
	if cols[i].Presentation {
		pos += len(cols[i].Composite) + 1
	}
	return pos
}

// hasStar reports whether a SELECT lists * or Т.*: its fields then stand
// elsewhere in the result than in the text.
func hasStar(s *ast.Select) bool {
	for _, f := range s.Fields {
		if _, ok := f.X.(*ast.Star); ok {
			return true
		}
	}
	return false
}

// selectSQLWith compiles a SELECT; presentations adds the presentation of
// reference fields, which a nested query and a temporary table must not
// (their columns are named c1, c2 ... for the query that reads them). q,
// when s is its first SELECT, is the query whose УПОРЯДОЧИТЬ ПО is compiled
// with it (orderBy) and returned apart, to follow the query's unions.
func (g *gen) selectSQLWith(s *ast.Select, presentations bool, q *ast.Query) (sqlText, order string, cols []ResultColumn) {
	sc := &scope{parent: g.outer}
	for _, src := range s.From {
		g.from(src, sc, "", "")
	}
	g.place(sc)
	var fields []string
	presOf := map[string]string{} // a reference field's SQL → its presentation's
	expanded := g.expandStars(s.Fields, sc)
	for i, f := range expanded {
		v := g.expr(f.X, sc)
		name := fmt.Sprintf("Поле%d", i+1)
		if f.Alias != nil {
			name = f.Alias.Name
		} else if p, ok := f.X.(*ast.Path); ok {
			name = autoName(p, sc)
		}
		col := ResultColumn{Name: name, Type: v.typ}
		if v.comp {
			if !presentations {
				g.errorf(f.X, "%s has a composite type (%s): a nested query or temporary table cannot keep it yet", v.field, typeText(v.typ))
				continue
			}
			// A composite value: its tag, a column per kind of value, and
			// the presentation of whichever reference it holds.
			fields = append(fields, v.tag)
			for _, kind := range compositeOrder {
				if p, ok := v.parts[kind]; ok {
					fields = append(fields, p)
					col.Composite = append(col.Composite, kind)
				}
			}
			if pres, ok := g.compositePresentation(v); ok {
				fields = append(fields, pres)
				col.Presentation = true
				presOf[v.tag] = pres
			}
			cols = append(cols, col)
			continue
		}
		if !presentations {
			col.column = fmt.Sprintf("c%d", len(cols)+1)
			fields = append(fields, v.sql+" AS "+g.c.Dialect.Quote(col.column))
		} else {
			fields = append(fields, v.sql)
			if pres, ok := g.presentation(v, f.X, sc); ok {
				col.Presentation = true
				fields = append(fields, pres)
				presOf[v.sql] = pres
			}
		}
		cols = append(cols, col)
	}
	where := ""
	if s.Where != nil {
		where = g.cond(s.Where, sc)
	}
	var parts []string // of GROUP BY
	if len(s.GroupBy) > 0 {
		for _, x := range s.GroupBy {
			// An expression that is also a field of the result groups by the
			// field's position: compiled twice it would bind its values
			// twice, and PostgreSQL would not see the two as one expression.
			if pos := fieldPosition(s, x, cols); pos > 0 {
				parts = append(parts, strconv.Itoa(pos))
				if cols[fieldIndex(s, x)].Presentation {
					parts = append(parts, strconv.Itoa(pos+1))
				}
				continue
			}
			v := g.expr(x, sc)
			if v.comp {
				// A composite groups by its tag and every part, as the
				// result reads them all.
				parts = append(parts, v.tag)
				for _, kind := range compositeOrder {
					if p, ok := v.parts[kind]; ok {
						parts = append(parts, p)
					}
				}
				if pres, ok := presOf[v.tag]; ok {
					parts = append(parts, pres)
				}
				continue
			}
			parts = append(parts, v.sql)
			// A grouped reference brings its presentation into the result;
			// it must be grouped too (PostgreSQL insists).
			if pres, ok := presOf[v.sql]; ok {
				parts = append(parts, pres)
			}
		}
	}
	having := ""
	if s.Having != nil {
		having = " HAVING " + g.cond(s.Having, sc)
	}
	order = g.orderBy(q, cols, sc)
	parts = append(parts, g.checkGrouping(s, expanded, q, cols, parts, presOf, sc)...)
	group := ""
	if len(parts) > 0 {
		group = " GROUP BY " + strings.Join(parts, ", ")
	}
	g.countColumns(expanded, cols)
	g.countTables(s, sc)
	var b strings.Builder
	b.WriteString("SELECT ")
	if s.Distinct {
		b.WriteString("DISTINCT ")
	}
	b.WriteString(strings.Join(fields, ", "))
	if len(sc.joins) > 0 {
		from := g.renderFrom(sc)
		b.WriteString(" FROM " + from)
		var roots, filtered []*source_
		for _, j := range sc.joins {
			roots = append(roots, j.src)
			if !j.src.nullable && !j.src.derived {
				filtered = append(filtered, j.src)
			}
		}
		g.addProbe(roots, from, where)
		b.WriteString(g.filterClause(where, filtered))
	} else if where != "" {
		b.WriteString(" WHERE " + where)
	}
	b.WriteString(group + having)
	return b.String(), order, cols
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
		case i > 0 && j.kind == "LEFT JOIN":
			j.src.nullable = true
		}
	}
}

// from binds a FROM item.
func (g *gen) from(src ast.Source, sc *scope, kind, on string) {
	switch s := src.(type) {
	case *ast.TableSource:
		var occ *source_
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
		case s.HasParams:
			occ = g.virtual(s)
		default:
			occ = g.table(s.Name)
		}
		if occ == nil {
			return
		}
		occ.name = strings.ToLower(s.Name.Last().Name)
		if occ.virt != nil && occ.virt.table == "" {
			// 1C names a virtual table's occurrence after the register.
			occ.name = strings.ToLower(s.Name.Parts[1].Name + s.Name.Last().Name)
		}
		if s.Alias != nil {
			occ.name = strings.ToLower(s.Alias.Name)
		}
		sc.sources = append(sc.sources, occ)
		sc.joins = append(sc.joins, &joinNode{src: occ, kind: kind, comma: kind == "" && len(sc.joins) > 0})
	case *ast.JoinSource:
		g.from(s.Left, sc, kind, on)
		kw := map[ast.JoinKind]string{ast.InnerJoin: "INNER JOIN", ast.LeftJoin: "LEFT JOIN", ast.RightJoin: "RIGHT JOIN", ast.FullJoin: "FULL JOIN"}[s.Kind]
		n := len(sc.joins)
		g.from(s.Right, sc, kw, "")
		if len(sc.joins) > n {
			sc.joins[n].on = g.cond(s.On, sc)
		}
	case *ast.SubquerySource:
		sqlText, cols := g.nested(s.Query, nil)
		vt := &virtualTable{name: "nested query", sql: sqlText, fields: map[string]virtualField{}}
		for _, c := range cols {
			vt.add(virtualField{column: c.column, typ: c.Type}, c.Name)
		}
		occ := g.occurrence(&source_{virt: vt})
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
func (g *gen) table(p *ast.Path) *source_ {
	if len(p.Parts) == 1 {
		if t := g.temps[strings.ToLower(p.Parts[0].Name)]; t != nil {
			return g.occurrence(&source_{virt: &virtualTable{name: t.name, table: t.sql, fields: t.fields, order: t.order}})
		}
		g.errorf(p, "%s is neither a table of the configuration nor a temporary table made earlier in the batch", p)
		return nil
	}
	if len(p.Parts) < 2 || len(p.Parts) > 3 {
		g.errorf(p, "%s is not a table: expected a name such as Справочник.Контрагенты", p)
		return nil
	}
	o := g.c.Config.Object(p.Parts[0].Name + "." + p.Parts[1].Name)
	if o == nil {
		g.errorf(p, "%s.%s is not in the configuration", p.Parts[0].Name, p.Parts[1].Name)
		return nil
	}
	om := g.c.Schema.Object(g.c.Config, o.FullName(false))
	if len(p.Parts) == 2 {
		return g.occurrence(&source_{obj: om})
	}
	sm := om.Sections[strings.ToLower(p.Parts[2].Name)]
	if sm == nil {
		g.noField(p.Parts[2], "%s has no tabular section %s", o.FullName(g.c.Config.English), p.Parts[2].Name)
		return nil
	}
	return g.occurrence(&source_{sec: sm})
}

// occurrence introduces a table occurrence. Every table a statement reads
// passes here: the place record-level security hooks in.
func (g *gen) occurrence(s *source_) *source_ {
	s.sql = g.alias("t")
	s.derefs = map[string]*source_{}
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
func (g *gen) deref(cur *source_, key string, om *ObjectMap, on func(d *source_) string) *source_ {
	d := g.occurrence(&source_{obj: om, parent: cur})
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

func (s *source_) table() *Table {
	if s.sec != nil {
		return s.sec.Table
	}
	return s.obj.Table
}

// nested compiles a nested query (in ИЗ or В): its columns are named c1,
// c2 ... and carry no presentations; unions, order and ПЕРВЫЕ apply as in a
// whole query.
func (g *gen) nested(q *ast.Query, sc *scope) (string, []ResultColumn) {
	inner := g.sub()
	inner.outer = nil
	if g.restriction {
		// Restrictions' nested queries read the record being checked
		// (ТекущаяТаблица.Ссылка); a query's may not, as in 1C.
		inner.outer = sc
	}
	sqlText, order, cols := inner.selectSQLWith(q.Select, false, q)
	var b strings.Builder
	b.WriteString(sqlText)
	inner.countUnion(q)
	for _, u := range q.Unions {
		part, _, ucols := inner.selectSQLWith(u.Select, false, nil)
		if len(ucols) != len(cols) {
			inner.errorf(u, "this part of ОБЪЕДИНИТЬ (UNION) gives %d columns, the first part %d", len(ucols), len(cols))
		}
		if u.All {
			b.WriteString(" UNION ALL ")
		} else {
			b.WriteString(" UNION ")
		}
		b.WriteString(part)
	}
	b.WriteString(order)
	if q.Select.Top != nil {
		b.WriteString(" LIMIT " + q.Select.Top.Value)
	}
	sqlText = b.String()
	if len(q.Unions) > 0 {
		// A union must stand as a whole where one SELECT would.
		sqlText = "SELECT * FROM (" + sqlText + ") " + g.alias("u")
	}
	return sqlText, cols
}

// renderSource prints a table occurrence with its dereference joins in
// parentheses, so that conditions may read fields reached through it.
func (g *gen) renderSource(s *source_) string {
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
	var add func(s *source_)
	add = func(s *source_) {
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
		b.WriteString(g.renderSource(j.src))
		if j.kind != "" && i > 0 {
			on := j.on
			if on == "" {
				on = "TRUE"
			}
			b.WriteString(" ON " + on)
			if j.src.nullable && !j.src.derived {
				b.WriteString(andMark(j.src))
			}
		}
	}
	return b.String()
}

// val is a compiled expression.
type val struct {
	sql   string
	typ   metadata.Type
	from  *source_ // for a reference field: the occurrence it belongs to
	field string   // and its name
	// comp is set for a composite field: sql then reads its reference part
	// (references are unique across types, so comparing it is comparing the
	// value) and tag is the SQL of its type tag.
	comp  bool
	tag   string
	parts map[string]string // composite: the SQL of each part by kind
	// undefined marks the constant Неопределено, whose SQL is NULL; undef,
	// when set, is SQL true when the value is Неопределено (a composite's
	// empty tag, ЕСТЬNULL(x, НЕОПРЕДЕЛЕНО) of a NULL x). Comparisons with
	// Неопределено read them, as NULL never compares equal (equality).
	undefined bool
	undef     string
}

func (g *gen) cond(x ast.Expr, sc *scope) string { return g.expr(x, sc).sql }

// expr compiles an expression, counting how deep expressions nest: past
// maxNesting the database would refuse the statement.
func (g *gen) expr(x ast.Expr, sc *scope) val {
	g.st.depth++
	defer func() { g.st.depth-- }()
	if g.st.depth > maxNesting {
		g.tooDeep(x)
		return val{sql: "NULL"}
	}
	return g.exprNode(x, sc)
}

func (g *gen) exprNode(x ast.Expr, sc *scope) val {
	switch x := x.(type) {
	case *ast.Path:
		return g.path(x, sc)
	case *ast.Literal:
		if x.Kind == token.NUMBER {
			if !g.checkNumber(x) {
				return val{sql: "NULL"}
			}
			_, frac, _ := strings.Cut(x.Value, ".")
			return val{sql: x.Value, typ: metadata.Type{{Primitive: metadata.Number, Precision: 38, Scale: len(frac)}}}
		}
		v := val{sql: g.bind(Arg{Value: x.Value}), typ: metadata.Type{{Primitive: metadata.String}}}
		g.countArg(x)
		return v
	case *ast.Constant:
		switch x.Value {
		case token.True:
			return val{sql: "TRUE", typ: metadata.Type{{Primitive: metadata.Boolean}}}
		case token.False:
			return val{sql: "FALSE", typ: metadata.Type{{Primitive: metadata.Boolean}}}
		}
		if x.Value == token.Undefined {
			return val{sql: "NULL", undefined: true}
		}
		return val{sql: "NULL"}
	case *ast.Param:
		if g.restriction {
			return val{sql: g.bind(Arg{Session: x.Name})}
		}
		v := val{sql: g.bind(Arg{Param: x.Name})}
		g.countArg(x)
		return v
	case *ast.ParenExpr:
		v := g.expr(x.X, sc)
		v.sql = "(" + v.sql + ")"
		return v
	case *ast.UnaryExpr:
		v := g.expr(x.X, sc)
		switch {
		case x.Not:
			return val{sql: "NOT (" + v.sql + ")", typ: metadata.Type{{Primitive: metadata.Boolean}}}
		case x.Op == token.MINUS:
			return val{sql: "-(" + v.sql + ")", typ: v.typ}
		}
		return v
	case *ast.BinaryExpr:
		if x.Kw == token.And || x.Kw == token.Or {
			return g.logical(x, sc)
		}
		l, r := g.expr(x.X, sc), g.expr(x.Y, sc)
		op := map[token.Kind]string{token.PLUS: "+", token.MINUS: "-", token.STAR: "*", token.SLASH: "/",
			token.EQ: "=", token.NE: "<>", token.LT: "<", token.GT: ">", token.LE: "<=", token.GE: ">="}[x.Op]
		typ := l.typ
		switch {
		case x.Op == token.PLUS && isString(l.typ):
			op = "||"
		case x.Op == token.SLASH:
			return val{sql: g.c.Dialect.Div(l.sql, r.sql), typ: typ}
		case op == "=" || op == "<>":
			return val{sql: g.equality(l, r, op), typ: metadata.Type{{Primitive: metadata.Boolean}}}
		case op == "<" || op == ">" || op == "<=" || op == ">=":
			typ = metadata.Type{{Primitive: metadata.Boolean}}
		}
		return val{sql: "(" + l.sql + " " + op + " " + r.sql + ")", typ: typ}
	case *ast.InExpr:
		l := g.expr(x.X, sc)
		not := ""
		if x.Not {
			not = "NOT "
		}
		switch list := x.List.(type) {
		case *ast.TupleExpr:
			items := g.inItems(l, list.List, sc)
			if x.Hierarchy {
				return val{sql: "(" + l.sql + " " + not + "IN (" + g.hierarchy(x, l, g.hierarchySeed(l, items)) + "))", typ: metadata.Type{{Primitive: metadata.Boolean}}}
			}
			return val{sql: "(" + l.sql + inList(items, x.Not) + ")", typ: metadata.Type{{Primitive: metadata.Boolean}}}
		case *ast.SubqueryExpr:
			sub, _ := g.nested(list.Query, sc)
			if x.Hierarchy {
				sub = g.hierarchy(x, l, sub)
			}
			return val{sql: "(" + l.sql + " " + not + "IN (" + sub + "))", typ: metadata.Type{{Primitive: metadata.Boolean}}}
		}
	case *ast.BetweenExpr:
		l, lo, hi := g.expr(x.X, sc), g.expr(x.Lo, sc), g.expr(x.Hi, sc)
		not := ""
		if x.Not {
			not = "NOT "
		}
		return val{sql: "(" + l.sql + " " + not + "BETWEEN " + lo.sql + " AND " + hi.sql + ")", typ: metadata.Type{{Primitive: metadata.Boolean}}}
	case *ast.LikeExpr:
		l, p := g.expr(x.X, sc), g.expr(x.Pattern, sc)
		not := ""
		if x.Not {
			not = "NOT "
		}
		esc := ""
		if x.Escape != nil {
			esc = " ESCAPE " + g.expr(x.Escape, sc).sql
		}
		return val{sql: "(" + l.sql + " " + not + "LIKE " + p.sql + esc + ")", typ: metadata.Type{{Primitive: metadata.Boolean}}}
	case *ast.IsNullExpr:
		l := g.expr(x.X, sc)
		not := ""
		if x.Not {
			not = "NOT "
		}
		return val{sql: "(" + l.sql + " IS " + not + "NULL)", typ: metadata.Type{{Primitive: metadata.Boolean}}}
	case *ast.CaseExpr:
		var b strings.Builder
		b.WriteString("CASE")
		var typ metadata.Type
		for _, w := range x.Whens {
			r := g.expr(w.Result, sc)
			typ = r.typ
			b.WriteString(" WHEN " + g.cond(w.Cond, sc) + " THEN " + r.sql)
		}
		if x.Else != nil {
			b.WriteString(" ELSE " + g.expr(x.Else, sc).sql)
		}
		b.WriteString(" END")
		return val{sql: b.String(), typ: typ}
	case *ast.CallExpr:
		return g.call(x, sc)
	case *ast.ValueExpr:
		return g.value(x)
	case *ast.CastExpr:
		return g.cast(x, sc)
	case *ast.FieldAccess:
		v := g.cast(x.X.(*ast.CastExpr), sc)
		if v.from == nil || len(v.typ) != 1 || v.typ[0].Primitive != metadata.Ref || v.typ[0].Object == "" {
			g.errorf(x, "fields can be read through ВЫРАЗИТЬ only to a table of references, as ВЫРАЗИТЬ(Регистратор КАК Документ.Реализация).Номер")
			return val{sql: "NULL"}
		}
		// Join the table the value was cast to, once per cast expression.
		key := "cast:" + v.sql
		d, ok := v.from.derefs[key]
		if !ok {
			d = g.deref(v.from, key, g.c.Schema.Object(g.c.Config, v.typ[0].Object), func(d *source_) string {
				return d.sql + "." + g.c.Dialect.Quote("_id") + " = " + v.sql
			})
		}
		d.soft = false
		return g.fields(d, x.Fields)
	case *ast.TypeExpr:
		spec, ok := g.typeSpec(x.Type)
		if !ok {
			return val{sql: "NULL"}
		}
		return val{sql: g.c.Dialect.Cast(g.bind(Arg{Value: TypeTag(spec)}), ColumnType{Kind: Text}), typ: metadata.Type{{Primitive: metadata.String}}}
	case *ast.RefsExpr:
		l := g.expr(x.X, sc)
		spec, ok := g.typeSpec(&ast.TypeRef{Name: x.Table})
		if !ok || spec.Primitive != metadata.Ref {
			g.errorf(x.Table, "ССЫЛКА takes a table of references such as Справочник.Контрагенты")
			return val{sql: "NULL"}
		}
		boolean := metadata.Type{{Primitive: metadata.Boolean}}
		switch {
		case l.comp:
			return val{sql: "(" + l.tag + " = " + g.bind(Arg{Value: spec.Object}) + ")", typ: boolean}
		case len(l.typ) == 1 && l.typ[0].Primitive == metadata.Ref && l.typ[0].Object == spec.Object:
			return val{sql: "(" + l.sql + " IS NOT NULL)", typ: boolean}
		}
		return val{sql: "FALSE", typ: boolean}
	case *ast.Star:
		return val{sql: "*"}
	}
	g.errorf(x, "this expression is not supported in queries yet")
	return val{sql: "NULL"}
}

// equality compiles l = r or l <> r as 1C compares values: Неопределено
// equals only Неопределено, and values of types that share no kind of
// value (a string and a reference, a Boolean and a number) are never
// equal, which a backend with strict types (PostgreSQL) would otherwise
// refuse to compare. A NULL operand still gives NULL.
func (g *gen) equality(l, r val, op string) string {
	if l.undefined {
		l, r = r, l
	}
	if r.undefined {
		if l.undefined {
			return map[string]string{"=": "TRUE", "<>": "FALSE"}[op]
		}
		if l.undef == "" {
			// A value of a type without Неопределено: never equal.
			return unequal(l.sql, "", op)
		}
		if op == "=" {
			return l.undef
		}
		return "(NOT " + l.undef + ")"
	}
	if len(l.typ) > 0 && len(r.typ) > 0 && !sharesKind(l.typ, r.typ) {
		return unequal(l.sql, r.sql, op)
	}
	return "(" + l.sql + " " + op + " " + r.sql + ")"
}

// unequal is the comparison of values that can never be equal: NULL when
// one is NULL, else FALSE for = and TRUE for <>.
func unequal(l, r, op string) string {
	isNull := "(" + l + ") IS NULL"
	if r != "" {
		isNull += " OR (" + r + ") IS NULL"
	}
	result := map[string]string{"=": "FALSE", "<>": "TRUE"}[op]
	return "(CASE WHEN " + isNull + " THEN NULL ELSE " + result + " END)"
}

// sharesKind reports whether two types have a kind of value in common
// (strings, numbers, Booleans, dates, references, stored values).
func sharesKind(a, b metadata.Type) bool {
	for _, x := range a {
		for _, y := range b {
			if partKind(x) == partKind(y) {
				return true
			}
		}
	}
	return false
}

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

// expandStars replaces * and Alias.* by the fields of the tables they name:
// standard attributes first, then the object's own, as 1C lists them.
func (g *gen) expandStars(fields []*ast.Field, sc *scope) []*ast.Field {
	var out []*ast.Field
	for _, f := range fields {
		if nf, ok := f.X.(*ast.NestedFields); ok {
			// Док.Товары.(Номенклатура, Количество): each as Док.Товары.Поле.
			for _, inner := range nf.Fields {
				p, ok := inner.X.(*ast.Path)
				if !ok {
					g.errorf(inner, "only fields may stand in a tabular section's list")
					continue
				}
				parts := append(append([]*ast.Ident{}, nf.Table.Parts...), p.Parts...)
				alias := inner.Alias
				if alias == nil {
					alias = &ast.Ident{NamePos: p.Pos(), Name: nf.Table.Last().Name + p.Last().Name}
				}
				out = append(out, &ast.Field{X: &ast.Path{Parts: parts}, Alias: alias})
			}
			continue
		}
		star, ok := f.X.(*ast.Star)
		if !ok {
			out = append(out, f)
			continue
		}
		var srcs []*source_
		if star.Qualifier == nil {
			srcs = sc.sources
		} else {
			for _, src := range sc.sources {
				if src.name == strings.ToLower(star.Qualifier.String()) {
					srcs = append(srcs, src)
				}
			}
			if len(srcs) == 0 {
				g.errorf(star, "%s is not a table of the query", star.Qualifier)
				continue
			}
		}
		for _, src := range srcs {
			for _, name := range starFields(src) {
				parts := []*ast.Ident{{NamePos: star.Pos(), Name: name}}
				if src.name != "" {
					parts = append([]*ast.Ident{{NamePos: star.Pos(), Name: src.name}}, parts...)
				}
				out = append(out, &ast.Field{X: &ast.Path{Parts: parts}, Alias: &ast.Ident{NamePos: star.Pos(), Name: name}})
			}
		}
	}
	return out
}

// starFields lists the fields * gives for an occurrence.
func starFields(src *source_) []string {
	if src.virt != nil {
		return src.virt.order
	}
	var names []string
	if src.sec != nil {
		names = append(names, "Ссылка", "НомерСтроки")
		for _, a := range src.sec.Section.Attributes {
			names = append(names, a.Name)
		}
		return names
	}
	o := src.obj.Object
	for _, a := range o.StandardAttributes() {
		if a.Name == "ВерсияДанных" {
			continue
		}
		names = append(names, a.Name)
	}
	for _, a := range o.Attributes {
		names = append(names, a.Name)
	}
	return names
}

// fieldIndex returns the index of the SELECT field whose expression is x as
// written (printed alike), or -1.
func fieldIndex(s *ast.Select, x ast.Expr) int {
	want := printer.Expr(x, false)
	for i, f := range s.Fields {
		if printer.Expr(f.X, false) == want {
			return i
		}
	}
	return -1
}

// fieldPosition is the 1-based SQL column of the SELECT field that is x,
// or 0; only expressions that are not plain field paths need it.
func fieldPosition(s *ast.Select, x ast.Expr, cols []ResultColumn) int {
	if _, ok := x.(*ast.Path); ok {
		return 0
	}
	i := fieldIndex(s, x)
	if i < 0 || i >= len(cols) {
		return 0
	}
	return width(cols[:i]) + 1
}

// typeText names a type for messages; an unknown one is any reference.
func typeText(t metadata.Type) string {
	if len(t) == 0 {
		return "ЛюбаяСсылка"
	}
	return t.String()
}

// width counts the SQL columns of a result (a reference adds its presentation).
func width(cols []ResultColumn) int {
	n := 0
	for _, c := range cols {
		n++
		n += len(c.Composite)
		if c.Presentation {
			n++
		}
	}
	return n
}

// compositeOrder is the order of a composite's part columns in a result.
var compositeOrder = []string{"string", "number", "bool", "date", "ref", "bytes"}

// hierarchy turns a list of groups (SQL yielding ids) into those groups and
// every item below them, for В ИЕРАРХИИ: a recursive walk down Родитель.
func (g *gen) hierarchy(x ast.Node, l val, groups string) string {
	if len(l.typ) != 1 || l.typ[0].Primitive != metadata.Ref || l.typ[0].Object == "" {
		g.errorf(x, "В ИЕРАРХИИ needs a reference to a hierarchical catalog on its left")
		return groups
	}
	o := g.c.Config.Object(l.typ[0].Object)
	om := g.c.Schema.Object(g.c.Config, l.typ[0].Object)
	parent, ok := om.Fields["родитель"]
	if !ok || !o.Hierarchical {
		g.errorf(x, "В ИЕРАРХИИ needs a hierarchical catalog; %s is not", o.FullName(g.c.Config.English))
		return groups
	}
	q := g.c.Dialect.Quote
	h := g.alias("h")
	c := g.alias("c")
	return fmt.Sprintf("WITH RECURSIVE %s(id) AS (%s UNION SELECT %s.%s FROM %s %s JOIN %s ON %s.%s = %s.id) SELECT id FROM %s",
		h, groups, c, q("_id"), q(om.Table.Name), c, h, c, q(parent.Column), h, h)
}

func isString(t metadata.Type) bool { return len(t) == 1 && t[0].Primitive == metadata.String }

func (g *gen) call(x *ast.CallExpr, sc *scope) val {
	name := strings.ToUpper(x.Fun.Name)
	agg := map[string]string{"КОЛИЧЕСТВО": "COUNT", "COUNT": "COUNT", "СУММА": "SUM", "SUM": "SUM", "МАКСИМУМ": "MAX", "MAX": "MAX",
		"МИНИМУМ": "MIN", "MIN": "MIN", "СРЕДНЕЕ": "AVG", "AVG": "AVG"}
	if fn, ok := agg[name]; ok {
		if len(x.Args) != 1 {
			g.errorf(x, "%s takes one argument", x.Fun.Name)
			return val{sql: "NULL"}
		}
		arg := g.expr(x.Args[0], sc)
		d := ""
		if x.Distinct {
			d = "DISTINCT "
		}
		typ := arg.typ
		if fn == "COUNT" {
			typ = metadata.Type{{Primitive: metadata.Number, Precision: 15}}
		}
		return val{sql: fn + "(" + d + arg.sql + ")", typ: typ}
	}
	num := metadata.Type{{Primitive: metadata.Number, Precision: 10}}
	date := metadata.Type{{Primitive: metadata.Date}}
	argc := func(n ...int) bool {
		for _, k := range n {
			if len(x.Args) == k {
				return true
			}
		}
		g.errorf(x, "%s takes %v arguments, not %d", x.Fun.Name, n, len(x.Args))
		return false
	}
	// A date argument of unknown type (a parameter) is cast, as the
	// backend cannot pick among the date functions' overloads otherwise.
	dateArg := func(a ast.Expr) string {
		v := g.expr(a, sc)
		if len(v.typ) == 0 {
			return g.c.Dialect.Cast(v.sql, ColumnType{Kind: Timestamp})
		}
		return v.sql
	}
	if part, ok := dateParts[name]; ok {
		if !argc(1) {
			return val{sql: "NULL"}
		}
		return val{sql: g.c.Dialect.DatePart(part, dateArg(x.Args[0])), typ: num}
	}
	switch name {
	case "НАЧАЛОПЕРИОДА", "BEGINOFPERIOD", "КОНЕЦПЕРИОДА", "ENDOFPERIOD":
		if !argc(2) {
			return val{sql: "NULL"}
		}
		unit := g.periodUnit(x.Args[1])
		d := dateArg(x.Args[0])
		start := g.c.Dialect.Trunc(unit, d)
		if name == "НАЧАЛОПЕРИОДА" || name == "BEGINOFPERIOD" {
			return val{sql: start, typ: date}
		}
		// The end of a period is its last second, as 1C gives it.
		return val{sql: g.c.Dialect.DateAdd(g.c.Dialect.DateAdd(start, unit, "1"), "second", "-1"), typ: date}
	case "ДОБАВИТЬКДАТЕ", "DATEADD":
		if !argc(3) {
			return val{sql: "NULL"}
		}
		unit := g.periodUnit(x.Args[1])
		lim := dateAddLimit[unit]
		g.checkRange(x.Args[2], -lim, lim, fmt.Sprintf("ДОБАВИТЬКДАТЕ (DATEADD) adds a whole number of %ss that stays within 1C's calendar (years 1 to 9999), at most %d", unit, lim))
		return val{sql: g.c.Dialect.DateAdd(dateArg(x.Args[0]), unit, g.expr(x.Args[2], sc).sql), typ: date}
	case "РАЗНОСТЬДАТ", "DATEDIFF":
		if !argc(3) {
			return val{sql: "NULL"}
		}
		return val{sql: g.c.Dialect.DateDiff(dateArg(x.Args[0]), dateArg(x.Args[1]), g.periodUnit(x.Args[2])), typ: num}
	case "ДАТАВРЕМЯ", "DATETIME":
		if !argc(3, 6) {
			return val{sql: "NULL"}
		}
		var n [6]int
		for i, a := range x.Args {
			lit, ok := a.(*ast.Literal)
			if !ok || lit.Kind != token.NUMBER {
				g.errorf(a, "ДАТАВРЕМЯ takes whole numbers: year, month, day[, hour, minute, second]")
				return val{sql: "NULL"}
			}
			v, err := strconv.Atoi(lit.Value)
			if err != nil {
				g.errorf(a, "ДАТАВРЕМЯ takes whole numbers: year, month, day[, hour, minute, second]")
				return val{sql: "NULL"}
			}
			n[i] = v
		}
		t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC)
		if n[0] < 1 || n[0] > 9999 {
			g.errorf(x.Args[0], "ДАТАВРЕМЯ takes a year from 1 to 9999, as 1C's dates have, not %d", n[0])
		} else if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] {
			g.errorf(x, "ДАТАВРЕМЯ(%d, %d, %d) is not a date", n[0], n[1], n[2])
		}
		return val{sql: g.c.Dialect.Cast(g.bind(Arg{Value: t}), ColumnType{Kind: Timestamp}), typ: date}
	case "ТИПЗНАЧЕНИЯ", "VALUETYPE":
		if !argc(1) {
			return val{sql: "NULL"}
		}
		v := g.expr(x.Args[0], sc)
		str := metadata.Type{{Primitive: metadata.String}}
		switch {
		case v.comp:
			// The empty tag is Неопределено: NULL, as ТИПЗНАЧЕНИЯ(НЕОПРЕДЕЛЕНО) compares.
			return val{sql: "NULLIF(" + v.tag + ", '')", typ: str}
		case len(v.typ) == 1:
			return val{sql: g.c.Dialect.Cast(g.bind(Arg{Value: TypeTag(v.typ[0])}), ColumnType{Kind: Text}), typ: str}
		}
		g.errorf(x.Args[0], "the type of this value is not known here")
		return val{sql: "NULL"}
	case "ПРЕДСТАВЛЕНИЕ", "PRESENTATION", "ПРЕДСТАВЛЕНИЕССЫЛКИ", "REFPRESENTATION":
		if !argc(1) {
			return val{sql: "NULL"}
		}
		v := g.expr(x.Args[0], sc)
		str := metadata.Type{{Primitive: metadata.String}}
		if pres, ok := g.presentation(v, x.Args[0], sc); ok {
			return val{sql: pres, typ: str}
		}
		if isString(v.typ) {
			return val{sql: v.sql, typ: str}
		}
		// 1C formats numbers and dates for people (digit groups, the
		// session's locale); both backends would not agree on that yet.
		g.errorf(x.Args[0], "ПРЕДСТАВЛЕНИЕ of values other than references and strings is not supported yet")
		return val{sql: "NULL"}
	case "ПОДСТРОКА", "SUBSTRING":
		if !argc(3) {
			return val{sql: "NULL"}
		}
		s, from, n := g.expr(x.Args[0], sc), g.expr(x.Args[1], sc), g.expr(x.Args[2], sc)
		start := g.integerArg(x.Args[1], from, 1, "ПОДСТРОКА (SUBSTRING) starts at a whole number from 1 to 2147483647")
		length := g.integerArg(x.Args[2], n, 0, "ПОДСТРОКА (SUBSTRING) takes a length that is a whole number from 0 to 2147483647")
		return val{sql: "SUBSTR(" + s.sql + ", " + start + ", " + length + ")", typ: metadata.Type{{Primitive: metadata.String}}}
	case "ЕСТЬNULL", "ISNULL":
		if len(x.Args) != 2 {
			g.errorf(x, "%s takes two arguments", x.Fun.Name)
			return val{sql: "NULL"}
		}
		a, b := g.expr(x.Args[0], sc), g.expr(x.Args[1], sc)
		v := val{sql: "COALESCE(" + a.sql + ", " + b.sql + ")", typ: a.typ}
		if b.undefined {
			// ЕСТЬNULL(x, НЕОПРЕДЕЛЕНО): Неопределено where x is NULL.
			v.undef = "(" + a.sql + " IS NULL)"
			if a.undef != "" {
				v.undef = "(" + a.sql + " IS NULL OR " + a.undef + ")"
			}
		}
		return v
	}
	g.errorf(x, "function %s is not supported in queries yet", x.Fun.Name)
	return val{sql: "NULL"}
}

// cast compiles ВЫРАЗИТЬ(x КАК Тип): to a table of references, the value if
// it is of that type (for a composite, its reference part when the tag
// names that type) and NULL otherwise; to a primitive, the value in that
// type's column form.
func (g *gen) cast(x *ast.CastExpr, sc *scope) val {
	v := g.expr(x.X, sc)
	var spec metadata.TypeSpec
	if len(x.Type.Name.Parts) == 2 && g.c.Config.Object(x.Type.Name.String()) != nil {
		spec = metadata.TypeSpec{Primitive: metadata.Ref, Object: g.c.Config.Object(x.Type.Name.String()).FullName(false)}
	} else {
		text := x.Type.Name.String()
		if len(x.Type.Args) > 0 {
			var args []string
			for _, a := range x.Type.Args {
				args = append(args, a.Value)
			}
			text += "(" + strings.Join(args, ", ") + ")"
		}
		var err error
		if spec, err = metadata.ParseTypeSpec(text); err != nil {
			g.errorf(x.Type, "%v", err)
			return val{sql: "NULL"}
		}
	}
	typ := metadata.Type{spec}
	if spec.Primitive == metadata.Ref {
		if g.c.Config.Object(spec.Object) == nil {
			g.errorf(x.Type, "%s is not in the configuration", spec.Object)
			return val{sql: "NULL"}
		}
		switch {
		case v.comp:
			return val{sql: "CASE WHEN " + v.tag + " = " + g.bind(Arg{Value: spec.Object}) + " THEN " + v.sql + " END", typ: typ, from: v.from}
		case len(v.typ) == 1 && v.typ[0].Primitive == metadata.Ref && v.typ[0].Object == spec.Object:
			v.typ = typ
			return v
		}
		return val{sql: "NULL", typ: typ}
	}
	if v.comp {
		if p, ok := v.parts[partKind(spec)]; ok {
			return val{sql: "CASE WHEN " + v.tag + " = " + g.bind(Arg{Value: TypeTag(spec)}) + " THEN " + p + " END", typ: typ}
		}
		return val{sql: "NULL", typ: typ}
	}
	ct := columnType(spec)
	if spec.Primitive == metadata.String && spec.Length > 0 {
		return val{sql: g.c.Dialect.Cast("SUBSTR("+v.sql+", 1, "+strconv.Itoa(spec.Length)+")", ct), typ: typ}
	}
	return val{sql: g.c.Dialect.Cast(v.sql, ct), typ: typ}
}

// typeSpec resolves the name of a type in ТИП(...) and ССЫЛКА: a table of
// references (Справочник.X) or a primitive (Строка, Число, Булево, Дата).
func (g *gen) typeSpec(t *ast.TypeRef) (metadata.TypeSpec, bool) {
	name := t.Name.String()
	if len(t.Name.Parts) == 2 {
		if o := g.c.Config.Object(name); o != nil {
			return metadata.TypeSpec{Primitive: metadata.Ref, Object: o.FullName(false)}, true
		}
	}
	spec, err := metadata.ParseTypeSpec(name)
	if err != nil {
		g.errorf(t, "%s is not a type of the configuration", name)
		return spec, false
	}
	if spec.Primitive == metadata.Ref && g.c.Config.Object(spec.Object) == nil {
		g.errorf(t, "%s is not in the configuration", name)
		return spec, false
	}
	return spec, true
}

// dateParts are the functions that take a part of a date.
var dateParts = map[string]string{
	"ГОД": "year", "YEAR": "year", "КВАРТАЛ": "quarter", "QUARTER": "quarter", "МЕСЯЦ": "month", "MONTH": "month",
	"ДЕНЬГОДА": "dayofyear", "DAYOFYEAR": "dayofyear", "ДЕНЬ": "day", "DAY": "day", "НЕДЕЛЯ": "week", "WEEK": "week",
	"ДЕНЬНЕДЕЛИ": "weekday", "WEEKDAY": "weekday", "ЧАС": "hour", "HOUR": "hour", "МИНУТА": "minute", "MINUTE": "minute",
	"СЕКУНДА": "second", "SECOND": "second",
}

// periodUnit reads the period of НАЧАЛОПЕРИОДА and friends: a word such as
// ДЕНЬ or МЕСЯЦ.
func (g *gen) periodUnit(x ast.Expr) string {
	units := map[string]string{"ГОД": "year", "YEAR": "year", "КВАРТАЛ": "quarter", "QUARTER": "quarter", "МЕСЯЦ": "month",
		"MONTH": "month", "НЕДЕЛЯ": "week", "WEEK": "week", "ДЕНЬ": "day", "DAY": "day", "ЧАС": "hour", "HOUR": "hour",
		"МИНУТА": "minute", "MINUTE": "minute", "СЕКУНДА": "second", "SECOND": "second"}
	if p, ok := x.(*ast.Path); ok && len(p.Parts) == 1 {
		if u, ok := units[strings.ToUpper(p.Parts[0].Name)]; ok {
			return u
		}
	}
	g.errorf(x, "expected a period: ГОД, КВАРТАЛ, МЕСЯЦ, НЕДЕЛЯ, ДЕНЬ, ЧАС, МИНУТА or СЕКУНДА")
	return "day"
}

// value compiles ЗНАЧЕНИЕ(...): an empty reference, or an enumeration value.
func (g *gen) value(x *ast.ValueExpr) val {
	parts := x.Name.Parts
	if len(parts) == 2 && (strings.EqualFold(parts[0].Name, "ВидДвиженияНакопления") || strings.EqualFold(parts[0].Name, "AccumulationRecordType")) {
		// The system enumeration of movement kinds: Приход and Расход.
		kinds := map[string]string{"приход": "Приход", "receipt": "Приход", "расход": "Расход", "expense": "Расход"}
		k, ok := kinds[strings.ToLower(parts[1].Name)]
		if !ok {
			g.errorf(parts[1], "ВидДвиженияНакопления has Приход and Расход, not %s", parts[1].Name)
			return val{sql: "NULL"}
		}
		return val{sql: g.bind(Arg{Value: NameUUID("Перечисление.ВидДвиженияНакопления/" + k)}), typ: metadata.Type{{Primitive: metadata.Ref, Object: "Перечисление.ВидДвиженияНакопления"}}}
	}
	if len(parts) != 3 {
		g.errorf(x, "ЗНАЧЕНИЕ(%s): expected Вид.Имя.Значение, as Справочник.Валюты.ПустаяСсылка", x.Name)
		return val{sql: "NULL"}
	}
	o := g.c.Config.Object(parts[0].Name + "." + parts[1].Name)
	if o == nil {
		g.errorf(x, "%s.%s is not in the configuration", parts[0].Name, parts[1].Name)
		return val{sql: "NULL"}
	}
	typ := metadata.Type{{Primitive: metadata.Ref, Object: o.FullName(false)}}
	last := parts[2].Name
	if strings.EqualFold(last, "ПустаяСсылка") || strings.EqualFold(last, "EmptyRef") {
		return val{sql: g.bind(Arg{Value: EmptyRef}), typ: typ}
	}
	if o.Kind == metadata.Enum {
		for _, v := range o.Values {
			if strings.EqualFold(v, last) {
				return val{sql: g.bind(Arg{Value: EnumValueID(o, v)}), typ: typ}
			}
		}
		g.errorf(parts[2], "%s has no value %s", o.FullName(g.c.Config.English), last)
		return val{sql: "NULL"}
	}
	for _, name := range o.Predefined {
		if strings.EqualFold(name, last) {
			return val{sql: g.bind(Arg{Value: PredefinedID(o, name)}), typ: typ}
		}
	}
	if len(o.Predefined) == 0 {
		g.errorf(parts[2], "%s has no predefined items (declare them under predefined: in the configuration)", o.FullName(g.c.Config.English))
	} else {
		g.errorf(parts[2], "%s has no predefined item %s (it has %s)", o.FullName(g.c.Config.English), last, strings.Join(o.Predefined, ", "))
	}
	return val{sql: "NULL"}
}

// path resolves a field path: [source alias.]field[.field...], joining the
// tables of references on the way.
func (g *gen) path(p *ast.Path, sc *scope) val {
	parts := p.Parts
	var src *source_
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
			g.errorf(p, "%s is neither a table alias nor a field of the query's tables", parts[0].Name)
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
func (g *gen) fields(cur *source_, parts []*ast.Ident) val {
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
					next = g.occurrence(&source_{sec: sm})
					next.on = next.sql + "." + g.c.Dialect.Quote("_owner_id") + " = " + cur.sql + "." + g.c.Dialect.Quote("_id")
					next.nullable = true
					next.viaOwner = true
					cur.derefs[key] = next
					cur.order = append(cur.order, next)
				}
				return g.fields(next, parts[i+1:])
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
				g.errorf(parts[i+1], "reading fields through %s, which has a composite type (%s), is not supported yet: use ВЫРАЗИТЬ", part.Name, typeText(typ))
				return val{sql: "NULL"}
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
			next = g.deref(cur, strings.ToLower(part.Name), om, func(d *source_) string {
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

func (g *gen) describe(s *source_) string {
	if s.virt != nil {
		return s.virt.name
	}
	if s.sec != nil {
		return s.sec.Owner.FullName(false) + "." + s.sec.Section.Name
	}
	return s.obj.Object.FullName(g.c.Config.English)
}

// presentation adds the presentation of a reference field to the result:
// Наименование of catalogs, Номер of documents, the name of an enumeration
// value; it joins the referenced table for it.
func (g *gen) presentation(v val, x ast.Expr, sc *scope) (string, bool) {
	if v.from == nil || len(v.typ) != 1 || v.typ[0].Primitive != metadata.Ref || v.typ[0].Object == "" {
		return "", false
	}
	if v.typ[0].Object == recordTypeEnum {
		// The system enumeration has no table: its two values are known.
		return fmt.Sprintf("CASE %s WHEN %s THEN 'Приход' WHEN %s THEN 'Расход' END", v.sql,
			g.bind(Arg{Value: NameUUID(recordTypeEnum + "/Приход")}), g.bind(Arg{Value: NameUUID(recordTypeEnum + "/Расход")})), true
	}
	om := g.c.Schema.Object(g.c.Config, v.typ[0].Object)
	if om == nil {
		return "", false
	}
	col := presentationColumn(om)
	if col == "" {
		return "", false
	}
	key := strings.ToLower(v.field)
	// A reference to the row itself (Ссылка) needs no join.
	if f, ok := v.from.field(v.field); ok && f.Column == "_id" && v.from.obj == om {
		return v.from.sql + "." + g.c.Dialect.Quote(col), true
	}
	next, ok := v.from.derefs[key]
	if !ok {
		next = g.deref(v.from, key, om, func(d *source_) string {
			return d.sql + "." + g.c.Dialect.Quote("_id") + " = " + v.sql
		})
		next.soft = true
	}
	return next.sql + "." + g.c.Dialect.Quote(col), true
}

// recordTypeEnum is the system enumeration of accumulation movements.
const recordTypeEnum = "Перечисление.ВидДвиженияНакопления"

// compositePresentation is the presentation of the reference a composite
// field holds: a join per reference type it declares, the one whose id
// matches giving its Наименование or Номер. Any-reference fields, whose
// types are not listed, go without.
func (g *gen) compositePresentation(v val) (string, bool) {
	ref, ok := v.parts["ref"]
	if !ok {
		return "", false
	}
	var alts []string
	for _, spec := range v.typ {
		if spec.Primitive != metadata.Ref || spec.Object == "" {
			continue
		}
		om := g.c.Schema.Object(g.c.Config, spec.Object)
		if om == nil {
			continue
		}
		col := presentationColumn(om)
		if col == "" {
			continue
		}
		d := g.deref(v.from, "", om, func(d *source_) string {
			return d.sql + "." + g.c.Dialect.Quote("_id") + " = " + ref
		})
		d.soft = true
		alt := d.sql + "." + g.c.Dialect.Quote(col)
		if c := om.Table.Column(col); c != nil && c.Type.Kind != Text && c.Type.Kind != VarChar {
			// A number presents a document as well as a string does, but
			// PostgreSQL's COALESCE takes values of one type: all as text.
			alt = g.c.Dialect.Cast(alt, ColumnType{Kind: Text})
		}
		alts = append(alts, alt)
	}
	switch len(alts) {
	case 0:
		return "", false
	case 1:
		return alts[0], true
	}
	return "COALESCE(" + strings.Join(alts, ", ") + ")", true
}

// PresentationColumn is the column that presents an object's references:
// Наименование, else Номер, else an enumeration value's name, else Код; ""
// when there is none.
func PresentationColumn(om *ObjectMap) string { return presentationColumn(om) }

func presentationColumn(om *ObjectMap) string {
	for _, name := range []string{"наименование", "номер", "_name", "код"} {
		if f, ok := om.Fields[name]; ok && f.Column != "" {
			return f.Column
		}
	}
	return ""
}

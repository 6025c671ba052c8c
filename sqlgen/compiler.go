package sqlgen

import (
	"fmt"
	"strings"

	"dostup/metadata"
	"dostup/rls"
	"dostup/sdbl/ast"
	"dostup/sdbl/source"
)

// Compiler turns queries in the 1C query language into one SQL statement
// each, for one configuration, schema and dialect.
//
// Every table a query touches — FROM sources, joined tables, tables reached
// by dereferencing a reference field — is introduced through one method
// (occurrence), which is where record-level security adds its predicates
// (finish.go, restrict.go). Caller parameters (&Name) and string literals are always bound
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
	// tagColumn and partColumns name a composite's columns where the
	// SELECT names its columns (a nested query, a temporary table).
	tagColumn   string
	partColumns map[string]string
}

// virtual is the field a nested query or temporary table offers for the
// column.
func (c ResultColumn) virtual() virtualField {
	return virtualField{column: c.column, typ: c.Type, tag: c.tagColumn, parts: c.partColumns}
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
	// Groupings names the groupings of ИТОГИ ... ПО (TOTALS ... BY), nil
	// without it. Each row of the SQL then has two more columns after the
	// Columns': its RecordType and the 1-based grouping it totals (0 for
	// detail records and the overall total), in 1C's order of rows.
	Groupings []string
	tmpl      template // for Expand, when В lists hold parameters
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
			g := &gen{c: c, text: text, temps: temps, st: &state{query: st}}
			s := g.query(st)
			if into := st.Select.Into; into != nil {
				if _, dup := temps[strings.ToLower(into.Name)]; dup {
					g.errorf(into, "temporary table %s is already made in this batch", into.Name)
				}
				t := &tempTable{name: into.Name, sql: fmt.Sprintf("tt%d_%s", i+1, translit(into.Name)), fields: map[string]virtualField{}}
				for _, col := range s.Columns {
					t.fields[strings.ToLower(col.Name)] = col.virtual()
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
	outer       *scope           // the scope a correlated nested query may read
	main        *tableOccurrence // a restriction's table, until its ИЗ names it
	probing     bool             // resolving an access check, which joins what restrictions read
}

// state is what the generators of one statement share: bound arguments,
// the alias counter, errors, and the table occurrences and probes that
// access checks complete when the statement is finished.
type state struct {
	query  *ast.Query // the statement, whose fields decide Авто periodicities
	args   []Arg
	nalias int
	errs   source.ErrorList
	occs   []*tableOccurrence
	probes []*probe
	preds  map[*tableOccurrence]string // predicates compiled so far, by occurrence
	denied *rls.AccessError
	// inSection maps an expression of a tabular section's list
	// (Док.Товары.(Количество * Цена КАК Сумма)) to the section it is
	// written for: its names are the section row's fields.
	inSection map[ast.Expr]*ast.Path
	// depth is how deep the expression being compiled nests (limits.go);
	// the flags keep one message per statement for a limit passed.
	depth                      int
	deepReported, argsReported bool
	// subqueryPresentations presents references by subqueries rather
	// than joins, for a SELECT compiled again because its joins passed
	// maxTables (selectSQLWith).
	subqueryPresentations bool
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

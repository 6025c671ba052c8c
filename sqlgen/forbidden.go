package sqlgen

import (
	"fmt"

	"dostup/metadata"
	"dostup/metadata/vocab"
	"dostup/rls"
)

// ForbiddenCheck compiles the check of a write or an object read: a
// statement that returns a row when the stored record of a reference
// object with the id &Ссылка — or a record of a register's record set
// whose recorder is &Ссылка — is outside the session's restriction of a
// right (Read, Insert, Update, Delete), every field counting as
// used. It returns nil when the right is granted without restriction, and
// an *rls.AccessError when no role grants it.
func (c *Compiler) ForbiddenCheck(object string, right vocab.Right) (*Statement, error) {
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
	ok, err := granted(c.Access, om.Object.FullName(false), right)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &rls.AccessError{Object: om.Object.FullName(false), Right: right, Mode: rls.ObjectMode(right)}
	}
	g := &gen{c: c, st: &state{}}
	o := &tableOccurrence{obj: om, access: right, usesAll: true, checked: true}
	o.sql = g.alias("t")
	p := g.pred(o)
	if len(g.st.errs) > 0 {
		g.st.errs.Sort()
		return nil, g.st.errs
	}
	if g.st.denied != nil {
		g.st.denied.Mode = rls.ObjectMode(right)
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
func (c *Compiler) CompileRestriction(object string, cond rls.Condition) (*Statement, error) {
	return c.compileCondition(object, cond, false, func(table, alias, p string, g *gen) string {
		return "SELECT 1 FROM " + table + " " + alias + " WHERE " + p
	})
}

// CompileConditionOn compiles one restriction condition of an object for a
// single record: a statement that returns one row for the record whose
// reference is &Ссылка, its one column 1 when the record satisfies the
// condition, 0 when it does not and NULL when SQL cannot tell (a NULL the
// condition leaves undecided, which a query's WHERE treats as not
// satisfied). No row means there is no such record. dostup explain asks it
// of a restriction and of each part of it, to say which part a record
// fails.
func (c *Compiler) CompileConditionOn(object string, cond rls.Condition) (*Statement, error) {
	return c.compileCondition(object, cond, true, func(table, alias, p string, g *gen) string {
		return "SELECT CASE WHEN " + p + " THEN 1 WHEN NOT (" + p + ") THEN 0 END FROM " + table + " " + alias +
			" WHERE " + alias + "." + c.Dialect.Quote("_id") + " = " + g.bind(Arg{Param: "Ссылка"})
	})
}

// compileCondition compiles a restriction condition for an occurrence of
// the object's table and puts its predicate into the statement wrap makes
// of the table, its alias and the predicate; byRef refuses an object
// whose records have no reference.
func (c *Compiler) compileCondition(object string, cond rls.Condition, byRef bool, wrap func(table, alias, p string, g *gen) string) (*Statement, error) {
	om := c.Schema.Object(c.Config, object)
	if om == nil {
		return nil, fmt.Errorf("%s is not in the configuration", object)
	}
	if byRef && !om.Object.Kind.IsReference() {
		return nil, fmt.Errorf("%s has no references: a record of it is not named by one", object)
	}
	if cond.Tree == nil {
		return nil, fmt.Errorf("a message variant has no condition to compile: %s", cond.Message)
	}
	g := &gen{c: c, st: &state{}, text: cond.Text}
	o := &tableOccurrence{obj: om, derefs: map[string]*tableOccurrence{}}
	o.sql = g.alias("t")
	p := g.condition(o, cond)
	if len(g.st.errs) > 0 {
		g.st.errs.Sort()
		return nil, g.st.errs
	}
	s := &Statement{}
	s.SQL, s.Args = g.number(wrap(g.tableSQL(om.Table), o.sql, p, g))
	return s, nil
}

package sqlgen

import (
	"errors"
	"fmt"
	"strings"

	"dostup/rls"
	"dostup/sdbl/source"
)

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
	roots []*tableOccurrence
	from  string
	where string // "" when none
}

// addProbe registers a SELECT's FROM and WHERE for the access check of a
// statement without РАЗРЕШЕННЫЕ.
func (g *gen) addProbe(roots []*tableOccurrence, from, where string) {
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
		ok, err := granted(g.c.Access, o.object(), o.right())
		if err != nil {
			g.fail(err)
			return
		}
		if !ok && g.st.denied == nil {
			g.st.denied = &rls.AccessError{Object: o.object(), Right: o.right()}
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

// filter is the predicate that leaves an occurrence's forbidden records
// out, or "" when none: in РАЗРЕШЕННЫЕ always; otherwise only for tables
// joined to present references, which never fail a query.
func (g *gen) filter(o *tableOccurrence, allowed bool) string {
	if !allowed && !o.soft {
		return ""
	}
	return g.resolve(g.pred(o), allowed)
}

// check builds the access check of one probe: the first occurrence with a
// record the probe's SELECT would read that its restriction forbids.
func (g *gen) check(p *probe) *Check {
	var whens, viols, objects []string
	var walk func(o *tableOccurrence)
	walk = func(o *tableOccurrence) {
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

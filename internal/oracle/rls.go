package oracle

import (
	"fmt"
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
)

// Options are choices where the rules leave room; the zero value is what
// the brief of the differential test describes.
type Options struct {
	// InnerSectionJoin makes a restriction that reads a tabular section
	// false for a record without rows in it (an inner join of the owner
	// with its rows). By default the record is joined with a NULL row
	// then, so `Продукция.Наименование = "x" ИЛИ ЭтоГруппа` still holds for
	// a folder without products.
	InnerSectionJoin bool
}

// Oracle evaluates queries for users of a configuration over a dataset.
type Oracle struct {
	Config  *metadata.Configuration
	Data    *Dataset
	Options Options

	parsed map[*metadata.Restriction]*ast.Restriction
}

// New returns an oracle over data, which must be of cfg.
func New(cfg *metadata.Configuration, data *Dataset) *Oracle {
	return &Oracle{Config: cfg, Data: data, parsed: map[*metadata.Restriction]*ast.Restriction{}}
}

func (o *Oracle) restriction(r *metadata.Restriction) (*ast.Restriction, error) {
	if p, ok := o.parsed[r]; ok {
		return p, nil
	}
	p, err := parser.ParseRestriction(source.FromFile(r.Condition))
	if err != nil {
		return nil, err
	}
	o.parsed[r] = p
	return p, nil
}

// holds evaluates a restriction for one record of t (an object's table):
// the record is accessible when, for it, the text gives a non-empty result
// (SPEC §3.5). Nested queries and references read without checks.
func (e *evaluator) holds(r *ast.Restriction, t *table, row Row) bool {
	main := &binding{t: t, row: row}
	var alias string
	if r.Alias != nil {
		alias = strings.ToLower(r.Alias.String())
	}
	var bs []*binding
	if len(r.From) == 0 {
		main.aliases = []string{strings.ToLower(t.obj.Name), strings.ToLower(t.obj.FullName(false)),
			strings.ToLower(t.obj.FullName(true)), "текущаятаблица", "currenttable"}
		if alias != "" {
			main.aliases = append(main.aliases, alias)
		}
		bs = []*binding{main}
	} else {
		for _, src := range r.From {
			e.sources(src, &bs, nil)
		}
		main = nil
		for _, b := range bs {
			if b.t == t && (alias == "" || b.aliases[0] == alias) {
				main = b
				break
			}
		}
		if main == nil {
			fail("the restriction's ИЗ does not name the restricted table %s (as %s)", t.name, alias)
		}
	}
	sc := &scope{bindings: bs}
	// The tabular sections the condition reads on the restricted record.
	var secs []string
	seen := map[string]bool{}
	scan := func(x ast.Node) {
		if x == nil {
			return
		}
		ast.Inspect(x, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SubqueryExpr, *ast.ValueExpr, *ast.TypeExpr:
				return false
			case *ast.Path:
				b, parts := resolve(n, sc)
				if b == main && len(parts) > 1 && t.field(parts[0].Name) == nil {
					if ts := t.obj.TabularSection(parts[0].Name); ts != nil && !seen[strings.ToLower(ts.Name)] {
						seen[strings.ToLower(ts.Name)] = true
						secs = append(secs, ts.Name)
					}
				}
				return false
			}
			return true
		})
	}
	scan(r.Where)
	for _, src := range r.From {
		ast.Inspect(src, func(n ast.Node) bool {
			if j, ok := n.(*ast.JoinSource); ok {
				scan(j.On)
			}
			return true
		})
	}
	main.secRows = map[string]Row{}
	id, _ := row["ссылка"].(string)
	found := false
	var step func(i int)
	step = func(i int) {
		if found {
			return
		}
		if i == len(secs) {
			e.walk(r.From, bs, sc, map[*binding]Row{main: row}, func() {
				if found {
					return
				}
				if r.Where == nil || e.cond(r.Where, sc) == true {
					found = true
				}
			})
			return
		}
		st, _ := e.d.table(t.name + "." + secs[i])
		lines := st.lines[id]
		if len(lines) == 0 {
			if e.opts.InnerSectionJoin {
				return
			}
			lines = []Row{nil}
		}
		for _, l := range lines {
			main.secRows[strings.ToLower(secs[i])] = l
			step(i + 1)
		}
	}
	step(0)
	return found
}

// canonicalField is a field's or tabular section's name as the
// configuration spells it, or "" when the object has none of that name.
func canonicalField(o *metadata.Object, name string) string {
	if a := o.Attribute(name); a != nil {
		return a.Name
	}
	if ts := o.TabularSection(name); ts != nil {
		return ts.Name
	}
	return ""
}

// grants lists the rights entries of the session's roles granting Read on o.
func (s *Session) grants(o *metadata.Object) []*metadata.ObjectRights {
	var out []*metadata.ObjectRights
	for _, r := range s.roles {
		for _, or := range r.Objects {
			if strings.EqualFold(or.Object, o.FullName(false)) && or.Has("Read") {
				out = append(out, or)
			}
		}
	}
	return out
}

// applicable returns, for each role granting Read on o, the Read
// restrictions that apply when the fields used are used (SPEC §3.2); a nil
// inner list is TRUE. With no field used, every restriction of every
// granting role applies, combined by OR: each is returned as a role of its
// own.
func (s *Session) applicable(o *metadata.Object, used []string) [][]*metadata.Restriction {
	var out [][]*metadata.Restriction
	for _, or := range s.grants(o) {
		var reads []*metadata.Restriction
		for _, r := range or.Restrictions {
			if metadata.RightName(r.Right, true) == "Read" {
				reads = append(reads, r)
			}
		}
		if len(used) == 0 {
			if len(reads) == 0 {
				out = append(out, nil)
			}
			for _, r := range reads {
				out = append(out, []*metadata.Restriction{r})
			}
			continue
		}
		named := map[string]bool{}
		for _, r := range reads {
			for _, f := range r.Fields {
				named[strings.ToLower(canonicalField(o, f))] = true
			}
		}
		other := false
		for _, f := range used {
			if !named[strings.ToLower(f)] {
				other = true
			}
		}
		var list []*metadata.Restriction
		for _, r := range reads {
			if len(r.Fields) == 0 {
				if other {
					list = append(list, r)
				}
				continue
			}
			if namesAny(o, r.Fields, used) {
				list = append(list, r)
			}
		}
		out = append(out, list)
	}
	return out
}

// accessible tells whether a record of t (an object's table) may be read
// when the fields used are used.
func (s *Session) accessible(t *table, row Row, used []string) bool {
	id, _ := row["ссылка"].(string)
	// No granting role: applicable is empty and nothing is accessible.
	for _, role := range s.applicable(t.obj, used) {
		ok := true
		for _, r := range role {
			if !s.holds(r, t, row, id) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

type holdsKey struct {
	r  *metadata.Restriction
	id string
}

func (s *Session) holds(r *metadata.Restriction, t *table, row Row, id string) bool {
	k := holdsKey{r, id}
	if v, ok := s.cache[k]; ok {
		return v
	}
	p, err := s.o.restriction(r)
	if err != nil {
		fail("%s: %v", t.name, err)
	}
	e := s.plain()
	v := e.holds(p, t, row)
	s.cache[k] = v
	return v
}

// Accessible tells whether the record id of table (Справочник.X,
// Документ.Y) may be read by the session when the query uses the fields
// used of it. A missing record is an error.
func (s *Session) Accessible(tableName, id string, used []string) (ok bool, err error) {
	defer catch(&err)
	t, err := s.o.Data.table(tableName)
	if err != nil {
		return false, err
	}
	if t.sec != nil {
		return false, fmt.Errorf("%s: ask about the owner's record", tableName)
	}
	row := t.byID[strings.ToLower(id)]
	if row == nil {
		return false, fmt.Errorf("%s: no record %s", tableName, id)
	}
	if len(s.grants(t.obj)) == 0 {
		return false, nil
	}
	return s.accessible(t, row, used), nil
}

// namesAny reports whether a restriction's field list names a used field.
func namesAny(o *metadata.Object, fields, used []string) bool {
	for _, f := range fields {
		for _, u := range used {
			if strings.EqualFold(canonicalField(o, f), u) {
				return true
			}
		}
	}
	return false
}

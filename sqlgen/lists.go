package sqlgen

import (
	"strconv"
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
)

// List parameters. A parameter in the list of В (IN), as in
// Ссылка В (&Список), may hold one value or a list of them; which, the
// compiler cannot know, and a plan is compiled once per text. So the list
// of В is compiled with marks around it (markIn, markItem, markEnd) that
// stay in the statement's text until it is bound: Expand gives each
// element of a list value a placeholder of its own, each bound as a single
// value would be, and a list of none makes В false and НЕ В true. Without
// lists the marks print as the plain IN (...) every statement carries in
// its SQL.
const (
	markIn   = '[' // the start of В's list; its body is 1 for НЕ В
	markItem = ',' // between two items of the list
	markEnd  = ']' // the end of the list
)

// inList is the SQL after x of x В (items): " IN (items)", with marks.
func inList(items []string, not bool) string {
	n := 0
	if not {
		n = 1
	}
	return mark(markIn, n) + strings.Join(items, mark(markItem, 0)) + mark(markEnd, 0)
}

// inItems compiles the items of В (...) against its left side l: a
// parameter is bound as one that may hold a list, and an item of a type
// that shares no kind of value with l is left out, as it equals no value
// of l (1C's comparison; PostgreSQL would refuse to compare them).
func (g *gen) inItems(l val, list []ast.Expr, sc *scope) []string {
	var items []string
	for _, e := range list {
		if p, ok := e.(*ast.Param); ok {
			a := Arg{Param: p.Name, List: true}
			if g.restriction {
				a = Arg{Session: p.Name, List: true}
			}
			items = append(items, g.bind(a))
			g.countArg(p)
			continue
		}
		v := g.expr(e, sc)
		if len(l.typ) > 0 && len(v.typ) > 0 && !l.comp && !v.comp && !sharesKind(l.typ, v.typ) {
			continue
		}
		items = append(items, v.sql)
	}
	return items
}

// hierarchySeed is the groups of x В ИЕРАРХИИ (items): the catalog's
// items that the list names, so that a list parameter expands there as in
// any В.
func (g *gen) hierarchySeed(l val, items []string) string {
	if len(l.typ) != 1 || l.typ[0].Primitive != metadata.Ref || l.typ[0].Object == "" {
		return "SELECT NULL" // hierarchy reports the error
	}
	om := g.c.Schema.Object(g.c.Config, l.typ[0].Object)
	if om == nil {
		return "SELECT NULL"
	}
	q := g.c.Dialect.Quote
	a := g.alias("g")
	id := a + "." + q("_id")
	return "SELECT " + id + " FROM " + q(om.Table.Name) + " " + a + " WHERE (" + id + inList(items, false) + ")"
}

// template is compiled SQL kept with its marks, for a statement or check
// whose В lists hold parameters: Expand numbers it anew for the values.
type template struct {
	raw     string // "" when the SQL has no list parameter
	args    []Arg  // what the argument marks of raw index
	dialect Dialect
}

// template keeps text for Expand when it has a list parameter.
func (g *gen) template(text string) template {
	if !strings.Contains(text, "\x00"+string(markIn)) {
		return template{}
	}
	for _, a := range g.st.args {
		if a.List {
			return template{raw: text, args: g.st.args, dialect: g.c.Dialect}
		}
	}
	return template{}
}

// HasLists reports whether the statement has parameters in lists of В,
// whose values Expand binds.
func (s *Statement) HasLists() bool { return s.tmpl.raw != "" }

// Expand gives the statement's SQL and arguments for the values it is
// bound with: count(a) is how many values a list argument's value holds
// (Arg.List), or -1 for a single value. Each element of a list gets a
// placeholder, its Arg with Elem set to its 1-based index in the list.
// Without lists it is the statement's SQL and Args.
func (s *Statement) Expand(count func(Arg) int) (string, []Arg) {
	if s.tmpl.raw == "" {
		return s.SQL, s.Args
	}
	return s.tmpl.expand(count)
}

// HasLists reports whether the check has parameters in lists of В.
func (c *Check) HasLists() bool { return c.tmpl.raw != "" }

// Expand is Statement.Expand for an access check.
func (c *Check) Expand(count func(Arg) int) (string, []Arg) {
	if c.tmpl.raw == "" {
		return c.SQL, c.Args
	}
	return c.tmpl.expand(count)
}

func (t template) expand(count func(Arg) int) (string, []Arg) {
	toks := splitMarks(t.raw)
	var b strings.Builder
	expandTokens(&b, toks, t.args, count)
	return numberMarks(b.String(), t.args, t.dialect)
}

// markTok is a piece of marked text: plain SQL (kind 0), or a mark.
type markTok struct {
	kind byte
	text string // the SQL, or the mark as written
	body string // the mark's body
}

func splitMarks(text string) []markTok {
	var out []markTok
	for {
		i := strings.IndexByte(text, 0)
		if i < 0 {
			if text != "" {
				out = append(out, markTok{text: text})
			}
			return out
		}
		if i > 0 {
			out = append(out, markTok{text: text[:i]})
		}
		j := strings.IndexByte(text[i+1:], 0) + i + 1
		out = append(out, markTok{kind: text[i+1], text: text[i : j+1], body: text[i+2 : j]})
		text = text[j+1:]
	}
}

// expandTokens writes toks with every list expanded: count nil expands
// each list argument as one value.
func expandTokens(b *strings.Builder, toks []markTok, args []Arg, count func(Arg) int) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != markIn {
			b.WriteString(t.text)
			continue
		}
		// Find the list's end and its items at this depth.
		depth, start := 0, i+1
		var items [][]markTok
		j := i + 1
		for ; j < len(toks); j++ {
			switch toks[j].kind {
			case markIn:
				depth++
			case markEnd:
				depth--
			case markItem:
				if depth == 0 {
					items = append(items, toks[start:j])
					start = j + 1
				}
			}
			if depth < 0 {
				break
			}
		}
		if start < j || len(items) > 0 {
			items = append(items, toks[start:j])
		}
		var parts []string
		for _, item := range items {
			if len(item) == 1 && item[0].kind == markArg && count != nil {
				n, _ := strconv.Atoi(item[0].body)
				if n < len(args) && args[n].List {
					if k := count(args[n]); k >= 0 {
						for e := 0; e < k; e++ {
							parts = append(parts, "\x00"+string(markArg)+item[0].body+"."+strconv.Itoa(e)+"\x00")
						}
						continue
					}
				}
			}
			var ib strings.Builder
			expandTokens(&ib, item, args, count)
			parts = append(parts, ib.String())
		}
		not := t.body == "1"
		switch {
		case len(parts) == 0 && not:
			b.WriteString(" IS NULL OR TRUE")
		case len(parts) == 0:
			b.WriteString(" IS NULL AND FALSE")
		case not:
			b.WriteString(" NOT IN (" + strings.Join(parts, ", ") + ")")
		default:
			b.WriteString(" IN (" + strings.Join(parts, ", ") + ")")
		}
		i = j
	}
}

// numberMarks turns the argument marks of text into the dialect's
// placeholders, numbered from 1 in order of first use, and returns the
// arguments the text uses; a mark N.e is element e of list argument N.
// The lists of В are printed first, each list argument as one value.
func numberMarks(text string, all []Arg, d Dialect) (string, []Arg) {
	if strings.Contains(text, "\x00"+string(markIn)) {
		var b strings.Builder
		expandTokens(&b, splitMarks(text), all, nil)
		text = b.String()
	}
	var b strings.Builder
	var args []Arg
	seen := map[string]int{}
	for {
		i := strings.Index(text, "\x00"+string(markArg))
		if i < 0 {
			b.WriteString(text)
			return b.String(), args
		}
		j := strings.IndexByte(text[i+1:], 0) + i + 1
		key := text[i+2 : j]
		k, ok := seen[key]
		if !ok {
			num, elem, isElem := strings.Cut(key, ".")
			n, _ := strconv.Atoi(num)
			a := all[n]
			if isElem {
				e, _ := strconv.Atoi(elem)
				a.Elem = e + 1
			}
			args = append(args, a)
			k = len(args)
			seen[key] = k
		}
		b.WriteString(text[:i] + d.Placeholder(k))
		text = text[j+1:]
	}
}

package sqlgen

import (
	"strconv"
	"strings"
)

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
func (g *gen) filterClause(where string, occs []*tableOccurrence) string {
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
func andMark(o *tableOccurrence) string {
	if !o.checked {
		return ""
	}
	return mark(markAnd, o.id)
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

func (g *gen) occ(id string) *tableOccurrence {
	n, _ := strconv.Atoi(id)
	return g.st.occs[n]
}

// number turns the argument marks of text into the dialect's placeholders,
// numbered from 1 in order of first use, and returns the arguments the
// text uses.
func (g *gen) number(text string) (string, []Arg) {
	return numberMarks(text, g.st.args, g.c.Dialect)
}

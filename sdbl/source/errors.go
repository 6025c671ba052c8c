package source

import (
	"fmt"
	"sort"
)

// Error is a problem found in a text, at the place the user wrote it.
type Error struct {
	Loc  Location
	Msg  string
	Code string // a stable code such as "syntax", "template" or "preprocessor"; empty when not classified
}

// Error formats the problem as "file:line:col: message".
func (e *Error) Error() string { return e.Loc.String() + ": " + e.Msg }

// ErrorList is a list of problems; one run of a stage reports all it can find.
type ErrorList []*Error

// Add appends a problem.
func (l *ErrorList) Add(loc Location, code, msg string) {
	*l = append(*l, &Error{Loc: loc, Code: code, Msg: msg})
}

// Sort orders the list by file, line and column.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Loc.Position(), l[j].Loc.Position()
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// RemoveMultiples sorts the list and keeps only the first problem of each line.
func (l *ErrorList) RemoveMultiples() {
	l.Sort()
	var last Position
	out := (*l)[:0]
	for _, e := range *l {
		p := e.Loc.Position()
		if p.Filename != last.Filename || p.Line != last.Line {
			out = append(out, e)
			last = p
		}
	}
	*l = out
}

// Error prints the first problem and how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

package source

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Error is a problem found in a text, at the place the user wrote it. It is
// the one shape of a positioned error in dostup: the dump reader (onecxml)
// uses it as is, and the rules register marshals its own errors in the same
// JSON, so that tools read one format whatever stage failed.
type Error struct {
	Loc  Location
	Msg  string
	Code string // a stable code such as "syntax", "template" or "preprocessor"; empty when not classified
	// Err is the lower-level error the problem was found through (an
	// *xml.SyntaxError, say), so that callers can still inspect it with
	// errors.As; nil when the stage found the problem itself.
	Err error
}

// Error formats the problem as "file:line:col: message".
func (e *Error) Error() string { return e.Loc.String() + ": " + e.Msg }

// Unwrap returns the lower-level error, if any.
func (e *Error) Unwrap() error { return e.Err }

// ErrorJSON is the JSON form of a positioned error. Line and column are
// resolved when marshalling, since a Location computes them only when
// asked; a zero line means the position is not known.
type ErrorJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"` // in characters, as editors count them
	Code    string `json:"code"`
	Message string `json:"message"`
}

// NewErrorJSON fills the JSON form from a position, for error types that
// keep their position in another form and still want this shape.
func NewErrorJSON(p Position, code, msg string) ErrorJSON {
	return ErrorJSON{File: p.Filename, Line: p.Line, Col: p.Column, Code: code, Message: msg}
}

// Position returns the position the JSON form names.
func (j ErrorJSON) Position() Position {
	return Position{Filename: j.File, Line: j.Line, Column: j.Col}
}

// MarshalJSON writes {"file","line","col","code","message"}. The chain of
// template calls is not part of it: the position is where to fix the text.
func (e *Error) MarshalJSON() ([]byte, error) {
	return json.Marshal(NewErrorJSON(e.Loc.Position(), e.Code, e.Msg))
}

// UnmarshalJSON reads what MarshalJSON writes, so that a client of the JSON
// output can turn it back into an error that prints the same.
func (e *Error) UnmarshalJSON(data []byte) error {
	var j ErrorJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*e = Error{Loc: At(j.Position()), Code: j.Code, Msg: j.Message}
	return nil
}

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

package querycheck

import (
	"cmp"
	"errors"
	"slices"

	"dostup/metadata"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
	"dostup/sqlgen"
)

// Text is one query text (a batch) and where it stands in its file, so
// that failures point into the file: Line and Col are the place of the
// text's first character (1, 1 for a file that holds only the text).
type Text struct {
	File      string
	Line, Col int
	Body      string
}

// Failure is one problem of a text, at its place in the file.
type Failure struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Report is what Check found: how many texts compiled, and the problems
// of those that did not, ordered by file and place.
type Report struct {
	Texts    int       `json:"texts"`
	OK       int       `json:"ok"`
	Failed   int       `json:"failed"`
	Failures []Failure `json:"failures"`
}

// Check compiles each text against cfg for the dialect, with full rights.
// The schema is derived from cfg once for all texts.
func Check(cfg *metadata.Configuration, d sqlgen.Dialect, texts []Text) *Report {
	c := &sqlgen.Compiler{Config: cfg, Schema: sqlgen.SchemaOf(cfg), Dialect: d}
	r := &Report{Texts: len(texts), Failures: []Failure{}}
	for _, t := range texts {
		fails := check(c, t)
		if len(fails) == 0 {
			r.OK++
			continue
		}
		r.Failed++
		r.Failures = append(r.Failures, fails...)
	}
	slices.SortStableFunc(r.Failures, func(a, b Failure) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return r
}

// check parses and compiles one text.
func check(c *sqlgen.Compiler, t Text) []Failure {
	src := source.FromFile(source.NewFile(t.File, t.Body))
	b, err := parser.ParseQuery(src)
	if err == nil {
		_, err = c.Compile(src, b)
	}
	if err == nil {
		return nil
	}
	var list source.ErrorList
	if !errors.As(err, &list) {
		return []Failure{{File: t.File, Line: t.Line, Col: t.Col, Code: "compile", Message: err.Error()}}
	}
	list.Sort()
	out := make([]Failure, 0, len(list))
	for _, e := range list {
		line, col := t.Line, t.Col
		if e.Loc.File != nil {
			p := e.Loc.Position()
			line, col = place(t, p.Line, p.Column)
		}
		out = append(out, Failure{File: t.File, Line: line, Col: col, Code: e.Code, Message: e.Msg})
	}
	return out
}

// place turns a position in a text into one in its file.
func place(t Text, line, col int) (int, int) {
	if line <= 1 {
		return t.Line, t.Col + col - 1
	}
	return t.Line + line - 1, col
}

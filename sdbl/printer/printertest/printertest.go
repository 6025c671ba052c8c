package printertest

import (
	"fmt"
	"reflect"
	"strings"

	"dostup/sdbl/ast"
	"dostup/sdbl/parser"
	"dostup/sdbl/printer"
	"dostup/sdbl/source"
	"dostup/sdbl/token"
)

// Kind says which grammar a text is parsed with.
type Kind string

// The grammars.
const (
	Query       Kind = "query"
	Restriction Kind = "restriction"
	Expr        Kind = "expr"
)

// Parse parses text with the grammar of kind.
func Parse(kind Kind, name, text string) (ast.Node, error) {
	t := source.FromFile(source.NewFile(name, text))
	switch kind {
	case Query:
		return parser.ParseQuery(t)
	case Restriction:
		return parser.ParseRestriction(t)
	case Expr:
		return parser.ParseExpr(t)
	}
	return nil, fmt.Errorf("unknown kind %q", kind)
}

// Print prints a tree of kind in the chosen language.
func Print(n ast.Node, english bool) string {
	var b strings.Builder
	c := printer.Config{English: english}
	if err := c.Fprint(&b, n); err != nil {
		return "<" + err.Error() + ">"
	}
	return b.String()
}

// RoundTrip checks the printer's contract on an accepted text and describes
// the first violation; it returns nil when the text is not accepted, as
// there is no tree to print then.
func RoundTrip(kind Kind, text string) error {
	t1, err := Parse(kind, "input", text)
	if err != nil {
		return nil
	}
	var ru string
	for _, english := range []bool{false, true} {
		s1 := Print(t1, english)
		t2, err := Parse(kind, "printed", s1)
		if err != nil {
			return fmt.Errorf("printed text (english=%v) does not parse: %v\n%s", english, err, s1)
		}
		if d := Diff(t1, t2); d != "" {
			return fmt.Errorf("tree of the printed text (english=%v) differs at %s\n%s", english, d, s1)
		}
		if s2 := Print(t2, english); s2 != s1 {
			return fmt.Errorf("printing is not idempotent (english=%v):\n%s\n---\n%s", english, s1, s2)
		}
		if english {
			if back := Print(t2, false); back != ru {
				return fmt.Errorf("the English text printed in Russian differs:\n%s\n---\n%s", ru, back)
			}
		} else {
			ru = s1
		}
	}
	return nil
}

var (
	posType   = reflect.TypeFor[token.Pos]()
	identType = reflect.TypeFor[ast.Ident]()
)

// Diff compares two trees field by field, ignoring positions, and names the
// first difference ("" when there is none). Names the language defines
// compare by meaning (Справочник equals Catalog and справочник), as the
// printer spells them canonically; every other name must match exactly.
func Diff(a, b ast.Node) string {
	return diff(reflect.ValueOf(a), reflect.ValueOf(b), "", false)
}

// DiffShape is Diff that also ignores parentheses: it compares a tree a
// program built, which has none, with the tree of its printed text, which
// has those its shape needed.
func DiffShape(a, b ast.Node) string {
	return diff(reflect.ValueOf(a), reflect.ValueOf(b), "", true)
}

var parenType = reflect.TypeFor[*ast.ParenExpr]()

func unparen(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Interface && !v.IsNil() && v.Elem().Type() == parenType {
		v = v.Elem().Elem().FieldByName("X")
	}
	return v
}

func diff(a, b reflect.Value, path string, shape bool) string {
	if shape {
		a, b = unparen(a), unparen(b)
	}
	if a.Kind() != b.Kind() {
		return path + ": kinds differ"
	}
	switch a.Kind() {
	case reflect.Interface, reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + ": nil vs non-nil"
			}
			return ""
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return fmt.Sprintf("%s: %s vs %s", path, a.Elem().Type(), b.Elem().Type())
		}
		return diff(a.Elem(), b.Elem(), path, shape)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			f := a.Type().Field(i)
			if f.Type == posType {
				continue
			}
			p := path + "." + f.Name
			if a.Type() == identType && f.Name == "Name" {
				if x, y := a.Field(i).String(), b.Field(i).String(); !sameName(x, y) {
					return fmt.Sprintf("%s: %q vs %q", p, x, y)
				}
				continue
			}
			if d := diff(a.Field(i), b.Field(i), p, shape); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d vs %d", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if d := diff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), shape); d != "" {
				return d
			}
		}
		return ""
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Sprintf("%s: %q vs %q", path, a.String(), b.String())
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return fmt.Sprintf("%s: %v vs %v", path, a.Bool(), b.Bool())
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if a.Int() != b.Int() {
			return fmt.Sprintf("%s: %d vs %d", path, a.Int(), b.Int())
		}
	default:
		return path + ": cannot compare " + a.Kind().String()
	}
	return ""
}

func sameName(x, y string) bool {
	if x == y {
		return true
	}
	a, ok1 := printer.Spell(x, false)
	b, ok2 := printer.Spell(y, false)
	return ok1 && ok2 && a == b
}

package querycheck

import (
	"regexp"
	"strings"

	"dostup/sdbl/ast"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
)

// Outside lists what a text reads that only the code around it can give:
// temporary tables it does not make itself (a ТемпТаблицы manager shared
// with other queries fills them), tables given as parameters (ИЗ
// &Таблица), СтрШаблон placeholders (%1), #Names the code replaces, and
// the data composition system's braces. Such a text is not self-contained: compiling it alone says
// little about the configuration. A text that does not parse gives nil.
func Outside(body string) []string {
	code := withoutStrings(body)
	if m := placeholder.FindString(code); m != "" {
		// СтрШаблон's %1 ... %9, or a %Name% or [Name] the code replaces
		// with СтрЗаменить: the text is completed by the code.
		return []string{m}
	}
	if m := templateName.FindString(code); m != "" {
		// A #Name the code replaces with a table or a condition before
		// it runs the text.
		return []string{m}
	}
	if strings.ContainsAny(code, "{}") {
		// The data composition system's {ГДЕ ...} and {ВЫБРАТЬ ...}: a
		// text for a composition schema, whose processor rewrites it.
		return []string{"{...}"}
	}
	src := source.FromFile(source.NewFile("", body))
	b, err := parser.ParseQuery(src)
	if err != nil {
		return nil
	}
	made := map[string]bool{}
	var out []string
	for _, st := range b.Statements {
		q, ok := st.(*ast.Query)
		if !ok {
			continue
		}
		ast.Inspect(q, func(n ast.Node) bool {
			switch s := n.(type) {
			case *ast.TableSource:
				if len(s.Name.Parts) == 1 && !made[strings.ToLower(s.Name.Parts[0].Name)] {
					out = append(out, s.Name.Parts[0].Name)
				}
			case *ast.ParamSource:
				out = append(out, "&"+s.Param.Name)
			}
			return true
		})
		if into := q.Select.Into; into != nil {
			made[strings.ToLower(into.Name)] = true
		}
	}
	return out
}

// placeholder is a СтрШаблон parameter (% and a digit) or a name that
// the code swaps with СтрЗаменить, written %Name% or [Name]: the query
// language has neither % nor brackets outside its strings.
var placeholder = regexp.MustCompile(`%[1-9]|%[\p{L}_][\p{L}\p{N}_]*%|\[[\p{L}_][\p{L}\p{N}_ .]*\]`)

// withoutStrings is body with the insides of its string literals ("...",
// "" for a quote) blanked, so that ПОДОБНО "%1%" is not taken for a
// placeholder.
func withoutStrings(body string) string {
	b := []byte(body)
	in := false
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '"' && in && i+1 < len(b) && b[i+1] == '"':
			b[i], b[i+1] = ' ', ' '
			i++
		case b[i] == '"':
			in = !in
		case in && b[i] < 0x80:
			b[i] = ' '
		}
	}
	return string(b)
}

// templateName is a #Name the code substitutes in a text: a query has no
// # of its own.
var templateName = regexp.MustCompile(`#[\p{L}_][\p{L}\p{N}_]*`)

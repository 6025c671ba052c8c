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
	if m := placeholder.FindString(body); m != "" {
		// СтрШаблон's %1 ... %9: the text is completed by the code.
		return []string{m}
	}
	if m := templateName.FindString(body); m != "" {
		// A #Name the code replaces with a table or a condition before
		// it runs the text.
		return []string{m}
	}
	if strings.ContainsAny(body, "{}") {
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

// placeholder is a СтрШаблон parameter: % and a digit.
var placeholder = regexp.MustCompile(`%[1-9]`)

// templateName is a #Name the code substitutes in a text: a query has no
// # of its own.
var templateName = regexp.MustCompile(`#[\p{L}_][\p{L}\p{N}_]*`)

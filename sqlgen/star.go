package sqlgen

import (
	"fmt"
	"strings"

	"dostup/sdbl/ast"
)

// expandStars replaces * and Alias.* by the fields of the tables they name:
// standard attributes first, then the object's own, as 1C lists them.
func (g *gen) expandStars(fields []*ast.Field, sc *scope) []*ast.Field {
	var out []*ast.Field
	for _, f := range fields {
		if nf, ok := f.X.(*ast.NestedFields); ok {
			// Док.Товары.(Номенклатура, Количество): each as Док.Товары.Поле;
			// an expression reads the section row's fields by their names.
			for k, inner := range nf.Fields {
				p, ok := inner.X.(*ast.Path)
				if !ok {
					alias := inner.Alias
					if alias == nil {
						alias = &ast.Ident{NamePos: inner.X.Pos(), Name: fmt.Sprintf("%sПоле%d", nf.Table.Last().Name, k+1)}
					}
					if g.st.inSection == nil {
						g.st.inSection = map[ast.Expr]*ast.Path{}
					}
					g.st.inSection[inner.X] = nf.Table
					out = append(out, &ast.Field{X: inner.X, Alias: alias})
					continue
				}
				own := p.Parts
				var parts []*ast.Ident
				switch {
				case hasPrefixPath(own, nf.Table.Parts):
					// Док.Товары.(Док.Товары.Количество): the section's path
					// qualifies its own fields.
					parts = own
					own = own[len(nf.Table.Parts):]
				case len(own) > 1 && strings.EqualFold(own[0].Name, nf.Table.Last().Name):
					own = own[1:] // Товары.(Товары.Количество): the section's name may qualify its fields
					parts = append(append([]*ast.Ident{}, nf.Table.Parts...), own...)
				case len(own) > 1 && sc.hasSource(own[0].Name):
					// Док.Товары.(Номенклатура, Док.Склад): a field of the
					// owner (or of another table) beside the row's.
					parts = own
				default:
					parts = append(append([]*ast.Ident{}, nf.Table.Parts...), own...)
				}
				if len(own) == 0 {
					own = parts
				}
				alias := inner.Alias
				if alias == nil {
					alias = &ast.Ident{NamePos: p.Pos(), Name: nf.Table.Last().Name + own[len(own)-1].Name}
				}
				out = append(out, &ast.Field{X: &ast.Path{Parts: parts}, Alias: alias})
			}
			continue
		}
		star, ok := f.X.(*ast.Star)
		if !ok {
			out = append(out, f)
			continue
		}
		var srcs []*tableOccurrence
		if star.Qualifier == nil {
			srcs = sc.sources
		} else {
			for _, src := range sc.sources {
				if src.name == strings.ToLower(star.Qualifier.String()) {
					srcs = append(srcs, src)
				}
			}
			if len(srcs) == 0 {
				g.errorf(star, "%s is not a table of the query", star.Qualifier)
				continue
			}
		}
		for _, src := range srcs {
			for _, name := range starFields(src) {
				parts := []*ast.Ident{{NamePos: star.Pos(), Name: name}}
				if src.name != "" {
					parts = append([]*ast.Ident{{NamePos: star.Pos(), Name: src.name}}, parts...)
				}
				out = append(out, &ast.Field{X: &ast.Path{Parts: parts}, Alias: &ast.Ident{NamePos: star.Pos(), Name: name}})
			}
		}
	}
	return out
}

// starFields lists the fields * gives for an occurrence.
func starFields(src *tableOccurrence) []string {
	if src.virt != nil {
		return src.virt.order
	}
	var names []string
	if src.sec != nil {
		names = append(names, "Ссылка", "НомерСтроки")
		for _, a := range src.sec.Section.Attributes {
			names = append(names, a.Name)
		}
		return names
	}
	o := src.obj.Object
	for _, a := range o.StandardAttributes() {
		if a.Name == "ВерсияДанных" {
			continue
		}
		names = append(names, a.Name)
	}
	for _, a := range o.Attributes {
		names = append(names, a.Name)
	}
	return names
}

// sectionScope is the scope of an expression of a tabular section's list:
// the section's rows (joined to their owner as Док.Товары.Поле joins
// them) first, then the query's own sources.
func (g *gen) sectionScope(table *ast.Path, sc *scope) *scope {
	parts := append(append([]*ast.Ident{}, table.Parts...), &ast.Ident{NamePos: table.Pos(), Name: "НомерСтроки"})
	v := g.path(&ast.Path{Parts: parts}, sc)
	if v.from == nil || v.from.sec == nil {
		return sc // the error is reported at the section's name
	}
	return &scope{sources: []*tableOccurrence{v.from}, parent: sc}
}

// hasPrefixPath reports whether path starts with prefix, names compared
// without regard to case.
func hasPrefixPath(path, prefix []*ast.Ident) bool {
	if len(path) <= len(prefix) {
		return false
	}
	for i, p := range prefix {
		if !strings.EqualFold(path[i].Name, p.Name) {
			return false
		}
	}
	return true
}

// hasSource reports whether a table of the scope or an enclosing one goes
// by the alias.
func (sc *scope) hasSource(alias string) bool {
	for in := sc; in != nil; in = in.parent {
		for _, s := range in.sources {
			if s.name == strings.ToLower(alias) {
				return true
			}
		}
	}
	return false
}

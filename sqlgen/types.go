package sqlgen

import (
	"strconv"
	"strings"

	"dostup/metadata"
	"dostup/sdbl/ast"
)

// typeText names a type for messages; an unknown one is any reference.
func typeText(t metadata.Type) string {
	if len(t) == 0 {
		return "ЛюбаяСсылка"
	}
	return t.String()
}

func isString(t metadata.Type) bool { return len(t) == 1 && t[0].Primitive == metadata.String }

// cast compiles ВЫРАЗИТЬ(x КАК Тип): to a table of references, the value if
// it is of that type (for a composite, its reference part when the tag
// names that type) and NULL otherwise; to a primitive, the value in that
// type's column form.
func (g *gen) cast(x *ast.CastExpr, sc *scope) val {
	v := g.expr(x.X, sc)
	var spec metadata.TypeSpec
	if len(x.Type.Name.Parts) == 2 && g.c.Config.Object(x.Type.Name.String()) != nil {
		spec = metadata.TypeSpec{Primitive: metadata.Ref, Object: g.c.Config.Object(x.Type.Name.String()).FullName(false)}
	} else {
		text := x.Type.Name.String()
		if len(x.Type.Args) > 0 {
			var args []string
			for _, a := range x.Type.Args {
				args = append(args, a.Value)
			}
			text += "(" + strings.Join(args, ", ") + ")"
		}
		var err error
		if spec, err = metadata.ParseTypeSpec(text); err != nil {
			g.errorf(x.Type, "%v", err)
			return val{sql: "NULL"}
		}
	}
	typ := metadata.Type{spec}
	if spec.Primitive == metadata.Ref {
		if g.c.Config.Object(spec.Object) == nil {
			g.errorf(x.Type, "%s is not in the configuration", spec.Object)
			return val{sql: "NULL"}
		}
		switch {
		case v.comp:
			return val{sql: "CASE WHEN " + v.tag + " = " + g.bind(Arg{Value: spec.Object}) + " THEN " + v.sql + " END", typ: typ, from: v.from}
		case len(v.typ) == 1 && v.typ[0].Primitive == metadata.Ref && v.typ[0].Object == spec.Object:
			v.typ = typ
			return v
		case len(v.typ) == 0 && !v.undefined && v.sql != "NULL":
			// A parameter: its value, when the table of that type holds it.
			ref := g.c.Dialect.Cast(v.sql, ColumnType{Kind: UUID})
			return val{sql: "CASE WHEN " + g.heldBy(spec, ref) + " THEN " + ref + " END", typ: typ}
		}
		return val{sql: "NULL", typ: typ}
	}
	if v.comp {
		if p, ok := v.parts[partKind(spec)]; ok {
			return val{sql: "CASE WHEN " + v.tag + " = " + g.bind(Arg{Value: TypeTag(spec)}) + " THEN " + p + " END", typ: typ}
		}
		return val{sql: "NULL", typ: typ}
	}
	ct := columnType(spec)
	if spec.Primitive == metadata.String && spec.Length > 0 {
		return val{sql: g.c.Dialect.Cast("SUBSTR("+v.sql+", 1, "+strconv.Itoa(spec.Length)+")", ct), typ: typ}
	}
	return val{sql: g.c.Dialect.Cast(v.sql, ct), typ: typ}
}

// typeSpec resolves the name of a type in ТИП(...) and ССЫЛКА: a table of
// references (Справочник.X) or a primitive (Строка, Число, Булево, Дата).
func (g *gen) typeSpec(t *ast.TypeRef) (metadata.TypeSpec, bool) {
	name := t.Name.String()
	if len(t.Name.Parts) == 2 {
		if o := g.c.Config.Object(name); o != nil {
			return metadata.TypeSpec{Primitive: metadata.Ref, Object: o.FullName(false)}, true
		}
	}
	spec, err := metadata.ParseTypeSpec(name)
	if err != nil {
		g.errorf(t, "%s is not a type of the configuration", name)
		return spec, false
	}
	if spec.Primitive == metadata.Ref && g.c.Config.Object(spec.Object) == nil {
		g.errorf(t, "%s is not in the configuration", name)
		return spec, false
	}
	return spec, true
}

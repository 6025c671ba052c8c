// Package explain says why a user may or may not exercise a right on an
// object, and on one record: which of the user's roles grant the right,
// each role's restriction as written (with its place), as the user's
// session reads it after templates and the preprocessor, the SQL it
// becomes, and, for a record, which smallest part of each restriction the
// record fails, with the values compared. The answer is a tree of nodes,
// as OPA's explain output and Cerbos' decision traces are, for dostup
// explain and GET /api/v1/explain.
package explain

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"dostup/infobase"
	"dostup/metadata"
	"dostup/metadata/vocab"
	"dostup/rls"
	"dostup/sdbl/ast"
	"dostup/sdbl/token"
)

// Node kinds of a trace. They are part of dostup's interface.
const (
	KindDecision    = "decision"    // the root: the user, the right, the object and record
	KindRole        = "role"        // a role of the user that grants the right
	KindRestriction = "restriction" // one restriction of the role, as written
	KindAnd         = "and"         // И: true when every child is
	KindOr          = "or"          // ИЛИ: true when a child is
	KindNot         = "not"         // НЕ
	KindCondition   = "condition"   // any other part of a condition: a comparison, В, ПОДОБНО, a nested query ...
)

// Node is one step of an explanation. Its JSON names are part of dostup's
// interface (docs/explain.md).
type Node struct {
	Kind string `json:"kind"`
	// Text is what the node stands for: a sentence for the decision and a
	// role, the text of a restriction or of a part of its condition.
	Text string `json:"text"`
	// Place is where the text was written (file:line:col).
	Place string `json:"place,omitempty"`
	// Value is the node's truth for the record: absent without a record,
	// and when SQL cannot tell (Unknown).
	Value   *bool `json:"value,omitempty"`
	Unknown bool  `json:"unknown,omitempty"`
	// Detail says why, in words: the values compared, what a role grants.
	Detail string `json:"detail,omitempty"`
	// Expanded is a restriction's text after templates and the
	// preprocessor for the user's session; SQL what it becomes in queries.
	Expanded string `json:"expanded,omitempty"`
	SQL      string `json:"sql,omitempty"`
	// Fields are the fields a Чтение restriction is for (empty: the whole
	// record).
	Fields   []string `json:"fields,omitempty"`
	Children []*Node  `json:"children,omitempty"`
}

// Request names what to explain.
type Request struct {
	User   string
	Right  string // in Russian or English: Чтение, Read, Изменение ...
	Object string // Справочник.Контрагенты
	// Record is a reference (the record's id) of a reference object, or
	// "" to explain the right on the object as a whole.
	Record string
}

// Explanation is the answer.
type Explanation struct {
	User   string `json:"user"`
	Right  string `json:"right"`
	Object string `json:"object"`
	Record string `json:"record,omitempty"`
	// Allowed: some role grants the right and, with a record, the record
	// passes one granting role's restrictions.
	Allowed bool `json:"allowed"`
	// Params are the session's parameters the restrictions read, as
	// presented to people.
	Params map[string]string `json:"params,omitempty"`
	Trace  *Node             `json:"trace"`
}

// Explain explains a request on an infobase. The user's session is
// started as for any query (its parameters computed) and logs nothing.
func Explain(ctx context.Context, ib *infobase.Infobase, req Request) (*Explanation, error) {
	right, ok := vocab.ParseRight(req.Right)
	if !ok {
		return nil, fmt.Errorf("%q is not a right (Чтение, Добавление, Изменение, Удаление, ...)", req.Right)
	}
	obj := ib.Config.Object(req.Object)
	if obj == nil {
		return nil, fmt.Errorf("the configuration has no object %s (write Справочник.Имя)", req.Object)
	}
	if req.Record != "" && !obj.Kind.IsReference() {
		return nil, fmt.Errorf("%s has no references: --record names a record of a catalog, document, chart or other reference object", obj.FullName(false))
	}
	s, err := ib.NewSession(ctx, req.User, infobase.SessionOptions{})
	if err != nil {
		return nil, err
	}
	e := &explainer{ctx: ctx, ib: ib, s: s, obj: obj, right: right, record: req.Record}
	return e.explain()
}

type explainer struct {
	ctx    context.Context
	ib     *infobase.Infobase
	s      *infobase.Session
	obj    *metadata.Object
	right  vocab.Right
	record string
	params map[string]string // the parameters read, for the answer
	// presented is the record's presentation, for sentences.
	presented string
}

func (e *explainer) explain() (*Explanation, error) {
	name := e.obj.FullName(false)
	rightName := metadata.RightName(string(e.right), false)
	out := &Explanation{User: e.s.User(), Right: rightName, Object: name, Record: e.record}
	root := &Node{Kind: KindDecision}
	out.Trace = root
	what := name
	if e.record != "" {
		res, err := e.ib.Query(e.ctx, fmt.Sprintf("ВЫБРАТЬ 1 ИЗ %s КАК Т ГДЕ Т.Ссылка = &З", name), map[string]any{"З": e.record})
		if err != nil {
			return nil, err
		}
		if len(res.Rows) == 0 {
			return nil, fmt.Errorf("%s %s: %w", name, e.record, infobase.ErrNoRecord)
		}
		e.presented = e.presentation(e.record)
		what = fmt.Sprintf("%s %s", name, e.presented)
	}
	grants, err := e.grants()
	if err != nil {
		return nil, err
	}
	if len(grants) == 0 {
		root.Text = fmt.Sprintf("%s may not %s %s", e.s.User(), verb(e.right), what)
		root.Detail = fmt.Sprintf("none of %s's roles (%s) grants %s on %s", e.s.User(), strings.Join(e.s.Roles(), ", "), rightName, name)
		root.Value = boolPtr(false)
		return out, nil
	}
	allowed := false
	for _, g := range grants {
		n, passes, err := e.role(g)
		if err != nil {
			return nil, err
		}
		root.Children = append(root.Children, n)
		allowed = allowed || passes
	}
	out.Allowed = allowed
	root.Value = boolPtr(allowed)
	verdict := "may"
	if !allowed {
		verdict = "may not"
	}
	root.Text = fmt.Sprintf("%s %s %s %s", e.s.User(), verdict, verb(e.right), what)
	switch {
	case e.record == "" && allowed:
		root.Detail = "some of the records: each role's restrictions below select them"
		if anyUnrestricted(grants) {
			root.Detail = "every record: a role grants the right without a restriction"
		}
	case allowed:
		root.Detail = "the record passes the restrictions of a role that grants the right"
	default:
		root.Detail = "the record fails the restrictions of every role that grants the right: each role below shows the part it fails"
	}
	if len(e.params) > 0 {
		out.Params = e.params
	}
	return out, nil
}

// grants are the session's roles granting the right, with their
// restrictions as the session reads them.
func (e *explainer) grants() ([]rls.RoleGrant, error) {
	if !e.right.Restrictable() {
		var out []rls.RoleGrant
		for _, r := range e.s.Roles() {
			if role := e.ib.Config.Role(r); role != nil {
				if or := role.ObjectRights(e.ib.Config, e.obj.FullName(false)); or != nil && or.Has(string(e.right)) {
					out = append(out, rls.RoleGrant{Role: role.Name})
				}
			}
		}
		return out, nil
	}
	return e.s.Access().Grants(e.obj.FullName(false), e.right)
}

func anyUnrestricted(grants []rls.RoleGrant) bool {
	for _, g := range grants {
		if len(g.Conditions) == 0 {
			return true
		}
	}
	return false
}

// role explains one granting role: its restrictions, and whether the
// record passes them.
func (e *explainer) role(g rls.RoleGrant) (*Node, bool, error) {
	n := &Node{Kind: KindRole, Text: "role " + g.Role}
	if len(g.Conditions) == 0 {
		n.Detail = fmt.Sprintf("grants %s on every record: no restriction", metadata.RightName(string(e.right), false))
		n.Value = boolPtr(true)
		return n, true, nil
	}
	written := e.written(g.Role)
	passes := true
	decided := false
	for i, c := range g.Conditions {
		rn := &Node{Kind: KindRestriction, Fields: c.Fields}
		if i < len(written) {
			rn.Text = strings.TrimSpace(written[i].Condition.Text)
			// An imported role's restriction is placed where its author
			// wrote it, in the dump; dostup's own in its YAML.
			rn.Place = written[i].Origin
			if rn.Place == "" {
				rn.Place = written[i].Condition.Position(0).String()
			}
		}
		rn.Expanded = strings.TrimSpace(c.Text.Body)
		if rn.Text == "" {
			rn.Text = rn.Expanded
		}
		if c.Tree == nil {
			rn.Detail = "the session is refused: " + c.Message
			rn.Value = boolPtr(false)
			n.Children = append(n.Children, rn)
			passes, decided = false, true
			continue
		}
		e.note(c)
		if sql, err := e.s.RestrictionSQL(e.obj.FullName(false), c); err == nil {
			rn.SQL = sql
		}
		if e.record != "" {
			v, err := e.s.ConditionOn(e.ctx, e.obj.FullName(false), c, e.record)
			if err != nil {
				return nil, false, err
			}
			setValue(rn, v)
			if len(c.Fields) == 0 {
				// The restriction of the whole record decides whether the
				// user reaches it; those of fields only hide the fields.
				decided = true
				passes = passes && v != nil && *v
			}
			if v == nil || !*v {
				rn.Children = []*Node{e.condition(c, c.Tree.Where)}
			}
		}
		n.Children = append(n.Children, rn)
	}
	switch {
	case e.record == "":
		n.Detail = "grants the records its restrictions select"
	case !decided:
		n.Detail = "grants every record: its restrictions are of fields only"
		passes = true
	case passes:
		n.Detail = "the record passes its restriction"
	default:
		n.Detail = "the record fails its restriction"
	}
	if e.record != "" {
		n.Value = boolPtr(passes)
	}
	return n, e.record == "" || passes, nil
}

// written are a role's restrictions of the right on the object as its file
// has them, in the order the session's conditions come in.
func (e *explainer) written(role string) []*metadata.Restriction {
	r := e.ib.Config.Role(role)
	if r == nil {
		return nil
	}
	or := r.ObjectRights(e.ib.Config, e.obj.FullName(false))
	if or == nil {
		return nil
	}
	var out []*metadata.Restriction
	for _, x := range or.Restrictions {
		if xr, ok := vocab.ParseRight(x.Right); ok && xr == e.right {
			out = append(out, x)
		}
	}
	return out
}

// condition explains the part of a condition a record does not satisfy,
// down to the smallest such part: an И's false operands, an ИЛИ's
// operands (all false), the operand of НЕ; any other expression is a leaf,
// shown with the values it compares.
func (e *explainer) condition(c rls.Condition, x ast.Expr) *Node {
	if x == nil {
		return &Node{Kind: KindCondition, Text: "(no condition)", Value: boolPtr(true)}
	}
	if p, ok := x.(*ast.ParenExpr); ok {
		return e.condition(c, p.X) // the parentheses say nothing of their own
	}
	n := &Node{Text: textOf(c, x), Place: c.Text.Locate(int(x.Pos())).Position().String()}
	v, err := e.part(c, x)
	if err != nil {
		n.Kind = KindCondition
		n.Detail = "not evaluated alone: " + err.Error()
		return n
	}
	setValue(n, v)
	switch t := x.(type) {
	case *ast.BinaryExpr:
		if t.Op == token.IDENT && (t.Kw == token.And || t.Kw == token.Or) {
			n.Kind = KindAnd
			if t.Kw == token.Or {
				n.Kind = KindOr
			}
			for _, operand := range flatten(t, t.Kw) {
				ov, err := e.part(c, operand)
				if err == nil && ov != nil && *ov && n.Kind == KindAnd {
					child := &Node{Kind: KindCondition, Text: textOf(c, operand), Value: ov,
						Place: c.Text.Locate(int(operand.Pos())).Position().String()}
					n.Children = append(n.Children, child)
					continue
				}
				n.Children = append(n.Children, e.condition(c, operand))
			}
			return n
		}
	case *ast.UnaryExpr:
		if t.Not {
			n.Kind = KindNot
			n.Children = []*Node{e.leaf(c, t.X)}
			return n
		}
	}
	n.Kind = KindCondition
	n.Detail = e.values(c, x, v)
	return n
}

// leaf is a node for a part of a condition without going further down.
func (e *explainer) leaf(c rls.Condition, x ast.Expr) *Node {
	n := &Node{Kind: KindCondition, Text: textOf(c, x), Place: c.Text.Locate(int(x.Pos())).Position().String()}
	if v, err := e.part(c, x); err == nil {
		setValue(n, v)
		n.Detail = e.values(c, x, v)
	}
	return n
}

// flatten lists the operands of a chain of И (or of ИЛИ).
func flatten(x ast.Expr, kw token.Keyword) []ast.Expr {
	if p, ok := x.(*ast.ParenExpr); ok {
		if b, ok := p.X.(*ast.BinaryExpr); ok && b.Op == token.IDENT && b.Kw == kw {
			return flatten(b, kw)
		}
	}
	if b, ok := x.(*ast.BinaryExpr); ok && b.Op == token.IDENT && b.Kw == kw {
		return append(flatten(b.X, kw), flatten(b.Y, kw)...)
	}
	return []ast.Expr{x}
}

// part evaluates one part of a condition on the record: the restriction
// with the part as its whole condition.
func (e *explainer) part(c rls.Condition, x ast.Expr) (*bool, error) {
	tree := *c.Tree
	tree.Where = x
	sub := c
	sub.Tree = &tree
	return e.s.ConditionOn(e.ctx, e.obj.FullName(false), sub, e.record)
}

// values says what a comparison compares for the record: "the record's
// Организация is ООО Лютик, &Организация is ООО Ромашка". It asks a query
// with full rights for the presentation of each side; a side it cannot
// present (a nested query, a restriction of joined tables) is left out.
func (e *explainer) values(c rls.Condition, x ast.Expr, v *bool) string {
	truth := "true"
	switch {
	case v == nil:
		truth = "unknown (NULL)"
	case !*v:
		truth = "false"
	}
	b, ok := x.(*ast.BinaryExpr)
	if !ok || len(c.Tree.From) > 0 {
		return truth
	}
	var sides []string
	for _, side := range []ast.Expr{b.X, b.Y} {
		if shown, ok := e.present(c, side); ok {
			sides = append(sides, shown)
		}
	}
	if len(sides) == 0 {
		return truth
	}
	return truth + ": " + strings.Join(sides, ", ")
}

// present is one side of a comparison with its value for the record.
func (e *explainer) present(c rls.Condition, side ast.Expr) (string, bool) {
	text := textOf(c, side)
	switch t := side.(type) {
	case *ast.Param:
		val, ok := e.paramPresentation(t.Name)
		if !ok {
			return "", false
		}
		return fmt.Sprintf("&%s is %s", t.Name, val), true
	case *ast.Literal, *ast.Constant:
		return "", false
	}
	alias := e.obj.Name
	if c.Tree.Alias != nil {
		alias = c.Tree.Alias.String()
	}
	q := fmt.Sprintf("ВЫБРАТЬ ПРЕДСТАВЛЕНИЕ(%s) ИЗ %s КАК %s ГДЕ %s.Ссылка = &ЗаписьОбъяснения", text, e.obj.FullName(false), alias, alias)
	params := e.sessionParams()
	params["ЗаписьОбъяснения"] = e.record
	res, err := e.ib.Query(e.ctx, q, params)
	if err != nil || len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		return "", false
	}
	return fmt.Sprintf("the record's %s is %s", text, shownValue(res.Rows[0][0])), true
}

// paramPresentation is a session parameter's value as people read it.
func (e *explainer) paramPresentation(name string) (string, bool) {
	v, ok := e.s.Param(name)
	if !ok {
		return "", false
	}
	shown := shownValue(v)
	if id, isString := v.(string); isString && looksLikeRef(id) {
		if table := e.refTable(name); table != "" {
			shown = e.presentationIn(table, id)
		}
	}
	if e.params == nil {
		e.params = map[string]string{}
	}
	e.params[name] = shown
	return shown, true
}

// refTable is the object a session parameter references, when its type is
// one reference type.
func (e *explainer) refTable(name string) string {
	for _, p := range e.ib.Config.SessionParameters {
		if strings.EqualFold(p.Name, name) && len(p.Type) == 1 && p.Type[0].Primitive == metadata.Ref && p.Type[0].Object != "" {
			return p.Type[0].Object
		}
	}
	return ""
}

// presentationIn is the presentation of a record of a table, or its
// reference when there is none.
func (e *explainer) presentationIn(table, id string) string {
	res, err := e.ib.Query(e.ctx, fmt.Sprintf("ВЫБРАТЬ ПРЕДСТАВЛЕНИЕ(Т.Ссылка) ИЗ %s КАК Т ГДЕ Т.Ссылка = &З", table), map[string]any{"З": id})
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] == nil {
		return id
	}
	return shownValue(res.Rows[0][0])
}

// note records the session parameters a condition reads, for the answer.
func (e *explainer) note(c rls.Condition) {
	ast.Inspect(c.Tree, func(n ast.Node) bool {
		if p, ok := n.(*ast.Param); ok {
			e.paramPresentation(p.Name)
		}
		return true
	})
}

// sessionParams are the session's parameters as query parameters.
func (e *explainer) sessionParams() map[string]any {
	out := map[string]any{}
	for _, name := range e.s.ParamNames() {
		if v, ok := e.s.Param(name); ok {
			out[name] = v
		}
	}
	return out
}

// presentation is a record's presentation, or its reference.
func (e *explainer) presentation(ref string) string {
	shown := e.presentationIn(e.obj.FullName(false), ref)
	if shown == ref {
		return ref
	}
	return "«" + shown + "»"
}

// textOf is the text of a part of a condition.
func textOf(c rls.Condition, x ast.Node) string {
	from, to := int(x.Pos()), int(x.End())
	if from < 0 || to > len(c.Text.Body) || from >= to {
		return ""
	}
	return strings.Join(strings.Fields(c.Text.Body[from:to]), " ")
}

func setValue(n *Node, v *bool) {
	if v == nil {
		n.Unknown = true
		return
	}
	n.Value = boolPtr(*v)
}

func boolPtr(b bool) *bool { return &b }

// shownValue is a value as a sentence shows it.
func shownValue(v any) string {
	switch t := v.(type) {
	case nil:
		return "NULL"
	case infobase.Ref:
		if t.Presentation != "" {
			return t.Presentation
		}
		return t.ID
	case *infobase.Ref:
		return shownValue(*t)
	case string:
		if t == "" {
			return "an empty string"
		}
		return t
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = shownValue(x)
		}
		sort.Strings(parts)
		return "(" + strings.Join(parts, ", ") + ")"
	}
	return fmt.Sprint(v)
}

// looksLikeRef tells a reference's id (a UUID) from other strings.
func looksLikeRef(s string) bool {
	return len(s) == 36 && strings.Count(s, "-") == 4
}

// verb is what a right lets a user do, for sentences.
func verb(r vocab.Right) string {
	switch r {
	case vocab.Read:
		return "read"
	case vocab.Insert:
		return "add"
	case vocab.Update:
		return "change"
	case vocab.Delete:
		return "delete"
	}
	return "use " + metadata.RightName(string(r), false) + " on"
}

// ResolveRecord finds the reference of a record of a reference object
// given either as its reference (an id) or as its presentation (a
// catalog's Наименование, a document's number and date, as 1C shows it):
// the one record with that presentation, else an error that says how many
// there are.
func ResolveRecord(ctx context.Context, ib *infobase.Infobase, object, ref string) (string, error) {
	obj := ib.Config.Object(object)
	if obj == nil {
		return "", fmt.Errorf("the configuration has no object %s (write Справочник.Имя)", object)
	}
	if !obj.Kind.IsReference() {
		return "", fmt.Errorf("%s has no references: --record names a record of a catalog, document, chart or other reference object", obj.FullName(false))
	}
	if looksLikeRef(ref) {
		return ref, nil
	}
	res, err := ib.Query(ctx, fmt.Sprintf("ВЫБРАТЬ ПЕРВЫЕ 3 Т.Ссылка ИЗ %s КАК Т ГДЕ ПРЕДСТАВЛЕНИЕ(Т.Ссылка) = &П", obj.FullName(false)), map[string]any{"П": ref})
	if err != nil {
		return "", err
	}
	switch len(res.Rows) {
	case 0:
		return "", fmt.Errorf("%s has no record %q (give its reference, or its presentation as 1C shows it)", obj.FullName(false), ref)
	case 1:
		switch v := res.Rows[0][0].(type) {
		case infobase.Ref:
			return v.ID, nil
		case *infobase.Ref:
			return v.ID, nil
		case string:
			return v, nil
		}
		return "", fmt.Errorf("%s %q: its reference is not readable", obj.FullName(false), ref)
	}
	return "", fmt.Errorf("%s has several records %q: give the reference of the one to explain", obj.FullName(false), ref)
}

package ast

import "fmt"

// Visitor's Visit is called for each node Walk meets; if it returns a
// non-nil visitor w, Walk visits the node's children with w, then calls
// w.Visit(nil).
type Visitor interface {
	Visit(node Node) (w Visitor)
}

// Walk traverses the tree depth-first. It panics on a node type it does not
// know, so that a node kind added without walking support fails every test
// that walks a tree containing it.
func Walk(v Visitor, node Node) {
	if v = v.Visit(node); v == nil {
		return
	}
	walkExpr := func(x Expr) {
		if x != nil {
			Walk(v, x)
		}
	}
	switch n := node.(type) {
	case *Ident, *Literal, *Constant, *Param:
	case *Path:
		for _, p := range n.Parts {
			Walk(v, p)
		}
	case *Star:
		if n.Qualifier != nil {
			Walk(v, n.Qualifier)
		}
	case *ParenExpr:
		Walk(v, n.X)
	case *TupleExpr:
		for _, x := range n.List {
			Walk(v, x)
		}
	case *SubqueryExpr:
		Walk(v, n.Query)
	case *UnaryExpr:
		Walk(v, n.X)
	case *BinaryExpr:
		Walk(v, n.X)
		Walk(v, n.Y)
	case *InExpr:
		Walk(v, n.X)
		Walk(v, n.List)
	case *BetweenExpr:
		Walk(v, n.X)
		Walk(v, n.Lo)
		Walk(v, n.Hi)
	case *LikeExpr:
		Walk(v, n.X)
		Walk(v, n.Pattern)
		walkExpr(n.Escape)
	case *IsNullExpr:
		Walk(v, n.X)
	case *RefsExpr:
		Walk(v, n.X)
		Walk(v, n.Table)
	case *CaseExpr:
		walkExpr(n.Operand)
		for _, w := range n.Whens {
			Walk(v, w.Cond)
			Walk(v, w.Result)
		}
		walkExpr(n.Else)
	case *CallExpr:
		Walk(v, n.Fun)
		for _, a := range n.Args {
			Walk(v, a)
		}
	case *ValueExpr:
		Walk(v, n.Name)
	case *TypeExpr:
		Walk(v, n.Type)
	case *CastExpr:
		Walk(v, n.X)
		Walk(v, n.Type)
	case *TypeRef:
		Walk(v, n.Name)
		for _, a := range n.Args {
			Walk(v, a)
		}
	case *NestedFields:
		Walk(v, n.Table)
		for _, f := range n.Fields {
			Walk(v, f)
		}
	case *FieldAccess:
		Walk(v, n.X)
		for _, f := range n.Fields {
			Walk(v, f)
		}
	case *ParamSource:
		Walk(v, n.Param)
		if n.Alias != nil {
			Walk(v, n.Alias)
		}
	case *TableSource:
		Walk(v, n.Name)
		for _, p := range n.Params {
			walkExpr(p)
		}
		if n.Alias != nil {
			Walk(v, n.Alias)
		}
	case *SubquerySource:
		Walk(v, n.Query)
		if n.Alias != nil {
			Walk(v, n.Alias)
		}
	case *JoinSource:
		Walk(v, n.Left)
		Walk(v, n.Right)
		Walk(v, n.On)
	case *Field:
		Walk(v, n.X)
		if n.Alias != nil {
			Walk(v, n.Alias)
		}
	case *OrderItem:
		Walk(v, n.X)
	case *Select:
		if n.Top != nil {
			Walk(v, n.Top)
		}
		for _, f := range n.Fields {
			Walk(v, f)
		}
		if n.Into != nil {
			Walk(v, n.Into)
		}
		for _, s := range n.From {
			Walk(v, s)
		}
		walkExpr(n.Where)
		for _, g := range n.GroupBy {
			Walk(v, g)
		}
		walkExpr(n.Having)
		for _, t := range n.ForUpdateTables {
			Walk(v, t)
		}
		for _, x := range n.IndexBy {
			Walk(v, x)
		}
	case *UnionPart:
		Walk(v, n.Select)
	case *TotalsItem:
		walkExpr(n.X)
		for _, p := range n.Periods {
			walkExpr(p)
		}
		if n.Alias != nil {
			Walk(v, n.Alias)
		}
	case *Totals:
		for _, f := range n.Fields {
			Walk(v, f)
		}
		for _, b := range n.By {
			Walk(v, b)
		}
	case *Query:
		Walk(v, n.Select)
		for _, u := range n.Unions {
			Walk(v, u)
		}
		for _, o := range n.OrderBy {
			Walk(v, o)
		}
		if n.Totals != nil {
			Walk(v, n.Totals)
		}
	case *DropStatement:
		Walk(v, n.Table)
	case *Batch:
		for _, s := range n.Statements {
			Walk(v, s)
		}
	case *Restriction:
		if n.Alias != nil {
			Walk(v, n.Alias)
		}
		for _, s := range n.From {
			Walk(v, s)
		}
		walkExpr(n.Where)
	default:
		panic(fmt.Sprintf("ast.Walk: unexpected node type %T", n))
	}
	v.Visit(nil)
}

type inspector func(Node) bool

func (f inspector) Visit(node Node) Visitor {
	if f(node) {
		return f
	}
	return nil
}

// Inspect traverses the tree depth-first, calling f for each node; when f
// returns false the node's children are skipped. After the children, f is
// called with nil.
func Inspect(node Node, f func(Node) bool) {
	Walk(inspector(f), node)
}

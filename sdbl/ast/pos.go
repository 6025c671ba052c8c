package ast

import "dostup/sdbl/token"

// Pos and End of every node.

func (x *Ident) Pos() token.Pos    { return x.NamePos }
func (x *Ident) End() token.Pos    { return x.NamePos + token.Pos(len(x.Name)) }
func (x *Path) Pos() token.Pos     { return x.Parts[0].Pos() }
func (x *Path) End() token.Pos     { return x.Last().End() }
func (x *Literal) Pos() token.Pos  { return x.ValuePos }
func (x *Literal) End() token.Pos  { return x.EndPos }
func (x *Constant) Pos() token.Pos { return x.ValuePos }
func (x *Constant) End() token.Pos { return x.EndPos }
func (x *Param) Pos() token.Pos    { return x.AmpPos }
func (x *Param) End() token.Pos    { return x.AmpPos + token.Pos(1+len(x.Name)) }
func (x *Star) Pos() token.Pos {
	if x.Qualifier != nil {
		return x.Qualifier.Pos()
	}
	return x.StarPos
}
func (x *Star) End() token.Pos         { return x.StarPos + 1 }
func (x *ParenExpr) Pos() token.Pos    { return x.Lparen }
func (x *ParenExpr) End() token.Pos    { return x.Rparen + 1 }
func (x *TupleExpr) Pos() token.Pos    { return x.Lparen }
func (x *TupleExpr) End() token.Pos    { return x.Rparen + 1 }
func (x *SubqueryExpr) Pos() token.Pos { return x.Lparen }
func (x *SubqueryExpr) End() token.Pos { return x.Rparen + 1 }
func (x *UnaryExpr) Pos() token.Pos    { return x.OpPos }
func (x *UnaryExpr) End() token.Pos    { return x.X.End() }
func (x *BinaryExpr) Pos() token.Pos   { return x.X.Pos() }
func (x *BinaryExpr) End() token.Pos   { return x.Y.End() }
func (x *InExpr) Pos() token.Pos       { return x.X.Pos() }
func (x *InExpr) End() token.Pos       { return x.List.End() }
func (x *BetweenExpr) Pos() token.Pos  { return x.X.Pos() }
func (x *BetweenExpr) End() token.Pos  { return x.Hi.End() }
func (x *LikeExpr) Pos() token.Pos     { return x.X.Pos() }
func (x *LikeExpr) End() token.Pos {
	if x.Escape != nil {
		return x.Escape.End()
	}
	return x.Pattern.End()
}
func (x *IsNullExpr) Pos() token.Pos   { return x.X.Pos() }
func (x *IsNullExpr) End() token.Pos   { return x.EndPos }
func (x *RefsExpr) Pos() token.Pos     { return x.X.Pos() }
func (x *RefsExpr) End() token.Pos     { return x.Table.End() }
func (x *CaseExpr) Pos() token.Pos     { return x.CasePos }
func (x *CaseExpr) End() token.Pos     { return x.EndPos }
func (x *CallExpr) Pos() token.Pos     { return x.Fun.Pos() }
func (x *CallExpr) End() token.Pos     { return x.Rparen + 1 }
func (x *ValueExpr) Pos() token.Pos    { return x.FunPos }
func (x *ValueExpr) End() token.Pos    { return x.Rparen + 1 }
func (x *TypeExpr) Pos() token.Pos     { return x.FunPos }
func (x *TypeExpr) End() token.Pos     { return x.Rparen + 1 }
func (x *CastExpr) Pos() token.Pos     { return x.FunPos }
func (x *CastExpr) End() token.Pos     { return x.Rparen + 1 }
func (x *NestedFields) Pos() token.Pos { return x.Table.Pos() }
func (x *NestedFields) End() token.Pos { return x.Rparen + 1 }
func (x *TypeRef) Pos() token.Pos      { return x.Name.Pos() }
func (x *TypeRef) End() token.Pos {
	if x.Rparen.IsValid() {
		return x.Rparen + 1
	}
	return x.Name.End()
}

func (x *FieldAccess) Pos() token.Pos { return x.X.Pos() }
func (x *FieldAccess) End() token.Pos { return x.Fields[len(x.Fields)-1].End() }
func (x *ParamSource) Pos() token.Pos { return x.Param.Pos() }
func (x *ParamSource) End() token.Pos {
	if x.Alias != nil {
		return x.Alias.End()
	}
	return x.Param.End()
}

func (x *TableSource) Pos() token.Pos { return x.Name.Pos() }
func (x *TableSource) End() token.Pos {
	switch {
	case x.Alias != nil:
		return x.Alias.End()
	case x.HasParams:
		return x.Rparen + 1
	}
	return x.Name.End()
}
func (x *SubquerySource) Pos() token.Pos { return x.Lparen }
func (x *SubquerySource) End() token.Pos {
	if x.Alias != nil {
		return x.Alias.End()
	}
	return x.Rparen + 1
}
func (x *JoinSource) Pos() token.Pos { return x.Left.Pos() }
func (x *JoinSource) End() token.Pos { return x.On.End() }

func (x *Field) Pos() token.Pos { return x.X.Pos() }
func (x *Field) End() token.Pos {
	if x.Alias != nil {
		return x.Alias.End()
	}
	return x.X.End()
}
func (x *OrderItem) Pos() token.Pos { return x.X.Pos() }
func (x *OrderItem) End() token.Pos { return x.EndPos }
func (x *Select) Pos() token.Pos    { return x.SelectPos }
func (x *Select) End() token.Pos    { return x.EndPos }
func (x *UnionPart) Pos() token.Pos { return x.UnionPos }
func (x *UnionPart) End() token.Pos { return x.Select.End() }
func (x *TotalsItem) Pos() token.Pos {
	if x.Overall {
		return x.OverallPos
	}
	return x.X.Pos()
}
func (x *TotalsItem) End() token.Pos    { return x.EndPos }
func (x *Totals) Pos() token.Pos        { return x.TotalsPos }
func (x *Totals) End() token.Pos        { return x.By[len(x.By)-1].End() }
func (x *Query) Pos() token.Pos         { return x.Select.Pos() }
func (x *Query) End() token.Pos         { return x.EndPos }
func (x *DropStatement) Pos() token.Pos { return x.DropPos }
func (x *DropStatement) End() token.Pos { return x.Table.End() }
func (x *Batch) Pos() token.Pos {
	if len(x.Statements) == 0 {
		return token.NoPos
	}
	return x.Statements[0].Pos()
}
func (x *Batch) End() token.Pos {
	if len(x.Statements) == 0 {
		return token.NoPos
	}
	return x.Statements[len(x.Statements)-1].End()
}
func (x *Restriction) Pos() token.Pos {
	switch {
	case x.Alias != nil:
		return x.Alias.Pos()
	case len(x.From) > 0:
		return x.From[0].Pos()
	case x.Where != nil:
		return x.Where.Pos()
	}
	return token.NoPos
}
func (x *Restriction) End() token.Pos { return x.EndPos }

func (*Ident) exprNode()        {}
func (*Path) exprNode()         {}
func (*Literal) exprNode()      {}
func (*Constant) exprNode()     {}
func (*Param) exprNode()        {}
func (*Star) exprNode()         {}
func (*ParenExpr) exprNode()    {}
func (*TupleExpr) exprNode()    {}
func (*SubqueryExpr) exprNode() {}
func (*UnaryExpr) exprNode()    {}
func (*BinaryExpr) exprNode()   {}
func (*InExpr) exprNode()       {}
func (*BetweenExpr) exprNode()  {}
func (*LikeExpr) exprNode()     {}
func (*IsNullExpr) exprNode()   {}
func (*RefsExpr) exprNode()     {}
func (*CaseExpr) exprNode()     {}
func (*CallExpr) exprNode()     {}
func (*ValueExpr) exprNode()    {}
func (*TypeExpr) exprNode()     {}
func (*CastExpr) exprNode()     {}
func (*NestedFields) exprNode() {}
func (*FieldAccess) exprNode()  {}

func (*TableSource) sourceNode()    {}
func (*ParamSource) sourceNode()    {}
func (*SubquerySource) sourceNode() {}
func (*JoinSource) sourceNode()     {}

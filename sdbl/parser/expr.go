package parser

import (
	"strings"

	"dostup/sdbl/ast"
	"dostup/sdbl/token"
)

// Expressions, loosest first: ИЛИ, И, НЕ, comparisons (= <> < > <= >=, В,
// МЕЖДУ, ПОДОБНО, ЕСТЬ NULL, ССЫЛКА), + -, * /, unary minus, primaries.

func (p *parser) parseExpr() ast.Expr {
	p.enter()
	defer p.leave()
	x := p.parseAnd()
	for p.is(token.Or) {
		pos := p.tok.Pos
		p.next()
		x = &ast.BinaryExpr{X: x, OpPos: pos, Op: token.IDENT, Kw: token.Or, Y: p.parseAnd()}
	}
	return x
}

func (p *parser) parseAnd() ast.Expr {
	x := p.parseNot()
	for p.is(token.And) {
		pos := p.tok.Pos
		p.next()
		x = &ast.BinaryExpr{X: x, OpPos: pos, Op: token.IDENT, Kw: token.And, Y: p.parseNot()}
	}
	return x
}

func (p *parser) parseNot() ast.Expr {
	if p.is(token.Not) {
		pos := p.tok.Pos
		p.next()
		p.enter()
		defer p.leave()
		return &ast.UnaryExpr{OpPos: pos, Op: token.IDENT, Not: true, X: p.parseNot()}
	}
	return p.parseComparison()
}

func comparisonOp(k token.Kind) bool {
	switch k {
	case token.EQ, token.NE, token.LT, token.GT, token.LE, token.GE:
		return true
	}
	return false
}

func (p *parser) parseComparison() ast.Expr {
	x := p.parseAdditive()
	for {
		switch {
		case comparisonOp(p.tok.Kind):
			// Comparisons chain left to right: real configurations write
			// А = Б = В and 1C accepts it.
			op, pos := p.tok.Kind, p.tok.Pos
			p.next()
			x = &ast.BinaryExpr{X: x, OpPos: pos, Op: op, Y: p.parseAdditive()}
		case p.is(token.Not) && (p.peek(1).Is(token.In) || p.peek(1).Is(token.Like) || p.peek(1).Is(token.Between)):
			p.next()
			x = p.parsePredicate(x, true)
		case p.is(token.In) || p.is(token.Like) || p.is(token.Between):
			x = p.parsePredicate(x, false)
		case p.is(token.Is):
			p.next()
			n := &ast.IsNullExpr{X: x}
			if p.got(token.Not) {
				n.Not = true
			}
			n.EndPos = p.tok.End
			p.expectKw(token.Null)
			x = n
		case p.is(token.Refs) && p.peek(1).Kind == token.IDENT && p.peek(2).Kind == token.DOT:
			// ССЫЛКА is also the commonest field name; it is the operator only
			// when a metadata name such as Справочник.Контрагенты follows.
			p.next()
			x = &ast.RefsExpr{X: x, Table: p.parsePath()}
		default:
			return x
		}
	}
}

// parsePredicate reads В, ПОДОБНО or МЕЖДУ after X (and after НЕ when not is set).
func (p *parser) parsePredicate(x ast.Expr, not bool) ast.Expr {
	switch {
	case p.is(token.In):
		p.next()
		in := &ast.InExpr{X: x, Not: not}
		if p.is(token.Hierarchy) || p.is(token.HierarchyTotals) {
			in.Hierarchy = true
			p.next()
		}
		in.List = p.parseInList()
		return in
	case p.is(token.Like):
		p.next()
		l := &ast.LikeExpr{X: x, Not: not, Pattern: p.parseAdditive()}
		if p.got(token.Escape) {
			l.Escape = p.parseAdditive()
		}
		return l
	default: // МЕЖДУ
		p.next()
		b := &ast.BetweenExpr{X: x, Not: not, Lo: p.parseAdditive()}
		p.expectKw(token.And)
		b.Hi = p.parseAdditive()
		return b
	}
}

func (p *parser) parseInList() ast.Expr {
	lp := p.tok.Pos
	if p.tok.Kind != token.LPAREN {
		p.errorExpected("'(' with a list of values or a nested query after В (IN)")
		return &ast.TupleExpr{Lparen: lp, Rparen: lp, List: []ast.Expr{p.badExpr()}}
	}
	p.next()
	if p.is(token.Select) {
		q := p.parseQuery()
		rp := p.expect(token.RPAREN, "')' closing the nested query")
		return &ast.SubqueryExpr{Lparen: lp, Query: q, Rparen: rp}
	}
	list := p.parseExprList()
	rp := p.expect(token.RPAREN, "')' closing the list of values")
	return &ast.TupleExpr{Lparen: lp, List: list, Rparen: rp}
}

func (p *parser) parseAdditive() ast.Expr {
	x := p.parseMultiplicative()
	for p.tok.Kind == token.PLUS || p.tok.Kind == token.MINUS {
		op, pos := p.tok.Kind, p.tok.Pos
		p.next()
		x = &ast.BinaryExpr{X: x, OpPos: pos, Op: op, Y: p.parseMultiplicative()}
	}
	return x
}

func (p *parser) parseMultiplicative() ast.Expr {
	x := p.parseUnary()
	for p.tok.Kind == token.STAR || p.tok.Kind == token.SLASH {
		op, pos := p.tok.Kind, p.tok.Pos
		p.next()
		x = &ast.BinaryExpr{X: x, OpPos: pos, Op: op, Y: p.parseUnary()}
	}
	return x
}

func (p *parser) parseUnary() ast.Expr {
	if p.tok.Kind == token.MINUS || p.tok.Kind == token.PLUS {
		op, pos := p.tok.Kind, p.tok.Pos
		p.next()
		p.enter()
		defer p.leave()
		return &ast.UnaryExpr{OpPos: pos, Op: op, X: p.parseUnary()}
	}
	return p.parsePrimary()
}

// badExpr stands for an expression that could not be read. It consumes the
// offending token unless that token starts a clause the caller will handle.
func (p *parser) badExpr() ast.Expr {
	pos := p.tok.Pos
	if !p.clauseStart() && p.tok.Kind != token.RPAREN && p.tok.Kind != token.COMMA {
		p.next()
	}
	return &ast.Constant{ValuePos: pos, EndPos: pos, Value: token.Null}
}

func (p *parser) parsePrimary() ast.Expr {
	t := p.tok
	switch t.Kind {
	case token.NUMBER, token.STRING:
		p.next()
		v := t.Lit
		if t.Kind == token.STRING {
			v = t.Value
		}
		return &ast.Literal{ValuePos: t.Pos, EndPos: t.End, Kind: t.Kind, Value: v}
	case token.PARAM:
		p.next()
		return &ast.Param{AmpPos: t.Pos, Name: t.Value}
	case token.STAR:
		p.next()
		return &ast.Star{StarPos: t.Pos}
	case token.LPAREN:
		p.next()
		if p.is(token.Select) {
			q := p.parseQuery()
			rp := p.expect(token.RPAREN, "')' closing the nested query")
			return &ast.SubqueryExpr{Lparen: t.Pos, Query: q, Rparen: rp}
		}
		x := p.parseExpr()
		if p.tok.Kind == token.COMMA {
			list := []ast.Expr{x}
			for p.tok.Kind == token.COMMA {
				p.next()
				list = append(list, p.parseExpr())
			}
			rp := p.expect(token.RPAREN, "')'")
			return &ast.TupleExpr{Lparen: t.Pos, List: list, Rparen: rp}
		}
		rp := p.expect(token.RPAREN, "')'")
		return &ast.ParenExpr{Lparen: t.Pos, X: x, Rparen: rp}
	case token.HASH:
		p.errorAt(t.Pos, "directive "+t.Lit+" is not part of the query language here: templates and #Если must be expanded first, and a literal # is written ## in a template")
		p.next()
		return &ast.Constant{ValuePos: t.Pos, EndPos: t.End, Value: token.Null}
	case token.IDENT:
		switch t.Keyword {
		case token.True, token.False, token.Null, token.Undefined:
			p.next()
			return &ast.Constant{ValuePos: t.Pos, EndPos: t.End, Value: t.Keyword}
		case token.Case:
			return p.parseCase()
		}
		if t.Keyword.Reserved() && !(p.peek(1).Kind == token.DOT && p.peek(2).Kind == token.IDENT) {
			// A reserved word followed by .Name is a table's alias that 1C
			// lets modules spell so (Итоги.Сумма).
			break
		}
		if !t.Keyword.Reserved() && p.peek(1).Kind == token.LPAREN {
			return p.parseCall()
		}
		first := &ast.Ident{NamePos: t.Pos, Name: t.Lit}
		p.next()
		path := p.parsePathRest(first)
		if p.tok.Kind == token.DOT {
			switch p.peek(1).Kind {
			case token.STAR:
				p.next()
				pos := p.tok.Pos
				p.next()
				return &ast.Star{Qualifier: path, StarPos: pos}
			case token.LPAREN:
				p.next()
				p.next()
				nf := &ast.NestedFields{Table: path}
				nf.Fields = p.parseFields()
				nf.Rparen = p.expect(token.RPAREN, "')' closing the list of tabular section fields")
				return nf
			}
		}
		return path
	}
	p.errorExpected("an expression")
	return p.badExpr()
}

func (p *parser) parseCase() ast.Expr {
	c := &ast.CaseExpr{CasePos: p.tok.Pos}
	p.next()
	if !p.is(token.When) {
		if p.tok.Kind == token.IDENT && p.tok.Keyword.Reserved() {
			p.errorExpected("КОГДА (WHEN) after ВЫБОР (CASE)")
		}
		c.Operand = p.parseExpr()
	}
	for p.is(token.When) {
		p.next()
		w := &ast.When{Cond: p.parseExpr()}
		p.expectKw(token.Then)
		w.Result = p.parseExpr()
		c.Whens = append(c.Whens, w)
	}
	if len(c.Whens) == 0 {
		p.errorExpected("КОГДА (WHEN)")
	}
	if p.got(token.Else) {
		c.Else = p.parseExpr()
	}
	c.EndPos = p.tok.End
	p.expectKw(token.End)
	return c
}

// Special forms written like calls.
func specialForm(name string) string {
	switch strings.ToLower(name) {
	case "значение", "value":
		return "value"
	case "тип", "type":
		return "type"
	case "выразить", "cast":
		return "cast"
	}
	return ""
}

func (p *parser) parseCall() ast.Expr {
	fun := &ast.Ident{NamePos: p.tok.Pos, Name: p.tok.Lit}
	p.next()
	lp := p.tok.Pos
	p.next() // (
	switch specialForm(fun.Name) {
	case "value":
		v := &ast.ValueExpr{FunPos: fun.NamePos}
		v.Name = p.parseMetaPath()
		v.Rparen = p.expect(token.RPAREN, "')' closing ЗНАЧЕНИЕ(...)")
		return v
	case "type":
		t := &ast.TypeExpr{FunPos: fun.NamePos, Type: p.parseTypeRef()}
		t.Rparen = p.expect(token.RPAREN, "')' closing ТИП(...)")
		return t
	case "cast":
		c := &ast.CastExpr{FunPos: fun.NamePos, X: p.parseExpr()}
		p.expectKw(token.As)
		c.Type = p.parseTypeRef()
		c.Rparen = p.expect(token.RPAREN, "')' closing ВЫРАЗИТЬ(...)")
		if p.tok.Kind == token.DOT && p.peek(1).Kind == token.IDENT {
			fa := &ast.FieldAccess{X: c}
			for p.tok.Kind == token.DOT && p.peek(1).Kind == token.IDENT {
				p.next()
				fa.Fields = append(fa.Fields, &ast.Ident{NamePos: p.tok.Pos, Name: p.tok.Lit})
				p.next()
			}
			return fa
		}
		return c
	}
	call := &ast.CallExpr{Fun: fun, Lparen: lp}
	if p.got(token.Distinct) {
		call.Distinct = true
	}
	if p.tok.Kind != token.RPAREN {
		call.Args = p.parseExprList()
	}
	call.Rparen = p.expect(token.RPAREN, "')' closing the arguments of "+fun.Name)
	return call
}

// parseMetaPath reads a metadata name such as Справочник.Валюты.ПустаяСсылка;
// any word may stand after a dot.
func (p *parser) parseMetaPath() *ast.Path {
	if p.tok.Kind != token.IDENT {
		p.errorExpected("a metadata name such as Справочник.Валюты.ПустаяСсылка")
		return &ast.Path{Parts: []*ast.Ident{{NamePos: p.tok.Pos, Name: "_"}}}
	}
	first := &ast.Ident{NamePos: p.tok.Pos, Name: p.tok.Lit}
	p.next()
	return p.parsePathRest(first)
}

func (p *parser) parseTypeRef() *ast.TypeRef {
	t := &ast.TypeRef{Name: p.parseMetaPath(), Rparen: token.NoPos}
	if p.tok.Kind == token.LPAREN {
		p.next()
		for p.tok.Kind == token.NUMBER {
			t.Args = append(t.Args, &ast.Literal{ValuePos: p.tok.Pos, EndPos: p.tok.End, Kind: token.NUMBER, Value: p.tok.Lit})
			p.next()
			if p.tok.Kind != token.COMMA {
				break
			}
			p.next()
		}
		t.Rparen = p.expect(token.RPAREN, "')' closing the type's length")
	}
	return t
}

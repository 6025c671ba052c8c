package parser

import (
	"fmt"
	"math"
	"strconv"

	"dostup/sdbl/ast"
	"dostup/sdbl/lexer"
	"dostup/sdbl/source"
	"dostup/sdbl/token"
)

// maxErrors is how many problems one text reports before the parser gives up.
const maxErrors = 10

// maxDepth bounds nesting of parentheses and subqueries, so a hostile text
// cannot exhaust the stack.
const maxDepth = 200

type bailout struct{}

type parser struct {
	text        source.Text
	toks        []token.Token
	i           int
	tok         token.Token
	errs        source.ErrorList
	depth       int
	lexing      bool // errors are only collected while the lexer runs
	lastErrLine int
}

func newParser(t source.Text) *parser {
	p := &parser{text: t, lastErrLine: -1}
	// The lexer runs before the parser's recover is in place, so its
	// problems are only collected: bailing out here would escape as a panic.
	p.lexing = true
	p.toks = lexer.All(t.Body, func(pos token.Pos, msg string) { p.errorAt(pos, msg) })
	p.lexing = false
	p.tok = p.toks[0]
	return p
}

// ParseQuery parses a batch of queries separated by ';'.
func ParseQuery(t source.Text) (*ast.Batch, error) {
	return run(t, &ast.Batch{}, (*parser).parseBatch)
}

// ParseRestriction parses a record-level restriction text.
func ParseRestriction(t source.Text) (*ast.Restriction, error) {
	return run(t, &ast.Restriction{}, (*parser).parseRestriction)
}

// ParseExpr parses a single expression.
func ParseExpr(t source.Text) (ast.Expr, error) {
	return run(t, nil, func(p *parser) ast.Expr {
		x := p.parseExpr()
		if p.tok.Kind != token.EOF {
			p.errorExpected("end of the expression")
		}
		return x
	})
}

// run parses t with parse. When the parser gives up after too many errors
// it returns empty (a tree with nothing in it) with the errors found so far.
func run[N any](t source.Text, empty N, parse func(*parser) N) (tree N, err error) {
	p := newParser(t)
	defer p.finish(&err)
	tree = empty
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
		}
	}()
	return parse(p), nil
}

// ParseQueryString parses a query written in a file or typed in, named name.
func ParseQueryString(name, text string) (*ast.Batch, error) {
	return ParseQuery(source.FromFile(source.NewFile(name, text)))
}

// ParseRestrictionString parses a restriction text named name.
func ParseRestrictionString(name, text string) (*ast.Restriction, error) {
	return ParseRestriction(source.FromFile(source.NewFile(name, text)))
}

func (p *parser) finish(err *error) {
	if len(p.errs) > 0 {
		// The lexer reports all its problems before parsing starts, so
		// errorAt's one-per-line check cannot see them; dedupe here.
		p.errs.RemoveMultiples()
		*err = p.errs
	}
}

// ------------------------------------------------------------------ errors

func (p *parser) errorAt(pos token.Pos, msg string) {
	loc := p.text.Locate(int(pos))
	line := loc.Position().Line
	// One message per line: the first mistake on a line usually causes the rest.
	if n := len(p.errs); n > 0 && line == p.lastErrLine && p.errs[n-1].Loc.File == loc.File {
		return
	}
	p.lastErrLine = line
	p.errs.Add(loc, "syntax", msg)
	if len(p.errs) >= maxErrors && !p.lexing {
		panic(bailout{})
	}
}

func (p *parser) errorExpected(what string) {
	p.errorAt(p.tok.Pos, fmt.Sprintf("expected %s, found %s", what, p.tok.Describe()))
}

// ------------------------------------------------------------------ tokens

func (p *parser) next() {
	if p.i < len(p.toks)-1 {
		p.i++
	}
	p.tok = p.toks[p.i]
}

func (p *parser) peek(n int) token.Token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) is(k token.Keyword) bool { return p.tok.Is(k) }

// isOn reports ПО / ON / BY: Russian spells all three the same.
func (p *parser) isBy() bool { return p.tok.Is(token.On) || p.tok.Is(token.By) }

func (p *parser) got(k token.Keyword) bool {
	if p.is(k) {
		p.next()
		return true
	}
	return false
}

// expect consumes a token of kind k; on a mismatch it reports and still
// consumes nothing but guarantees progress through the caller's loop bounds.
func (p *parser) expect(k token.Kind, what string) token.Pos {
	pos := p.tok.Pos
	if p.tok.Kind != k {
		p.errorExpected(what)
		return pos
	}
	p.next()
	return pos
}

func (p *parser) expectKw(k token.Keyword) token.Pos {
	pos := p.tok.Pos
	if !p.is(k) {
		p.errorExpected(fmt.Sprintf("%s (%s)", k.Spell(false), k.Spell(true)))
		return pos
	}
	p.next()
	return pos
}

func (p *parser) expectBy() {
	if p.isBy() {
		p.next()
		return
	}
	p.errorExpected("ПО (BY)")
}

// clauseStart reports whether the current token begins a clause; the parser
// skips to one after an error.
func (p *parser) clauseStart() bool {
	if p.tok.Kind == token.EOF || p.tok.Kind == token.SEMICOLON {
		return true
	}
	if p.tok.Kind != token.IDENT {
		return false
	}
	switch p.tok.Keyword {
	case token.Select, token.From, token.Where, token.Group, token.Having, token.Union,
		token.Order, token.Totals, token.Into, token.Index, token.Drop:
		return true
	}
	return false
}

// advance skips to a token that can start a clause, always consuming at
// least one token so the parser cannot loop.
func (p *parser) advance() {
	if p.tok.Kind == token.EOF {
		return
	}
	p.next()
	depth := 0
	for !(depth == 0 && p.clauseStart()) && p.tok.Kind != token.EOF {
		switch p.tok.Kind {
		case token.LPAREN:
			depth++
		case token.RPAREN:
			if depth > 0 {
				depth--
			}
		}
		if depth > 0 && p.is(token.Select) {
			// A nested query: stay inside the parentheses.
		}
		p.next()
	}
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.errorAt(p.tok.Pos, "the text is nested too deeply")
		panic(bailout{})
	}
}

func (p *parser) leave() { p.depth-- }

// ------------------------------------------------------------------ names

// isName reports whether the current token can be a name (not a reserved word).
func (p *parser) isName() bool {
	return p.tok.Kind == token.IDENT && !p.tok.Keyword.Reserved()
}

func (p *parser) parseIdent() *ast.Ident {
	pos := p.tok.Pos
	if p.tok.Kind == token.IDENT && !p.tok.Keyword.Reserved() {
		id := &ast.Ident{NamePos: pos, Name: p.tok.Lit}
		p.next()
		return id
	}
	p.errorExpected("a name")
	return &ast.Ident{NamePos: pos, Name: "_"}
}

// parsePathRest reads ".Name" parts after the first; after a dot any word is
// a name, reserved or not (Т.Значение, Док.Ссылка, Регистр.Остатки).
func (p *parser) parsePathRest(first *ast.Ident) *ast.Path {
	path := &ast.Path{Parts: []*ast.Ident{first}}
	for p.tok.Kind == token.DOT && p.peek(1).Kind == token.IDENT {
		p.next()
		path.Parts = append(path.Parts, &ast.Ident{NamePos: p.tok.Pos, Name: p.tok.Lit})
		p.next()
	}
	return path
}

func (p *parser) parsePath() *ast.Path {
	return p.parsePathRest(p.parseIdent())
}

// parseAlias reads [КАК] Alias.
func (p *parser) parseAlias() *ast.Ident {
	if p.got(token.As) {
		if p.is(token.Totals) {
			// КАК Итоги: 1C takes the word as an alias after КАК.
			id := &ast.Ident{NamePos: p.tok.Pos, Name: p.tok.Lit}
			p.next()
			return id
		}
		return p.parseIdent()
	}
	if p.isBareAlias() {
		return p.parseIdent()
	}
	return nil
}

// isBareAlias reports whether the current word is an alias written without
// КАК. АВТОУПОРЯДОЧИВАНИЕ is not reserved, yet after a field or a source it
// is the clause, as 1C reads it; an alias of that name needs КАК.
func (p *parser) isBareAlias() bool {
	return p.isName() && !p.is(token.Autoorder)
}

// ------------------------------------------------------------------ batches

func (p *parser) parseBatch() *ast.Batch {
	b := &ast.Batch{}
	for {
		for p.tok.Kind == token.SEMICOLON {
			p.next()
		}
		if p.tok.Kind == token.EOF {
			break
		}
		start := p.i
		if p.is(token.Drop) {
			pos := p.tok.Pos
			p.next()
			b.Statements = append(b.Statements, &ast.DropStatement{DropPos: pos, Table: p.parseIdent()})
		} else {
			b.Statements = append(b.Statements, p.parseQuery())
		}
		if p.tok.Kind != token.SEMICOLON && p.tok.Kind != token.EOF {
			p.errorExpected("';' or the end of the text")
			p.advance()
			for p.tok.Kind != token.SEMICOLON && p.tok.Kind != token.EOF && !p.is(token.Select) && !p.is(token.Drop) {
				p.advance()
			}
		}
		if p.i == start {
			p.next()
		}
	}
	if len(b.Statements) == 0 {
		p.errorAt(p.tok.Pos, "the query text is empty: expected ВЫБРАТЬ (SELECT)")
	}
	return b
}

func (p *parser) parseQuery() *ast.Query {
	p.enter()
	defer p.leave()
	q := &ast.Query{}
	q.Select = p.parseSelect()
	for p.is(token.Union) {
		u := &ast.UnionPart{UnionPos: p.tok.Pos}
		p.next()
		u.All = p.got(token.All)
		u.Select = p.parseSelect()
		q.Unions = append(q.Unions, u)
	}
	q.EndPos = p.lastEnd()
	for {
		switch {
		case p.is(token.Order):
			p.next()
			p.expectBy()
			for {
				item := &ast.OrderItem{X: p.parseExpr()}
				if p.is(token.HierarchyTotals) || p.is(token.Hierarchy) {
					item.Hierarchy = true
					p.next()
				}
				if p.is(token.Desc) || p.is(token.Asc) {
					item.Desc = p.is(token.Desc)
					item.Dir = true
					p.next()
				}
				item.EndPos = p.lastEnd()
				q.OrderBy = append(q.OrderBy, item)
				if p.tok.Kind != token.COMMA {
					break
				}
				p.next()
			}
		case p.is(token.Autoorder):
			p.next()
			q.Autoorder = true
		case p.is(token.Totals):
			q.Totals = p.parseTotals()
		case p.is(token.For) || p.is(token.Index):
			// ДЛЯ ИЗМЕНЕНИЯ and ИНДЕКСИРОВАТЬ ПО may also follow УПОРЯДОЧИТЬ.
			p.parseSelectTail(lastSelect(q))
		default:
			q.EndPos = p.lastEnd()
			return q
		}
	}
}

func lastSelect(q *ast.Query) *ast.Select {
	if n := len(q.Unions); n > 0 {
		return q.Unions[n-1].Select
	}
	return q.Select
}

// lastEnd is the end of the token before the current one.
func (p *parser) lastEnd() token.Pos {
	if p.i == 0 {
		return p.tok.Pos
	}
	return p.toks[p.i-1].End
}

func (p *parser) parseSelect() *ast.Select {
	s := &ast.Select{SelectPos: p.tok.Pos}
	if !p.is(token.Select) {
		p.errorExpected("ВЫБРАТЬ (SELECT)")
		p.advance()
		if !p.is(token.Select) {
			s.EndPos = p.lastEnd()
			return s
		}
		s.SelectPos = p.tok.Pos
	}
	p.next()
	for {
		switch {
		case p.is(token.Allowed):
			s.Allowed = true
			p.next()
			continue
		case p.is(token.Distinct):
			s.Distinct = true
			p.next()
			continue
		case p.is(token.Top):
			p.next()
			if p.tok.Kind == token.NUMBER {
				// The count goes into SQL as it is written: a fraction or
				// a number past a 64-bit integer is refused here, at its
				// place, not by the database.
				if _, err := strconv.ParseInt(p.tok.Lit, 10, 64); err != nil {
					p.errorAt(p.tok.Pos, "ПЕРВЫЕ (TOP) takes a whole number of rows from 0 to "+strconv.FormatInt(math.MaxInt64, 10)+", not "+p.tok.Lit)
				} else {
					s.Top = &ast.Literal{ValuePos: p.tok.Pos, EndPos: p.tok.End, Kind: token.NUMBER, Value: p.tok.Lit}
				}
				p.next()
			} else {
				p.errorExpected("the number of rows after ПЕРВЫЕ (TOP)")
			}
			continue
		}
		break
	}
	s.Fields = p.parseFields()
	if p.is(token.Into) {
		p.next()
		s.Into = p.parseIdent()
	}
	if p.is(token.From) {
		p.next()
		s.From = p.parseSources()
	}
	if p.is(token.Where) {
		p.next()
		s.Where = p.parseExpr()
	}
	if p.is(token.Group) {
		p.next()
		p.expectBy()
		s.GroupBy = p.parseExprList()
	}
	if p.is(token.Having) {
		p.next()
		s.Having = p.parseExpr()
	}
	p.parseSelectTail(s)
	if !p.clauseStart() && !p.is(token.Order) && !p.is(token.Autoorder) && p.tok.Kind != token.RPAREN {
		p.errorExpected("ИЗ, ГДЕ, СГРУППИРОВАТЬ ПО, ОБЪЕДИНИТЬ, УПОРЯДОЧИТЬ ПО or the end of the query")
		p.advance()
	}
	s.EndPos = p.lastEnd()
	return s
}

// parseSelectTail reads ДЛЯ ИЗМЕНЕНИЯ [tables] and ИНДЕКСИРОВАТЬ ПО fields.
func (p *parser) parseSelectTail(s *ast.Select) {
	for {
		switch {
		case p.is(token.For):
			p.next()
			p.expectKw(token.Update)
			s.ForUpdate = true
			for p.isName() {
				s.ForUpdateTables = append(s.ForUpdateTables, p.parsePath())
				if p.tok.Kind != token.COMMA {
					break
				}
				p.next()
			}
		case p.is(token.Index):
			p.next()
			p.expectBy()
			s.IndexBy = append(s.IndexBy, p.parseExprList()...)
		default:
			return
		}
	}
}

func (p *parser) parseFields() []*ast.Field {
	var fields []*ast.Field
	for {
		start := p.i
		f := &ast.Field{X: p.parseExpr()}
		if p.is(token.As) {
			p.next()
			f.Alias = p.parseIdent()
		} else if p.isBareAlias() && !p.is(token.Allowed) {
			f.Alias = p.parseIdent()
		}
		fields = append(fields, f)
		if p.tok.Kind != token.COMMA {
			if p.i == start {
				p.advance()
			}
			return fields
		}
		p.next()
	}
}

func (p *parser) parseExprList() []ast.Expr {
	list := []ast.Expr{p.parseExpr()}
	for p.tok.Kind == token.COMMA {
		p.next()
		list = append(list, p.parseExpr())
	}
	return list
}

// ------------------------------------------------------------------ sources

func (p *parser) parseSources() []ast.Source {
	list := []ast.Source{p.parseJoins()}
	for p.tok.Kind == token.COMMA {
		p.next()
		if _, join := p.joinKind(); join {
			// "А КАК Т, ЛЕВОЕ СОЕДИНЕНИЕ Б ...": 1C reads the comma
			// before a join as nothing, and real configurations write it.
			list[len(list)-1] = p.parseJoinTail(list[len(list)-1])
			continue
		}
		list = append(list, p.parseJoins())
	}
	return list
}

func (p *parser) joinKind() (ast.JoinKind, bool) {
	switch {
	case p.is(token.Left):
		return ast.LeftJoin, true
	case p.is(token.Right):
		return ast.RightJoin, true
	case p.is(token.Full):
		return ast.FullJoin, true
	case p.is(token.Inner):
		return ast.InnerJoin, true
	case p.is(token.Join):
		return ast.InnerJoin, true
	}
	return 0, false
}

func (p *parser) parseJoins() ast.Source { return p.parseJoinTail(p.parseSource()) }

// parseJoinTail reads the joins that follow left. A join whose right
// source is followed by another join rather than by ПО is nested, as 1C
// writes it: А СОЕДИНЕНИЕ Б СОЕДИНЕНИЕ В ПО Б.x = В.x ПО А.y = Б.y joins Б
// and В first, then the pair to А; each ПО closes the innermost open join.
func (p *parser) parseJoinTail(left ast.Source) ast.Source {
	for {
		kind, ok := p.joinKind()
		if !ok {
			return left
		}
		j := &ast.JoinSource{Left: left, Kind: kind, KindPos: p.tok.Pos}
		if !p.is(token.Join) {
			p.next()
			if p.is(token.Outer) {
				j.Outer = true
				p.next()
			}
		}
		p.expectKw(token.Join)
		j.Right = p.parseSource()
		if _, nested := p.joinKind(); nested {
			j.Right = p.parseJoinTail(j.Right)
		}
		if p.isBy() {
			p.next()
			j.On = p.parseExpr()
		} else {
			p.errorExpected("ПО (ON) and the join condition")
			j.On = &ast.Constant{ValuePos: p.tok.Pos, EndPos: p.tok.Pos, Value: token.True}
		}
		left = j
	}
}

func (p *parser) parseSource() ast.Source {
	p.enter()
	defer p.leave()
	if p.tok.Kind == token.LPAREN {
		lp := p.tok.Pos
		p.next()
		if p.is(token.Select) {
			q := p.parseQuery()
			rp := p.expect(token.RPAREN, "')' closing the nested query")
			return &ast.SubquerySource{Lparen: lp, Query: q, Rparen: rp, Alias: p.parseAlias()}
		}
		// A join group in parentheses: (А ЛЕВОЕ СОЕДИНЕНИЕ Б ПО ...).
		src := p.parseJoins()
		p.expect(token.RPAREN, "')'")
		return src
	}
	if p.tok.Kind == token.PARAM {
		prm := &ast.Param{AmpPos: p.tok.Pos, Name: p.tok.Value}
		p.next()
		return &ast.ParamSource{Param: prm, Alias: p.parseAlias()}
	}
	t := &ast.TableSource{Name: p.parsePath(), Rparen: token.NoPos}
	if p.tok.Kind == token.LPAREN {
		t.HasParams = true
		p.next()
		t.Params = p.parseArgs()
		t.Rparen = p.expect(token.RPAREN, "')' closing the virtual table parameters")
	}
	t.Alias = p.parseAlias()
	return t
}

// parseArgs reads comma-separated arguments where any may be left out, as in
// РегистрНакопления.Остатки.Остатки(, Склад = &Склад).
func (p *parser) parseArgs() []ast.Expr {
	var args []ast.Expr
	for {
		if p.tok.Kind == token.COMMA || p.tok.Kind == token.RPAREN {
			args = append(args, nil)
		} else {
			args = append(args, p.parseExpr())
		}
		if p.tok.Kind != token.COMMA {
			break
		}
		p.next()
	}
	if len(args) == 1 && args[0] == nil {
		return nil
	}
	return args
}

// ------------------------------------------------------------------ totals

func (p *parser) parseTotals() *ast.Totals {
	t := &ast.Totals{TotalsPos: p.tok.Pos}
	p.next()
	if !p.isBy() {
		t.Fields = p.parseFields()
	}
	p.expectBy()
	for {
		item := &ast.TotalsItem{}
		if p.is(token.Overall) {
			item.Overall = true
			item.OverallPos = p.tok.Pos
			p.next()
		} else {
			item.X = p.parseExpr()
			switch {
			case p.is(token.Only):
				p.next()
				if p.is(token.HierarchyTotals) || p.is(token.Hierarchy) {
					p.next()
				} else {
					p.errorExpected("ИЕРАРХИЯ (HIERARCHY) after ТОЛЬКО (ONLY)")
				}
				item.Hierarchy, item.OnlyHierarchy = true, true
			case p.is(token.HierarchyTotals) || p.is(token.Hierarchy):
				p.next()
				item.Hierarchy = true
			}
			if p.is(token.Periods) {
				p.next()
				p.expect(token.LPAREN, "'(' after ПЕРИОДАМИ (PERIODS)")
				item.Periods = p.parseArgs()
				p.expect(token.RPAREN, "')'")
			}
			item.Alias = p.parseAlias()
		}
		item.EndPos = p.lastEnd()
		t.By = append(t.By, item)
		if p.tok.Kind != token.COMMA {
			return t
		}
		p.next()
	}
}

// ------------------------------------------------------------------ restriction

func (p *parser) parseRestriction() *ast.Restriction {
	r := &ast.Restriction{}
	if p.isName() || p.is(token.CurrentTable) {
		r.Alias = p.parsePath()
	}
	if p.is(token.From) {
		p.next()
		r.From = p.parseSources()
	}
	if p.is(token.Where) {
		p.next()
		r.Where = p.parseExpr()
	}
	if p.tok.Kind != token.EOF {
		switch {
		case r.Alias == nil && r.From == nil && r.Where == nil:
			p.errorExpected("a restriction: [alias] [ИЗ sources] [ГДЕ condition]")
		case r.Where == nil:
			p.errorExpected("ИЗ (FROM), ГДЕ (WHERE) or the end of the restriction")
		default:
			p.errorExpected("an operator or the end of the restriction")
		}
	}
	r.EndPos = p.lastEnd()
	return r
}

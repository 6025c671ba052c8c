package preproc

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	sdbltoken "dostup/sdbl/token"
)

// tokKind is the kind of a token of a condition.
type tokKind int

const (
	tEOF   tokKind = iota // end of the condition without #Тогда (text end or another directive)
	tThen                 // #Тогда / #Then, which ends the condition
	tStr                  // "..."
	tNum                  // 12.5
	tIdent                // a name: keyword, function, part of Значение(...)
	tParam                // &Name
	tHash                 // #Name or #Name(...) that is not a directive
	tOp                   // = <> < > <= >= + - ( ) , .
)

type token struct {
	kind tokKind
	off  int    // byte offset of the token in the program's body
	end  int    // byte offset after the token
	text string // operator, name (without & or #, with #'s parentheses), or decoded string
}

// directive kinds.
type dirKind int

const (
	dNone dirKind = iota
	dIf
	dElsIf
	dElse
	dEndIf
	dThen
)

var directiveWords = map[string]dirKind{
	"если": dIf, "if": dIf,
	"иначеесли": dElsIf, "elsif": dElsIf, "elseif": dElsIf,
	"иначе": dElse, "else": dElse,
	"конецесли": dEndIf, "endif": dEndIf,
	"тогда": dThen, "then": dThen,
}

// lowerKey looks word up in m by its lower-case spelling without making a
// string of it: the preprocessor asks this of every # and name it meets.
func lowerKey[V any](m map[string]V, word string) (V, bool) {
	var buf [32]byte
	b := buf[:0]
	for _, r := range word {
		if len(b) > len(buf)-utf8.UTFMax {
			var zero V
			return zero, false // longer than every key
		}
		b = utf8.AppendRune(b, sdbltoken.ToLower(r))
	}
	v, ok := m[string(b)]
	return v, ok
}

// wordAt returns the end of the name starting at off (off itself when none).
func wordAt(s string, off int) int { return sdbltoken.NameEnd(s, off) }

// directiveAt reports whether s[off] is '#' followed by a directive word and
// returns its kind and the offset after the word.
func directiveAt(s string, off int) (dirKind, int) {
	if off >= len(s) || s[off] != '#' {
		return dNone, off
	}
	end := wordAt(s, off+1)
	if end == off+1 {
		return dNone, off
	}
	k, _ := lowerKey(directiveWords, s[off+1:end])
	return k, end
}

// lexCond reads the tokens of a condition starting at off, up to and
// including #Тогда. It stops before any other directive and at the end of the
// text, returning a tEOF token there. A lexical error is returned with the
// offset it stands at.
func lexCond(s string, off int) ([]token, int, string) {
	var toks []token
	i := off
	for {
		for i < len(s) {
			c := s[i]
			if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' {
				i++
				continue
			}
			if c == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0 { // no-break space
				i += 2
				continue
			}
			if c == '/' && i+1 < len(s) && s[i+1] == '/' {
				for i < len(s) && s[i] != '\n' {
					i++
				}
				continue
			}
			break
		}
		if i >= len(s) {
			return append(toks, token{kind: tEOF, off: i, end: i}), i, ""
		}
		start := i
		c := s[i]
		switch {
		case c == '#':
			k, end := directiveAt(s, i)
			switch k {
			case dThen:
				return append(toks, token{kind: tThen, off: i, end: end}), end, ""
			case dNone:
				end = wordAt(s, i+1)
				if end == i+1 {
					return toks, i, "unexpected #"
				}
				// #Параметр(1): a numbered template parameter keeps its parentheses.
				if end < len(s) && s[end] == '(' {
					if j := strings.IndexByte(s[end:], ')'); j > 0 && !strings.ContainsAny(s[end+1:end+j], "\n(\"") {
						end += j + 1
					}
				}
				toks = append(toks, token{kind: tHash, off: i, end: end, text: s[i+1 : end]})
				i = end
			default:
				return append(toks, token{kind: tEOF, off: i, end: i}), i, ""
			}
		case c == '&':
			end := wordAt(s, i+1)
			if end == i+1 {
				return toks, i, "expected a session parameter name after &"
			}
			toks = append(toks, token{kind: tParam, off: i, end: end, text: s[i+1 : end]})
			i = end
		case c == '"':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) || s[j] == '\n' {
					return toks, start, "string literal not terminated"
				}
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						b.WriteByte('"')
						j += 2
						continue
					}
					j++
					break
				}
				b.WriteByte(s[j])
				j++
			}
			toks = append(toks, token{kind: tStr, off: i, end: j, text: b.String()})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j+1 < len(s) && s[j] == '.' && s[j+1] >= '0' && s[j+1] <= '9' {
				j++
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
			}
			toks = append(toks, token{kind: tNum, off: i, end: j, text: s[i:j]})
			i = j
		case c == '<':
			if i+1 < len(s) && (s[i+1] == '>' || s[i+1] == '=') {
				toks = append(toks, token{kind: tOp, off: i, end: i + 2, text: s[i : i+2]})
				i += 2
			} else {
				toks = append(toks, token{kind: tOp, off: i, end: i + 1, text: "<"})
				i++
			}
		case c == '>':
			if i+1 < len(s) && s[i+1] == '=' {
				toks = append(toks, token{kind: tOp, off: i, end: i + 2, text: ">="})
				i += 2
			} else {
				toks = append(toks, token{kind: tOp, off: i, end: i + 1, text: ">"})
				i++
			}
		case strings.IndexByte("=+-(),.", c) >= 0:
			toks = append(toks, token{kind: tOp, off: i, end: i + 1, text: s[i : i+1]})
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == '_' || unicode.IsLetter(r) {
				end := wordAt(s, i)
				toks = append(toks, token{kind: tIdent, off: i, end: end, text: s[i:end]})
				i = end
				continue
			}
			_ = n
			return toks, i, "unexpected character " + strconv.QuoteRune(r)
		}
	}
}

// op is an operator of a condition.
type op int

const (
	opAnd op = iota
	opOr
	opNot
	opEq
	opNe
	opLt
	opGt
	opLe
	opGe
	opAdd
	opSub
	opNeg
)

var opText = [...]string{opAnd: "И", opOr: "ИЛИ", opNot: "НЕ", opEq: "=", opNe: "<>", opLt: "<", opGt: ">",
	opLe: "<=", opGe: ">=", opAdd: "+", opSub: "-", opNeg: "-"}

// funcKind names a function a condition may call.
type funcKind int

const (
	fnContains funcKind = iota
)

// expr is a node of a condition's tree. Offsets are those of the program's
// body, turned into locations only when an error is reported.
type expr interface{ exprOff() int }

type (
	litExpr struct {
		off int
		v   value
	}
	paramExpr struct {
		off  int
		key  string // lower-case name, the key of Params
		name string // the name as the program first spells it, for messages and atoms
		sym  string // "&" + name, the parameter's atom while it is unknown
	}
	hashExpr struct {
		off  int
		text string // without the leading #
	}
	unaryExpr struct {
		off int
		op  op
		x   expr
	}
	binaryExpr struct {
		off  int // the operator's offset
		op   op
		x, y expr
	}
	callExpr struct {
		off  int
		fn   funcKind
		args []expr
	}
)

func (e *litExpr) exprOff() int    { return e.off }
func (e *paramExpr) exprOff() int  { return e.off }
func (e *hashExpr) exprOff() int   { return e.off }
func (e *unaryExpr) exprOff() int  { return e.off }
func (e *binaryExpr) exprOff() int { return e.off }
func (e *callExpr) exprOff() int   { return e.off }

var keywords = map[string]string{
	"и": "and", "and": "and",
	"или": "or", "or": "or",
	"не": "not", "not": "not",
	"истина": "true", "true": "true",
	"ложь": "false", "false": "false",
	"неопределено": "undefined", "undefined": "undefined",
	"стрсодержит": "contains", "strcontains": "contains",
	"значение": "value", "value": "value",
}

// maxDepth bounds the nesting of a condition so that a hostile text cannot
// exhaust the stack.
const maxDepth = 200

// condParser parses the tokens of one condition.
type condParser struct {
	toks   []token
	i      int
	depth  int
	params map[string]string // lower-case name → first spelling, shared by the program
	errOff int
	errMsg string
}

type parseError struct{}

func (p *condParser) fail(off int, msg string) {
	p.errOff, p.errMsg = off, msg
	panic(parseError{})
}

func (p *condParser) peek() token { return p.toks[p.i] }

func (p *condParser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *condParser) kw(t token) string {
	if t.kind != tIdent {
		return ""
	}
	kw, _ := lowerKey(keywords, t.text)
	return kw
}

func describe(t token) string {
	switch t.kind {
	case tEOF, tThen:
		return "end of condition"
	case tStr:
		return "string literal"
	case tParam:
		return "&" + t.text
	case tHash:
		return "#" + t.text
	}
	return strconv.Quote(t.text)
}

// parseCond parses toks, which end with tThen, into a tree. It never panics
// out: errors come back with their offset.
func parseCond(toks []token, params map[string]string) (e expr, errOff int, errMsg string) {
	p := &condParser{toks: toks, params: params}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(parseError); !ok {
				panic(r)
			}
			e, errOff, errMsg = nil, p.errOff, p.errMsg
		}
	}()
	e = p.or()
	if t := p.peek(); t.kind != tThen {
		p.fail(t.off, "unexpected "+describe(t)+" in condition")
	}
	return e, 0, ""
}

func (p *condParser) enter(off int) {
	p.depth++
	if p.depth > maxDepth {
		p.fail(off, "condition nested too deeply")
	}
}

func (p *condParser) or() expr {
	x := p.and()
	for p.kw(p.peek()) == "or" {
		t := p.next()
		x = &binaryExpr{off: t.off, op: opOr, x: x, y: p.and()}
	}
	return x
}

func (p *condParser) and() expr {
	x := p.not()
	for p.kw(p.peek()) == "and" {
		t := p.next()
		x = &binaryExpr{off: t.off, op: opAnd, x: x, y: p.not()}
	}
	return x
}

func (p *condParser) not() expr {
	if t := p.peek(); p.kw(t) == "not" {
		p.next()
		p.enter(t.off)
		x := p.not()
		p.depth--
		return &unaryExpr{off: t.off, op: opNot, x: x}
	}
	return p.cmp()
}

var cmpOps = map[string]op{"=": opEq, "<>": opNe, "<": opLt, ">": opGt, "<=": opLe, ">=": opGe}

func (p *condParser) cmp() expr {
	x := p.add()
	if t := p.peek(); t.kind == tOp {
		if o, ok := cmpOps[t.text]; ok {
			p.next()
			return &binaryExpr{off: t.off, op: o, x: x, y: p.add()}
		}
	}
	return x
}

func (p *condParser) add() expr {
	x := p.unary()
	for t := p.peek(); t.kind == tOp && (t.text == "+" || t.text == "-"); t = p.peek() {
		p.next()
		o := opAdd
		if t.text == "-" {
			o = opSub
		}
		x = &binaryExpr{off: t.off, op: o, x: x, y: p.unary()}
	}
	return x
}

func (p *condParser) unary() expr {
	if t := p.peek(); t.kind == tOp && t.text == "-" {
		p.next()
		p.enter(t.off)
		x := p.unary()
		p.depth--
		return &unaryExpr{off: t.off, op: opNeg, x: x}
	}
	return p.primary()
}

func (p *condParser) expect(text string) token {
	t := p.peek()
	if t.kind != tOp || t.text != text {
		p.fail(t.off, "expected "+strconv.Quote(text)+", found "+describe(t))
	}
	return p.next()
}

func (p *condParser) primary() expr {
	t := p.peek()
	switch t.kind {
	case tStr:
		p.next()
		return &litExpr{off: t.off, v: value{kind: kString, s: t.text}}
	case tNum:
		p.next()
		n, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			p.fail(t.off, "bad number "+t.text)
		}
		return &litExpr{off: t.off, v: value{kind: kNumber, n: n}}
	case tParam:
		p.next()
		k := strings.ToLower(t.text)
		name, ok := p.params[k]
		if !ok {
			name = t.text
			p.params[k] = name
		}
		return &paramExpr{off: t.off, key: k, name: name, sym: "&" + name}
	case tHash:
		p.next()
		return &hashExpr{off: t.off, text: t.text}
	case tOp:
		if t.text == "(" {
			p.next()
			p.enter(t.off)
			x := p.or()
			p.depth--
			p.expect(")")
			return x
		}
	case tIdent:
		switch p.kw(t) {
		case "true":
			p.next()
			return &litExpr{off: t.off, v: value{kind: kBool, b: true}}
		case "false":
			p.next()
			return &litExpr{off: t.off, v: value{kind: kBool}}
		case "undefined":
			p.next()
			return &litExpr{off: t.off, v: value{kind: kUndef}}
		case "contains":
			p.next()
			p.expect("(")
			var args []expr
			if t2 := p.peek(); !(t2.kind == tOp && t2.text == ")") {
				for {
					p.enter(t.off)
					args = append(args, p.or())
					p.depth--
					if t2 := p.peek(); t2.kind == tOp && t2.text == "," {
						p.next()
						continue
					}
					break
				}
			}
			p.expect(")")
			if len(args) != 2 {
				p.fail(t.off, t.text+" takes 2 arguments, not "+strconv.Itoa(len(args)))
			}
			return &callExpr{off: t.off, fn: fnContains, args: args}
		case "value":
			p.next()
			p.expect("(")
			var b strings.Builder
			for {
				t2 := p.peek()
				if t2.kind == tOp && t2.text == ")" {
					break
				}
				if t2.kind != tIdent && t2.kind != tNum && !(t2.kind == tOp && t2.text == ".") {
					p.fail(t2.off, "expected a predefined value name, found "+describe(t2))
				}
				b.WriteString(t2.text)
				p.next()
			}
			if b.Len() == 0 {
				p.fail(p.peek().off, "expected a predefined value name in "+t.text+"(...)")
			}
			p.expect(")")
			return &litExpr{off: t.off, v: value{kind: kRef, s: b.String()}}
		case "":
			if p.i+1 < len(p.toks) && p.toks[p.i+1].kind == tOp && p.toks[p.i+1].text == "(" {
				p.fail(t.off, "unknown function "+t.text+" (conditions of #Если may call СтрСодержит / StrContains and Значение / Value)")
			}
			p.fail(t.off, "unexpected name "+t.text+" in condition")
		}
	}
	p.fail(t.off, "unexpected "+describe(t)+" in condition")
	return nil
}

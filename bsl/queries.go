package bsl

import (
	"strings"
	"unicode/utf8"
)

// QueryText is a query written as a string literal in a module: the
// literal's text with its place, for a tool that compiles the queries of a
// configuration's modules.
type QueryText struct {
	// Line and Col are where the text starts in the module: just after the
	// opening quote.
	Line, Col int
	// Text is the literal's value laid out as the module shows it: each
	// continuation line's margin and | are replaced by as many spaces, so
	// that a position in Text is the same line and column offset in the
	// module (a "" inside the literal shifts the rest of its line by one).
	Text string
	// SelfContained is false when the literal is joined to other values
	// with +, is cut by preprocessor lines, is a piece that СтрЗаменить
	// (StrReplace) looks for or puts in, or is put in a variable that the
	// code then extends (Текст = Текст + ...): what runs is then not the
	// literal alone.
	SelfContained bool
}

// queryStarts are the first words of a query text: a batch may begin with
// any statement, but the literals that are queries begin with these.
var queryStarts = []string{"выбрать", "select"}

// QueryTexts finds the string literals of a module that are queries:
// those whose text, past blanks and // comments, begins with ВЫБРАТЬ or
// SELECT.
func QueryTexts(src string) []QueryText {
	toks := Lex(src)
	var code []int // indexes of the tokens that are not trivia
	for i := range toks {
		if !toks[i].Kind.trivia() {
			code = append(code, i)
		}
	}
	var out []QueryText
	for k, i := range code {
		t := &toks[i]
		if t.Kind != TokString || t.Text[0] != '"' {
			continue // a piece after a preprocessor line is part of the literal before it
		}
		text, cut := literalLayout(toks, i)
		if !startsQuery(text) {
			continue
		}
		joined := k > 0 && toks[code[k-1]].Kind == TokPlus || k+1 < len(code) && toks[code[k+1]].Kind == TokPlus ||
			replaced(toks, code, k) || extended(toks, code, k)
		out = append(out, QueryText{Line: t.Line, Col: t.Col + 1, Text: text, SelfContained: !joined && !cut})
	}
	return out
}

// literalLayout is the text of the string literal starting at toks[i],
// laid out as QueryText.Text describes, and whether preprocessor lines cut
// it into pieces (the lexer's tokens after them begin at a |).
func literalLayout(toks []Token, i int) (string, bool) {
	var b strings.Builder
	writeLiteral(&b, toks[i].Text)
	last := toks[i].EndLine
	cut := false
	for j := i + 1; j < len(toks); {
		k := j
		passed := false
		for k < len(toks) && toks[k].Kind.trivia() {
			passed = passed || toks[k].Kind != TokComment
			k++
		}
		if !passed || k >= len(toks) || toks[k].Kind != TokString || toks[k].Text[0] != '|' {
			break
		}
		t := &toks[k]
		cut = true
		b.WriteString(strings.Repeat("\n", t.Line-last))
		b.WriteString(strings.Repeat(" ", t.Col)) // the margin and the |
		writeLiteral(&b, t.Text)
		last = t.EndLine
		j = k + 1
	}
	return b.String(), cut
}

// writeLiteral writes a string token's text past its opening " or |: ""
// becomes ", the closing quote ends it, and each continuation line's
// margin and | become spaces; a blank or comment line between
// continuation lines, which 1C skips, stays an empty line.
func writeLiteral(b *strings.Builder, text string) {
	p := 1
	for p < len(text) {
		c := text[p]
		switch {
		case c == '"' && p+1 < len(text) && text[p+1] == '"':
			b.WriteByte('"')
			p += 2
		case c == '"':
			return
		case c == '\n' || c == '\r':
			if c == '\r' && p+1 < len(text) && text[p+1] == '\n' {
				p++
			}
			p++
			b.WriteByte('\n')
			q := p
			for q < len(text) && (text[q] == ' ' || text[q] == '\t') {
				q++
			}
			if q < len(text) && text[q] == '|' {
				b.WriteString(strings.Repeat(" ", utf8.RuneCountInString(text[p:q])+1))
				p = q + 1
				continue
			}
			for q < len(text) && text[q] != '\n' && text[q] != '\r' {
				q++ // a blank or comment line inside the literal
			}
			p = q
		default:
			b.WriteByte(c)
			p++
		}
	}
}

// startsQuery reports whether a text begins, past blanks and // comments,
// with a word that starts a query.
func startsQuery(text string) bool {
	for {
		text = strings.TrimLeft(text, " \t\r\n\uFEFF")
		if !strings.HasPrefix(text, "//") {
			break
		}
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			text = text[i:]
		} else {
			return false
		}
	}
	e := 0
	for e < len(text) {
		r, size := utf8.DecodeRuneInString(text[e:])
		if r != '_' && !isLetter(r) {
			break
		}
		e += size
	}
	return anyEqualFold(queryStarts, text[:e])
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x400 && r <= 0x4FF
}

// replaceNames are the spellings of СтрЗаменить, whose arguments are a
// text and the pieces it swaps: a literal among them is a fragment.
var replaceNames = []string{"СтрЗаменить", "StrReplace"}

// replaced reports whether the literal at code[k] is an argument of a
// call to СтрЗаменить.
func replaced(toks []Token, code []int, k int) bool {
	depth := 0
	for j := k - 1; j >= 0; j-- {
		switch toks[code[j]].Kind {
		case TokRParen:
			depth++
		case TokLParen:
			if depth == 0 {
				return j > 0 && toks[code[j-1]].Kind == TokIdent && anyEqualFold(replaceNames, toks[code[j-1]].Text)
			}
			depth--
		case TokSemicolon, TokThen, TokDo, TokElse, TokEndIf, TokEndDo, TokProcedure, TokFunction:
			return false
		}
	}
	return false
}

// extended reports whether the literal at code[k] is assigned whole to a
// variable or property (Текст = "ВЫБРАТЬ ...") that a later statement of
// the same method extends (Текст = Текст + ...): the literal is then only
// the first piece of the text that runs.
func extended(toks []Token, code []int, k int) bool {
	if k+1 >= len(code) || toks[code[k+1]].Kind != TokSemicolon && !endsMethod(toks[code[k+1]].Kind) {
		return false
	}
	lhs := target(toks, code, k-1)
	if lhs == nil {
		return false
	}
	n := len(lhs)
	for j := k + 1; j < len(code) && !endsMethod(toks[code[j]].Kind); j++ {
		if j+2+2*n >= len(code) || !beforeStatement(toks[code[j]].Kind) ||
			!samePath(toks, code[j+1:j+1+n], lhs) || toks[code[j+1+n]].Kind != TokAssign {
			continue
		}
		if toks[code[j+2+n]].Kind == TokString {
			return false // a new text in the same place
		}
		if samePath(toks, code[j+2+n:j+2+2*n], lhs) && toks[code[j+2+2*n]].Kind == TokPlus {
			return true
		}
	}
	return false
}

// target gives the code indexes (into toks) of the name or property path
// assigned by the = at code[eq], which must start a statement; nil if
// code[eq] is not such an =.
func target(toks []Token, code []int, eq int) []int {
	if eq < 1 || toks[code[eq]].Kind != TokAssign {
		return nil
	}
	start := eq
	for start > 0 {
		kind := toks[code[start-1]].Kind
		if kind != TokIdent && kind != TokDot {
			break
		}
		start--
	}
	if start == eq || toks[code[start]].Kind != TokIdent {
		return nil
	}
	if start > 0 && !beforeStatement(toks[code[start-1]].Kind) && toks[code[start-1]].Kind != TokRParen && toks[code[start-1]].Kind != TokExport {
		return nil // not at a statement's start: a comparison
	}
	return code[start:eq]
}

// samePath reports whether the tokens at a spell the path at b, ignoring
// case as BSL does.
func samePath(toks []Token, a, b []int) bool {
	for i := range b {
		x, y := &toks[a[i]], &toks[b[i]]
		if x.Kind != y.Kind || !strings.EqualFold(x.Text, y.Text) {
			return false
		}
	}
	return true
}

// beforeStatement reports whether a token can stand just before a
// statement's first word.
func beforeStatement(k TokenKind) bool {
	switch k {
	case TokSemicolon, TokThen, TokDo, TokElse, TokTry, TokExcept:
		return true
	}
	return false
}

// endsMethod reports whether a token closes a procedure or function.
func endsMethod(k TokenKind) bool { return k == TokEndProcedure || k == TokEndFunction }

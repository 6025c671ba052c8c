package lexer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"dostup/sdbl/token"
)

// ErrorHandler receives a problem at a byte offset of the text.
type ErrorHandler func(pos token.Pos, msg string)

// Lexer hands out the tokens of one text in order.
type Lexer struct {
	src string
	off int
	err ErrorHandler
}

// New returns a lexer over src; err may be nil.
func New(src string, err ErrorHandler) *Lexer {
	if err == nil {
		err = func(token.Pos, string) {}
	}
	return &Lexer{src: src, err: err}
}

// All returns every token of src up to and including EOF.
func All(src string, err ErrorHandler) []token.Token {
	l := New(src, err)
	var toks []token.Token
	for {
		t := l.Next()
		toks = append(toks, t)
		if t.Kind == token.EOF {
			return toks
		}
	}
}

func isIdentStart(r rune) bool { return r == '_' || token.IsLetter(r) }

func (l *Lexer) peekRune(off int) (rune, int) {
	if off >= len(l.src) {
		return -1, 0
	}
	r, n := utf8.DecodeRuneInString(l.src[off:])
	return r, n
}

// skipSpace passes white space and comments.
func (l *Lexer) skipSpace() {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.off++
		case c == '/' && l.off+1 < len(l.src) && l.src[l.off+1] == '/':
			if i := strings.IndexByte(l.src[l.off:], '\n'); i >= 0 {
				l.off += i + 1
			} else {
				l.off = len(l.src)
			}
		case c >= utf8.RuneSelf:
			r, n := l.peekRune(l.off)
			if !unicode.IsSpace(r) && r != '\uFEFF' {
				return
			}
			l.off += n
		default:
			return
		}
	}
}

func (l *Lexer) scanIdent(start int) int { return token.NameEnd(l.src, start) }

// Next returns the next token; after the end it keeps returning EOF.
func (l *Lexer) Next() token.Token {
	l.skipSpace()
	start := l.off
	mk := func(k token.Kind, end int) token.Token {
		l.off = end
		return token.Token{Kind: k, Pos: token.Pos(start), End: token.Pos(end), Lit: l.src[start:end]}
	}
	if l.off >= len(l.src) {
		return token.Token{Kind: token.EOF, Pos: token.Pos(len(l.src)), End: token.Pos(len(l.src))}
	}
	r, n := l.peekRune(l.off)
	switch {
	case isIdentStart(r):
		t := mk(token.IDENT, l.scanIdent(l.off))
		t.Keyword = token.Lookup(t.Lit)
		return t
	case r >= '0' && r <= '9':
		end := l.off
		for end < len(l.src) && l.src[end] >= '0' && l.src[end] <= '9' {
			end++
		}
		if end+1 < len(l.src) && l.src[end] == '.' && l.src[end+1] >= '0' && l.src[end+1] <= '9' {
			end++
			for end < len(l.src) && l.src[end] >= '0' && l.src[end] <= '9' {
				end++
			}
		}
		return mk(token.NUMBER, end)
	case r == '"':
		return l.scanString()
	case r == '&' || r == '#':
		kind := token.PARAM
		if r == '#' {
			kind = token.HASH
		}
		nr, _ := l.peekRune(l.off + 1)
		if !isIdentStart(nr) {
			t := mk(token.ILLEGAL, l.off+1)
			if r == '&' {
				l.err(t.Pos, "'&' must be followed by a parameter name, as in &Организация")
			} else {
				l.err(t.Pos, "'#' must be followed by a directive or template name")
			}
			return t
		}
		t := mk(kind, l.scanIdent(l.off+1))
		t.Value = t.Lit[1:]
		return t
	}
	switch r {
	case '(':
		return mk(token.LPAREN, l.off+1)
	case ')':
		return mk(token.RPAREN, l.off+1)
	case ',':
		return mk(token.COMMA, l.off+1)
	case '.':
		return mk(token.DOT, l.off+1)
	case ';':
		return mk(token.SEMICOLON, l.off+1)
	case '+':
		return mk(token.PLUS, l.off+1)
	case '-':
		return mk(token.MINUS, l.off+1)
	case '*':
		return mk(token.STAR, l.off+1)
	case '/':
		return mk(token.SLASH, l.off+1)
	case '=':
		return mk(token.EQ, l.off+1)
	case '<':
		if l.off+1 < len(l.src) {
			switch l.src[l.off+1] {
			case '>':
				return mk(token.NE, l.off+2)
			case '=':
				return mk(token.LE, l.off+2)
			}
		}
		return mk(token.LT, l.off+1)
	case '>':
		if l.off+1 < len(l.src) && l.src[l.off+1] == '=' {
			return mk(token.GE, l.off+2)
		}
		return mk(token.GT, l.off+1)
	}
	t := mk(token.ILLEGAL, l.off+n)
	if r == utf8.RuneError && n <= 1 {
		l.err(t.Pos, "the text is not valid UTF-8")
	} else {
		l.err(t.Pos, "unexpected character "+quoteChar(t.Lit))
	}
	return t
}

// quoteChar names a character for a message: itself in quotes, or its
// code point when it is a control character that would not show.
func quoteChar(s string) string {
	if r, _ := utf8.DecodeRuneInString(s); unicode.IsControl(r) || !unicode.IsPrint(r) {
		return fmt.Sprintf("U+%04X", r)
	}
	return "'" + s + "'"
}

// scanString reads a string literal. Quotes inside are doubled (""). A string
// may go on over several lines; a continuation line may start with '|', as
// query texts copied from 1C modules do, and that '|' (with the blanks before
// it) is not part of the value.
func (l *Lexer) scanString() token.Token {
	start := l.off
	var val strings.Builder
	off := l.off + 1
	for {
		if off >= len(l.src) {
			l.off = len(l.src)
			l.err(token.Pos(start), "string not terminated: a closing \" is missing")
			return token.Token{Kind: token.STRING, Pos: token.Pos(start), End: token.Pos(l.off), Lit: l.src[start:l.off], Value: val.String()}
		}
		c := l.src[off]
		switch c {
		case '"':
			if off+1 < len(l.src) && l.src[off+1] == '"' {
				val.WriteByte('"')
				off += 2
				continue
			}
			l.off = off + 1
			return token.Token{Kind: token.STRING, Pos: token.Pos(start), End: token.Pos(l.off), Lit: l.src[start:l.off], Value: val.String()}
		case '\n':
			val.WriteByte('\n')
			off++
			p := off
			for p < len(l.src) && (l.src[p] == ' ' || l.src[p] == '\t' || l.src[p] == '\r') {
				p++
			}
			if p < len(l.src) && l.src[p] == '|' {
				off = p + 1
			}
		case 0:
			// PostgreSQL's text cannot hold it, and no 1C string does.
			l.err(token.Pos(off), "a string cannot hold the character U+0000 (NUL)")
			val.WriteByte(c)
			off++
		default:
			n := 1
			if c >= utf8.RuneSelf {
				var r rune
				if r, n = utf8.DecodeRuneInString(l.src[off:]); r == utf8.RuneError && n <= 1 {
					l.err(token.Pos(off), "the text is not valid UTF-8")
				}
			}
			val.WriteString(l.src[off : off+n])
			off += n
		}
	}
}

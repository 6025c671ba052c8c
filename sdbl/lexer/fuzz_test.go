package lexer

import (
	"dostup/internal/testcorpus"

	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"dostup/sdbl/token"
)

// FuzzLexer checks that tokens cover the text in order: each token's Lit is
// the text between its Pos and End, tokens do not overlap, only blanks and
// comments lie between them, and EOF comes at the end.
func FuzzLexer(f *testing.F) {
	for _, s := range []string{
		"ВЫБРАТЬ Т.Ссылка КАК Ссылка ИЗ Справочник.К КАК Т ГДЕ Т.А <> 1.5 И Т.Б >= &П",
		"ГДЕ А = \"стр\"\"ока\n\t|продолжение\" // комментарий\n#Если",
		"a & # \"unterminated",
		"\uFEFFselect\u00a0* from t;",
		"\xff\xfe<=>=<>/ //",
		"ГДЕ А = \"а\x00б\" ИЛИ Б = \"\xffв\" И \x00",
	} {
		f.Add(s)
	}
	for _, s := range testcorpus.Conditions(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		toks := All(src, func(pos token.Pos, msg string) {
			if pos < 0 || int(pos) > len(src) || msg == "" {
				t.Fatalf("bad error report %d %q", pos, msg)
			}
		})
		prev := 0
		for i, tok := range toks {
			if int(tok.Pos) < prev || tok.End < tok.Pos || int(tok.End) > len(src) {
				t.Fatalf("token %d %q at %d..%d after %d", i, tok.Lit, tok.Pos, tok.End, prev)
			}
			if gap := src[prev:tok.Pos]; !blank(gap) {
				t.Fatalf("token %d: text %q skipped", i, gap)
			}
			if tok.Kind == token.EOF {
				if i != len(toks)-1 || int(tok.Pos) != len(src) {
					t.Fatalf("EOF at %d of %d, token %d of %d", tok.Pos, len(src), i, len(toks))
				}
				continue
			}
			if tok.End == tok.Pos {
				t.Fatalf("empty token %d of kind %v", i, tok.Kind)
			}
			if tok.Lit != src[tok.Pos:tok.End] {
				t.Fatalf("token %d Lit %q, text %q", i, tok.Lit, src[tok.Pos:tok.End])
			}
			prev = int(tok.End)
		}
	})
}

// blank reports whether s holds only white space and // comments.
func blank(s string) bool {
	for s != "" {
		if strings.HasPrefix(s, "//") {
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return true
			}
			s = s[i+1:]
			continue
		}
		r, n := utf8.DecodeRuneInString(s)
		if !unicode.IsSpace(r) && r != '\uFEFF' {
			return false
		}
		s = s[n:]
	}
	return true
}

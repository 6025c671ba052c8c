package rls

import (
	"strings"

	"dostup/sdbl/lexer"
	"dostup/sdbl/token"
)

// MessageOf reports whether a variant text is a message rather than a
// restriction, and returns the message with white space folded. The query
// language has no colon, so a word followed by a colon cannot be part of a
// restriction: the Standard Subsystems Library writes such lines on purpose
// (Ошибка: ..., Error: ..., НеверноеПраво: ..., НеверныйВидДоступа: ...) so
// that a session whose parameters select them fails with that text.
func MessageOf(text string) (string, bool) {
	l := lexer.New(text, nil)
	prev := l.Next()
	for prev.Kind != token.EOF {
		t := l.Next()
		if prev.Kind == token.IDENT && t.Kind == token.ILLEGAL && t.Lit == ":" && t.Pos == prev.End {
			// Ошибка: and Error: introduce the whole message; other words
			// (НеверноеПраво: Чтение) are part of it, up to the end of the line.
			if strings.EqualFold(prev.Lit, "Ошибка") || strings.EqualFold(prev.Lit, "Error") {
				return strings.Join(strings.Fields(text[t.End:]), " "), true
			}
			line := text[prev.Pos:]
			if i := strings.IndexByte(line, '\n'); i >= 0 {
				line = line[:i]
			}
			return strings.Join(strings.Fields(line), " "), true
		}
		prev = t
	}
	return "", false
}

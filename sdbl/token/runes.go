package token

import (
	"unicode"
	"unicode/utf8"
)

// The texts of 1C applications are Russian names and ASCII; these answer for
// those two alphabets without the tables the unicode package searches, which
// were a tenth of checking a configuration's restrictions.

// IsLetter reports whether r is a letter, as unicode.IsLetter does.
func IsLetter(r rune) bool {
	switch {
	case r < 0x80:
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	case 'А' <= r && r <= 'я' || r == 'ё' || r == 'Ё':
		return true
	}
	return unicode.IsLetter(r)
}

// IsNamePart reports whether r may continue a name: a letter, a digit or _.
func IsNamePart(r rune) bool {
	if r < 0x80 {
		return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return IsLetter(r) || unicode.IsDigit(r)
}

// ToLower maps r to lower case, as unicode.ToLower does.
func ToLower(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case 'А' <= r && r <= 'Я':
		return r + 'а' - 'А'
	case 'а' <= r && r <= 'я' || r == 'ё':
		return r
	case r == 'Ё':
		return 'ё'
	}
	return unicode.ToLower(r)
}

// NameEnd returns the end of the run of name characters (IsNamePart)
// starting at s[off], off itself when there is none. ASCII and the two-byte
// Cyrillic letters, all of U+0400–U+047F, are read without decoding.
func NameEnd(s string, off int) int {
	i := off
	for i < len(s) {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if !IsNamePart(rune(c)) {
				return i
			}
			i++
		case (c == 0xD0 || c == 0xD1) && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			i += 2
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !IsNamePart(r) {
				return i
			}
			i += n
		}
	}
	return i
}

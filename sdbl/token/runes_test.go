package token

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestRunesAgreeWithUnicode holds the fast paths to the unicode package over
// the whole Basic Multilingual Plane and beyond.
func TestRunesAgreeWithUnicode(t *testing.T) {
	for r := rune(0); r <= 0x2FFFF; r++ {
		if got, want := IsLetter(r), unicode.IsLetter(r); got != want {
			t.Fatalf("IsLetter(%U) = %v, unicode says %v", r, got, want)
		}
		if got, want := IsNamePart(r), r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r); got != want {
			t.Fatalf("IsNamePart(%U) = %v, unicode says %v", r, got, want)
		}
		if got, want := ToLower(r), unicode.ToLower(r); got != want {
			t.Fatalf("ToLower(%U) = %U, unicode says %U", r, got, want)
		}
	}
}

// TestNameEnd compares the fast scan with decoding rune by rune.
func TestNameEnd(t *testing.T) {
	for _, s := range []string{"", "Имя", "Имя.Поле", "a1_b c", "Ёлка ёж", "ҁ҂", "Ѐx", "日本語 x", "x\xd0", "\xd0\x41", "Поле\u00a0", "abc\xff"} {
		want := 0
		for want < len(s) {
			r, n := utf8.DecodeRuneInString(s[want:])
			if !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
				break
			}
			want += n
		}
		if got := NameEnd(s, 0); got != want {
			t.Errorf("NameEnd(%q) = %d, want %d", s, got, want)
		}
	}
}

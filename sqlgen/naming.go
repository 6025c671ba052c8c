package sqlgen

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
)

// translit spells a 1C name in lower-case Latin letters, digits and _, so
// generated SQL names read close to the configuration's own.
func translit(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r >= 'а' && r <= 'я':
			b.WriteString(cyrillicLower[r-'а']) // ъ and ь spell nothing
		case r >= 'А' && r <= 'Я':
			b.WriteString(cyrillicLower[r-'А'])
		case r == 'ё' || r == 'Ё':
			b.WriteString("e")
		case r >= 0x80:
			// Lower-cased as a string: some letters lower-case to two
			// runes (İ to i and a combining dot, which spells nothing).
			for _, l := range strings.ToLower(string(r)) {
				switch {
				case l >= 'a' && l <= 'z':
					b.WriteRune(l)
				case cyrillic[l] != "" || l == 'ъ' || l == 'ь':
					b.WriteString(cyrillic[l])
				case unicode.IsLetter(l) || unicode.IsDigit(l):
					fmt.Fprintf(&b, "u%x", l)
				}
			}
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

// cyrillicLower spells а..я by their place after а: translit's fast path
// for the names of a configuration, which a big application has hundreds
// of thousands of.
var cyrillicLower = func() [32]string {
	var t [32]string
	for r := 'а'; r <= 'я'; r++ {
		t[r-'а'] = cyrillic[r]
	}
	return t
}()

var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "",
	'э': "e", 'ю': "yu", 'я': "ya",
}

// maxIdent is PostgreSQL's limit on identifiers, in bytes.
const maxIdent = 63

// fit shortens a name beyond the identifier limit, keeping it unique with a
// hash of the whole.
func fit(name string) string {
	if len(name) <= maxIdent {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return fmt.Sprintf("%s_%08x", name[:maxIdent-9], h.Sum32())
}

// namer hands out names unique within one scope (the tables of a database,
// the columns of a table), comparing without regard to case.
type namer map[string]bool

func (n namer) take(name string) string {
	name = fit(name)
	base := name
	key := lowerASCII(name)
	for i := 2; n[key]; i++ {
		name = fit(fmt.Sprintf("%s_%d", base, i))
		key = lowerASCII(name)
	}
	n[key] = true
	return name
}

// lowerASCII lower-cases a name, without copying one that is lower-case
// ASCII already (translit's names all are).
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

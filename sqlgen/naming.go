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
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case isCyrillic(r):
			b.WriteString(cyrillic[r]) // ъ and ь spell nothing
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			fmt.Fprintf(&b, "u%x", r)
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

func isCyrillic(r rune) bool {
	_, ok := cyrillic[r]
	return ok
}

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
	for i := 2; n[strings.ToLower(name)]; i++ {
		name = fit(fmt.Sprintf("%s_%d", base, i))
	}
	n[strings.ToLower(name)] = true
	return name
}

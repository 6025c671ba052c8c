package vocab

import "strings"

// named is an entry of one of the tables: a word in English and in Russian.
type named interface{ names() (en, ru string) }

// first returns the first entry of list whose words match. The tables are
// short and looked up rarely enough that a scan beats keeping an index in
// step with them.
func first[E named](list []E, match func(en, ru string) bool) (E, bool) {
	for _, e := range list {
		if match(e.names()) {
			return e, true
		}
	}
	var zero E
	return zero, false
}

// find returns the entry named name in either language, in any letter case.
func find[E named](list []E, name string) (E, bool) {
	return first(list, func(en, ru string) bool { return strings.EqualFold(en, name) || strings.EqualFold(ru, name) })
}

// exact returns the entry whose English word is en as written: methods of
// Kind and Right look up their own value, which ParseKind and ParseRight
// have already made canonical.
func exact[E named](list []E, en string) (E, bool) {
	return first(list, func(w, _ string) bool { return w == en })
}

// words returns the English words of list, in its order, as a new slice so
// that no caller can change the table for everyone.
func words[T ~string, E named](list []E) []T {
	out := make([]T, len(list))
	for i, e := range list {
		en, _ := e.names()
		out[i] = T(en)
	}
	return out
}

// parse returns the English word of the entry name names in either language.
func parse[T ~string, E named](list []E, name string) (T, bool) {
	e, ok := find(list, name)
	if !ok {
		return "", false
	}
	en, _ := e.names()
	return T(en), true
}

// russian returns the Russian word of the entry en, or en itself when there
// is none, so that a mistake shows unchanged in messages.
func russian[E named](list []E, en string) string {
	if e, ok := exact(list, en); ok {
		_, ru := e.names()
		return ru
	}
	return en
}

// pick chooses the English or the Russian word.
func pick(english bool, en, ru string) string {
	if english {
		return en
	}
	return ru
}

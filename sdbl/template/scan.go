package template

import (
	"fmt"
	"strconv"
	"strings"
)

// kind tells what an item of a scanned text does when expanded.
type kind uint8

const (
	kLiteral   kind = iota // text[off:end] is copied as written
	kParam                 // the n-th argument of the call (#Параметр(n+1) or a named parameter)
	kTable                 // #ТекущаяТаблица: the table's full name
	kTableName             // #ИмяТекущейТаблицы: that name as a string literal
	kRight                 // #ИмяТекущегоПраваДоступа: the right's name as a string literal
	kCall                  // #Name("...", ...): another template
	kError                 // a mistake found by the scan, reported at off on every expansion
)

// item is one piece of a scanned text. Offsets are byte offsets of the text
// scanned (a template body or a restriction).
type item struct {
	kind     kind
	off, end int      // the span the item stands for; off is the '#' of a directive
	n        int      // kParam: 0-based argument index
	name     string   // kCall: template name; kTable...: the word as written
	args     [][]item // kCall: the arguments, scanned in the caller's context
	msg      string   // kError; kCall without parentheses: the error when the name is no template
}

// directives are left for the preprocessor. Both spellings of "else if"
// occur: the platform documents #ИначеЕсли/#ElsIf, and the English
// configurations in the corpus write #ElseIf.
var directives = map[string]bool{
	"если": true, "тогда": true, "иначеесли": true, "иначе": true, "конецесли": true,
	"if": true, "then": true, "elsif": true, "elseif": true, "else": true, "endif": true,
}

// keywords are the names the expander itself fills in.
var keywords = map[string]kind{
	"параметр": kParam, "parameter": kParam,
	"текущаятаблица": kTable, "currenttable": kTable,
	"имятекущейтаблицы": kTableName, "currenttablename": kTableName,
	"имятекущегоправадоступа": kRight, "currentaccessrightname": kRight,
}

// scanner turns a text into items. It tracks string literals only to know
// where a // comment really starts ("http://x" is not a comment);
// substitution happens inside string literals too, because real templates
// write "#Параметр(1)" and ",#Поле1;".
type scanner struct {
	text       string
	inTemplate bool     // #Параметр(n) and named parameters are allowed
	params     []string // named parameters of the template
	items      []item   // top level; errors always go here
}

// scan returns the items of text. It never fails: mistakes become kError
// items so that each expansion reports them with its own call chain.
func scan(text string, inTemplate bool, params []string) []item {
	s := &scanner{text: text, inTemplate: inTemplate, params: params}
	s.body()
	return s.items
}

func (s *scanner) body() {
	t := s.text
	start, inString := 0, false
	for i := 0; i < len(t); {
		switch c := t[i]; {
		case c == '"':
			// "" inside a string toggles twice and so needs no special case.
			inString = !inString
			i++
		case c == '/' && !inString && i+1 < len(t) && t[i+1] == '/':
			// A comment is copied unchanged, # and quotes included: the
			// templates' comments quote calls such as // ДляРегистра(Регистр, Поле2 = "").
			if j := strings.IndexByte(t[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(t)
			}
		case c == '#':
			i, start = s.hash(i, start, &s.items, false)
		default:
			i++
		}
	}
	s.literal(&s.items, start, len(t))
}

// literal appends text[from:to] to out as a literal chunk.
func (s *scanner) literal(out *[]item, from, to int) {
	if from < to {
		*out = append(*out, item{kind: kLiteral, off: from, end: to})
	}
}

func (s *scanner) errorf(off int, format string, args ...any) {
	s.items = append(s.items, item{kind: kError, off: off, msg: fmt.Sprintf(format, args...)})
}

// hash handles the '#' at i. start is where the pending literal chunk began;
// hash returns where scanning goes on and where the pending chunk now begins
// (unchanged when the text at i stays literal: directives, mistakes).
func (s *scanner) hash(i, start int, out *[]item, inArg bool) (next, newStart int) {
	t := s.text
	if i+1 < len(t) && t[i+1] == '#' {
		s.literal(out, start, i+1) // keeps one '#'
		return i + 2, i + 2
	}
	k := identEnd(t, i+1)
	word := t[i+1 : k]
	if word == "" {
		s.errorf(i, "# must be followed by a name (write ## for a # sign)")
		return i + 1, start
	}
	lw := strings.ToLower(word)
	if directives[lw] {
		return k, start
	}
	emit := func(it item) (int, int) {
		s.literal(out, start, i)
		*out = append(*out, it)
		return it.end, it.end
	}
	switch keywords[lw] {
	case kParam:
		n, end, ok := s.paramNumber(i, k, word)
		if !ok {
			return end, start
		}
		if !s.inTemplate {
			s.errorf(i, "#%s(%d) can only be used inside a template: the restriction text has no arguments", word, n)
			return end, start
		}
		return emit(item{kind: kParam, off: i, end: end, n: n - 1})
	case kTable:
		return emit(item{kind: kTable, off: i, end: k, name: word})
	case kTableName:
		return emit(item{kind: kTableName, off: i, end: k, name: word})
	case kRight:
		return emit(item{kind: kRight, off: i, end: k, name: word})
	}
	if s.inTemplate {
		for n, p := range s.params {
			if strings.EqualFold(p, word) {
				return emit(item{kind: kParam, off: i, end: k, n: n})
			}
		}
	}
	if p := skipBlanks(t, k); p < len(t) && t[p] == '(' {
		if inArg {
			s.errorf(i, "template call #%s(...) inside an argument of another call is not supported: call it in the template body instead", word)
			return k, start
		}
		it, end, ok := s.call(i, word, p)
		if !ok {
			return end, start
		}
		it.end = end
		return emit(it)
	}
	// A template called without parentheses (#ИмяШаблона) has no
	// arguments, as 1C expands it. Whether the name is a template is known
	// only at expansion, which gives this message when it is not one.
	var msg string
	switch {
	case s.inTemplate && len(s.params) == 0:
		msg = fmt.Sprintf("unknown template parameter or template #%s (the template has no named parameters: use #Параметр(n) or call a template as #%s(\"...\"))", word, word)
	case s.inTemplate:
		msg = fmt.Sprintf("unknown template parameter or template #%s (the template's parameters are: %s)", word, strings.Join(s.params, ", "))
	default:
		msg = fmt.Sprintf("unknown #%s: it is neither a preprocessor directive nor a template of the role (a call is written #%s or #%s(\"...\"); a # sign is written ##)", word, word, word)
	}
	return emit(item{kind: kCall, off: i, end: k, name: word, msg: msg})
}

// paramNumber reads the "(n)" after #Параметр whose word ends at k. It
// returns n (1-based), where the directive ends and whether it is well formed.
func (s *scanner) paramNumber(i, k int, word string) (n, end int, ok bool) {
	t := s.text
	p := skipBlanks(t, k)
	if p >= len(t) || t[p] != '(' {
		s.errorf(i, "#%s needs the number of an argument in parentheses, as in #%s(1)", word, word)
		return 0, k, false
	}
	a := p + 1
	// The number ends at ')' but never past a quote or the end of the line,
	// so that a typo cannot swallow the rest of the text.
	b := a
	for b < len(t) && t[b] != ')' && t[b] != '"' && t[b] != '\n' {
		b++
	}
	if b >= len(t) || t[b] != ')' {
		s.errorf(i, "missing ) after #%s(", word)
		return 0, a, false
	}
	num := strings.TrimSpace(t[a:b])
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || strings.ContainsAny(num, "+-") {
		s.errorf(a, "#%s(%s): the argument number must be a whole number from 1 up", word, num)
		return 0, b + 1, false
	}
	return n, b + 1, true
}

// call reads the arguments of the call #name( whose '#' is at i and whose
// '(' is at p. Each argument is a string in double quotes ("" for a quote
// inside); between them go commas, white space, line breaks and // comments.
// On a mistake the call is not expanded (ok is false) and next is where
// scanning should go on.
func (s *scanner) call(i int, name string, p int) (it item, next int, ok bool) {
	t := s.text
	it = item{kind: kCall, off: i, name: name}
	ok = true
	j := p + 1
	for n := 1; ; n++ {
		j = s.skipSpace(j)
		if j >= len(t) {
			s.errorf(i, "missing ) to close the call of #%s(", name)
			return it, len(t), false
		}
		if t[j] == ')' && n == 1 {
			return it, j + 1, ok
		}
		if t[j] == '"' {
			arg, end, aok := s.arg(j, n, name)
			if !aok {
				return it, end, false
			}
			it.args = append(it.args, arg)
			j = end
		} else {
			s.errorf(j, "argument %d of #%s must be a string in double quotes", n, name)
			ok = false
			k := strings.IndexAny(t[j:], ",)")
			if k < 0 {
				s.errorf(i, "missing ) to close the call of #%s(", name)
				return it, len(t), false
			}
			j += k
		}
		j = s.skipSpace(j)
		if j >= len(t) {
			s.errorf(i, "missing ) to close the call of #%s(", name)
			return it, len(t), false
		}
		switch t[j] {
		case ',':
			j++
		case ')':
			return it, j + 1, ok
		default:
			s.errorf(j, "expected , or ) after argument %d of #%s", n, name)
			return it, j, false
		}
	}
}

// arg reads the argument string whose opening quote is at q. Substitutions
// inside it are made in the caller's context, which is how a template hands
// its own arguments on: #ПоЗначениям("#Параметр(1)", ...).
func (s *scanner) arg(q, n int, name string) (out []item, next int, ok bool) {
	t := s.text
	start := q + 1
	for k := q + 1; k < len(t); {
		switch t[k] {
		case '"':
			if k+1 < len(t) && t[k+1] == '"' {
				s.literal(&out, start, k+1) // one quote, mapped to the first of the two
				k += 2
				start = k
				continue
			}
			s.literal(&out, start, k)
			return out, k + 1, true
		case '#':
			k, start = s.hash(k, start, &out, true)
		default:
			k++
		}
	}
	s.errorf(q, "unterminated string in argument %d of #%s: the closing \" is missing", n, name)
	return nil, len(t), false
}

// skipSpace skips white space, line breaks and // comments between arguments.
func (s *scanner) skipSpace(j int) int {
	t := s.text
	for j < len(t) {
		switch t[j] {
		case ' ', '\t', '\r', '\n':
			j++
		case '/':
			if j+1 < len(t) && t[j+1] == '/' {
				if e := strings.IndexByte(t[j:], '\n'); e >= 0 {
					j += e
				} else {
					j = len(t)
				}
				continue
			}
			return j
		default:
			return j
		}
	}
	return j
}

// skipBlanks skips spaces and tabs, not line breaks: "#КонецЕсли\n(" is a
// directive followed by a parenthesis, not a call.
func skipBlanks(t string, j int) int {
	for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
		j++
	}
	return j
}

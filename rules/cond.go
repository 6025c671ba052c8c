package rules

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Level is how narrowly a condition matched a context value, the measure of
// SPEC §4's step 2: a rule is more specific than another when on every
// property its level is at most the other's and on one strictly less.
type Level uint8

// The levels, narrowest first. The level belongs to the match, not to the
// text: the condition Менеджер matches Роль=Менеджер exactly and Роль=Стажер
// through the group (the seed's table: "the value in the context equals the
// rule's value" is the particular case, "belongs to its group" the general).
const (
	Exact   Level = iota // the context value is the value written
	Similar              // one of a list, or a synonym of the value written
	Group                // a member of the group written, inside a range or comparison, or a NOT
	Anyway               // the rule says nothing about the property
)

var levelNames = [...]string{"exact", "list/synonym", "group/range", "any"}

// String names the level as SPEC §4 does.
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("Level(%d)", l)
}

// Cond is one parsed condition: a list of terms, possibly negated.
type Cond struct {
	Not   bool
	Terms []Term
	kind  Kind
	text  string // String(), computed once: traces print it on every decision
}

// Term is one alternative of a condition: a value (matched exactly, through
// a synonym or through a group) or, for numbers and dates, an interval.
type Term struct {
	Value Value // the value written (strings, references; the point of a number or date)
	// Interval bounds for numbers and dates; a point value is the closed
	// interval [N, N] (a whole day [D, D+1) for a date without time).
	Lo, Hi         float64
	LoOpen, HiOpen bool
	Point          bool   // a single value rather than a range or comparison
	Text           string // the term as canonically printed
}

// IsAny reports whether the condition is empty, which matches anything.
func (c *Cond) IsAny() bool { return c == nil || (!c.Not && len(c.Terms) == 0) }

// String prints the condition canonically; parsing it again gives the same
// condition.
func (c *Cond) String() string {
	if c.IsAny() {
		return ""
	}
	if c.text != "" {
		return c.text
	}
	return c.format()
}

func (c *Cond) format() string {
	var b strings.Builder
	if c.Not {
		b.WriteString("НЕ ")
	}
	for i, t := range c.Terms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t.Text)
	}
	return b.String()
}

// CondError is a mistake in a condition's text, at a byte offset of it.
type CondError struct {
	Offset int
	Msg    string
}

func (e *CondError) Error() string { return e.Msg }

// anyWords spell "any" explicitly; an empty cell means the same.
var anyWords = map[string]bool{"*": true, "любое": true, "любой": true, "any": true}

// ParseCond parses the condition of one cell for a property of type t:
//
//	Стажер                 the value (and its synonyms and members, if a group)
//	Расходная, Приходная   a list: any of them
//	>1000  >= 7  <7  <=0   a comparison (numbers and dates)
//	1000..5000             a range, both ends included
//	01.01.2004..31.12.2004 a date range; a date without time is the whole day
//	<>Водка                anything but
//	НЕ Алкоголь, Табак     NOT of any condition (NOT also spelled НЕ or not)
//	"Рога, копыта"         quotes ("", '' or «») keep commas and spaces in a value
//
// An empty text, *, Любое or any matches anything.
func ParseCond(text string, t Type) (*Cond, error) {
	if !utf8.ValidString(text) {
		return nil, &CondError{Msg: "the condition is not valid UTF-8 text"}
	}
	p := &condParser{src: text, kind: t.Kind}
	c, err := p.parse()
	if err != nil {
		return nil, err
	}
	if !c.IsAny() {
		c.text = c.format()
	}
	return c, nil
}

type condParser struct {
	src  string
	pos  int
	kind Kind
}

func (p *condParser) errorf(at int, format string, args ...any) error {
	return &CondError{Offset: at, Msg: fmt.Sprintf(format, args...)}
}

func (p *condParser) skipSpace() {
	for p.pos < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		if r != ' ' && r != '\t' && r != '\u00a0' && r != '\n' && r != '\r' {
			return
		}
		p.pos += n
	}
}

func (p *condParser) parse() (*Cond, error) {
	c := &Cond{kind: p.kind}
	p.skipSpace()
	if rest := strings.TrimSpace(p.src[p.pos:]); rest == "" || anyWords[strings.ToLower(rest)] {
		return c, nil
	}
	if w, n := p.word(); n > 0 && (strings.EqualFold(w, "НЕ") || strings.EqualFold(w, "NOT")) {
		p.pos += n
		c.Not = true
		p.skipSpace()
		if p.pos == len(p.src) {
			return nil, p.errorf(p.pos, "НЕ (NOT) needs a condition after it")
		}
		if w, n := p.word(); n > 0 && (strings.EqualFold(w, "НЕ") || strings.EqualFold(w, "NOT")) {
			return nil, p.errorf(p.pos, "НЕ НЕ: write the condition without the two negations")
		}
	}
	if strings.HasPrefix(p.src[p.pos:], "<>") {
		if c.Not {
			return nil, p.errorf(p.pos, "НЕ <>: write the value with = instead")
		}
		p.pos += 2
		c.Not = true
		t, err := p.term(false)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos < len(p.src) {
			return nil, p.errorf(p.pos, "<> takes one value; for several write НЕ a, b")
		}
		c.Terms = append(c.Terms, t)
		return c, nil
	}
	for {
		p.skipSpace()
		t, err := p.term(true)
		if err != nil {
			return nil, err
		}
		c.Terms = append(c.Terms, t)
		p.skipSpace()
		if p.pos == len(p.src) {
			return c, nil
		}
		if p.src[p.pos] != ',' && p.src[p.pos] != ';' {
			return nil, p.errorf(p.pos, "expected a comma between values, found %q", p.rest(10))
		}
		p.pos++
	}
}

func (p *condParser) rest(n int) string {
	s := p.src[p.pos:]
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		return string(r[:n]) + "…"
	}
	return s
}

// word returns the letters at the position (for НЕ / NOT).
func (p *condParser) word() (string, int) {
	i := p.pos
	for i < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[i:])
		if r == ' ' || r == '\t' || r == ',' || r == '\u00a0' {
			break
		}
		i += n
	}
	return p.src[p.pos:i], i - p.pos
}

// term reads one alternative: an optional comparison, a value, an optional ..value.
func (p *condParser) term(allowOps bool) (Term, error) {
	start := p.pos
	op := ""
	for _, o := range []string{">=", "<=", "<>", ">", "<", "="} {
		if strings.HasPrefix(p.src[p.pos:], o) {
			op = o
			break
		}
	}
	if op != "" {
		if op == "<>" {
			return Term{}, p.errorf(p.pos, "<> applies to the whole condition: write <>x alone, or НЕ a, b")
		}
		if !allowOps && op != "=" {
			return Term{}, p.errorf(p.pos, "unexpected %s", op)
		}
		if op != "=" && !p.kind.ordered() {
			return Term{}, p.errorf(p.pos, "a comparison %s applies to numbers and dates; this property holds %ss (write the value, a list or a group)", op, p.kind)
		}
		p.pos += len(op)
		p.skipSpace()
	}
	vStart := p.pos
	raw, err := p.value()
	if err != nil {
		return Term{}, err
	}
	v, whole, err := parseValue(p.kind, raw)
	if err != nil {
		return Term{}, p.errorf(vStart, "%v", err)
	}
	t := Term{Value: v}
	if !p.kind.ordered() {
		t.Point = true
		t.Text = quoteIfNeeded(v.S)
		return t, nil
	}
	day := 0.0
	if whole {
		day = 86400
	}
	switch op {
	case "", "=":
		p.skipSpace()
		if op == "" && strings.HasPrefix(p.src[p.pos:], "..") {
			p.pos += 2
			p.skipSpace()
			hStart := p.pos
			hraw, err := p.value()
			if err != nil {
				return Term{}, err
			}
			hv, hwhole, err := parseValue(p.kind, hraw)
			if err != nil {
				return Term{}, p.errorf(hStart, "%v", err)
			}
			t.Lo, t.Hi = v.N, hv.N
			if hwhole {
				t.Hi += 86400
				t.HiOpen = true
			}
			if t.Hi < t.Lo || (t.Hi == t.Lo && t.HiOpen) {
				return Term{}, p.errorf(start, "the range %s..%s is empty: its start is after its end", v.format(p.kind), hv.format(p.kind))
			}
			t.Text = v.format(p.kind) + ".." + hv.format(p.kind)
			return t, nil
		}
		t.Point = true
		t.Lo, t.Hi = v.N, v.N+day
		t.HiOpen = whole
		t.Text = v.format(p.kind)
	case ">":
		t.Lo, t.LoOpen, t.Hi = v.N+day, !whole, math.Inf(1)
		if whole {
			t.LoOpen = false
		}
	case ">=":
		t.Lo, t.Hi = v.N, math.Inf(1)
	case "<":
		t.Lo, t.Hi, t.HiOpen = math.Inf(-1), v.N, true
	case "<=":
		t.Lo, t.Hi, t.HiOpen = math.Inf(-1), v.N+day, whole
	}
	if !t.Point {
		t.Text = op + v.format(p.kind)
	}
	return t, nil
}

// value reads a quoted or bare value; a bare value ends at a comma, a
// semicolon or (for numbers and dates) "..".
func (p *condParser) value() (string, error) {
	if p.pos == len(p.src) {
		return "", p.errorf(p.pos, "a value is missing")
	}
	r, n := utf8.DecodeRuneInString(p.src[p.pos:])
	var closeQ rune
	switch r {
	case '"':
		closeQ = '"'
	case '\'':
		closeQ = '\''
	case '«':
		closeQ = '»'
	}
	if closeQ != 0 {
		start := p.pos
		p.pos += n
		var b strings.Builder
		for p.pos < len(p.src) {
			r, n := utf8.DecodeRuneInString(p.src[p.pos:])
			p.pos += n
			if r == closeQ {
				// 1C doubles a quote inside a string: "a""b".
				if closeQ != '»' && strings.HasPrefix(p.src[p.pos:], string(closeQ)) {
					b.WriteRune(r)
					p.pos += n
					continue
				}
				v := strings.TrimSpace(b.String())
				if v == "" {
					return "", p.errorf(start, "an empty value in quotes")
				}
				return v, nil
			}
			b.WriteRune(r)
		}
		return "", p.errorf(start, "the quote opened here is not closed")
	}
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == ',' || c == ';' {
			break
		}
		if p.kind.ordered() && strings.HasPrefix(p.src[p.pos:], "..") {
			break
		}
		if c == '"' || c == '<' || c == '>' || c == '=' {
			return "", p.errorf(p.pos, "unexpected %q inside a value; quote values that contain it", string(c))
		}
		p.pos++
	}
	v := strings.TrimSpace(p.src[start:p.pos])
	if v == "" {
		return "", p.errorf(start, "a value is missing")
	}
	return v, nil
}

// quoteIfNeeded quotes a value that would not read back as itself.
func quoteIfNeeded(s string) string {
	plain := s != "" && !strings.ContainsAny(s, ",;\"'«»<>=\t\n\r") && strings.TrimSpace(s) == s
	low := strings.ToLower(s)
	if plain && !anyWords[low] && low != "не" && low != "not" && !strings.HasPrefix(low, "не ") && !strings.HasPrefix(low, "not ") && !strings.ContainsRune(s, '\u00a0') {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// contains reports whether an ordered value lies in the term's interval.
func (t *Term) contains(n float64) bool {
	if n < t.Lo || (n == t.Lo && t.LoOpen) {
		return false
	}
	if n > t.Hi || (n == t.Hi && t.HiOpen) {
		return false
	}
	return true
}

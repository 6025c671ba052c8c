package preproc

import (
	"strings"
	"unicode/utf8"

	"dostup/sdbl/source"
)

// node is an element of a body: a range of text or an if-chain.
type node interface{ isNode() }

// textNode is a range of the input copied as is.
type textNode struct{ from, to int }

// branch is one #Если or #ИначеЕсли with its condition and body.
type branch struct {
	off  int  // offset of the directive
	cond expr // nil only in a Program with errors
	body []node
}

// ifNode is one #Если ... #КонецЕсли chain. Its slots are its branches and
// then the #Иначе part, which exists even when the text has no #Иначе: taking
// no branch is an outcome that coverage must see too.
type ifNode struct {
	branches []branch
	elseBody []node
	elseOff  int // offset of #Иначе, or of #КонецЕсли when there is none
	slot     int // index of the first slot in Program.slots
}

func (*textNode) isNode() {}
func (*ifNode) isNode()   {}

// slotInfo describes one outcome of a chain for coverage reports.
type slotInfo struct {
	off      int   // offset of the directive that starts it
	children []int // first slots of the chains directly inside its body
	parent   int   // slot whose body holds the chain, -1 at top level
}

// Program is a parsed restriction text: the directive structure with
// conditions parsed, ready to be walked any number of times.
type Program struct {
	src    source.Text
	root   []node
	slots  []slotInfo
	chains []*ifNode
	en     bool // English keywords in the first directive: atoms print in English
}

// Source returns the text the program was parsed from.
func (p *Program) Source() source.Text { return p.src }

// Chains returns the number of #Если ... #КонецЕсли chains in the text.
func (p *Program) Chains() int { return len(p.chains) }

// Branches returns the number of outcomes of all chains: each #Если and
// #ИначеЕсли branch, plus the #Иначе part of every chain, written or not.
func (p *Program) Branches() int { return len(p.slots) }

// frame is an open chain during parsing.
type frame struct {
	n       *ifNode
	off     int // offset of #Если
	word    string
	hasElse bool
	body    *[]node // where text goes now
}

type parser struct {
	t      source.Text
	s      string
	errs   ErrorList
	params map[string]string
	prog   *Program
	stack  []*frame
	root   []node
}

func (p *parser) errorAt(off int, msg string) { p.errs.Add(p.t.Locate(off), errCode, msg) }

func (p *parser) cur() *[]node {
	if n := len(p.stack); n > 0 {
		return p.stack[n-1].body
	}
	return &p.root
}

func (p *parser) text(from, to int) {
	if from < to {
		b := p.cur()
		*b = append(*b, &textNode{from, to})
	}
}

// names gives the partner directive words in the language of the one written.
func names(word string) (ifW, thenW, endW string) {
	r, _ := utf8.DecodeRuneInString(word[1:])
	if r < 0x80 {
		return "#If", "#Then", "#EndIf"
	}
	return "#Если", "#Тогда", "#КонецЕсли"
}

// parseStops are the bytes Parse looks at outside strings.
var parseStops = [256]bool{'"': true, '\n': true, '/': true, '#': true}

// Parse reads the directive structure of t. All errors found are returned
// together as an ErrorList; the Program is nil then.
func Parse(t source.Text) (*Program, error) {
	if t.Map == nil {
		// A Text made by hand has no map; give it one so that errors and
		// copies still work.
		t = source.FromFile(source.NewFile("", t.Body))
	}
	p := &parser{t: t, s: t.Body, params: map[string]string{}, prog: &Program{src: t}}
	s := p.s
	first := true
	textStart := 0
	inStr := false
	lineStart := true
	for i := 0; i < len(s); {
		if lineStart {
			lineStart = false
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r') {
				j++
			}
			if k, _ := directiveAt(s, j); k != dNone && k != dThen {
				inStr = false // a directive that opens a line always counts
				i = j
			}
		}
		if !inStr {
			for i < len(s) && !parseStops[s[i]] {
				i++ // query text, most of an expanded template
			}
			if i == len(s) {
				break
			}
		}
		c := s[i]
		if c == '\n' {
			lineStart = true
			i++
			continue
		}
		if inStr {
			if c == '"' {
				inStr = false
			}
			i++ // a "" escape is two strings back to back: same result
			continue
		}
		switch c {
		case '"':
			inStr = true
			i++
			continue
		case '/':
			if i+1 < len(s) && s[i+1] == '/' {
				if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
					i += j
				} else {
					i = len(s)
				}
				continue
			}
			i++
			continue
		case '#':
		default:
			i++
			continue
		}
		k, end := directiveAt(s, i)
		if k == dNone {
			i++
			continue
		}
		word := s[i:end]
		if first {
			first = false
			r, _ := utf8.DecodeRuneInString(word[1:])
			p.prog.en = r < 0x80
		}
		p.text(textStart, i)
		ifW, thenW, _ := names(word)
		switch k {
		case dIf, dElsIf:
			cond, next := p.cond(i, end, word, thenW)
			if k == dIf {
				n := &ifNode{}
				n.branches = append(n.branches, branch{off: i, cond: cond})
				b := p.cur()
				*b = append(*b, n)
				p.stack = append(p.stack, &frame{n: n, off: i, word: word, body: &n.branches[0].body})
			} else if len(p.stack) == 0 {
				p.errorAt(i, word+" without "+ifW)
			} else if f := p.stack[len(p.stack)-1]; f.hasElse {
				p.errorAt(i, word+" after "+f.elseWord())
			} else {
				f.n.branches = append(f.n.branches, branch{off: i, cond: cond})
				f.body = &f.n.branches[len(f.n.branches)-1].body
			}
			i = next
		case dElse:
			if len(p.stack) == 0 {
				p.errorAt(i, word+" without "+ifW)
			} else if f := p.stack[len(p.stack)-1]; f.hasElse {
				p.errorAt(i, word+" twice in one "+f.word)
			} else {
				f.hasElse = true
				f.n.elseOff = i
				f.body = &f.n.elseBody
			}
			i = end
		case dEndIf:
			if len(p.stack) == 0 {
				p.errorAt(i, word+" without "+ifW)
			} else {
				f := p.stack[len(p.stack)-1]
				if !f.hasElse {
					f.n.elseOff = i
				}
				p.stack = p.stack[:len(p.stack)-1]
			}
			i = end
		case dThen:
			p.errorAt(i, word+" without "+ifW)
			i = end
		}
		textStart = i
	}
	p.text(textStart, len(s))
	for _, f := range p.stack {
		_, _, endW := names(f.word)
		p.errorAt(f.off, f.word+" is not closed with "+endW)
	}
	if len(p.errs) > 0 {
		p.errs.RemoveMultiples()
		return nil, p.errs
	}
	p.prog.root = p.root
	p.prog.number(p.root, -1)
	return p.prog, nil
}

func (f *frame) elseWord() string {
	r, _ := utf8.DecodeRuneInString(f.word[1:])
	if r < 0x80 {
		return "#Else"
	}
	return "#Иначе"
}

// cond parses the condition after the directive at off (ending at end) and
// returns it and the offset where the branch body starts.
func (p *parser) cond(off, end int, word, thenW string) (expr, int) {
	stop, cacheable := condEnd(p.s, end)
	cacheable = cacheable && condCacheOn
	if cacheable {
		if e, ok := cachedCondAt(p.s, end, stop, p.params); ok {
			return e, stop
		}
	}
	e, next := p.parseCond(off, end, word, thenW)
	if e != nil && cacheable && next == stop {
		e = p.prog.fold(e)
		keepCond(p.s, end, stop, e)
	}
	return e, next
}

// parseCond lexes and parses the condition after the directive at off.
func (p *parser) parseCond(off, end int, word, thenW string) (expr, int) {
	toks, stop, lexErr := lexCond(p.s, end)
	if lexErr != "" {
		p.errorAt(stop, lexErr)
		// Go on after the #Тогда of this condition when there is one, so
		// that one bad character does not hide the rest of the text.
		for j := stop; j < len(p.s); j++ {
			if p.s[j] == '#' {
				k, e := directiveAt(p.s, j)
				if k == dThen {
					return nil, e
				}
				if k != dNone {
					return nil, j
				}
			}
		}
		return nil, len(p.s)
	}
	last := toks[len(toks)-1]
	if last.kind != tThen {
		msg := word + " without " + thenW
		for _, t := range toks {
			if strings.EqualFold(t.text, "Тогда") || strings.EqualFold(t.text, "Then") {
				// The mistake 1C developers make most: BSL writes Тогда bare.
				msg += ": in restriction texts " + thenW + " is written with its #"
				break
			}
		}
		p.errorAt(off, msg)
		return nil, stop
	}
	if len(toks) == 1 {
		p.errorAt(last.off, "missing condition before "+p.s[last.off:last.end])
		return nil, stop
	}
	e, errOff, msg := parseCond(toks, p.params)
	if msg != "" {
		p.errorAt(errOff, msg)
		return nil, stop
	}
	return e, stop
}

// number gives every chain its slots, in text order, for coverage.
func (p *Program) number(nodes []node, parent int) []int {
	var firsts []int
	for _, n := range nodes {
		c, ok := n.(*ifNode)
		if !ok {
			continue
		}
		c.slot = len(p.slots)
		firsts = append(firsts, c.slot)
		p.chains = append(p.chains, c)
		for _, b := range c.branches {
			p.slots = append(p.slots, slotInfo{off: b.off, parent: parent})
		}
		p.slots = append(p.slots, slotInfo{off: c.elseOff, parent: parent})
		for k, b := range c.branches {
			p.slots[c.slot+k].children = p.number(b.body, c.slot+k)
		}
		e := c.slot + len(c.branches)
		p.slots[e].children = p.number(c.elseBody, e)
	}
	return firsts
}

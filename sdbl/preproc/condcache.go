package preproc

import (
	"strings"
	"sync"
)

// Conditions repeat: the Standard Subsystems Library's templates copy the
// same few hundred #Если conditions into every restriction that calls them,
// so a configuration's check meets each of them thousands of times in texts
// of hundreds of kilobytes. Parsed once, a condition is kept here by its text
// with offsets counted from its start, folded (its parts that read no
// parameter evaluated), and every later Parse copies it to where it stands.

// condCacheOn lets tests compare parsing with the cache and without it.
var condCacheOn = true

// condCacheLimit bounds the cache: the library's conditions are a few
// thousand; a stream of distinct hostile texts only stops being cached.
const condCacheLimit = 1 << 16

// condCacheMaxLen is the longest condition kept: long ones do not repeat.
const condCacheMaxLen = 1 << 10

var condCache = struct {
	mu sync.RWMutex
	m  map[string]cachedCond
}{m: map[string]cachedCond{}}

// cachedCond is a parsed condition with offsets relative to its text's start.
type cachedCond struct{ e expr }

// condEnd finds the end of the condition that starts at off when it ends
// with #Тогда: the offset after that word. It follows lexCond's reading of
// strings and comments; ok is false when the condition ends otherwise (at
// another directive, a line break in a string, the end of the text), which
// lexCond reports as an error, so such a condition is never cached.
func condEnd(s string, off int) (int, bool) {
	for i := off; i < len(s) && i-off <= condCacheMaxLen; i++ {
		switch s[i] {
		case '"':
			j := strings.IndexAny(s[i+1:], "\"\n")
			if j < 0 || s[i+1+j] == '\n' {
				return 0, false
			}
			i += 1 + j // a "" escape is two literals back to back: the same end
		case '/':
			if i+1 < len(s) && s[i+1] == '/' {
				j := strings.IndexByte(s[i:], '\n')
				if j < 0 {
					return 0, false
				}
				i += j
			}
		case '(':
			// #Параметр(1) keeps its parentheses in lexCond, whatever they hold.
			if i > off && isWordByteBefore(s, i) {
				return 0, false
			}
		case '#':
			k, end := directiveAt(s, i)
			switch k {
			case dThen:
				return end, true
			case dNone:
			default:
				return 0, false
			}
		}
	}
	return 0, false
}

// isWordByteBefore reports whether the name before s[i] follows a #, so that
// s[i] opens a template parameter's parentheses; such conditions are rare
// and left to lexCond.
func isWordByteBefore(s string, i int) bool {
	j := i
	for j > 0 && s[j-1] != '#' && s[j-1] != ' ' && s[j-1] != '\t' && s[j-1] != '\n' && s[j-1] != '(' && s[j-1] != '"' {
		j--
	}
	return j > 0 && s[j-1] == '#'
}

// cachedCondAt returns the parsed condition whose text is s[off:stop],
// placed at off, when one was kept; spell is the program's first spelling
// of each parameter, which the copy must agree with.
func cachedCondAt(s string, off, stop int, spell map[string]string) (expr, bool) {
	condCache.mu.RLock()
	c, ok := condCache.m[s[off:stop]]
	condCache.mu.RUnlock()
	if !ok || !agreesInSpelling(c.e, spell) {
		return nil, false
	}
	return rebase(c.e, off), true
}

// keepCond remembers a condition parsed from s[off:stop] when every
// parameter in it is spelled as the text spells it (the tree names each by
// its program's first spelling, which another text need not share).
func keepCond(s string, off, stop int, e expr) {
	if stop-off > condCacheMaxLen || !spelledAsWritten(s, e) {
		return
	}
	rel := rebase(e, -off)
	condCache.mu.Lock()
	if len(condCache.m) < condCacheLimit {
		condCache.m[strings.Clone(s[off:stop])] = cachedCond{rel}
	}
	condCache.mu.Unlock()
}

// agreesInSpelling records the parameters of e in spell and reports whether
// none of them was spelled differently before in the program.
func agreesInSpelling(e expr, spell map[string]string) bool {
	ok := true
	eachParam(e, func(p *paramExpr) {
		if name, seen := spell[p.key]; seen && name != p.name {
			ok = false
		}
	})
	if ok {
		eachParam(e, func(p *paramExpr) { spell[p.key] = p.name })
	}
	return ok
}

func spelledAsWritten(s string, e expr) bool {
	ok := true
	eachParam(e, func(p *paramExpr) {
		if !strings.HasPrefix(s[p.off+1:], p.name) {
			ok = false
		}
	})
	return ok
}

func eachParam(e expr, fn func(*paramExpr)) {
	switch e := e.(type) {
	case *paramExpr:
		fn(e)
	case *unaryExpr:
		eachParam(e.x, fn)
	case *binaryExpr:
		eachParam(e.x, fn)
		eachParam(e.y, fn)
	case *callExpr:
		for _, a := range e.args {
			eachParam(a, fn)
		}
	}
}

// rebase copies e with every offset moved by d.
func rebase(e expr, d int) expr {
	switch e := e.(type) {
	case *litExpr:
		c := *e
		c.off += d
		return &c
	case *paramExpr:
		c := *e
		c.off += d
		return &c
	case *hashExpr:
		c := *e
		c.off += d
		return &c
	case *unaryExpr:
		return &unaryExpr{off: e.off + d, op: e.op, x: rebase(e.x, d)}
	case *binaryExpr:
		return &binaryExpr{off: e.off + d, op: e.op, x: rebase(e.x, d), y: rebase(e.y, d)}
	case *callExpr:
		args := make([]expr, len(e.args))
		for i, a := range e.args {
			args[i] = rebase(a, d)
		}
		return &callExpr{off: e.off + d, fn: e.fn, args: args}
	}
	panic("preproc: unexpected expression in rebase")
}

// fold evaluates the parts of a condition that read no session or template
// parameter, which the library's templates are full of once expanded
// ("Чтение" = "Условие"), so that walks, run once per variant, find them
// decided. A part whose evaluation fails is left as written: its error
// belongs to the walk that meets it.
func (p *Program) fold(e expr) expr {
	pure := true
	switch x := e.(type) {
	case *litExpr:
		return e
	case *paramExpr, *hashExpr:
		return e
	case *unaryExpr:
		x.x = p.fold(x.x)
		_, pure = x.x.(*litExpr)
	case *binaryExpr:
		x.x, x.y = p.fold(x.x), p.fold(x.y)
		_, px := x.x.(*litExpr)
		_, py := x.y.(*litExpr)
		pure = px && py
	case *callExpr:
		for i := range x.args {
			x.args[i] = p.fold(x.args[i])
			if _, ok := x.args[i].(*litExpr); !ok {
				pure = false
			}
		}
	}
	if !pure {
		return e
	}
	w := &walker{p: p, static: true}
	v, err := w.value(e, -1)
	if err != nil || v.kind == kSym {
		return e
	}
	return &litExpr{off: e.exprOff(), v: v}
}

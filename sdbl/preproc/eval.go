package preproc

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"dostup/sdbl/source"
)

// Ref is a predefined value as Значение(...) names it, compared by its text
// without regard to letter case: Ref("Справочник.ВнешниеПользователи.ПустаяСсылка").
// It is what a session passes for a reference parameter that conditions
// compare with Значение(...).
type Ref string

// Params holds session parameter values by name, without the &; names match
// in any letter case. Values are string, bool, float64 (or any Go integer),
// Ref, or nil for Неопределено.
type Params map[string]any

type kind uint8

const (
	kUndef kind = iota
	kString
	kNumber
	kBool
	kRef
	kSym // a value that depends on what is not known: canonical text in s
)

// value is a condition's value during a walk.
type value struct {
	kind kind
	b    bool
	cmp  bool // a sym that is a whole comparison or call: parenthesized as an operand
	bare bool // a sym that is a bare &Param: deciding it binds the parameter
	on   bool // bind is set when the atom is decided to on
	n    float64
	s    string
	bind string // lower-case parameter name an atom decision binds
	to   *value // the value bind gets
}

func (p *Program) print(v value) string {
	switch v.kind {
	case kString:
		return `"` + strings.ReplaceAll(v.s, `"`, `""`) + `"`
	case kNumber:
		return strconv.FormatFloat(v.n, 'f', -1, 64)
	case kBool:
		switch {
		case p.en && v.b:
			return "True"
		case p.en:
			return "False"
		case v.b:
			return "Истина"
		}
		return "Ложь"
	case kRef:
		if p.en {
			return "Value(" + v.s + ")"
		}
		return "Значение(" + v.s + ")"
	case kSym:
		return v.s
	}
	if p.en {
		return "Undefined"
	}
	return "Неопределено"
}

func (p *Program) operand(v value) string {
	if v.kind == kSym && v.cmp {
		return "(" + v.s + ")"
	}
	return p.print(v)
}

// toValue converts a Params value.
func toValue(x any) (value, bool) {
	switch x := x.(type) {
	case nil:
		return value{kind: kUndef}, true
	case string:
		return value{kind: kString, s: x}, true
	case bool:
		return value{kind: kBool, b: x}, true
	case Ref:
		return value{kind: kRef, s: string(x)}, true
	case float64:
		return value{kind: kNumber, n: x}, true
	case float32:
		return value{kind: kNumber, n: float64(x)}, true
	case int:
		return value{kind: kNumber, n: float64(x)}, true
	case int64:
		return value{kind: kNumber, n: float64(x)}, true
	case int32:
		return value{kind: kNumber, n: float64(x)}, true
	case uint:
		return value{kind: kNumber, n: float64(x)}, true
	case uint64:
		return value{kind: kNumber, n: float64(x)}, true
	}
	return value{}, false
}

// convertParams lower-cases the names so that lookups need no folding.
func convertParams(ps Params) (map[string]value, error) {
	m := make(map[string]value, len(ps))
	for k, x := range ps {
		v, ok := toValue(x)
		if !ok {
			return nil, fmt.Errorf("session parameter %q has a value of type %T; use string, bool, a number, preproc.Ref or nil", "&"+k, x)
		}
		m[strings.ToLower(strings.TrimPrefix(k, "&"))] = v
	}
	return m, nil
}

// errUnknown stops static evaluation at the first thing only a walk decides.
var errUnknown = errors.New("unknown")

// rng is a range of the input copied to the output.
type rng struct{ from, to int }

// walker evaluates a Program once: one session, or one variant.
type walker struct {
	p         *Program
	base      map[string]value // known parameter values
	bound     map[string]value // parameters bound by atom decisions in this walk
	strict    bool             // Eval: an unset parameter is an error
	static    bool             // static analysis: any atom is errUnknown
	atoms     map[string]bool  // atom decisions of this walk
	decisions []Assumption
	decide    func(atom string, want int8) bool
	steer     func(n *ifNode, k int) int8
	out       []rng
	taken     []int  // slots taken in this walk
	excluded  []bool // slots no walk may take (Options.Excluded)
	// consulted are the atoms decided earlier in the walk that the current
	// condition read (directly, or through a parameter they bound); miss,
	// when set, hears them when a condition went against the steering, so a
	// targeted search can decide them the other way next time.
	consulted []string
	boundBy   map[string]string
	miss      func(atoms []string)
	// syms are the atom texts the walker built last at each comparison and
	// call, with the operands they came from: the walks of one program
	// build the same ones again and again.
	syms map[expr]symText
}

type symText struct {
	x, y value
	s    string
}

// symOf returns the atom text text gives for x and y at e, made once per
// pair of operands seen at e.
func (w *walker) symOf(e expr, x, y value, text func() string) string {
	if m, ok := w.syms[e]; ok && m.x == x && m.y == y {
		return m.s
	}
	if w.syms == nil {
		w.syms = map[expr]symText{}
	}
	s := text()
	w.syms[e] = symText{x, y, s}
	return s
}

func (w *walker) reset() {
	clear(w.bound)
	clear(w.boundBy)
	clear(w.atoms)
	w.decisions = w.decisions[:0]
	w.out = w.out[:0]
	w.taken = w.taken[:0]
}

func (w *walker) errAt(off int, msg string) error {
	return &Error{Loc: w.p.src.Locate(off), Code: errCode, Msg: msg}
}

func (w *walker) emit(from, to int) {
	if n := len(w.out); n > 0 && w.out[n-1].to == from {
		w.out[n-1].to = to
		return
	}
	w.out = append(w.out, rng{from, to})
}

// walk evaluates a body, appending its output ranges.
func (w *walker) walk(nodes []node) error {
	for _, n := range nodes {
		switch n := n.(type) {
		case *textNode:
			w.emit(n.from, n.to)
		case *ifNode:
			taken := len(n.branches)
			for k := range n.branches {
				want := int8(-1)
				if w.steer != nil {
					want = w.steer(n, k)
				}
				w.consulted = w.consulted[:0]
				ok, err := w.cond(n.branches[k].cond, want)
				if err != nil {
					return err
				}
				if want >= 0 && ok != (want == 1) && w.miss != nil {
					w.miss(w.consulted)
				}
				if ok {
					taken = k
					break
				}
			}
			if w.excluded != nil && w.excluded[n.slot+taken] {
				return errExcluded
			}
			w.taken = append(w.taken, n.slot+taken)
			body := n.elseBody
			if taken < len(n.branches) {
				body = n.branches[taken].body
			}
			if err := w.walk(body); err != nil {
				return err
			}
		default:
			panic(fmt.Sprintf("preproc: unexpected node %T", n))
		}
	}
	return nil
}

func flip(want int8) int8 {
	if want < 0 {
		return want
	}
	return 1 - want
}

// cond evaluates a condition. want, when not negative, is the value a
// coverage walk would like the condition to have; it travels down through
// И and ИЛИ as is and flips under НЕ, so that the atom decided first pushes
// the whole condition the wanted way.
func (w *walker) cond(e expr, want int8) (bool, error) {
	switch e := e.(type) {
	case *unaryExpr:
		if e.op == opNot {
			b, err := w.cond(e.x, flip(want))
			return !b, err
		}
	case *binaryExpr:
		switch e.op {
		case opAnd:
			b, err := w.cond(e.x, want)
			if err != nil || !b {
				return false, err
			}
			return w.cond(e.y, want)
		case opOr:
			b, err := w.cond(e.x, want)
			if err != nil || b {
				return b, err
			}
			return w.cond(e.y, want)
		}
	}
	v, err := w.value(e, want)
	if err != nil {
		return false, err
	}
	switch v.kind {
	case kBool:
		return v.b, nil
	case kSym:
		return w.atom(v, want)
	}
	return false, w.errAt(e.exprOff(), "condition is "+w.p.print(v)+", not a boolean")
}

// atom returns the truth of an atom, deciding it on its first use in the walk
// so that every later use of the same text agrees.
func (w *walker) atom(v value, want int8) (bool, error) {
	if d, ok := w.atoms[v.s]; ok {
		w.consulted = append(w.consulted, v.s)
		return d, nil
	}
	if w.static || w.decide == nil {
		return false, errUnknown
	}
	d := w.decide(v.s, want)
	w.atoms[v.s] = d
	w.decisions = append(w.decisions, Assumption{Atom: v.s, Value: d})
	switch {
	case v.bare:
		w.bound[v.bind] = value{kind: kBool, b: d}
		w.bindBy(v.bind, v.s)
	case v.to != nil && d == v.on:
		w.bound[v.bind] = *v.to
		w.bindBy(v.bind, v.s)
	}
	return d, nil
}

func (w *walker) bindBy(key, atom string) {
	if w.boundBy == nil {
		w.boundBy = map[string]string{}
	}
	w.boundBy[key] = atom
}

func (w *walker) param(e *paramExpr) (value, error) {
	if v, ok := w.bound[e.key]; ok {
		if a, ok := w.boundBy[e.key]; ok {
			w.consulted = append(w.consulted, a)
		}
		return v, nil
	}
	if v, ok := w.base[e.key]; ok {
		return v, nil
	}
	if w.strict {
		return value{}, w.errAt(e.off, fmt.Sprintf("session parameter %q is not set", "&"+e.name))
	}
	return value{kind: kSym, s: e.sym, bare: true, bind: e.key}, nil
}

func (w *walker) value(e expr, want int8) (value, error) {
	switch e := e.(type) {
	case *litExpr:
		return e.v, nil
	case *paramExpr:
		return w.param(e)
	case *hashExpr:
		if w.strict {
			return value{}, w.errAt(e.off, fmt.Sprintf("template parameter %q is not expanded", "#"+e.text))
		}
		return value{kind: kSym, s: "#" + e.text}, nil
	case *unaryExpr:
		if e.op == opNot {
			b, err := w.cond(e, want)
			return value{kind: kBool, b: b}, err
		}
		x, err := w.value(e.x, -1)
		if err != nil {
			return x, err
		}
		switch x.kind {
		case kNumber:
			return value{kind: kNumber, n: -x.n}, nil
		case kSym:
			return value{kind: kSym, s: "-" + w.p.operand(x)}, nil
		}
		return value{}, w.errAt(e.off, "cannot negate "+w.p.print(x))
	case *binaryExpr:
		if e.op == opAnd || e.op == opOr {
			b, err := w.cond(e, want)
			return value{kind: kBool, b: b}, err
		}
		x, err := w.value(e.x, -1)
		if err != nil {
			return x, err
		}
		y, err := w.value(e.y, -1)
		if err != nil {
			return y, err
		}
		if e.op == opAdd || e.op == opSub {
			return w.arith(e, x, y)
		}
		return w.compare(e, x, y)
	case *callExpr:
		x, err := w.value(e.args[0], -1)
		if err != nil {
			return x, err
		}
		y, err := w.value(e.args[1], -1)
		if err != nil {
			return y, err
		}
		if x.kind == kSym || y.kind == kSym {
			name := "СтрСодержит"
			if w.p.en {
				name = "StrContains"
			}
			return value{kind: kSym, cmp: true, s: w.symOf(e, x, y, func() string {
				return name + "(" + w.p.print(x) + ", " + w.p.print(y) + ")"
			})}, nil
		}
		if x.kind != kString || y.kind != kString {
			return value{}, w.errAt(e.off, "string containment needs two strings, not "+w.p.print(x)+" and "+w.p.print(y))
		}
		return value{kind: kBool, b: strings.Contains(x.s, y.s)}, nil
	}
	panic(fmt.Sprintf("preproc: unexpected expression %T", e))
}

func (w *walker) arith(e *binaryExpr, x, y value) (value, error) {
	if x.kind == kSym || y.kind == kSym {
		return value{kind: kSym, s: w.p.operand(x) + " " + opText[e.op] + " " + w.p.operand(y)}, nil
	}
	switch {
	case x.kind == kNumber && y.kind == kNumber && e.op == opAdd:
		return value{kind: kNumber, n: x.n + y.n}, nil
	case x.kind == kNumber && y.kind == kNumber:
		return value{kind: kNumber, n: x.n - y.n}, nil
	case x.kind == kString && e.op == opAdd:
		// 1C turns the right operand into a string when the left one is.
		s := y.s
		switch y.kind {
		case kNumber, kBool, kUndef:
			s = w.p.print(y)
			if y.kind == kUndef {
				s = ""
			}
		}
		return value{kind: kString, s: x.s + s}, nil
	}
	return value{}, w.errAt(e.off, "cannot apply "+opText[e.op]+" to "+w.p.print(x)+" and "+w.p.print(y))
}

func (w *walker) compare(e *binaryExpr, x, y value) (value, error) {
	if x.kind == kSym || y.kind == kSym {
		v := value{kind: kSym, cmp: true, s: w.symOf(e, x, y, func() string {
			return w.p.operand(x) + " " + opText[e.op] + " " + w.p.operand(y)
		})}
		if e.op == opEq || e.op == opNe {
			// &P = "Все" taken true (or &P <> "Все" taken false) tells what
			// P is, so later conditions on P are evaluated exactly.
			var c value
			switch {
			case x.bare && y.kind != kSym:
				v.bind, c = x.bind, y
			case y.bare && x.kind != kSym:
				v.bind, c = y.bind, x
			}
			if v.bind != "" {
				v.to, v.on = &c, e.op == opEq
			}
		}
		return v, nil
	}
	switch e.op {
	case opEq:
		return value{kind: kBool, b: equal(x, y)}, nil
	case opNe:
		return value{kind: kBool, b: !equal(x, y)}, nil
	}
	var c int
	switch {
	case x.kind == kNumber && y.kind == kNumber:
		c = cmpFloat(x.n, y.n)
	case x.kind == kString && y.kind == kString:
		c = strings.Compare(x.s, y.s)
	case x.kind == kBool && y.kind == kBool:
		c = cmpFloat(b2f(x.b), b2f(y.b))
	default:
		return value{}, w.errAt(e.off, "cannot compare "+w.p.print(x)+" "+opText[e.op]+" "+w.p.print(y))
	}
	var b bool
	switch e.op {
	case opLt:
		b = c < 0
	case opGt:
		b = c > 0
	case opLe:
		b = c <= 0
	case opGe:
		b = c >= 0
	}
	return value{kind: kBool, b: b}, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return int(math.Copysign(1, a-b))
}

// equal compares as 1C does: values of different types are never equal.
func equal(x, y value) bool {
	if x.kind != y.kind {
		return false
	}
	switch x.kind {
	case kString:
		return x.s == y.s
	case kNumber:
		return x.n == y.n
	case kBool:
		return x.b == y.b
	case kRef:
		return strings.EqualFold(x.s, y.s)
	}
	return true
}

// build assembles the output text from ranges of the input.
func (p *Program) build(out []rng) source.Text {
	var b source.Builder
	n := 0
	for _, r := range out {
		n += r.to - r.from
	}
	b.Grow(n)
	for _, r := range out {
		b.CopyText(p.src, r.from, r.to)
	}
	return b.Text()
}

// Eval gives the text a session with the given parameter values sees. A
// parameter that a condition on the taken path needs and params lacks is an
// error naming it; conditions not reached need nothing.
func (p *Program) Eval(params Params) (source.Text, error) {
	base, err := convertParams(params)
	if err != nil {
		return source.Text{}, err
	}
	w := &walker{p: p, base: base, strict: true}
	if err := w.walk(p.root); err != nil {
		return source.Text{}, err
	}
	return p.build(w.out), nil
}

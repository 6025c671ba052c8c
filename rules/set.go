package rules

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Set is a compiled rule set: the rules in force at one moment, indexed for
// decisions. It is immutable and safe for concurrent use.
type Set struct {
	cfg   *Config
	rules []*compiled
	byID  map[string]int
	props []propIndex // by property index
	words int
	pair  *pairIndex // nil when no two properties narrow well together
}

// pairIndex narrows by two properties at once, the two whose values
// select the fewest rules: per pair of values written, the rules that name
// both. A decision over thousands of rules keyed by role and action then
// starts from the handful naming its role and its action, not from the
// hundred naming its role.
type pairIndex struct {
	p1, p2 int
	// The values written for p1 and p2 are numbered (selector.pairIDs), so
	// that a decision looks pairs up by one integer instead of hashing two
	// strings.
	both   map[uint64][]int32 // (value of p1, value of p2) → rules naming both
	first  [][]int32          // value of p1 → rules naming it and passing p2
	second [][]int32          // value of p2 → rules passing p1 and naming it
	none   []int32            // rules passing both
}

// pairKey is the key of two numbered values in pairIndex.both.
func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

type compiled struct {
	rule  *Rule
	conds []*Cond // by property index; nil is any
}

// propIndex narrows the candidates on one property without evaluating
// conditions: per value written in a condition, the rules that name it; and
// the rules every value passes (no condition on the property, or one the
// index cannot hold: NOT, comparisons, ranges). A decision intersects these
// over the properties, so over 10,000 rules it evaluates only the handful
// that can match.
type propIndex struct {
	constrained []uint64            // rules with a condition on the property
	pass        []uint64            // rules not narrowed by the value index
	passCount   int                 // how many rules pass holds
	anyRule     bool                // some rule has a condition on the property
	byTerm      map[string][]int32  // value written → rules naming it (strings and references), in register order
	dense       map[string][]uint64 // the same as a bit set, for values many rules name: one AND instead of a long walk
	// selectors are, per value a request may give (one rules name, or a
	// member of a group they name), the sets of rules it selects: its own
	// and its groups' and synonyms', found with one lookup.
	selectors map[string]selector
}

// selector is what one value of a property selects.
type selector struct {
	sets  []termSet
	count int      // rules in the sets, counted with repeats
	terms []string // the value and the values written that match it (its groups, its synonyms)
	// pairIDs are the numbers of terms in the pair index, for a property
	// of the pair: the terms some rule of the index names.
	pairIDs []int32
}

// Compile checks and indexes rules against a configuration. Every mistake
// (unknown property, a condition that does not parse, duplicate ids) is
// reported, each at its place.
func Compile(cfg *Config, rules []*Rule) (*Set, error) {
	if err := cfg.Prepare(); err != nil {
		return nil, err
	}
	n := len(cfg.Properties)
	s := &Set{cfg: cfg, byID: make(map[string]int, len(rules)), props: make([]propIndex, n), words: (len(rules) + 63) / 64}
	for i := range s.props {
		s.props[i].constrained = make([]uint64, s.words)
		s.props[i].pass = make([]uint64, s.words)
		if !cfg.Properties[i].Type.Kind.ordered() {
			s.props[i].byTerm = map[string][]int32{}
		}
	}
	var errs ErrorList
	for ri, r := range rules {
		c := &compiled{rule: r, conds: make([]*Cond, n)}
		if r.ID == "" {
			errs.Add(r.Pos, "rule", "a rule has no id: give every rule an id (id: or Код:) so orders can remove it")
		} else if prev, dup := s.byID[r.ID]; dup {
			errs.Add(r.Pos, "rule", fmt.Sprintf("rule id %s is used twice (first at %s); remove the old rule in the same order to change it", r.ID, rules[prev].Pos))
		}
		s.byID[r.ID] = ri
		if r.HasPriority && r.Priority < 0 {
			errs.Add(r.Pos, "rule", fmt.Sprintf("rule %s: priority %d is negative; 0 is the highest", r.ID, r.Priority))
		}
		for _, cw := range r.Conditions {
			p, ok := cfg.Property(cw.Property)
			if !ok {
				kp := cw.KeyPos
				if kp.Line == 0 {
					kp = cw.Pos
				}
				errs.Add(kp, "property", fmt.Sprintf("rule %s: unknown property %s (declared: %s)", r.ID, cw.Property, cfg.Names()))
				continue
			}
			if c.conds[p.index] != nil {
				errs.Add(cw.Pos, "property", fmt.Sprintf("rule %s: two conditions on %s", r.ID, p.Name))
				continue
			}
			cond, err := ParseCond(cw.Text, p.Type)
			if err != nil {
				errs.Add(condPos(cw, err), "condition", fmt.Sprintf("rule %s, %s: %v", r.ID, p.Name, err))
				continue
			}
			if !cond.IsAny() {
				c.conds[p.index] = cond
			}
		}
		s.rules = append(s.rules, c)
		for pi, cond := range c.conds {
			ix := &s.props[pi]
			if cond == nil {
				setBit(ix.pass, ri)
				continue
			}
			setBit(ix.constrained, ri)
			if ix.byTerm == nil || cond.Not {
				setBit(ix.pass, ri)
				continue
			}
			for _, t := range cond.Terms {
				l := ix.byTerm[t.Value.S]
				if len(l) == 0 || l[len(l)-1] != int32(ri) {
					ix.byTerm[t.Value.S] = append(l, int32(ri))
				}
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for i := range s.props {
		ix := &s.props[i]
		for _, w := range ix.pass {
			ix.passCount += bits.OnesCount64(w)
		}
		ix.anyRule = slices.ContainsFunc(ix.constrained, func(w uint64) bool { return w != 0 })
		for t, l := range ix.byTerm {
			if len(l) >= s.words/2 && len(l) > 8 {
				if ix.dense == nil {
					ix.dense = map[string][]uint64{}
				}
				b := make([]uint64, s.words)
				for _, r := range l {
					setBit(b, int(r))
				}
				ix.dense[t] = b
			}
		}
	}
	for i := range s.props {
		s.props[i].buildSelectors(cfg.dicts[i])
	}
	s.buildPair()
	return s, nil
}

// expected is how many candidates a property's values are expected to
// leave: the rules it does not narrow, and the average rules per value.
func (ix *propIndex) expected() int {
	if len(ix.byTerm) == 0 {
		return math.MaxInt
	}
	named := 0
	for _, l := range ix.byTerm {
		named += len(l)
	}
	return ix.passCount + named/len(ix.byTerm)
}

// buildPair indexes the two properties expected to leave the fewest
// candidates, when there are enough rules for a pair to pay.
func (s *Set) buildPair() {
	if len(s.rules) < 256 {
		return
	}
	p1, p2 := -1, -1
	for pi := range s.props {
		e := s.props[pi].expected()
		switch {
		case e == math.MaxInt:
		case p1 < 0 || e < s.props[p1].expected():
			p1, p2 = pi, p1
		case p2 < 0 || e < s.props[p2].expected():
			p2 = pi
		}
	}
	if p1 < 0 || p2 < 0 {
		return
	}
	px := &pairIndex{p1: p1, p2: p2, both: map[uint64][]int32{}}
	terms := func(c *compiled, pi int) []string {
		cond := c.conds[pi]
		if cond == nil || cond.Not {
			return nil // passes: the value index does not narrow it
		}
		out := make([]string, 0, len(cond.Terms))
		for _, t := range cond.Terms {
			if !slices.Contains(out, t.Value.S) {
				out = append(out, t.Value.S)
			}
		}
		return out
	}
	ids1, ids2 := map[string]int32{}, map[string]int32{}
	number := func(ids map[string]int32, list *[][]int32, t string) int32 {
		id, ok := ids[t]
		if !ok {
			id = int32(len(ids))
			ids[t] = id
			*list = append(*list, nil)
		}
		return id
	}
	for ri, c := range s.rules {
		r := int32(ri)
		t1, t2 := terms(c, p1), terms(c, p2)
		switch {
		case t1 != nil && t2 != nil:
			for _, a := range t1 {
				ia := number(ids1, &px.first, a)
				for _, b := range t2 {
					k := pairKey(ia, number(ids2, &px.second, b))
					px.both[k] = append(px.both[k], r)
				}
			}
		case t1 != nil:
			for _, a := range t1 {
				ia := number(ids1, &px.first, a)
				px.first[ia] = append(px.first[ia], r)
			}
		case t2 != nil:
			for _, b := range t2 {
				ib := number(ids2, &px.second, b)
				px.second[ib] = append(px.second[ib], r)
			}
		default:
			px.none = append(px.none, r)
		}
	}
	for _, side := range []struct {
		pi  int
		ids map[string]int32
	}{{p1, ids1}, {p2, ids2}} {
		ix := &s.props[side.pi]
		for v, sel := range ix.selectors {
			sel.pairIDs = nil
			for _, t := range sel.terms {
				if id, ok := side.ids[t]; ok {
					sel.pairIDs = append(sel.pairIDs, id)
				}
			}
			ix.selectors[v] = sel
		}
	}
	s.pair = px
}

// pairTerms are the numbers of the values written that a value of
// property pi matches: itself and the groups and synonyms that hold it. A
// value no rule of the pair index names has none: only the rules passing
// the property take it.
func (s *Set) pairTerms(dst []int32, pi int, vals []Value) []int32 {
	ix := &s.props[pi]
	for _, v := range vals {
		if sel, ok := ix.selectors[v.S]; ok {
			dst = append(dst, sel.pairIDs...)
		}
	}
	return dst
}

// buildSelectors gives every value the property's rules can select by
// (those named, and the members of the groups named) its selector.
func (ix *propIndex) buildSelectors(d *dictionary) {
	if ix.byTerm == nil {
		return
	}
	set := func(t string) (termSet, int) {
		if b, ok := ix.dense[t]; ok {
			return termSet{dense: b}, len(ix.byTerm[t])
		}
		return termSet{list: ix.byTerm[t]}, len(ix.byTerm[t])
	}
	ix.selectors = map[string]selector{}
	add := func(v string) {
		if _, done := ix.selectors[v]; done {
			return
		}
		sel := selector{terms: append([]string{v}, slices.Sorted(maps.Keys(d.up[v]))...)}
		for _, t := range sel.terms {
			if ts, n := set(t); n > 0 {
				sel.sets = append(sel.sets, ts)
				sel.count += n
			}
		}
		ix.selectors[v] = sel
	}
	for t := range ix.byTerm {
		add(t)
	}
	for v := range d.up {
		add(v)
	}
}

// condPos moves a condition's position to the place of the mistake in it.
func condPos(c Condition, err error) Pos {
	p := c.Pos
	var ce *CondError
	if errors.As(err, &ce) && p.Line > 0 && ce.Offset <= len(c.Text) {
		p.Col += utf8.RuneCountInString(c.Text[:ce.Offset])
	}
	return p
}

// Config returns the configuration the set was compiled against.
func (s *Set) Config() *Config { return s.cfg }

// Rules returns the rules of the set in register order.
func (s *Set) Rules() []*Rule {
	out := make([]*Rule, len(s.rules))
	for i, c := range s.rules {
		out[i] = c.rule
	}
	return out
}

// Rule finds a rule by id.
func (s *Set) Rule(id string) (*Rule, bool) {
	i, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	return s.rules[i].rule, true
}

// Request is the context of one operation: the values the caller knows,
// by property name (RU or EN), and providers for the rest. A value may be a
// string (parsed by the property's type; a list property splits it at
// commas), a number, a time.Time, a []string or []any for lists, or a Value.
// Properties neither given nor provided are absent: a rule with a condition
// on an absent property does not match.
type Request struct {
	Values    map[string]any
	Providers map[string]Provider
}

// ErrUnknownProperty is returned for a request value whose name the
// configuration does not declare.
var ErrUnknownProperty = errors.New("unknown property")

type propState struct {
	done, present bool
	raw           any
	given         bool
	provider      Provider
	vals          []Value
	buf           [1]Value // vals of a single value, without an allocation
}

// decideScratch is what one decision works in; decisions take it from a
// pool, so a decision allocates only what its Decision keeps.
type decideScratch struct {
	st      []propState
	cand    []uint64 // candidates as a bit set (the dense path)
	mask    []uint64
	list    []int32 // candidates as a sorted list (the sparse path)
	terms   []termSet
	words1  []int32 // the pair index's values of its two properties, numbered
	words2  []int32
	matched []match
	levels  []Level
}

// termSet is one way a value of a property selects rules: a bit set for a
// value many rules name, else the sorted list of those rules.
type termSet struct {
	dense []uint64
	list  []int32
}

func (t termSet) has(ri int32) bool {
	if t.dense != nil {
		return hasBit(t.dense, int(ri))
	}
	_, ok := slices.BinarySearch(t.list, ri)
	return ok
}

var scratchPool = sync.Pool{New: func() any { return new(decideScratch) }}

// Decide resolves a request against the set (SPEC §4):
//  1. if matching rules carry priorities, only those with the best priority stay
//     (rules without one go too: a priority is what an administrator sets to settle a case);
//  2. a rule strictly more general than another that stays is dropped;
//  3. among what remains any deny wins;
//  4. with no matching rule the answer is deny.
//
// Properties are computed lazily, each at most once, only when a rule still
// in the running has a condition on them; every value the request gives is
// checked against its property's type.
//
// The candidates are narrowed without evaluating a condition: by the value
// index of each property (the rules naming a value, and the rules every
// value passes). When one property's values select few rules, the
// candidates start as the list of those and the other properties only
// test their members; otherwise they are a bit set over every rule, ANDed
// property by property. Either way the same rules are then evaluated.
func (s *Set) Decide(ctx context.Context, req *Request) (*Decision, error) {
	n := len(s.cfg.Properties)
	sc := scratchPool.Get().(*decideScratch)
	defer scratchPool.Put(sc)
	if cap(sc.st) < n {
		sc.st = make([]propState, n)
	}
	st := sc.st[:n]
	clear(st)
	if req != nil {
		for name, v := range req.Values {
			p, ok := s.cfg.Property(name)
			if !ok {
				return nil, fmt.Errorf("%w %s (declared: %s)", ErrUnknownProperty, name, s.cfg.Names())
			}
			st[p.index].raw, st[p.index].given = v, true
		}
		for name, f := range req.Providers {
			p, ok := s.cfg.Property(name)
			if !ok {
				return nil, fmt.Errorf("%w %s (declared: %s)", ErrUnknownProperty, name, s.cfg.Names())
			}
			st[p.index].provider = f
		}
	}
	// Given values cost nothing to convert: all of them are, so a value
	// that does not fit its property is an error whichever rules remain.
	for pi := range st {
		if st[pi].given {
			if err := s.load(ctx, req, st, pi); err != nil {
				return nil, err
			}
		}
	}
	var err error
	if px := s.pair; px != nil && st[px.p1].present && st[px.p2].present {
		s.pairSeed(sc)
		err = s.filterList(ctx, req, sc, px.p1, px.p2)
	} else if seed := s.seed(st); seed >= 0 {
		err = s.narrowList(ctx, req, sc, seed)
	} else {
		err = s.narrowBits(ctx, req, sc)
	}
	if err != nil {
		return nil, err
	}
	return s.evalCandidates(sc), nil
}

// sparseLimit is how many candidates the list may start with before the
// bit set is cheaper: a list member costs a test per property, a bit set
// word an AND.
func (s *Set) sparseLimit() int { return 8 * s.words }

// seed picks the given property whose values select the fewest rules, or
// -1 when none selects few enough for the list to pay.
func (s *Set) seed(st []propState) int {
	best, bestCount := -1, s.sparseLimit()+1
	for pi := range st {
		ix := &s.props[pi]
		if !st[pi].given || !st[pi].present || ix.byTerm == nil {
			continue
		}
		count := ix.passCount
		for _, v := range st[pi].vals {
			count += ix.selectors[v.S].count
		}
		if count < bestCount {
			best, bestCount = pi, count
		}
	}
	return best
}

// termSets are the ways the values of property pi select rules.
func (s *Set) termSets(dst []termSet, pi int, vals []Value) []termSet {
	ix := &s.props[pi]
	for _, v := range vals {
		dst = append(dst, ix.selectors[v.S].sets...)
	}
	return dst
}

// narrowList narrows from the rules the seed property's values select,
// as a sorted list each other property filters.
func (s *Set) narrowList(ctx context.Context, req *Request, sc *decideScratch, seed int) error {
	st := sc.st[:len(s.cfg.Properties)]
	ix := &s.props[seed]
	list := sc.list[:0]
	for w, word := range ix.pass {
		for word != 0 {
			list = append(list, int32(w*64+bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
	sc.terms = s.termSets(sc.terms[:0], seed, st[seed].vals)
	for _, t := range sc.terms {
		if t.dense != nil {
			for w, word := range t.dense {
				for word != 0 {
					list = append(list, int32(w*64+bits.TrailingZeros64(word)))
					word &= word - 1
				}
			}
			continue
		}
		list = append(list, t.list...)
	}
	slices.Sort(list)
	sc.list = slices.Compact(list)
	return s.filterList(ctx, req, sc, seed, seed)
}

// pairSeed starts the candidates from the pair index: the rules the two
// properties' values select together.
func (s *Set) pairSeed(sc *decideScratch) {
	px, st := s.pair, sc.st
	t1 := s.pairTerms(sc.words1[:0], px.p1, st[px.p1].vals)
	t2 := s.pairTerms(sc.words2[:0], px.p2, st[px.p2].vals)
	sc.words1, sc.words2 = t1, t2
	list := append(sc.list[:0], px.none...)
	for _, a := range t1 {
		list = append(list, px.first[a]...)
		for _, b := range t2 {
			list = append(list, px.both[pairKey(a, b)]...)
		}
	}
	for _, b := range t2 {
		list = append(list, px.second[b]...)
	}
	slices.Sort(list)
	sc.list = slices.Compact(list)
}

// filterList narrows the candidate list by every property but the one or
// two it was started from: given values first, as the bit set does, then
// those computed, each loaded only when a candidate has a condition on it.
func (s *Set) filterList(ctx context.Context, req *Request, sc *decideScratch, done1, done2 int) error {
	st := sc.st[:len(s.cfg.Properties)]
	list := sc.list
	for pass := 0; pass < 2; pass++ {
		for pi := range st {
			ix := &s.props[pi]
			if pi == done1 || pi == done2 || st[pi].given != (pass == 0) || len(list) == 0 || !ix.anyRule {
				continue
			}
			constrained := false
			for _, ri := range list {
				if hasBit(ix.constrained, int(ri)) {
					constrained = true
					break
				}
			}
			if !constrained {
				continue
			}
			if err := s.load(ctx, req, st, pi); err != nil {
				return err
			}
			switch {
			case !st[pi].present:
				list = slices.DeleteFunc(list, func(ri int32) bool { return hasBit(ix.constrained, int(ri)) })
			case ix.byTerm != nil:
				sc.terms = s.termSets(sc.terms[:0], pi, st[pi].vals)
				list = slices.DeleteFunc(list, func(ri int32) bool {
					if hasBit(ix.pass, int(ri)) {
						return false
					}
					for _, t := range sc.terms {
						if t.has(ri) {
							return false
						}
					}
					return true
				})
			}
		}
	}
	sc.list = list
	return nil
}

// narrowBits narrows a bit set of every rule, property by property.
func (s *Set) narrowBits(ctx context.Context, req *Request, sc *decideScratch) error {
	st := sc.st[:len(s.cfg.Properties)]
	if cap(sc.cand) < s.words {
		sc.cand, sc.mask = make([]uint64, s.words), make([]uint64, s.words)
	}
	cand, mask := sc.cand[:s.words], sc.mask[:s.words]
	for i := range cand {
		cand[i] = ^uint64(0)
	}
	if r := len(s.rules) % 64; r != 0 {
		cand[s.words-1] = 1<<r - 1
	}
	// Given values first: they cost nothing, and narrowing by them may leave
	// no candidate that needs a provider at all.
	for pass := 0; pass < 2; pass++ {
		for pi := range st {
			if st[pi].given != (pass == 0) {
				continue
			}
			ix := &s.props[pi]
			if !intersects(cand, ix.constrained) {
				continue
			}
			if err := s.load(ctx, req, st, pi); err != nil {
				return err
			}
			if !st[pi].present {
				andNot(cand, ix.constrained)
				continue
			}
			if ix.byTerm == nil {
				continue
			}
			// mask = rules every value passes ∪ rules naming a value that matches.
			copy(mask, ix.pass)
			sc.terms = s.termSets(sc.terms[:0], pi, st[pi].vals)
			for _, t := range sc.terms {
				if t.dense != nil {
					or(mask, t.dense)
					continue
				}
				for _, r := range t.list {
					setBit(mask, int(r))
				}
			}
			and(cand, mask)
		}
	}
	list := sc.list[:0]
	for w, word := range cand {
		for word != 0 {
			list = append(list, int32(w*64+bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
	sc.list = list
	return nil
}

// evalCandidates evaluates the candidates exactly, with how each property
// matched, and resolves the decision. The levels the trace keeps are
// copied out of the scratch into one slice of the decision's own.
func (s *Set) evalCandidates(sc *decideScratch) *Decision {
	n := len(s.cfg.Properties)
	st := sc.st[:n]
	matched, levels := sc.matched[:0], slices.Grow(sc.levels[:0], n*len(sc.list))
	for _, ri := range sc.list {
		base := len(levels)
		levels = levels[:base+n]
		if s.eval(s.rules[ri], st, levels[base:base+n]) {
			matched = append(matched, match{ri: int(ri)})
		} else {
			levels = levels[:base]
		}
	}
	sc.matched, sc.levels = matched, levels
	blk := &decisionBlock{}
	var kept []Level
	if len(levels) <= len(blk.levels) {
		kept = blk.levels[:len(levels):len(levels)]
		copy(kept, levels)
	} else {
		kept = slices.Clone(levels)
	}
	for i := range matched {
		matched[i].levels = kept[i*n : (i+1)*n : (i+1)*n]
	}
	return s.resolveInto(blk, matched)
}

// load converts or computes property pi once.
func (s *Set) load(ctx context.Context, req *Request, st []propState, pi int) error {
	ps := &st[pi]
	if ps.done {
		return nil
	}
	ps.done = true
	p := s.cfg.Properties[pi]
	raw, have := ps.raw, ps.given
	if !have {
		f := ps.provider
		if f == nil {
			f = p.Provider
		}
		if f == nil {
			return nil
		}
		v, err := f(ctx, req)
		if err != nil {
			return fmt.Errorf("computing %s: %w", p.Name, err)
		}
		if v == nil {
			return nil
		}
		raw = v
	}
	vals, err := convert(p, raw, ps.buf[:0])
	if err != nil {
		return fmt.Errorf("%s: %w", p.Name, err)
	}
	ps.vals, ps.present = vals, len(vals) > 0
	return nil
}

// convert turns a caller's value into the property's values.
func convert(p *Property, raw any, dst []Value) ([]Value, error) {
	one := func(x any) (Value, error) {
		switch v := x.(type) {
		case Value:
			return v, nil
		case string:
			val, _, err := parseValue(p.Type.Kind, trimValue(v))
			return val, err
		case time.Time:
			if p.Type.Kind != Date {
				return Value{}, fmt.Errorf("a date given for a %s property", p.Type.Kind)
			}
			return Value{N: float64(v.Unix())}, nil
		case int:
			return num(p, float64(v))
		case int64:
			return num(p, float64(v))
		case int32:
			return num(p, float64(v))
		case float64:
			return num(p, v)
		case float32:
			return num(p, float64(v))
		case fmt.Stringer:
			return Value{S: v.String()}, nil
		}
		return Value{}, fmt.Errorf("cannot use a %T as a value", x)
	}
	switch v := raw.(type) {
	case string:
		if !p.Type.List || !strings.Contains(v, ",") {
			val, _, err := parseValue(p.Type.Kind, trimValue(v))
			if err != nil {
				return nil, err
			}
			return append(dst, val), nil
		}
	case int, int64, float64:
		val, err := one(v)
		if err != nil {
			return nil, err
		}
		return append(dst, val), nil
	}
	var items []any
	switch v := raw.(type) {
	case []Value:
		return v, nil
	case []string:
		for _, x := range v {
			items = append(items, x)
		}
	case []any:
		items = v
	case string:
		if p.Type.List {
			for _, x := range splitList(v) {
				items = append(items, x)
			}
		} else {
			items = []any{v}
		}
	default:
		items = []any{v}
	}
	if len(items) > 1 && !p.Type.List {
		return nil, fmt.Errorf("%d values given; the property holds one", len(items))
	}
	out := make([]Value, 0, len(items))
	for _, x := range items {
		v, err := one(x)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func num(p *Property, n float64) (Value, error) {
	if p.Type.Kind != Number {
		if p.Type.Kind == Date {
			return Value{}, fmt.Errorf("a number given for a date property")
		}
		return Value{S: fmt.Sprint(n)}, nil
	}
	return Value{N: n}, nil
}

// trimValue is strings.TrimSpace with a shortcut for the usual value, which
// starts and ends with a letter or a digit (Latin or Cyrillic): every
// decision trims each value it is given, and TrimSpace looks a non-ASCII
// rune up in the Unicode tables.
func trimValue(s string) string {
	if len(s) >= 2 && plainEdge(s[0], s[1]) && plainEdge(s[len(s)-2], s[len(s)-1]) {
		return s
	}
	return strings.TrimSpace(s)
}

// plainEdge reports whether the text at an edge of a value, given its two
// bytes there, is a letter or digit that cannot be space: an ASCII one, or
// a two-byte Cyrillic one (U+0400–U+04FF, lead bytes D0–D3).
func plainEdge(a, b byte) bool {
	ascii := func(c byte) bool { return c > ' ' && c < 0x7f }
	cyrillicLead := func(c byte) bool { return c >= 0xd0 && c <= 0xd3 }
	cont := func(c byte) bool { return c >= 0x80 && c <= 0xbf }
	switch {
	case ascii(a) && (ascii(b) || cyrillicLead(b)): // the first byte of a value
		return true
	case cyrillicLead(a) && cont(b): // a Cyrillic letter, at either edge
		return true
	case (ascii(a) || cont(a)) && ascii(b): // the last byte of a value
		return true
	}
	return false
}

// splitList splits comma-separated values, leaving empty items out.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// eval reports whether a rule matches the loaded values, filling how each
// property matched.
func (s *Set) eval(c *compiled, st []propState, levels []Level) bool {
	for pi, cond := range c.conds {
		if cond == nil {
			levels[pi] = Anyway
			continue
		}
		if !st[pi].present {
			return false
		}
		l, ok := s.matchCond(pi, cond, st[pi].vals)
		if !ok {
			return false
		}
		levels[pi] = l
	}
	return true
}

// matchCond matches a condition against a property's values (several for a
// list property: any may match; the narrowest match counts).
func (s *Set) matchCond(pi int, cond *Cond, vals []Value) (Level, bool) {
	best, found := Anyway, false
	for _, v := range vals {
		if l, ok := s.matchTerms(pi, cond, v); ok && (!found || l < best) {
			best, found = l, true
		}
	}
	if cond.Not {
		return Group, !found
	}
	if found && len(cond.Terms) > 1 && best < Similar {
		best = Similar
	}
	return best, found
}

func (s *Set) matchTerms(pi int, cond *Cond, v Value) (Level, bool) {
	best, found := Anyway, false
	ordered := cond.kind.ordered()
	d := s.cfg.dicts[pi]
	for i := range cond.Terms {
		t := &cond.Terms[i]
		var l Level
		var ok bool
		if ordered {
			ok = t.contains(v.N)
			l = Group
			if t.Point {
				l = Exact
			}
		} else {
			l, ok = d.match(v.S, t.Value.S)
		}
		if ok && (!found || l < best) {
			best, found = l, true
		}
	}
	return best, found
}

// Bit sets of rule indexes.

func setBit(b []uint64, i int) { b[i>>6] |= 1 << (i & 63) }

func hasBit(b []uint64, i int) bool { return b[i>>6]&(1<<(i&63)) != 0 }

func intersects(a, b []uint64) bool {
	for i := range a {
		if a[i]&b[i] != 0 {
			return true
		}
	}
	return false
}

func and(a, b []uint64) {
	for i := range a {
		a[i] &= b[i]
	}
}

func or(a, b []uint64) {
	for i := range a {
		a[i] |= b[i]
	}
}

func andNot(a, b []uint64) {
	for i := range a {
		a[i] &^= b[i]
	}
}

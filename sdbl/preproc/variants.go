package preproc

import (
	"errors"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"dostup/sdbl/source"
)

// Options bound the work of Variants. Zero fields take the defaults given.
type Options struct {
	// Params are the parameter values known in advance; the others are
	// unknown and their conditions fork.
	Params Params
	// Limit is the most distinct texts enumerated exhaustively (512). A text
	// with more variants is explored in coverage mode instead, which also
	// keeps at most Limit variants beyond those that covered a new branch.
	Limit int
	// MaxWalks bounds the walks of the exhaustive phase (4×Limit): several
	// walks may give one text, as &A ИЛИ &B does.
	MaxWalks int
	// MaxPasses bounds the steered walks of coverage mode (1000).
	MaxPasses int
	// RandomPasses is the number of walks with random decisions after the
	// steered ones (64), to meet combinations steering does not aim at.
	RandomPasses int
	// Seed seeds the random passes (1), so results are reproducible.
	Seed uint64
	// Excluded are offsets of the input text that no variant may contain: a
	// branch whose own text holds one is never taken (walks that would take
	// it are dropped) and counts as dead. A caller uses it for text that
	// cannot stand in any real session, such as a field path that ends in a
	// template parameter left empty.
	Excluded []int
}

// errExcluded drops a walk that took an excluded branch.
var errExcluded = errors.New("excluded branch")

// Assumption is one atom decision of a variant: a comparison, a call or a
// bare &Param whose value depends on an unknown parameter, in canonical text
// (constant parts evaluated, names spelled as the text first spells them).
type Assumption struct {
	Atom  string
	Value bool
}

// Variant is one text the conditions can yield and the decisions that give it.
type Variant struct {
	Text        source.Text
	Assumptions []Assumption
}

// VariantSet is what Variants found.
type VariantSet struct {
	// Variants are distinct output texts in the order found.
	Variants []Variant
	// Exhaustive tells that Variants are all the texts the model allows
	// (every combination of atom decisions was walked).
	Exhaustive bool
	// Count is the exact number of distinct texts when Exhaustive; otherwise
	// a lower bound: the most distinct texts seen in one phase.
	Count int
	// Upper is an upper bound of the number of distinct texts, counted from
	// the chain structure alone (a product over sequential chains of sums
	// over their live branches), saturating at math.MaxInt.
	Upper int
	// Branches is the number of outcomes of all chains (Program.Branches),
	// Dead those ruled out without walking the whole text: by the known
	// parameters and constants, or because no decision of the chain's own
	// atoms selects them (a repeated condition), and everything inside those;
	// Covered those that some walk took. Covered == Branches-Dead means
	// every live branch was seen.
	Branches, Dead, Covered int
	// Uncovered are the directives starting live branches no walk took
	// (for an implicit #Иначе, the #КонецЕсли).
	Uncovered []source.Location
	// Walks is the number of walks of the tree made.
	Walks int
	// Errors are the distinct evaluation errors met on some path (at most
	// 10); such a path gives no variant. They are often paths no real session
	// takes, as a parameter compared with "" and later used as a boolean.
	Errors []error
}

// Variants enumerates the texts the unknown conditions can yield. Identical
// atoms share one decision in a variant; deciding &P = <constant> true (or
// &P <> <constant> false) makes P that constant, and deciding a bare &P makes
// it that boolean, for the rest of the walk. Up to opts.Limit texts the
// search is exhaustive (depth-first over decisions); beyond it Variants walks
// steering each decision towards a branch not yet taken until every live
// branch is taken or the pass bounds are hit, so the work is always bounded.
func (p *Program) Variants(opts Options) (*VariantSet, error) {
	base, err := convertParams(opts.Params)
	if err != nil {
		return nil, err
	}
	if opts.Limit <= 0 {
		opts.Limit = 512
	}
	if opts.MaxWalks <= 0 {
		opts.MaxWalks = 4 * opts.Limit
	}
	if opts.MaxPasses <= 0 {
		opts.MaxPasses = 1000
	}
	if opts.RandomPasses <= 0 {
		opts.RandomPasses = 64
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	e := &enumerator{p: p, opts: opts, set: &VariantSet{Branches: len(p.slots)},
		w: &walker{p: p, base: base, bound: map[string]value{}, atoms: map[string]bool{}}}
	e.dead = make([]bool, len(p.slots))
	e.markDead(p.root, false)
	if len(opts.Excluded) > 0 {
		e.w.excluded = p.excludedSlots(opts.Excluded)
		for s, x := range e.w.excluded {
			if x {
				e.killSlot(s)
			}
		}
	}
	for _, d := range e.dead {
		if d {
			e.set.Dead++
		}
	}
	e.set.Upper = e.upper(p.root)
	e.covered = make([]bool, len(p.slots))
	e.need = make([]bool, len(p.slots))

	// When even the bound from the chain structure is far beyond the limit,
	// an exhaustive attempt would only burn its walks before giving up.
	if e.set.Upper <= hopelessFactor*opts.Limit && e.exhaustive() {
		e.set.Exhaustive = true
		e.set.Count = len(e.set.Variants)
	} else {
		found := len(e.set.Variants)
		e.reset()
		e.coverage()
		e.set.Count = max(found, len(e.set.Variants))
	}
	if e.set.Exhaustive {
		// Every decision was walked: a live branch no walk took cannot be
		// taken by any session (or only on paths that fail or are excluded).
		for s := range e.p.slots {
			if !e.covered[s] && !e.dead[s] {
				e.killSlot(s)
				e.set.Dead++
			}
		}
	} else {
		e.pruneInfeasible()
	}
	for s, c := range e.covered {
		if c {
			e.set.Covered++
		} else if !e.dead[s] {
			e.set.Uncovered = append(e.set.Uncovered, p.src.Locate(p.slots[s].off))
		}
	}
	return e.set, nil
}

type enumerator struct {
	p       *Program
	opts    Options
	set     *VariantSet
	w       *walker
	dead    []bool
	covered []bool
	need    []bool
	byRange map[uint64][]int // hash of output ranges → variants
	byText  map[string]int
	ranges  [][]rng // output ranges of each variant, for hash collisions
	errSeen map[string]bool
}

// excludedSlots marks the slots whose own text (not that of nested chains)
// holds one of the offsets.
func (p *Program) excludedSlots(offsets []int) []bool {
	out := make([]bool, len(p.slots))
	holds := func(body []node) bool {
		for _, n := range body {
			if t, ok := n.(*textNode); ok {
				for _, off := range offsets {
					if off >= t.from && off < t.to {
						return true
					}
				}
			}
		}
		return false
	}
	for _, c := range p.chains {
		for k, b := range c.branches {
			out[c.slot+k] = holds(b.body)
		}
		out[c.slot+len(c.branches)] = holds(c.elseBody)
	}
	return out
}

// killSlot marks a slot and every slot nested in its body dead.
func (e *enumerator) killSlot(s int) {
	e.dead[s] = true
	for _, child := range e.p.slots[s].children {
		c := e.chainAt(child)
		if c == nil {
			continue
		}
		for k := 0; k <= len(c.branches); k++ {
			if !e.dead[c.slot+k] {
				e.killSlot(c.slot + k)
			}
		}
	}
}

// chainAt returns the chain whose first slot is s.
func (e *enumerator) chainAt(s int) *ifNode {
	for _, c := range e.p.chains {
		if c.slot == s {
			return c
		}
	}
	return nil
}

func (e *enumerator) reset() {
	e.set.Variants = nil
	e.byRange, e.byText, e.ranges = nil, nil, nil
	clear(e.covered)
}

// markDead evaluates every condition once with only the known parameters:
// a condition false whatever the atoms kills its branch, one true kills the
// branches after it, and everything inside a dead branch is dead.
func (e *enumerator) markDead(nodes []node, all bool) {
	sw := &walker{p: e.p, base: e.w.base, static: true}
	for _, n := range nodes {
		c, ok := n.(*ifNode)
		if !ok {
			continue
		}
		decided := all
		for k, b := range c.branches {
			s := c.slot + k
			if decided {
				e.dead[s] = true
			} else {
				switch sw.tri(b.cond) {
				case 0:
					e.dead[s] = true
				case 1:
					decided = true
				}
			}
			e.markDead(b.body, e.dead[s])
		}
		s := c.slot + len(c.branches)
		e.dead[s] = decided
		if !all {
			// Conditions of one chain often repeat an atom (machine-translated
			// texts have two #ElseIf with one condition): a branch that no
			// decision of the chain's own atoms selects can never be taken.
			if taken, ok := e.localTaken(c); ok {
				for k, t := range taken {
					if !t && !e.dead[c.slot+k] {
						e.dead[c.slot+k] = true
						body := c.elseBody
						if k < len(c.branches) {
							body = c.branches[k].body
						}
						e.markDead(body, true)
					}
				}
			}
		}
		e.markDead(c.elseBody, e.dead[s])
	}
}

// localTaken walks every decision of the atoms of one chain's conditions and
// reports which of its slots some decision selects. ok is false when the
// chain has too many atoms or an evaluation fails, and nothing is known.
func (e *enumerator) localTaken(c *ifNode) (taken []bool, ok bool) {
	type dec struct{ v, flipped bool }
	var prefix []dec
	w := &walker{p: e.p, base: e.w.base, bound: map[string]value{}, atoms: map[string]bool{}}
	w.decide = func(string, int8) bool {
		if i := len(w.decisions); i < len(prefix) {
			return prefix[i].v
		}
		prefix = append(prefix, dec{})
		return false
	}
	taken = make([]bool, len(c.branches)+1)
	for range 256 {
		w.reset()
		k := len(c.branches)
		for i, b := range c.branches {
			t, err := w.cond(b.cond, -1)
			if err != nil {
				return nil, false
			}
			if t {
				k = i
				break
			}
		}
		taken[k] = true
		prefix = prefix[:len(w.decisions)]
		for len(prefix) > 0 && prefix[len(prefix)-1].flipped {
			prefix = prefix[:len(prefix)-1]
		}
		if len(prefix) == 0 {
			return taken, true
		}
		last := &prefix[len(prefix)-1]
		last.v, last.flipped = !last.v, true
	}
	return nil, false
}

// tri is three-valued static evaluation: 0 false, 1 true, -1 unknown.
func (w *walker) tri(x expr) int {
	switch x := x.(type) {
	case *unaryExpr:
		if x.op == opNot {
			if v := w.tri(x.x); v >= 0 {
				return 1 - v
			}
			return -1
		}
	case *binaryExpr:
		if x.op == opAnd || x.op == opOr {
			a, b := w.tri(x.x), w.tri(x.y)
			stop := 0 // a false operand decides И
			if x.op == opOr {
				stop = 1
			}
			switch {
			case a == stop || b == stop:
				return stop
			case a < 0 || b < 0:
				return -1
			}
			return 1 - stop
		}
	}
	v, err := w.value(x, -1)
	if err != nil || v.kind != kBool {
		return -1
	}
	if v.b {
		return 1
	}
	return 0
}

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt/b {
		return math.MaxInt
	}
	return a * b
}

func (e *enumerator) upper(nodes []node) int {
	n := 1
	for _, x := range nodes {
		c, ok := x.(*ifNode)
		if !ok {
			continue
		}
		sum := 0
		for k := 0; k <= len(c.branches); k++ {
			if e.dead[c.slot+k] {
				continue
			}
			body := c.elseBody
			if k < len(c.branches) {
				body = c.branches[k].body
			}
			sum += e.upper(body)
			if sum < 0 || sum == math.MaxInt {
				sum = math.MaxInt
				break
			}
		}
		n = satMul(n, sum)
	}
	return n
}

// run makes one walk and records its result. It reports whether a slot was
// covered for the first time.
func (e *enumerator) run() (progress bool) {
	w := e.w
	w.reset()
	err := w.walk(e.p.root)
	e.set.Walks++
	if errors.Is(err, errExcluded) {
		return false
	}
	// Slots taken before an error are reachable even when the path fails
	// later, so they count: otherwise one failing path would block coverage.
	for _, s := range w.taken {
		if !e.covered[s] {
			e.covered[s] = true
			progress = true
		}
	}
	if err != nil {
		if msg := err.Error(); !e.errSeen[msg] && len(e.set.Errors) < 10 {
			if e.errSeen == nil {
				e.errSeen = map[string]bool{}
			}
			e.errSeen[msg] = true
			e.set.Errors = append(e.set.Errors, err)
		}
		return progress
	}
	e.record(progress)
	return progress
}

// record keeps the walk's text unless an identical one is kept already.
// Texts are compared by their ranges first, which is cheap, and built only
// for new range lists.
func (e *enumerator) record(force bool) {
	w := e.w
	h := fnv.New64a()
	var buf [16]byte
	for _, r := range w.out {
		for i := range 8 {
			buf[i] = byte(r.from >> (8 * i))
			buf[8+i] = byte(r.to >> (8 * i))
		}
		h.Write(buf[:])
	}
	sum := h.Sum64()
	if e.byRange == nil {
		e.byRange, e.byText = map[uint64][]int{}, map[string]int{}
	}
	for _, i := range e.byRange[sum] {
		if slices.Equal(e.ranges[i], w.out) {
			return
		}
	}
	if !force && len(e.set.Variants) >= e.opts.Limit && !e.set.Exhaustive && e.inCoverage() {
		return
	}
	t := e.p.build(w.out)
	if _, ok := e.byText[t.Body]; !ok {
		e.byText[t.Body] = len(e.set.Variants)
		e.set.Variants = append(e.set.Variants, Variant{Text: t, Assumptions: slices.Clone(w.decisions)})
	}
	e.ranges = append(e.ranges, slices.Clone(w.out))
	// ranges is indexed by range list, variants by text; keep them apart.
	e.byRange[sum] = append(e.byRange[sum], len(e.ranges)-1)
}

func (e *enumerator) inCoverage() bool { return e.w.steer != nil }

// exhaustive walks every combination of atom decisions depth-first: each
// walk replays a prefix of decisions and decides new atoms false; the next
// walk flips the last decision not yet flipped. It gives up when the texts
// or the walks exceed their limits.
func (e *enumerator) exhaustive() bool {
	w := e.w
	w.steer = nil
	var d depthFirst
	w.decide = d.decider(w)
	for walks := 0; ; walks++ {
		if walks >= e.opts.MaxWalks {
			return false
		}
		e.run()
		if len(e.set.Variants) > e.opts.Limit {
			return false
		}
		if !d.next(len(w.decisions)) {
			return true
		}
	}
}

// depthFirst enumerates every sequence of atom decisions, one walk at a
// time: a walk replays the decisions of the prefix and decides new atoms
// false; the next walk flips the last decision not yet flipped.
type depthFirst struct {
	prefix []struct{ v, flipped bool }
}

// decider is the walker's decide function for this enumeration.
func (d *depthFirst) decider(w *walker) func(string, int8) bool {
	return func(string, int8) bool {
		i := len(w.decisions)
		if i < len(d.prefix) {
			return d.prefix[i].v
		}
		d.prefix = append(d.prefix, struct{ v, flipped bool }{})
		return false
	}
}

// next sets up the walk after one that made `made` decisions; it reports false
// when every sequence was walked.
func (d *depthFirst) next(made int) bool {
	d.prefix = d.prefix[:made]
	for len(d.prefix) > 0 && d.prefix[len(d.prefix)-1].flipped {
		d.prefix = d.prefix[:len(d.prefix)-1]
	}
	if len(d.prefix) == 0 {
		return false
	}
	last := &d.prefix[len(d.prefix)-1]
	last.v, last.flipped = !last.v, true
	return true
}

// updateNeed marks the live slots not yet taken and those whose bodies hold
// such slots, so that steering knows which branch leads somewhere new.
// Slots are numbered parents first, so one backward sweep suffices.
func (e *enumerator) updateNeed() (left int) {
	clear(e.need)
	for s := len(e.need) - 1; s >= 0; s-- {
		if e.dead[s] {
			e.need[s] = false
			continue
		}
		if !e.covered[s] {
			e.need[s] = true
			left++
		}
		if e.need[s] {
			if par := e.p.slots[s].parent; par >= 0 {
				e.need[par] = true
			}
		}
	}
	return left
}

// coverage walks with steered decisions until every live slot is taken or
// progress stops, then makes a few random walks.
func (e *enumerator) coverage() {
	w := e.w
	w.steer = func(n *ifNode, k int) int8 {
		for j := k; j <= len(n.branches); j++ {
			if e.need[n.slot+j] {
				if j == k {
					return 1
				}
				return 0
			}
		}
		return -1
	}
	w.decide = func(_ string, want int8) bool { return want == 1 }
	stall := 0
	for pass := 0; pass < e.opts.MaxPasses && stall < 3; pass++ {
		if e.updateNeed() == 0 {
			break
		}
		if e.run() {
			stall = 0
		} else {
			stall++
		}
	}
	// Random passes follow the steering three times in four, so that they
	// still get deep, but sometimes decide an atom the other way than the
	// first chain that met it wanted, which later chains may need.
	rnd := rand.New(rand.NewPCG(e.opts.Seed, 0x5eed))
	bias := 4
	w.decide = func(_ string, want int8) bool {
		if want >= 0 && rnd.IntN(bias) != 0 {
			return want == 1
		}
		return rnd.IntN(2) == 0
	}
	for i := range e.opts.RandomPasses {
		bias = 2 + i%3*2
		if e.updateNeed() == 0 && i >= e.opts.RandomPasses/4 {
			break
		}
		e.run()
	}
	e.targeted()
}

// hopelessFactor: a text whose upper bound of variants exceeds the limit this
// many times over goes straight to coverage mode. Real texts with that many
// chains in a row (32 flags of the Standard Subsystems Library's templates)
// have variants in the billions.
const hopelessFactor = 16

// feasibilityWalks bounds the walks spent proving one branch unreachable.
const feasibilityWalks = 1 << 12

// pruneInfeasible proves branches no walk took unreachable where it can: a
// branch is reachable only if some decision of the atoms on its path makes
// every enclosing branch's condition true and the conditions before them in
// their chains false. The path's chains are walked alone, over every
// decision of their atoms; chains off the path only ever bind atoms the path
// could decide itself, so a branch unreachable on its path alone is
// unreachable in the whole text. Such branches are dead, not uncovered.
func (e *enumerator) pruneInfeasible() {
	owner := make([]*ifNode, len(e.p.slots))
	for _, c := range e.p.chains {
		for k := 0; k <= len(c.branches); k++ {
			owner[c.slot+k] = c
		}
	}
	for s := range e.p.slots {
		if e.dead[s] || e.covered[s] {
			continue
		}
		var path []int
		for t := s; t >= 0; t = e.p.slots[t].parent {
			path = append(path, t)
		}
		slices.Reverse(path)
		if reachable, known := e.pathReachable(path, owner); known && !reachable {
			e.killSlot(s)
			e.set.Dead++
		}
	}
}

// pathReachable walks the slots of path (root first) over every decision of
// their atoms, depth-first as exhaustive does. known is false when the walk
// budget ran out first.
func (e *enumerator) pathReachable(path []int, owner []*ifNode) (reachable, known bool) {
	w := e.w
	saved, savedSteer := w.decide, w.steer
	defer func() { w.decide, w.steer = saved, savedSteer }()
	w.steer = nil
	var d depthFirst
	w.decide = d.decider(w)
	step := func() (bool, error) {
		for _, t := range path {
			c := owner[t]
			k := t - c.slot
			for j := 0; j < k && j < len(c.branches); j++ {
				ok, err := w.cond(c.branches[j].cond, -1)
				if err != nil || ok {
					return false, err
				}
			}
			if k < len(c.branches) {
				ok, err := w.cond(c.branches[k].cond, -1)
				if err != nil || !ok {
					return false, err
				}
			}
		}
		return true, nil
	}
	for walks := 0; walks < feasibilityWalks; walks++ {
		w.reset()
		if ok, err := step(); ok && err == nil {
			return true, true
		}
		if !d.next(len(w.decisions)) {
			return false, true
		}
	}
	return false, false
}

// targetedTries bounds the walks aimed at one branch that is still not taken.
const targetedTries = 12

// targeted aims at each live branch still not taken, one at a time. A
// branch is usually missed because an atom it needs was decided the other
// way earlier in the walk, by a chain that did not care; when a condition on
// the way goes against the steering, the atoms it read are decided the other
// way in the next walk.
func (e *enumerator) targeted() {
	w := e.w
	forced := map[string]bool{}
	w.decide = func(atom string, want int8) bool {
		if v, ok := forced[atom]; ok {
			return v
		}
		return want == 1
	}
	w.miss = func(atoms []string) {
		for _, a := range atoms {
			if _, done := forced[a]; !done {
				forced[a] = !w.atoms[a]
			}
		}
	}
	defer func() { w.miss = nil }()
	for s := range e.p.slots {
		if e.dead[s] || e.covered[s] {
			continue
		}
		clear(forced)
		for try := 0; try < targetedTries && !e.covered[s]; try++ {
			clear(e.need)
			for t := s; t >= 0; t = e.p.slots[t].parent {
				e.need[t] = true
			}
			e.run()
		}
	}
}

package rules

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Finding is a problem lint finds in a rule set: two rules in conflict, or a
// rule that can never decide.
type Finding struct {
	Kind    string `json:"kind"` // conflict or shadowed
	Rule    string `json:"rule"`
	Other   string `json:"other"`
	Pos     Pos    `json:"-"`
	Message string `json:"message"`
}

// String prints the finding at the rule's place.
func (f Finding) String() string {
	if p := f.Pos.String(); p != "" {
		return p + ": " + f.Message
	}
	return f.Message
}

// other is the witness standing for "a value no rule names" in NOT conditions.
const other = "\x00another value"

// witnesses returns values of property pi that exercise every distinction
// the two conditions make: for strings the values written and everything
// below them in groups and synonyms (and one value nobody names); for
// numbers and dates every end of an interval, the points between them and
// points beyond.
func (s *Set) witnesses(pi int, conds ...*Cond) []Value {
	var out []Value
	if s.cfg.Properties[pi].Type.Kind.ordered() {
		var ends []float64
		for _, c := range conds {
			if c == nil {
				continue
			}
			for _, t := range c.Terms {
				for _, e := range []float64{t.Lo, t.Hi} {
					if !math.IsInf(e, 0) {
						ends = append(ends, e)
					}
				}
			}
		}
		sort.Float64s(ends)
		if len(ends) == 0 {
			return []Value{{N: 0}}
		}
		out = append(out, Value{N: ends[0] - 1}, Value{N: ends[len(ends)-1] + 1})
		for i, e := range ends {
			out = append(out, Value{N: e})
			if i > 0 && ends[i-1] != e {
				out = append(out, Value{N: (ends[i-1] + e) / 2})
			}
		}
		return out
	}
	d := s.cfg.dicts[pi]
	seen := map[string]bool{}
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, Value{S: v})
		}
	}
	for _, c := range conds {
		if c == nil {
			continue
		}
		for _, t := range c.Terms {
			add(t.Value.S)
			for _, v := range d.values {
				if _, ok := d.up[v][t.Value.S]; ok {
					add(v)
				}
			}
		}
	}
	add(other)
	return out
}

// levelsOn lists how a condition can match one value (nil: any).
func (s *Set) levelOn(pi int, c *Cond, v Value) (Level, bool) {
	if c == nil {
		return Anyway, true
	}
	return s.matchCond(pi, c, []Value{v})
}

// pairs lists the pairs of levels with which both conditions can match one
// context on property pi; none means they never match together.
func (s *Set) pairs(pi int, a, b *Cond) [][2]Level {
	if a == nil && b == nil {
		return [][2]Level{{Anyway, Anyway}}
	}
	ws := s.witnesses(pi, a, b)
	set := map[[2]Level]bool{}
	if s.cfg.Properties[pi].Type.List {
		// A list holds several values: one may match a, another b.
		var la, lb []Level
		for _, w := range ws {
			if l, ok := s.levelOn(pi, a, w); ok && !(a != nil && a.Not) {
				la = append(la, l)
			}
			if l, ok := s.levelOn(pi, b, w); ok && !(b != nil && b.Not) {
				lb = append(lb, l)
			}
		}
		if a != nil && a.Not {
			la = []Level{Group}
		}
		if b != nil && b.Not {
			lb = []Level{Group}
		}
		for _, x := range la {
			for _, y := range lb {
				set[[2]Level{x, y}] = true
			}
		}
	} else {
		for _, w := range ws {
			x, oka := s.levelOn(pi, a, w)
			y, okb := s.levelOn(pi, b, w)
			if oka && okb {
				set[[2]Level{x, y}] = true
			}
		}
	}
	out := make([][2]Level, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	return out
}

func samePriority(a, b *Rule) bool {
	return a.HasPriority == b.HasPriority && (!a.HasPriority || a.Priority == b.Priority)
}

// conflict reports whether some context matches both rules with neither
// more specific than the other (so deny wins by default rather than by
// design).
func (s *Set) conflict(a, b *compiled) bool {
	allEqual := true
	var aWider, bWider []int // properties where some match has a wider (greater) level than b / than a
	for pi := range s.cfg.Properties {
		ps := s.pairs(pi, a.conds[pi], b.conds[pi])
		if len(ps) == 0 {
			return false
		}
		eq := false
		for _, p := range ps {
			switch {
			case p[0] == p[1]:
				eq = true
			case p[0] > p[1]:
				aWider = append(aWider, pi)
			default:
				bWider = append(bWider, pi)
			}
		}
		if !eq {
			allEqual = false
		}
	}
	if allEqual {
		return true
	}
	for _, p := range aWider {
		for _, q := range bWider {
			if p != q {
				return true
			}
		}
	}
	return false
}

// covers reports whether rule s matches every context rule r matches.
func (set *Set) covers(s, r *compiled) bool {
	for pi := range set.cfg.Properties {
		sc, rc := s.conds[pi], r.conds[pi]
		if sc == nil {
			continue
		}
		if rc == nil || (sc.Not && set.cfg.Properties[pi].Type.List) {
			return false
		}
		for _, w := range set.witnesses(pi, sc, rc) {
			if _, rm := set.levelOn(pi, rc, w); rm {
				if _, sm := set.levelOn(pi, sc, w); !sm {
					return false
				}
			}
		}
	}
	return true
}

// canBeMoreSpecific reports whether r can match some context strictly more
// narrowly than s does (s covering r).
func (set *Set) canBeMoreSpecific(r, s *compiled) bool {
	strict := false
	for pi := range set.cfg.Properties {
		ok := false
		for _, p := range set.pairs(pi, r.conds[pi], s.conds[pi]) {
			if p[0] <= p[1] {
				ok = true
			}
			if p[0] < p[1] {
				strict = true
			}
		}
		if !ok {
			return false
		}
	}
	return strict
}

// Lint finds conflicts (two rules of the same priority with opposite
// effects that match one context with neither more specific: deny wins
// there by default, which is rarely what was meant) and shadowed rules
// (rules that can never decide: always outranked, overruled or dropped by a
// rule that matches wherever they do, or duplicates).
func (s *Set) Lint() []Finding {
	var out []Finding
	n := len(s.rules)
	for i := 0; i < n; i++ {
		a := s.rules[i]
		for j := i + 1; j < n; j++ {
			b := s.rules[j]
			if a.rule.Effect != b.rule.Effect && samePriority(a.rule, b.rule) && s.conflict(a, b) {
				out = append(out, Finding{Kind: "conflict", Rule: b.rule.ID, Other: a.rule.ID, Pos: b.rule.Pos,
					Message: fmt.Sprintf("rules %s (%s) and %s (%s) conflict: a context matches both and neither is more specific, so deny wins there by default; add a more specific rule for the overlap or a priority", a.rule.ID, a.rule.Effect, b.rule.ID, b.rule.Effect)})
			}
		}
	}
	for i, r := range s.rules {
		for j, o := range s.rules {
			if i == j || !s.covers(o, r) {
				continue
			}
			var why string
			switch {
			case o.rule.HasPriority && (!r.rule.HasPriority || o.rule.Priority < r.rule.Priority):
				why = fmt.Sprintf("rule %s matches wherever it does and has a better priority", o.rule.ID)
			case samePriority(o.rule, r.rule) && r.rule.Effect == Allow && o.rule.Effect == Deny && !s.canBeMoreSpecific(r, o):
				why = fmt.Sprintf("rule %s denies wherever it matches and is never less specific", o.rule.ID)
			case samePriority(o.rule, r.rule) && !s.canBeMoreSpecific(r, o) && s.covers(r, o) && r.rule.Effect == o.rule.Effect && j < i:
				why = fmt.Sprintf("it repeats rule %s", o.rule.ID)
			default:
				continue
			}
			out = append(out, Finding{Kind: "shadowed", Rule: r.rule.ID, Other: o.rule.ID, Pos: r.rule.Pos,
				Message: fmt.Sprintf("rule %s never decides: %s", r.rule.ID, why)})
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos.String() < out[j].Pos.String() })
	return out
}

// ReportRow is one context of a report and its decision.
type ReportRow struct {
	Values   map[string]string `json:"values"` // the enumerated properties
	Effect   Effect            `json:"effect"`
	Rule     string            `json:"rule,omitempty"`
	Unless   []string          `json:"unless,omitempty"` // rules that change it depending on properties the report leaves open
	Decision *Decision         `json:"-"`
}

// Report decides every combination of the values of the properties by,
// with the fixed values given: "what may Стажер do" enumerates Действие ×
// ВидОбъекта with Роль=Стажер; "who may post a Расходная" enumerates Роль.
// Values are those the rules and groups name (groups themselves only when
// one property is enumerated, so that Менеджер appears as a role in "who"
// but Любая правка not as an action in "may"). Rules that also match but need a property left open
// are listed as Unless.
func (s *Set) Report(ctx context.Context, fixed map[string]any, by []*Property) ([]ReportRow, error) {
	lists := make([][]string, len(by))
	for i, p := range by {
		lists[i] = s.valuesOf(p, len(by) == 1)
	}
	var rows []ReportRow
	idx := make([]int, len(by))
	for {
		vals := map[string]any{}
		for k, v := range fixed {
			vals[k] = v
		}
		shown := map[string]string{}
		for i, p := range by {
			if len(lists[i]) == 0 {
				return rows, nil
			}
			vals[p.Name] = lists[i][idx[i]]
			shown[p.Name] = lists[i][idx[i]]
		}
		d, err := s.Decide(ctx, &Request{Values: vals})
		if err != nil {
			return nil, err
		}
		row := ReportRow{Values: shown, Effect: d.Effect, Decision: d}
		if d.Rule != nil {
			row.Rule = d.Rule.ID
		}
		row.Unless = s.openRules(vals, d)
		if d.Effect == Allow || len(row.Unless) > 0 {
			rows = append(rows, row)
		}
		k := len(by) - 1
		for k >= 0 {
			idx[k]++
			if idx[k] < len(lists[k]) {
				break
			}
			idx[k] = 0
			k--
		}
		if k < 0 {
			return rows, nil
		}
	}
}

// openRules lists rules that match the given values on every property they
// have but need some property the values leave open, with the opposite
// effect of the decision: "unless Товары Алкоголь → deny (стажер-алкоголь)".
func (s *Set) openRules(vals map[string]any, d *Decision) []string {
	given := make([][]Value, len(s.cfg.Properties))
	for k, v := range vals {
		p, _ := s.cfg.Property(k)
		given[p.index], _ = convert(p, v, nil)
	}
	var out []string
	for _, c := range s.rules {
		if c.rule.Effect == d.Effect {
			continue
		}
		var open []string
		ok := true
		for pi, cond := range c.conds {
			if cond == nil {
				continue
			}
			if given[pi] == nil {
				open = append(open, s.cfg.Properties[pi].Name+" "+cond.String())
				continue
			}
			if _, m := s.matchCond(pi, cond, given[pi]); !m {
				ok = false
				break
			}
		}
		if ok && len(open) > 0 {
			out = append(out, fmt.Sprintf("%s → %s (%s)", strings.Join(open, ", "), c.rule.Effect, c.rule.ID))
		}
	}
	return out
}

// valuesOf lists the values of a property the rules and groups name, one
// name per synonym class; groups only when withGroups.
func (s *Set) valuesOf(p *Property, withGroups bool) []string {
	d := s.cfg.dicts[p.index]
	var out []string
	seen := map[string]bool{}
	add := func(v string) {
		if seen[v] || (!withGroups && s.cfg.IsGroup(p, v)) {
			return
		}
		for _, syn := range d.synonyms[v] {
			if seen[syn] {
				return
			}
		}
		seen[v] = true
		out = append(out, v)
	}
	for _, c := range s.rules {
		if cond := c.conds[p.index]; cond != nil && !p.Type.Kind.ordered() {
			for _, t := range cond.Terms {
				add(t.Value.S)
			}
		}
	}
	// Names that groups list come before other synonyms: they are the names
	// the configuration's author chose.
	for _, v := range d.values {
		if _, member := d.parents[v]; member {
			add(v)
		}
	}
	for _, v := range d.values {
		add(v)
	}
	return out
}

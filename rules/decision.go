package rules

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"dostup/sdbl/source"
)

// Decision is the answer to a request: the effect, the rule that decided
// (nil when no rule matched: the default deny), the message to show, and a
// trace of every matching rule and why it won or lost.
type Decision struct {
	Effect  Effect
	Rule    *Rule
	Message string
	Trace   []Step
}

// Outcome is what became of a matching rule.
type Outcome string

// The outcomes of a matching rule, in the order of SPEC §4's steps.
const (
	Outranked   Outcome = "outranked"    // step 1: another matching rule has a better priority
	MoreGeneral Outcome = "more-general" // step 2: another matching rule is strictly more specific
	Overruled   Outcome = "overruled"    // step 3: an allow that a deny left standing beside it overrules
	Agrees      Outcome = "agrees"       // stayed to the end with the same effect as the deciding rule
	Decides     Outcome = "decides"      // the deciding rule
)

// Step is one matching rule in a decision's trace.
type Step struct {
	Rule        string
	Effect      Effect
	Priority    int // meaningful with HasPriority
	HasPriority bool
	Outcome     Outcome
	why         why
}

// why is what Reason needs, kept instead of the text: most decisions are
// never printed, and formatting reasons would cost more than deciding.
type why struct {
	s                *Set
	rule, by         *Rule
	levels, byLevels []Level
	decides          string
}

// Reason says in words why the rule won or lost.
func (st *Step) Reason() string {
	w := st.why
	if w.s == nil {
		return ""
	}
	r := w.rule
	switch st.Outcome {
	case Decides:
		return "decides: " + w.decides
	case Agrees:
		return fmt.Sprintf("also %ss; rule %s comes first in the register", r.Effect, w.by.ID)
	case Overruled:
		return fmt.Sprintf("allows, but rule %s denies at the same level and deny wins", w.by.ID)
	case Outranked:
		mine := "no priority"
		if r.HasPriority {
			mine = fmt.Sprintf("priority %d", r.Priority)
		}
		return fmt.Sprintf("%s loses to priority %d of rule %s", mine, w.by.Priority, w.by.ID)
	case MoreGeneral:
		return fmt.Sprintf("more general than rule %s (%s)", w.by.ID, w.s.diff(w.byLevels, w.levels))
	}
	return ""
}

// Matched lists how each condition of the rule matched.
func (st *Step) Matched() []MatchedProp {
	out := []MatchedProp{}
	if st.why.s == nil {
		return out
	}
	c := st.why.s.rules[st.why.s.byID[st.Rule]]
	for pi, cond := range c.conds {
		if cond != nil {
			out = append(out, MatchedProp{Property: st.why.s.cfg.Properties[pi].Name, Condition: cond.String(), Level: st.why.levels[pi].String()})
		}
	}
	return out
}

// MarshalJSON writes {"rule","effect","priority"?,"outcome","reason","matched"}.
func (st Step) MarshalJSON() ([]byte, error) {
	var p *int
	if st.HasPriority {
		p = &st.Priority
	}
	return json.Marshal(struct {
		Rule     string        `json:"rule"`
		Effect   Effect        `json:"effect"`
		Priority *int          `json:"priority,omitempty"`
		Outcome  Outcome       `json:"outcome"`
		Reason   string        `json:"reason"`
		Matched  []MatchedProp `json:"matched"`
	}{st.Rule, st.Effect, p, st.Outcome, st.Reason(), st.Matched()})
}

// MatchedProp is how a rule's condition on one property matched.
type MatchedProp struct {
	Property  string `json:"property"`
	Condition string `json:"condition"`
	Level     string `json:"level"`
}

// MarshalJSON writes {"effect":..., "rule": id or null, "message":..., "trace": [...]}.
func (d *Decision) MarshalJSON() ([]byte, error) {
	var id *string
	if d.Rule != nil {
		id = &d.Rule.ID
	}
	trace := d.Trace
	if trace == nil {
		trace = []Step{}
	}
	return json.Marshal(struct {
		Effect  Effect  `json:"effect"`
		Rule    *string `json:"rule"`
		Message string  `json:"message"`
		Trace   []Step  `json:"trace"`
	}{d.Effect, id, d.Message, trace})
}

// Allowed reports whether the decision allows the operation.
func (d *Decision) Allowed() bool { return d.Effect == Allow }

// DefaultDenyMessage is the message of a decision no rule made.
const DefaultDenyMessage = "no rule of the register allows this operation"

type match struct {
	ri      int
	levels  []Level
	outcome Outcome
	by      int // index in matched of the rule that dropped or overruled this one
}

// moreSpecific reports whether a is strictly more specific than b: at least
// as narrow on every property and narrower on one.
func moreSpecific(a, b []Level) bool {
	strict := false
	for i := range a {
		if a[i] > b[i] {
			return false
		}
		if a[i] < b[i] {
			strict = true
		}
	}
	return strict
}

func (s *Set) resolve(m []match, st []propState) *Decision {
	return s.resolveInto(&decisionBlock{}, m)
}

// decisionBlock is a decision with room for the trace and levels of the
// usual few matching rules, so that a decision is one allocation.
type decisionBlock struct {
	d      Decision
	trace  [2]Step
	levels [16]Level
}

// resolveInto resolves the matching rules into blk's decision.
func (s *Set) resolveInto(blk *decisionBlock, m []match) *Decision {
	d := &blk.d
	d.Effect = Deny
	if len(m) == 0 {
		d.Message = DefaultDenyMessage
		return d
	}
	// 1. Priorities.
	best := -1
	for _, x := range m {
		if r := s.rules[x.ri].rule; r.HasPriority && (best < 0 || r.Priority < best) {
			best = r.Priority
		}
	}
	if best >= 0 {
		winner := -1
		for i, x := range m {
			if r := s.rules[x.ri].rule; r.HasPriority && r.Priority == best {
				winner = i
				break
			}
		}
		for i, x := range m {
			if r := s.rules[x.ri].rule; !r.HasPriority || r.Priority != best {
				m[i].outcome, m[i].by = Outranked, winner
			}
		}
	}
	// 2. Drop what is strictly more general than another rule still standing.
	for i := range m {
		if m[i].outcome != "" {
			continue
		}
		for j := range m {
			if i != j && (m[j].outcome == "" || m[j].outcome == MoreGeneral) && moreSpecific(m[j].levels, m[i].levels) {
				m[i].outcome, m[i].by = MoreGeneral, j
				break
			}
		}
	}
	// 3. Deny wins; the first rule of the register with the winning effect decides.
	effect := Allow
	for _, x := range m {
		if x.outcome == "" && s.rules[x.ri].rule.Effect == Deny {
			effect = Deny
			break
		}
	}
	decider := -1
	for i, x := range m {
		if x.outcome != "" {
			continue
		}
		switch {
		case s.rules[x.ri].rule.Effect != effect:
			m[i].outcome = Overruled
		case decider < 0:
			m[i].outcome, decider = Decides, i
		default:
			m[i].outcome, m[i].by = Agrees, decider
		}
	}
	for i := range m {
		if m[i].outcome == Overruled {
			m[i].by = decider
		}
	}
	r := s.rules[m[decider].ri].rule
	d.Effect, d.Rule, d.Message = effect, r, r.Message
	if effect == Deny && d.Message == "" {
		d.Message = "denied by rule " + r.ID
	}
	// The deciding rule first, then the rest in register order.
	if len(m) <= len(blk.trace) {
		d.Trace = blk.trace[:0:len(m)]
	} else {
		d.Trace = make([]Step, 0, len(m))
	}
	d.Trace = append(d.Trace, s.step(m, decider, m[decider]))
	for i, x := range m {
		if i != decider {
			d.Trace = append(d.Trace, s.step(m, i, x))
		}
	}
	return d
}

func (s *Set) step(m []match, i int, x match) Step {
	r := s.rules[x.ri].rule
	st := Step{Rule: r.ID, Effect: r.Effect, Priority: r.Priority, HasPriority: r.HasPriority, Outcome: x.outcome}
	st.why = why{s: s, rule: r, levels: x.levels}
	switch x.outcome {
	case Decides:
		st.why.decides = s.decidesWhy(m, r.Effect)
	case Agrees, Overruled, Outranked, MoreGeneral:
		st.why.by, st.why.byLevels = s.rules[m[x.by].ri].rule, m[x.by].levels
	}
	return st
}

func (s *Set) decidesWhy(m []match, e Effect) string {
	left, deny := 0, 0
	for _, x := range m {
		if x.outcome == Decides || x.outcome == Agrees || x.outcome == Overruled {
			left++
			if s.rules[x.ri].rule.Effect == Deny {
				deny++
			}
		}
	}
	switch {
	case len(m) == 1:
		return "the only matching rule"
	case left == 1:
		return "the most specific matching rule"
	case e == Deny && left > deny:
		return "deny wins over allow at the same level"
	}
	return fmt.Sprintf("first of %d matching rules left with the same effect", left)
}

// diff names the properties where the narrower rule a is narrower than b.
func (s *Set) diff(a, b []Level) string {
	var parts []string
	for pi := range a {
		if a[pi] < b[pi] {
			parts = append(parts, fmt.Sprintf("%s: %s is narrower than %s", s.cfg.Properties[pi].Name, a[pi], b[pi]))
		}
	}
	return strings.Join(parts, "; ")
}

// Error is a mistake at a place in the register's files. It keeps its
// position as a Pos, which the YAML decoder gives, and marshals in the shape
// of source.Error (file, line, col, code, message) so that tools read rules
// mistakes and restriction-text mistakes alike; pos stays for readers of the
// older form.
type Error struct {
	Pos  Pos    `json:"pos"`
	Code string `json:"code"`
	Msg  string `json:"message"`
}

// errorJSON is Error's JSON form: the older pos beside the shared shape.
type errorJSON struct {
	Pos Pos `json:"pos"`
	source.ErrorJSON
}

// MarshalJSON writes {"pos","file","line","col","code","message"}.
func (e *Error) MarshalJSON() ([]byte, error) {
	return json.Marshal(errorJSON{Pos: e.Pos, ErrorJSON: source.NewErrorJSON(e.Pos.Position(), e.Code, e.Msg)})
}

// UnmarshalJSON reads what MarshalJSON writes, and the older form with only
// pos.file.
func (e *Error) UnmarshalJSON(data []byte) error {
	var j errorJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	p := Pos{File: j.File, Line: j.Line, Col: j.Col}
	if p.File == "" {
		p.File = j.Pos.File
	}
	*e = Error{Pos: p, Code: j.Code, Msg: j.Message}
	return nil
}

// Error formats file:line:col: message.
func (e *Error) Error() string {
	if p := e.Pos.String(); p != "" {
		return p + ": " + e.Msg
	}
	return e.Msg
}

// ErrorList is every mistake one load or compile found.
type ErrorList []*Error

// Add appends a mistake.
func (l *ErrorList) Add(p Pos, code, msg string) {
	*l = append(*l, &Error{Pos: p, Code: code, Msg: msg})
}

// Sort orders mistakes by file, line and column.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Error prints every mistake, one a line: a 1C developer fixes them all in one go.
func (l ErrorList) Error() string {
	var b []string
	for _, e := range l {
		b = append(b, e.Error())
	}
	return strings.Join(b, "\n")
}

// Err returns the list as an error, nil when empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

package rules

import (
	"fmt"
	"strings"

	"dostup/sdbl/source"
)

// Effect is what a rule decides.
type Effect uint8

// The effects. Deny is the zero value so that a forgotten effect never allows.
const (
	Deny Effect = iota
	Allow
)

// String returns "allow" or "deny", the spelling of the JSON output.
func (e Effect) String() string {
	if e == Allow {
		return "allow"
	}
	return "deny"
}

// MarshalText writes "allow" or "deny".
func (e Effect) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText reads any spelling ParseEffect accepts.
func (e *Effect) UnmarshalText(b []byte) error {
	v, err := ParseEffect(string(b))
	if err != nil {
		return err
	}
	*e = v
	return nil
}

var effectNames = map[string]Effect{
	"allow": Allow, "разрешить": Allow, "разрешено": Allow, "разрешен": Allow, "да": Allow, "1": Allow, "true": Allow, "истина": Allow,
	"deny": Deny, "запретить": Deny, "запрещено": Deny, "запрещен": Deny, "нет": Deny, "0": Deny, "false": Deny, "ложь": Deny,
}

// ParseEffect reads an effect: allow/deny, Разрешить/Запретить,
// Разрешено/Запрещено, 1/0 (the seed's Доступ column).
func ParseEffect(s string) (Effect, error) {
	e, ok := effectNames[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		return Deny, fmt.Errorf("unknown effect %q: write allow (Разрешить, 1) or deny (Запретить, 0)", s)
	}
	return e, nil
}

// Pos is a place in a file, for messages.
type Pos struct {
	File      string `json:"file,omitempty"`
	Line, Col int    `json:"-"`
}

// Position converts the place to the form sdbl/source prints and
// marshals, the one shape of positioned errors.
func (p Pos) Position() source.Position {
	return source.Position{Filename: p.File, Line: p.Line, Column: p.Col}
}

// String prints file:line:col (or what of it is known).
func (p Pos) String() string {
	switch {
	case p.File == "" && p.Line == 0:
		return ""
	case p.Line == 0:
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Condition is one cell of a rule as written: the property's name and the
// condition's text.
type Condition struct {
	Property string `json:"property"`
	Text     string `json:"text"`
	Pos      Pos    `json:"-"` // of the condition's text
	KeyPos   Pos    `json:"-"` // of the property's name
}

// Rule is one row of the register. A property the rule has no condition on
// matches anything.
type Rule struct {
	ID          string      `json:"id"`
	Conditions  []Condition `json:"conditions,omitempty"`
	Effect      Effect      `json:"effect"`
	Priority    int         `json:"priority,omitempty"` // 0 is the highest; meaningful only with HasPriority
	HasPriority bool        `json:"has_priority,omitempty"`
	Message     string      `json:"message,omitempty"` // shown on denial
	Comment     string      `json:"comment,omitempty"`
	Pos         Pos         `json:"-"` // where the rule was written
}

// When returns the text of the rule's condition on a property ("" for any).
func (r *Rule) When(property string) string {
	for _, c := range r.Conditions {
		if strings.EqualFold(c.Property, property) {
			return c.Text
		}
	}
	return ""
}

// String prints the rule on one line: id: Роль=Стажер, Действие=Правка → deny.
func (r *Rule) String() string {
	var b strings.Builder
	b.WriteString(r.ID)
	b.WriteString(":")
	for i, c := range r.Conditions {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " %s=%s", c.Property, c.Text)
	}
	if len(r.Conditions) == 0 {
		b.WriteString(" (any)")
	}
	fmt.Fprintf(&b, " → %s", r.Effect)
	if r.HasPriority {
		fmt.Fprintf(&b, " (priority %d)", r.Priority)
	}
	return b.String()
}

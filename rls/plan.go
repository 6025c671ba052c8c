package rls

import (
	"strings"

	"dostup/sdbl/ast"
	"dostup/sdbl/source"
)

// Decision is what a plan says of the records of a table.
type Decision int

const (
	// Denied: no record. No role of the session grants the right, or a
	// restriction that applies stops the session with its message.
	Denied Decision = iota
	// Allowed: every record; some granting role has no restriction that
	// applies to the fields read.
	Allowed
	// Restricted: the records the plan's roles select.
	Restricted
)

// Fields says which fields of a table an operation reads; they decide
// which of a role's restrictions apply (§3.2): a restriction for named
// fields when the operation reads one of them, the restriction for "other
// fields" when it reads a field no restriction names.
type Fields struct {
	// All counts every field as read: a write, an object read by reference,
	// a register read through a virtual table.
	All bool
	// Used are the fields read, named as Key names them. Neither Used nor
	// All means the operation reads no field (КОЛИЧЕСТВО(*)): then every
	// restriction of a role applies, joined by OR.
	Used []string
	// Key names a field the way Used does, whichever of its names
	// (Russian, English) a restriction writes; ok is false for a name the
	// table does not have, which is then compared as written, lower-cased.
	Key func(name string) (key string, ok bool)
}

// Plan is a session's decision on one table occurrence, for a right and
// the fields read, as Cerbos' query planner returns a filter for adapters
// to emit: allowed, denied, or restricted to an OR over roles of their
// restrictions' conditions. The SQL compiler only compiles its leaves.
type Plan struct {
	Decision Decision
	// Message is, for a plan denied by a message variant, the variant's
	// text; "" when the plan is denied because no role grants the right.
	Message string
	// Roles are, for a restricted plan, the granting roles: a record is
	// allowed when any of them selects it.
	Roles []RoleFilter
}

// RoleFilter is one granting role's part of a restricted plan.
type RoleFilter struct {
	Role string
	// Conditions are the role's restrictions that apply, each a parsed
	// tree; a record passes the role when it satisfies all of them, or any
	// of them when Any is set.
	Conditions []Condition
	// Any is set when the operation reads no field of the table: each of
	// the role's restrictions then grants the records it selects.
	Any bool
}

// Condition is one restriction of a role, prepared for a session:
// templates expanded, the preprocessor evaluated with the session's
// parameters, the text parsed.
type Condition struct {
	// Fields are the fields a Read restriction is for; empty means every
	// field no other restriction of the role names ("other fields"), and
	// is the only form other rights have.
	Fields []string
	Text   source.Text      // the expanded text, for positions in errors
	Tree   *ast.Restriction // nil for a message variant
	// Message is set for a message variant: a text the restriction's
	// author wrote to stop such sessions (Ошибка: …). Any operation the
	// restriction applies to fails with it.
	Message string
}

// grant is one role's grant of a right on an object, with its
// restrictions as the session sees them; none allows every record.
type grant struct {
	role         string
	restrictions []Condition
}

// plan decides the records of a table from the grants of its right: the
// first granting role with no restriction that applies allows every
// record, the first applying message variant denies them all, and
// otherwise each role contributes its applying restrictions.
func plan(grants []grant, f Fields) Plan {
	if len(grants) == 0 {
		return Plan{Decision: Denied}
	}
	reads := f.All || len(f.Used) > 0
	var roles []RoleFilter
	for _, g := range grants {
		conds := g.restrictions
		if reads {
			conds = applicable(f, g.restrictions)
		}
		if len(conds) == 0 {
			return Plan{Decision: Allowed}
		}
		for _, c := range conds {
			if c.Tree == nil {
				return Plan{Decision: Denied, Message: c.Message}
			}
		}
		roles = append(roles, RoleFilter{Role: g.role, Conditions: conds, Any: !reads})
	}
	return Plan{Decision: Restricted, Roles: roles}
}

// applicable picks a role's restrictions for the fields read: one for
// named fields when it names a field read, the "other fields" one when a
// field read is named by none.
func applicable(f Fields, all []Condition) []Condition {
	if f.All {
		return all
	}
	named := map[string]bool{}
	keys := make([][]string, len(all))
	for i, c := range all {
		for _, name := range c.Fields {
			k := strings.ToLower(name)
			if f.Key != nil {
				if fk, ok := f.Key(name); ok {
					k = fk
				}
			}
			keys[i] = append(keys[i], k)
			named[k] = true
		}
	}
	other := false
	used := map[string]bool{}
	for _, u := range f.Used {
		used[u] = true
		if !named[u] {
			other = true
		}
	}
	var out []Condition
	for i, c := range all {
		if len(c.Fields) == 0 {
			if other {
				out = append(out, c)
			}
			continue
		}
		for _, k := range keys[i] {
			if used[k] {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

package audit

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"dostup/infobase"
	"dostup/metadata/vocab"
)

// EffectiveRight is one right a user holds on an object: the roles that
// grant it and the restrictions that then apply, as the user's session
// reads them. Its JSON names are part of dostup's interface.
type EffectiveRight struct {
	Infobase string   `json:"infobase,omitempty"`
	User     string   `json:"user"`
	Object   string   `json:"object"`
	Right    string   `json:"right"`
	Roles    []string `json:"roles"` // the user's roles that grant it
	// Restricted is true when every granting role restricts the right, so
	// the user reaches only the records some restriction selects; false
	// when a role grants it on every record (the others' restrictions are
	// then ORed away).
	Restricted   bool                   `json:"restricted"`
	Restrictions []EffectiveRestriction `json:"restrictions"`
}

// EffectiveRestriction is one granting role's restriction of a right, its
// text after templates and the preprocessor for the user's session.
type EffectiveRestriction struct {
	Role string `json:"role"`
	// Fields are the fields a Чтение restriction is for; empty means every
	// field no other restriction of the role names.
	Fields []string `json:"fields,omitempty"`
	Text   string   `json:"text"`
}

// Effective is what a user may do with an object: every right any of the
// user's roles grants on it (the object ConfigurationObject for the rights
// of the configuration), in the configuration's order, each with the roles
// granting it and, for a right record-level security restricts, the
// restrictions of those roles as the user's session makes them. The
// session is started as the infobase starts any (its parameters computed)
// and logs nothing.
func Effective(ctx context.Context, ib *infobase.Infobase, user, object string) ([]EffectiveRight, error) {
	cfg := ib.Config
	whole := strings.EqualFold(object, ConfigurationObject)
	if !whole && cfg.Object(object) == nil {
		return nil, fmt.Errorf("the configuration has no object %s (write Справочник.Имя, or %s for its own rights)", object, ConfigurationObject)
	}
	s, err := ib.NewSession(ctx, user, infobase.SessionOptions{})
	if err != nil {
		return nil, err
	}
	var out []EffectiveRight
	index := map[string]int{}
	for _, role := range s.Roles() {
		for _, g := range Rights(cfg, Filter{Role: role, Object: object}) {
			i, ok := index[g.Right]
			if !ok {
				i = len(out)
				index[g.Right] = i
				out = append(out, EffectiveRight{User: s.User(), Object: g.Object, Right: g.Right, Restrictions: []EffectiveRestriction{}})
			}
			out[i].Roles = append(out[i].Roles, g.Role)
		}
	}
	// The rights in the order 1C lists them, whichever role came first.
	order := rightOrder()
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Right] < order[out[j].Right] })
	if whole {
		return out, nil
	}
	for i := range out {
		right, ok := vocab.ParseRight(out[i].Right)
		if !ok || !right.Restrictable() {
			continue
		}
		grants, err := s.Access().Grants(object, right)
		if err != nil {
			return nil, err
		}
		out[i].Restricted = len(grants) > 0
		for _, g := range grants {
			if len(g.Conditions) == 0 {
				out[i].Restricted = false
			}
			for _, c := range g.Conditions {
				out[i].Restrictions = append(out[i].Restrictions, EffectiveRestriction{Role: g.Role, Fields: c.Fields, Text: strings.TrimSpace(c.Text.Body)})
			}
		}
	}
	return out, nil
}

// rightOrder numbers the rights by their place in 1C's list, by Russian
// name.
func rightOrder() map[string]int {
	order := map[string]int{}
	for i, r := range vocab.Rights() {
		order[russian(string(r))] = i
	}
	return order
}

package audit

import (
	"strings"

	"dostup/metadata"
	"dostup/metadata/vocab"
)

// ConfigurationObject is the object the rights of the configuration as a
// whole (Администрирование, ТонкийКлиент, ...) are granted on in the matrix.
const ConfigurationObject = "Конфигурация"

// Grant is one right a role grants on an object: one row of the rights
// matrix. Its JSON names and CSV columns are part of dostup's interface.
type Grant struct {
	Infobase string `json:"infobase,omitempty"`
	Role     string `json:"role"`
	Object   string `json:"object"` // Справочник.Контрагенты, or ConfigurationObject
	Right    string `json:"right"`  // the Russian name: Чтение, Проведение, Администрирование
	// Restricted is true when a record-level restriction of the role
	// applies to the right on the object.
	Restricted bool `json:"restricted"`
}

// GrantColumns are the CSV columns of the rights matrix, in order.
var GrantColumns = []string{"infobase", "role", "object", "right", "restricted"}

// Record is the grant as a CSV row under GrantColumns.
func (g Grant) Record() []string {
	restricted := "false"
	if g.Restricted {
		restricted = "true"
	}
	return []string{g.Infobase, g.Role, g.Object, g.Right, restricted}
}

// Filter narrows the matrix. Role and Object are whole names in any letter
// case; Object may be written in either language (Catalog.X is
// Справочник.X) or be ConfigurationObject. Empty fields match everything.
type Filter struct {
	Role, Object string
}

// Rights returns the matrix of cfg: for every role in the configuration's
// order, its rights on the configuration, then on each object in the
// configuration's order, each right once, granted rights only.
func Rights(cfg *metadata.Configuration, f Filter) []Grant {
	var out []Grant
	wantObject := f.Object
	if o := cfg.Object(f.Object); o != nil {
		wantObject = o.FullName(cfg.English)
	}
	for _, role := range cfg.Roles {
		if f.Role != "" && !strings.EqualFold(role.Name, f.Role) {
			continue
		}
		if f.Object == "" || strings.EqualFold(wantObject, ConfigurationObject) {
			for _, r := range role.GlobalRights {
				out = append(out, Grant{Role: role.Name, Object: ConfigurationObject, Right: russian(r)})
			}
		}
		for _, or := range role.Objects {
			name := objectName(cfg, or.Object)
			if f.Object != "" && !strings.EqualFold(name, wantObject) {
				continue
			}
			for _, r := range or.Rights {
				out = append(out, Grant{Role: role.Name, Object: name, Right: russian(r), Restricted: restricted(or, r)})
			}
		}
	}
	return out
}

// objectName spells an object's name with the configuration's prefixes,
// whichever language the role wrote it in.
func objectName(cfg *metadata.Configuration, written string) string {
	if o := cfg.Object(written); o != nil {
		return o.FullName(cfg.English)
	}
	return written
}

// russian names a right as 1C's role editor does in Russian.
func russian(right string) string { return metadata.RightName(right, false) }

// restricted reports whether one of the object's restrictions is for right.
func restricted(or *metadata.ObjectRights, right string) bool {
	r, ok := vocab.ParseRight(right)
	if !ok || !r.Restrictable() {
		return false
	}
	for _, x := range or.Restrictions {
		if xr, ok := vocab.ParseRight(x.Right); ok && xr == r {
			return true
		}
	}
	return false
}

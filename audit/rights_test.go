package audit_test

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"dostup/audit"
	"dostup/internal/testcorpus"
	"dostup/metadata"
	"dostup/onecxml"
)

// TestRightsAgainstRoleFiles holds the matrix to a reading of the dump's
// role files of its own, as a consultant would check it: every right of
// the configuration and every right of each object's kind is granted when
// the file says so, or when the file does not mention it and the role has
// setForNewObjects; a right is restricted when the file gives it a
// restriction.
func TestRightsAgainstRoleFiles(t *testing.T) {
	for _, tt := range []struct{ name, root string }{
		{"ssl31", testcorpus.Dir(t, "ssl31")},
		{"ssl31en", testcorpus.Dir(t, "ssl31en")},
		{"unf30", testcorpus.Unf30(t)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			target := loadTarget(t, tt.root)
			cfg := target.Config
			got := map[string]bool{}
			for _, g := range audit.Rights(cfg, audit.Filter{}) {
				got[strings.Join(g.Record(), "|")] = true
			}
			want := map[string]bool{}
			for _, path := range target.Rights {
				file, err := onecxml.ReadRights(path)
				if err != nil {
					t.Fatal(err)
				}
				for _, row := range readRoleFile(cfg, file) {
					want[row] = true
				}
			}
			if len(want) == 0 {
				t.Fatal("the role files grant nothing")
			}
			diff(t, "granted by the files but missing from the matrix", want, got)
			diff(t, "in the matrix but not granted by the files", got, want)
			t.Logf("%d rows", len(got))
		})
	}
}

// readRoleFile lists the rows one role file grants, as Grant.Record
// joined with |.
func readRoleFile(cfg *metadata.Configuration, file *onecxml.Rights) []string {
	role := filepath.Base(filepath.Dir(filepath.Dir(file.Path)))
	listed := func(object string) map[string]onecxml.Right {
		out := map[string]onecxml.Right{}
		for _, o := range file.Objects {
			if strings.EqualFold(o.Name, object) {
				for _, r := range o.Rights {
					out[r.Name] = r
				}
			}
		}
		return out
	}
	granted := func(rights map[string]onecxml.Right, right string) (bool, bool) {
		r, ok := rights[right]
		if !ok {
			return file.SetForNewObjects, false
		}
		return r.Value, r.Value && len(r.Restrictions) > 0
	}
	var rows []string
	add := func(object, right string, restricted bool) {
		rows = append(rows, strings.Join([]string{"", role, object, metadata.RightName(right, false), map[bool]string{true: "true", false: "false"}[restricted]}, "|"))
	}
	global := listed("Configuration." + cfg.Name)
	for _, r := range metadata.GlobalRights() {
		if ok, _ := granted(global, string(r)); ok {
			add(audit.ConfigurationObject, string(r), false)
		}
	}
	for _, o := range cfg.Objects {
		rights := listed(o.FullName(true))
		for _, r := range metadata.KindRights(o.Kind) {
			if ok, restricted := granted(rights, string(r)); ok {
				add(o.FullName(cfg.English), string(r), restricted)
			}
		}
	}
	return rows
}

func diff(t *testing.T, what string, a, b map[string]bool) {
	t.Helper()
	var missing []string
	for k := range a {
		if !b[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d rows %s, such as %q", len(missing), what, missing[:min(5, len(missing))])
	}
}

// TestRightsFilter narrows the matrix by role and by object in either
// language.
func TestRightsFilter(t *testing.T) {
	target := loadTarget(t, testcorpus.Dir(t, "ssl31"))
	all := audit.Rights(target.Config, audit.Filter{})
	role := all[len(all)/2].Role
	object := all[len(all)/2].Object
	byRole := audit.Rights(target.Config, audit.Filter{Role: strings.ToUpper(role)})
	if len(byRole) == 0 || slices.ContainsFunc(byRole, func(g audit.Grant) bool { return g.Role != role }) {
		t.Errorf("--role %s: %d rows, some of other roles", role, len(byRole))
	}
	english := target.Config.Object(object).FullName(true)
	byObject := audit.Rights(target.Config, audit.Filter{Object: english})
	if len(byObject) == 0 || slices.ContainsFunc(byObject, func(g audit.Grant) bool { return g.Object != object }) {
		t.Errorf("--object %s: %d rows, some of other objects", english, len(byObject))
	}
	conf := audit.Rights(target.Config, audit.Filter{Object: audit.ConfigurationObject})
	if len(conf) == 0 || slices.ContainsFunc(conf, func(g audit.Grant) bool { return g.Object != audit.ConfigurationObject }) {
		t.Errorf("--object %s: %d rows, some of objects", audit.ConfigurationObject, len(conf))
	}
}

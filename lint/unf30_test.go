package lint

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"dostup/audit"
	"dostup/internal/testcorpus"
	"dostup/metadata/vocab"
	"dostup/onecxml"
)

// TestUnf30 lints the corpus's whole application with its modules and the
// BSL checks: the figures go in the log; every restriction finding points
// into the dump's Rights.xml and each restriction is reported once; the
// dangerous-right and rls-in-standard-role findings are those an
// independent reading of the role files gives; the SARIF log is valid.
func TestUnf30(t *testing.T) {
	root := testcorpus.Unf30(t)
	ctx := context.Background()
	start := time.Now()
	in, err := Load(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(ctx, in, Options{BSL: true})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	codes := make([]string, 0, len(r.Counts))
	for c := range r.Counts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var counts strings.Builder
	for _, c := range codes {
		counts.WriteString("\n  " + c + ": ")
		counts.WriteString(strings.Repeat(" ", max(0, 34-len(c))))
		counts.WriteString(strconv.Itoa(r.Counts[c]))
	}
	t.Logf("unf30: %d findings in %s (import, compile, modules and BSL checks):%s", len(r.Findings), took.Round(time.Second), counts.String())

	type key struct{ role, object, right string }
	once := map[key]bool{}
	for _, f := range r.Findings {
		switch f.Code {
		case CodeRestrictionSyntax, CodeRestrictionBind:
			if !strings.HasPrefix(f.File, root) || filepath.Base(f.File) != "Rights.xml" || f.Line == 0 {
				t.Errorf("%s is placed at %s:%d, not in a Rights.xml of the dump", f.Message, f.File, f.Line)
			}
			k := key{f.Role, f.Object, f.Right}
			if once[k] {
				t.Errorf("role %s, %s, %s reported twice", f.Role, f.Object, f.Right)
			}
			once[k] = true
		case CodeQueryInModule:
			if !strings.HasSuffix(f.File, ".bsl") || f.Line == 0 {
				t.Errorf("%s is placed at %s:%d, not in a module", f.Message, f.File, f.Line)
			}
		}
	}
	if r.Counts[CodeQueryInModule] == 0 || r.Counts[CodeRestrictionBind] == 0 {
		t.Errorf("the application's known failures are not found: %v", r.Counts)
	}

	want := independentReading(t, in.Target.Rights)
	var got []string
	for _, f := range r.Findings {
		if f.Code == audit.CodeDangerousRight || f.Code == audit.CodeRLSInStandardRole {
			got = append(got, f.Code+" "+f.Role+" "+f.Right+" "+f.Object)
		}
	}
	slices.Sort(got)
	got = slices.Compact(got)
	if !slices.Equal(got, want) {
		t.Errorf("lint's dangerous-right and rls-in-standard-role findings:\n%s\nan independent reading of the role files:\n%s",
			strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	var out bytes.Buffer
	if err := WriteSARIF(&out, r, "test"); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sarifSchema(t), out.Bytes())
}

// independentReading lists what the audit's two role rules should find in
// the role files, read from the XML alone: the global rights of each role
// (every one but those withheld for a role that sets rights for new
// objects, Режим «Все функции» aside) that the default policy does not let it hold, and the
// restrictions in the standard roles.
func independentReading(t *testing.T, files []string) []string {
	t.Helper()
	policy := audit.DefaultPolicy()
	var out []string
	for _, path := range files {
		rights, err := onecxml.ReadRights(path)
		if err != nil {
			t.Fatal(err)
		}
		held := map[vocab.Right]bool{}
		if rights.SetForNewObjects {
			for _, r := range vocab.Rights() {
				// Режим «Все функции» came with a platform newer than
				// most dumps: they do not withhold it, and 1C does not
				// grant it unnamed (metadata's explicitOnlyRights).
				if r.Global() && r != vocab.AllFunctionsMode {
					held[r] = true
				}
			}
		}
		standard := rights.Role == "ПолныеПрава" || rights.Role == "АдминистраторСистемы"
		for _, obj := range rights.Objects {
			global := strings.HasPrefix(obj.Name, "Configuration.")
			for _, right := range obj.Rights {
				r, ok := vocab.ParseRight(right.Name)
				if global && ok && r.Global() {
					held[r] = right.Value
				}
				if standard && len(right.Restrictions) > 0 {
					out = append(out, audit.CodeRLSInStandardRole+" "+rights.Role+" "+onecxml.RightName(right.Name, true)+" "+onecxml.TableName(obj.Name, true))
				}
			}
		}
		for r, on := range held {
			if !on {
				continue
			}
			for _, d := range policy.Dangerous {
				if d.Right == string(r) && !slices.Contains(d.Roles, rights.Role) {
					out = append(out, audit.CodeDangerousRight+" "+rights.Role+" "+onecxml.RightName(string(r), true)+" "+audit.ConfigurationObject)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

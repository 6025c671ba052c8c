package importer

import (
	"strings"
	"testing"

	"dostup/internal/testcorpus"
	"dostup/metadata"
	"dostup/onecxml"
)

// TestConvertCorpus imports both corpus dumps, writes them and loads the
// result: the configuration validates and holds every object of the kinds
// the model has and every restriction but those on document journals.
func TestConvertCorpus(t *testing.T) {
	cases := []struct {
		name                                string
		objects, roles, restrictions, warns int
		english                             bool
		object, attr, typ                   string
	}{
		{"ssl31", 561, 107, 151, 12, false, "Справочник.Пользователи", "Недействителен", "Булево"},
		{"ssl31en", 497, 94, 136, 11, true, "Catalog.Users", "Invalid", "Булево"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := onecxml.ReadDump(testcorpus.Dir(t, c.name))
			if err != nil {
				t.Fatal(err)
			}
			imp, err := Convert(d)
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			if err := Write(imp, out); err != nil {
				t.Fatal(err)
			}
			cfg, err := metadata.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.Objects) != c.objects || len(cfg.Roles) != c.roles || cfg.Restrictions() != c.restrictions || len(imp.Warnings) != c.warns || cfg.English != c.english {
				t.Errorf("%d objects, %d roles, %d restrictions, %d warnings, english %v:\n%s",
					len(cfg.Objects), len(cfg.Roles), cfg.Restrictions(), len(imp.Warnings), cfg.English, strings.Join(imp.Warnings, "\n"))
			}
			o := cfg.Object(c.object)
			if o == nil || o.Attribute(c.attr) == nil || o.Attribute(c.attr).Type.String() != c.typ {
				t.Errorf("%s.%s: %+v", c.object, c.attr, o)
			}
			for _, w := range imp.Warnings {
				// The corpus has no Ext/Predefined.xml: the items its
				// restrictions name are taken from them, with a warning.
				if lw := strings.ToLower(w); !strings.Contains(lw, "journal") && !strings.Contains(lw, "functional option") && !strings.Contains(lw, "ext/predefined.xml") {
					t.Errorf("unexpected warning: %s", w)
				}
			}
		})
	}
}

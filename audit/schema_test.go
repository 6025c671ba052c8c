package audit_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"dostup/audit"
)

// TestSchemaMatchesRows: docs/audit.schema.json describes every JSON field
// of the rows the audit prints, no more, and requires exactly those that
// are never left out.
func TestSchemaMatchesRows(t *testing.T) {
	data, err := os.ReadFile("../docs/audit.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	var doc struct {
		Defs map[string]object `json:"$defs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var restriction struct {
		Items object `json:"items"`
	}
	if err := json.Unmarshal(doc.Defs["EffectiveRight"].Properties["restrictions"], &restriction); err != nil {
		t.Fatal(err)
	}
	doc.Defs["EffectiveRestriction"] = restriction.Items
	for name, row := range map[string]any{
		"Grant": audit.Grant{}, "Membership": audit.Membership{}, "User": audit.User{}, "Finding": audit.Finding{},
		"EffectiveRight": audit.EffectiveRight{}, "EffectiveRestriction": audit.EffectiveRestriction{},
	} {
		def, ok := doc.Defs[name]
		if !ok {
			t.Errorf("the schema has no %s", name)
			continue
		}
		var fields, required []string
		typ := reflect.TypeOf(row)
		for i := range typ.NumField() {
			tag := typ.Field(i).Tag.Get("json")
			field, opts, _ := strings.Cut(tag, ",")
			fields = append(fields, field)
			if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
				required = append(required, field)
			}
		}
		var props []string
		for p := range def.Properties {
			props = append(props, p)
		}
		slices.Sort(fields)
		slices.Sort(props)
		slices.Sort(required)
		slices.Sort(def.Required)
		if !slices.Equal(fields, props) {
			t.Errorf("%s: the schema lists %v, the JSON has %v", name, props, fields)
		}
		if !slices.Equal(required, def.Required) {
			t.Errorf("%s: the schema requires %v, the JSON always has %v", name, def.Required, required)
		}
	}
}

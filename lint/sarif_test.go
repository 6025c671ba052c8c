package lint

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"dostup/audit"
)

// sarifSchemaID is the $id of the OASIS schema in testdata: checking it
// keeps a hand-written or truncated stand-in from passing for the real one.
const sarifSchemaID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// The subset of a SARIF log the tests look at, decoded separately from the
// library's types so that the tests check the JSON, not the library.
type (
	sarifTestLog struct {
		Schema  string         `json:"$schema"`
		Version string         `json:"version"`
		Runs    []sarifTestRun `json:"runs"`
	}
	sarifTestRun struct {
		Tool struct {
			Driver struct {
				Name           string          `json:"name"`
				InformationURI string          `json:"informationUri"`
				Version        string          `json:"version"`
				Rules          []sarifTestRule `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Results []sarifTestResult `json:"results"`
	}
	sarifTestRule struct {
		ID               string                 `json:"id"`
		ShortDescription sarifTestText          `json:"shortDescription"`
		FullDescription  *sarifTestText         `json:"fullDescription"`
		Help             *sarifTestText         `json:"help"`
		Default          struct{ Level string } `json:"defaultConfiguration"`
	}
	sarifTestText struct {
		Text string `json:"text"`
	}
	sarifTestResult struct {
		RuleID    string        `json:"ruleId"`
		RuleIndex int           `json:"ruleIndex"`
		Level     string        `json:"level"`
		Message   sarifTestText `json:"message"`
		Locations []struct {
			PhysicalLocation *struct {
				ArtifactLocation struct {
					URI       string `json:"uri"`
					URIBaseID string `json:"uriBaseId"`
				} `json:"artifactLocation"`
				Region *struct {
					StartLine   int `json:"startLine"`
					StartColumn int `json:"startColumn"`
				} `json:"region"`
			} `json:"physicalLocation"`
			LogicalLocations []struct {
				Name               string `json:"name"`
				FullyQualifiedName string `json:"fullyQualifiedName"`
				Kind               string `json:"kind"`
			} `json:"logicalLocations"`
		} `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          map[string]any    `json:"properties"`
	}
)

// sarifSchema compiles the vendored OASIS schema, asserting formats so
// that a uri that is not a URI fails.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if id := doc.(map[string]any)["id"]; id != sarifSchemaID {
		t.Fatalf("testdata schema has id %v, want the OASIS schema %s", id, sarifSchemaID)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(sarifSchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// validateSARIF fails t unless out is valid against the schema.
func validateSARIF(t *testing.T, sch *jsonschema.Schema, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v\n%s", err, out)
	}
}

func writeTestSARIF(t *testing.T, c SARIFConfig, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decodeSARIF(t *testing.T, out []byte) sarifTestRun {
	t.Helper()
	var log sarifTestLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with one", log.Version, len(log.Runs))
	}
	return log.Runs[0]
}

func sarifFinding(code, severity, file string, line, col int, message string) Finding {
	return Finding{
		Finding: audit.Finding{Code: code, Severity: severity, Message: message},
		File:    file, Line: line, Col: col,
	}
}

// sarifTestReport has findings of lint's codes and two unknown (BSL)
// codes in a folder with a Cyrillic name with a space: one in a file at a
// line and column, one at a line, one in a file at no line, one with no
// file at all.
func sarifTestReport(base string) *Report {
	rights := filepath.Join(base, "Roles", "ПолныеПрава", "Ext", "Rights.xml")
	module := filepath.Join(base, "CommonModules", "Общий модуль", "Ext", "Module.bsl")
	dangerous := sarifFinding(audit.CodeDangerousRight, audit.SeverityError, rights, 0, 0, "role ПолныеПрава holds Администрирование")
	dangerous.Subject, dangerous.Role, dangerous.Right, dangerous.Object = "Роль.ПолныеПрава", "ПолныеПрава", "Администрирование", "Конфигурация"
	return &Report{Path: base, Findings: []Finding{
		dangerous,
		sarifFinding("bsl-zzz", "note", module, 7, 3, "a BSL note"),
		sarifFinding("bsl-aaa", "warning", module, 9, 1, "a BSL warning"),
		sarifFinding("bsl-aaa", audit.SeverityError, module, 12, 0, "a BSL error"),
		sarifFinding(CodeUnusedTemplate, audit.SeverityInfo, rights, 40, 0, "template Т is never used"),
		sarifFinding(CodeRestrictionSyntax, audit.SeverityError, "", 0, 0, "no file at all"),
	}}
}

// sarifTestBase is a folder named as dumps often are, in Cyrillic with a
// space, so that its URI needs percent-encoding.
func sarifTestBase(t *testing.T) string {
	return filepath.Join(t.TempDir(), "Выгрузка конфигурации")
}

func TestSARIFValidAgainstSchema(t *testing.T) {
	sch := sarifSchema(t)
	base := sarifTestBase(t)
	full := sarifTestReport(base)
	tests := []struct {
		name   string
		config SARIFConfig
		report *Report
	}{
		{"empty", SARIFConfig{Version: "1.0.0"}, &Report{Path: "postgres://host/db"}},
		{"empty with base", SARIFConfig{BaseDir: base}, &Report{Path: base}},
		{"mixed", SARIFConfig{Version: "1.2.3", BaseDir: base}, full},
		{"mixed without base", SARIFConfig{Version: "1.2.3"}, full},
		{"no file", SARIFConfig{BaseDir: base}, &Report{Findings: full.Findings[5:]}},
		{"line 0", SARIFConfig{BaseDir: base}, &Report{Findings: full.Findings[:1]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			validateSARIF(t, sch, writeTestSARIF(t, tt.config, tt.report))
		})
	}
}

// TestSARIFSchemaRejects keeps the validity test from passing vacuously:
// the schema as compiled must reject what code scanning would.
func TestSARIFSchemaRejects(t *testing.T) {
	sch := sarifSchema(t)
	out := writeTestSARIF(t, SARIFConfig{}, &Report{Findings: []Finding{
		sarifFinding(CodeUnusedTemplate, audit.SeverityInfo, "a.xml", 1, 1, "m"),
	}})
	tests := []struct{ name, from, to string }{
		{"level info", `"level": "note"`, `"level": "info"`},
		{"line 0", `"startLine": 1`, `"startLine": 0`},
		{"not a URI", `"uri": "a.xml"`, `"uri": "a b:\\x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := bytes.Replace(out, []byte(tt.from), []byte(tt.to), 1)
			if bytes.Equal(bad, out) {
				t.Fatalf("%s not in the log:\n%s", tt.from, out)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
			if err != nil {
				t.Fatal(err)
			}
			if sch.Validate(inst) == nil {
				t.Errorf("schema accepts %s", tt.to)
			}
		})
	}
}

func TestSARIFEmptyReport(t *testing.T) {
	out := writeTestSARIF(t, SARIFConfig{Version: "0.1.0"}, &Report{Path: "file:///db"})
	if !bytes.Contains(out, []byte(`"results": []`)) {
		t.Errorf("no empty results array (code scanning requires one):\n%s", out)
	}
	run := decodeSARIF(t, out)
	if len(run.Results) != 0 || len(run.Tool.Driver.Rules) != 0 {
		t.Errorf("%d results and %d rules, want none", len(run.Results), len(run.Tool.Driver.Rules))
	}
	if run.OriginalURIBaseIDs != nil {
		t.Errorf("originalUriBaseIds %v without a base folder", run.OriginalURIBaseIDs)
	}
}

func TestSARIFContent(t *testing.T) {
	base := sarifTestBase(t)
	out := writeTestSARIF(t, SARIFConfig{Version: "1.2.3", BaseDir: base}, sarifTestReport(base))
	run := decodeSARIF(t, out)

	d := run.Tool.Driver
	if d.Name != "dostup" || d.Version != "1.2.3" || d.InformationURI == "" {
		t.Errorf("driver %q %q %q", d.Name, d.Version, d.InformationURI)
	}

	// Rules in the order of Rules, then the unknown codes alphabetically;
	// an unknown code's level is its worst finding's.
	wantRules := []struct{ id, level, short string }{
		{CodeRestrictionSyntax, "error", "A restriction does not expand or parse."},
		{CodeUnusedTemplate, "note", "A restriction template is never used."},
		{audit.CodeDangerousRight, "error", "A role holds a right that opens the whole infobase."},
		{"bsl-aaa", "error", "bsl-aaa"},
		{"bsl-zzz", "note", "bsl-zzz"},
	}
	if len(d.Rules) != len(wantRules) {
		t.Fatalf("%d rules, want %d", len(d.Rules), len(wantRules))
	}
	for i, w := range wantRules {
		r := d.Rules[i]
		if r.ID != w.id || r.Default.Level != w.level || r.ShortDescription.Text != w.short {
			t.Errorf("rule %d = %s %s %q, want %s %s %q", i, r.ID, r.Default.Level, r.ShortDescription.Text, w.id, w.level, w.short)
		}
		known, ok := RuleOf(w.id)
		switch {
		case ok && (r.Help == nil || r.Help.Text != known.Help || r.FullDescription == nil || r.FullDescription.Text != known.Help):
			t.Errorf("rule %s: help %v, full description %v, want %q", r.ID, r.Help, r.FullDescription, known.Help)
		case !ok && (r.Help != nil || r.FullDescription != nil):
			t.Errorf("unknown rule %s has help %v, full description %v", r.ID, r.Help, r.FullDescription)
		}
	}

	const rights = "Roles/%D0%9F%D0%BE%D0%BB%D0%BD%D1%8B%D0%B5%D0%9F%D1%80%D0%B0%D0%B2%D0%B0/Ext/Rights.xml"
	const module = "CommonModules/%D0%9E%D0%B1%D1%89%D0%B8%D0%B9%20%D0%BC%D0%BE%D0%B4%D1%83%D0%BB%D1%8C/Ext/Module.bsl"
	type loc struct {
		uri       string
		line, col int // line 0: no region
	}
	wantResults := []struct {
		rule, level string
		loc         *loc // nil: no location
	}{
		{audit.CodeDangerousRight, "error", &loc{rights, 0, 0}},
		{"bsl-zzz", "note", &loc{module, 7, 3}},
		{"bsl-aaa", "warning", &loc{module, 9, 1}},
		{"bsl-aaa", "error", &loc{module, 12, 0}},
		{CodeUnusedTemplate, "note", &loc{rights, 40, 0}},
		{CodeRestrictionSyntax, "error", nil},
	}
	if len(run.Results) != len(wantResults) {
		t.Fatalf("%d results, want %d", len(run.Results), len(wantResults))
	}
	for i, w := range wantResults {
		r := run.Results[i]
		if r.RuleID != w.rule || r.Level != w.level {
			t.Errorf("result %d = %s %s, want %s %s", i, r.RuleID, r.Level, w.rule, w.level)
		}
		if d.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d: ruleIndex %d is rule %s, not %s", i, r.RuleIndex, d.Rules[r.RuleIndex].ID, r.RuleID)
		}
		if len(r.PartialFingerprints[SARIFFingerprintKey]) != 64 {
			t.Errorf("result %d: partialFingerprints %v, want a SHA-256 under %s", i, r.PartialFingerprints, SARIFFingerprintKey)
		}
		if w.loc == nil {
			if len(r.Locations) != 0 {
				t.Errorf("result %d: locations %+v for a finding with no file", i, r.Locations)
			}
			continue
		}
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation == nil {
			t.Fatalf("result %d: locations %+v, want one physical location", i, r.Locations)
		}
		pl := r.Locations[0].PhysicalLocation
		if pl.ArtifactLocation.URI != w.loc.uri || pl.ArtifactLocation.URIBaseID != SARIFBaseID {
			t.Errorf("result %d: uri %s (base %q), want %s (base %s)", i, pl.ArtifactLocation.URI, pl.ArtifactLocation.URIBaseID, w.loc.uri, SARIFBaseID)
		}
		switch {
		case w.loc.line == 0 && pl.Region != nil:
			t.Errorf("result %d: region %+v for line 0", i, *pl.Region)
		case w.loc.line > 0 && (pl.Region == nil || pl.Region.StartLine != w.loc.line || pl.Region.StartColumn != w.loc.col):
			t.Errorf("result %d: region %+v, want line %d column %d", i, pl.Region, w.loc.line, w.loc.col)
		}
	}

	dangerous := run.Results[0]
	if dangerous.Message.Text != "role ПолныеПрава holds Администрирование" {
		t.Errorf("message %q", dangerous.Message.Text)
	}
	wantProps := map[string]any{"subject": "Роль.ПолныеПрава", "role": "ПолныеПрава", "right": "Администрирование", "object": "Конфигурация"}
	for k, v := range wantProps {
		if dangerous.Properties[k] != v {
			t.Errorf("properties %v, want %s = %v", dangerous.Properties, k, v)
		}
	}
	var kinds []string
	for _, l := range dangerous.Locations[0].LogicalLocations {
		kinds = append(kinds, l.Kind+" "+l.FullyQualifiedName)
	}
	if want := []string{"object Конфигурация", "role Роль.ПолныеПрава"}; !slices.Equal(kinds, want) {
		t.Errorf("logical locations %q, want %q", kinds, want)
	}
	if run.Results[1].Properties != nil {
		t.Errorf("properties %v for a finding with none", run.Results[1].Properties)
	}

	root := run.OriginalURIBaseIDs[SARIFBaseID].URI
	const encodedBase = "/%D0%92%D1%8B%D0%B3%D1%80%D1%83%D0%B7%D0%BA%D0%B0%20%D0%BA%D0%BE%D0%BD%D1%84%D0%B8%D0%B3%D1%83%D1%80%D0%B0%D1%86%D0%B8%D0%B8/"
	if !strings.HasPrefix(root, "file:///") || !strings.HasSuffix(root, encodedBase) {
		t.Errorf("originalUriBaseIds %s = %q, want the base folder's file URI ending in %s", SARIFBaseID, root, encodedBase)
	}
	if u, err := url.Parse(root); err != nil || filepath.FromSlash(u.Path) != base+string(filepath.Separator) {
		t.Errorf("%s parses to %v (%v), want %s", root, u, err, base)
	}
}

func TestSARIFArtifactURI(t *testing.T) {
	base := filepath.FromSlash("/srv/Выгрузка конфигурации")
	tests := []struct {
		name, base, file string
		uri, baseID      string
	}{
		{"no file", base, "", "", ""},
		{"under base", base, filepath.Join(base, "Roles", "ПолныеПрава", "Ext", "Rights.xml"),
			"Roles/%D0%9F%D0%BE%D0%BB%D0%BD%D1%8B%D0%B5%D0%9F%D1%80%D0%B0%D0%B2%D0%B0/Ext/Rights.xml", SARIFBaseID},
		{"relative to base", base, filepath.Join("Roles", "Admin", "Ext", "Rights.xml"), "Roles/Admin/Ext/Rights.xml", SARIFBaseID},
		{"characters URIs reserve", base, filepath.Join(base, "a#b%c?d:e+f.xml"), "a%23b%25c%3Fd%3Ae%2Bf.xml", SARIFBaseID},
		{"outside base", base, filepath.FromSlash("/etc/Общий модуль.bsl"),
			"file:///etc/%D0%9E%D0%B1%D1%89%D0%B8%D0%B9%20%D0%BC%D0%BE%D0%B4%D1%83%D0%BB%D1%8C.bsl", ""},
		{"no base, relative", "", filepath.Join("src", "Module 1.bsl"), "src/Module%201.bsl", ""},
		{"no base, absolute", "", filepath.FromSlash("/srv/a b.xml"), "file:///srv/a%20b.xml", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uri, baseID := sarifArtifactURI(tt.base, tt.file)
			if uri != tt.uri || baseID != tt.baseID {
				t.Fatalf("sarifArtifactURI(%q, %q) = %q, %q; want %q, %q", tt.base, tt.file, uri, baseID, tt.uri, tt.baseID)
			}
			if uri == "" {
				return
			}
			// A URI code scanning accepts: ASCII only, and it decodes back
			// to the path it names.
			for _, c := range []byte(uri) {
				if c <= ' ' || c >= 0x7f {
					t.Errorf("%q has byte %#x that a URI must encode", uri, c)
				}
			}
			u, err := url.Parse(uri)
			if err != nil {
				t.Fatal(err)
			}
			if baseID == "" && !u.IsAbs() && filepath.FromSlash(u.Path) != tt.file {
				t.Errorf("%s decodes to %q, want %q", uri, u.Path, tt.file)
			}
			if baseID != "" && (u.IsAbs() || !strings.HasSuffix(tt.file, filepath.FromSlash(u.Path))) {
				t.Errorf("%s (under %s) decodes to %q, not the end of %q", uri, baseID, u.Path, tt.file)
			}
		})
	}
}

func TestSARIFFingerprint(t *testing.T) {
	base := sarifTestBase(t)
	orig := sarifTestReport(base).Findings[0]
	fingerprintOf := func(f Finding) string {
		t.Helper()
		run := decodeSARIF(t, writeTestSARIF(t, SARIFConfig{BaseDir: base}, &Report{Findings: []Finding{f}}))
		return run.Results[0].PartialFingerprints[SARIFFingerprintKey]
	}
	want := fingerprintOf(orig)
	tests := []struct {
		name   string
		change func(*Finding)
		same   bool
	}{
		{"line moved", func(f *Finding) { f.Line = 120 }, true},
		{"line and column moved", func(f *Finding) { f.Line, f.Col = 3, 9 }, true},
		{"severity changed", func(f *Finding) { f.Severity = audit.SeverityWarning }, true},
		{"other code", func(f *Finding) { f.Code = audit.CodeInteractiveDelete }, false},
		{"other message", func(f *Finding) { f.Message += "!" }, false},
		{"other object", func(f *Finding) { f.Object = "Справочник.Контрагенты" }, false},
		{"other role", func(f *Finding) { f.Role = "Бухгалтер" }, false},
		{"other right", func(f *Finding) { f.Right = "Чтение" }, false},
		{"other file", func(f *Finding) { f.File = filepath.Join(base, "Roles", "Бухгалтер", "Ext", "Rights.xml") }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := orig
			tt.change(&f)
			if got := fingerprintOf(f); (got == want) != tt.same {
				t.Errorf("fingerprint %s, was %s; want same = %v", got, want, tt.same)
			}
		})
	}
}

func TestSARIFDeterministic(t *testing.T) {
	base := sarifTestBase(t)
	c := SARIFConfig{Version: "1.2.3", BaseDir: base}
	first := writeTestSARIF(t, c, sarifTestReport(base))
	for range 5 {
		if again := writeTestSARIF(t, c, sarifTestReport(base)); !bytes.Equal(again, first) {
			t.Fatalf("second log differs:\n%s\nfirst:\n%s", again, first)
		}
	}
	if !bytes.HasSuffix(first, []byte("}\n")) || !bytes.Contains(first, []byte("\n  \"runs\": [")) {
		t.Errorf("not indented JSON ending in a newline:\n%s", first)
	}
}

// TestWriteSARIFBase checks that WriteSARIF takes the report's Path as the
// base folder when it is one, and not when it is an infobase.
func TestWriteSARIFBase(t *testing.T) {
	folder := sarifTestBase(t)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(folder, "Roles", "ПолныеПрава", "Ext", "Rights.xml")
	tests := []struct {
		name, path  string
		uri, baseID string
	}{
		{"folder", folder, "Roles/%D0%9F%D0%BE%D0%BB%D0%BD%D1%8B%D0%B5%D0%9F%D1%80%D0%B0%D0%B2%D0%B0/Ext/Rights.xml", SARIFBaseID},
		{"infobase", "postgres://host/db", sarifFileURIForTest(file), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Path: tt.path, Findings: []Finding{sarifFinding(CodeUnusedTemplate, audit.SeverityInfo, file, 1, 0, "m")}}
			var buf bytes.Buffer
			if err := WriteSARIF(&buf, r, "9.9.9"); err != nil {
				t.Fatal(err)
			}
			run := decodeSARIF(t, buf.Bytes())
			al := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation
			if al.URI != tt.uri || al.URIBaseID != tt.baseID {
				t.Errorf("uri %q (base %q), want %q (base %q)", al.URI, al.URIBaseID, tt.uri, tt.baseID)
			}
			if _, ok := run.OriginalURIBaseIDs[SARIFBaseID]; ok != (tt.baseID != "") {
				t.Errorf("originalUriBaseIds %v", run.OriginalURIBaseIDs)
			}
			if run.Tool.Driver.Version != "9.9.9" {
				t.Errorf("driver version %q", run.Tool.Driver.Version)
			}
		})
	}
}

// sarifFileURIForTest builds a file URI with net/url, independently of
// fileURI, for the cases where the exact temporary path is not known.
func sarifFileURIForTest(path string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	return u.String()
}

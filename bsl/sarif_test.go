package bsl_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"dostup/bsl"
)

var sarifRules = []bsl.Rule{
	{Code: "std680-client-reachable", Severity: bsl.SeverityError,
		Summary:     "Object module code is compiled for a managed-application client",
		Description: "Wrap the module in #Если Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение Тогда.",
		HelpURI:     "https://its.1c.ru/db/v8std#content:680:hdoc", Tags: []string{"security"}},
	{Code: "privileged-mode", Severity: bsl.SeverityWarning, Summary: "Privileged mode is enabled"},
	{Code: "region-unbalanced", Severity: bsl.SeverityError, Description: "An #Область has no #КонецОбласти."},
}

func sarifFindings(abs string) []bsl.Finding {
	return []bsl.Finding{
		{File: filepath.FromSlash("Catalogs/Контрагенты/Ext/ObjectModule.bsl"), Line: 3, Col: 1, EndLine: 3, EndCol: 25,
			Code: "std680-client-reachable", Severity: bsl.SeverityError, Message: "Процедура Тест компилируется на клиенте."},
		{File: filepath.FromSlash("./my dump/Ext/SessionModule.bsl"), Line: 10, Col: 5, EndLine: 12, EndCol: 2,
			Code: "privileged-mode", Severity: bsl.SeverityWarning, Message: "УстановитьПривилегированныйРежим(Истина)"},
		{File: abs, Line: 1, Col: 1, EndLine: 1, EndCol: 1, Code: "region-unbalanced", Severity: bsl.SeverityError, Message: "#Область без #КонецОбласти"},
		// No rule, no severity, no position and no message: still a valid log.
		{File: "a:b/Module.bsl", Code: "not-a-listed-code"},
	}
}

// sarifKeys are the properties SARIF 2.1.0 defines for each object WriteSARIF
// writes; a key outside them is a typo the schema's consumers would ignore.
var sarifKeys = map[string][]string{
	"log":              {"$schema", "version", "runs"},
	"run":              {"tool", "results", "columnKind"},
	"tool":             {"driver"},
	"driver":           {"name", "version", "informationUri", "rules"},
	"rule":             {"id", "shortDescription", "fullDescription", "help", "helpUri", "defaultConfiguration", "properties"},
	"message":          {"text"},
	"config":           {"level"},
	"result":           {"ruleId", "ruleIndex", "level", "message", "locations"},
	"location":         {"physicalLocation"},
	"physicalLocation": {"artifactLocation", "region"},
	"artifactLocation": {"uri", "uriBaseId"},
	"region":           {"startLine", "startColumn", "endLine", "endColumn"},
}

func TestWriteSARIF(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join(t.TempDir(), "Общие модули", "Module#1.bsl"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := bsl.WriteSARIF(&buf, sarifFindings(abs), sarifRules, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var log map[string]any
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	c := sarifChecker{t: t}
	c.object("log", "", log)
	if log["$schema"] != bsl.SARIFSchema || log["version"] != "2.1.0" {
		t.Errorf("$schema %v, version %v", log["$schema"], log["version"])
	}
	runs := c.array("runs", log["runs"])
	if len(runs) != 1 {
		t.Fatalf("%d runs; want 1", len(runs))
	}
	run := c.object("run", "runs[0]", runs[0])
	if run["columnKind"] != "unicodeCodePoints" {
		t.Errorf("columnKind %v: Finding counts columns in characters", run["columnKind"])
	}
	driver := c.object("driver", "driver", c.object("tool", "tool", run["tool"])["driver"])
	if driver["name"] != "dostup" || driver["version"] != "1.2.3" {
		t.Errorf("driver %v %v", driver["name"], driver["version"])
	}

	var ruleIDs []string
	for i, r := range c.array("rules", driver["rules"]) {
		rule := c.object("rule", "rules", r)
		id := c.text("rule id", rule["id"])
		if slices.Contains(ruleIDs, id) {
			t.Errorf("rule %s listed twice", id)
		}
		ruleIDs = append(ruleIDs, id)
		// GitHub requires each of these to be non-empty.
		for _, k := range []string{"shortDescription", "fullDescription", "help"} {
			c.text(id+" "+k, c.object("message", id+" "+k, rule[k])["text"])
		}
		c.level(id, c.object("config", id, rule["defaultConfiguration"])["level"])
		if i == 0 {
			if rule["helpUri"] != sarifRules[0].HelpURI {
				t.Errorf("helpUri %v", rule["helpUri"])
			}
			props, _ := rule["properties"].(map[string]any)
			if tags, _ := props["tags"].([]any); len(tags) != 1 || tags[0] != "security" {
				t.Errorf("tags %v", rule["properties"])
			}
		}
	}
	wantIDs := []string{"std680-client-reachable", "privileged-mode", "region-unbalanced", "not-a-listed-code"}
	if !slices.Equal(ruleIDs, wantIDs) {
		t.Errorf("rules %v; want %v", ruleIDs, wantIDs)
	}

	type want struct {
		uri, base, level, message string
		region                    [4]float64
	}
	wants := []want{
		{"Catalogs/%D0%9A%D0%BE%D0%BD%D1%82%D1%80%D0%B0%D0%B3%D0%B5%D0%BD%D1%82%D1%8B/Ext/ObjectModule.bsl", "%SRCROOT%", "error",
			"Процедура Тест компилируется на клиенте.", [4]float64{3, 1, 3, 25}},
		{"my%20dump/Ext/SessionModule.bsl", "%SRCROOT%", "warning", "УстановитьПривилегированныйРежим(Истина)", [4]float64{10, 5, 12, 2}},
		// The absolute file's URI is checked by decoding it, below.
		{"", "", "error", "#Область без #КонецОбласти", [4]float64{1, 1, 1, 1}},
		{"./a:b/Module.bsl", "%SRCROOT%", "warning", "not-a-listed-code", [4]float64{1, 1, 1, 1}},
	}
	results := c.array("results", run["results"])
	if len(results) != len(wants) {
		t.Fatalf("%d results; want %d", len(results), len(wants))
	}
	for i, r := range results {
		res := c.object("result", "result", r)
		id := c.text("ruleId", res["ruleId"])
		idx, _ := res["ruleIndex"].(float64)
		if int(idx) >= len(ruleIDs) || ruleIDs[int(idx)] != id {
			t.Errorf("result %d: ruleIndex %v is not rule %s", i, res["ruleIndex"], id)
		}
		c.level(id, res["level"])
		msg := c.text("message", c.object("message", "message", res["message"])["text"])
		locs := c.array("locations", res["locations"])
		if len(locs) != 1 {
			t.Fatalf("result %d: %d locations; want 1", i, len(locs))
		}
		phys := c.object("physicalLocation", "physicalLocation", c.object("location", "location", locs[0])["physicalLocation"])
		art := c.object("artifactLocation", "artifactLocation", phys["artifactLocation"])
		uri := c.text("uri", art["uri"])
		c.uriReference(uri)
		base, _ := art["uriBaseId"].(string)
		reg := c.object("region", "region", phys["region"])
		var region [4]float64
		for j, k := range sarifKeys["region"] {
			n, ok := reg[k].(float64)
			if !ok || n < 1 || n != float64(int(n)) {
				t.Errorf("result %d: region.%s = %v; want an integer ≥ 1", i, k, reg[k])
			}
			region[j] = n
		}
		got := want{uri, base, res["level"].(string), msg, region}
		if i == 2 {
			u, err := url.Parse(uri)
			if err != nil || u.Scheme != "file" || u.Host != "" || u.Path != filepath.ToSlash(abs) || !strings.Contains(uri, "Module%231.bsl") {
				t.Errorf("result %d: URI %q does not decode to the file %s", i, uri, abs)
			}
			got.uri = ""
		}
		if got != wants[i] {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, got, wants[i])
		}
		if (base == "") != strings.HasPrefix(uri, "file:") {
			t.Errorf("result %d: %s: a relative URI needs a base, an absolute one must have none", i, uri)
		}
	}
}

func TestWriteSARIFEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := bsl.WriteSARIF(&buf, nil, nil, ""); err != nil {
		t.Fatal(err)
	}
	// GitHub requires runs[].results even when empty; null is not an array.
	for _, want := range []string{`"results": []`, `"rules": []`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("no %s in\n%s", want, buf.String())
		}
	}
	if strings.Contains(buf.String(), `"version": ""`) {
		t.Errorf("an empty tool version is written:\n%s", buf.String())
	}
}

// sarifChecker checks the parts of a decoded log against what SARIF 2.1.0
// and GitHub code scanning require of them.
type sarifChecker struct{ t *testing.T }

func (c sarifChecker) object(kind, where string, v any) map[string]any {
	c.t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		c.t.Fatalf("%s: %T is not an object", where, v)
	}
	for k := range m {
		if !slices.Contains(sarifKeys[kind], k) {
			c.t.Errorf("%s: %q is no property of a SARIF %s", where, k, kind)
		}
	}
	return m
}

func (c sarifChecker) array(where string, v any) []any {
	c.t.Helper()
	a, ok := v.([]any)
	if !ok {
		c.t.Fatalf("%s: %T is not an array", where, v)
	}
	return a
}

func (c sarifChecker) text(where string, v any) string {
	c.t.Helper()
	s, ok := v.(string)
	if !ok || strings.TrimSpace(s) == "" {
		c.t.Errorf("%s: %v is not a non-empty string", where, v)
	}
	return s
}

func (c sarifChecker) level(where string, v any) {
	c.t.Helper()
	if s, _ := v.(string); !slices.Contains([]string{"none", "note", "warning", "error"}, s) {
		c.t.Errorf("%s: level %v is not one of SARIF's", where, v)
	}
}

// uriReference checks the schema's "uri-reference" format, which GitHub's
// upload validates: RFC 3986, so ASCII only, no spaces, valid escapes.
func (c sarifChecker) uriReference(s string) {
	c.t.Helper()
	for _, r := range s {
		if r > unicode.MaxASCII || r <= ' ' || strings.ContainsRune(`"<>\^{|}`+"`", r) {
			c.t.Errorf("URI %q holds %q, which RFC 3986 does not allow", s, r)
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		c.t.Errorf("URI %q: %v", s, err)
		return
	}
	if u.Scheme != "" && u.Scheme != "file" {
		c.t.Errorf("URI %q: GitHub shows only relative paths and file URIs", s)
	}
}

func ExampleWriteSARIF() {
	findings := []bsl.Finding{{
		File: "Catalogs/Клиенты/Ext/ObjectModule.bsl", Line: 2, Col: 1, EndLine: 2, EndCol: 10,
		Code: "privileged-mode", Severity: bsl.SeverityWarning,
		Message: "Привилегированный режим включён: проверьте права явно.",
	}}
	rules := []bsl.Rule{{
		Code: "privileged-mode", Severity: bsl.SeverityWarning,
		Summary:     "Privileged mode is enabled",
		Description: "Code in privileged mode skips access checks; check the rights it needs explicitly.",
	}}
	if err := bsl.WriteSARIF(os.Stdout, findings, rules, "0.1.0"); err != nil {
		panic(err)
	}
	// Output:
	// {
	//   "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
	//   "version": "2.1.0",
	//   "runs": [
	//     {
	//       "tool": {
	//         "driver": {
	//           "name": "dostup",
	//           "version": "0.1.0",
	//           "rules": [
	//             {
	//               "id": "privileged-mode",
	//               "shortDescription": {
	//                 "text": "Privileged mode is enabled"
	//               },
	//               "fullDescription": {
	//                 "text": "Code in privileged mode skips access checks; check the rights it needs explicitly."
	//               },
	//               "help": {
	//                 "text": "Code in privileged mode skips access checks; check the rights it needs explicitly."
	//               },
	//               "defaultConfiguration": {
	//                 "level": "warning"
	//               }
	//             }
	//           ]
	//         }
	//       },
	//       "columnKind": "unicodeCodePoints",
	//       "results": [
	//         {
	//           "ruleId": "privileged-mode",
	//           "ruleIndex": 0,
	//           "level": "warning",
	//           "message": {
	//             "text": "Привилегированный режим включён: проверьте права явно."
	//           },
	//           "locations": [
	//             {
	//               "physicalLocation": {
	//                 "artifactLocation": {
	//                   "uri": "Catalogs/%D0%9A%D0%BB%D0%B8%D0%B5%D0%BD%D1%82%D1%8B/Ext/ObjectModule.bsl",
	//                   "uriBaseId": "%SRCROOT%"
	//                 },
	//                 "region": {
	//                   "startLine": 2,
	//                   "startColumn": 1,
	//                   "endLine": 2,
	//                   "endColumn": 10
	//                 }
	//               }
	//             }
	//           ]
	//         }
	//       ]
	//     }
	//   ]
	// }
}

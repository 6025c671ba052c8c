package bsl

import (
	"encoding/json"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// Rule describes one finding code for SARIF consumers such as GitHub code
// scanning, which show Summary as the alert's title and Description as its
// help.
type Rule struct {
	Code        string // the stable code, such as std680-client-reachable
	Severity    Severity
	Summary     string // one sentence
	Description string // what the rule finds, why it matters and what to do
	HelpURI     string // optional: a page about the rule
	// Tags are optional labels; GitHub files the alerts of a rule tagged
	// "security" under security alerts.
	Tags []string
}

// SARIFSchema is the schema URI WriteSARIF puts in $schema.
const SARIFSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// WriteSARIF writes findings as a SARIF 2.1.0 log with one run of the tool
// "dostup", one rule per code, in the subset GitHub code scanning accepts:
// every rule has a short and a full description and help text, every result
// a rule, a level, a message and one location with a region of four 1-based
// numbers (columns in Unicode code points, as Finding counts them).
//
// A relative file becomes a relative URI with forward slashes under the
// base %SRCROOT%, which GitHub takes as the repository's root, so paths
// should be relative to it; an absolute one becomes a file:// URI, which
// GitHub maps to the repository through the checkout path given when
// uploading. Names are percent-encoded, since GitHub rejects a log whose
// URIs hold raw non-ASCII letters (it validates them as RFC 3986
// references). Findings whose code has no rule get one made from the code,
// so that the log stays valid. No partialFingerprints are written: GitHub's
// upload action computes them from the files.
func WriteSARIF(w io.Writer, findings []Finding, rules []Rule, toolVersion string) error {
	driver := sarifDriver{
		Name:    "dostup",
		Version: toolVersion,
		Rules:   []sarifRule{},
	}
	index := map[string]int{}
	addRule := func(r Rule) {
		if _, dup := index[r.Code]; dup {
			return
		}
		index[r.Code] = len(driver.Rules)
		driver.Rules = append(driver.Rules, newSARIFRule(r))
	}
	for _, r := range rules {
		addRule(r)
	}
	results := make([]sarifResult, 0, len(findings))
	for _, f := range findings {
		if _, ok := index[f.Code]; !ok {
			addRule(Rule{Code: f.Code, Severity: f.Severity})
		}
		i := index[f.Code]
		level := sarifLevel(f.Severity)
		if f.Severity == "" {
			level = driver.Rules[i].DefaultConfiguration.Level
		}
		msg := f.Message
		if strings.TrimSpace(msg) == "" {
			msg = driver.Rules[i].ShortDescription.Text
		}
		results = append(results, sarifResult{
			RuleID:    f.Code,
			RuleIndex: i,
			Level:     level,
			Message:   sarifText{Text: msg},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifactLocation(f.File),
				Region:           sarifRegionOf(f),
			}}},
		})
	}
	log := sarifLog{
		Schema:  SARIFSchema,
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:       sarifTool{Driver: driver},
			ColumnKind: "unicodeCodePoints",
			Results:    results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// The SARIF objects WriteSARIF writes, with the spec's property names.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name    string      `json:"name"`
		Version string      `json:"version,omitempty"`
		Rules   []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string          `json:"id"`
		ShortDescription     sarifText       `json:"shortDescription"`
		FullDescription      sarifText       `json:"fullDescription"`
		Help                 sarifText       `json:"help"`
		HelpURI              string          `json:"helpUri,omitempty"`
		DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
		Properties           *sarifRuleProps `json:"properties,omitempty"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Tags []string `json:"tags,omitempty"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
)

// newSARIFRule fills in what GitHub requires and a Rule may leave empty:
// the descriptions and help fall back on each other and on the code.
func newSARIFRule(r Rule) sarifRule {
	short := sarifFirstNonBlank(r.Summary, r.Description, r.Code)
	full := sarifFirstNonBlank(r.Description, r.Summary, r.Code)
	out := sarifRule{
		ID:                   r.Code,
		ShortDescription:     sarifText{Text: short},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifText{Text: full},
		HelpURI:              r.HelpURI,
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(r.Severity)},
	}
	if len(r.Tags) > 0 {
		out.Properties = &sarifRuleProps{Tags: r.Tags}
	}
	return out
}

func sarifFirstNonBlank(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// sarifLevel maps a severity to a SARIF level; anything else is a warning,
// SARIF's own default level.
func sarifLevel(s Severity) string {
	switch s {
	case SeverityError, SeverityWarning, SeverityNote:
		return string(s)
	}
	return string(SeverityWarning)
}

// sarifRegionOf gives a finding's region with all four numbers, which
// GitHub requires: an unknown start is the file's first line or the line's
// first column, an unknown or inverted end is an empty region at the start.
func sarifRegionOf(f Finding) sarifRegion {
	r := sarifRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Col, 1)}
	r.EndLine, r.EndColumn = f.EndLine, f.EndCol
	if r.EndLine < r.StartLine || r.EndColumn < 1 || r.EndLine == r.StartLine && r.EndColumn < r.StartColumn {
		r.EndLine, r.EndColumn = r.StartLine, r.StartColumn
	}
	return r
}

// sarifArtifactLocation turns a file name into a SARIF artifact location:
// a relative URI reference under %SRCROOT% or an absolute file:// URI,
// percent-encoded either way.
func sarifArtifactLocation(file string) sarifArtifact {
	if filepath.IsAbs(file) {
		p := filepath.ToSlash(filepath.Clean(file))
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive: file:///C:/...
		}
		return sarifArtifact{URI: "file://" + escapeURIPath(p)}
	}
	p := path.Clean(filepath.ToSlash(file))
	uri := escapeURIPath(p)
	// A colon in the first segment would read as a URI scheme.
	if first, _, _ := strings.Cut(uri, "/"); strings.Contains(first, ":") {
		uri = "./" + uri
	}
	return sarifArtifact{URI: uri, URIBaseID: "%SRCROOT%"}
}

// escapeURIPath percent-encodes each segment of a slash-separated path.
func escapeURIPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

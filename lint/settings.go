package lint

import (
	"fmt"
	"os"
	"path"
	"slices"
	"strings"

	"dostup/audit"
	"dostup/internal/yamlfile"
)

// Settings are a lint.yaml: rules that turn codes off or change their
// severity, for every object or for the objects and roles matching
// patterns. Later rules win over earlier ones, as in .golangci.yml's
// exclusions or Cerbos' policy overrides: write the general rule first
// and its exceptions after it.
//
//	rules:
//	  - code: unused-template
//	    severity: off
//	  - code: unrestricted-reference
//	    objects: ["РегистрСведений.*"]
//	    severity: info
//	  - code: query-in-module
//	    apk: [1328]          # // АПК:1328-выкл ... -вкл in a module turns it off there
type Settings struct {
	Rules []SettingsRule `yaml:"rules"`
}

// SettingsRule is one rule of a lint.yaml.
type SettingsRule struct {
	// Code is a finding code, or * for every code.
	Code string `yaml:"code"`
	// Objects and Roles, when given, limit the rule to findings about an
	// object or role matching one of the patterns (* and ? as in file
	// names, any letter case): Справочник.*, *ПрисоединенныеФайлы.
	Objects []string `yaml:"objects"`
	Roles   []string `yaml:"roles"`
	// Severity is error, warning, info, or off to drop the findings.
	Severity string `yaml:"severity"`
	// APK are numbers of 1C's automated configuration checks (АПК) whose
	// // АПК:NNN-выкл ... // АПК:NNN-вкл regions of a module also turn
	// the code off there.
	APK []int `yaml:"apk"`
}

// severityOff drops the findings of a rule.
const severityOff = "off"

// LoadSettings reads a lint.yaml; mistakes are reported at file:line:col.
func LoadSettings(file string) (*Settings, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return ParseSettings(file, data)
}

// ParseSettings reads the text of a lint.yaml named file.
func ParseSettings(file string, data []byte) (*Settings, error) {
	var s Settings
	at, err := yamlfile.Decode(file, data, &s, "empty lint.yaml: it lists rules, each a code with a severity (error, warning, info or off)")
	if err != nil {
		return nil, err
	}
	for i, r := range s.Rules {
		where := func(field string) string { return at(fmt.Sprintf("$.rules[%d].%s", i, field)) }
		if r.Code == "" {
			return nil, fmt.Errorf("%s: a rule without a code: give code: (a finding code, or *)", at(fmt.Sprintf("$.rules[%d]", i)))
		}
		if _, known := RuleOf(r.Code); !known && r.Code != "*" {
			return nil, fmt.Errorf("%s: %q is not a finding code (dostup lint --help lists them)", where("code"), r.Code)
		}
		switch r.Severity {
		case "", severityOff, audit.SeverityError, audit.SeverityWarning, audit.SeverityInfo:
		default:
			return nil, fmt.Errorf("%s: severity %q is not one of error, warning, info, off", where("severity"), r.Severity)
		}
		if r.Severity == "" && len(r.APK) == 0 {
			return nil, fmt.Errorf("%s: the rule for %s changes nothing: give a severity (error, warning, info or off) or apk numbers", where("code"), r.Code)
		}
		for _, p := range append(slices.Clone(r.Objects), r.Roles...) {
			if _, err := path.Match(strings.ToLower(p), ""); err != nil {
				return nil, fmt.Errorf("%s: the pattern %q is malformed", where("code"), p)
			}
		}
	}
	return &s, nil
}

// apply gives a finding the severity the rules set for it; keep is false
// when the last rule about it turns it off.
func (s *Settings) apply(f Finding) (out Finding, keep bool) {
	keep = true
	for _, r := range s.Rules {
		if r.Severity == "" || !r.matches(f) {
			continue
		}
		if r.Severity == severityOff {
			keep = false
			continue
		}
		f.Severity, keep = r.Severity, true
	}
	return f, keep
}

// matches reports whether a rule is about a finding.
func (r SettingsRule) matches(f Finding) bool {
	if r.Code != "*" && r.Code != f.Code {
		return false
	}
	match := func(patterns []string, name string) bool {
		if len(patterns) == 0 {
			return true
		}
		for _, p := range patterns {
			if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(name)); ok {
				return true
			}
		}
		return false
	}
	object := f.Object
	if object == "" {
		object = f.Subject
	}
	return match(r.Objects, object) && match(r.Roles, f.Role)
}

// apkFor lists the АПК numbers whose regions turn a code off.
func (s *Settings) apkFor(code string) []int {
	if s == nil {
		return nil
	}
	var out []int
	for _, r := range s.Rules {
		if r.Code == code || r.Code == "*" {
			out = append(out, r.APK...)
		}
	}
	return out
}

package audit

import (
	_ "embed"
	"fmt"
	"os"
	"strings"

	"dostup/internal/yamlfile"
	"dostup/metadata/vocab"
)

// Policy is what the findings hold a configuration to.
type Policy struct {
	// Dangerous are the rights of the configuration only some roles may
	// hold (dangerous-right).
	Dangerous []DangerousRight `yaml:"dangerous_rights"`
}

// DangerousRight is a right of the configuration and the roles allowed to
// hold it; any other role holding it is a dangerous-right finding.
type DangerousRight struct {
	Right string   `yaml:"right"` // as 1C names it, in Russian or English
	Roles []string `yaml:"roles"`
}

// defaultPolicy is 1C's standard (std488): which of the standard roles may
// hold each right that opens the whole infobase.
//
//go:embed policy.yaml
var defaultPolicy []byte

// DefaultPolicy returns the policy dostup audits with when none is given,
// the one in policy.yaml beside this file.
func DefaultPolicy() Policy {
	p, err := ParsePolicy("policy.yaml", defaultPolicy)
	if err != nil {
		panic("audit: the default policy does not load: " + err.Error())
	}
	return p
}

// LoadPolicy reads a policy file in the format of the default one.
func LoadPolicy(path string) (Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Policy{}, err
	}
	return ParsePolicy(path, data)
}

// ParsePolicy reads the text of a policy file named path. Its mistakes are
// reported as path:line:col: what is wrong.
func ParsePolicy(path string, data []byte) (Policy, error) {
	var p Policy
	at, err := yamlfile.Decode(path, data, &p, "empty policy: it lists dangerous_rights, each a right and the roles that may hold it")
	if err != nil {
		return p, err
	}
	for i, d := range p.Dangerous {
		r, ok := vocab.ParseRight(d.Right)
		if !ok || !r.Global() {
			return p, fmt.Errorf("%s: %q is not a right of the configuration as a whole (Администрирование, ВнешнееСоединение, ...)",
				at(fmt.Sprintf("$.dangerous_rights[%d].right", i)), d.Right)
		}
		p.Dangerous[i].Right = string(r)
		if d.Roles == nil {
			return p, fmt.Errorf("%s: %s lists no roles that may hold it: write roles: [] only if no role may",
				at(fmt.Sprintf("$.dangerous_rights[%d].right", i)), d.Right)
		}
	}
	return p, nil
}

// allowed reports whether role may hold right under the policy; a right the
// policy does not list is not dangerous.
func (p Policy) allowed(right, role string) (dangerous, ok bool) {
	for _, d := range p.Dangerous {
		if d.Right != right {
			continue
		}
		for _, r := range d.Roles {
			if strings.EqualFold(r, role) {
				return true, true
			}
		}
		return true, false
	}
	return false, true
}

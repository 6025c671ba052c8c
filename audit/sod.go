package audit

import (
	"fmt"
	"os"
	"strings"

	"dostup/internal/yamlfile"
	"dostup/metadata/vocab"
)

// SoD is a segregation-of-duties matrix: pairs (or larger sets) of roles,
// or of rights on objects, that no one user may hold together. A user
// holding every member of a conflict is a sod-conflict finding.
//
// Its file is YAML:
//
//	conflicts:
//	  - name: payments are entered and approved by different people
//	    roles: [Казначей, ГлавныйБухгалтер]
//	  - name: who enters a supplier does not pay it
//	    rights:
//	      - {object: Справочник.Контрагенты, right: Добавление}
//	      - {object: Документ.СписаниеБезналичныхДенежныхСредств, right: Проведение}
type SoD struct {
	Conflicts []Conflict `yaml:"conflicts"`
}

// Conflict is one set of roles or rights a user may not hold together.
// Exactly one of Roles and Rights is given, with two members or more.
type Conflict struct {
	Name   string        `yaml:"name"`
	Roles  []string      `yaml:"roles"`
	Rights []ObjectRight `yaml:"rights"`
}

// ObjectRight is a right on an object (or on ConfigurationObject for the
// rights of the configuration as a whole).
type ObjectRight struct {
	Object string `yaml:"object"`
	Right  string `yaml:"right"`
}

func (r ObjectRight) String() string { return r.Right + " on " + r.Object }

// LoadSoD reads a segregation-of-duties file.
func LoadSoD(path string) (*SoD, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseSoD(path, data)
}

// ParseSoD reads the text of a segregation-of-duties file named path; its
// mistakes are reported as path:line:col. Rights are checked against 1C's
// names (either language) and kept in Russian; whether the roles and
// objects exist is a question of the infobase audited, so they are not.
func ParseSoD(path string, data []byte) (*SoD, error) {
	var s SoD
	at, err := yamlfile.Decode(path, data, &s, "empty segregation-of-duties file: it lists conflicts, each roles or rights no user may hold together")
	if err != nil {
		return nil, err
	}
	for i, c := range s.Conflicts {
		here := at(fmt.Sprintf("$.conflicts[%d]", i))
		switch {
		case len(c.Roles) > 0 && len(c.Rights) > 0:
			return nil, fmt.Errorf("%s: a conflict lists roles or rights, not both: write two conflicts", here)
		case len(c.Roles)+len(c.Rights) < 2:
			return nil, fmt.Errorf("%s: a conflict needs two roles or two rights at least", here)
		}
		if c.Name == "" {
			s.Conflicts[i].Name = strings.Join(c.Roles, " + ")
		}
		for j, r := range c.Rights {
			right, ok := vocab.ParseRight(r.Right)
			if !ok {
				return nil, fmt.Errorf("%s: %q is not a right of 1C (Чтение, Добавление, Проведение, Администрирование, ...)",
					at(fmt.Sprintf("$.conflicts[%d].rights[%d].right", i, j)), r.Right)
			}
			if r.Object == "" {
				return nil, fmt.Errorf("%s: the right %s names no object (write object: Справочник.Имя, or %s)",
					at(fmt.Sprintf("$.conflicts[%d].rights[%d]", i, j)), r.Right, ConfigurationObject)
			}
			s.Conflicts[i].Rights[j].Right = russian(string(right))
		}
		if c.Name == "" && len(c.Rights) > 0 {
			names := make([]string, len(c.Rights))
			for j, r := range s.Conflicts[i].Rights {
				names[j] = r.String()
			}
			s.Conflicts[i].Name = strings.Join(names, " + ")
		}
	}
	return &s, nil
}

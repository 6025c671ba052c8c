package audit

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ExpectedUser is a user the provisioning list says the infobase should
// have, with the roles it should hold.
type ExpectedUser struct {
	User  string
	Roles []string
}

// LoadExpectedUsers reads a provisioning list: CSV with the columns
// user,roles (a header row of those names is optional), roles separated by
// semicolons. Its mistakes are reported as path:line.
func LoadExpectedUsers(path string) ([]ExpectedUser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseExpectedUsers(path, f)
}

// ParseExpectedUsers reads a provisioning list from r; path names it in
// errors.
func ParseExpectedUsers(path string, r io.Reader) ([]ExpectedUser, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var out []ExpectedUser
	seen := map[string]int{}
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d:%d: %v", path, pe.Line, pe.Column, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if first && strings.EqualFold(strings.TrimSpace(rec[0]), "user") {
			continue // the header
		}
		if len(rec) > 2 {
			return nil, fmt.Errorf("%s:%d: %d columns: a line is user,roles with the roles separated by semicolons", path, line, len(rec))
		}
		name := strings.TrimSpace(rec[0])
		if name == "" {
			return nil, fmt.Errorf("%s:%d: no user name", path, line)
		}
		if at, dup := seen[strings.ToLower(name)]; dup {
			return nil, fmt.Errorf("%s:%d: user %s is listed twice (first at line %d)", path, line, name, at)
		}
		seen[strings.ToLower(name)] = line
		u := ExpectedUser{User: name, Roles: []string{}}
		if len(rec) == 2 {
			for _, role := range strings.Split(rec[1], ";") {
				if role = strings.TrimSpace(role); role != "" {
					u.Roles = append(u.Roles, role)
				}
			}
		}
		out = append(out, u)
	}
	return out, nil
}

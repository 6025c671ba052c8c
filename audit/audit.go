package audit

import (
	"time"
)

// Audit is everything the audit made of one infobase: what dostup audit
// report shows of it, and what the HTTP API answers. Error is set, and the
// rest empty, when the infobase could not be read.
type Audit struct {
	Infobase string `json:"infobase"`
	Error    string `json:"error,omitempty"`
	// HasUsers is false for a configuration audited without its database.
	HasUsers bool `json:"has_users"`
	// RoleCount is how many roles the configuration has, granting
	// anything or not.
	RoleCount   int          `json:"role_count"`
	Users       []User       `json:"users"`
	Memberships []Membership `json:"memberships"`
	Grants      []Grant      `json:"rights"`
	Findings    []Finding    `json:"findings"`
	// Read is when the infobase was read.
	Read time.Time `json:"read,omitzero"`
}

// Run makes the whole audit of an infobase read by Read or
// FromConfiguration: its users, the user × role matrix, the rights matrix
// and the findings under the options.
func Run(ib *Infobase, o Options) Audit {
	a := Audit{Infobase: ib.Name, HasUsers: ib.HasUsers, RoleCount: len(ib.Config.Roles), Users: []User{}, Memberships: []Membership{}, Read: ib.Now}
	for _, u := range ib.Users {
		u.Infobase = ib.Name
		a.Users = append(a.Users, u)
	}
	for _, m := range Memberships(ib.UserRoles()) {
		m.Infobase = ib.Name
		a.Memberships = append(a.Memberships, m)
	}
	a.Grants = Rights(ib.Config, Filter{})
	for i := range a.Grants {
		a.Grants[i].Infobase = ib.Name
	}
	if a.Grants == nil {
		a.Grants = []Grant{}
	}
	a.Findings = Findings(ib, o)
	if a.Findings == nil {
		a.Findings = []Finding{}
	}
	return a
}

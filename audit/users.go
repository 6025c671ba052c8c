package audit

// Membership is one role a user holds: a row of the user × role matrix.
// Its JSON names and CSV columns are part of dostup's interface.
type Membership struct {
	Infobase string `json:"infobase,omitempty"`
	User     string `json:"user"`
	Role     string `json:"role"`
}

// MembershipColumns are the CSV columns of the user × role matrix.
var MembershipColumns = []string{"infobase", "user", "role"}

// Record is the membership as a CSV row under MembershipColumns.
func (m Membership) Record() []string { return []string{m.Infobase, m.User, m.Role} }

// UserRoles is a user and the roles it holds, as an infobase lists them.
type UserRoles struct {
	User  string
	Roles []string
}

// Memberships returns the user × role matrix: a row per role of each user,
// users and their roles in the order given. A user with no role has no row;
// the no-roles finding speaks of it.
func Memberships(users []UserRoles) []Membership {
	var out []Membership
	for _, u := range users {
		for _, r := range u.Roles {
			out = append(out, Membership{User: u.User, Role: r})
		}
	}
	return out
}

package audit

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dostup/metadata"
)

// Codes of the findings about users. Like the others they are part of
// dostup's interface.
const (
	// CodeNoPassword: standard authentication is on and the user has no
	// password: anyone who knows the name logs in.
	CodeNoPassword = "no-password"
	// CodePasswordExpired: the password is older than the policy allows.
	CodePasswordExpired = "password-expired"
	// CodePasswordNeverChanged: the password is still the one the account
	// was given, which whoever set it knows.
	CodePasswordNeverChanged = "password-never-changed"
	// CodeNoRoles: the user holds no role, so may do nothing: an account
	// left over, or one whose roles were lost.
	CodeNoRoles = "no-roles"
	// CodeUnusedRole: no session held the role within the window.
	CodeUnusedRole = "unused-role"
	// CodeSoDConflict: a user holds two roles or two rights that the
	// segregation-of-duties matrix forbids together.
	CodeSoDConflict = "sod-conflict"
	// CodeUnexpectedUser: the infobase has a user the provisioning list
	// does not.
	CodeUnexpectedUser = "unexpected-user"
	// CodeMissingUser: the provisioning list has a user the infobase does
	// not.
	CodeMissingUser = "missing-user"
	// CodeRoleMismatch: a user holds a role the provisioning list does not
	// give it, or lacks one the list gives.
	CodeRoleMismatch = "role-mismatch"
)

// DefaultUnusedDays is the window of unused-role when none is given.
const DefaultUnusedDays = 90

// Options are what the findings of an infobase are held to besides its
// own data.
type Options struct {
	// Policy lists the dangerous rights; the zero Policy finds none, so
	// callers start from DefaultPolicy.
	Policy Policy
	// UnusedDays is the window of unused-role in days; 0 means
	// DefaultUnusedDays.
	UnusedDays int
	// SoD is the segregation-of-duties matrix; nil checks none.
	SoD *SoD
	// Expected is the provisioning list; nil makes no diff (an empty,
	// non-nil list expects no users at all).
	Expected []ExpectedUser
}

// Findings audits an infobase: the findings of its roles
// (ConfigurationFindings), then, when it has users, those of its users and
// their roles, the segregation of duties and the provisioning diff. Every
// finding carries the infobase's name.
func Findings(ib *Infobase, o Options) []Finding {
	out := ConfigurationFindings(ib.Config, o.Policy)
	if ib.HasUsers {
		out = append(out, UserFindings(ib, o)...)
	}
	for i := range out {
		out[i].Infobase = ib.Name
	}
	return out
}

// UserFindings are the findings about the users of an infobase: their
// passwords and roles (no-password, password-expired,
// password-never-changed, no-roles), roles no session used (unused-role),
// the segregation of duties (sod-conflict) and the provisioning diff
// (unexpected-user, missing-user, role-mismatch). An infobase without
// users has none.
func UserFindings(ib *Infobase, o Options) []Finding {
	if !ib.HasUsers {
		return nil
	}
	var out []Finding
	add := func(f Finding) { out = append(out, f) }
	for _, u := range ib.Users {
		subject := "Пользователь." + u.Name
		byPassword := slices.Contains(u.Authentication, "password")
		switch {
		case byPassword && !u.PasswordSet:
			add(Finding{Code: CodeNoPassword, Severity: SeverityError, Subject: subject, User: u.Name,
				Message: fmt.Sprintf("user %s logs in by name and password and has no password: anyone who knows the name logs in", u.Name)})
		case byPassword && u.Expired:
			add(Finding{Code: CodePasswordExpired, Severity: SeverityWarning, Subject: subject, User: u.Name,
				Message: fmt.Sprintf("the password of user %s expired %d days ago", u.Name, -deref(u.ExpiresInDays))})
		}
		if byPassword && u.PasswordSet && !u.PasswordChanged {
			age := ""
			if u.PasswordAgeDays != nil {
				age = fmt.Sprintf(", set %d days ago,", *u.PasswordAgeDays)
			}
			add(Finding{Code: CodePasswordNeverChanged, Severity: SeverityWarning, Subject: subject, User: u.Name,
				Message: fmt.Sprintf("the password of user %s%s is the one the account was given and was never changed", u.Name, age)})
		}
		if len(u.Roles) == 0 {
			add(Finding{Code: CodeNoRoles, Severity: SeverityWarning, Subject: subject, User: u.Name,
				Message: fmt.Sprintf("user %s holds no role", u.Name)})
		}
	}
	out = append(out, unusedRoles(ib, o.UnusedDays)...)
	if o.SoD != nil {
		out = append(out, sodConflicts(ib, o.SoD)...)
	}
	if o.Expected != nil {
		out = append(out, provisioningDiff(ib, o.Expected)...)
	}
	return out
}

func deref(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// unusedRoles finds the roles of the configuration no session held within
// the last days, by the roles the event log recorded at each session's
// start.
func unusedRoles(ib *Infobase, days int) []Finding {
	if days <= 0 {
		days = DefaultUnusedDays
	}
	since := ib.Now.Add(-time.Duration(days) * 24 * time.Hour)
	last := map[string]time.Time{}
	for role, t := range ib.RoleLastSession {
		last[strings.ToLower(role)] = t
	}
	var out []Finding
	for _, role := range ib.Config.Roles {
		t := last[strings.ToLower(role.Name)]
		if t.After(since) {
			continue
		}
		when := "no session in the event log ever held it"
		if !t.IsZero() {
			when = "the last session holding it started " + t.UTC().Format("2006-01-02")
		}
		if ib.LogSince.After(since) {
			when += fmt.Sprintf(" (the log goes back only to %s)", ib.LogSince.UTC().Format("2006-01-02"))
		}
		out = append(out, Finding{Code: CodeUnusedRole, Severity: SeverityInfo, Subject: "Роль." + role.Name, Role: role.Name,
			Message: fmt.Sprintf("no session held role %s in the last %d days: %s", role.Name, days, when)})
	}
	return out
}

// sodConflicts finds the users holding every member of a conflict.
func sodConflicts(ib *Infobase, s *SoD) []Finding {
	held := roleGrants{cfg: ib.Config}
	var out []Finding
	for _, u := range ib.Users {
		subject := "Пользователь." + u.Name
		for _, c := range s.Conflicts {
			var why []string
			if len(c.Roles) > 0 {
				for _, r := range c.Roles {
					if !containsFold(u.Roles, r) {
						why = nil
						break
					}
					why = append(why, "role "+r)
				}
			} else {
				for _, r := range c.Rights {
					by := held.grantedBy(u.Roles, r)
					if len(by) == 0 {
						why = nil
						break
					}
					why = append(why, fmt.Sprintf("%s (by %s)", r, strings.Join(by, ", ")))
				}
			}
			if why == nil {
				continue
			}
			out = append(out, Finding{Code: CodeSoDConflict, Severity: SeverityError, Subject: subject, User: u.Name,
				Message: fmt.Sprintf("user %s holds %s, which %q forbids together", u.Name, strings.Join(why, " and "), c.Name)})
		}
	}
	return out
}

// roleGrants answers which of a user's roles grant a right, reading each
// role's rights once.
type roleGrants struct {
	cfg    *metadata.Configuration
	byRole map[string]map[ObjectRight]bool
}

func (g *roleGrants) grantedBy(roles []string, want ObjectRight) []string {
	if g.byRole == nil {
		g.byRole = map[string]map[ObjectRight]bool{}
	}
	want.Object = objectName(g.cfg, want.Object)
	if strings.EqualFold(want.Object, ConfigurationObject) {
		want.Object = ConfigurationObject
	}
	var by []string
	for _, role := range roles {
		set, ok := g.byRole[role]
		if !ok {
			set = map[ObjectRight]bool{}
			if g.cfg.Role(role) != nil {
				for _, gr := range Rights(g.cfg, Filter{Role: role}) {
					set[ObjectRight{Object: gr.Object, Right: gr.Right}] = true
				}
			}
			g.byRole[role] = set
		}
		if set[want] {
			by = append(by, role)
		}
	}
	return by
}

// provisioningDiff compares the users and roles of the infobase with the
// provisioning list.
func provisioningDiff(ib *Infobase, expected []ExpectedUser) []Finding {
	want := map[string]ExpectedUser{}
	for _, e := range expected {
		want[strings.ToLower(e.User)] = e
	}
	has := map[string]bool{}
	var out []Finding
	for _, u := range ib.Users {
		has[strings.ToLower(u.Name)] = true
		subject := "Пользователь." + u.Name
		e, ok := want[strings.ToLower(u.Name)]
		if !ok {
			out = append(out, Finding{Code: CodeUnexpectedUser, Severity: SeverityWarning, Subject: subject, User: u.Name,
				Message: fmt.Sprintf("user %s is in the infobase and not in the provisioning list", u.Name)})
			continue
		}
		for _, r := range u.Roles {
			if !containsFold(e.Roles, r) {
				out = append(out, Finding{Code: CodeRoleMismatch, Severity: SeverityWarning, Subject: subject, User: u.Name, Role: r,
					Message: fmt.Sprintf("user %s holds role %s, which the provisioning list does not give it", u.Name, r)})
			}
		}
		for _, r := range e.Roles {
			if !containsFold(u.Roles, r) {
				out = append(out, Finding{Code: CodeRoleMismatch, Severity: SeverityWarning, Subject: subject, User: u.Name, Role: r,
					Message: fmt.Sprintf("user %s lacks role %s, which the provisioning list gives it", u.Name, r)})
			}
		}
	}
	for _, e := range expected {
		if !has[strings.ToLower(e.User)] {
			out = append(out, Finding{Code: CodeMissingUser, Severity: SeverityWarning, Subject: "Пользователь." + e.User, User: e.User,
				Message: fmt.Sprintf("user %s is in the provisioning list and not in the infobase", e.User)})
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

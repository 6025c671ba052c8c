package audit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dostup/authn"
	"dostup/eventlog"
	"dostup/infobase"
	"dostup/metadata"
	"dostup/wire"
)

// Infobase is what the audit reads of one infobase: its configuration and,
// when it was read from a database, its users and what the event log says
// of their logins and sessions. Every report and finding is made from it,
// so one read serves them all.
type Infobase struct {
	// Name is the infobase column of every row made from it.
	Name   string
	Config *metadata.Configuration
	// HasUsers is false for a configuration audited without its database
	// (a dump or a dostup configuration folder): there are no users to
	// audit, and the findings about users are not made.
	HasUsers bool
	Users    []User
	// RoleLastSession is when a session last started holding each role,
	// by the roles the event log recorded at the session's start.
	RoleLastSession map[string]time.Time
	// LogSince is the time of the oldest event in the log (zero for an
	// empty log): what the log can tell of unused roles starts there.
	LogSince time.Time
	// Now is when it was read; ages and the window of unused roles count
	// from it.
	Now time.Time
}

// User is one user as the audit shows it: a row of dostup audit users.
// Its JSON names and CSV columns are part of dostup's interface.
type User struct {
	Infobase string   `json:"infobase,omitempty"`
	Name     string   `json:"name"`
	FullName string   `json:"full_name,omitempty"`
	Roles    []string `json:"roles"`
	// PasswordSet is whether the user has a password at all.
	PasswordSet bool `json:"password_set"`
	// PasswordAgeDays is the whole days since the password was set; null
	// without a password.
	PasswordAgeDays *int `json:"password_age_days"`
	// PasswordChanged is whether the password was ever changed after the
	// first one was set: false means the password the account was given.
	PasswordChanged bool `json:"password_changed"`
	// ExpiresInDays is the days left under the policy's maximum age
	// (negative once expired); null when the password never expires.
	ExpiresInDays *int `json:"expires_in_days"`
	Expired       bool `json:"expired"`
	// Authentication lists how the user may log in: "password" (1C's
	// standard authentication) and "os" (an operating-system account).
	Authentication []string `json:"authentication"`
	Locked         bool     `json:"locked"`
	// SecondFactor lists the second factors enrolled: "totp", "code" (a
	// code delivered to a device) and "recovery" (recovery codes left).
	SecondFactor []string `json:"second_factor"`
	// LastLogin and LastFailure are the last successful authentication and
	// the last refused one the event log holds; absent when it holds none.
	LastLogin   time.Time `json:"last_login,omitzero"`
	LastFailure time.Time `json:"last_failure,omitzero"`
	// Listed is whether the user shows in the login list.
	Listed bool `json:"listed"`
}

// UserColumns are the CSV columns of dostup audit users, in order.
var UserColumns = []string{"infobase", "name", "full_name", "roles", "password_set", "password_age_days", "password_changed",
	"expires_in_days", "expired", "authentication", "locked", "second_factor", "last_login", "last_failure", "listed"}

// Record is the user as a CSV row under UserColumns: lists separated by
// semicolons, times in RFC 3339 (UTC), unknown numbers and times empty.
func (u User) Record() []string {
	return []string{u.Infobase, u.Name, u.FullName, join(u.Roles), boolText(u.PasswordSet), intText(u.PasswordAgeDays),
		boolText(u.PasswordChanged), intText(u.ExpiresInDays), boolText(u.Expired), join(u.Authentication), boolText(u.Locked),
		join(u.SecondFactor), timeText(u.LastLogin), timeText(u.LastFailure), boolText(u.Listed)}
}

// FromConfiguration is the audit of a configuration without its database:
// its rights and roles, no users.
func FromConfiguration(name string, cfg *metadata.Configuration) *Infobase {
	return &Infobase{Name: name, Config: cfg, Now: time.Now()}
}

// Read reads what the audit needs of an open infobase: the configuration,
// the users with the password policy and the locks in force, and from the
// event log the last login and failure of each user and the last session
// of each role. It only reads: nothing in the infobase changes.
func Read(ctx context.Context, ib *infobase.Infobase, name string) (*Infobase, error) {
	svc, err := authn.New(ctx, ib, authn.Config{})
	if err != nil {
		return nil, err
	}
	return ReadAuth(ctx, svc, name)
}

// ReadAuth is Read through an authentication service already open over
// the infobase, as a server has one: its policy and locks are the ones the
// users are shown under.
func ReadAuth(ctx context.Context, svc *authn.Service, name string) (*Infobase, error) {
	ib := svc.Infobase()
	views, err := wire.Admin{Auth: svc}.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the users: %w", err)
	}
	log, err := ib.EventLog(ctx)
	if err != nil {
		return nil, err
	}
	out := &Infobase{Name: name, Config: ib.Config, HasUsers: true, RoleLastSession: map[string]time.Time{}, Now: time.Now()}
	lastLogin, lastFailure := map[string]time.Time{}, map[string]time.Time{}
	later := func(m map[string]time.Time, key string, t time.Time) {
		if t.After(m[key]) {
			m[key] = t
		}
	}
	for _, kind := range []string{eventlog.Authentication, eventlog.AuthenticationError, eventlog.SessionStart} {
		err := log.Each(ctx, eventlog.Filter{Kind: kind}, func(ev eventlog.Event) error {
			switch ev.Kind {
			case eventlog.Authentication:
				later(lastLogin, ev.User, ev.Time)
			case eventlog.AuthenticationError:
				later(lastFailure, ev.User, ev.Time)
			case eventlog.SessionStart:
				roles, _ := ev.Data["roles"].([]any)
				for _, r := range roles {
					if s, ok := r.(string); ok {
						later(out.RoleLastSession, s, ev.Time)
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading the event log: %w", err)
		}
	}
	oldest, err := log.Query(ctx, eventlog.Filter{Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("reading the event log: %w", err)
	}
	if len(oldest) == 1 {
		out.LogSince = oldest[0].Time
	}
	for _, v := range views {
		out.Users = append(out.Users, userOf(v, lastLogin[v.Name], lastFailure[v.Name], out.Now))
	}
	return out, nil
}

// userOf is the audit's row of a user as the administrator's API shows it.
func userOf(v wire.User, lastLogin, lastFailure, now time.Time) User {
	u := User{
		Name: v.Name, FullName: v.FullName, Roles: nonNil(v.Roles), PasswordSet: v.PasswordSet,
		PasswordChanged: v.PasswordHistory > 0, ExpiresInDays: v.ExpiresInDays, Expired: v.Expired,
		Authentication: []string{}, Locked: v.Locked, SecondFactor: []string{},
		LastLogin: lastLogin, LastFailure: lastFailure, Listed: v.ShowInList,
	}
	if v.PasswordSet && !v.PasswordSetAt.IsZero() {
		days := int(now.Sub(v.PasswordSetAt.Time) / (24 * time.Hour))
		u.PasswordAgeDays = &days
	}
	if v.PasswordAuth {
		u.Authentication = append(u.Authentication, "password")
	}
	if v.OSUser != "" {
		u.Authentication = append(u.Authentication, "os")
	}
	if v.SecondFactor.TOTP {
		u.SecondFactor = append(u.SecondFactor, "totp")
	}
	if len(v.SecondFactor.Devices) > 0 {
		u.SecondFactor = append(u.SecondFactor, "code")
	}
	if v.SecondFactor.RecoveryCodes > 0 {
		u.SecondFactor = append(u.SecondFactor, "recovery")
	}
	return u
}

// UserRoles lists the users with their roles, as Memberships takes them.
func (ib *Infobase) UserRoles() []UserRoles {
	out := make([]UserRoles, len(ib.Users))
	for i, u := range ib.Users {
		out[i] = UserRoles{User: u.Name, Roles: u.Roles}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// The CSV forms of a row's values.

func join(s []string) string { return strings.Join(s, ";") }

func boolText(b bool) string { return strconv.FormatBool(b) }

func intText(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

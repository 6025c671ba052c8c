package wire

import (
	"encoding/json"
	"math"
	"strings"
	"time"

	"dostup/authn"
	"dostup/infobase"
)

// User is a user as an administrator sees it, at the console (dostup users
// list and show) and over the API (/api/v1/users): its fields and roles,
// its password's state under the policy, its lock and its second factors.
// Password hashes, their history, TOTP secrets and recovery codes are
// never part of it: only whether they are set, and how many. Admin makes
// it, so both front ends show the same facts.
//
// Its JSON is the console's (--format json); the API answers the same view
// in the form it published first (MarshalAPI).
type User struct {
	Name                 string    `json:"name"`
	FullName             string    `json:"full_name"`
	Email                string    `json:"email,omitempty"`
	Roles                []string  `json:"roles"`
	OSUser               string    `json:"os_user,omitempty"`
	ShowInList           bool      `json:"show_in_list"`
	PasswordAuth         bool      `json:"password_auth"`
	PasswordSet          bool      `json:"password_set"`
	PasswordSetAt        Timestamp `json:"password_set_at,omitzero"`
	PasswordHistory      int       `json:"password_history"`
	MustChangePassword   bool      `json:"must_change_password"`
	CannotChangePassword bool      `json:"cannot_change_password"`
	// ExpiresInDays is null when the password never expires: the policy
	// has no maximum age, or the user has no password.
	ExpiresInDays *int `json:"expires_in_days"`
	Expired       bool `json:"expired"`
	Locked        bool `json:"locked"`
	// LockedUntil is zero for an administrator's lock, which lasts until
	// an administrator lifts it.
	LockedUntil  Timestamp    `json:"locked_until,omitzero"`
	LockReason   string       `json:"lock_reason,omitempty"`
	SecondFactor SecondFactor `json:"second_factor"`
	Created      Timestamp    `json:"created,omitzero"`
	Updated      Timestamp    `json:"updated,omitzero"`
}

// SecondFactor is what a user has enrolled to pass the second factor,
// without the secrets themselves.
type SecondFactor struct {
	TOTP          bool     `json:"totp"`
	Devices       []string `json:"devices"`
	RecoveryCodes int      `json:"recovery_codes"`
}

// Timestamp is a moment of a user's record. The console writes it in
// RFC 3339, in UTC, to the second, which is what a person or a script
// comparing dates needs; the time itself keeps the stored precision, which
// the API answers.
type Timestamp struct{ time.Time }

// RFC3339 is the console's form of the moment, "" when it is unknown.
func (t Timestamp) RFC3339() string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// MarshalJSON writes the console's form; a zero moment is left out by the
// fields' omitzero rather than written empty.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.RFC3339())
}

// viewUser is the view of u with the password policy and the user's lock
// (nil: none) in force at now.
func viewUser(u *infobase.User, policy authn.PasswordPolicy, lock *authn.Lock, now time.Time) User {
	v := User{
		Name: u.Name, FullName: u.FullName, Email: u.Email, Roles: u.Roles, OSUser: u.OSUser,
		ShowInList: u.ShowInList, PasswordAuth: u.PasswordAuth, PasswordSet: u.PasswordHash != "",
		PasswordSetAt: Timestamp{u.PasswordSetAt}, PasswordHistory: len(u.PasswordHistory),
		MustChangePassword: u.MustChangePassword, CannotChangePassword: u.CannotChangePassword,
		SecondFactor: SecondFactor{TOTP: u.SecondFactor.TOTPSecret != "", Devices: u.SecondFactor.Devices,
			RecoveryCodes: len(u.SecondFactor.RecoveryCodes)},
		Created: Timestamp{u.Created}, Updated: Timestamp{u.Updated},
	}
	// Lists are [] in JSON, never null: a client need not tell the two apart.
	if v.Roles == nil {
		v.Roles = []string{}
	}
	if v.SecondFactor.Devices == nil {
		v.SecondFactor.Devices = []string{}
	}
	if v.PasswordSet {
		if d, ok := policy.ExpiresIn(u.PasswordSetAt, now); ok {
			days := int(math.Ceil(d.Hours() / 24))
			v.ExpiresInDays, v.Expired = &days, d <= 0
		}
	}
	if lock != nil {
		v.Locked, v.LockReason = true, lock.Reason
		// An administrator's lock is kept as lasting to the end of time.
		if lock.Until.Year() < 9999 {
			v.LockedUntil = Timestamp{lock.Until}
		}
	}
	return v
}

// userLockKey is the key the authentication service keeps a user's lock
// under: the name in lower case.
func userLockKey(name string) string {
	return "user:" + strings.ToLower(strings.TrimSpace(name))
}

// MarshalAPI writes the view as the HTTP API answers it
// (components/schemas/User of server/openapi.json): flat, has_password for
// password_set, the time the password was set as stored, and neither the
// expiry nor the lock, which the API published without. Its clients read
// these names, so they stay.
func (u User) MarshalAPI() ([]byte, error) {
	var o object
	o.put("name", u.Name)
	o.putUnless(u.FullName == "", "full_name", u.FullName)
	o.putUnless(u.Email == "", "email", u.Email)
	o.put("roles", u.Roles)
	o.putUnless(u.OSUser == "", "os_user", u.OSUser)
	o.put("show_in_list", u.ShowInList)
	o.put("cannot_change_password", u.CannotChangePassword)
	o.put("password_auth", u.PasswordAuth)
	o.put("has_password", u.PasswordSet)
	o.putUnless(u.PasswordSetAt.IsZero(), "password_set_at", u.PasswordSetAt.Time)
	o.put("must_change_password", u.MustChangePassword)
	o.put("totp", u.SecondFactor.TOTP)
	o.putUnless(len(u.SecondFactor.Devices) == 0, "devices", u.SecondFactor.Devices)
	o.put("recovery_codes", u.SecondFactor.RecoveryCodes)
	return o.json()
}

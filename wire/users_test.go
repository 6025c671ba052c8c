package wire

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"dostup/authn"
	"dostup/infobase"
)

// TestUserForms pins both JSON forms of one view: the console's and the
// API's, which keep the names and the omissions each published.
func TestUserForms(t *testing.T) {
	set := time.Date(2026, 5, 1, 10, 0, 0, 123456000, time.UTC)
	full := &infobase.User{Name: "alice", FullName: "Алиса <&>", Email: "a@x.y", Roles: []string{"Менеджер"}, OSUser: `DOM\alice`,
		ShowInList: true, PasswordAuth: true, PasswordHash: "$argon2id$x", PasswordSetAt: set, PasswordHistory: []string{"h"},
		MustChangePassword: true, SecondFactor: infobase.SecondFactor{TOTPSecret: "S", Devices: []string{"a@x.y"}, RecoveryCodes: []string{"c", "d"}},
		Created: set, Updated: set}
	policy := authn.PasswordPolicy{MaxAge: 90 * 24 * time.Hour}
	lock := &authn.Lock{Key: "user:alice", Until: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), Reason: "administrator"}
	cases := []struct {
		name         string
		u            *infobase.User
		lock         *authn.Lock
		console, api string
	}{
		{"full", full, lock,
			`{"name":"alice","full_name":"Алиса <&>","email":"a@x.y","roles":["Менеджер"],"os_user":"DOM\\alice","show_in_list":true,` +
				`"password_auth":true,"password_set":true,"password_set_at":"2026-05-01T10:00:00Z","password_history":1,"must_change_password":true,` +
				`"cannot_change_password":false,"expires_in_days":90,"expired":false,"locked":true,"lock_reason":"administrator",` +
				`"second_factor":{"totp":true,"devices":["a@x.y"],"recovery_codes":2},"created":"2026-05-01T10:00:00Z","updated":"2026-05-01T10:00:00Z"}`,
			`{"name":"alice","full_name":"Алиса <&>","email":"a@x.y","roles":["Менеджер"],"os_user":"DOM\\alice","show_in_list":true,` +
				`"cannot_change_password":false,"password_auth":true,"has_password":true,"password_set_at":"2026-05-01T10:00:00.123456Z",` +
				`"must_change_password":true,"totp":true,"devices":["a@x.y"],"recovery_codes":2}`},
		{"bare", &infobase.User{Name: "ghost"}, nil,
			`{"name":"ghost","full_name":"","roles":[],"show_in_list":false,"password_auth":false,"password_set":false,"password_history":0,` +
				`"must_change_password":false,"cannot_change_password":false,"expires_in_days":null,"expired":false,"locked":false,` +
				`"second_factor":{"totp":false,"devices":[],"recovery_codes":0}}`,
			`{"name":"ghost","roles":[],"show_in_list":false,"cannot_change_password":false,"password_auth":false,"has_password":false,` +
				`"must_change_password":false,"totp":false,"recovery_codes":0}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := viewUser(c.u, policy, c.lock, set.Add(12*time.Hour))
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(b.String()); got != c.console {
				t.Errorf("console form:\n%s\nwant:\n%s", got, c.console)
			}
			api, err := v.MarshalAPI()
			if err != nil {
				t.Fatal(err)
			}
			if string(api) != c.api {
				t.Errorf("API form:\n%s\nwant:\n%s", api, c.api)
			}
		})
	}
}

// TestUserChangeApply: fields not given stay; roles are replaced, then
// added to and taken from in any letter case.
func TestUserChangeApply(t *testing.T) {
	email, listed := "new@x.y", false
	set := []string{"Касса", "Бухгалтер"}
	cases := []struct {
		name  string
		c     UserChange
		roles string
		check func(u *infobase.User) bool
	}{
		{"nothing", UserChange{}, "Менеджер,Бухгалтер", func(u *infobase.User) bool { return u.Email == "old@x.y" && u.ShowInList }},
		{"fields", UserChange{Email: &email, ShowInList: &listed}, "Менеджер,Бухгалтер", func(u *infobase.User) bool { return u.Email == email && !u.ShowInList }},
		{"add and remove", UserChange{AddRoles: []string{"Администратор", "менеджер"}, RemoveRoles: []string{"бухгалтер"}}, "Менеджер,Администратор", nil},
		{"set then add", UserChange{Roles: &set, AddRoles: []string{"Менеджер"}}, "Касса,Бухгалтер,Менеджер", nil},
		{"set none", UserChange{Roles: &[]string{}}, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := &infobase.User{Name: "alice", Email: "old@x.y", ShowInList: true, Roles: []string{"Менеджер", "Бухгалтер"}}
			if c.c.IsZero() != (c.name == "nothing") {
				t.Errorf("IsZero = %v", c.c.IsZero())
			}
			c.c.Apply(u)
			if got := strings.Join(u.Roles, ","); got != c.roles || u.Roles == nil {
				t.Errorf("roles %q (nil: %v), want %q", got, u.Roles == nil, c.roles)
			}
			if c.check != nil && !c.check(u) {
				t.Errorf("user after the change: %+v", u)
			}
		})
	}
}

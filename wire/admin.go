package wire

import (
	"context"
	"strings"
	"time"

	"dostup/authn"
	"dostup/infobase"
)

// Admin is what an administrator does to an infobase's users, the same at
// the console (dostup users) and over the API (/api/v1/users), so that a
// change reads alike in the event log whichever made it and a name or a
// value one refuses the other refuses too. Each operation takes a user's
// name as typed or sent and normalises it (infobase.NormalizeUserName);
// the authentication service checks the change and logs it as By.
type Admin struct {
	// Auth is the authentication service of the infobase administered.
	Auth *authn.Service
	// By is who acts, for the event log.
	By authn.Actor
}

// UserChange is a change of a user's fields: those it holds change, the
// rest stay. It is what POST and PATCH /api/v1/users take (with the name
// and, for a new user, the password beside it) and what dostup users add,
// set and roles make of their flags. Passwords and second-factor secrets
// have operations of their own.
type UserChange struct {
	FullName             *string   `json:"full_name"`
	Email                *string   `json:"email"`
	Roles                *[]string `json:"roles"`
	OSUser               *string   `json:"os_user"`
	ShowInList           *bool     `json:"show_in_list"`
	CannotChangePassword *bool     `json:"cannot_change_password"`
	PasswordAuth         *bool     `json:"password_auth"`
	MustChangePassword   *bool     `json:"must_change_password"`
	Devices              *[]string `json:"devices"`
	// AddRoles and RemoveRoles change the roles held (after Roles replaces
	// them), in any letter case: the console's roles --add and --remove,
	// which work on the roles as they are when the change is written. The
	// API replaces the list whole.
	AddRoles    []string `json:"-"`
	RemoveRoles []string `json:"-"`
}

// IsZero reports whether the change changes nothing.
func (c UserChange) IsZero() bool {
	return c.FullName == nil && c.Email == nil && c.Roles == nil && c.OSUser == nil && c.ShowInList == nil &&
		c.CannotChangePassword == nil && c.PasswordAuth == nil && c.MustChangePassword == nil && c.Devices == nil &&
		len(c.AddRoles) == 0 && len(c.RemoveRoles) == 0
}

// Apply makes the change on u.
func (c UserChange) Apply(u *infobase.User) {
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&u.FullName, c.FullName}, {&u.Email, c.Email}, {&u.OSUser, c.OSUser}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	for _, f := range []struct {
		dst *bool
		v   *bool
	}{{&u.ShowInList, c.ShowInList}, {&u.CannotChangePassword, c.CannotChangePassword},
		{&u.PasswordAuth, c.PasswordAuth}, {&u.MustChangePassword, c.MustChangePassword}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if c.Roles != nil {
		u.Roles = append([]string{}, *c.Roles...)
	}
	if len(c.AddRoles) > 0 || len(c.RemoveRoles) > 0 {
		roles := []string{}
		for _, r := range u.Roles {
			if !containsFold(c.RemoveRoles, r) {
				roles = append(roles, r)
			}
		}
		for _, r := range c.AddRoles {
			if !containsFold(roles, r) {
				roles = append(roles, r)
			}
		}
		u.Roles = roles
	}
	if c.Devices != nil {
		u.SecondFactor.Devices = append([]string(nil), *c.Devices...)
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Users lists the users by name.
func (a Admin) Users(ctx context.Context) ([]User, error) {
	users, err := a.Auth.Infobase().Users(ctx)
	if err != nil {
		return nil, err
	}
	return a.views(ctx, users...)
}

// User is one user; the error wraps infobase.ErrNoUser when there is none.
func (a Admin) User(ctx context.Context, name string) (User, error) {
	return withName(name, func(n string) (User, error) {
		u, err := a.Auth.Infobase().User(ctx, n)
		if err != nil {
			return User{}, err
		}
		return a.view(ctx, u)
	})
}

// AddUser creates the user name with the change made on the defaults of a
// new user (listed, name-and-password login on) and a password, which the
// policy must accept; "" leaves the user without one.
func (a Admin) AddUser(ctx context.Context, name string, c UserChange, password string) (User, error) {
	return withName(name, func(n string) (User, error) {
		u := &infobase.User{Name: n, ShowInList: true, PasswordAuth: true}
		c.Apply(u)
		if err := a.Auth.AddUser(ctx, u, password, a.By); err != nil {
			return User{}, err
		}
		return a.User(ctx, u.Name)
	})
}

// ChangeUser makes the change on the stored user; a change of roles ends
// the user's sessions (authn.Service.UpdateUser).
func (a Admin) ChangeUser(ctx context.Context, name string, c UserChange) (User, error) {
	return withName(name, func(n string) (User, error) {
		u, err := a.Auth.UpdateUser(ctx, n, func(u *infobase.User) error {
			c.Apply(u)
			return nil
		}, a.By)
		if err != nil {
			return User{}, err
		}
		return a.view(ctx, u)
	})
}

// DeleteUser deletes the user and ends its sessions; it returns the name
// as stored, which may differ in letter case from the one given.
func (a Admin) DeleteUser(ctx context.Context, name string) (string, error) {
	return withName(name, func(n string) (string, error) {
		u, err := a.Auth.Infobase().User(ctx, n)
		if err != nil {
			return "", err
		}
		return u.Name, a.Auth.DeleteUser(ctx, u.Name, a.By)
	})
}

// SetPassword sets the user's password as the administrator and ends the
// user's sessions: a reset often follows a suspected leak. It returns how
// many sessions ended.
func (a Admin) SetPassword(ctx context.Context, name, password string, mustChange bool) (int, error) {
	return withName(name, func(n string) (int, error) { return a.Auth.SetPassword(ctx, n, password, mustChange, a.By) })
}

// Lock refuses every login of the user until Unlock and ends its
// sessions; it returns how many ended.
func (a Admin) Lock(ctx context.Context, name string) (int, error) {
	return withName(name, func(n string) (int, error) { return a.Auth.Lock(ctx, n, a.By) })
}

// Unlock lifts the lock of the user, of the source address addr, or both
// (name "" with an address: only the address's).
func (a Admin) Unlock(ctx context.Context, name, addr string) error {
	if name != "" || addr == "" {
		n, err := infobase.NormalizeUserName(name)
		if err != nil {
			return err
		}
		name = n
	}
	return a.Auth.Unlock(ctx, name, addr, a.By)
}

// EnrollTOTP gives the user a new TOTP key, replacing any earlier one.
func (a Admin) EnrollTOTP(ctx context.Context, name string) (*authn.TOTPKey, error) {
	return withName(name, func(n string) (*authn.TOTPKey, error) { return a.Auth.EnrollTOTP(ctx, n, a.By) })
}

// NewRecoveryCodes replaces the user's recovery codes with count new ones
// and returns them: only their hashes are kept.
func (a Admin) NewRecoveryCodes(ctx context.Context, name string, count int) ([]string, error) {
	return withName(name, func(n string) ([]string, error) { return a.Auth.NewRecoveryCodes(ctx, n, count, a.By) })
}

// Sessions lists the sessions open now ([] when there are none).
func (a Admin) Sessions(ctx context.Context) ([]*authn.Session, error) {
	list, err := a.Auth.Sessions(ctx)
	if list == nil && err == nil {
		list = []*authn.Session{}
	}
	return list, err
}

// Locks lists the locks in force now, of users and of source addresses
// ([] when there are none).
func (a Admin) Locks(ctx context.Context) ([]authn.Lock, error) {
	list, err := a.Auth.Locks(ctx)
	if list == nil && err == nil {
		list = []authn.Lock{}
	}
	return list, err
}

// withName runs op on the name normalised; a name refused is an
// *infobase.UserNameError, bad input to both front ends.
func withName[T any](name string, op func(string) (T, error)) (T, error) {
	n, err := infobase.NormalizeUserName(name)
	if err != nil {
		var zero T
		return zero, err
	}
	return op(n)
}

func (a Admin) view(ctx context.Context, u *infobase.User) (User, error) {
	views, err := a.views(ctx, u)
	if err != nil {
		return User{}, err
	}
	return views[0], nil
}

// views makes the views of users with the policy and the locks in force
// now, read once for all of them.
func (a Admin) views(ctx context.Context, users ...*infobase.User) ([]User, error) {
	set, err := a.Auth.Settings(ctx)
	if err != nil {
		return nil, err
	}
	locks, err := a.Auth.Locks(ctx)
	if err != nil {
		return nil, err
	}
	byKey := map[string]*authn.Lock{}
	for i := range locks {
		byKey[locks[i].Key] = &locks[i]
	}
	now := time.Now()
	out := make([]User, 0, len(users))
	for _, u := range users {
		out = append(out, viewUser(u, set.Policy, byKey[userLockKey(u.Name)], now))
	}
	return out, nil
}

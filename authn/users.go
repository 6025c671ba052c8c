package authn

import (
	"context"
	"errors"
	"fmt"

	"dostup/eventlog"
	"dostup/infobase"
)

// historyKept bounds the password history whatever the reuse limit, so a
// raised limit still finds the passwords before it.
const historyKept = 24

// AddUser creates a user; a non-empty password must satisfy the policy.
// The user's password hash, set date and history are made here, whatever
// u holds.
func (s *Service) AddUser(ctx context.Context, u *infobase.User, password string, by Actor) error {
	u.PasswordHash, u.PasswordHistory, u.PasswordSetAt = "", nil, timeZero
	if password != "" {
		set, err := s.Settings(ctx)
		if err != nil {
			return err
		}
		list, err := s.compromised(set.Policy)
		if err != nil {
			return err
		}
		if err := set.Policy.CheckPassword(u.Name, password, nil, timeZero, s.now(), list); err != nil {
			return err
		}
		release, err := s.cfg.Hashing.Acquire(ctx)
		if err != nil {
			return err
		}
		u.PasswordHash, err = HashPassword(password, s.cfg.Hash)
		release()
		if err != nil {
			return err
		}
		u.PasswordSetAt = s.now()
	}
	if err := s.ib.CreateUser(ctx, u); err != nil {
		return err
	}
	return s.log.Append(ctx, by.event(eventlog.UserNew, u.Name, map[string]any{"roles": nonNil(u.Roles), "password": password != ""}))
}

// UpdateUser changes a user's fields other than the password through fn
// and logs the change; the password hash, history and second-factor
// secrets cannot be changed this way. A change of the user's roles ends
// the user's sessions, which hold the roles they began with: the user
// logs in again to hold the new ones.
func (s *Service) UpdateUser(ctx context.Context, name string, fn func(*infobase.User) error, by Actor) (*infobase.User, error) {
	var before infobase.User
	u, err := s.updateUser(ctx, name, func(x *infobase.User) error {
		before = *x
		hash, history, setAt, sf := x.PasswordHash, x.PasswordHistory, x.PasswordSetAt, x.SecondFactor
		if err := fn(x); err != nil {
			return err
		}
		if x.PasswordHash != hash || !x.PasswordSetAt.Equal(setAt) || len(x.PasswordHistory) != len(history) ||
			x.SecondFactor.TOTPSecret != sf.TOTPSecret || len(x.SecondFactor.RecoveryCodes) != len(sf.RecoveryCodes) {
			return errors.New("passwords and second-factor secrets are changed by their own commands")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	data := map[string]any{}
	if fmt.Sprint(before.Roles) != fmt.Sprint(u.Roles) {
		data["roles"] = map[string]any{"before": nonNil(before.Roles), "after": nonNil(u.Roles)}
	}
	for _, f := range []struct {
		name          string
		before, after any
	}{
		{"full_name", before.FullName, u.FullName}, {"email", before.Email, u.Email}, {"os_user", before.OSUser, u.OSUser},
		{"show_in_list", before.ShowInList, u.ShowInList}, {"cannot_change_password", before.CannotChangePassword, u.CannotChangePassword},
		{"password_auth", before.PasswordAuth, u.PasswordAuth}, {"must_change_password", before.MustChangePassword, u.MustChangePassword},
		{"devices", fmt.Sprint(before.SecondFactor.Devices), fmt.Sprint(u.SecondFactor.Devices)},
	} {
		if f.before != f.after {
			data[f.name] = map[string]any{"before": f.before, "after": f.after}
		}
	}
	if err := s.log.Append(ctx, by.event(eventlog.UserUpdate, u.Name, data)); err != nil {
		return nil, err
	}
	if _, changed := data["roles"]; changed {
		if _, err := s.endSessions(ctx, u.Name, "", "roles changed", true, by); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// DeleteUser removes a user and ends its sessions.
func (s *Service) DeleteUser(ctx context.Context, name string, by Actor) error {
	u, err := s.ib.User(ctx, name)
	if err != nil {
		return err
	}
	if err := s.ib.DeleteUser(ctx, u.Name); err != nil {
		return err
	}
	if _, err := s.RevokeUser(ctx, u.Name, by); err != nil {
		return err
	}
	return s.log.Append(ctx, by.event(eventlog.UserDelete, u.Name, nil))
}

// ErrCannotChangePassword refuses a user's own password change when the
// user may not change it.
var ErrCannotChangePassword = errors.New("the user may not change the password (ЗапрещеноИзменятьПароль): an administrator sets it")

// PasswordChange is a user's own change of password.
type PasswordChange struct {
	User, Old, New string
	// Source is the client's address, for lockout and the event log.
	Source string
	// Token is the session the change is made from, if any: when it is the
	// user's, it stays; every other session of the user ends.
	Token string
}

// ChangePassword is a user's own change: the old password is verified
// (a wrong one counts toward lockout), the new one must satisfy the policy,
// including the minimum age and the reuse limit, and is verified again
// after it is written. The user's sessions end, all but the one the change
// was made from (PasswordChange.Token).
func (s *Service) ChangePassword(ctx context.Context, c PasswordChange) error {
	u, att, err := s.checkPassword(ctx, c.User, c.Old, c.Source, "", "")
	if err != nil {
		return err
	}
	if err := s.pass(ctx, att); err != nil {
		s.drop(ctx, att)
		return err
	}
	if u.CannotChangePassword {
		return ErrCannotChangePassword
	}
	by := Actor{User: u.Name, Source: c.Source}
	if c.Token != "" {
		if sess, err := s.Authenticate(ctx, c.Token); err == nil && sess.User == u.Name {
			by.Session = sess.ID
		}
	}
	if err := s.writePassword(ctx, u.Name, c.New, true, false, by); err != nil {
		return err
	}
	_, err = s.endSessions(ctx, u.Name, by.Session, "password changed", false, by)
	return err
}

// SetPassword is an administrator's change: the policy applies but for the
// minimum age; mustChange makes the user change it at the next login. The
// user's sessions end (a reset often follows a suspected leak); it returns
// how many.
func (s *Service) SetPassword(ctx context.Context, name, password string, mustChange bool, by Actor) (int, error) {
	if err := s.writePassword(ctx, name, password, false, mustChange, by); err != nil {
		return 0, err
	}
	u, err := s.ib.User(ctx, name)
	if err != nil {
		return 0, err
	}
	return s.endSessions(ctx, u.Name, "", "password set by an administrator", true, by)
}

func (s *Service) writePassword(ctx context.Context, name, password string, self, mustChange bool, by Actor) error {
	set, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	// One slot for every computation of the change: the hash, the reuse
	// checks against the history, the verification after writing.
	release, err := s.cfg.Hashing.Acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	hash, err := HashPassword(password, s.cfg.Hash)
	if err != nil {
		return err
	}
	policy := set.Policy
	list, err := s.compromised(policy)
	if err != nil {
		return err
	}
	u, err := s.updateUser(ctx, name, func(x *infobase.User) error {
		history := x.PasswordHistory
		if x.PasswordHash != "" {
			history = append([]string{x.PasswordHash}, history...)
		}
		setAt := x.PasswordSetAt
		if !self {
			setAt = timeZero // the minimum age binds the user, not an administrator
		}
		if err := policy.CheckPassword(x.Name, password, history, setAt, now, list); err != nil {
			return err
		}
		if len(history) > historyKept {
			history = history[:historyKept]
		}
		x.PasswordHash, x.PasswordHistory, x.PasswordSetAt = hash, history, now
		x.MustChangePassword = mustChange
		return nil
	})
	if err != nil {
		return err
	}
	// Verified after writing: read back what the infobase holds.
	stored, err := s.ib.User(ctx, u.Name)
	if err != nil {
		return err
	}
	if ok, err := VerifyPassword(stored.PasswordHash, password); err != nil || !ok {
		return fmt.Errorf("user %s: the new password does not verify after writing (%v): try again", u.Name, err)
	}
	return s.log.Append(ctx, by.event(eventlog.PasswordChange, u.Name, map[string]any{"by_user": self, "must_change": mustChange}))
}

// EnrollTOTP gives a user a new TOTP key, replacing any earlier one, and
// returns it with its otpauth:// URI for an authenticator app.
func (s *Service) EnrollTOTP(ctx context.Context, name string, by Actor) (*TOTPKey, error) {
	u, err := s.ib.User(ctx, name)
	if err != nil {
		return nil, err
	}
	key, err := NewTOTP(s.cfg.Issuer, u.Name)
	if err != nil {
		return nil, err
	}
	if _, err := s.updateUser(ctx, u.Name, func(x *infobase.User) error {
		x.SecondFactor.TOTPSecret, x.SecondFactor.TOTPLastStep = key.Secret, 0
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.log.Append(ctx, by.event(eventlog.UserUpdate, u.Name, map[string]any{"second_factor": "totp enrolled"})); err != nil {
		return nil, err
	}
	return key, nil
}

// NewRecoveryCodes replaces a user's recovery codes with n new ones,
// returned this once.
func (s *Service) NewRecoveryCodes(ctx context.Context, name string, n int, by Actor) ([]string, error) {
	if n < 1 || n > 100 {
		return nil, fmt.Errorf("%d recovery codes: give 1 to 100", n)
	}
	plain, hashes, err := NewRecoveryCodes(n)
	if err != nil {
		return nil, err
	}
	u, err := s.updateUser(ctx, name, func(x *infobase.User) error {
		x.SecondFactor.RecoveryCodes = hashes
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.log.Append(ctx, by.event(eventlog.UserUpdate, u.Name, map[string]any{"second_factor": fmt.Sprintf("%d recovery codes made", n)})); err != nil {
		return nil, err
	}
	return plain, nil
}

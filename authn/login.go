package authn

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"dostup/eventlog"
	"dostup/infobase"
)

// LoginRequest is a user's name and password, on top of an application's
// session (Token) or on its own.
type LoginRequest struct {
	// Token is the session to log in on top of (an application's), or ""
	// for a session of the user alone.
	Token    string
	User     string
	Password string
	// Source is the client's address, for lockout and the event log.
	Source string
}

// Login checks a user's password and gives the session the user's roles
// that need no second factor. With a token it raises that session and
// returns the same token; without one it opens a new session. The name is
// normalised (infobase.NormalizeUserName; a name it refuses is a
// *infobase.UserNameError) and found in any letter case. Unknown users,
// wrong passwords and locked accounts cost the same time.
func (s *Service) Login(ctx context.Context, r LoginRequest) (string, *Session, error) {
	var sess *Session
	if r.Token != "" {
		var err error
		if sess, err = s.Authenticate(ctx, r.Token); err != nil {
			return "", nil, err
		}
		if typed, _ := infobase.NormalizeUserName(r.User); sess.User != "" && !equalFold(sess.User, typed) {
			return "", nil, fmt.Errorf("the session is already %s's: log out first", sess.User)
		}
	}
	sessionID, app := "", ""
	if sess != nil {
		sessionID, app = sess.ID, sess.Application
	}
	u, att, err := s.checkPassword(ctx, r.User, r.Password, r.Source, sessionID, app)
	if err != nil {
		return "", nil, err
	}
	settled := false
	defer func() {
		if !settled {
			s.drop(ctx, att)
		}
	}()
	appRoles, err := s.appRoles(ctx, app)
	if err != nil {
		return "", nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return "", nil, err
	}
	defer s.done(tx)
	if err := s.passTx(ctx, tx, att); err != nil {
		return "", nil, err
	}
	token := r.Token
	fresh := sess == nil
	if fresh {
		sess = &Session{Source: r.Source}
	}
	sess.User = u.Name
	sess.Methods = appendMethod(sess.Methods, "password")
	sess.Roles = s.activeRoles(appRoles, u.Roles, false)
	events := []eventlog.Event{}
	if fresh {
		if token, err = s.newSession(ctx, tx, sess); err != nil {
			return "", nil, err
		}
	} else if err := s.saveSession(ctx, tx, sess); err != nil {
		return "", nil, err
	}
	events = append(events, eventlog.Event{Kind: eventlog.Authentication, User: u.Name, Session: sess.ID, Application: app, Source: r.Source,
		Data: map[string]any{"method": "password", "roles": nonNil(sess.Roles)}})
	if fresh {
		events = append(events, eventlog.Event{Kind: eventlog.SessionStart, User: u.Name, Session: sess.ID, Source: r.Source, Data: map[string]any{"roles": nonNil(sess.Roles)}})
	}
	if err := s.log.AppendTx(ctx, tx, events...); err != nil {
		return "", nil, err
	}
	if err := tx.Commit(); err != nil {
		return "", nil, err
	}
	settled = true
	if err := s.decorate(ctx, sess); err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// checkPassword is the password check with lockout (lockout.go): the name
// normalised, a slot of the hash gate taken (ErrBusy past its queue,
// before anything else is done), the attempt reserved against the limits
// of the account and the address, the password verified, a failure
// counted. Every path that reaches the hash runs one argon2id computation
// in its slot — unknown user, wrong password, refused attempt alike, the
// refused against a dummy hash, so they verify no guess — and its time
// tells nothing. Failures are counted and logged under the account's own
// name (the name as typed, normalised, when there is no account). A
// success returns the attempt still reserved: the caller settles it with
// passTx in the transaction that acts on the success, or pass.
func (s *Service) checkPassword(ctx context.Context, typed, password, source, session, app string) (*infobase.User, *attempt, error) {
	name, err := infobase.NormalizeUserName(typed)
	if err != nil {
		// Not an account's name: nothing to count, but the attempt is logged.
		if lerr := s.logFailure(ctx, "", session, app, source, err.Error()); lerr != nil {
			return nil, nil, lerr
		}
		return nil, nil, err
	}
	release, err := s.cfg.Hashing.Acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	hashed := sync.OnceFunc(release)
	defer hashed()
	u, err := s.ib.User(ctx, name)
	if err != nil && !isNoUser(err) {
		return nil, nil, err
	}
	if u != nil {
		name = u.Name
	}
	att, refusal := s.reserve(ctx, name, source, session)
	if refusal != nil && !isRefusal(refusal) {
		return nil, nil, refusal
	}
	hash := DummyHash(s.cfg.Hash)
	usable := u != nil && u.PasswordAuth && u.PasswordHash != ""
	if usable && refusal == nil {
		hash = u.PasswordHash
	}
	ok, verr := VerifyPassword(hash, password)
	if refusal != nil {
		hashed()
		if err := s.logFailure(ctx, name, session, app, source, refusal.Error()); err != nil {
			return nil, nil, err
		}
		return nil, nil, refusal
	}
	if verr != nil {
		hashed()
		s.drop(ctx, att)
		return nil, nil, fmt.Errorf("user %s: the stored password hash is damaged: %w", name, verr)
	}
	if !ok || !usable {
		hashed()
		why := "wrong password"
		switch {
		case u == nil:
			why = "unknown user"
		case !u.PasswordAuth:
			why = "password authentication is off for the user"
		case u.PasswordHash == "":
			why = "the user has no password"
		}
		if err := s.fail(ctx, att, source, session, failureEvent(name, session, app, source, why)); err != nil {
			return nil, nil, err
		}
		return nil, nil, ErrBadCredentials
	}
	if NeedsRehash(u.PasswordHash, s.cfg.Hash) {
		if h, err := HashPassword(password, s.cfg.Hash); err == nil {
			stored := u.PasswordHash
			_, _ = s.updateUser(ctx, u.Name, func(x *infobase.User) error {
				if x.PasswordHash != stored {
					return errors.New("changed meanwhile")
				}
				x.PasswordHash = h
				return nil
			})
		}
	}
	return u, att, nil
}

// appRoles are the roles of a registered application ("" has none).
func (s *Service) appRoles(ctx context.Context, app string) ([]string, error) {
	if app == "" {
		return nil, nil
	}
	var raw string
	err := s.ib.DB.SQL.QueryRowContext(ctx, "SELECT roles FROM "+s.q(appsTable)+" WHERE name_key = "+s.p(1), lower(app)).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("application %s is no longer registered", app)
	}
	if err != nil {
		return nil, err
	}
	var roles []string
	return roles, json.Unmarshal([]byte(raw), &roles)
}

func appendMethod(list []string, m string) []string {
	for _, x := range list {
		if x == m {
			return list
		}
	}
	return append(list, m)
}

func equalFold(a, b string) bool { return lower(a) == lower(b) }

// codeTTL is how long a delivered code stays valid.
const codeTTL = 5 * time.Minute

// ErrNoSecondFactor is returned when a user has no way to pass a second
// factor: an administrator enrols one first.
var ErrNoSecondFactor = errors.New("the user has no second factor enrolled (an administrator enrols one: dostup users otp-enroll)")

// SendCode sends a one-time code to one of the user's devices (its e-mail
// or a device of its second-factor settings; "" means the first), for a
// session that has passed the password.
func (s *Service) SendCode(ctx context.Context, token, device string) (*Session, error) {
	sess, err := s.Authenticate(ctx, token)
	if err != nil {
		return nil, err
	}
	if sess.User == "" {
		return nil, errors.New("log in with name and password before asking for a code")
	}
	if s.cfg.Sender == nil {
		return nil, errors.New("this server sends no codes: use an authenticator app (TOTP) or a recovery code")
	}
	u, err := s.ib.User(ctx, sess.User)
	if err != nil {
		return nil, err
	}
	devices := append([]string{}, u.SecondFactor.Devices...)
	if u.Email != "" {
		devices = append(devices, u.Email)
	}
	if len(devices) == 0 {
		return nil, fmt.Errorf("user %s has no device to send a code to", u.Name)
	}
	to := devices[0]
	if device != "" {
		to = ""
		for _, d := range devices {
			if equalFold(d, device) {
				to = d
			}
		}
		if to == "" {
			return nil, fmt.Errorf("%q is not a device of user %s", device, u.Name)
		}
	}
	code, err := NewDeliveredCode()
	if err != nil {
		return nil, err
	}
	sess.codeHash = codeHash(code)
	sess.codeExpires = s.now().Add(codeTTL).UnixMicro()
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer s.done(tx)
	if err := s.saveSession(ctx, tx, sess); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if err := s.cfg.Sender.Send(ctx, u.Name, to, code); err != nil {
		return nil, fmt.Errorf("sending the code to %s: %w", to, err)
	}
	return sess, nil
}

func codeHash(code string) string {
	h := sha256.Sum256([]byte(code))
	return hex.EncodeToString(h[:])
}

// VerifyOTP checks a second factor for a session that has passed the
// password: a TOTP code (accepted once), a delivered code, or a recovery
// code (used up). Success activates the user's roles that need it; a wrong
// code counts toward lockout like a wrong password, reserved and settled
// as a password check is (lockout.go), so a burst of codes verifies no more
// of them than the limit lets through.
func (s *Service) VerifyOTP(ctx context.Context, token, code, source string) (*Session, error) {
	sess, err := s.Authenticate(ctx, token)
	if err != nil {
		return nil, err
	}
	if sess.User == "" {
		return nil, errors.New("log in with name and password before the second factor")
	}
	u, err := s.ib.User(ctx, sess.User)
	if err != nil {
		return nil, err
	}
	att, err := s.reserve(ctx, u.Name, source, sess.ID)
	if err != nil {
		if isRefusal(err) {
			if lerr := s.log.Append(ctx, eventlog.Event{Kind: eventlog.SecondFactor, Level: eventlog.Warning, User: u.Name, Session: sess.ID,
				Application: sess.Application, Source: source, Data: map[string]any{"passed": false, "reason": err.Error()}}); lerr != nil {
				return nil, lerr
			}
		}
		return nil, err
	}
	settled := false
	defer func() {
		if !settled {
			s.drop(ctx, att)
		}
	}()
	if !u.SecondFactor.Enrolled() && sess.codeHash == "" {
		return nil, ErrNoSecondFactor
	}
	method := ""
	now := s.now()
	if u.SecondFactor.TOTPSecret != "" {
		// The step is checked and stored in one compare-and-swap, so two
		// requests with the same code cannot both pass.
		_, err := s.updateUser(ctx, u.Name, func(x *infobase.User) error {
			step, ok := VerifyTOTP(x.SecondFactor.TOTPSecret, code, now, x.SecondFactor.TOTPLastStep)
			if !ok {
				return errNoMatch
			}
			x.SecondFactor.TOTPLastStep = step
			return nil
		})
		switch {
		case err == nil:
			method = "totp"
		case !errors.Is(err, errNoMatch):
			return nil, err
		}
	}
	if method == "" && sess.codeHash != "" && now.UnixMicro() < sess.codeExpires && SecretEqual(sess.codeHash, codeHash(code)) {
		method = "code"
		sess.codeHash, sess.codeExpires = "", 0
	}
	if method == "" && len(u.SecondFactor.RecoveryCodes) > 0 {
		_, err := s.updateUser(ctx, u.Name, func(x *infobase.User) error {
			i, ok := MatchRecoveryCode(x.SecondFactor.RecoveryCodes, code)
			if !ok {
				return errNoMatch
			}
			x.SecondFactor.RecoveryCodes = append(x.SecondFactor.RecoveryCodes[:i:i], x.SecondFactor.RecoveryCodes[i+1:]...)
			return nil
		})
		switch {
		case err == nil:
			method = "recovery"
		case !errors.Is(err, errNoMatch):
			return nil, err
		}
	}
	if method == "" {
		settled = true
		if err := s.fail(ctx, att, source, sess.ID, eventlog.Event{Kind: eventlog.SecondFactor, Level: eventlog.Warning, User: u.Name, Session: sess.ID,
			Application: sess.Application, Source: source, Data: map[string]any{"passed": false}}); err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	appRoles, err := s.appRoles(ctx, sess.Application)
	if err != nil {
		return nil, err
	}
	sess.Methods = appendMethod(sess.Methods, method)
	sess.Roles = s.activeRoles(appRoles, u.Roles, true)
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer s.done(tx)
	if err := s.passTx(ctx, tx, att); err != nil {
		return nil, err
	}
	if err := s.saveSession(ctx, tx, sess); err != nil {
		return nil, err
	}
	if err := s.log.AppendTx(ctx, tx, eventlog.Event{Kind: eventlog.SecondFactor, User: u.Name, Session: sess.ID, Application: sess.Application,
		Source: source, Data: map[string]any{"passed": true, "method": method, "roles": nonNil(sess.Roles)}}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	settled = true
	return sess, s.decorate(ctx, sess)
}

var errNoMatch = errors.New("no match")

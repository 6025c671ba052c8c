package authn_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"dostup/authn"
	"dostup/demo"
	"dostup/eventlog"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/internal/testdemo"
)

// clock is a test clock the service reads.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// service opens the demo infobase on a backend with its credentials.
func service(t *testing.T, backend string, cfg authn.Config) (*authn.Service, *demo.Credentials, *infobase.Infobase) {
	t.Helper()
	return testdemo.Secure(t, backend, cfg)
}

func kinds(t *testing.T, ib *infobase.Infobase, f eventlog.Filter) []string {
	t.Helper()
	l, err := ib.EventLog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	events, err := l.Query(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		out = append(out, e.Kind)
	}
	return out
}

// TestLockout: N failures within the window lock the account (and the
// right password is refused); the lock ends by time, or by an
// administrator; the address locks separately.
func TestLockout(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			clk := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
			s, creds, ib := service(t, backend, authn.Config{Now: clk.now})
			login := func(user, password, addr string) error {
				_, _, err := s.Login(ctx, authn.LoginRequest{User: user, Password: password, Source: addr})
				return err
			}
			// Four failures, then the window passes: no lock.
			for i := 0; i < 4; i++ {
				if err := login("ivanov", "wrong", "10.0.0.1"); !errors.Is(err, authn.ErrBadCredentials) {
					t.Fatalf("failure %d: %v", i, err)
				}
			}
			clk.add(16 * time.Minute)
			if err := login("ivanov", "wrong", "10.0.0.1"); !errors.Is(err, authn.ErrBadCredentials) {
				t.Fatalf("after the window: %v", err)
			}
			if err := login("ivanov", creds.Passwords["ivanov"], "10.0.0.1"); err != nil {
				t.Fatalf("not locked yet: %v", err)
			}
			// A success clears the count; five in a row lock.
			for i := 0; i < 5; i++ {
				if err := login("ivanov", "wrong", "10.0.0.2"); !errors.Is(err, authn.ErrBadCredentials) {
					t.Fatalf("failure %d: %v", i, err)
				}
			}
			var locked *authn.LockedError
			if err := login("ivanov", creds.Passwords["ivanov"], "10.0.0.3"); !errors.As(err, &locked) || locked.What != "user" {
				t.Fatalf("while locked: %v", err)
			}
			clk.add(14 * time.Minute)
			if err := login("ivanov", creds.Passwords["ivanov"], "10.0.0.3"); !errors.As(err, &locked) {
				t.Fatalf("still locked: %v", err)
			}
			clk.add(2 * time.Minute)
			if err := login("ivanov", creds.Passwords["ivanov"], "10.0.0.3"); err != nil {
				t.Fatalf("unlocked by time: %v", err)
			}
			// An administrator's lock lasts until an administrator unlocks.
			admin := authn.Actor{User: "admin", Source: "test"}
			if _, err := s.Lock(ctx, "petrov", admin); err != nil {
				t.Fatal(err)
			}
			clk.add(48 * time.Hour)
			if err := login("petrov", creds.Passwords["petrov"], "10.0.0.4"); !errors.As(err, &locked) {
				t.Fatalf("administrator's lock: %v", err)
			}
			if err := s.Unlock(ctx, "petrov", "", admin); err != nil {
				t.Fatal(err)
			}
			if err := login("petrov", creds.Passwords["petrov"], "10.0.0.4"); err != nil {
				t.Fatalf("unlocked by admin: %v", err)
			}
			// The address: 20 failures over many names lock it, for every name.
			for i := 0; i < 20; i++ {
				_ = login(fmt.Sprintf("nobody%d", i), "x", "10.9.9.9")
			}
			if err := login("admin", creds.Passwords["admin"], "10.9.9.9"); !errors.As(err, &locked) || locked.What != "address" {
				t.Fatalf("address lock: %v", err)
			}
			if err := login("admin", creds.Passwords["admin"], "10.9.9.8"); err != nil {
				t.Fatalf("another address: %v", err)
			}
			got := kinds(t, ib, eventlog.Filter{Kind: eventlog.AuthenticationLock})
			if len(got) != 3 {
				t.Errorf("lock events: %v", got)
			}
			if n := len(kinds(t, ib, eventlog.Filter{Kind: eventlog.AuthenticationError})); n < 30 {
				t.Errorf("%d failed attempts logged", n)
			}
		})
	}
}

// TestSecondFactor: TOTP accepted once per step, a wrong code counts
// toward lockout, recovery codes work once, delivered codes arrive through
// the sender.
func TestSecondFactor(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now().UTC()}
	sent := &captureSender{}
	s, creds, _ := service(t, "sqlite", authn.Config{Now: clk.now, Sender: sent})
	token, sess, err := s.Login(ctx, authn.LoginRequest{User: "sidorova", Password: creds.Passwords["sidorova"], Source: "10.1.1.1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Roles) != 0 || len(sess.Pending) != 1 || sess.Pending[0] != "Бухгалтер" {
		t.Fatalf("after the password: roles %v, pending %v", sess.Roles, sess.Pending)
	}
	code, _ := authn.TOTPCode(creds.TOTPSecret, clk.now())
	sess, err = s.VerifyOTP(ctx, token, code, "10.1.1.1")
	if err != nil || !sess.Has("Бухгалтер") || !sess.HasMethod("totp") {
		t.Fatalf("TOTP: %v %v", sess, err)
	}
	// The same code in a second session: refused (one use per step).
	token2, _, err := s.Login(ctx, authn.LoginRequest{User: "sidorova", Password: creds.Passwords["sidorova"], Source: "10.1.1.1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyOTP(ctx, token2, code, "10.1.1.1"); !errors.Is(err, authn.ErrBadCredentials) {
		t.Fatalf("replay: %v", err)
	}
	clk.add(30 * time.Second)
	next, _ := authn.TOTPCode(creds.TOTPSecret, clk.now())
	if _, err := s.VerifyOTP(ctx, token2, next, "10.1.1.1"); err != nil {
		t.Fatalf("next step: %v", err)
	}
	// Recovery codes: each works once.
	codes, err := s.NewRecoveryCodes(ctx, "sidorova", 3, authn.Actor{User: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	token3, _, _ := s.Login(ctx, authn.LoginRequest{User: "sidorova", Password: creds.Passwords["sidorova"], Source: "10.1.1.1"})
	if sess, err := s.VerifyOTP(ctx, token3, codes[1], "10.1.1.1"); err != nil || !sess.HasMethod("recovery") {
		t.Fatalf("recovery code: %v", err)
	}
	token4, _, _ := s.Login(ctx, authn.LoginRequest{User: "sidorova", Password: creds.Passwords["sidorova"], Source: "10.1.1.1"})
	if _, err := s.VerifyOTP(ctx, token4, codes[1], "10.1.1.1"); !errors.Is(err, authn.ErrBadCredentials) {
		t.Fatalf("used recovery code: %v", err)
	}
	// A delivered code.
	if _, err := s.SendCode(ctx, token4, ""); err != nil {
		t.Fatal(err)
	}
	if sent.device != "sidorova@example.com" || len(sent.code) != 6 {
		t.Fatalf("sent %q to %q", sent.code, sent.device)
	}
	if sess, err := s.VerifyOTP(ctx, token4, sent.code, "10.1.1.1"); err != nil || !sess.HasMethod("code") {
		t.Fatalf("delivered code: %v", err)
	}
	// Wrong codes count toward lockout like wrong passwords (a success
	// above cleared the earlier ones): five lock the account.
	token5, _, _ := s.Login(ctx, authn.LoginRequest{User: "sidorova", Password: creds.Passwords["sidorova"], Source: "10.1.1.2"})
	for i := 0; i < 5; i++ {
		if _, err := s.VerifyOTP(ctx, token5, "000000", "10.1.1.2"); !errors.Is(err, authn.ErrBadCredentials) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	var locked *authn.LockedError
	good, _ := authn.TOTPCode(creds.TOTPSecret, clk.now().Add(30*time.Second))
	clk.add(30 * time.Second)
	if _, err := s.VerifyOTP(ctx, token5, good, "10.1.1.2"); !errors.As(err, &locked) {
		t.Fatalf("after wrong codes: %v", err)
	}
}

type captureSender struct{ user, device, code string }

func (c *captureSender) Send(_ context.Context, user, device, code string) error {
	c.user, c.device, c.code = user, device, code
	return nil
}

// TestPasswordChange: the old password is verified, the policy applies
// (reuse, minimum age), CannotChangePassword refuses, and the new one
// logs in.
func TestPasswordChange(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now().UTC()}
	s, creds, ib := service(t, "postgres", authn.Config{Now: clk.now})
	old := creds.Passwords["petrov"]
	if err := s.ChangePassword(ctx, authn.PasswordChange{User: "petrov", Old: "wrong", New: "Petrov-New-1!", Source: "cli"}); !errors.Is(err, authn.ErrBadCredentials) {
		t.Fatalf("wrong old: %v", err)
	}
	var pe *authn.PolicyError
	if err := s.ChangePassword(ctx, authn.PasswordChange{User: "petrov", Old: old, New: "short", Source: "cli"}); !errors.As(err, &pe) || !pe.Has(authn.ViolationTooShort) {
		t.Fatalf("policy: %v", err)
	}
	if err := s.ChangePassword(ctx, authn.PasswordChange{User: "petrov", Old: old, New: old, Source: "cli"}); !errors.As(err, &pe) || !pe.Has(authn.ViolationReused) {
		t.Fatalf("reuse: %v", err)
	}
	if err := s.ChangePassword(ctx, authn.PasswordChange{User: "petrov", Old: old, New: "Petrov-New-1!", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Login(ctx, authn.LoginRequest{User: "petrov", Password: "Petrov-New-1!", Source: "cli"}); err != nil {
		t.Fatalf("new password: %v", err)
	}
	if _, _, err := s.Login(ctx, authn.LoginRequest{User: "petrov", Password: old, Source: "cli"}); !errors.Is(err, authn.ErrBadCredentials) {
		t.Fatalf("old password still works: %v", err)
	}
	set, _ := s.Settings(ctx)
	set.Policy.MinAge = 24 * time.Hour
	if err := s.SetSettings(ctx, set, authn.Actor{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassword(ctx, authn.PasswordChange{User: "petrov", Old: "Petrov-New-1!", New: "Petrov-New-2!", Source: "cli"}); !errors.As(err, &pe) || !pe.Has(authn.ViolationTooSoon) {
		t.Fatalf("minimum age: %v", err)
	}
	if _, err := s.UpdateUser(ctx, "ivanov", func(u *infobase.User) error { u.CannotChangePassword = true; return nil }, authn.Actor{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassword(ctx, authn.PasswordChange{User: "ivanov", Old: creds.Passwords["ivanov"], New: "Ivanov-New-1!", Source: "cli"}); !errors.Is(err, authn.ErrCannotChangePassword) {
		t.Fatalf("cannot change: %v", err)
	}
	// The list the stored policy names is loaded by the service itself.
	abs, err := filepath.Abs("testdata/compromised-plain.txt")
	if err != nil {
		t.Fatal(err)
	}
	set.Policy.MinAge, set.Policy.CompromisedFile = 0, abs
	if err := s.SetSettings(ctx, set, authn.Actor{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetPassword(ctx, "sidorova", "P@ssw0rd2024", false, authn.Actor{User: "admin"}); !errors.As(err, &pe) || !pe.Has(authn.ViolationCompromised) {
		t.Fatalf("compromised list from the policy: %v", err)
	}
	got := kinds(t, ib, eventlog.Filter{Kind: "_$User$_.PasswordChange", User: "petrov"})
	if len(got) != 1 {
		t.Errorf("password change events of petrov: %v", got)
	}
}

// TestSessionExpiry: idle and absolute expiry, revocation on the next
// request.
func TestSessionExpiry(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now().UTC()}
	s, creds, _ := service(t, "sqlite", authn.Config{Now: clk.now})
	login := func() string {
		tok, _, err := s.Login(ctx, authn.LoginRequest{User: "ivanov", Password: creds.Passwords["ivanov"], Source: "x"})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	tok := login()
	clk.add(29 * time.Minute)
	if _, err := s.Authenticate(ctx, tok); err != nil {
		t.Fatalf("within idle time: %v", err)
	}
	clk.add(31 * time.Minute)
	if _, err := s.Authenticate(ctx, tok); !errors.Is(err, authn.ErrSessionInvalid) {
		t.Fatalf("idle: %v", err)
	}
	tok = login()
	for i := 0; i < 25; i++ {
		clk.add(29 * time.Minute)
		if _, err := s.Authenticate(ctx, tok); err != nil {
			if i < 24 {
				t.Fatalf("used every 29 minutes, refused after %d: %v", i, err)
			}
		}
	}
	if _, err := s.Authenticate(ctx, tok); !errors.Is(err, authn.ErrSessionInvalid) {
		t.Fatalf("absolute expiry: %v", err)
	}
	tok = login()
	list, err := s.Sessions(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("sessions: %v %v", list, err)
	}
	if err := s.Revoke(ctx, list[0].ID, authn.Actor{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, tok); !errors.Is(err, authn.ErrSessionInvalid) {
		t.Fatalf("revoked: %v", err)
	}
}

// TestUnknownUserCostsTheSame: an unknown user and a wrong password run
// the same hash; the ratio of their median times stays near 1.
func TestUnknownUserCostsTheSame(t *testing.T) {
	ctx := context.Background()
	// Real-sized hashing dominates the time, as in production.
	s, _, _ := service(t, "sqlite", authn.Config{Hash: authn.HashParams{Memory: 16 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}})
	creds := map[string]string{}
	_ = creds
	if _, err := s.SetPassword(ctx, "ivanov", "Ivanov-Timing-1!", false, authn.Actor{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	set, _ := s.Settings(ctx)
	set.Lockout.MaxFailures, set.Lockout.AddressMaxFailures = 1000, 1000
	if err := s.SetSettings(ctx, set, authn.Actor{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	var unknown, wrong []time.Duration
	for i := 0; i < 15; i++ {
		start := time.Now()
		_, _, err := s.Login(ctx, authn.LoginRequest{User: fmt.Sprintf("ghost%d", i), Password: "Nope-123!", Source: "t"})
		unknown = append(unknown, time.Since(start))
		if !errors.Is(err, authn.ErrBadCredentials) {
			t.Fatal(err)
		}
		start = time.Now()
		_, _, err = s.Login(ctx, authn.LoginRequest{User: "ivanov", Password: "Nope-123!", Source: "t"})
		wrong = append(wrong, time.Since(start))
		if !errors.Is(err, authn.ErrBadCredentials) {
			t.Fatal(err)
		}
	}
	ratio := float64(median(unknown)) / float64(median(wrong))
	t.Logf("unknown user / wrong password: %.2f (medians %v / %v)", ratio, median(unknown), median(wrong))
	if ratio < 0.5 || ratio > 2 {
		t.Errorf("an unknown user costs %.2f× a wrong password: the difference tells names apart", ratio)
	}
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

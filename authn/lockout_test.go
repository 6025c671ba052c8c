package authn_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// burstResult sorts the answers of a burst's attempts: passed, refused
// after a verification (ErrBadCredentials), or refused before one.
type burstResult struct {
	passed, wrong, refused int
	rightRefused           bool
	other                  []error
}

// burstInFlight bounds the attempts of a burst running at once.
const burstInFlight = 32

// burst runs n attempts concurrently, burstInFlight at a time, and sorts
// their answers.
func burst(t *testing.T, n, right int, attempt func(ctx context.Context, i int) error) burstResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := make(chan struct{})
	errs := make([]error, n)
	// At most burstInFlight attempts run at once: far more than any limit,
	// so they still race for it, and few enough that the connections they
	// hold stay under PostgreSQL's default max_connections (100) while
	// other test binaries use the same server.
	inFlight := make(chan struct{}, burstInFlight)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			inFlight <- struct{}{}
			defer func() { <-inFlight }()
			errs[i] = attempt(ctx, i)
		}()
	}
	close(start)
	wg.Wait()
	var r burstResult
	for i, err := range errs {
		var locked *authn.LockedError
		switch {
		case err == nil:
			r.passed++
		case errors.Is(err, authn.ErrBadCredentials):
			r.wrong++
		case errors.As(err, &locked), errors.Is(err, authn.ErrTooManyAttempts):
			r.refused++
			if i == right {
				r.rightRefused = true
			}
		default:
			r.other = append(r.other, err)
		}
	}
	return r
}

// processes opens the demo infobase on a fresh database of the backend n
// times, each with a service of its own — as n processes serving one
// database would — and gives the demo its credentials through the first.
func processes(t *testing.T, backend string, n int, cfg authn.Config) ([]*authn.Service, *demo.Credentials, *infobase.Infobase) {
	t.Helper()
	ctx := context.Background()
	dsn := testdb.DSN(t, backend)
	db, err := infobase.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Create(ctx, db); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if cfg.Hash == (authn.HashParams{}) {
		cfg.Hash = testdemo.FastHash
	}
	var list []*authn.Service
	var first *infobase.Infobase
	for i := range n {
		ib, err := infobase.OpenInfobase(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ib.Close() })
		c := cfg
		c.Hashing = authn.NewHashGate(16, 1000, time.Minute) // a gate per process
		s, err := authn.New(ctx, ib, c)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = ib
		}
		list = append(list, s)
	}
	creds, err := demo.Secure(ctx, list[0])
	if err != nil {
		t.Fatal(err)
	}
	return list, creds, first
}

// TestLockoutUnderConcurrency: a burst of concurrent wrong guesses, the
// right one among them, is checked against the lockout limits one at a
// time — passwords (50) and OTP codes (200), in one process or spread
// over two on one database: no more wrong guesses are verified than the
// limit allows (counted again after a success), and once the account is
// locked a burst is refused whole, the right value too, without a guess
// verified.
func TestLockoutUnderConcurrency(t *testing.T) {
	for _, backend := range testdb.Backends {
		for _, tc := range []struct {
			name      string
			n         int
			processes int
			// prepare returns the attempt of the burst: the right value at
			// index right, a wrong one elsewhere; attempt i goes through
			// service i modulo the processes.
			prepare func(t *testing.T, ss []*authn.Service, right int, secret, password string) func(ctx context.Context, i int) error
			user    string
		}{
			{name: "passwords", n: 50, processes: 1, user: "petrov", prepare: passwordBurst},
			{name: "passwords, two processes", n: 50, processes: 2, user: "petrov", prepare: passwordBurst},
			{name: "otp codes", n: 200, processes: 1, user: "sidorova", prepare: otpBurst},
			{name: "otp codes, two processes", n: 200, processes: 2, user: "sidorova", prepare: otpBurst},
		} {
			t.Run(backend+"/"+tc.name, func(t *testing.T) {
				// Hashing is bounded by far more slots than the limit, so
				// attempts really race for it.
				ss, creds, ib := processes(t, backend, tc.processes, authn.Config{})
				s := ss[0]
				set, err := s.Settings(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				limit := set.Lockout.MaxFailures
				right := tc.n / 2
				attempt := tc.prepare(t, ss, right, creds.TOTPSecret, creds.Passwords[tc.user])

				r := burst(t, tc.n, right, attempt)
				t.Logf("first burst: %d passed, %d wrong verified, %d refused", r.passed, r.wrong, r.refused)
				if len(r.other) > 0 {
					t.Fatalf("unexpected errors: %v", r.other)
				}
				// A success counts failures anew, so with the right value
				// passed the limit may be reached once before it and once
				// after; refused, only once.
				if max := limit; r.passed == 0 && r.wrong > max || r.passed == 1 && r.wrong > 2*max-1 || r.passed > 1 {
					t.Errorf("%d wrong guesses verified (%d passed); the limit is %d", r.wrong, r.passed, limit)
				}
				if r.passed == 0 && !r.rightRefused {
					t.Errorf("the right value neither passed nor was refused")
				}

				// Locked now (or made so), a burst is refused whole.
				var locked *authn.LockedError
				for i := 0; !errors.As(attempt(context.Background(), -1), &locked); i++ {
					if i > limit {
						t.Fatalf("not locked after %d more failures", i)
					}
				}
				r = burst(t, tc.n, right, attempt)
				if r.passed != 0 || r.wrong != 0 || !r.rightRefused || len(r.other) > 0 {
					t.Errorf("while locked: %d passed, %d wrong verified, right refused %v, errors %v", r.passed, r.wrong, r.rightRefused, r.other)
				}
				locks := kinds(t, ib, eventlog.Filter{Kind: eventlog.AuthenticationLock, User: tc.user})
				if len(locks) == 0 {
					t.Errorf("no lock logged for %s", tc.user)
				}
			})
		}
	}
}

// passwordBurst logs petrov in, with the right password at index right.
func passwordBurst(t *testing.T, ss []*authn.Service, right int, _, password string) func(context.Context, int) error {
	return func(ctx context.Context, i int) error {
		pw := fmt.Sprintf("Wrong-%d-2026!", i)
		if i == right {
			pw = password
		}
		_, _, err := ss[max(i, 0)%len(ss)].Login(ctx, authn.LoginRequest{User: "petrov", Password: pw, Source: "10.7.7.7"})
		return err
	}
}

// otpBurst passes sidorova's second factor in one session, with the right
// TOTP code at index right and codes of no step near now elsewhere.
func otpBurst(t *testing.T, ss []*authn.Service, right int, secret, password string) func(context.Context, int) error {
	token, _, err := ss[0].Login(context.Background(), authn.LoginRequest{User: "sidorova", Password: password, Source: "10.7.7.8"})
	if err != nil {
		t.Fatal(err)
	}
	valid := map[string]bool{}
	for d := -3; d <= 3; d++ {
		c, _ := authn.TOTPCode(secret, time.Now().Add(time.Duration(d)*30*time.Second))
		valid[c] = true
	}
	return func(ctx context.Context, i int) error {
		code := fmt.Sprintf("%06d", 100000+i)
		for valid[code] {
			code = fmt.Sprintf("%06d", 900000+i)
		}
		if i == right {
			code, _ = authn.TOTPCode(secret, time.Now())
		}
		_, err := ss[max(i, 0)%len(ss)].VerifyOTP(ctx, token, code, "10.7.7.8")
		return err
	}
}

// TestUserNameAtLogin: the name typed at a login is trimmed and
// NFC-normalised, found in any letter case, and counted and logged under
// the account's own name; a name too long or holding control characters
// is refused as such, before any lookup.
func TestUserNameAtLogin(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			s, creds, ib := service(t, backend, authn.Config{})
			login := func(name, password string) error {
				_, _, err := s.Login(ctx, authn.LoginRequest{User: name, Password: password, Source: "10.3.3.3"})
				return err
			}
			// Every form of petrov's name finds petrov; wrong passwords
			// count toward locking petrov and are logged under petrov.
			forms := []string{"PeTrOv", "  petrov\t", strings.Repeat("\u3000", 300000) + "petrov", "PETROV\u00a0", "petrov"}
			for _, name := range forms {
				if err := login(name, "Wrong-2026!"); !errors.Is(err, authn.ErrBadCredentials) {
					t.Fatalf("%.20q: %v", name, err)
				}
			}
			var locked *authn.LockedError
			if err := login("Petrov", creds.Passwords["petrov"]); !errors.As(err, &locked) || locked.Name != "petrov" {
				t.Fatalf("after %d failures under other spellings: %v", len(forms), err)
			}
			failures := kinds(t, ib, eventlog.Filter{Kind: eventlog.AuthenticationError, User: "petrov"})
			if len(failures) != len(forms)+1 {
				t.Errorf("%d failures logged under petrov, want %d", len(failures), len(forms)+1)
			}
			if got := kinds(t, ib, eventlog.Filter{Kind: eventlog.AuthenticationLock, User: "petrov"}); len(got) != 1 {
				t.Errorf("lock events of petrov: %v", got)
			}
			// Unknown names are logged as typed, normalised.
			if err := login(" Nobody\u0065\u0301 ", "x"); !errors.Is(err, authn.ErrBadCredentials) {
				t.Fatal(err)
			}
			if got := kinds(t, ib, eventlog.Filter{Kind: eventlog.AuthenticationError, User: "Nobody\u00e9"}); len(got) != 1 {
				t.Errorf("an unknown name's failure is logged as %v", got)
			}
			// Names refused before any lookup.
			for _, name := range []string{strings.Repeat("я", 129), "pet\x00rov", "petrov\nadmin", "\x1b[2Jpetrov", "", "   "} {
				err := login(name, "x")
				var bad *infobase.UserNameError
				if !errors.As(err, &bad) {
					t.Errorf("%.20q: %v, want a *infobase.UserNameError", name, err)
				}
			}
			if err := login(strings.Repeat("я", 128), "x"); !errors.Is(err, authn.ErrBadCredentials) {
				t.Errorf("a name of 128 characters: %v", err)
			}
		})
	}
}

package audit_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dostup/audit"
	"dostup/authn"
	"dostup/internal/testdb"
	"dostup/internal/testdemo"
)

// TestReadDemo reads the demo infobase on each backend after a login and a
// failed one, and checks what the audit says of its users, roles and a
// user's effective rights.
func TestReadDemo(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			svc, creds, ib := testdemo.Secure(t, backend, authn.Config{})
			before := time.Now().Add(-time.Second)
			if _, _, err := svc.Login(ctx, authn.LoginRequest{User: "ivanov", Password: creds.Passwords["ivanov"], Source: "10.0.0.1"}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := svc.Login(ctx, authn.LoginRequest{User: "petrov", Password: "wrong", Source: "10.0.0.2"}); err == nil {
				t.Fatal("a wrong password logged in")
			}
			a, err := audit.Read(ctx, ib, "demo")
			if err != nil {
				t.Fatal(err)
			}
			if !a.HasUsers || a.LogSince.IsZero() || a.LogSince.After(time.Now()) {
				t.Errorf("has users %v, log since %v", a.HasUsers, a.LogSince)
			}
			byName := map[string]audit.User{}
			for _, u := range a.Users {
				byName[u.Name] = u
			}
			ivanov, petrov, sidorova := byName["ivanov"], byName["petrov"], byName["sidorova"]
			if ivanov.LastLogin.Before(before) || !ivanov.LastFailure.IsZero() || !petrov.LastLogin.IsZero() || petrov.LastFailure.Before(before) {
				t.Errorf("last logins: ivanov %v/%v, petrov %v/%v", ivanov.LastLogin, ivanov.LastFailure, petrov.LastLogin, petrov.LastFailure)
			}
			if !ivanov.PasswordSet || ivanov.PasswordAgeDays == nil || *ivanov.PasswordAgeDays != 0 || !slices.Contains(ivanov.Authentication, "password") ||
				!slices.Equal(ivanov.Roles, []string{"Менеджер"}) {
				t.Errorf("ivanov: %+v", ivanov)
			}
			if !slices.Contains(sidorova.SecondFactor, "totp") || !slices.Contains(sidorova.SecondFactor, "recovery") && len(sidorova.SecondFactor) != 1 {
				t.Errorf("sidorova's second factor: %v", sidorova.SecondFactor)
			}
			// ivanov's session held Менеджер: the role is used; a role no
			// session held is not.
			findings := audit.Findings(a, audit.Options{Policy: audit.DefaultPolicy()})
			unused := map[string]bool{}
			for _, f := range findings {
				if f.Infobase != "demo" {
					t.Errorf("finding of infobase %q", f.Infobase)
				}
				if f.Code == audit.CodeUnusedRole {
					unused[f.Role] = true
				}
			}
			if unused["Менеджер"] || !unused["Бухгалтер"] {
				t.Errorf("unused roles %v: Менеджер had a session, Бухгалтер none", unused)
			}
			// The whole audit carries the same rows.
			run := audit.Run(a, audit.Options{Policy: audit.DefaultPolicy()})
			if run.Infobase != "demo" || len(run.Users) != len(a.Users) || len(run.Grants) == 0 || len(run.Memberships) == 0 || len(run.Findings) != len(findings) {
				t.Errorf("run: %d users, %d grants, %d memberships, %d findings", len(run.Users), len(run.Grants), len(run.Memberships), len(run.Findings))
			}
		})
	}
}

func TestEffective(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			ib := testdemo.Open(t, backend)
			ctx := context.Background()
			rights, err := audit.Effective(ctx, ib, "ivanov", "Catalog.Контрагенты")
			if err != nil {
				t.Fatal(err)
			}
			var read *audit.EffectiveRight
			for i, r := range rights {
				if r.Object != "Справочник.Контрагенты" || r.User != "ivanov" || !slices.Equal(r.Roles, []string{"Менеджер"}) {
					t.Errorf("right %+v", r)
				}
				if r.Right == "Чтение" {
					read = &rights[i]
				}
			}
			if read == nil || !read.Restricted || len(read.Restrictions) == 0 {
				t.Fatalf("ivanov reads Справочник.Контрагенты under the manager's restriction; got %+v", rights)
			}
			// The text is the one the session reads: no template call or
			// preprocessor instruction is left in it.
			for _, x := range read.Restrictions {
				if x.Role != "Менеджер" || x.Text == "" || strings.Contains(x.Text, "#") {
					t.Errorf("restriction %+v", x)
				}
			}
			whole, err := audit.Effective(ctx, ib, "admin", audit.ConfigurationObject)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range whole {
				found = found || r.Right == "Администрирование"
				if r.Object != audit.ConfigurationObject || len(r.Restrictions) != 0 {
					t.Errorf("right %+v", r)
				}
			}
			if !found {
				t.Errorf("admin holds Администрирование: %+v", whole)
			}
			if _, err := audit.Effective(ctx, ib, "ivanov", "Справочник.Нет"); err == nil || !strings.Contains(err.Error(), "no object Справочник.Нет") {
				t.Errorf("unknown object: %v", err)
			}
			if _, err := audit.Effective(ctx, ib, "nobody", "Справочник.Контрагенты"); err == nil {
				t.Error("an unknown user has effective rights")
			}
		})
	}
}

// TestEach: the pool runs every entry, no more than jobs at once, keeps
// the entries' order, and a failure stops nothing.
func TestEach(t *testing.T) {
	entries := make([]audit.Entry, 9)
	for i := range entries {
		entries[i] = audit.Entry{Name: string(rune('a' + i))}
	}
	var running, peak, done atomic.Int32
	out := audit.Each(context.Background(), entries, 3, func(_ context.Context, e audit.Entry) (string, error) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		if e.Name == "d" {
			return "", errors.New("broken")
		}
		return strings.ToUpper(e.Name), nil
	}, func(audit.Entry, error) { done.Add(1) })
	if peak.Load() > 3 || done.Load() != 9 {
		t.Errorf("peak %d, done %d", peak.Load(), done.Load())
	}
	for i, o := range out {
		want := strings.ToUpper(entries[i].Name)
		switch {
		case o.Entry.Name != entries[i].Name:
			t.Errorf("outcome %d is %s", i, o.Entry.Name)
		case o.Entry.Name == "d":
			if o.Err == nil || o.Err.Error() != "d: broken" {
				t.Errorf("d: %v", o.Err)
			}
		case o.Err != nil || o.Value != want:
			t.Errorf("%s: %q %v", o.Entry.Name, o.Value, o.Err)
		}
	}
}

package authn_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"dostup/authn"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/internal/testdemo"
)

// TestSessionCache: sessions are answered from memory for a moment, yet
// every change made through the service shows at the next request, and a
// change made by another service on the same database (another process)
// shows within a second.
func TestSessionCache(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			svc, creds, ib := service(t, backend, authn.Config{})
			other, err := authn.New(ctx, ib, authn.Config{Hash: testdemo.FastHash})
			if err != nil {
				t.Fatal(err)
			}
			admin := authn.Actor{User: "admin", Source: "test"}
			login := func(user string) (string, *authn.Session) {
				t.Helper()
				token, sess, err := svc.Login(ctx, authn.LoginRequest{User: user, Password: creds.Passwords[user], Source: "10.0.0.9"})
				if err != nil {
					t.Fatal(err)
				}
				return token, sess
			}
			refused := func(s *authn.Service, token string) bool {
				_, err := s.Authenticate(ctx, token)
				return errors.Is(err, authn.ErrSessionInvalid)
			}
			// Read twice: the second from memory, the same session.
			token, sess := login("ivanov")
			a, err := svc.Authenticate(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			a.Roles = append(a.Roles, "Бухгалтер") // a caller's change stays its own
			b, err := svc.Authenticate(ctx, token)
			if err != nil || b.ID != sess.ID || slices.Contains(b.Roles, "Бухгалтер") {
				t.Fatalf("second read: %+v, %v", b, err)
			}
			// A revocation through this service: refused at once.
			if err := svc.Revoke(ctx, sess.ID, admin); err != nil {
				t.Fatal(err)
			}
			if !refused(svc, token) {
				t.Error("a revoked session is answered from memory")
			}
			// A logout through another service (another process on the
			// database): refused within a second.
			token, _ = login("petrov")
			if refused(svc, token) {
				t.Fatal("a fresh session is refused")
			}
			if err := other.Logout(ctx, token); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(time.Second)
			for !refused(svc, token) {
				if time.Now().After(deadline) {
					t.Fatal("another process's logout is not seen within a second")
				}
				time.Sleep(20 * time.Millisecond)
			}
			// The memory is what answers: a session deleted behind the
			// service's back is still answered, until its moment runs out.
			token, sess = login("petrov")
			if _, err := svc.Authenticate(ctx, token); err != nil {
				t.Fatal(err)
			}
			if _, err := ib.DB.SQL.ExecContext(ctx, "DELETE FROM _dostup_auth_sessions WHERE id = "+ib.DB.Dialect.Placeholder(1), sess.ID); err != nil {
				t.Fatal(err)
			}
			if refused(svc, token) {
				t.Error("the session was not answered from memory")
			}
			time.Sleep(600 * time.Millisecond)
			if !refused(svc, token) {
				t.Error("a deleted session is still answered after its moment")
			}
			// An administrator asking for a password change: the next
			// request shows it.
			token, _ = login("ivanov")
			if s, err := svc.Authenticate(ctx, token); err != nil || s.PasswordChangeRequired {
				t.Fatalf("before: %+v %v", s, err)
			}
			if _, err := svc.UpdateUser(ctx, "ivanov", func(u *infobase.User) error { u.MustChangePassword = true; return nil }, admin); err != nil {
				t.Fatal(err)
			}
			if s, err := svc.Authenticate(ctx, token); err != nil || !s.PasswordChangeRequired {
				t.Errorf("after the administrator asked for a change: %+v %v", s, err)
			}
		})
	}
}

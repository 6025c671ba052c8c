package authn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"dostup/eventlog"
)

// LockedError refuses an attempt while the account or the source address
// is locked.
type LockedError struct {
	// What is locked: "user" or "address".
	What  string
	Name  string
	Until time.Time
}

func (e *LockedError) Error() string {
	if e.Until.Year() >= 9999 {
		return fmt.Sprintf("%s %s is locked by an administrator", e.What, e.Name)
	}
	return fmt.Sprintf("%s %s is locked until %s after repeated failures", e.What, e.Name, e.Until.Format(time.RFC3339))
}

// ErrBadCredentials is every failed password or OTP check: it does not
// tell an unknown user from a wrong password.
var ErrBadCredentials = errors.New("wrong user name, password or code")

// forever is the end of an administrator's lock.
var forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func userLockKey(name string) string    { return "user:" + lower(name) }
func addressLockKey(addr string) string { return "address:" + addr }

// locked returns the lock on the user or the address in force now, if any.
func (s *Service) locked(ctx context.Context, user, addr string) (*LockedError, error) {
	now := s.now().UnixMicro()
	for _, k := range []struct{ what, name, key string }{{"user", user, userLockKey(user)}, {"address", addr, addressLockKey(addr)}} {
		if k.name == "" {
			continue
		}
		var until int64
		err := s.ib.DB.SQL.QueryRowContext(ctx, "SELECT until FROM "+s.q(locksTable)+" WHERE lock_key = "+s.p(1), k.key).Scan(&until)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if until > now {
			return &LockedError{What: k.what, Name: k.name, Until: time.UnixMicro(until).UTC()}, nil
		}
	}
	return nil, nil
}

// failed records a failed attempt of a user (known or not) from an
// address, and locks either when its failures within the window reach the
// limit; the locks are logged.
func (s *Service) failed(ctx context.Context, user, addr, session string) error {
	set, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	since := now.Add(-set.Lockout.Window).UnixMicro()
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer s.done(tx)
	for _, k := range []struct {
		what, name, key string
		limit           int
	}{{"user", user, userLockKey(user), set.Lockout.MaxFailures}, {"address", addr, addressLockKey(addr), set.Lockout.AddressMaxFailures}} {
		if k.name == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+s.q(failuresTable)+" (lock_key, at) VALUES ("+s.p(1)+", "+s.p(2)+")", k.key, now.UnixMicro()); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+s.q(failuresTable)+" WHERE lock_key = "+s.p(1)+" AND at > "+s.p(2), k.key, since).Scan(&n); err != nil {
			return err
		}
		if n < k.limit {
			continue
		}
		until := now.Add(set.Lockout.Duration)
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(locksTable)+" WHERE lock_key = "+s.p(1), k.key); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+s.q(locksTable)+" (lock_key, until, reason) VALUES ("+s.p(1)+", "+s.p(2)+", "+s.p(3)+")", k.key, until.UnixMicro(), "failures"); err != nil {
			return err
		}
		// The count starts over: after the lock ends, the next N failures lock again.
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(failuresTable)+" WHERE lock_key = "+s.p(1), k.key); err != nil {
			return err
		}
		ev := eventlog.Event{Kind: eventlog.AuthenticationLock, Level: eventlog.Warning, Source: addr, Session: session, Object: k.name,
			Data: map[string]any{"locked": k.what, "until": until.Format(time.RFC3339), "failures": n}}
		if k.what == "user" {
			ev.User = k.name
		}
		if err := s.log.AppendTx(ctx, tx, ev); err != nil {
			return err
		}
	}
	// Old failures are of no use to any window: keep the table small.
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(failuresTable)+" WHERE at <= "+s.p(1), now.Add(-24*time.Hour-set.Lockout.Window).UnixMicro()); err != nil {
		return err
	}
	return tx.Commit()
}

// succeeded clears the user's failures after a successful check, so
// failures far apart never add up to a lock.
func (s *Service) succeeded(ctx context.Context, user string) error {
	// Most logins follow no failure: read first, so they write nothing.
	var one int
	err := s.ib.DB.SQL.QueryRowContext(ctx, "SELECT 1 FROM "+s.q(failuresTable)+" WHERE lock_key = "+s.p(1)+" LIMIT 1", userLockKey(user)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, "DELETE FROM "+s.q(failuresTable)+" WHERE lock_key = "+s.p(1), userLockKey(user))
	return err
}

// Lock locks a user's account until an administrator unlocks it.
func (s *Service) Lock(ctx context.Context, user string, by Actor) error {
	u, err := s.ib.User(ctx, user)
	if err != nil {
		return err
	}
	return s.setLock(ctx, "user", u.Name, userLockKey(u.Name), by)
}

// LockAddress locks a source address until an administrator unlocks it.
func (s *Service) LockAddress(ctx context.Context, addr string, by Actor) error {
	return s.setLock(ctx, "address", addr, addressLockKey(addr), by)
}

func (s *Service) setLock(ctx context.Context, what, name, key string, by Actor) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer s.done(tx)
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(locksTable)+" WHERE lock_key = "+s.p(1), key); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+s.q(locksTable)+" (lock_key, until, reason) VALUES ("+s.p(1)+", "+s.p(2)+", "+s.p(3)+")", key, forever.UnixMicro(), "administrator"); err != nil {
		return err
	}
	if err := s.log.AppendTx(ctx, tx, by.event(eventlog.AuthenticationLock, name, map[string]any{"locked": what, "by": "administrator"})); err != nil {
		return err
	}
	return tx.Commit()
}

// Unlock lifts the lock of a user (and forgets its failures); with
// address, the lock of that source address.
func (s *Service) Unlock(ctx context.Context, user, addr string, by Actor) error {
	type lockOf struct{ what, name, key string }
	var keys []lockOf
	if user != "" {
		u, err := s.ib.User(ctx, user)
		if err != nil {
			return err
		}
		keys = append(keys, lockOf{"user", u.Name, userLockKey(u.Name)})
	}
	if addr != "" {
		keys = append(keys, lockOf{"address", addr, addressLockKey(addr)})
	}
	if len(keys) == 0 {
		return errors.New("name a user or an address to unlock")
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer s.done(tx)
	for _, k := range keys {
		for _, table := range []string{locksTable, failuresTable} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(table)+" WHERE lock_key = "+s.p(1), k.key); err != nil {
				return err
			}
		}
		if err := s.log.AppendTx(ctx, tx, by.event(eventlog.AuthenticationUnlock, k.name, map[string]any{"unlocked": k.what})); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Lock is a lock in force.
type Lock struct {
	Key    string    `json:"key"` // "user:name" or "address:1.2.3.4"
	Until  time.Time `json:"until"`
	Reason string    `json:"reason"` // "failures" or "administrator"
}

// Locks lists the locks in force now.
func (s *Service) Locks(ctx context.Context) ([]Lock, error) {
	rows, err := s.ib.DB.SQL.QueryContext(ctx, "SELECT lock_key, until, reason FROM "+s.q(locksTable)+" WHERE until > "+s.p(1)+" ORDER BY lock_key", s.now().UnixMicro())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Lock
	for rows.Next() {
		var l Lock
		var until int64
		if err := rows.Scan(&l.Key, &until, &l.Reason); err != nil {
			return nil, err
		}
		l.Until = time.UnixMicro(until).UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}

package authn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"sync"
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

// Error tells a lock an administrator set (until year 9999) from one the
// failures set, which ends by itself.
func (e *LockedError) Error() string {
	if e.Until.Year() >= 9999 {
		return fmt.Sprintf("%s %s is locked by an administrator", e.What, e.Name)
	}
	return fmt.Sprintf("%s %s is locked until %s after repeated failures", e.What, e.Name, e.Until.Format(time.RFC3339))
}

// ErrBadCredentials is every failed password or OTP check: it does not
// tell an unknown user from a wrong password.
var ErrBadCredentials = errors.New("wrong user name, password or code")

// ErrTooManyAttempts refuses an attempt while as many others on the same
// account or address are being checked as would reach the lockout limit:
// whatever they turn out to be, one more could be a guess past it. Nothing
// was checked; the client may try again in a moment.
var ErrTooManyAttempts = errors.New("too many attempts under way for this account or address: try again in a moment")

// forever is the end of an administrator's lock.
var forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func userLockKey(name string) string    { return "user:" + lower(name) }
func addressLockKey(addr string) string { return "address:" + addr }

// Lockout holds under concurrent attempts, from one process or several on
// one database: an attempt first reserves itself against the limits of its
// keys (the account and the source address) in one short write
// transaction, which refuses it when a key is locked or when the key's
// failures within the window plus the attempts reserved and not yet
// settled reach the limit. Only then is the password or code verified; a
// failure turns the reservation into a failure (locking the key when its
// failures reach the limit), a success removes it and forgets the
// account's failures. So no more guesses are verified than the limit lets
// through, however many arrive at once, and a failure is counted even when
// the process dies while verifying: a reservation never settled counts as
// a failure until the window passes it.
//
// Transactions on a key take turns: on SQLite the one writer connection
// and its IMMEDIATE transactions order them across processes; on
// PostgreSQL a transaction-level advisory lock per key does. Within a
// process they also queue on keyLocks, so a burst waits in memory, not on
// database connections.

// lockKey is one thing an attempt counts against: an account or an
// address, with its limit.
type lockKey struct {
	what, name, key string
	limit           int
}

// attempt is a check reserved against the limits of its keys and not yet
// settled.
type attempt struct {
	id   string
	keys []lockKey
}

// lockKeys are the keys of an attempt by a user (a known account's own
// name, or the name as typed) from an address, in the order they are
// locked; "" leaves a key out.
func lockKeys(set Settings, user, addr string) []lockKey {
	var keys []lockKey
	if addr != "" {
		keys = append(keys, lockKey{"address", addr, addressLockKey(addr), set.Lockout.AddressMaxFailures})
	}
	if user != "" {
		keys = append(keys, lockKey{"user", user, userLockKey(user), set.Lockout.MaxFailures})
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].key < keys[j].key })
	return keys
}

// limitOf is a key's limit under the settings now in force.
func limitOf(set Settings, k lockKey) int {
	if k.what == "user" {
		return set.Lockout.MaxFailures
	}
	return set.Lockout.AddressMaxFailures
}

// isRefusal reports the answers of reserve that refuse an attempt, as
// opposed to failures of the database.
func isRefusal(err error) bool {
	var locked *LockedError
	return errors.As(err, &locked) || errors.Is(err, ErrTooManyAttempts)
}

// keyLocks are this process's turns on lockout keys: a fixed set of
// mutexes, a key taking the one its hash picks.
type keyLocks struct{ stripes [64]sync.Mutex }

// lock takes the turns of the keys, in one order so that two attempts
// never wait for each other; the function returned gives them back.
func (l *keyLocks) lock(keys []lockKey) func() {
	var idx []int
	for _, k := range keys {
		h := fnv.New32a()
		h.Write([]byte(k.key))
		if i := int(h.Sum32() % uint32(len(l.stripes))); !slices.Contains(idx, i) {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	for _, i := range idx {
		l.stripes[i].Lock()
	}
	return func() {
		for j := len(idx) - 1; j >= 0; j-- {
			l.stripes[idx[j]].Unlock()
		}
	}
}

// serialise makes the transaction take its turn on the keys for the rest
// of it: with advisory locks (PostgreSQL), taken in one order so that two
// transactions cannot deadlock; a single-writer database (SQLite) gives it
// already.
func (s *Service) serialise(ctx context.Context, tx *sql.Tx, keys []lockKey) error {
	lock := s.ib.DB.Dialect.AdvisoryLock(s.p(1))
	if lock == "" {
		return nil
	}
	var ids []int64
	for _, k := range keys {
		h := fnv.New64a()
		h.Write([]byte("dostup lockout " + k.key))
		if id := int64(h.Sum64()); !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, lock, id); err != nil {
			return err
		}
	}
	return nil
}

// lockOn returns the lock on a key in force now, if any.
func (s *Service) lockOn(ctx context.Context, tx *sql.Tx, k lockKey, now time.Time) (*LockedError, error) {
	var until int64
	err := tx.QueryRowContext(ctx, "SELECT until FROM "+s.q(locksTable)+" WHERE lock_key = "+s.p(1), k.key).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if until > now.UnixMicro() {
		return &LockedError{What: k.what, Name: k.name, Until: time.UnixMicro(until).UTC()}, nil
	}
	return nil, nil
}

// reserve reserves an attempt by user from addr against the lockout
// limits, or refuses it: a *LockedError while a key is locked,
// ErrTooManyAttempts while attempts under way would reach a limit. Any
// other error is the database's.
func (s *Service) reserve(ctx context.Context, user, addr, session string) (*attempt, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	a := &attempt{id: NewID(), keys: lockKeys(set, user, addr)}
	unlock := s.keyLocks.lock(a.keys)
	defer unlock()
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer s.done(tx)
	if err := s.serialise(ctx, tx, a.keys); err != nil {
		return nil, err
	}
	now := s.now()
	since := now.Add(-set.Lockout.Window).UnixMicro()
	for _, k := range a.keys {
		lock, err := s.lockOn(ctx, tx, k, now)
		if err != nil {
			return nil, err
		}
		if lock != nil {
			return nil, lock
		}
		var failures, pending int
		err = tx.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM "+s.q(failuresTable)+" WHERE lock_key = "+s.p(1)+" AND at > "+s.p(2)+
			"), (SELECT COUNT(*) FROM "+s.q(attemptsTable)+" WHERE lock_key = "+s.p(3)+" AND at > "+s.p(4)+")",
			k.key, since, k.key, since).Scan(&failures, &pending)
		if err != nil {
			return nil, err
		}
		if failures >= k.limit {
			// The limit was lowered below the failures counted: they lock now.
			lock, err := s.lockTx(ctx, tx, k, failures, now, set, addr, session)
			if err != nil {
				return nil, err
			}
			if err := tx.Commit(); err != nil {
				return nil, err
			}
			return nil, lock
		}
		if failures+pending >= k.limit {
			return nil, ErrTooManyAttempts
		}
	}
	for _, k := range a.keys {
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+s.q(attemptsTable)+" (id, lock_key, at) VALUES ("+s.p(1)+", "+s.p(2)+", "+s.p(3)+")", a.id, k.key, now.UnixMicro()); err != nil {
			return nil, err
		}
	}
	return a, tx.Commit()
}

// fail settles an attempt as a failure: it is counted against each key
// (locking those whose failures within the window reach the limit, the
// locks logged) in one transaction with events, the failure's own record.
func (s *Service) fail(ctx context.Context, a *attempt, source, session string, events ...eventlog.Event) error {
	set, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	unlock := s.keyLocks.lock(a.keys)
	defer unlock()
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer s.done(tx)
	if err := s.serialise(ctx, tx, a.keys); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(attemptsTable)+" WHERE id = "+s.p(1), a.id); err != nil {
		return err
	}
	if err := s.log.AppendTx(ctx, tx, events...); err != nil {
		return err
	}
	now := s.now()
	since := now.Add(-set.Lockout.Window).UnixMicro()
	for _, k := range a.keys {
		k.limit = limitOf(set, k)
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
		if _, err := s.lockTx(ctx, tx, k, n, now, set, source, session); err != nil {
			return err
		}
	}
	// Old failures and attempts are of no use to any window: keep the
	// tables small.
	old := now.Add(-24*time.Hour - set.Lockout.Window).UnixMicro()
	for _, table := range []string{failuresTable, attemptsTable} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(table)+" WHERE at <= "+s.p(1), old); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// lockTx locks a key after n failures, for the lockout's duration, and
// logs it; the count starts over, so after the lock ends the next limit of
// failures locks again.
func (s *Service) lockTx(ctx context.Context, tx *sql.Tx, k lockKey, n int, now time.Time, set Settings, source, session string) (*LockedError, error) {
	until := now.Add(set.Lockout.Duration)
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(locksTable)+" WHERE lock_key = "+s.p(1), k.key); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+s.q(locksTable)+" (lock_key, until, reason) VALUES ("+s.p(1)+", "+s.p(2)+", "+s.p(3)+")", k.key, until.UnixMicro(), "failures"); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(failuresTable)+" WHERE lock_key = "+s.p(1), k.key); err != nil {
		return nil, err
	}
	ev := eventlog.Event{Kind: eventlog.AuthenticationLock, Level: eventlog.Warning, Source: source, Session: session, Object: k.name,
		Data: map[string]any{"locked": k.what, "until": until.Format(time.RFC3339), "failures": n}}
	if k.what == "user" {
		ev.User = k.name
	}
	if err := s.log.AppendTx(ctx, tx, ev); err != nil {
		return nil, err
	}
	return &LockedError{What: k.what, Name: k.name, Until: until.UTC()}, nil
}

// passTx settles an attempt as a success inside the caller's transaction
// (the one that opens or raises the session): the reservation goes, the
// account's failures are forgotten, so failures far apart never add up to
// a lock. A lock an administrator put on a key while the attempt was
// verified refuses it still.
func (s *Service) passTx(ctx context.Context, tx *sql.Tx, a *attempt) error {
	// No keyLocks here: the caller holds the writer already, and a turn
	// taken now could wait for an attempt that waits for the writer.
	if err := s.serialise(ctx, tx, a.keys); err != nil {
		return err
	}
	now := s.now()
	for _, k := range a.keys {
		lock, err := s.lockOn(ctx, tx, k, now)
		if err != nil {
			return err
		}
		if lock != nil {
			return lock
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(attemptsTable)+" WHERE id = "+s.p(1), a.id); err != nil {
		return err
	}
	for _, k := range a.keys {
		if k.what != "user" {
			continue
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(failuresTable)+" WHERE lock_key = "+s.p(1), k.key); err != nil {
			return err
		}
	}
	return nil
}

// pass settles an attempt as a success in a transaction of its own.
func (s *Service) pass(ctx context.Context, a *attempt) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer s.done(tx)
	if err := s.passTx(ctx, tx, a); err != nil {
		return err
	}
	return tx.Commit()
}

// drop removes the reservation of an attempt that ended without an answer
// (a database error, a damaged hash, a success refused after all). Call it
// outside any transaction of the writer. Left in place it would count as a
// failure until the window passes it, which errs on the safe side, so its
// own error is not reported.
func (s *Service) drop(ctx context.Context, a *attempt) {
	if a == nil {
		return
	}
	_, _ = s.exec(context.WithoutCancel(ctx), "DELETE FROM "+s.q(attemptsTable)+" WHERE id = "+s.p(1), a.id)
}

// Lock locks a user's account until an administrator unlocks it and ends
// the user's sessions, in one transaction; it returns how many ended.
func (s *Service) Lock(ctx context.Context, user string, by Actor) (int, error) {
	u, err := s.ib.User(ctx, user)
	if err != nil {
		return 0, err
	}
	return s.setLock(ctx, lockKey{what: "user", name: u.Name, key: userLockKey(u.Name)}, by)
}

// LockAddress locks a source address until an administrator unlocks it.
func (s *Service) LockAddress(ctx context.Context, addr string, by Actor) error {
	_, err := s.setLock(ctx, lockKey{what: "address", name: addr, key: addressLockKey(addr)}, by)
	return err
}

func (s *Service) setLock(ctx context.Context, k lockKey, by Actor) (int, error) {
	unlock := s.keyLocks.lock([]lockKey{k})
	defer unlock()
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer s.done(tx)
	if err := s.serialise(ctx, tx, []lockKey{k}); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(locksTable)+" WHERE lock_key = "+s.p(1), k.key); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+s.q(locksTable)+" (lock_key, until, reason) VALUES ("+s.p(1)+", "+s.p(2)+", "+s.p(3)+")", k.key, forever.UnixMicro(), "administrator"); err != nil {
		return 0, err
	}
	if err := s.log.AppendTx(ctx, tx, by.event(eventlog.AuthenticationLock, k.name, map[string]any{"locked": k.what, "by": "administrator"})); err != nil {
		return 0, err
	}
	n := 0
	if k.what == "user" {
		if n, err = s.endSessionsTx(ctx, tx, k.name, "", "locked", true, by); err != nil {
			return 0, err
		}
	}
	return n, tx.Commit()
}

// Unlock lifts the lock of a user (and forgets its failures and the
// attempts reserved on it); with address, the lock of that source address.
func (s *Service) Unlock(ctx context.Context, user, addr string, by Actor) error {
	var keys []lockKey
	if user != "" {
		u, err := s.ib.User(ctx, user)
		if err != nil {
			return err
		}
		keys = append(keys, lockKey{what: "user", name: u.Name, key: userLockKey(u.Name)})
	}
	if addr != "" {
		keys = append(keys, lockKey{what: "address", name: addr, key: addressLockKey(addr)})
	}
	if len(keys) == 0 {
		return errors.New("name a user or an address to unlock")
	}
	unlock := s.keyLocks.lock(keys)
	defer unlock()
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer s.done(tx)
	if err := s.serialise(ctx, tx, keys); err != nil {
		return err
	}
	for _, k := range keys {
		// Attempts too: those of a process that died while verifying would
		// otherwise count until the window passes them.
		for _, table := range []string{locksTable, failuresTable, attemptsTable} {
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

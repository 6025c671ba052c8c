package authn

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"dostup/eventlog"
)

// Session is an authenticated session: who, from where, since when, how
// authenticated and which roles are active. Its token is never stored.
type Session struct {
	ID          string    `json:"id"`
	Application string    `json:"application,omitempty"`
	User        string    `json:"user,omitempty"`
	Source      string    `json:"source,omitempty"`
	Created     time.Time `json:"created"`
	LastSeen    time.Time `json:"last_seen"`
	Expires     time.Time `json:"expires"`
	// Methods are the checks passed, in order: "application",
	// "password", "totp", "code", "recovery".
	Methods []string `json:"methods"`
	// Roles are the roles active now.
	Roles []string `json:"roles"`
	// Pending are roles of the user that a second factor would add.
	Pending []string `json:"pending_roles,omitempty"`
	// PasswordChangeRequired: the password expired or an administrator
	// asked for a change; only changing it is allowed until then.
	PasswordChangeRequired bool `json:"password_change_required,omitempty"`

	codeHash    string
	codeExpires int64
}

// Has reports whether a role is active in the session.
func (s *Session) Has(role string) bool {
	for _, r := range s.Roles {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

// HasMethod reports whether the session passed a check.
func (s *Session) HasMethod(m string) bool {
	for _, x := range s.Methods {
		if x == m {
			return true
		}
	}
	return false
}

// ErrSessionInvalid is the answer for a token that is unknown, expired,
// idle too long or revoked: the client must authenticate again.
var ErrSessionInvalid = errors.New("the session is unknown, expired or revoked: authenticate again")

const sessionColumns = "id, app, user_name, source, created, last_seen, expires, methods, roles, code_hash, code_expires"

func scanSession(sc interface{ Scan(...any) error }) (*Session, error) {
	var s Session
	var created, lastSeen, expires int64
	var methods, roles string
	if err := sc.Scan(&s.ID, &s.Application, &s.User, &s.Source, &created, &lastSeen, &expires, &methods, &roles, &s.codeHash, &s.codeExpires); err != nil {
		return nil, err
	}
	s.Created, s.LastSeen, s.Expires = time.UnixMicro(created).UTC(), time.UnixMicro(lastSeen).UTC(), time.UnixMicro(expires).UTC()
	if err := json.Unmarshal([]byte(methods), &s.Methods); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(roles), &s.Roles); err != nil {
		return nil, err
	}
	return &s, nil
}

// newSession stores a session and returns its token.
func (s *Service) newSession(ctx context.Context, tx *sql.Tx, sess *Session) (string, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return "", err
	}
	token, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	sess.ID = NewID()
	sess.Created, sess.LastSeen, sess.Expires = now, now, now.Add(set.SessionTTL)
	methods, _ := json.Marshal(sess.Methods)
	roles, _ := json.Marshal(nonNil(sess.Roles))
	_, err = tx.ExecContext(ctx, "INSERT INTO "+s.q(sessionsTable)+" (id, token_hash, app, user_name, source, created, last_seen, expires, methods, roles, code_hash, code_expires) VALUES ("+
		s.p(1)+", "+s.p(2)+", "+s.p(3)+", "+s.p(4)+", "+s.p(5)+", "+s.p(6)+", "+s.p(7)+", "+s.p(8)+", "+s.p(9)+", "+s.p(10)+", '', 0)",
		sess.ID, hash, sess.Application, sess.User, sess.Source, now.UnixMicro(), now.UnixMicro(), sess.Expires.UnixMicro(), string(methods), string(roles))
	if err != nil {
		return "", err
	}
	return token, nil
}

// saveSession writes a session's user, methods and roles back.
func (s *Service) saveSession(ctx context.Context, tx *sql.Tx, sess *Session) error {
	s.sessions.changedIn(tx, sess.ID)
	methods, _ := json.Marshal(sess.Methods)
	roles, _ := json.Marshal(nonNil(sess.Roles))
	_, err := tx.ExecContext(ctx, "UPDATE "+s.q(sessionsTable)+" SET user_name = "+s.p(1)+", methods = "+s.p(2)+", roles = "+s.p(3)+", code_hash = "+s.p(4)+", code_expires = "+s.p(5)+" WHERE id = "+s.p(6),
		sess.User, string(methods), string(roles), sess.codeHash, sess.codeExpires, sess.ID)
	return err
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// Authenticate returns the session of a token: unknown, expired, idle and
// revoked tokens get ErrSessionInvalid. It marks the session used, so a
// revocation or expiry takes effect on the next request.
func (s *Service) Authenticate(ctx context.Context, token string) (*Session, error) {
	if token == "" || len(token) > 200 {
		return nil, ErrSessionInvalid
	}
	hash := HashToken(token)
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	if sess, ok := s.sessions.get(hash, s.now(), set.IdleTTL); ok {
		return sess, nil
	}
	gen := s.sessions.start()
	row := s.ib.DB.SQL.QueryRowContext(ctx, "SELECT "+sessionColumns+" FROM "+s.q(sessionsTable)+" WHERE token_hash = "+s.p(1), hash)
	sess, err := scanSession(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrSessionInvalid
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	sess.Expires = expiry(sess, set)
	if !now.Before(sess.Expires) || now.Sub(sess.LastSeen) >= set.IdleTTL {
		if err := s.end(ctx, sess, "expired", Actor{}); err != nil {
			return nil, err
		}
		return nil, ErrSessionInvalid
	}
	// A write per request would serialise a busy server on SQLite; the
	// idle clock needs seconds, not microseconds.
	if now.Sub(sess.LastSeen) > time.Second {
		if _, err := s.exec(ctx, "UPDATE "+s.q(sessionsTable)+" SET last_seen = "+s.p(1)+" WHERE id = "+s.p(2), now.UnixMicro(), sess.ID); err != nil {
			return nil, err
		}
		sess.LastSeen = now
	}
	if err := s.decorate(ctx, sess); err != nil {
		return nil, err
	}
	s.sessions.put(hash, sess, now, gen)
	return sess, nil
}

// expiry is when a session ends at the latest: as stored when it began, or
// sooner when the absolute lifetime was shortened since (a longer one
// applies to sessions begun after the change).
func expiry(sess *Session, set Settings) time.Time {
	if e := sess.Created.Add(set.SessionTTL); e.Before(sess.Expires) {
		return e
	}
	return sess.Expires
}

// decorate fills what a session shows but does not store: the roles a
// second factor would add and whether the password must change.
func (s *Service) decorate(ctx context.Context, sess *Session) error {
	sess.Pending = nil
	sess.PasswordChangeRequired = false
	if sess.User == "" {
		return nil
	}
	u, err := s.ib.User(ctx, sess.User)
	if err != nil {
		return err
	}
	for _, r := range u.Roles {
		if !sess.Has(r) {
			sess.Pending = append(sess.Pending, r)
		}
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	sess.PasswordChangeRequired = u.MustChangePassword || (u.PasswordHash != "" && set.Policy.Expired(u.PasswordSetAt, s.now()))
	return nil
}

// Logout ends the session of a token.
func (s *Service) Logout(ctx context.Context, token string) error {
	sess, err := s.Authenticate(ctx, token)
	if err != nil {
		return err
	}
	return s.end(ctx, sess, "logout", Actor{User: sess.User, Session: sess.ID, Source: sess.Source})
}

// Sessions lists the sessions not yet expired, oldest first.
func (s *Service) Sessions(ctx context.Context) ([]*Session, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	rows, err := s.ib.DB.SQL.QueryContext(ctx, "SELECT "+sessionColumns+" FROM "+s.q(sessionsTable)+" WHERE expires > "+s.p(1)+" AND created > "+s.p(2)+" AND last_seen > "+s.p(3)+" ORDER BY created, id",
		now.UnixMicro(), now.Add(-set.SessionTTL).UnixMicro(), now.Add(-set.IdleTTL).UnixMicro())
	if err != nil {
		return nil, err
	}
	var out []*Session
	for rows.Next() {
		sess, err := scanSession(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		sess.Expires = expiry(sess, set)
		out = append(out, sess)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, sess := range out {
		if err := s.decorate(ctx, sess); err != nil && !isNoUser(err) {
			return nil, err
		}
	}
	return out, nil
}

// Revoke ends a session by its id; the token is refused from the next
// request on.
func (s *Service) Revoke(ctx context.Context, id string, by Actor) error {
	row := s.ib.DB.SQL.QueryRowContext(ctx, "SELECT "+sessionColumns+" FROM "+s.q(sessionsTable)+" WHERE id = "+s.p(1), id)
	sess, err := scanSession(row)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("no session %q", id)
	}
	if err != nil {
		return err
	}
	return s.end(ctx, sess, "revoked", by)
}

// RevokeUser ends every session of a user (a known user's, or sessions
// under the name given) and returns how many.
func (s *Service) RevokeUser(ctx context.Context, user string, by Actor) (int, error) {
	if u, err := s.ib.User(ctx, user); err == nil {
		user = u.Name
	} else if !isNoUser(err) {
		return 0, err
	}
	return s.endSessions(ctx, user, "", "revoked", true, by)
}

// endSessions ends the sessions of a user (by the account's own name) but
// keep, logging each with the reason why; byAdmin logs them as revoked by
// the actor too. It returns how many ended.
func (s *Service) endSessions(ctx context.Context, user, keep, why string, byAdmin bool, by Actor) (int, error) {
	// Most changes find no session to end: look first, so they write nothing.
	var n int
	err := s.ib.DB.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+s.q(sessionsTable)+" WHERE user_name = "+s.p(1)+" AND id <> "+s.p(2), user, keep).Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer s.done(tx)
	if n, err = s.endSessionsTx(ctx, tx, user, keep, why, byAdmin, by); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// endSessionsTx is endSessions inside the caller's transaction, so the
// change that ends them and their ends commit together. Sessions already
// expired are left for Authenticate to end as expired.
func (s *Service) endSessionsTx(ctx context.Context, tx *sql.Tx, user, keep, why string, byAdmin bool, by Actor) (int, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	rows, err := tx.QueryContext(ctx, "SELECT "+sessionColumns+" FROM "+s.q(sessionsTable)+" WHERE user_name = "+s.p(1)+" AND id <> "+s.p(2)+" ORDER BY created, id", user, keep)
	if err != nil {
		return 0, err
	}
	var list []*Session
	for rows.Next() {
		sess, err := scanSession(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		if now.Before(expiry(sess, set)) && now.Sub(sess.LastSeen) < set.IdleTTL {
			list = append(list, sess)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var events []eventlog.Event
	for _, sess := range list {
		s.sessions.changedIn(tx, sess.ID)
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(sessionsTable)+" WHERE id = "+s.p(1), sess.ID); err != nil {
			return 0, err
		}
		if byAdmin {
			events = append(events, by.event(eventlog.SessionRevoked, sess.ID, map[string]any{"user": sess.User, "application": sess.Application, "reason": why}))
		}
		events = append(events, eventlog.Event{Kind: eventlog.SessionFinish, User: sess.User, Session: sess.ID, Application: sess.Application,
			Source: sess.Source, Data: map[string]any{"reason": why}})
	}
	return len(list), s.log.AppendTx(ctx, tx, events...)
}

// end deletes a session and logs why.
func (s *Service) end(ctx context.Context, sess *Session, why string, by Actor) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer s.done(tx)
	s.sessions.changedIn(tx, sess.ID)
	res, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(sessionsTable)+" WHERE id = "+s.p(1), sess.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // ended meanwhile by another request
	}
	events := []eventlog.Event{}
	if why == "revoked" {
		events = append(events, by.event(eventlog.SessionRevoked, sess.ID, map[string]any{"user": sess.User, "application": sess.Application}))
	}
	events = append(events, eventlog.Event{Kind: eventlog.SessionFinish, User: sess.User, Session: sess.ID, Application: sess.Application,
		Source: sess.Source, Data: map[string]any{"reason": why}})
	if err := s.log.AppendTx(ctx, tx, events...); err != nil {
		return err
	}
	return tx.Commit()
}

// activeRoles are the roles a session holds after its checks: the
// application's, and the user's that need no second factor unless one
// was passed.
func (s *Service) activeRoles(appRoles, userRoles []string, secondFactor bool) []string {
	seen := map[string]bool{}
	var out []string
	add := func(r string) {
		if !seen[strings.ToLower(r)] {
			seen[strings.ToLower(r)] = true
			out = append(out, r)
		}
	}
	for _, r := range appRoles {
		add(r)
	}
	for _, r := range userRoles {
		if secondFactor || !s.roleNeedsSecondFactor(r) {
			add(r)
		}
	}
	sort.Strings(out)
	return out
}

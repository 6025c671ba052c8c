package authn

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"time"

	"dostup/infobase"
)

// sessionCacheFor is how long a session Authenticate read is answered from
// memory. Every request of a client carries its token, and reading the
// session, its user and the policy for each took three queries. Changes made
// through this service forget the sessions they touch at once. A logout,
// revocation or change of roles made by another process on the same
// database is seen when the entry runs out, well within the second the
// operations promise.
const sessionCacheFor = 500 * time.Millisecond

// sessionCacheMax bounds the entries: past it the cache starts afresh, which
// costs one read per active session.
const sessionCacheMax = 10000

// sessionCache holds recently authenticated sessions by token hash.
//
// A session ended or changed inside a transaction is forgotten when the
// change is made and again when the transaction is over (settle), and gen
// counts the forgettings: a read that began before one is not cached, for
// it may have read the row the change replaced.
type sessionCache struct {
	mu      sync.Mutex
	m       map[string]cachedSession
	gen     uint64
	pending map[*sql.Tx][]string // sessions a transaction changed, to forget again when it is over
}

type cachedSession struct {
	sess Session
	at   time.Time
}

// get returns a copy of the session cached for the token hash if it was
// read within sessionCacheFor of now and has not run out since.
func (c *sessionCache) get(hash string, now time.Time, idle time.Duration) (*Session, bool) {
	c.mu.Lock()
	e, ok := c.m[hash]
	c.mu.Unlock()
	if !ok || now.Sub(e.at) >= sessionCacheFor || now.Sub(e.at) < 0 ||
		!now.Before(e.sess.Expires) || now.Sub(e.sess.LastSeen) >= idle {
		return nil, false
	}
	return e.sess.clone(), true
}

// start is taken before a session is read, for put.
func (c *sessionCache) start() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put caches a copy of the session read at now, unless something was
// forgotten since the read began (gen from start).
func (c *sessionCache) put(hash string, sess *Session, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.m == nil || len(c.m) >= sessionCacheMax {
		c.m = map[string]cachedSession{}
	}
	c.m[hash] = cachedSession{sess: *sess.clone(), at: now}
}

// forget drops the sessions match selects; nil drops all.
func (c *sessionCache) forget(match func(*Session) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.m {
		if match == nil || match(&e.sess) {
			delete(c.m, k)
		}
	}
}

// forgetSession drops one session by id.
func (c *sessionCache) forgetSession(id string) {
	c.forget(func(s *Session) bool { return s.ID == id })
}

// changedIn forgets a session that transaction tx changes or ends, now and
// again when tx is over.
func (c *sessionCache) changedIn(tx *sql.Tx, id string) {
	c.forgetSession(id)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil {
		c.pending = map[*sql.Tx][]string{}
	}
	c.pending[tx] = append(c.pending[tx], id)
}

// settle forgets again the sessions tx changed, once it is committed or
// rolled back.
func (c *sessionCache) settle(tx *sql.Tx) {
	c.mu.Lock()
	ids := c.pending[tx]
	delete(c.pending, tx)
	c.mu.Unlock()
	if len(ids) > 0 {
		c.forget(func(s *Session) bool { return slices.Contains(ids, s.ID) })
	}
}

// forgetUser drops the sessions of a user, whose roles, password or second
// factor changed.
func (c *sessionCache) forgetUser(name string) {
	c.forget(func(s *Session) bool { return lower(s.User) == lower(name) })
}

// clone copies a session with its own lists, so a caller changing one
// changes neither the cache nor another request's copy.
func (s *Session) clone() *Session {
	c := *s
	c.Methods, c.Roles, c.Pending = slices.Clone(s.Methods), slices.Clone(s.Roles), slices.Clone(s.Pending)
	return &c
}

// updateUser changes a user in the infobase and forgets the user's cached
// sessions, which show its roles and whether it must change its password.
func (s *Service) updateUser(ctx context.Context, name string, fn func(*infobase.User) error) (*infobase.User, error) {
	u, err := s.ib.UpdateUser(ctx, name, fn)
	s.sessions.forgetUser(name)
	if u != nil {
		s.sessions.forgetUser(u.Name)
	}
	return u, err
}

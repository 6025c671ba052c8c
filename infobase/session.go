package infobase

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"dostup/eventlog"
	"dostup/metadata"
	"dostup/rls"
	"dostup/sdbl/preproc"
	"dostup/sqlgen"
)

// SessionOptions are how an embedding program starts a session.
type SessionOptions struct {
	// Params sets session parameters by name: those the configuration
	// leaves to the program (no query), and any it wants to fix itself.
	Params map[string]any
	// Privileged starts a privileged session (§3.8): every check off for
	// its whole life. Only a user with Администрирование may start one.
	Privileged bool
	// SafeMode starts the session in safe mode: privileged mode is
	// ignored and may not be turned on.
	SafeMode bool
	// ID, Source and Application name the session in the event log: the
	// authenticated session it serves, the client's address, the
	// application it came through.
	ID, Source, Application string
	// Roles are the roles active in the session, a subset of the user's;
	// nil means all of them. Step-up (§5) starts a session without the
	// roles that need a second factor until one is checked.
	Roles []string
	// AppRoles are roles the application the user came through holds
	// (step 1 of [002]); they are active beside the user's.
	AppRoles []string
}

// Session is a user's connection to an infobase: the user's roles, the
// session parameters computed when it started, and privileged and safe
// mode. Its queries and object operations go through the user's rights
// and record-level security. A session may be used from several
// goroutines; its privileged-mode count is shared by them.
type Session struct {
	ib         *Infobase
	user       *metadata.User
	params     map[string]any // session parameters and functional options, by lower-cased name
	access     *rls.Session
	compiler   *sqlgen.Compiler
	privileged bool // a privileged session
	// id, source and app name the session in the event log.
	id, source, app string

	mu        sync.Mutex
	privCount int
	safe      bool
	forbidden map[string]compiledCheck // ForbiddenCheck by object and right
}

// policy is the infobase's prepared roles, made on first use.
func (ib *Infobase) policy() *rls.Policy {
	ib.mu.Lock()
	defer ib.mu.Unlock()
	if ib.rlsPolicy == nil {
		ib.rlsPolicy = rls.NewPolicy(ib.Config)
	}
	return ib.rlsPolicy
}

// NewSession starts a session for a user of the configuration. It computes
// the session parameters whose configuration gives a query (run in
// privileged mode with &ИмяПользователя set) and reads the functional
// options; a parameter that cannot be obtained stops the session with an
// error naming it.
func (ib *Infobase) NewSession(ctx context.Context, user string, opts SessionOptions) (*Session, error) {
	rec, err := ib.User(ctx, user)
	if err != nil {
		return nil, err
	}
	roles := rec.Roles
	if opts.Roles != nil {
		roles = nil
		for _, r := range opts.Roles {
			if !rec.HasRole(r) {
				return nil, fmt.Errorf("user %s does not hold role %s, so it cannot be active in the session", rec.Name, r)
			}
			roles = append(roles, r)
		}
	}
	for _, r := range opts.AppRoles {
		role := ib.Config.Role(r)
		if role == nil {
			return nil, fmt.Errorf("application role %s is not in the configuration", r)
		}
		if !containsFold(roles, role.Name) {
			roles = append(append([]string(nil), roles...), role.Name)
		}
	}
	u := &metadata.User{Name: rec.Name, FullName: rec.FullName, Roles: roles, OSUser: rec.OSUser, Email: rec.Email}
	s := &Session{ib: ib, user: u, params: map[string]any{}, safe: opts.SafeMode, id: opts.ID, source: opts.Source, app: opts.Application}
	if opts.Privileged {
		admin, err := ib.policy().HasRight(u.Roles, "Администрирование", "")
		if err != nil {
			return nil, err
		}
		if opts.SafeMode {
			return nil, errors.New("a privileged session cannot run in safe mode")
		}
		// Asking for every check off is logged whether or not it is
		// granted: an auditor looks for both.
		if !admin {
			refused := fmt.Errorf("user %s: %w: none of the user's roles grants Администрирование (Administration)", u.Name, ErrNotAdministrator)
			if lerr := s.logEvent(ctx, eventlog.Event{Kind: eventlog.AccessDenied, Level: eventlog.Error,
				Data: map[string]any{"right": "Администрирование", "mode": "privileged", "message": "a privileged session was asked for"}}); lerr != nil {
				return nil, errors.Join(refused, lerr)
			}
			return nil, refused
		}
		if err := s.logEvent(ctx, eventlog.Event{Kind: eventlog.PrivilegedModeOn, Data: map[string]any{"privileged_session": true}}); err != nil {
			return nil, err
		}
		s.privileged = true
	}
	for name, v := range opts.Params {
		if ib.sessionParameter(name) == nil {
			return nil, fmt.Errorf("the configuration has no session parameter %s", name)
		}
		s.params[strings.ToLower(strings.TrimPrefix(name, "&"))] = sessionValue(v)
	}
	for _, p := range ib.Config.SessionParameters {
		if _, set := s.params[strings.ToLower(p.Name)]; set || p.Query == nil {
			continue
		}
		v, err := ib.computeParameter(ctx, p, u)
		if err != nil {
			return nil, err
		}
		s.params[strings.ToLower(p.Name)] = v
	}
	for _, fo := range ib.Config.FunctionalOptions {
		v, err := ib.constantValue(ctx, fo.Constant)
		if err != nil {
			return nil, fmt.Errorf("functional option %s: %w", fo.Name, err)
		}
		s.params[strings.ToLower(fo.Name)] = v
	}
	access, err := ib.policy().Session(u.Roles, preprocParams(s.params))
	if err != nil {
		return nil, err
	}
	s.access = access
	c := *ib.compiler
	c.Access = access
	s.compiler = &c
	return s, nil
}

func (ib *Infobase) sessionParameter(name string) *metadata.SessionParameter {
	for _, p := range ib.Config.SessionParameters {
		if strings.EqualFold(p.Name, strings.TrimPrefix(name, "&")) {
			return p
		}
	}
	return nil
}

// computeParameter runs a session parameter's query with full rights.
func (ib *Infobase) computeParameter(ctx context.Context, p *metadata.SessionParameter, u *metadata.User) (any, error) {
	res, err := ib.Query(ctx, p.Query.Text, map[string]any{"ИмяПользователя": u.Name, "UserName": u.Name})
	if err != nil {
		return nil, fmt.Errorf("session parameter %s (%s): its query fails: %w", p.Name, p.Pos, err)
	}
	switch {
	case res == nil || len(res.Rows) == 0:
		return nil, fmt.Errorf("session parameter %s (%s): its query finds nothing for user %s, so the session cannot start (is the user missing from the catalog the query reads?)", p.Name, p.Pos, u.Name)
	case len(res.Rows) > 1:
		return nil, fmt.Errorf("session parameter %s (%s): its query finds %d values for user %s, not one", p.Name, p.Pos, len(res.Rows), u.Name)
	case len(res.Rows[0]) == 0:
		return nil, fmt.Errorf("session parameter %s (%s): its query selects no field", p.Name, p.Pos)
	}
	return sessionValue(res.Rows[0][0]), nil
}

// constantValue reads a constant (a functional option's store) with full
// rights; a constant never written reads as its empty value, false.
func (ib *Infobase) constantValue(ctx context.Context, constant string) (any, error) {
	o := ib.Config.Object(constant)
	if o == nil {
		return nil, fmt.Errorf("no constant %s", constant)
	}
	res, err := ib.Query(ctx, "ВЫБРАТЬ Значение ИЗ "+o.FullName(false), nil)
	if err != nil {
		return nil, err
	}
	if len(res.Rows) == 0 || len(res.Rows[0]) == 0 || res.Rows[0][0] == nil {
		return false, nil
	}
	return sessionValue(res.Rows[0][0]), nil
}

// sessionValue is a value as a session keeps it: references by id.
func sessionValue(v any) any {
	switch v := v.(type) {
	case Ref:
		return v.ID
	case *Ref:
		return v.ID
	}
	return v
}

// preprocParams are the session's values as the preprocessor compares them.
func preprocParams(params map[string]any) preproc.Params {
	out := preproc.Params{}
	for k, v := range params {
		switch v := v.(type) {
		case Number:
			f, err := strconv.ParseFloat(string(v), 64)
			if err == nil {
				out[k] = f
				continue
			}
			out[k] = string(v)
		case time.Time:
			out[k] = v.Format(time.RFC3339)
		case string, bool, float64, nil, int, int64:
			out[k] = v
		default:
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// Access is the session's record-level access: its roles' grants and
// restrictions as its parameters make them (rls.Session).
func (s *Session) Access() *rls.Session { return s.access }

// User is the session's user name.
func (s *Session) User() string { return s.user.Name }

// Roles are the session user's roles.
func (s *Session) Roles() []string { return append([]string(nil), s.user.Roles...) }

// IsInRole reports whether the session's user holds a role (any letter case).
func (s *Session) IsInRole(role string) bool {
	for _, r := range s.user.Roles {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

// Param returns a session parameter's or functional option's value.
func (s *Session) Param(name string) (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.params[strings.ToLower(strings.TrimPrefix(name, "&"))]
	return v, ok
}

// ParamNames lists the session parameters and functional options set.
func (s *Session) ParamNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, p := range s.ib.Config.SessionParameters {
		if _, ok := s.params[strings.ToLower(p.Name)]; ok {
			out = append(out, p.Name)
		}
	}
	for _, fo := range s.ib.Config.FunctionalOptions {
		out = append(out, fo.Name)
	}
	sort.Strings(out)
	return out
}

// PrivilegedMode reports whether checks are off: a privileged session, or
// privileged mode set and not undone, outside safe mode.
func (s *Session) PrivilegedMode() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.privilegedLocked()
}

func (s *Session) privilegedLocked() bool {
	return s.privileged || (s.privCount > 0 && !s.safe)
}

// ErrNotAdministrator refuses a privileged session to a user without
// Администрирование.
var ErrNotAdministrator = errors.New("only an administrator may start a privileged session")

// ErrSafeMode is returned for an operation safe mode forbids.
var ErrSafeMode = errors.New("safe mode forbids this operation")

// SetPrivilegedMode turns privileged mode on (counting nested enables) or
// off (undoing one enable); turning it off more often than on is an error,
// and safe mode forbids turning it on. Scope undoes what a call scope left
// enabled.
func (s *Session) SetPrivilegedMode(on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case on && s.safe:
		return fmt.Errorf("SetPrivilegedMode(true): %w", ErrSafeMode)
	case on:
		s.privCount++
	case s.privCount == 0:
		return errors.New("SetPrivilegedMode(false) without a matching SetPrivilegedMode(true)")
	default:
		s.privCount--
	}
	kind := eventlog.PrivilegedModeOff
	if on {
		kind = eventlog.PrivilegedModeOn
	}
	return s.logEvent(context.Background(), eventlog.Event{Kind: kind, Data: map[string]any{"depth": s.privCount}})
}

// Scope runs fn as a call scope of 1C: whatever privileged mode fn turns
// on and leaves on is undone when it returns, as 1C undoes it on leaving a
// procedure.
func (s *Session) Scope(fn func() error) error {
	s.mu.Lock()
	saved := s.privCount
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.privCount > saved {
			s.privCount = saved
		}
		s.mu.Unlock()
	}()
	return fn()
}

// SetSafeMode turns safe mode on or off. A privileged session stays
// privileged; safe mode is for code the program does not trust.
func (s *Session) SetSafeMode(on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on && s.privileged {
		return errors.New("a privileged session cannot enter safe mode")
	}
	s.safe = on
	return nil
}

// SafeMode reports whether the session is in safe mode.
func (s *Session) SafeMode() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.safe
}

// checks is the compiler of the session's current mode: nil access when
// privileged.
func (s *Session) checks() *sqlgen.Compiler {
	if s.PrivilegedMode() {
		return s.ib.compiler
	}
	return s.compiler
}

// denied fills the user into an access error.
func (s *Session) denied(err error) error {
	var ae *rls.AccessError
	if errors.As(err, &ae) && ae.User == "" {
		ae.User = s.user.Name
	}
	return err
}

// Query runs a query as the session's user: every table it reads needs
// the Read right, and record-level security applies in the query's mode
// (РАЗРЕШЕННЫЕ leaves forbidden records out; without it a forbidden record
// fails the query with *rls.AccessError).
func (s *Session) Query(ctx context.Context, text string, params map[string]any) (*Result, error) {
	c := s.checks()
	key := text
	if c.Access != nil {
		key = s.access.Key() + "\x00" + text
	}
	stmts, err := s.ib.compile(c, key, text)
	if err != nil {
		return nil, s.logDenied(ctx, s.denied(err))
	}
	res, err := s.ib.runBatch(ctx, stmts, params, s)
	return res, s.logDenied(ctx, s.denied(err))
}

// Compile compiles a query as the session would run it, for --sql.
func (s *Session) Compile(text string) ([]*sqlgen.Statement, error) {
	c := s.checks()
	key := text
	if c.Access != nil {
		key = s.access.Key() + "\x00" + text
	}
	stmts, err := s.ib.compile(c, key, text)
	return stmts, s.denied(err)
}

// sessionArg is the value of a session parameter a restriction reads.
func (s *Session) sessionArg(name string) (any, error) {
	v, ok := s.Param(name)
	if !ok {
		return nil, fmt.Errorf("the session parameter &%s a restriction reads is not set for user %s", name, s.user.Name)
	}
	return v, nil
}

// AccessRight reports whether a user or a role (by name; a user when both
// exist) has a right: an object right on object, or a global right
// (Администрирование ...) when object is "". It is 1C's ПравоДоступа.
func (ib *Infobase) AccessRight(ctx context.Context, right, object, userOrRole string) (bool, error) {
	if !metadata.IsObjectRight(right) && !metadata.IsGlobalRight(right) {
		return false, fmt.Errorf("%q is not a right", right)
	}
	if object != "" && !metadata.IsObjectRight(right) {
		return false, fmt.Errorf("%s is a global right: it is not granted on objects", right)
	}
	if object == "" && !metadata.IsGlobalRight(right) {
		return false, fmt.Errorf("%s is a right on objects: name the object", right)
	}
	var roles []string
	if u, err := ib.User(ctx, userOrRole); err == nil {
		roles = u.Roles
	} else if !errors.Is(err, ErrNoUser) {
		return false, err
	} else if r := ib.Config.Role(userOrRole); r != nil {
		roles = []string{r.Name}
	} else {
		return false, fmt.Errorf("no user or role %q in the infobase", userOrRole)
	}
	return ib.policy().HasRight(roles, right, object)
}

// RolesHaveRight reports whether any of the roles has a right: an object
// right on object, or a global right when object is "". Step-up asks it of
// roles a session does not hold yet.
func (ib *Infobase) RolesHaveRight(roles []string, right, object string) (bool, error) {
	return ib.policy().HasRight(roles, right, object)
}

// EventLog is the infobase's event log (§6), its table made on first use.
func (ib *Infobase) EventLog(ctx context.Context) (*eventlog.Log, error) {
	ib.mu.Lock()
	defer ib.mu.Unlock()
	if ib.eventLog == nil {
		l, err := eventlog.OpenPools(ctx, ib.DB.Writer, ib.DB.SQL, ib.DB.Dialect)
		if err != nil {
			return nil, fmt.Errorf("opening the event log: %w", err)
		}
		ib.eventLog = l
	}
	return ib.eventLog, nil
}

// logEvent appends an event of the session to the infobase's event log.
// It must not run inside a write transaction: on SQLite the log's append
// would wait for that transaction's own lock.
func (s *Session) logEvent(ctx context.Context, e eventlog.Event) error {
	l, err := s.ib.EventLog(ctx)
	if err != nil {
		return err
	}
	e.User, e.Session, e.Source, e.Application = s.user.Name, s.id, s.source, s.app
	if err := l.Append(ctx, e); err != nil {
		return fmt.Errorf("writing the event log: %w", err)
	}
	return nil
}

// logDenied logs an access refusal (§6: user, table, right, mode) and
// returns err; a log that cannot be written joins its error to err.
func (s *Session) logDenied(ctx context.Context, err error) error {
	var ae *rls.AccessError
	if !errors.As(err, &ae) {
		return err
	}
	data := map[string]any{"table": ae.Object, "right": ae.Right.Russian(), "mode": ae.Mode, "records": ae.Records}
	if ae.Message != "" {
		data["message"] = ae.Message
	}
	if lerr := s.logEvent(ctx, eventlog.Event{Kind: eventlog.AccessDenied, Level: eventlog.Error, Object: ae.Object, Data: data}); lerr != nil {
		return errors.Join(err, lerr)
	}
	return err
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

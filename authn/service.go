package authn

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"dostup/eventlog"
	"dostup/infobase"
)

// Lockout says when repeated failures lock an account, and separately the
// source address they come from.
type Lockout struct {
	// MaxFailures within Window lock the account for Duration (default 5
	// in 15 minutes, for 15 minutes).
	MaxFailures int           `json:"max_failures"`
	Window      time.Duration `json:"window"`
	Duration    time.Duration `json:"duration"`
	// AddressMaxFailures within Window lock the source address for
	// Duration, whatever names it tries (default 20: an office behind one
	// address should not be locked out by one person's typos).
	AddressMaxFailures int `json:"address_max_failures"`
}

// DefaultLockout is 5 failures in 15 minutes locking an account for 15
// minutes, and 20 locking the address.
func DefaultLockout() Lockout {
	return Lockout{MaxFailures: 5, Window: 15 * time.Minute, Duration: 15 * time.Minute, AddressMaxFailures: 20}
}

// Settings are the authentication settings an administrator changes; they
// are kept in the infobase.
type Settings struct {
	Policy  PasswordPolicy `json:"password_policy"`
	Lockout Lockout        `json:"lockout"`
	// SessionTTL is a session's absolute lifetime; IdleTTL ends a session
	// not used for that long.
	SessionTTL time.Duration `json:"session_ttl"`
	IdleTTL    time.Duration `json:"idle_ttl"`
}

// DefaultSettings are the settings of a new infobase.
func DefaultSettings() Settings {
	return Settings{Policy: DefaultPolicy(), Lockout: DefaultLockout(), SessionTTL: 12 * time.Hour, IdleTTL: 30 * time.Minute}
}

// Config is how a program sets up the Service.
type Config struct {
	// Sender delivers codes of the second factor to a user's device; nil
	// means delivered codes are not offered.
	Sender CodeSender
	// Compromised is the list of known-compromised passwords the policy
	// checks against; nil means the file the stored policy names
	// (CompromisedFile), loaded when a password is first checked.
	Compromised *Compromised
	// Hash are the argon2id parameters of new hashes; zero means
	// DefaultHashParams. Stored hashes keep theirs and are rehashed at
	// the next successful login when weaker.
	Hash HashParams
	// Issuer names the service in TOTP enrolment (the authenticator app
	// shows it); default "dostup".
	Issuer string
	// Hashing bounds the argon2id computations running at once (logins,
	// password changes); nil means a gate of its own with one slot per
	// CPU (NewHashGate). Services of one process may share a gate.
	Hashing *HashGate
	// Now is the clock; nil means time.Now. Tests move it.
	Now func() time.Time
}

// Service authenticates users and applications of one infobase and keeps
// their sessions.
type Service struct {
	ib  *infobase.Infobase
	log *eventlog.Log
	cfg Config

	mu sync.Mutex
	// listed is the compromised list loaded from listedPath, the file the
	// policy named when it was loaded.
	listed     *Compromised
	listedPath string

	// The settings as last read, their version and when it was read:
	// another process's change is seen once the version is read again.
	setMu       sync.Mutex
	settings    *Settings
	setVersion  int64
	setChecked  time.Time
	setCheckFor time.Duration

	// sessions are the sessions Authenticate read lately (sessioncache.go).
	sessions sessionCache

	// keyLocks queue this process's lockout transactions per key, so a
	// burst of attempts on one account waits here rather than each
	// holding a database connection while it waits for the row lock.
	keyLocks keyLocks
}

// Tables of the service; the users themselves are the infobase's.
const (
	sessionsTable = "_dostup_auth_sessions"
	appsTable     = "_dostup_auth_apps"
	failuresTable = "_dostup_auth_failures"
	locksTable    = "_dostup_auth_locks"
	settingsTable = "_dostup_auth_settings"
	// attemptsTable holds the checks under way (reserved against the
	// lockout limits before they verify anything): see lockout.go.
	attemptsTable = "_dostup_auth_attempts"
)

// settingsCheck is how long settings read are used before their version is
// read again: a change made by another process applies within it.
const settingsCheck = time.Second

// New opens the service over an infobase, creating its tables when
// missing.
func New(ctx context.Context, ib *infobase.Infobase, cfg Config) (*Service, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Hash == (HashParams{}) {
		cfg.Hash = DefaultHashParams
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "dostup"
	}
	if cfg.Hashing == nil {
		cfg.Hashing = defaultHashGate()
	}
	log, err := ib.EventLog(ctx)
	if err != nil {
		return nil, err
	}
	s := &Service{ib: ib, log: log, cfg: cfg, setCheckFor: settingsCheck}
	if err := s.createTables(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Service) createTables(ctx context.Context) error {
	q := s.ib.DB.Dialect.Quote
	stmts := []string{
		"CREATE TABLE IF NOT EXISTS " + q(sessionsTable) + " (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, app TEXT NOT NULL, user_name TEXT NOT NULL, source TEXT NOT NULL, created BIGINT NOT NULL, last_seen BIGINT NOT NULL, expires BIGINT NOT NULL, methods TEXT NOT NULL, roles TEXT NOT NULL, code_hash TEXT NOT NULL, code_expires BIGINT NOT NULL)",
		"CREATE TABLE IF NOT EXISTS " + q(appsTable) + " (name_key TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT NOT NULL, roles TEXT NOT NULL, created BIGINT NOT NULL)",
		"CREATE TABLE IF NOT EXISTS " + q(failuresTable) + " (lock_key TEXT NOT NULL, at BIGINT NOT NULL)",
		"CREATE INDEX IF NOT EXISTS " + q(failuresTable+"_key") + " ON " + q(failuresTable) + " (lock_key, at)",
		"CREATE TABLE IF NOT EXISTS " + q(locksTable) + " (lock_key TEXT PRIMARY KEY, until BIGINT NOT NULL, reason TEXT NOT NULL)",
		"CREATE TABLE IF NOT EXISTS " + q(settingsTable) + " (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
		"CREATE TABLE IF NOT EXISTS " + q(attemptsTable) + " (id TEXT NOT NULL, lock_key TEXT NOT NULL, at BIGINT NOT NULL)",
		"CREATE INDEX IF NOT EXISTS " + q(attemptsTable+"_key") + " ON " + q(attemptsTable) + " (lock_key, at)",
	}
	for _, st := range stmts {
		if _, err := s.ib.DB.Writer.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("creating the authentication tables: %w", err)
		}
	}
	return nil
}

// Infobase is the infobase the service authenticates for.
func (s *Service) Infobase() *infobase.Infobase { return s.ib }

// EventLog is the infobase's event log the service writes to.
func (s *Service) EventLog() *eventlog.Log { return s.log }

// now is the service's clock in UTC, to the microsecond the tables keep.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Microsecond) }

// p is the n-th placeholder of the infobase's dialect.
func (s *Service) p(n int) string { return s.ib.DB.Dialect.Placeholder(n) }

func (s *Service) q(name string) string { return s.ib.DB.Dialect.Quote(name) }

// Settings returns the authentication settings kept in the infobase, or
// the defaults. They are read again when their version changed, which is
// checked at most once a second: a change by another process (dostup users
// policy, another server) applies within a second, one by this process at
// once.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	s.setMu.Lock()
	defer s.setMu.Unlock()
	if s.settings != nil && time.Since(s.setChecked) < s.setCheckFor {
		return *s.settings, nil
	}
	version, err := s.settingsVersion(ctx)
	if err != nil {
		return DefaultSettings(), err
	}
	if s.settings != nil && version == s.setVersion {
		s.setChecked = time.Now()
		return *s.settings, nil
	}
	set := DefaultSettings()
	var raw string
	err = s.ib.DB.SQL.QueryRowContext(ctx, "SELECT value FROM "+s.q(settingsTable)+" WHERE key = "+s.p(1), "settings").Scan(&raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return set, err
	default:
		if err := json.Unmarshal([]byte(raw), &set); err != nil {
			return set, fmt.Errorf("the stored authentication settings do not read: %w", err)
		}
	}
	s.settings, s.setVersion, s.setChecked = &set, version, time.Now()
	return set, nil
}

// settingsVersion reads the counter SetSettings raises (0 before the first
// change).
func (s *Service) settingsVersion(ctx context.Context) (int64, error) {
	var raw string
	err := s.ib.DB.SQL.QueryRowContext(ctx, "SELECT value FROM "+s.q(settingsTable)+" WHERE key = "+s.p(1), "version").Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading the version of the authentication settings: %w", err)
	}
	v, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("the version of the authentication settings %q is not a number", raw)
	}
	return v, nil
}

// CheckSettings reports settings out of range, as SetSettings refuses them.
func CheckSettings(set Settings) error {
	switch {
	case set.Policy.MinLength < 0 || set.Policy.MinLength > 1024:
		return fmt.Errorf("minimum password length %d is out of range 0..1024", set.Policy.MinLength)
	case set.Policy.ReuseLimit < 0 || set.Policy.ReuseLimit > 100:
		return fmt.Errorf("password reuse limit %d is out of range 0..100", set.Policy.ReuseLimit)
	case set.Policy.MaxAge < 0 || set.Policy.MinAge < 0 || set.Policy.ExpiryWarning < 0:
		return errors.New("password ages cannot be negative")
	case set.Policy.MaxAge > 0 && set.Policy.MinAge >= set.Policy.MaxAge:
		return errors.New("the minimum password age must be below the maximum")
	case set.Lockout.MaxFailures < 1 || set.Lockout.AddressMaxFailures < 1:
		return errors.New("lockout needs at least 1 failure to lock")
	case set.Lockout.Window <= 0 || set.Lockout.Duration <= 0:
		return errors.New("the lockout window and duration must be positive")
	case set.SessionTTL <= 0 || set.IdleTTL <= 0:
		return errors.New("session lifetimes must be positive")
	}
	return nil
}

// SetSettings stores new settings, raises their version (so every process
// reads them again) and logs the change as a policy update.
func (s *Service) SetSettings(ctx context.Context, set Settings, by Actor) error {
	if err := CheckSettings(set); err != nil {
		return err
	}
	raw, err := json.Marshal(set)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	// Sessions read under the old settings (idle and absolute lifetimes,
	// the password's maximum age) are read again, once this is over.
	defer s.sessions.forget(nil)
	defer s.done(tx)
	table := s.q(settingsTable)
	// Upserts: two administrators changing the settings at once queue on
	// the row instead of one failing on its key.
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" (key, value) VALUES ("+s.p(1)+", "+s.p(2)+") ON CONFLICT (key) DO UPDATE SET value = excluded.value", "settings", string(raw)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" (key, value) VALUES ("+s.p(1)+", '1') ON CONFLICT (key) DO UPDATE SET value = CAST(CAST("+table+".value AS BIGINT) + 1 AS TEXT)", "version"); err != nil {
		return err
	}
	var version string
	if err := tx.QueryRowContext(ctx, "SELECT value FROM "+table+" WHERE key = "+s.p(1), "version").Scan(&version); err != nil {
		return err
	}
	if err := s.log.AppendTx(ctx, tx, by.event(eventlog.PolicyUpdate, "", map[string]any{"settings": json.RawMessage(raw)})); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	v, _ := strconv.ParseInt(version, 10, 64)
	s.setMu.Lock()
	s.settings, s.setVersion, s.setChecked = &set, v, time.Now()
	s.setMu.Unlock()
	return nil
}

// Actor is who does an administrative action, for the event log.
type Actor struct {
	User    string
	Session string
	Source  string
}

func (a Actor) event(kind, object string, data map[string]any) eventlog.Event {
	return eventlog.Event{Kind: kind, User: a.User, Session: a.Session, Source: a.Source, Object: object, Data: data}
}

// roleNeedsSecondFactor reports whether a role of the configuration
// becomes active only after an OTP check.
func (s *Service) roleNeedsSecondFactor(role string) bool {
	r := s.ib.Config.Role(role)
	return r != nil && r.SecondFactor
}

// lower is a key in any letter case.
func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// timeZero is "never" for password dates.
var timeZero time.Time

// begin starts a write transaction on the infobase's writer (in turn with
// every other writer on SQLite); done ends it (rolling back what was not
// committed).
func (s *Service) begin(ctx context.Context) (*sql.Tx, error) {
	return s.ib.DB.Writer.BeginTx(ctx, nil)
}

func (s *Service) done(tx *sql.Tx) {
	_ = tx.Rollback()
	s.sessions.settle(tx)
}

// exec runs one writing statement on the infobase's writer.
func (s *Service) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.ib.DB.Writer.ExecContext(ctx, query, args...)
}

// compromised is the list of known-compromised passwords the policy checks
// against: the program's own (Config.Compromised), or the file the policy
// names, loaded once per path.
func (s *Service) compromised(p PasswordPolicy) (*Compromised, error) {
	if s.cfg.Compromised != nil || p.CompromisedFile == "" {
		return s.cfg.Compromised, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listed == nil || s.listedPath != p.CompromisedFile {
		list, err := LoadCompromised(p.CompromisedFile)
		if err != nil {
			return nil, fmt.Errorf("%w (the password policy names this list of compromised passwords)", err)
		}
		s.listed, s.listedPath = list, p.CompromisedFile
	}
	return s.listed, nil
}

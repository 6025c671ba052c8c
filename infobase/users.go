package infobase

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"dostup/metadata"
)

// usersTable keeps the infobase's users, as 1C keeps them in the infobase
// and not in the configuration: the configuration's users are only its
// first list, added by Init when missing.
const usersTable = "_dostup_users"

// User is an infobase user with the fields of §5: who it is, its roles, how
// it authenticates and its second-factor settings. Passwords are kept only
// as argon2id hashes (package authn makes and checks them).
type User struct {
	Name     string   `json:"name"`
	FullName string   `json:"full_name,omitempty"`
	Email    string   `json:"email,omitempty"`
	Roles    []string `json:"roles"`
	// OSUser maps an operating-system account to the user.
	OSUser string `json:"os_user,omitempty"`
	// ShowInList shows the user in the login list (ПоказыватьВСпискеВыбора).
	ShowInList bool `json:"show_in_list"`
	// CannotChangePassword refuses the user's own password changes
	// (ЗапрещеноИзменятьПароль); an administrator may still set one.
	CannotChangePassword bool `json:"cannot_change_password"`
	// PasswordAuth is standard (name and password) authentication on
	// (АутентификацияСтандартная).
	PasswordAuth bool `json:"password_auth"`
	// PasswordHash is the argon2id hash in PHC form, or "" for no password.
	PasswordHash string `json:"password_hash,omitempty"`
	// PasswordSetAt is when the password was last set (zero: never).
	PasswordSetAt time.Time `json:"password_set_at,omitzero"`
	// MustChangePassword asks the user to change the password at the next
	// login (ПотребоватьСменуПароляПриВходе).
	MustChangePassword bool `json:"must_change_password"`
	// PasswordHistory holds previous password hashes, newest first, for
	// the policy's reuse limit.
	PasswordHistory []string `json:"password_history,omitempty"`
	// SecondFactor is how the user passes the second factor.
	SecondFactor SecondFactor `json:"second_factor"`
	Created      time.Time    `json:"created,omitzero"`
	Updated      time.Time    `json:"updated,omitzero"`
}

// SecondFactor are a user's second-factor settings.
type SecondFactor struct {
	// TOTPSecret is the base32 TOTP key (RFC 6238), or "" when not enrolled.
	TOTPSecret string `json:"totp_secret,omitempty"`
	// TOTPLastStep is the time step of the last accepted code: a code of
	// that step or an earlier one is refused, so none is replayed.
	TOTPLastStep int64 `json:"totp_last_step,omitempty"`
	// Devices are where a delivered code may be sent (e-mail, phone).
	Devices []string `json:"devices,omitempty"`
	// RecoveryCodes are SHA-256 hashes of unused one-time recovery codes.
	RecoveryCodes []string `json:"recovery_codes,omitempty"`
}

// Enrolled reports whether the user can pass a second factor at all.
func (f SecondFactor) Enrolled() bool {
	return f.TOTPSecret != "" || len(f.Devices) > 0 || len(f.RecoveryCodes) > 0
}

// HasRole reports whether the user holds a role (any letter case).
func (u *User) HasRole(role string) bool {
	for _, r := range u.Roles {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

// ErrNoUser is wrapped by errors about a user the infobase does not have.
var ErrNoUser = errors.New("no such user")

// noUserError names the user missing; it is ErrNoUser for errors.Is.
type noUserError struct{ name string }

func (e *noUserError) Error() string        { return fmt.Sprintf("no user %q in the infobase", e.name) }
func (e *noUserError) Is(target error) bool { return target == ErrNoUser }

// ErrUserExists is wrapped by the error of creating a user twice.
var ErrUserExists = errors.New("the user already exists")

// MaxUserNameLength is the most characters (code points, after NFC) a
// user name may have.
const MaxUserNameLength = 128

// UserNameError refuses a user name as given: blank, too long, not UTF-8,
// or holding control characters. Callers answer it as bad input (HTTP 400,
// exit code 2).
type UserNameError struct {
	// Name is the name as given, shortened for messages.
	Name   string
	Reason string
}

func (e *UserNameError) Error() string {
	if e.Name == "" {
		return "user name: " + e.Reason
	}
	return fmt.Sprintf("user name %q: %s", e.Name, e.Reason)
}

// NormalizeUserName is the one form of a user name given on input — at a
// login, on the command line, in a request: spaces around it (any Unicode
// space) trimmed and NFC-normalised, so that a name typed on two keyboards
// is one name. It refuses a blank name, one longer than MaxUserNameLength,
// and one holding control characters (C0 and C1 controls, line and
// paragraph separators, bidirectional overrides and isolates, which make a
// name read as another). Looking an account up is case-insensitive on top
// of this; the account's stored name is what logs and locks use.
func NormalizeUserName(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", &UserNameError{Name: clipName(strings.ToValidUTF8(name, "\uFFFD")), Reason: "is not valid UTF-8"}
	}
	n := strings.TrimSpace(name)
	// A name is a few hundred bytes at most, whatever its marks: past this
	// it is refused without normalising it.
	if len(n) > 64*MaxUserNameLength {
		return "", &UserNameError{Name: clipName(n), Reason: fmt.Sprintf("is longer than %d characters", MaxUserNameLength)}
	}
	n = strings.TrimSpace(norm.NFC.String(n))
	if n == "" {
		return "", &UserNameError{Reason: "a user name must not be blank"}
	}
	count := 0
	for _, r := range n {
		if isNameControl(r) {
			return "", &UserNameError{Name: clipName(n), Reason: fmt.Sprintf("holds the control character %U: a name is printable text", r)}
		}
		count++
	}
	if count > MaxUserNameLength {
		return "", &UserNameError{Name: clipName(n), Reason: fmt.Sprintf("is %d characters long, more than %d", count, MaxUserNameLength)}
	}
	return n, nil
}

// isNameControl reports the characters a user name may not hold.
func isNameControl(r rune) bool {
	switch {
	case unicode.IsControl(r), r == '\u2028', r == '\u2029':
		return true
	case r == '\u200e', r == '\u200f', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true // bidirectional marks, embeddings, overrides and isolates
	}
	return false
}

// clipName shortens a refused name for its message.
func clipName(s string) string {
	const keep = 40
	if utf8.RuneCountInString(s) <= keep {
		return s
	}
	return string([]rune(s)[:keep]) + "…"
}

// createUsersTable makes the users table when missing. Rows are the user
// as JSON beside its key: the fields of §5 grow (second factors, history)
// without a schema change, and each backend stores text the same way; the
// version column makes UpdateUser a compare-and-swap.
func createUsersTable(ctx context.Context, tx *sql.Tx, db *DB) error {
	q := db.Dialect.Quote
	_, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+q(usersTable)+" (name_key TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL, version BIGINT NOT NULL)")
	if err != nil {
		return fmt.Errorf("creating %s: %w", usersTable, err)
	}
	return nil
}

// seedUsers adds the configuration's users the infobase does not have yet.
// A user already in the infobase is left as it is: its roles and password
// belong to the infobase from then on.
func seedUsers(ctx context.Context, tx *sql.Tx, db *DB, cfg *metadata.Configuration) error {
	now := time.Now().UTC()
	for _, cu := range cfg.Users {
		var n int
		err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+db.Dialect.Quote(usersTable)+" WHERE name_key = "+db.Dialect.Placeholder(1), userKey(cu.Name)).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		u := &User{Name: cu.Name, FullName: cu.FullName, Email: cu.Email, Roles: append([]string{}, cu.Roles...),
			OSUser: cu.OSUser, ShowInList: true, PasswordAuth: true, Created: now, Updated: now}
		if err := insertUser(ctx, tx, db, u); err != nil {
			return err
		}
	}
	return nil
}

func userKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

func insertUser(ctx context.Context, tx *sql.Tx, db *DB, u *User) error {
	data, err := json.Marshal(u)
	if err != nil {
		return err
	}
	p := db.Dialect.Placeholder
	_, err = tx.ExecContext(ctx, "INSERT INTO "+db.Dialect.Quote(usersTable)+" (name_key, name, data, version) VALUES ("+p(1)+", "+p(2)+", "+p(3)+", 1)", userKey(u.Name), u.Name, string(data))
	return err
}

// Users lists the infobase's users by name.
func (ib *Infobase) Users(ctx context.Context) ([]*User, error) {
	rows, err := ib.DB.SQL.QueryContext(ctx, "SELECT data FROM "+ib.DB.Dialect.Quote(usersTable)+" ORDER BY name_key")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		u := &User{}
		if err := json.Unmarshal([]byte(data), u); err != nil {
			return nil, fmt.Errorf("a stored user does not read: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// User returns a user by name, in any letter case; the error wraps
// ErrNoUser when there is none.
func (ib *Infobase) User(ctx context.Context, name string) (*User, error) {
	u, _, err := ib.readUser(ctx, ib.DB.SQL, name)
	return u, err
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (ib *Infobase) readUser(ctx context.Context, q queryRower, name string) (*User, int64, error) {
	var data string
	var version int64
	err := q.QueryRowContext(ctx, "SELECT data, version FROM "+ib.DB.Dialect.Quote(usersTable)+" WHERE name_key = "+ib.DB.Dialect.Placeholder(1), userKey(name)).Scan(&data, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, &noUserError{name}
	}
	if err != nil {
		return nil, 0, err
	}
	u := &User{}
	if err := json.Unmarshal([]byte(data), u); err != nil {
		return nil, 0, fmt.Errorf("user %q: its stored record does not read: %w", name, err)
	}
	return u, version, nil
}

// UserByOSAccount returns the user mapped to an operating-system account
// (user, or DOMAIN\user matched whole or by its user part), or an error
// wrapping ErrNoUser.
func (ib *Infobase) UserByOSAccount(ctx context.Context, account string) (*User, error) {
	short := account
	if i := strings.LastIndexAny(account, `\/`); i >= 0 {
		short = account[i+1:]
	}
	users, err := ib.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.OSUser != "" && (strings.EqualFold(u.OSUser, account) || strings.EqualFold(u.OSUser, short)) {
			return u, nil
		}
	}
	return nil, fmt.Errorf("OS account %q: %w", account, ErrNoUser)
}

// CreateUser adds a user. Its name must be new (in any letter case) and its
// roles must be the configuration's.
func (ib *Infobase) CreateUser(ctx context.Context, u *User) error {
	if err := ib.validUser(u); err != nil {
		return err
	}
	now := time.Now().UTC()
	u.Created, u.Updated = now, now
	tx, err := ib.DB.Writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, _, err := ib.readUser(ctx, tx, u.Name); err == nil {
		return fmt.Errorf("user %q: %w", u.Name, ErrUserExists)
	} else if !errors.Is(err, ErrNoUser) {
		return err
	}
	if err := insertUser(ctx, tx, ib.DB, u); err != nil {
		return fmt.Errorf("user %q: %w", u.Name, err)
	}
	return tx.Commit()
}

// validUser checks what the infobase requires of a user record.
func (ib *Infobase) validUser(u *User) error {
	name, err := NormalizeUserName(u.Name)
	if err != nil {
		return err
	}
	if name != u.Name {
		return &UserNameError{Name: clipName(u.Name), Reason: fmt.Sprintf("has spaces around it or is not in Unicode normal form C: give %q", name)}
	}
	seen := map[string]bool{}
	for _, r := range u.Roles {
		role := ib.Config.Role(r)
		if role == nil {
			return fmt.Errorf("user %s: role %q is not in the configuration", u.Name, r)
		}
		if seen[strings.ToLower(role.Name)] {
			return fmt.Errorf("user %s: role %s is listed twice", u.Name, role.Name)
		}
		seen[strings.ToLower(role.Name)] = true
	}
	if u.Roles == nil {
		u.Roles = []string{}
	}
	return nil
}

// UpdateUser changes a user: fn gets the stored record and changes it in
// place; the change is written only if nobody else changed the user
// meanwhile, else fn runs again on the newer record. An error from fn
// changes nothing. The name cannot change.
func (ib *Infobase) UpdateUser(ctx context.Context, name string, fn func(*User) error) (*User, error) {
	for attempt := 0; ; attempt++ {
		u, version, err := ib.readUser(ctx, ib.DB.SQL, name)
		if err != nil {
			return nil, err
		}
		stored := u.Name
		if err := fn(u); err != nil {
			return nil, err
		}
		if u.Name != stored {
			return nil, fmt.Errorf("user %s: a user's name cannot be changed", stored)
		}
		if err := ib.validUser(u); err != nil {
			return nil, err
		}
		if err := ib.keepsAdministrator(ctx, stored, u); err != nil {
			return nil, err
		}
		u.Updated = time.Now().UTC()
		data, err := json.Marshal(u)
		if err != nil {
			return nil, err
		}
		p := ib.DB.Dialect.Placeholder
		res, err := ib.DB.Writer.ExecContext(ctx, "UPDATE "+ib.DB.Dialect.Quote(usersTable)+" SET data = "+p(1)+", version = version + 1 WHERE name_key = "+p(2)+" AND version = "+p(3), string(data), userKey(name), version)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return u, nil
		}
		if attempt >= 20 {
			return nil, fmt.Errorf("user %s: changed by others too often to write; try again", name)
		}
	}
}

// DeleteUser removes a user; the last user holding Администрирование stays
// while others remain (ErrLastAdministrator).
func (ib *Infobase) DeleteUser(ctx context.Context, name string) error {
	if err := ib.keepsAdministrator(ctx, name, nil); err != nil {
		return err
	}
	res, err := ib.DB.Writer.ExecContext(ctx, "DELETE FROM "+ib.DB.Dialect.Quote(usersTable)+" WHERE name_key = "+ib.DB.Dialect.Placeholder(1), userKey(name))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %q: %w", name, ErrNoUser)
	}
	return nil
}

// ErrLastAdministrator refuses a change that would leave the infobase with
// users but none holding Администрирование: 1C's rule, without which nobody
// could administer the infobase any more.
var ErrLastAdministrator = errors.New("the infobase would have users but no administrator")

// keepsAdministrator checks the rule for a change of one user (nil: the
// user is deleted). It reads before the change is written, so two
// administrators demoting each other at the same moment could both pass:
// it guards against a slip, it is not a lock.
func (ib *Infobase) keepsAdministrator(ctx context.Context, name string, changed *User) error {
	users, err := ib.Users(ctx)
	if err != nil {
		return err
	}
	before, after, remaining := false, false, 0
	for _, u := range users {
		ok, err := ib.policy().HasRight(u.Roles, "Администрирование", "")
		if err != nil {
			return err
		}
		before = before || ok
		if userKey(u.Name) == userKey(name) {
			if changed == nil {
				continue
			}
			if ok, err = ib.policy().HasRight(changed.Roles, "Администрирование", ""); err != nil {
				return err
			}
		}
		remaining++
		after = after || ok
	}
	if before && !after && remaining > 0 {
		return fmt.Errorf("user %s is the last one holding Администрирование (Administration): give it to another user first (%w)", name, ErrLastAdministrator)
	}
	return nil
}

// ensureUsers gives an infobase made before users were kept in it its
// users table, with the configuration's users.
func ensureUsers(ctx context.Context, db *DB, cfg *metadata.Configuration) error {
	// Read first: every open of an infobase that has its users (all but
	// the first) then takes no write lock.
	if cols, err := existingColumns(ctx, db.SQL, db, usersTable); err != nil || cols != nil {
		return err
	}
	tx, err := db.Writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cols, err := existingColumns(ctx, tx, db, usersTable)
	if err != nil || cols != nil {
		return err
	}
	if err := createUsersTable(ctx, tx, db); err != nil {
		return err
	}
	if err := seedUsers(ctx, tx, db, cfg); err != nil {
		return err
	}
	return tx.Commit()
}

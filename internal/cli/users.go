package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os/user"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"dostup/authn"
	"dostup/infobase"
	"dostup/metadata"
)

// The users commands are an administrator's console over the users kept in
// an infobase (SPEC §5, §7). Every change goes through authn.Service, which
// checks it and writes it to the event log, so a change made here reads in
// the log like one made through the server.

func newUsersCmd(e *env) *cobra.Command {
	var dsn string
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Manage an infobase's users: passwords, roles, locks, second factors, policy, sessions",
		Long: `users manages the users kept in an infobase, as the administrator at the
console: add, change and delete them, set and change passwords under the
password policy, lock and unlock accounts and source addresses, give roles,
enrol second factors (TOTP and recovery codes), set the password, lockout and
session policy, and list and revoke sessions. Every change is written to the
event log (dostup log) with the OS account that ran the command and source
"cli".

Exit codes: 0 done; 1 a problem (a password the policy refuses, with every
violation listed; a user that already exists); 2 bad usage (an unknown user or
role, a bad flag value); 3 refused (a self-service change with a wrong old
password, or by a user who may not change the password).

  dostup users add --db demo.db kuznetsov --full-name "Кузнецов Олег" --roles Менеджер --password-stdin
  dostup users list --db demo.db`,
	}
	cmd.PersistentFlags().StringVar(&dsn, "db", "", "the infobase: an SQLite file or a postgres:// URL")
	cmd.AddCommand(newUsersAddCmd(e, &dsn), newUsersSetCmd(e, &dsn), newUsersListCmd(e, &dsn), newUsersShowCmd(e, &dsn),
		newUsersPasswdCmd(e, &dsn), newUsersLockCmd(e, &dsn), newUsersUnlockCmd(e, &dsn), newUsersLocksCmd(e, &dsn),
		newUsersRolesCmd(e, &dsn), newUsersOTPEnrollCmd(e, &dsn), newUsersRecoveryCodesCmd(e, &dsn), newUsersPolicyCmd(e, &dsn),
		newUsersDeleteCmd(e, &dsn), newUsersSessionsCmd(e, &dsn), newUsersRevokeCmd(e, &dsn))
	return cmd
}

// adminConsole is what an administrator's command works with: the
// infobase, its authentication service, and who acts, for the event log.
type adminConsole struct {
	ib  *infobase.Infobase
	svc *authn.Service
	by  authn.Actor
}

// openAdmin opens the infobase at dsn and its authentication service (which
// loads the policy's list of compromised passwords when a password is set).
func openAdmin(ctx context.Context, dsn string) (*adminConsole, error) {
	if dsn == "" {
		return nil, usageError(errors.New("--db is required"))
	}
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if err != nil {
		return nil, usageError(err)
	}
	svc, err := authn.New(ctx, ib, authn.Config{})
	if err != nil {
		ib.Close()
		return nil, failure(err)
	}
	return &adminConsole{ib: ib, svc: svc, by: consoleActor()}, nil
}

func (c *adminConsole) close() { c.ib.Close() }

// consoleActor is the administrator at the console: the OS account that
// runs the command is the most the log can truthfully say about who it is.
func consoleActor() authn.Actor {
	name := "console"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return authn.Actor{User: name, Source: "cli"}
}

// adminError gives an error of the authentication service its exit code:
// an unknown user is bad usage (2), a password the policy refuses prints
// every violation with its code (1), a refused self-service change is
// access denied (3), anything else a problem (1).
func adminError(e *env, err error) error {
	var pe *authn.PolicyError
	var le *authn.LockedError
	var ne *infobase.UserNameError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, infobase.ErrNoUser), errors.As(err, &ne):
		return usageError(err)
	case errors.As(err, &pe):
		fmt.Fprintln(e.stderr, "dostup: the password policy refuses the password:")
		for _, v := range pe.Violations {
			fmt.Fprintf(e.stderr, "  %s: %s\n", v.Code, v.Message)
		}
		return silent{code: ExitFailure}
	case errors.Is(err, authn.ErrCannotChangePassword), errors.Is(err, authn.ErrBadCredentials), errors.As(err, &le), errors.Is(err, authn.ErrTooManyAttempts):
		return &exitError{code: ExitDenied, err: err}
	}
	return failure(err)
}

// resolveRoles turns role names given in any letter case, in lists
// separated by commas, into the configuration's names, without repeats.
// An unknown role is bad usage, and the message lists the roles there are.
func resolveRoles(cfg *metadata.Configuration, given []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, g := range given {
		for _, name := range strings.Split(g, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			r := cfg.Role(name)
			if r == nil {
				var all []string
				for _, r := range cfg.Roles {
					all = append(all, r.Name)
				}
				return nil, usageError(fmt.Errorf("role %q is not in the configuration (roles: %s)", name, strings.Join(all, ", ")))
			}
			if !seen[strings.ToLower(r.Name)] {
				seen[strings.ToLower(r.Name)] = true
				out = append(out, r.Name)
			}
		}
	}
	return out, nil
}

// userName normalises a NAME argument as every user name on input is
// (infobase.NormalizeUserName) before it reaches the infobase, so that a
// blank, overlong or garbled name is bad usage rather than a lookup that
// finds nothing.
func userName(name string) (string, error) {
	n, err := infobase.NormalizeUserName(name)
	if err != nil {
		return "", usageError(err)
	}
	return n, nil
}

// passwordInput is where a command takes a password from: --password P
// (seen by anyone who lists processes, so meant for scripts in a safe
// place) or one line of standard input (--password-stdin).
type passwordInput struct {
	value string
	stdin bool
}

func (p *passwordInput) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&p.value, "password", "", "the password (visible in the process list: prefer --password-stdin)")
	cmd.Flags().BoolVar(&p.stdin, "password-stdin", false, "read the password from the first line of standard input")
}

// read returns the password given, or "" when none was.
func (p *passwordInput) read(cmd *cobra.Command, e *env) (string, error) {
	given := cmd.Flags().Changed("password")
	switch {
	case given && p.stdin:
		return "", usageError(errors.New("give the password with --password or --password-stdin, not both"))
	case given && p.value == "":
		return "", usageError(errors.New("--password is empty"))
	case given:
		return p.value, nil
	case !p.stdin:
		return "", nil
	}
	lines, err := readLines(e.stdin, 1)
	if err != nil {
		return "", err
	}
	return lines[0], nil
}

// readLines reads n non-empty lines of standard input without their line
// ends; anything else on a line, spaces included, is part of the password.
func readLines(r io.Reader, n int) ([]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, usageError(fmt.Errorf("reading standard input: %v", err))
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) < n {
		return nil, usageError(fmt.Errorf("expected %d lines on standard input, got %d", n, len(lines)))
	}
	lines = lines[:n]
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
		if lines[i] == "" {
			return nil, usageError(fmt.Errorf("line %d of standard input is empty: expected a password", i+1))
		}
	}
	return lines, nil
}

// checkFormat refuses an output format the command does not write.
func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usageError(fmt.Errorf("--format must be %s, not %q", strings.Join(allowed, ", "), format))
}

// encodeJSONTo writes v as indented JSON, with < > & as they are: the
// output is read by people and tools, not embedded in HTML.
func encodeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// safeCell makes a value safe to print in a terminal table: a tab or a
// newline would break the columns, and an escape sequence in a hostile user
// name could rewrite the administrator's screen.
func safeCell(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// writeTable prints rows under a header, columns aligned.
func writeTable(w io.Writer, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = safeCell(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// userView is a user as the console shows it. Password hashes, their
// history, TOTP secrets and recovery codes are never part of it: only
// whether they are set, and how many.
type userView struct {
	Name                 string   `json:"name"`
	FullName             string   `json:"full_name"`
	Email                string   `json:"email,omitempty"`
	Roles                []string `json:"roles"`
	OSUser               string   `json:"os_user,omitempty"`
	ShowInList           bool     `json:"show_in_list"`
	PasswordAuth         bool     `json:"password_auth"`
	PasswordSet          bool     `json:"password_set"`
	PasswordSetAt        string   `json:"password_set_at,omitempty"`
	PasswordHistory      int      `json:"password_history"`
	MustChangePassword   bool     `json:"must_change_password"`
	CannotChangePassword bool     `json:"cannot_change_password"`
	// ExpiresInDays is null when the password never expires: the policy
	// has no maximum age, or the user has no password.
	ExpiresInDays *int `json:"expires_in_days"`
	Expired       bool `json:"expired"`
	Locked        bool `json:"locked"`
	// LockedUntil is empty for an administrator's lock, which lasts until
	// an administrator lifts it.
	LockedUntil  string           `json:"locked_until,omitempty"`
	LockReason   string           `json:"lock_reason,omitempty"`
	SecondFactor secondFactorView `json:"second_factor"`
	Created      string           `json:"created,omitempty"`
	Updated      string           `json:"updated,omitempty"`
}

type secondFactorView struct {
	TOTP          bool     `json:"totp"`
	Devices       []string `json:"devices"`
	RecoveryCodes int      `json:"recovery_codes"`
}

// userViews makes the views of users with the policy and the locks in
// force now.
func userViews(ctx context.Context, c *adminConsole, users []*infobase.User) ([]userView, error) {
	set, err := c.svc.Settings(ctx)
	if err != nil {
		return nil, err
	}
	locks, err := c.svc.Locks(ctx)
	if err != nil {
		return nil, err
	}
	byKey := map[string]authn.Lock{}
	for _, l := range locks {
		byKey[l.Key] = l
	}
	now := time.Now()
	out := make([]userView, 0, len(users))
	for _, u := range users {
		v := userView{
			Name: u.Name, FullName: u.FullName, Email: u.Email, Roles: u.Roles, OSUser: u.OSUser,
			ShowInList: u.ShowInList, PasswordAuth: u.PasswordAuth, PasswordSet: u.PasswordHash != "",
			PasswordHistory: len(u.PasswordHistory), MustChangePassword: u.MustChangePassword,
			CannotChangePassword: u.CannotChangePassword,
			SecondFactor: secondFactorView{TOTP: u.SecondFactor.TOTPSecret != "", Devices: u.SecondFactor.Devices,
				RecoveryCodes: len(u.SecondFactor.RecoveryCodes)},
			Created: rfc3339(u.Created), Updated: rfc3339(u.Updated),
		}
		if v.Roles == nil {
			v.Roles = []string{}
		}
		if v.SecondFactor.Devices == nil {
			v.SecondFactor.Devices = []string{}
		}
		if v.PasswordSet {
			v.PasswordSetAt = rfc3339(u.PasswordSetAt)
			if d, ok := set.Policy.ExpiresIn(u.PasswordSetAt, now); ok {
				days := int(math.Ceil(d.Hours() / 24))
				v.ExpiresInDays, v.Expired = &days, d <= 0
			}
		}
		// The service keys a user's lock by the name in lower case.
		if l, ok := byKey["user:"+strings.ToLower(strings.TrimSpace(u.Name))]; ok {
			v.Locked, v.LockReason = true, l.Reason
			if l.Until.Year() < 9999 {
				v.LockedUntil = rfc3339(l.Until)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// rfc3339 is a time for JSON and CSV, empty when it is unknown.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// localTime is a stored time as the administrator's clock shows it.
func localTime(s, layout string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.Local().Format(layout)
}

// Readable forms of a view's fields for tables and the show command.
func (v userView) passwordText() string {
	s := "no"
	if v.PasswordSet {
		s = "yes, " + localTime(v.PasswordSetAt, "2006-01-02")
	}
	if v.MustChangePassword {
		s += ", must change"
	}
	if !v.PasswordAuth {
		s += ", login off"
	}
	return s
}

func (v userView) expiresText() string {
	switch {
	case !v.PasswordSet:
		return "-"
	case v.ExpiresInDays == nil:
		return "never"
	case v.Expired:
		return "expired"
	case *v.ExpiresInDays == 1:
		return "in 1 day"
	}
	return fmt.Sprintf("in %d days", *v.ExpiresInDays)
}

func (v userView) lockedText() string {
	switch {
	case !v.Locked:
		return "no"
	case v.LockedUntil == "":
		return "yes (administrator)"
	}
	return "until " + localTime(v.LockedUntil, "2006-01-02 15:04")
}

func (v userView) secondFactorText() string {
	var parts []string
	if v.SecondFactor.TOTP {
		parts = append(parts, "totp")
	}
	if n := len(v.SecondFactor.Devices); n > 0 {
		parts = append(parts, plural(n, "device", "devices"))
	}
	if n := v.SecondFactor.RecoveryCodes; n > 0 {
		parts = append(parts, plural(n, "recovery code", "recovery codes"))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func newUsersAddCmd(e *env, dsn *string) *cobra.Command {
	var fullName, email, osUser string
	var roles []string
	var pw passwordInput
	var mustChange, noPasswordAuth, hidden bool
	cmd := &cobra.Command{
		Use:   "add NAME [--full-name TEXT] [--email ADDR] [--roles R1,R2] [--os-user ACCOUNT] [--password-stdin | --password P] [--must-change] [--no-password-auth] [--hidden]",
		Short: "Add a user",
		Long: `add creates the user NAME (unique in any letter case) with the roles given
(names of the configuration's roles, in any letter case). A password, when
given, must satisfy the password policy (dostup users policy): a refused one
prints every violation with its code and exits 1, and the user is not added.
Without a password the user has none until dostup users passwd sets one.

--must-change makes the user change the password at the next login;
--no-password-auth turns name-and-password login off (АутентификацияСтандартная);
--hidden leaves the user out of the login list (ПоказыватьВСпискеВыбора).

  printf '%s\n' 'Kp7#wd9!' | dostup users add --db demo.db kuznetsov --roles Менеджер --password-stdin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := userName(args[0])
			if err != nil {
				return err
			}
			password, err := pw.read(cmd, e)
			if err != nil {
				return err
			}
			ctx := context.Background()
			c, err := openAdmin(ctx, *dsn)
			if err != nil {
				return err
			}
			defer c.close()
			rs, err := resolveRoles(c.ib.Config, roles)
			if err != nil {
				return err
			}
			u := &infobase.User{Name: name, FullName: fullName, Email: email, Roles: rs, OSUser: osUser,
				ShowInList: !hidden, PasswordAuth: !noPasswordAuth, MustChangePassword: mustChange}
			if err := c.svc.AddUser(ctx, u, password, c.by); err != nil {
				return adminError(e, err)
			}
			fmt.Fprintf(e.stdout, "added user %s (roles: %s; password: %s)\n", u.Name, strings.Join(rs, ", "), yesNo(password != ""))
			return nil
		},
	}
	cmd.Flags().StringVar(&fullName, "full-name", "", "the user's full name")
	cmd.Flags().StringVar(&email, "email", "", "the user's e-mail address")
	cmd.Flags().StringVar(&osUser, "os-user", "", "the OS account mapped to the user (user or DOMAIN\\user)")
	cmd.Flags().StringSliceVar(&roles, "roles", nil, "roles, separated by commas (repeatable)")
	pw.flags(cmd)
	cmd.Flags().BoolVar(&mustChange, "must-change", false, "the user must change the password at the next login")
	cmd.Flags().BoolVar(&noPasswordAuth, "no-password-auth", false, "turn name-and-password login off for the user")
	cmd.Flags().BoolVar(&hidden, "hidden", false, "leave the user out of the login list")
	return cmd
}

func newUsersSetCmd(e *env, dsn *string) *cobra.Command {
	var fullName, email, osUser string
	var showInList, cannotChange, passwordAuth, mustChange bool
	var devices []string
	cmd := &cobra.Command{
		Use:   "set NAME [--full-name TEXT] [--email ADDR] [--os-user ACCOUNT] [--show-in-list=BOOL] [--cannot-change-password=BOOL] [--password-auth=BOOL] [--must-change=BOOL] [--devices A,B]",
		Short: "Change a user's fields; only the flags given change",
		Long: `set changes the fields of the user NAME that the flags name, and leaves the
rest as they are: --full-name, --email, --os-user (empty to unmap),
--show-in-list, --cannot-change-password (ЗапрещеноИзменятьПароль),
--password-auth (name-and-password login), --must-change (ask for a new
password at the next login) and --devices (where delivered second-factor
codes may be sent, separated by commas; empty to remove them all).
Passwords, roles and second-factor secrets have their own commands (passwd,
roles, otp-enroll, recovery-codes).

  dostup users set --db demo.db ivanov --email ivanov@example.com --cannot-change-password`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := userName(args[0])
			if err != nil {
				return err
			}
			changed := cmd.Flags().Changed
			n := 0
			for _, f := range []string{"full-name", "email", "os-user", "show-in-list", "cannot-change-password", "password-auth", "must-change", "devices"} {
				if changed(f) {
					n++
				}
			}
			if n == 0 {
				return usageError(errors.New("nothing to change: give the fields to change as flags (see --help)"))
			}
			var devs []string
			for _, d := range devices {
				if d = strings.TrimSpace(d); d != "" {
					devs = append(devs, d)
				}
			}
			ctx := context.Background()
			c, err := openAdmin(ctx, *dsn)
			if err != nil {
				return err
			}
			defer c.close()
			_, err = c.svc.UpdateUser(ctx, name, func(u *infobase.User) error {
				if changed("full-name") {
					u.FullName = fullName
				}
				if changed("email") {
					u.Email = email
				}
				if changed("os-user") {
					u.OSUser = osUser
				}
				if changed("show-in-list") {
					u.ShowInList = showInList
				}
				if changed("cannot-change-password") {
					u.CannotChangePassword = cannotChange
				}
				if changed("password-auth") {
					u.PasswordAuth = passwordAuth
				}
				if changed("must-change") {
					u.MustChangePassword = mustChange
				}
				if changed("devices") {
					u.SecondFactor.Devices = devs
				}
				return nil
			}, c.by)
			if err != nil {
				return adminError(e, err)
			}
			fmt.Fprintf(e.stdout, "updated user %s\n", name)
			return nil
		},
	}
	cmd.Flags().StringVar(&fullName, "full-name", "", "the user's full name")
	cmd.Flags().StringVar(&email, "email", "", "the user's e-mail address")
	cmd.Flags().StringVar(&osUser, "os-user", "", "the OS account mapped to the user; empty to unmap")
	cmd.Flags().BoolVar(&showInList, "show-in-list", true, "show the user in the login list")
	cmd.Flags().BoolVar(&cannotChange, "cannot-change-password", false, "refuse the user's own password changes")
	cmd.Flags().BoolVar(&passwordAuth, "password-auth", true, "name-and-password login on")
	cmd.Flags().BoolVar(&mustChange, "must-change", false, "the user must change the password at the next login")
	cmd.Flags().StringSliceVar(&devices, "devices", nil, "devices for delivered codes (e-mail, phone), separated by commas")
	return cmd
}

func newUsersListCmd(e *env, dsn *string) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list [--format table|json|csv]",
		Short: "List the users with their roles, passwords, locks and second factors",
		Long: `list prints every user of the infobase, those hidden from the login list too
(the LISTED column): full name, roles, whether a password is set and when,
when it expires under the policy's maximum age ("never" without one, "-"
without a password), whether the account is locked (by an administrator, or
until a time after repeated failures), and the second factors enrolled: TOTP,
devices for delivered codes, recovery codes left. Password hashes and secrets
are never shown.

JSON is an array of objects with the same facts; CSV has one column per fact.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			ctx := context.Background()
			c, err := openAdmin(ctx, *dsn)
			if err != nil {
				return err
			}
			defer c.close()
			users, err := c.ib.Users(ctx)
			if err != nil {
				return failure(err)
			}
			views, err := userViews(ctx, c, users)
			if err != nil {
				return failure(err)
			}
			switch format {
			case "json":
				return encodeJSONTo(e.stdout, views)
			case "csv":
				w := csv.NewWriter(e.stdout)
				_ = w.Write([]string{"name", "full_name", "roles", "password_set", "password_set_at", "expires_in_days", "expired",
					"locked", "locked_until", "totp", "devices", "recovery_codes", "show_in_list", "password_auth", "must_change_password"})
				for _, v := range views {
					days := ""
					if v.ExpiresInDays != nil {
						days = strconv.Itoa(*v.ExpiresInDays)
					}
					_ = w.Write([]string{v.Name, v.FullName, strings.Join(v.Roles, ";"), yesNo(v.PasswordSet), v.PasswordSetAt, days, yesNo(v.Expired),
						yesNo(v.Locked), v.LockedUntil, yesNo(v.SecondFactor.TOTP), strings.Join(v.SecondFactor.Devices, ";"),
						strconv.Itoa(v.SecondFactor.RecoveryCodes), yesNo(v.ShowInList), yesNo(v.PasswordAuth), yesNo(v.MustChangePassword)})
				}
				w.Flush()
				return w.Error()
			}
			rows := make([][]string, len(views))
			for i, v := range views {
				rows[i] = []string{v.Name, v.FullName, strings.Join(v.Roles, ", "), v.passwordText(), v.expiresText(),
					v.lockedText(), v.secondFactorText(), yesNo(v.ShowInList)}
			}
			return writeTable(e.stdout, []string{"NAME", "FULL NAME", "ROLES", "PASSWORD", "EXPIRES", "LOCKED", "SECOND FACTOR", "LISTED"}, rows)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	return cmd
}

func newUsersShowCmd(e *env, dsn *string) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show NAME [--format text|json]",
		Short: "Show one user",
		Long: `show prints everything about the user NAME that list does, and the e-mail,
OS account, password history length and dates of creation and change.
Password hashes, TOTP secrets and recovery codes are never printed: only
whether they are set and how many. An unknown user exits 2.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			name, err := userName(args[0])
			if err != nil {
				return err
			}
			ctx := context.Background()
			c, err := openAdmin(ctx, *dsn)
			if err != nil {
				return err
			}
			defer c.close()
			u, err := c.ib.User(ctx, name)
			if err != nil {
				return adminError(e, err)
			}
			views, err := userViews(ctx, c, []*infobase.User{u})
			if err != nil {
				return failure(err)
			}
			v := views[0]
			if format == "json" {
				return encodeJSONTo(e.stdout, v)
			}
			totp := "not enrolled"
			if v.SecondFactor.TOTP {
				totp = "enrolled"
			}
			return writeFields(e.stdout, [][2]string{
				{"name", v.Name}, {"full name", v.FullName}, {"e-mail", v.Email}, {"roles", strings.Join(v.Roles, ", ")},
				{"os user", v.OSUser}, {"listed", yesNo(v.ShowInList)}, {"password login", yesNo(v.PasswordAuth)},
				{"password", v.passwordText()}, {"password history", strconv.Itoa(v.PasswordHistory)},
				{"expires", v.expiresText()}, {"cannot change password", yesNo(v.CannotChangePassword)},
				{"locked", v.lockedText()}, {"totp", totp}, {"devices", strings.Join(v.SecondFactor.Devices, ", ")},
				{"recovery codes", strconv.Itoa(v.SecondFactor.RecoveryCodes)},
				{"created", localTime(v.Created, "2006-01-02 15:04:05")}, {"updated", localTime(v.Updated, "2006-01-02 15:04:05")},
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output: text or json")
	return cmd
}

// writeFields prints "name: value" lines with the values aligned.
func writeFields(w io.Writer, fields [][2]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	for _, f := range fields {
		fmt.Fprintf(tw, "%s:\t%s\n", f[0], safeCell(f[1]))
	}
	return tw.Flush()
}

func newUsersRolesCmd(e *env, dsn *string) *cobra.Command {
	var add, remove, set []string
	cmd := &cobra.Command{
		Use:   "roles NAME [--set R1,R2] [--add R]... [--remove R]...",
		Short: "Show or change a user's roles",
		Long: `roles prints the roles of the user NAME, one a line, after changing them:
--set replaces them all (empty for none), then --add adds and --remove takes
away (each repeatable or separated by commas). Roles are the configuration's,
in any letter case; an unknown role exits 2 and changes nothing. Adding a role
held or removing one not held changes nothing.

A change that would leave the infobase's users without anyone holding
Администрирование is refused (exit 1), as in 1C: give the right to another
user first. A change of roles ends the user's sessions (each logged as
_$Session$_.Finish with reason "roles changed"): they hold the roles they
began with, and the user logs in again to hold the new ones.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := userName(args[0])
			if err != nil {
				return err
			}
			ctx := context.Background()
			c, err := openAdmin(ctx, *dsn)
			if err != nil {
				return err
			}
			defer c.close()
			toSet, err := resolveRoles(c.ib.Config, set)
			if err != nil {
				return err
			}
			toAdd, err := resolveRoles(c.ib.Config, add)
			if err != nil {
				return err
			}
			toRemove, err := resolveRoles(c.ib.Config, remove)
			if err != nil {
				return err
			}
			u, err := c.ib.User(ctx, name)
			if err != nil {
				return adminError(e, err)
			}
			if cmd.Flags().Changed("set") || len(toAdd) > 0 || len(toRemove) > 0 {
				change := func(roles []string) []string {
					if cmd.Flags().Changed("set") {
						roles = toSet
					}
					out := []string{}
					for _, r := range roles {
						if !containsFold(toRemove, r) {
							out = append(out, r)
						}
					}
					for _, r := range toAdd {
						if !containsFold(out, r) {
							out = append(out, r)
						}
					}
					return out
				}
				if u, err = c.svc.UpdateUser(ctx, name, func(x *infobase.User) error {
					x.Roles = change(x.Roles)
					return nil
				}, c.by); err != nil {
					return adminError(e, err)
				}
			}
			for _, r := range u.Roles {
				fmt.Fprintln(e.stdout, r)
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&set, "set", nil, "replace the roles with these (separated by commas; empty for none)")
	cmd.Flags().StringSliceVar(&add, "add", nil, "add a role (repeatable)")
	cmd.Flags().StringSliceVar(&remove, "remove", nil, "remove a role (repeatable)")
	return cmd
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func newUsersDeleteCmd(e *env, dsn *string) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a user and end its sessions",
		Long: `delete removes the user NAME from the infobase and ends its sessions. The last
user holding Администрирование cannot be deleted while other users remain
(exit 1). An unknown user exits 2.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := userName(args[0])
			if err != nil {
				return err
			}
			ctx := context.Background()
			c, err := openAdmin(ctx, *dsn)
			if err != nil {
				return err
			}
			defer c.close()
			u, err := c.ib.User(ctx, name)
			if err != nil {
				return adminError(e, err)
			}
			if err := c.svc.DeleteUser(ctx, u.Name, c.by); err != nil {
				return adminError(e, err)
			}
			fmt.Fprintf(e.stdout, "deleted user %s\n", u.Name)
			return nil
		},
	}
}

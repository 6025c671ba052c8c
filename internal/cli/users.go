package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"dostup/infobase"
	"dostup/metadata"
	"dostup/wire"
)

// The users commands are an administrator's console over the users kept in
// an infobase (SPEC §5, §7). Every change goes through wire.Admin, the
// operations the server's /api/v1/users run too, and so through
// authn.Service, which checks it and writes it to the event log: a change
// made here reads in the log like one made through the server.

func newUsersCmd(e *env) *cobra.Command {
	return dbGroup(e, &cobra.Command{
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
	}, new(string), newUsersAddCmd, newUsersSetCmd, newUsersListCmd, newUsersShowCmd,
		newUsersPasswdCmd, newUsersLockCmd, newUsersUnlockCmd, newUsersLocksCmd,
		newUsersRolesCmd, newUsersOTPEnrollCmd, newUsersRecoveryCodesCmd, newUsersPolicyCmd,
		newUsersDeleteCmd, newUsersSessionsCmd, newUsersRevokeCmd)
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

// ifChanged is the value of a flag when the command line gives it, else
// nil: a change holds only what the administrator named.
func ifChanged[T any](cmd *cobra.Command, flag string, v *T) *T {
	if cmd.Flags().Changed(flag) {
		return v
	}
	return nil
}

// onUser is the RunE of a command on the user NAME, its one argument: the
// name is checked before the infobase opens, so that a bad one fails
// without touching it, and run works as the administrator.
func (e *env) onUser(dsn *string, run func(ctx context.Context, c *adminConsole, name string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		name, err := userName(args[0])
		if err != nil {
			return err
		}
		return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error { return run(ctx, c, name) })
	}
}

func newUsersDeleteCmd(e *env, dsn *string) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a user and end its sessions",
		Long: `delete removes the user NAME from the infobase and ends its sessions. The last
user holding Администрирование cannot be deleted while other users remain
(exit 1). An unknown user exits 2.`,
		Args: cobra.ExactArgs(1),
		RunE: e.onUser(dsn, func(ctx context.Context, c *adminConsole, name string) error {
			stored, err := c.DeleteUser(ctx, name)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "deleted user %s\n", stored)
			return nil
		}),
	}
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
			return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error {
				rs, err := resolveRoles(c.ib.Config, roles)
				if err != nil {
					return err
				}
				listed, passwordAuth := !hidden, !noPasswordAuth
				u, err := c.AddUser(ctx, name, wire.UserChange{FullName: &fullName, Email: &email, Roles: &rs, OSUser: &osUser,
					ShowInList: &listed, PasswordAuth: &passwordAuth, MustChangePassword: &mustChange}, password)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "added user %s (roles: %s; password: %s)\n", u.Name, strings.Join(rs, ", "), yesNo(password != ""))
				return nil
			})
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
			var devs []string
			for _, d := range devices {
				if d = strings.TrimSpace(d); d != "" {
					devs = append(devs, d)
				}
			}
			change := wire.UserChange{
				FullName: ifChanged(cmd, "full-name", &fullName), Email: ifChanged(cmd, "email", &email), OSUser: ifChanged(cmd, "os-user", &osUser),
				ShowInList: ifChanged(cmd, "show-in-list", &showInList), CannotChangePassword: ifChanged(cmd, "cannot-change-password", &cannotChange),
				PasswordAuth: ifChanged(cmd, "password-auth", &passwordAuth), MustChangePassword: ifChanged(cmd, "must-change", &mustChange),
				Devices: ifChanged(cmd, "devices", &devs),
			}
			if change.IsZero() {
				return usageError(errors.New("nothing to change: give the fields to change as flags (see --help)"))
			}
			return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error {
				if _, err := c.ChangeUser(ctx, name, change); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "updated user %s\n", name)
				return nil
			})
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
	}
	cmd.RunE = e.onUser(dsn, func(ctx context.Context, c *adminConsole, name string) error {
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
		var u wire.User
		if cmd.Flags().Changed("set") || len(toAdd) > 0 || len(toRemove) > 0 {
			u, err = c.ChangeUser(ctx, name, wire.UserChange{Roles: ifChanged(cmd, "set", &toSet), AddRoles: toAdd, RemoveRoles: toRemove})
		} else {
			u, err = c.User(ctx, name)
		}
		if err != nil {
			return err
		}
		for _, r := range u.Roles {
			fmt.Fprintln(e.stdout, r)
		}
		return nil
	})
	cmd.Flags().StringSliceVar(&set, "set", nil, "replace the roles with these (separated by commas; empty for none)")
	cmd.Flags().StringSliceVar(&add, "add", nil, "add a role (repeatable)")
	cmd.Flags().StringSliceVar(&remove, "remove", nil, "remove a role (repeatable)")
	return cmd
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"dostup/audit"
	"dostup/authn"
	"dostup/infobase"
)

// The users subcommands about authentication: passwords, locks, second
// factors and sessions.

func newUsersPasswdCmd(e *env, dsn *string) *cobra.Command {
	var pw passwordInput
	var mustChange, change bool
	var inv inventoryFlags
	var only string
	cmd := &cobra.Command{
		Use:   "passwd NAME [--password-stdin | --password P] [--must-change] | passwd NAME --change [--inventory FILE [--infobase NAME]]",
		Short: "Set a user's password, or change it as the user with the old one",
		Long: `passwd sets the password of the user NAME as the administrator: the policy
applies (all of it but the minimum age, which binds only the user), the
password is verified after it is written, and the user's sessions end.
--must-change makes the user change it at the next login. Give the password on
the first line of standard input (--password-stdin) or with --password.

With --change it is the user's own change: standard input holds the old
password on the first line and the new one on the second. The old password is
verified (a wrong one is logged and counts toward locking the user and the
source "cli"), the whole policy applies, minimum age and reuse limit
included, and the user's sessions end.

Exit codes: 1 when the policy refuses the new password (every violation is
printed with its code); 2 for an unknown user or bad usage; 3 when the old
password is wrong, the account is locked, or the user may not change the
password (ЗапрещеноИзменятьПароль: the administrator sets it instead).

With --inventory FILE instead of --db, the same is done in every database of
the inventory that has the user (or only in --infobase NAME), one after
another, each line of the output led by the infobase's name.

  printf '%s\n%s\n' "$OLD" "$NEW" | dostup users passwd --db demo.db ivanov --change`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := userName(args[0])
			if err != nil {
				return err
			}
			var lines []string
			password := ""
			if change {
				if cmd.Flags().Changed("password") || pw.stdin || cmd.Flags().Changed("must-change") {
					return usageError(errors.New("--change reads the old and the new password from standard input and takes no --password, --password-stdin or --must-change"))
				}
				if lines, err = readLines(e.stdin, 2); err != nil {
					return err
				}
			} else {
				if password, err = pw.read(cmd, e); err != nil {
					return err
				}
				if password == "" {
					return usageError(errors.New("give the new password with --password-stdin or --password (to turn password login off: dostup users set NAME --password-auth=false)"))
				}
			}
			apply := func(dsn, prefix string) error {
				return e.asAdmin(cmd, dsn, func(ctx context.Context, c *adminConsole) error {
					if change {
						// Looked up first: at the console an unknown name is a
						// typo (exit 2), not a failed login to count.
						u, err := c.ib.User(ctx, name)
						if err != nil {
							return err
						}
						err = c.Auth.ChangePassword(ctx, authn.PasswordChange{User: u.Name, Old: lines[0], New: lines[1], Source: c.By.Source})
						if errors.Is(err, authn.ErrBadCredentials) {
							return &exitError{code: ExitDenied, err: fmt.Errorf("user %s: the old password is wrong, or the user has no password or password login off", u.Name)}
						}
						if err != nil {
							return err
						}
						fmt.Fprintf(e.stdout, "%schanged the password of user %s\n", prefix, u.Name)
						return nil
					}
					// A password reset often follows a suspected leak: whoever
					// holds a session made with the old password loses it.
					n, err := c.SetPassword(ctx, name, password, mustChange)
					if err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "%sset the password of user %s (%s ended)\n", prefix, name, plural(n, "session", "sessions"))
					return nil
				})
			}
			if inv.path == "" {
				return apply(*dsn, "")
			}
			if *dsn != "" {
				return usageError(errors.New("give --db or --inventory, not both"))
			}
			return e.passwdOverInventory(&inv, only, name, apply)
		},
	}
	pw.flags(cmd)
	cmd.Flags().BoolVar(&mustChange, "must-change", false, "the user must change the password at the next login")
	cmd.Flags().BoolVar(&change, "change", false, "the user's own change: old and new password on two lines of standard input")
	cmd.Flags().StringVar(&inv.path, "inventory", "", "set the password in the databases of this inventory (see dostup audit) that have the user")
	cmd.Flags().StringVar(&only, "infobase", "", "with --inventory: only in the infobase of this name")
	return cmd
}

// passwdOverInventory sets (or changes) a password in the databases of the
// inventory that have the user, one after another so that the messages
// and a refusal read in order: one policy refusing the password shows
// where. Databases without the user are named and passed over; the
// command exits 1 when any other failed, and 2 when no database has the
// user.
func (e *env) passwdOverInventory(inv *inventoryFlags, only, name string, apply func(dsn, prefix string) error) error {
	list, err := audit.LoadInventory(inv.path)
	if err != nil {
		return usageError(err)
	}
	var failed []string
	done, matched := 0, false
	for _, en := range list.Infobases {
		if en.DB == "" || only != "" && !strings.EqualFold(en.Name, only) {
			continue
		}
		matched = true
		err := apply(en.DB, en.Name+": ")
		switch {
		case err == nil:
			done++
		case errors.Is(err, infobase.ErrNoUser):
			fmt.Fprintf(e.stderr, "dostup: %s: no user %s: passed over\n", en.Name, name)
		default:
			var printed silent
			if !errors.As(err, &printed) { // a refusal of the policy has printed its violations
				fmt.Fprintf(e.stderr, "dostup: %s: %v\n", en.Name, err)
			}
			failed = append(failed, en.Name)
		}
	}
	switch {
	case !matched && only != "":
		return usageError(fmt.Errorf("--infobase %s: the inventory has no database of that name", only))
	case len(failed) > 0:
		return &exitError{code: ExitFailure, err: fmt.Errorf("the password was not set in %s", strings.Join(failed, ", "))}
	case done == 0:
		return usageError(fmt.Errorf("no database of the inventory has a user %s", name))
	}
	return nil
}

func newUsersLockCmd(e *env, dsn *string) *cobra.Command {
	return &cobra.Command{
		Use:   "lock NAME",
		Short: "Lock a user's account until an administrator unlocks it",
		Long: `lock refuses every login of the user NAME until dostup users unlock lifts the
lock, and ends the user's sessions. The lock is logged
(_$User$_.AuthenticationLock). An unknown user exits 2.`,
		Args: cobra.ExactArgs(1),
		RunE: e.onUser(dsn, func(ctx context.Context, c *adminConsole, name string) error {
			n, err := c.Lock(ctx, name)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "locked user %s until an administrator unlocks it (%s ended)\n", name, plural(n, "session", "sessions"))
			return nil
		}),
	}
}

func newUsersLocksCmd(e *env, dsn *string) *cobra.Command {
	return adminList(e, dsn, &cobra.Command{
		Use:   "locks [--format table|json]",
		Short: "List the locks in force: users and source addresses",
		Long: `locks lists the locks in force now: of users and of source addresses, until
when (an administrator's lock lasts until it is lifted) and why
("administrator", or "failures" after repeated failed logins).`,
	}, func(ctx context.Context, c *adminConsole) ([]authn.Lock, error) { return c.Locks(ctx) },
		[]string{"LOCKED", "NAME", "UNTIL", "REASON"}, func(l authn.Lock) []string {
			what, name, _ := strings.Cut(l.Key, ":")
			until := "unlocked by an administrator"
			if l.Until.Year() < 9999 {
				until = l.Until.Local().Format("2006-01-02 15:04:05")
			}
			return []string{what, name, until, l.Reason}
		})
}

func newUsersUnlockCmd(e *env, dsn *string) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "unlock [NAME] [--address ADDR]",
		Short: "Lift the lock of a user, of a source address, or both",
		Long: `unlock lifts the lock of the user NAME (an administrator's, or one after
repeated failures) and forgets its failures; with --address, the lock of that
source address too, or only that one when no NAME is given. The unlock is
logged (_$User$_.AuthenticationUnlock). Unlocking what is not locked is not an
error. An unknown user exits 2.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				var err error
				if name, err = userName(args[0]); err != nil {
					return err
				}
			}
			if name == "" && addr == "" {
				return usageError(errors.New("name a user, or an address with --address, to unlock"))
			}
			return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error {
				if err := c.Unlock(ctx, name, addr); err != nil {
					return err
				}
				var what []string
				if name != "" {
					what = append(what, "user "+name)
				}
				if addr != "" {
					what = append(what, "address "+addr)
				}
				fmt.Fprintf(e.stdout, "unlocked %s\n", strings.Join(what, " and "))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&addr, "address", "", "a source address to unlock")
	return cmd
}

func newUsersOTPEnrollCmd(e *env, dsn *string) *cobra.Command {
	var qr string
	var size int
	cmd := &cobra.Command{
		Use:   "otp-enroll NAME [--qr FILE.png] [--qr-size PIXELS]",
		Short: "Give a user a new TOTP key and print its otpauth:// URI",
		Long: `otp-enroll gives the user NAME a new TOTP key (RFC 6238: SHA-1, 6 digits,
30 seconds), replacing any earlier one, and prints its otpauth:// URI and, on
the next line, the secret for entering by hand. With --qr it also writes the
URI as a PNG QR code to FILE (readable only by its owner), for the user to
scan with an authenticator app. Neither is shown again: the user must add the
key now. Roles marked second_factor become active in the user's sessions
after a code from the app.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := userName(args[0])
			if err != nil {
				return err
			}
			if size < 64 || size > 2048 {
				return usageError(fmt.Errorf("--qr-size %d: give 64 to 2048 pixels", size))
			}
			// The QR file is prepared before the key is replaced, so a path
			// that cannot be written fails without changing anything; a
			// temporary file renamed at the end leaves no half-written PNG.
			var tmp *os.File
			if qr != "" {
				if tmp, err = os.CreateTemp(filepath.Dir(qr), ".dostup-qr-*.png"); err != nil {
					return usageError(fmt.Errorf("--qr %s: %v", qr, err))
				}
				defer os.Remove(tmp.Name())
				defer tmp.Close()
			}
			return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error {
				key, err := c.EnrollTOTP(ctx, name)
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, key.URI)
				fmt.Fprintln(e.stdout, "secret:", key.Secret)
				if tmp != nil {
					img, err := authn.TOTPQRCode(key.URI, size)
					if err == nil {
						_, err = tmp.Write(img)
					}
					if err == nil {
						err = tmp.Close()
					}
					if err == nil {
						err = os.Rename(tmp.Name(), qr)
					}
					if err != nil {
						return failure(fmt.Errorf("the key is enrolled, but the QR code was not written to %s: %v (use the URI above)", qr, err))
					}
					fmt.Fprintf(e.stderr, "wrote the QR code to %s\n", qr)
				}
				fmt.Fprintf(e.stderr, "enrolled a TOTP key for user %s: the URI and the secret are shown only now\n", name)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&qr, "qr", "", "write the QR code of the URI to this PNG file")
	cmd.Flags().IntVar(&size, "qr-size", 256, "width and height of the QR code in pixels")
	return cmd
}

func newUsersRecoveryCodesCmd(e *env, dsn *string) *cobra.Command {
	var count int
	cmd := &cobra.Command{
		Use:   "recovery-codes NAME [--count N]",
		Short: "Replace a user's recovery codes and print the new ones",
		Long: `recovery-codes replaces the one-time recovery codes of the user NAME with
--count new ones (1 to 100) and prints them, one a line. Only their hashes are
kept: this is the one time they are shown. Each passes the second factor once
when the user has no other way.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := userName(args[0])
			if err != nil {
				return err
			}
			if count < 1 || count > 100 {
				return usageError(fmt.Errorf("--count %d: give 1 to 100", count))
			}
			return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error {
				codes, err := c.NewRecoveryCodes(ctx, name, count)
				if err != nil {
					return err
				}
				for _, code := range codes {
					fmt.Fprintln(e.stdout, code)
				}
				fmt.Fprintf(e.stderr, "%s for user %s, replacing the earlier ones: they are shown only now\n", plural(len(codes), "recovery code", "recovery codes"), name)
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&count, "count", 10, "how many codes to make")
	return cmd
}

func newUsersSessionsCmd(e *env, dsn *string) *cobra.Command {
	const layout = "2006-01-02 15:04:05"
	return adminList(e, dsn, &cobra.Command{
		Use:   "sessions [--format table|json]",
		Short: "List the sessions open now",
		Long: `sessions lists the sessions not yet expired: who (the user, the application),
from where, since when, last seen, how they authenticated (application,
password, totp, code, recovery) and the roles active. End one with
dostup users revoke ID.`,
	}, func(ctx context.Context, c *adminConsole) ([]*authn.Session, error) { return c.Sessions(ctx) },
		[]string{"ID", "USER", "APPLICATION", "SOURCE", "SINCE", "LAST SEEN", "METHODS", "ROLES"}, func(s *authn.Session) []string {
			return []string{s.ID, s.User, s.Application, s.Source, s.Created.Local().Format(layout), s.LastSeen.Local().Format(layout),
				strings.Join(s.Methods, ", "), strings.Join(s.Roles, ", ")}
		})
}

func newUsersRevokeCmd(e *env, dsn *string) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "End a session",
		Long: `revoke ends the session ID (from dostup users sessions): its token is refused
from the next request on. The revocation is logged. An unknown session exits 2.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error {
				if err := c.Auth.Revoke(ctx, args[0], c.By); err != nil {
					// authn has no sentinel for an unknown session; its message
					// is the only way to tell a typo from a failure.
					if strings.HasPrefix(err.Error(), "no session ") {
						return usageError(err)
					}
					return failure(err)
				}
				fmt.Fprintf(e.stdout, "revoked session %s\n", args[0])
				return nil
			})
		},
	}
}

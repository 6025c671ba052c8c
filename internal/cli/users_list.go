package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"dostup/audit"
	"dostup/authn"
	"dostup/infobase"
	"dostup/wire"
)

// How the console shows users: the list and one user, as a table, CSV,
// "name: value" lines, or JSON (wire.User, the view the API answers too).

func newUsersListCmd(e *env, dsn *string) *cobra.Command {
	var format string
	var inv inventoryFlags
	cmd := &cobra.Command{
		Use:   "list [--format table|json|csv] [--inventory FILE]",
		Short: "List the users with their roles, passwords, locks and second factors",
		Long: `list prints every user of the infobase, those hidden from the login list too
(the LISTED column): full name, roles, whether a password is set and when,
when it expires under the policy's maximum age ("never" without one, "-"
without a password), whether the account is locked (by an administrator, or
until a time after repeated failures), and the second factors enrolled: TOTP,
devices for delivered codes, recovery codes left. Password hashes and secrets
are never shown.

JSON is an array of objects with the same facts; CSV has one column per fact.

--inventory FILE lists the users of every database of the inventory (see
dostup audit), concurrently, with the infobase's name as the first column (a
field "infobase" in JSON); an infobase that fails is reported and the others
are listed, and the command exits 1.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			if inv.path != "" {
				if *dsn != "" {
					return usageError(errors.New("give --db or --inventory, not both"))
				}
				return e.usersOverInventory(cmd, &inv, format)
			}
			return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error {
				views, err := c.Users(ctx)
				if err != nil {
					return err
				}
				return e.writeUsers(format, views, nil)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	inv.add(cmd)
	return cmd
}

// userColumns are the CSV columns of users list.
var userColumns = []string{"name", "full_name", "roles", "password_set", "password_set_at", "expires_in_days", "expired",
	"locked", "locked_until", "totp", "devices", "recovery_codes", "show_in_list", "password_auth", "must_change_password"}

// writeUsers prints users as list does; infobases, when not nil, names the
// infobase of each, which then leads each row.
func (e *env) writeUsers(format string, views []wire.User, infobases []string) error {
	lead := func(i int, row []string) []string {
		if infobases == nil {
			return row
		}
		return append([]string{infobases[i]}, row...)
	}
	var table, csvRows [][]string
	for i, v := range views {
		table = append(table, lead(i, []string{v.Name, v.FullName, strings.Join(v.Roles, ", "), passwordText(v), expiresText(v),
			lockedText(v), secondFactorText(v), yesNo(v.ShowInList)}))
		csvRows = append(csvRows, lead(i, userCSV(v)))
	}
	tableHeader := []string{"NAME", "FULL NAME", "ROLES", "PASSWORD", "EXPIRES", "LOCKED", "SECOND FACTOR", "LISTED"}
	csvHeader := userColumns
	if infobases != nil {
		tableHeader = append([]string{"INFOBASE"}, tableHeader...)
		csvHeader = append([]string{"infobase"}, csvHeader...)
	}
	switch format {
	case "json":
		if infobases == nil {
			return writeJSON(e.stdout, views)
		}
		type inInfobase struct {
			Infobase string `json:"infobase"`
			wire.User
		}
		out := make([]inInfobase, len(views))
		for i, v := range views {
			out[i] = inInfobase{infobases[i], v}
		}
		return writeJSON(e.stdout, out)
	case "csv":
		return writeCSV(e.stdout, csvHeader, csvRows)
	}
	return writeTable(e.stdout, tableHeader, table)
}

// usersOverInventory lists the users of every database of the inventory.
func (e *env) usersOverInventory(cmd *cobra.Command, inv *inventoryFlags, format string) error {
	type row struct {
		infobase string
		user     wire.User
	}
	rows, failed, err := overInventory(cmd.Context(), e, inv, func(ctx context.Context, en audit.Entry) ([]row, error) {
		if en.DB == "" {
			return nil, nil // a configuration without its database has no users
		}
		ib, err := infobase.OpenInfobase(ctx, en.DB)
		if err != nil {
			return nil, err
		}
		defer ib.Close()
		svc, err := authn.New(ctx, ib, authn.Config{})
		if err != nil {
			return nil, err
		}
		views, err := wire.Admin{Auth: svc, By: consoleActor()}.Users(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]row, len(views))
		for i, v := range views {
			out[i] = row{en.Name, v}
		}
		return out, nil
	})
	if err != nil {
		return err
	}
	views, names := make([]wire.User, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		views[i], names[i] = r.user, r.infobase
	}
	if err := e.writeUsers(format, views, names); err != nil {
		return err
	}
	return failed
}

// userCSV is a user's row of users list --format csv: one column a fact,
// times in RFC 3339, lists separated by semicolons.
func userCSV(v wire.User) []string {
	days := ""
	if v.ExpiresInDays != nil {
		days = strconv.Itoa(*v.ExpiresInDays)
	}
	return []string{v.Name, v.FullName, strings.Join(v.Roles, ";"), yesNo(v.PasswordSet), v.PasswordSetAt.RFC3339(), days, yesNo(v.Expired),
		yesNo(v.Locked), v.LockedUntil.RFC3339(), yesNo(v.SecondFactor.TOTP), strings.Join(v.SecondFactor.Devices, ";"),
		strconv.Itoa(v.SecondFactor.RecoveryCodes), yesNo(v.ShowInList), yesNo(v.PasswordAuth), yesNo(v.MustChangePassword)}
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
			return e.onUser(dsn, func(ctx context.Context, c *adminConsole, name string) error {
				v, err := c.User(ctx, name)
				if err != nil {
					return err
				}
				if format == "json" {
					return writeJSON(e.stdout, v)
				}
				return writeFields(e.stdout, userFields(v))
			})(cmd, args)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output: text or json")
	return cmd
}

// userFields is a user as users show prints it.
func userFields(v wire.User) [][2]string {
	totp := "not enrolled"
	if v.SecondFactor.TOTP {
		totp = "enrolled"
	}
	return [][2]string{
		{"name", v.Name}, {"full name", v.FullName}, {"e-mail", v.Email}, {"roles", strings.Join(v.Roles, ", ")},
		{"os user", v.OSUser}, {"listed", yesNo(v.ShowInList)}, {"password login", yesNo(v.PasswordAuth)},
		{"password", passwordText(v)}, {"password history", strconv.Itoa(v.PasswordHistory)},
		{"expires", expiresText(v)}, {"cannot change password", yesNo(v.CannotChangePassword)},
		{"locked", lockedText(v)}, {"totp", totp}, {"devices", strings.Join(v.SecondFactor.Devices, ", ")},
		{"recovery codes", strconv.Itoa(v.SecondFactor.RecoveryCodes)},
		{"created", localTime(v.Created, "2006-01-02 15:04:05")}, {"updated", localTime(v.Updated, "2006-01-02 15:04:05")},
	}
}

// localTime is a moment as the administrator's clock shows it, "" when it
// is unknown.
func localTime(t wire.Timestamp, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format(layout)
}

// Readable forms of a view's fields for tables and the show command.
func passwordText(v wire.User) string {
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

func expiresText(v wire.User) string {
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

func lockedText(v wire.User) string {
	switch {
	case !v.Locked:
		return "no"
	case v.LockedUntil.IsZero():
		return "yes (administrator)"
	}
	return "until " + localTime(v.LockedUntil, "2006-01-02 15:04")
}

func secondFactorText(v wire.User) string {
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

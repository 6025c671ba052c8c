package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"dostup/audit"
	"dostup/infobase"
	"dostup/wire"
)

func newAuditCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Audit who may do what, whose passwords are weak, which rights are dangerous",
		Long: `audit answers a security consultant's questions about infobases: the role ×
object × right matrix (audit rights), the user × role matrix (audit matrix
users), a user's effective rights on an object (audit effective), the users
with their passwords, second factors and last logins (audit users), the
findings (audit findings) and all of it as one HTML page (audit report).

Every command reads --db DB, an infobase; --config PATH, a dostup
configuration folder or a 1C Configurator dump (imported in memory: its
rights only, no users); or --inventory FILE, a YAML list of infobases, run
concurrently (--jobs at a time, each on its own connection). With an
inventory each row starts with the infobase's name; an infobase that fails
is reported on stderr and the others go on, and the command exits 1.

An inventory file:

  infobases:
    - name: buh
      db: postgres://127.0.0.1/buh
      expected_users: buh-users.csv   # user,roles: the provisioning diff
      sod: sod.yaml                   # the segregation-of-duties matrix
    - name: unf-release
      config: dumps/unf              # rights only

Relative paths are read from the inventory's folder.`,
	}
	matrix := &cobra.Command{Use: "matrix", Short: "Print the user × role matrix"}
	matrix.AddCommand(newAuditMatrixUsersCmd(e))
	cmd.AddCommand(newAuditRightsCmd(e), newAuditFindingsCmd(e), newAuditUsersCmd(e), newAuditEffectiveCmd(e), newAuditReportCmd(e), matrix)
	return cmd
}

// auditTable is how an audit command prints its rows: JSON as an array
// ([] when there are none), CSV under the interface's columns, or a table,
// which over an inventory starts with the infobase.
type auditTable[T any] struct {
	columns  []string // CSV
	record   func(T) []string
	header   []string // table
	row      func(T) []string
	infobase func(T) string
}

func (t auditTable[T]) write(e *env, format string, many bool, rows []T) error {
	switch format {
	case "json":
		if rows == nil {
			rows = []T{}
		}
		return writeJSON(e.stdout, rows)
	case "csv":
		return writeCSV(e.stdout, t.columns, rowsOf(rows, t.record))
	}
	if !many {
		return writeTable(e.stdout, t.header, rowsOf(rows, t.row))
	}
	return writeTable(e.stdout, append([]string{"INFOBASE"}, t.header...), rowsOf(rows, func(r T) []string {
		return append([]string{t.infobase(r)}, t.row(r)...)
	}))
}

// auditPrint runs job over the source and prints its rows; over an
// inventory with a failed infobase the others' rows are printed and the
// command exits 1.
func auditPrint[T any](cmd *cobra.Command, e *env, s *auditSource, format string, t auditTable[T], job func(context.Context, *audit.Infobase, audit.Entry) ([]T, error)) error {
	if err := checkFormat(format, "table", "json", "csv"); err != nil {
		return err
	}
	batchGC()
	rows, failed, err := auditEach(cmd.Context(), e, s, job)
	if err != nil {
		return err
	}
	if err := t.write(e, format, s.many(), rows); err != nil {
		return err
	}
	return failed
}

var membershipTable = auditTable[audit.Membership]{columns: audit.MembershipColumns, record: audit.Membership.Record,
	header: []string{"USER", "ROLE"}, row: func(m audit.Membership) []string { return []string{m.User, m.Role} },
	infobase: func(m audit.Membership) string { return m.Infobase }}

func newAuditMatrixUsersCmd(e *env) *cobra.Command {
	var src auditSource
	var format string
	cmd := &cobra.Command{
		Use:   "users (--db DB | --inventory FILE) [--format table|json|csv]",
		Short: "Print one row per role each user of the infobase holds",
		Long: `users prints the user × role matrix of the infobase: one row per role each
user holds, users in the infobase's order. CSV has the columns
infobase,user,role; JSON is an array of objects with those fields.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return auditPrint(cmd, e, &src, format, membershipTable, func(_ context.Context, ib *audit.Infobase, _ audit.Entry) ([]audit.Membership, error) {
				if err := needUsers(ib, &src); err != nil {
					return nil, err
				}
				rows := audit.Memberships(ib.UserRoles())
				for i := range rows {
					rows[i].Infobase = ib.Name
				}
				return rows, nil
			})
		},
	}
	src.flags(cmd)
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	return cmd
}

// needUsers refuses a configuration read without its database where the
// command is about users; in an inventory such an entry has no users and
// gives no rows.
func needUsers(ib *audit.Infobase, s *auditSource) error {
	if !ib.HasUsers && !s.many() {
		return usageError(fmt.Errorf("%s is a configuration without an infobase: it has no users (give --db)", ib.Name))
	}
	return nil
}

var grantTable = auditTable[audit.Grant]{columns: audit.GrantColumns, record: audit.Grant.Record,
	header:   []string{"ROLE", "OBJECT", "RIGHT", "RESTRICTED"},
	row:      func(g audit.Grant) []string { return []string{g.Role, g.Object, g.Right, yesNo(g.Restricted)} },
	infobase: func(g audit.Grant) string { return g.Infobase }}

func newAuditRightsCmd(e *env) *cobra.Command {
	src := auditSource{rightsOnly: true}
	var f audit.Filter
	var format string
	cmd := &cobra.Command{
		Use:   "rights (--db DB | --config PATH | --inventory FILE) [--role R] [--object O] [--format table|json|csv]",
		Short: "Print the role × object × right matrix",
		Long: `rights prints one row per right a role grants: on the configuration as a
whole (the object Конфигурация: Администрирование, ТонкийКлиент, ...) and on
each object (Справочник.Контрагенты: Чтение, Добавление, ...), with whether a
record-level restriction of the role applies to it. The role editor's flags
are applied: a role with setForNewObjects grants every right its file does
not withhold. Rights are named in Russian, objects with the configuration's
kind prefixes.

--role and --object keep the rows of one role or one object (any letter
case; an object in either language). With one infobase an unknown role or
object is an error; over an inventory it gives no rows of that infobase.

CSV has the columns infobase,role,object,right,restricted; JSON is an array
of objects with those fields. The infobase is named by its file or database
(--db), its folder (--config) or its name in the inventory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return auditPrint(cmd, e, &src, format, grantTable, func(_ context.Context, ib *audit.Infobase, _ audit.Entry) ([]audit.Grant, error) {
				cfg := ib.Config
				if !src.many() {
					if f.Object != "" && cfg.Object(f.Object) == nil && !strings.EqualFold(f.Object, audit.ConfigurationObject) {
						return nil, usageError(fmt.Errorf("--object %s: the configuration has no such object (write Справочник.Имя, or %s for its own rights)", f.Object, audit.ConfigurationObject))
					}
					if f.Role != "" && cfg.Role(f.Role) == nil {
						return nil, usageError(fmt.Errorf("--role %s: the configuration has no such role", f.Role))
					}
				}
				grants := audit.Rights(cfg, f)
				for i := range grants {
					grants[i].Infobase = ib.Name
				}
				return grants, nil
			})
		},
	}
	src.flags(cmd)
	cmd.Flags().StringVar(&f.Role, "role", "", "only the rights of this role")
	cmd.Flags().StringVar(&f.Object, "object", "", "only the rights on this object (or Конфигурация)")
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	return cmd
}

// findingFlags are what findings are held to besides the infobase: the
// policy, the window of unused roles, and for one infobase its
// provisioning list and segregation-of-duties matrix (an inventory names
// those per infobase; given here they apply to every infobase without its
// own).
type findingFlags struct {
	policy, expected, sod string
	days                  int
}

func (f *findingFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.policy, "policy", "", "YAML file of dangerous rights and the roles allowed them (default: 1C's standard)")
	cmd.Flags().IntVar(&f.days, "days", audit.DefaultUnusedDays, "unused-role: a role no session held in this many days")
	cmd.Flags().StringVar(&f.expected, "expected-users", "", "a CSV of user,roles the infobase should have (the provisioning diff)")
	cmd.Flags().StringVar(&f.sod, "sod", "", "a YAML segregation-of-duties matrix: roles or rights no user may hold together")
}

// options reads the files the flags name; their mistakes are bad usage.
func (f *findingFlags) options() (audit.Options, error) {
	o := audit.Options{Policy: audit.DefaultPolicy(), UnusedDays: f.days}
	if f.days < 1 {
		return o, usageError(fmt.Errorf("--days %d: give 1 or more", f.days))
	}
	if f.policy != "" {
		p, err := audit.LoadPolicy(f.policy)
		if err != nil {
			return o, usageError(err)
		}
		o.Policy = p
	}
	if f.expected != "" {
		list, err := audit.LoadExpectedUsers(f.expected)
		if err != nil {
			return o, usageError(err)
		}
		o.Expected = list
	}
	if f.sod != "" {
		s, err := audit.LoadSoD(f.sod)
		if err != nil {
			return o, usageError(err)
		}
		o.SoD = s
	}
	return o, nil
}

var findingTable = auditTable[audit.Finding]{columns: audit.FindingColumns, record: audit.Finding.Record,
	header: []string{"SEVERITY", "CODE", "SUBJECT", "RIGHT", "OBJECT", "MESSAGE"}, row: func(f audit.Finding) []string {
		return []string{f.Severity, f.Code, f.Subject, f.Right, f.Object, f.Message}
	}, infobase: func(f audit.Finding) string { return f.Infobase }}

func newAuditFindingsCmd(e *env) *cobra.Command {
	var src auditSource
	var ff findingFlags
	var format string
	cmd := &cobra.Command{
		Use:   "findings (--db DB | --config PATH | --inventory FILE) [--policy FILE] [--days N] [--expected-users CSV] [--sod FILE] [--format table|json|csv]",
		Short: "Report dangerous rights, weak passwords and role problems",
		Long: `findings audits the roles and users of the infobase and prints one finding a
line. Codes are stable: tools match on them.

Of the roles (also for --config):
  dangerous-right (error)        a role holds a right of the configuration the
                                 policy allows only to other roles
                                 (Администрирование, ВнешнееСоединение, ...)
  interactive-delete (warning)   a role may delete objects interactively
  set-for-new-objects (warning)  a role other than ПолныеПрава grants every
                                 right on objects it does not list
  rls-in-standard-role (warning) ПолныеПрава or АдминистраторСистемы carries
                                 a record-level restriction
Of the users (--db and inventory databases):
  no-password (error)            name-and-password login on, no password
  password-expired (warning)     older than the policy's maximum age
  password-never-changed (warning) still the password the account was given
  no-roles (warning)             the user holds no role
  unused-role (info)             no session held the role in --days days
                                 (by the event log)
  sod-conflict (error)           a user holds roles or rights the --sod
                                 matrix forbids together
  unexpected-user, missing-user, role-mismatch (warning)
                                 the users and roles differ from the
                                 --expected-users list (CSV user,roles,
                                 roles separated by semicolons)

The default policy is 1C's standard for its standard roles; --policy FILE
gives another in the same YAML format (dangerous_rights: a list of right and
roles). A --sod file:

  conflicts:
    - name: payments are entered and approved by different people
      roles: [Казначей, ГлавныйБухгалтер]
    - rights:
        - {object: Справочник.Контрагенты, right: Добавление}
        - {object: Документ.СписаниеБезналичныхДенежныхСредств, right: Проведение}

JSON is an array of {"infobase", "code", "severity", "subject", "role",
"user", "right", "object", "message"} with empty fields left out; CSV has
those columns. Exit 0 when the audit ran, whatever it found.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			base, err := ff.options()
			if err != nil {
				return err
			}
			return auditPrint(cmd, e, &src, format, findingTable, func(_ context.Context, ib *audit.Infobase, en audit.Entry) ([]audit.Finding, error) {
				o, err := en.Options(base)
				if err != nil {
					return nil, err
				}
				return audit.Findings(ib, o), nil
			})
		},
	}
	src.flags(cmd)
	ff.add(cmd)
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	return cmd
}

var userTable = auditTable[audit.User]{columns: audit.UserColumns, record: audit.User.Record,
	header: []string{"NAME", "FULL NAME", "ROLES", "PASSWORD", "AGE", "EXPIRES", "LOGIN", "LOCKED", "SECOND FACTOR", "LAST LOGIN", "LAST FAILURE"},
	row: func(u audit.User) []string {
		password, age, expires := "none", "-", "-"
		if u.PasswordSet {
			password = "set"
			if !u.PasswordChanged {
				password = "set, never changed"
			}
		}
		if u.PasswordAgeDays != nil {
			age = fmt.Sprintf("%d d", *u.PasswordAgeDays)
		}
		switch {
		case u.Expired:
			expires = "expired"
		case u.ExpiresInDays != nil:
			expires = fmt.Sprintf("in %d d", *u.ExpiresInDays)
		case u.PasswordSet:
			expires = "never"
		}
		return []string{u.Name, u.FullName, strings.Join(u.Roles, ", "), password, age, expires, strings.Join(u.Authentication, ", "),
			yesNo(u.Locked), orDash(strings.Join(u.SecondFactor, ", ")), orDash(localTime(wire.Timestamp{Time: u.LastLogin}, "2006-01-02 15:04")),
			orDash(localTime(wire.Timestamp{Time: u.LastFailure}, "2006-01-02 15:04"))}
	}, infobase: func(u audit.User) string { return u.Infobase }}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newAuditUsersCmd(e *env) *cobra.Command {
	var src auditSource
	var format string
	cmd := &cobra.Command{
		Use:   "users (--db DB | --inventory FILE) [--format table|json|csv]",
		Short: "List the users with their roles, passwords, second factors and last logins",
		Long: `users prints every user of the infobase, those hidden from the login list
too: full name, roles, whether a password is set and whether it was ever
changed, its age in days, when it expires under the password policy, how the
user logs in (password, os), whether the account is locked, the second
factors enrolled (totp, code, recovery), and the last successful login and
the last failure the event log holds. Passwords and secrets are never shown.

CSV has the columns ` + strings.Join(audit.UserColumns, ",") + `
(lists separated by semicolons, times in RFC 3339); JSON is an array of
objects with those fields.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return auditPrint(cmd, e, &src, format, userTable, func(_ context.Context, ib *audit.Infobase, _ audit.Entry) ([]audit.User, error) {
				if err := needUsers(ib, &src); err != nil {
					return nil, err
				}
				rows := make([]audit.User, len(ib.Users))
				for i, u := range ib.Users {
					u.Infobase = ib.Name
					rows[i] = u
				}
				return rows, nil
			})
		},
	}
	src.flags(cmd)
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	return cmd
}

func newAuditEffectiveCmd(e *env) *cobra.Command {
	var dsn, user, object, format string
	cmd := &cobra.Command{
		Use:   "effective --db DB --user U --object O [--format table|json|csv]",
		Short: "Show a user's rights on an object, the roles granting them and the restrictions that apply",
		Long: `effective prints every right the user holds on the object (Конфигурация for
the rights of the configuration as a whole), the user's roles that grant
each, and for rights record-level security restricts, each granting role's
restriction as the user's session reads it: templates expanded and the
preprocessor evaluated with the user's session parameters. A right is
restricted when every granting role restricts it; one role granting it
without a restriction opens every record.

JSON is an array of {"infobase", "user", "object", "right", "roles",
"restricted", "restrictions": [{"role", "fields", "text"}]}. CSV has the
columns infobase,user,object,right,roles,restricted,role,fields,restriction:
a row per restriction (one with the last three empty for a right without),
lists separated by semicolons.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			if user == "" || object == "" {
				return usageError(errors.New("--user and --object are required"))
			}
			ctx := cmd.Context()
			ib, err := openInfobase(ctx, dsn)
			if err != nil {
				return err
			}
			defer ib.Close()
			rights, err := audit.Effective(ctx, ib, user, object)
			if errors.Is(err, infobase.ErrNoUser) || err != nil && ib.Config.Object(object) == nil {
				return usageError(err)
			}
			if err != nil {
				return failure(err)
			}
			src := auditSource{db: dsn}
			for i := range rights {
				rights[i].Infobase = src.name()
			}
			if format == "json" {
				if rights == nil {
					rights = []audit.EffectiveRight{}
				}
				return writeJSON(e.stdout, rights)
			}
			if format == "csv" {
				var rows [][]string
				for _, r := range rights {
					lead := []string{r.Infobase, r.User, r.Object, r.Right, strings.Join(r.Roles, ";"), strconv.FormatBool(r.Restricted)}
					if len(r.Restrictions) == 0 {
						rows = append(rows, append(lead, "", "", ""))
					}
					for _, x := range r.Restrictions {
						rows = append(rows, append(slices.Clone(lead), x.Role, strings.Join(x.Fields, ";"), x.Text))
					}
				}
				return writeCSV(e.stdout, []string{"infobase", "user", "object", "right", "roles", "restricted", "role", "fields", "restriction"}, rows)
			}
			if len(rights) == 0 {
				fmt.Fprintf(e.stdout, "%s holds no right on %s\n", user, object)
				return nil
			}
			t := newVerbatimTable(e.stdout, "RIGHT", "ROLES", "RESTRICTED", "ROLE", "FIELDS", "RESTRICTION")
			for _, r := range rights {
				first := []string{r.Right, strings.Join(r.Roles, ", "), yesNo(r.Restricted)}
				if len(r.Restrictions) == 0 {
					t.row(append(first, "-", "-", "-")...)
				}
				for i, x := range r.Restrictions {
					if i > 0 {
						first = []string{"", "", ""}
					}
					t.row(append(first, x.Role, orDash(strings.Join(x.Fields, ", ")), oneLine(x.Text))...)
				}
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&dsn, "db", "", dbUsage)
	cmd.Flags().StringVar(&user, "user", "", "the infobase user")
	cmd.Flags().StringVar(&object, "object", "", "the object: Справочник.Контрагенты, or Конфигурация")
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	return cmd
}

// oneLine folds a restriction text's lines and runs of spaces into single
// spaces, for a table cell.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func newAuditReportCmd(e *env) *cobra.Command {
	var src auditSource
	var ff findingFlags
	var out string
	cmd := &cobra.Command{
		Use:   "report (--inventory FILE | --db DB | --config PATH) --out report.html",
		Short: "Write everything the audit finds as one self-contained HTML page",
		Long: `report audits every infobase of the inventory (or the one --db or --config
names) and writes one HTML page: an overview, and per infobase a summary,
the findings by severity, charts of findings by code, users per role and
password ages, the dangerous rights, and the user, role and rights matrices
as sortable tables. The page needs nothing else: no scripts, fonts or
styles from elsewhere; send it as it is. An infobase that fails is shown
with its error, and the command exits 1 after writing the page.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageError(errors.New("--out FILE is required"))
			}
			base, err := ff.options()
			if err != nil {
				return err
			}
			batchGC()
			audits, failed, err := auditReportRows(cmd.Context(), e, &src, base)
			if err != nil {
				return err
			}
			f, err := os.Create(out)
			if err != nil {
				return failure(err)
			}
			if err := audit.WriteReport(f, audits, time.Now()); err != nil {
				f.Close()
				return failure(err)
			}
			if err := f.Close(); err != nil {
				return failure(err)
			}
			fmt.Fprintf(e.stderr, "dostup: wrote %s (%s)\n", out, plural(len(audits), "infobase", "infobases"))
			return failed
		},
	}
	src.flags(cmd)
	ff.add(cmd)
	cmd.Flags().StringVar(&out, "out", "", "the HTML file to write")
	return cmd
}

// auditReportRows audits every infobase for the report. Over an inventory
// a failed infobase keeps its place in the report, with its error, and is
// printed on stderr too.
func auditReportRows(ctx context.Context, e *env, s *auditSource, base audit.Options) ([]audit.Audit, error, error) {
	job := func(_ context.Context, ib *audit.Infobase, en audit.Entry) ([]audit.Audit, error) {
		o, err := en.Options(base)
		if err != nil {
			return nil, err
		}
		return []audit.Audit{audit.Run(ib, o)}, nil
	}
	if !s.many() {
		rows, _, err := auditEach(ctx, e, s, job)
		return rows, nil, err
	}
	if err := s.onlyInventory(); err != nil {
		return nil, nil, err
	}
	rows, _, err := overInventory(ctx, e, &s.inventoryFlags, func(ctx context.Context, en audit.Entry) ([]audit.Audit, error) {
		ib, err := s.read(ctx, en)
		if err == nil {
			var rows []audit.Audit
			if rows, err = job(ctx, ib, en); err == nil {
				return rows, nil
			}
		}
		return []audit.Audit{{Infobase: en.Name, Error: err.Error()}}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	var names []string
	for _, a := range rows {
		if a.Error != "" {
			fmt.Fprintf(e.stderr, "dostup: %s: %s\n", a.Infobase, a.Error)
			names = append(names, a.Infobase)
		}
	}
	if len(names) > 0 {
		return rows, &exitError{code: ExitFailure, err: fmt.Errorf("%d of %d infobases failed: %s", len(names), len(rows), strings.Join(names, ", "))}, nil
	}
	return rows, nil, nil
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"dostup/audit"
	"dostup/infobase"
	"dostup/metadata"
	"dostup/rls/rlscheck"
	"dostup/sdbl/source"
)

func newAuditCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Audit who may do what: the rights matrix and dangerous rights",
		Long: `audit answers a security consultant's questions about a configuration: the
role × object × right matrix (audit rights) and the findings of its roles
against a policy of dangerous rights (audit findings).

Every command reads one source: --db DB, an infobase (its stored
configuration), or --config PATH, a dostup configuration folder or a 1C
Configurator dump (imported in memory, as dostup import does).`,
	}
	matrix := &cobra.Command{Use: "matrix", Short: "Print the user × role matrix"}
	matrix.AddCommand(newAuditMatrixUsersCmd(e))
	cmd.AddCommand(newAuditRightsCmd(e), newAuditFindingsCmd(e), matrix)
	return cmd
}

func newAuditMatrixUsersCmd(e *env) *cobra.Command {
	var dsn, format string
	cmd := &cobra.Command{
		Use:   "users --db DB [--format table|json|csv]",
		Short: "Print one row per role each user of the infobase holds",
		Long: `users prints the user × role matrix of the infobase: one row per role each
user holds, users in the infobase's order. CSV has the columns
infobase,user,role; JSON is an array of objects with those fields.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			src := auditSource{db: dsn}
			return e.asAdmin(cmd, dsn, func(ctx context.Context, c *adminConsole) error {
				views, err := c.Users(ctx)
				if err != nil {
					return err
				}
				users := make([]audit.UserRoles, len(views))
				for i, v := range views {
					users[i] = audit.UserRoles{User: v.Name, Roles: v.Roles}
				}
				rows := audit.Memberships(users)
				for i := range rows {
					rows[i].Infobase = src.name()
				}
				return auditTable[audit.Membership]{columns: audit.MembershipColumns, record: audit.Membership.Record,
					header: []string{"USER", "ROLE"}, row: func(m audit.Membership) []string { return []string{m.User, m.Role} }}.write(e, format, rows)
			})
		},
	}
	cmd.Flags().StringVar(&dsn, "db", "", "the infobase: an SQLite file or a postgres:// URL")
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	return cmd
}

// auditTable is how an audit command prints its rows: JSON as an array
// ([] when there are none), CSV under the interface's columns, or a table.
type auditTable[T any] struct {
	columns []string // CSV
	record  func(T) []string
	header  []string // table
	row     func(T) []string
}

func (t auditTable[T]) write(e *env, format string, rows []T) error {
	switch format {
	case "json":
		if rows == nil {
			rows = []T{}
		}
		return writeJSON(e.stdout, rows)
	case "csv":
		return writeCSV(e.stdout, t.columns, rowsOf(rows, t.record))
	}
	return writeTable(e.stdout, t.header, rowsOf(rows, t.row))
}

// auditSource is the --db and --config pair every audit command takes.
type auditSource struct{ db, config string }

func (s *auditSource) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&s.db, "db", "", "the infobase: an SQLite file or a postgres:// URL")
	cmd.Flags().StringVar(&s.config, "config", "", "a dostup configuration folder or a Configurator dump")
}

// name is the infobase column of what the flags name: the file or
// database name of --db, the folder name of --config, as a consultant
// telling apart the CSVs of several infobases would write it.
func (s *auditSource) name() string {
	if s.db == "" {
		return filepath.Base(filepath.Clean(s.config))
	}
	if infobase.IsPostgres(s.db) {
		if u, err := url.Parse(s.db); err == nil && strings.Trim(u.Path, "/") != "" {
			return strings.Trim(u.Path, "/")
		}
		return "postgres"
	}
	return strings.TrimSuffix(filepath.Base(s.db), filepath.Ext(s.db))
}

// load reads the configuration the flags name.
func (s *auditSource) load(ctx context.Context, e *env) (*metadata.Configuration, error) {
	switch {
	case s.db != "" && s.config != "":
		return nil, usageError(errors.New("give --db or --config, not both"))
	case s.db != "":
		ib, err := openInfobase(ctx, s.db)
		if err != nil {
			return nil, err
		}
		defer ib.Close()
		return ib.Config, nil
	case s.config != "":
		target, err := rlscheck.LoadTarget(s.config)
		if err != nil {
			var list source.ErrorList
			if errors.As(err, &list) {
				printErrorList(e.stderr, err)
				return nil, failure(fmt.Errorf("%s: the configuration does not validate (%d problems)", s.config, len(list)))
			}
			return nil, usageError(err)
		}
		return target.Config, nil
	}
	return nil, usageError(errors.New("--db DB or --config PATH is required"))
}

func newAuditRightsCmd(e *env) *cobra.Command {
	var src auditSource
	var f audit.Filter
	var format string
	cmd := &cobra.Command{
		Use:   "rights (--db DB | --config PATH) [--role R] [--object O] [--format table|json|csv]",
		Short: "Print the role × object × right matrix",
		Long: `rights prints one row per right a role grants: on the configuration as a
whole (the object Конфигурация: Администрирование, ТонкийКлиент, ...) and on
each object (Справочник.Контрагенты: Чтение, Добавление, ...), with whether a
record-level restriction of the role applies to it. The role editor's flags
are applied: a role with setForNewObjects grants every right its file does
not withhold. Rights are named in Russian, objects with the configuration's
kind prefixes.

--role and --object keep the rows of one role or one object (any letter
case; an object in either language).

CSV has the columns infobase,role,object,right,restricted; JSON is an array
of objects with those fields. The infobase is named by its file or database
(--db) or its folder (--config).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			batchGC()
			cfg, err := src.load(cmd.Context(), e)
			if err != nil {
				return err
			}
			if f.Object != "" && cfg.Object(f.Object) == nil && !strings.EqualFold(f.Object, audit.ConfigurationObject) {
				return usageError(fmt.Errorf("--object %s: the configuration has no such object (write Справочник.Имя, or %s for its own rights)", f.Object, audit.ConfigurationObject))
			}
			if f.Role != "" && cfg.Role(f.Role) == nil {
				return usageError(fmt.Errorf("--role %s: the configuration has no such role", f.Role))
			}
			grants := audit.Rights(cfg, f)
			for i := range grants {
				grants[i].Infobase = src.name()
			}
			return auditTable[audit.Grant]{columns: audit.GrantColumns, record: audit.Grant.Record,
				header: []string{"ROLE", "OBJECT", "RIGHT", "RESTRICTED"}, row: func(g audit.Grant) []string { return []string{g.Role, g.Object, g.Right, yesNo(g.Restricted)} }}.write(e, format, grants)
		},
	}
	src.flags(cmd)
	cmd.Flags().StringVar(&f.Role, "role", "", "only the rights of this role")
	cmd.Flags().StringVar(&f.Object, "object", "", "only the rights on this object (or Конфигурация)")
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	return cmd
}

func newAuditFindingsCmd(e *env) *cobra.Command {
	var src auditSource
	var policyPath, format string
	cmd := &cobra.Command{
		Use:   "findings (--db DB | --config PATH) [--policy FILE] [--format table|json|csv]",
		Short: "Report dangerous rights and risky role settings",
		Long: `findings audits the roles of the configuration and prints one finding a line:
  dangerous-right (error)       a role holds a right of the configuration the
                                policy allows only to other roles
                                (Администрирование, ВнешнееСоединение, ...)
  interactive-delete (warning)  a role may delete objects interactively
                                (ИнтерактивноеУдаление, or deleting
                                predefined data)
  set-for-new-objects (warning) a role other than ПолныеПрава grants every
                                right on objects it does not list
  rls-in-standard-role (warning) ПолныеПрава or АдминистраторСистемы carries
                                a record-level restriction

The default policy is 1C's standard for its standard roles; --policy FILE
gives another in the same YAML format (dangerous_rights: a list of right and
roles). Codes are stable: tools match on them.

JSON is an array of {"infobase", "code", "severity", "subject", "role",
"user", "right", "object", "message"} with empty fields left out; CSV has
those columns. Exit 0 when the audit ran, whatever it found.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			policy := audit.DefaultPolicy()
			if policyPath != "" {
				p, err := audit.LoadPolicy(policyPath)
				if err != nil {
					return usageError(err)
				}
				policy = p
			}
			batchGC()
			cfg, err := src.load(cmd.Context(), e)
			if err != nil {
				return err
			}
			findings := audit.ConfigurationFindings(cfg, policy)
			for i := range findings {
				findings[i].Infobase = src.name()
			}
			return auditTable[audit.Finding]{columns: audit.FindingColumns, record: audit.Finding.Record,
				header: []string{"SEVERITY", "CODE", "ROLE", "RIGHT", "OBJECT", "MESSAGE"}, row: func(f audit.Finding) []string {
					return []string{f.Severity, f.Code, f.Role, f.Right, f.Object, f.Message}
				}}.write(e, format, findings)
		},
	}
	src.flags(cmd)
	cmd.Flags().StringVar(&policyPath, "policy", "", "YAML file of dangerous rights and the roles allowed them (default: 1C's standard)")
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	return cmd
}

package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"dostup/audit"
	"dostup/infobase"
	"dostup/lint"
	"dostup/sdbl/source"
)

func newLintCmd(e *env) *cobra.Command {
	var format, settingsFile, policyFile, dialect, failOn string
	var asJSON, withBSL bool
	cmd := &cobra.Command{
		Use:   "lint PATH [--json | --format text|json|sarif] [--bsl] [--config-file lint.yaml]",
		Short: "Find mistakes and risks in a configuration's roles, restrictions and module queries",
		Long: `lint checks a configuration: PATH is a 1C Configurator dump root (imported in
memory, as dostup import does; its modules are read too), a dostup
configuration folder, or an infobase (an SQLite file or a postgres:// URL).

Each finding has a code (part of dostup's interface), a severity and the place
it is about: the Rights.xml or module of a dump, the YAML of a dostup
configuration. The codes:
  restriction-syntax, restriction-bind   (error) a variant of a restriction
      does not parse, or does not compile against the metadata
  constant-restriction   (warning) ИСТИНА or ЛОЖЬ for every session
  unused-template        (info) a template no restriction of its role calls
  unrestricted-reference (warning) an object read without a restriction
      whose attributes reference an object the role restricts
  restriction-differs-across-roles (warning) one object and right
      restricted with different texts in roles one user may hold together
      (for an infobase: roles some user holds together)
  insert-update-differ   (warning) Добавление restricted otherwise than Изменение
  update-less-restricted-than-read (warning) Изменение open, Чтение restricted
  rls-in-standard-role, set-for-new-objects, dangerous-right,
  interactive-delete     the audit's rules (dostup audit findings)
  query-in-module        (error) a literal query of a dump's module that does
      not compile against the configuration (dostup query check)
  with --bsl, the BSL checks of dostup bsl check.

A lint.yaml in a dump's root or beside PATH (or --config-file) turns codes off or changes their
severity, per code and per object or role pattern:
  rules:
    - code: unused-template
      severity: off
    - code: unrestricted-reference
      objects: ["РегистрСведений.*"]
      severity: info
    - code: query-in-module
      apk: [1328]      # // АПК:1328-выкл ... // АПК:1328-вкл turns it off
Modules turn a code off between // dostup:CODE-выкл and // dostup:CODE-вкл.

--format text prints file:line:col: severity code: message per finding and a
summary; json prints {"path", "findings": [...], "counts", "suppressed"}, each
finding the audit's fields plus file, line, col; sarif prints a SARIF 2.1.0
log for code scanning (GitHub accepts it). Exit 1 when a finding is at least
as severe as --fail-on (default error), 2 on bad usage or unreadable input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			batchGC()
			path := args[0]
			if asJSON {
				if cmd.Flags().Changed("format") && format != "json" {
					return usageError(errors.New("--json and --format " + format + " contradict each other"))
				}
				format = "json"
			}
			switch format {
			case "text", "json", "sarif":
			default:
				return usageError(fmt.Errorf("--format %q: give text, json or sarif", format))
			}
			threshold, ok := severityRank[failOn]
			if !ok && failOn != "never" {
				return usageError(fmt.Errorf("--fail-on %q: give error, warning, info or never", failOn))
			}
			d, err := dialectNamed(dialect)
			if err != nil {
				return err
			}
			opts := lint.Options{Dialect: d, BSL: withBSL}
			if settingsFile == "" {
				settingsFile = besideLint(path)
			}
			if settingsFile != "" {
				if opts.Settings, err = lint.LoadSettings(settingsFile); err != nil {
					return usageError(err)
				}
			}
			if policyFile != "" {
				p, err := audit.LoadPolicy(policyFile)
				if err != nil {
					return usageError(err)
				}
				opts.Policy = &p
			}
			in, err := lint.Load(cmd.Context(), path)
			if err != nil {
				var list source.ErrorList
				if errors.As(err, &list) {
					printErrorList(e.stderr, err)
					return failure(fmt.Errorf("%s: the configuration does not validate (%d problems)", path, len(list)))
				}
				return usageError(err)
			}
			report, err := lint.Run(cmd.Context(), in, opts)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				err = writeJSON(e.stdout, report)
			case "sarif":
				err = lint.WriteSARIF(e.stdout, report, version())
			default:
				err = writeLintText(e, report)
			}
			if err != nil {
				return err
			}
			if failOn != "never" {
				for _, f := range report.Findings {
					if severityRank[f.Severity] >= threshold {
						return silent{code: ExitFailure}
					}
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output: text, json or sarif")
	cmd.Flags().BoolVar(&asJSON, "json", false, "the same as --format json")
	cmd.Flags().BoolVar(&withBSL, "bsl", false, "run the BSL checks over the dump's modules too")
	cmd.Flags().StringVar(&settingsFile, "config-file", "", "a lint.yaml (default: lint.yaml beside PATH, when there is one)")
	cmd.Flags().StringVar(&policyFile, "policy", "", "the dangerous-rights policy, as for dostup audit findings")
	cmd.Flags().StringVar(&dialect, "dialect", "sqlite", "SQL dialect restrictions and queries are compiled for: sqlite or postgres")
	cmd.Flags().StringVar(&failOn, "fail-on", "error", "exit 1 when a finding is at least this severe: error, warning, info or never")
	return cmd
}

// severityRank orders severities for --fail-on.
var severityRank = map[string]int{audit.SeverityInfo: 1, audit.SeverityWarning: 2, audit.SeverityError: 3}

// besideLint is the lint.yaml that applies to PATH, or "" when there is
// none: the one in a dump's root folder, else the one beside PATH (in the
// folder that holds it: a dostup configuration reads every YAML file of its
// own folder as part of it).
func besideLint(path string) string {
	if infobase.IsPostgres(path) {
		return ""
	}
	candidates := []string{filepath.Join(filepath.Dir(filepath.Clean(path)), "lint.yaml")}
	if _, err := os.Stat(filepath.Join(path, "Configuration.xml")); err == nil {
		candidates = append([]string{filepath.Join(path, "lint.yaml")}, candidates...)
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	return ""
}

// writeLintText prints findings as file:line:col: severity code: message,
// then the summary.
func writeLintText(e *env, r *lint.Report) error {
	bySeverity := map[string]int{}
	for _, f := range r.Findings {
		where := f.File
		if where == "" {
			where = f.Subject
		}
		if f.Line > 0 {
			where = fmt.Sprintf("%s:%d:%d", where, f.Line, f.Col)
		}
		if _, err := fmt.Fprintf(e.stdout, "%s: %s %s: %s\n", where, f.Severity, f.Code, f.Message); err != nil {
			return err
		}
		bySeverity[f.Severity]++
	}
	var parts []string
	for _, s := range []string{audit.SeverityError, audit.SeverityWarning, audit.SeverityInfo} {
		parts = append(parts, plural(bySeverity[s], s, s+"s"))
	}
	parts[2] = fmt.Sprintf("%d info", bySeverity[audit.SeverityInfo])
	_, err := fmt.Fprintf(e.stdout, "%s: %s (%d suppressed)\n", plural(len(r.Findings), "finding", "findings"), strings.Join(parts, ", "), r.Suppressed)
	return err
}

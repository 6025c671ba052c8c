package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"dostup/onecxml"
	"dostup/rls/rlscheck"
	"dostup/sdbl/preproc"
	"dostup/sdbl/printer"
)

func newRLSCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rls",
		Short: "Work with record-level security restrictions",
	}
	cmd.AddCommand(newRLSCheckCmd(e), newRLSVariantsCmd(e), newRLSCompileCmd(e))
	return cmd
}

func newRLSCheckCmd(e *env) *cobra.Command {
	var asJSON bool
	var params []string
	var limit int
	cmd := &cobra.Command{
		Use:   "check [--json] [--param Name=Value]... PATH...",
		Short: "Check that every restriction of every role expands and parses",
		Long: `check reads the roles of a 1C configuration dump (Configurator XML format) and,
for every restriction of every role, expands its templates for the restricted
table and right, runs the #Если preprocessor and parses every text the
preprocessor can yield (every variant).

PATH is a dump root (a folder with Roles/), a Roles folder, or Rights.xml files.
Names in restriction texts are read in the configuration's language
(ScriptVariant of Configuration.xml, found next to the Roles folder).

Session parameters not pinned with --param are unknown: every choice of them is
a variant. When a restriction has more variants than --variant-limit, the check
covers every branch of every #Если instead of every combination.
--param Name=Value pins one: true/false/Истина/Ложь give a Boolean, anything
else a String.

A variant whose text is a message (Ошибка: ... / Error: ...) is written on
purpose by the Standard Subsystems Library and becomes a run-time error; it is
counted as a message variant, not a failure.

The output ends with
  <N> restrictions: <K> ok, <F> failed (<V> variants, <M> message variants)
and with --json is one object with those counts and the failures.
Exit 0 when nothing failed, 1 otherwise, 2 on bad usage or unreadable input.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			batchGC()
			pinned, err := parseParams(params)
			if err != nil {
				return usageError(err)
			}
			report, err := rlscheck.Check(args, rlscheck.CheckOptions{Params: pinned, VariantLimit: limit})
			if err != nil {
				return usageError(err)
			}
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetEscapeHTML(false)
				if err := enc.Encode(report); err != nil {
					return err
				}
			} else {
				for _, f := range report.Failures {
					fmt.Fprintln(e.stdout, f.String())
				}
				if report.Sampled > 0 {
					fmt.Fprintf(e.stdout, "%d restrictions had too many variants to enumerate: every branch of every #Если was covered instead\n", report.Sampled)
				}
				if report.Uncovered > 0 {
					fmt.Fprintf(e.stdout, "%d #Если branches were not reached by any checked variant and were not parsed\n", report.Uncovered)
				}
				fmt.Fprintln(e.stdout, report.Summary())
			}
			if report.Failed > 0 {
				return silent{code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of text")
	cmd.Flags().StringArrayVar(&params, "param", nil, "pin a session parameter: Name=Value (repeatable)")
	cmd.Flags().IntVar(&limit, "variant-limit", 0, "most variants to enumerate per restriction before covering branches instead (0: default)")
	return cmd
}

// parseParams turns Name=Value pairs into preprocessor values.
func parseParams(pairs []string) (preproc.Params, error) {
	out := preproc.Params{}
	for _, kv := range pairs {
		name, val, ok := strings.Cut(kv, "=")
		name = strings.TrimPrefix(strings.TrimSpace(name), "&")
		if !ok || name == "" {
			return nil, fmt.Errorf("--param %q: expected Name=Value", kv)
		}
		switch strings.ToLower(val) {
		case "true", "истина":
			out[name] = true
		case "false", "ложь":
			out[name] = false
		default:
			out[name] = val
		}
	}
	return out, nil
}

func newRLSVariantsCmd(e *env) *cobra.Command {
	var params []string
	var object, right, lang string
	cmd := &cobra.Command{
		Use:   "variants [--object NAME] [--right NAME] [--param Name=Value]... PATH...",
		Short: "Print the texts a restriction yields after templates and #Если",
		Long: `variants runs the same pipeline as check and prints every variant it checks:
the choices of unknown session parameters that select it, then the restriction
in canonical form, the message of a message variant, or the syntax error.
Use it to see the text behind a failure that check reports.

--object takes the name as Rights.xml writes it (Catalog.Контрагенты) or in
Russian (Справочник.Контрагенты); --right takes Read/Чтение, Insert, Update,
Delete. PATH is as for check.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pinned, err := parseParams(params)
			if err != nil {
				return usageError(err)
			}
			english := strings.EqualFold(lang, "en")
			var mu sync.Mutex
			var out []rlscheck.Variant
			opts := rlscheck.CheckOptions{Params: pinned, Workers: 1, Visit: func(v rlscheck.Variant) {
				if object != "" && !sameName(v.Object, object) || right != "" && !sameName(v.Right, right) {
					return
				}
				mu.Lock()
				out = append(out, v)
				mu.Unlock()
			}}
			if _, err := rlscheck.Check(args, opts); err != nil {
				return usageError(err)
			}
			for i, v := range out {
				fmt.Fprintf(e.stdout, "== %d. role %s, %s, %s\n", i+1, v.Role, v.Object, v.Right)
				if len(v.Assumptions) > 0 {
					fmt.Fprintf(e.stdout, "-- where %s\n", rlscheck.DescribeAssumptions(v.Assumptions, !english, 0))
				}
				switch {
				case v.Message != "":
					fmt.Fprintf(e.stdout, "message: %s\n", v.Message)
				case v.Tree != nil:
					fmt.Fprintln(e.stdout, strings.TrimRight(printer.Restriction(v.Tree, english), "\n"))
				default:
					fmt.Fprintf(e.stdout, "%s\n-- does not parse: %v\n", strings.TrimSpace(v.Text.Body), v.Err)
				}
			}
			if len(out) == 0 {
				return failure(fmt.Errorf("no restriction matched --object %q --right %q", object, right))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&object, "object", "", "only this object (Catalog.X or Справочник.X)")
	cmd.Flags().StringVar(&right, "right", "", "only this right (Read, Insert, Update, Delete or Чтение ...)")
	cmd.Flags().StringArrayVar(&params, "param", nil, "pin a session parameter: Name=Value (repeatable)")
	cmd.Flags().StringVar(&lang, "lang", "ru", "language of printed keywords: ru or en")
	return cmd
}

// sameName compares an object or right name as Rights.xml writes it with one
// a user typed in either language.
func sameName(stored, typed string) bool {
	return strings.EqualFold(stored, typed) ||
		strings.EqualFold(onecxml.TableName(stored, true), typed) ||
		strings.EqualFold(onecxml.RightName(stored, true), typed)
}

package cli

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"dostup/explain"
)

func newExplainCmd(e *env) *cobra.Command {
	var dsn, user, right, object, record string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "explain --db DB --user U --right R --object O [--record REF] [--json]",
		Short: "Say why a user may or may not exercise a right on an object or one record",
		Long: `explain says which of the user's roles grant the right on the object (or that
none does) and, for each, every restriction: as written, with its place; as
the user's session reads it after templates and the preprocessor (the session
parameters' values are shown); and the SQL it becomes in queries.

With --record (a reference, or the record's presentation as 1C shows it: a
catalog item's description, "Реализация товаров ТД-0001 от ..."), it says
whether the record passes, and where it does not, for each granting role the
smallest part of the restriction the record fails, with the values compared:
  Организация = &Организация: false: the record's Организация is ООО Лютик,
  &Организация is ООО Ромашка

--json prints {"user", "right", "object", "record", "allowed", "params",
"trace"}; the trace is a tree of nodes {"kind", "text", "place", "value",
"unknown", "detail", "expanded", "sql", "fields", "children"} (docs/explain.md).
Exit 0 when allowed, 3 when denied, 2 on bad usage.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if user == "" || right == "" || object == "" {
				return usageError(errors.New("--user, --right and --object are required"))
			}
			ib, err := openInfobase(ctx, dsn)
			if err != nil {
				return err
			}
			defer ib.Close()
			if record != "" {
				if record, err = explain.ResolveRecord(ctx, ib, object, record); err != nil {
					return usageError(err)
				}
			}
			x, err := explain.Explain(ctx, ib, explain.Request{User: user, Right: right, Object: object, Record: record})
			if err != nil {
				return usageError(err)
			}
			if asJSON {
				err = writeJSON(e.stdout, x)
			} else {
				err = writeExplanation(e.stdout, x)
			}
			if err != nil {
				return err
			}
			if !x.Allowed {
				return silent{code: ExitDenied}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dsn, "db", "", dbUsage)
	cmd.Flags().StringVar(&user, "user", "", "the user")
	cmd.Flags().StringVar(&right, "right", "", "the right: Чтение, Добавление, Изменение, Удаление ... (or in English)")
	cmd.Flags().StringVar(&object, "object", "", "the object: Справочник.Контрагенты")
	cmd.Flags().StringVar(&record, "record", "", "one record: its reference, or its presentation")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the explanation as JSON")
	return cmd
}

// writeExplanation prints the trace as an indented outline.
func writeExplanation(w io.Writer, x *explain.Explanation) error {
	var b strings.Builder
	verdict := "allowed"
	if !x.Allowed {
		verdict = "denied"
	}
	fmt.Fprintf(&b, "%s: %s\n", x.Trace.Text, verdict)
	if x.Trace.Detail != "" {
		fmt.Fprintf(&b, "  %s\n", x.Trace.Detail)
	}
	if len(x.Params) > 0 {
		names := make([]string, 0, len(x.Params))
		for n := range x.Params {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(&b, "  session: &%s = %s\n", n, x.Params[n])
		}
	}
	for _, c := range x.Trace.Children {
		writeNode(&b, c, 1)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeNode(b *strings.Builder, n *explain.Node, depth int) {
	pad := strings.Repeat("  ", depth)
	value := ""
	switch {
	case n.Unknown:
		value = " [unknown]"
	case n.Value != nil && *n.Value:
		value = " [true]"
	case n.Value != nil:
		value = " [false]"
	}
	switch n.Kind {
	case explain.KindRole:
		fmt.Fprintf(b, "%s%s%s: %s\n", pad, n.Text, value, n.Detail)
	case explain.KindRestriction:
		fields := ""
		if len(n.Fields) > 0 {
			fields = " of " + strings.Join(n.Fields, ", ")
		}
		fmt.Fprintf(b, "%srestriction%s at %s%s\n", pad, fields, n.Place, value)
		fmt.Fprintf(b, "%s  written:  %s\n", pad, oneLine(n.Text))
		if n.Expanded != n.Text {
			fmt.Fprintf(b, "%s  expanded: %s\n", pad, oneLine(n.Expanded))
		}
		if n.SQL != "" {
			fmt.Fprintf(b, "%s  SQL:      %s\n", pad, n.SQL)
		}
		if n.Detail != "" {
			fmt.Fprintf(b, "%s  %s\n", pad, n.Detail)
		}
	default:
		detail := ""
		if n.Detail != "" {
			detail = ": " + n.Detail
		}
		label := n.Kind
		if n.Kind == explain.KindCondition {
			label = ""
		} else {
			label = strings.ToUpper(label) + " "
		}
		fmt.Fprintf(b, "%s%s%s%s (%s)%s\n", pad, label, n.Text, value, n.Place, detail)
	}
	for _, c := range n.Children {
		writeNode(b, c, depth+1)
	}
}

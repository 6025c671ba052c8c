package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"dostup/infobase"
	"dostup/sdbl/source"
)

func newQueryCmd(e *env) *cobra.Command {
	var dsn, format string
	var params []string
	var showSQL bool
	cmd := &cobra.Command{
		Use:   "query --db DB [--format table|json|csv] [--param Name=Value]... [--sql] TEXT|-",
		Short: "Run a query in the 1C query language against an infobase",
		Long: `query compiles TEXT (or standard input for -) from the 1C query language to
one SQL statement for the infobase's backend and prints the result. Caller
parameters (&Name) take their values from --param Name=Value and are always
bound, never spliced into the SQL. References print as their presentation
(Наименование, Номер) in table and CSV output and as {"ref": UUID,
"presentation": ...} in JSON. --sql prints the SQL and its arguments instead of
running it.

For now queries run with full rights: roles and record-level security are not
applied yet.

A syntax or binding error exits 1 with line:col and what is wrong.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dsn == "" {
				return usageError(errors.New("--db is required"))
			}
			switch format {
			case "table", "json", "csv":
			default:
				return usageError(fmt.Errorf("--format must be table, json or csv, not %q", format))
			}
			text := args[0]
			if text == "-" {
				_, in, err := readInput(e, nil)
				if err != nil {
					return usageError(err)
				}
				text = in
			}
			pv := map[string]any{}
			for _, kv := range params {
				name, val, ok := strings.Cut(kv, "=")
				if !ok || strings.TrimSpace(name) == "" {
					return usageError(fmt.Errorf("--param %q: expected Name=Value", kv))
				}
				pv[strings.TrimPrefix(strings.TrimSpace(name), "&")] = val
			}
			ctx := context.Background()
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				return usageError(err)
			}
			defer ib.Close()
			stmts, err := ib.Compile(text)
			if err != nil {
				var list source.ErrorList
				if errors.As(err, &list) {
					for _, x := range list {
						fmt.Fprintln(e.stderr, x.Error())
					}
					return silent{code: ExitFailure}
				}
				return failure(err)
			}
			if showSQL {
				for _, st := range stmts {
					fmt.Fprintln(e.stdout, st.SQL)
					for i, a := range st.Args {
						if a.Param != "" {
							fmt.Fprintf(e.stdout, "-- $%d = &%s\n", i+1, a.Param)
						} else {
							fmt.Fprintf(e.stdout, "-- $%d = %q\n", i+1, fmt.Sprint(a.Value))
						}
					}
				}
				return nil
			}
			res, err := ib.Query(ctx, text, pv)
			if err != nil {
				return failure(err)
			}
			return printResult(e, res, format)
		},
	}
	cmd.Flags().StringVar(&dsn, "db", "", "the infobase: an SQLite file or a postgres:// URL")
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	cmd.Flags().StringArrayVar(&params, "param", nil, "a query parameter: Name=Value (repeatable)")
	cmd.Flags().BoolVar(&showSQL, "sql", false, "print the SQL and its arguments instead of running it")
	return cmd
}

func printResult(e *env, res *infobase.Result, format string) error {
	names := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		names[i] = c.Name
	}
	switch format {
	case "json":
		rows := make([][]any, len(res.Rows))
		for i, r := range res.Rows {
			out := make([]any, len(r))
			for j, v := range r {
				switch v := v.(type) {
				case infobase.Number:
					out[j] = json.Number(v)
				case time.Time:
					out[j] = v.Format("2006-01-02T15:04:05")
				default:
					out[j] = v
				}
			}
			rows[i] = out
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(map[string]any{"columns": names, "rows": rows})
	case "csv":
		w := csv.NewWriter(e.stdout)
		_ = w.Write(names)
		for _, r := range res.Rows {
			rec := make([]string, len(r))
			for j, v := range r {
				rec[j] = text(v)
			}
			_ = w.Write(rec)
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(names, "\t"))
	for _, r := range res.Rows {
		cells := make([]string, len(r))
		for j, v := range r {
			cells[j] = text(v)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// text is how a value reads in table and CSV output.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case infobase.Ref:
		return v.Presentation
	case bool:
		if v {
			return "Да"
		}
		return "Нет"
	case time.Time:
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 {
			return v.Format("02.01.2006")
		}
		return v.Format("02.01.2006 15:04:05")
	case infobase.Number:
		return string(v)
	}
	return fmt.Sprint(v)
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"dostup/audit"
	"dostup/infobase"
	"dostup/sqlgen"
	"dostup/wire"
)

func newQueryCmd(e *env, who *sessionFlags) *cobra.Command {
	var format string
	var params []string
	var showSQL bool
	var inv inventoryFlags
	cmd := &cobra.Command{
		Use:   "query --db DB [--user NAME] [--privileged] [--format table|json|csv] [--param Name=Value]... [--sql] TEXT|-",
		Short: "Run a query in the 1C query language against an infobase",
		Long: `query compiles TEXT (or standard input for -) from the 1C query language to
one SQL statement for the infobase's backend and prints the result. Caller
parameters (&Name) take their values from --param Name=Value and are always
bound, never spliced into the SQL; a name given again makes a list, for
В (IN): --param Список=a --param Список=b. References print as their presentation
(Наименование, Номер) in table and CSV output and as {"ref": UUID,
"presentation": ...} in JSON. --sql prints the SQL and its arguments instead of
running it.

The query runs as --user (or the user the configuration maps to the OS account
with os_user): every table it reads needs the user's Чтение right, and the
roles' record-level restrictions apply. With ВЫБРАТЬ РАЗРЕШЕННЫЕ forbidden
records are left out (and fields read through references to them are NULL);
without it a query that would read a forbidden record fails with exit 3 and a
message naming the table, the right and the user. --privileged runs with every
check off and needs a user with Администрирование. --sql shows the statement
with the user's restrictions inlined, and the access checks that run first.

--inventory FILE runs the query on every database of the inventory (see
dostup audit), concurrently, as --user in each: the rows of all of them,
each led by the infobase's name (table and CSV: a first column infobase;
JSON: one result a line with a field "infobase"). An infobase that fails is
reported and the others' rows are printed, and the command exits 1.

A syntax or binding error exits 1 with line:col and what is wrong; a
parameter that is not set or cannot be bound (a list outside В, a NUL
character) exits 2; access denied exits 3.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if inv.path != "" && (who.dsn != "" || showSQL) {
				return usageError(errors.New("--inventory runs the query on its infobases: give neither --db nor --sql with it"))
			}
			if inv.path == "" {
				if err := needDB(who.dsn); err != nil {
					return err
				}
			}
			switch format {
			case "table", "json", "csv":
			default:
				return usageError(fmt.Errorf("--format must be table, json or csv, not %q", format))
			}
			text, err := argOrStdin(e, args[0])
			if err != nil {
				return err
			}
			pv, err := queryParams(params)
			if err != nil {
				return usageError(err)
			}
			if inv.path != "" {
				return e.queryOverInventory(cmd, who, &inv, text, pv, format)
			}
			ctx := cmd.Context()
			ib, session, err := who.open(ctx)
			if err != nil {
				return err
			}
			defer ib.Close()
			stmts, err := session.Compile(text)
			if err != nil {
				if printErrorList(e.stderr, err) > 0 {
					return silent{code: ExitFailure}
				}
				return failure(err)
			}
			if showSQL {
				for _, st := range stmts {
					for _, c := range st.Checks {
						fmt.Fprintln(e.stdout, "-- access check: a row fails the query")
						printSQL(e, c.SQL, c.Args)
					}
					printSQL(e, st.SQL, st.Args)
				}
				return nil
			}
			res, err := session.Query(ctx, text, pv)
			var bad *infobase.ParamError
			if errors.As(err, &bad) {
				return usageError(err)
			}
			if err != nil {
				return failure(err)
			}
			return printResult(e, res, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json or csv")
	cmd.Flags().StringArrayVar(&params, "param", nil, "a query parameter: Name=Value (repeatable; a name repeated is a list, for В (IN))")
	cmd.Flags().BoolVar(&showSQL, "sql", false, "print the SQL and its arguments instead of running it")
	inv.add(cmd)
	return cmd
}

// queryOverInventory runs the query on every database of the inventory as
// the session flags' user and prints the results one after another, each
// row led by its infobase. The columns are those of the first result; an
// infobase whose query gives other columns (its configuration differs)
// fails with that said.
func (e *env) queryOverInventory(cmd *cobra.Command, who *sessionFlags, inv *inventoryFlags, queryText string, pv map[string]any, format string) error {
	type result struct {
		infobase string
		res      *infobase.Result
	}
	results, failed, err := overInventory(cmd.Context(), e, inv, func(ctx context.Context, en audit.Entry) ([]result, error) {
		if en.DB == "" {
			return nil, nil // a configuration without its database has no data
		}
		ib, err := infobase.OpenInfobase(ctx, en.DB)
		if err != nil {
			return nil, err
		}
		defer ib.Close()
		session, err := who.session(ctx, ib)
		if err != nil {
			return nil, err
		}
		res, err := session.Query(ctx, queryText, pv)
		if err != nil {
			return nil, err
		}
		return []result{{en.Name, res}}, nil
	})
	if err != nil {
		return err
	}
	if format == "json" {
		for _, r := range results {
			v := wire.Result(r.res)
			v["infobase"] = r.infobase
			if err := writeJSONLine(e.stdout, v); err != nil {
				return err
			}
		}
		return failed
	}
	var names []string
	var rows [][]string
	var differ []string
	for _, r := range results {
		cols := make([]string, len(r.res.Columns))
		for i, c := range r.res.Columns {
			cols[i] = c.Name
		}
		if names == nil {
			names = append([]string{"infobase"}, cols...)
		} else if strings.Join(names[1:], "\x00") != strings.Join(cols, "\x00") {
			fmt.Fprintf(e.stderr, "dostup: %s: the query gives the columns %s, not %s as in %s: its rows are left out\n",
				r.infobase, strings.Join(cols, ", "), strings.Join(names[1:], ", "), results[0].infobase)
			differ = append(differ, r.infobase)
			continue
		}
		for _, row := range r.res.Rows {
			cells := []string{r.infobase}
			for _, v := range row {
				cells = append(cells, text(v))
			}
			rows = append(rows, cells)
		}
	}
	if format == "csv" {
		err = writeCSV(e.stdout, names, rows)
	} else {
		t := newVerbatimTable(e.stdout, names...)
		for _, r := range rows {
			t.row(r...)
		}
		err = t.flush()
	}
	if err != nil {
		return err
	}
	if failed == nil && differ != nil {
		failed = failure(fmt.Errorf("%d infobases give other columns: %s", len(differ), strings.Join(differ, ", ")))
	}
	return failed
}

// queryParams reads --param Name=Value pairs. A name given more than once
// is a list, in the order given, for В (IN): --param Список=a --param
// Список=b binds both values. Names differing only in letter case are the
// same parameter, as in the query.
func queryParams(pairs []string) (map[string]any, error) {
	pv := map[string]any{}
	names := map[string]string{} // lower-case name → the name first given
	for _, kv := range pairs {
		name, val, ok := strings.Cut(kv, "=")
		name = strings.TrimPrefix(strings.TrimSpace(name), "&")
		if !ok || name == "" {
			return nil, fmt.Errorf("--param %q: expected Name=Value", kv)
		}
		if strings.IndexByte(val, 0) >= 0 || !utf8.ValidString(val) {
			return nil, fmt.Errorf("--param %s: the value holds a NUL character or is not valid UTF-8 text", name)
		}
		key := strings.ToLower(name)
		first, seen := names[key]
		if !seen {
			names[key] = name
			pv[name] = val
			continue
		}
		switch v := pv[first].(type) {
		case []any:
			pv[first] = append(v, val)
		default:
			pv[first] = []any{v, val}
		}
	}
	return pv, nil
}

// printSQL prints a statement and what each of its arguments is.
func printSQL(e *env, text string, args []sqlgen.Arg) {
	fmt.Fprintln(e.stdout, text)
	for i, a := range args {
		switch {
		case a.Param != "":
			fmt.Fprintf(e.stdout, "-- $%d = &%s\n", i+1, a.Param)
		case a.Session != "":
			fmt.Fprintf(e.stdout, "-- $%d = session parameter &%s\n", i+1, a.Session)
		default:
			fmt.Fprintf(e.stdout, "-- $%d = %q\n", i+1, fmt.Sprint(a.Value))
		}
	}
}

// printResult prints a query's result: JSON as the HTTP API answers it
// (wire.Result), or a table or CSV of the values as text reads them.
func printResult(e *env, res *infobase.Result, format string) error {
	if format == "json" {
		return writeJSONLine(e.stdout, wire.Result(res))
	}
	names := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		names[i] = c.Name
	}
	rows := rowsOf(res.Rows, func(r []any) []string {
		cells := make([]string, len(r))
		for j, v := range r {
			cells[j] = text(v)
		}
		return cells
	})
	if res.Records != nil {
		// A query with ИТОГИ: each row's record type and grouping lead it,
		// as Выборка.ТипЗаписи() and Выборка.Группировка() tell them.
		names = append([]string{"ТипЗаписи", "Группировка"}, names...)
		for i := range rows {
			rows[i] = append([]string{res.Records[i].Type.String(), res.Records[i].Grouping}, rows[i]...)
		}
	}
	if format == "csv" {
		return writeCSV(e.stdout, names, rows)
	}
	t := newVerbatimTable(e.stdout, names...)
	for _, r := range rows {
		t.row(r...)
	}
	return t.flush()
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

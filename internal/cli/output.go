package cli

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"dostup/sdbl/source"
)

// The writers every command prints tables, JSON and CSV with, so that a
// format reads the same from each: JSON indented with < > & as they are,
// tables aligned with two spaces, CSV as encoding/csv writes it.

// printErrorList prints the errors of err when it is a source.ErrorList,
// one a line with its file:line:col, and returns how many; 0 when err is
// not a list (a list is never empty: its Err is nil then).
func printErrorList(w io.Writer, err error) int {
	var list source.ErrorList
	if !errors.As(err, &list) {
		return 0
	}
	for _, x := range list {
		fmt.Fprintln(w, x.Error())
	}
	return len(list)
}

// checkFormat refuses an output format the command does not write.
func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usageError(fmt.Errorf("--format must be %s, not %q", strings.Join(allowed, ", "), format))
}

// writeJSON writes v as indented JSON, with < > & as they are: the output
// is read by people and tools, not embedded in HTML.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeJSONLine writes v as JSON on one line, for output a program reads
// whole (query --format json, as the HTTP API answers it).
func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeCSV writes a header and rows as CSV.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(header)
	for _, r := range rows {
		_ = cw.Write(r)
	}
	cw.Flush()
	return cw.Error()
}

// table prints rows in columns aligned with two spaces between them.
type table struct {
	tw   *tabwriter.Writer
	cell func(string) string
}

// newTable starts a table under header. Its cells are made safe for a
// terminal (safeCell): they hold names and values others chose.
func newTable(w io.Writer, header ...string) *table {
	return startTable(w, safeCell, header)
}

// newVerbatimTable is a table whose cells print as they are, for output
// that has always printed its values byte for byte (query results, the
// rules register's reports), which scripts compare.
func newVerbatimTable(w io.Writer, header ...string) *table {
	return startTable(w, func(s string) string { return s }, header)
}

// startTable prints the header as it is: headers are the command's own or
// the configuration's names.
func startTable(w io.Writer, cell func(string) string, header []string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0), cell: cell}
	fmt.Fprintln(t.tw, strings.Join(header, "\t"))
	return t
}

// row adds a row.
func (t *table) row(cells ...string) {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = t.cell(c)
	}
	fmt.Fprintln(t.tw, strings.Join(out, "\t"))
}

// flush prints the rows added since the last flush, aligned among
// themselves: a table of any length is printed a block at a time.
func (t *table) flush() error { return t.tw.Flush() }

// writeTable prints rows under a header, columns aligned, cells made safe.
func writeTable(w io.Writer, header []string, rows [][]string) error {
	t := newTable(w, header...)
	for _, r := range rows {
		t.row(r...)
	}
	return t.flush()
}

// rowsOf makes a row of cells of each item.
func rowsOf[T any](items []T, row func(T) []string) [][]string {
	rows := make([][]string, len(items))
	for i, it := range items {
		rows[i] = row(it)
	}
	return rows
}

// writeFields prints "name: value" lines with the values aligned and made
// safe.
func writeFields(w io.Writer, fields [][2]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	for _, f := range fields {
		fmt.Fprintf(tw, "%s:\t%s\n", f[0], safeCell(f[1]))
	}
	return tw.Flush()
}

// safeCell makes a value safe to print in a terminal table: a tab or a
// newline would break the columns, and an escape sequence in a hostile user
// name could rewrite the administrator's screen.
func safeCell(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// plural is "1 thing" or "n things".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// yesNo is a flag as tables and fields show it.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// batchGC lets the garbage collector run less often in a command that
// reads a whole configuration once and exits (rls check, rls compile,
// import, query check): they allocate gigabytes of short-lived texts on a
// big application, and with the default GOGC=100 a third of their time
// went to collecting. A GOGC the user sets wins.
func batchGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

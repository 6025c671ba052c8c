package sqlite

import (
	"database/sql"
	"strconv"
	"time"

	"dostup/sqlgen"
)

// Dialect is the SQLite dialect.
type Dialect struct{}

// New returns the SQLite dialect.
func New() Dialect { return Dialect{} }

// Name returns "sqlite".
func (Dialect) Name() string { return "sqlite" }

// Quote quotes an identifier.
func (Dialect) Quote(ident string) string { return sqlgen.QuoteIdent(ident) }

// Placeholder returns ?NNN: numbered, so arguments need not be bound in the
// order they stand in the text (the compiler binds a join's condition before
// the SELECT list that precedes it).
func (Dialect) Placeholder(n int) string { return "?" + strconv.Itoa(n) }

// Type maps a column type. SQLite has storage classes, not sizes: strings
// are TEXT whatever their length (lengths are checked on write), decimals
// NUMERIC, booleans INTEGER 0/1, timestamps TEXT in ISO 8601 so they sort
// and compare as text, UUIDs TEXT in canonical form.
func (Dialect) Type(t sqlgen.ColumnType) string {
	switch t.Kind {
	case sqlgen.UUID, sqlgen.Text, sqlgen.VarChar, sqlgen.Timestamp:
		return "TEXT"
	case sqlgen.Decimal:
		return "NUMERIC"
	case sqlgen.Integer, sqlgen.Bool:
		return "INTEGER"
	case sqlgen.Bytes:
		return "BLOB"
	}
	return "TEXT"
}

// Arg stores booleans as 0/1, timestamps as ISO 8601 text, decimals as text
// that the NUMERIC column converts to a number.
func (Dialect) Arg(v any) any {
	switch v := v.(type) {
	case bool:
		if v {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		return v.UTC().Format(sqlgen.TimeLayout)
	case sqlgen.DecimalText:
		return string(v)
	}
	return v
}

// Order sorts as SQLite does already: NULL is the smallest value.
func (Dialect) Order(expr string, desc bool) string {
	if desc {
		return expr + " DESC"
	}
	return expr
}

// Cast leaves the expression: SQLite's values carry their own types, and
// timestamps and UUIDs are text already.
func (Dialect) Cast(expr string, _ sqlgen.ColumnType) string { return expr }

func intOf(format, expr string) string {
	return "CAST(strftime('" + format + "', " + expr + ") AS INTEGER)"
}

// NumberText prints with %g at 15 significant digits, which drops the
// trailing zeros of a REAL and the point of a whole number.
func (Dialect) NumberText(expr string) string { return "printf('%.15g', " + expr + ")" }

// DateText formats with strftime; the hour loses its leading zero by
// BinaryText is the text itself: SQLite compares text by its bytes.
func (Dialect) BinaryText(expr string) string { return expr }

// a round trip through an integer.
func (d Dialect) DateText(expr string) string {
	return "(strftime('%d.%m.%Y ', " + expr + ") || " + intOf("%H", expr) + " || strftime(':%M:%S', " + expr + "))"
}

// DatePart extracts with strftime; SQLite counts weekdays from Sunday = 0.
func (Dialect) DatePart(part, expr string) string {
	switch part {
	case "year":
		return intOf("%Y", expr)
	case "quarter":
		return "((" + intOf("%m", expr) + " - 1) / 3 + 1)"
	case "month":
		return intOf("%m", expr)
	case "dayofyear":
		return intOf("%j", expr)
	case "day":
		return intOf("%d", expr)
	case "week":
		// 1C counts the week holding January 1 as the first, weeks
		// starting on Monday.
		return "((" + intOf("%j", expr) + " - 1 + (" + intOf("%w", "strftime('%Y-01-01', "+expr+")") + " + 6) % 7) / 7 + 1)"
	case "weekday":
		return "((" + intOf("%w", expr) + " + 6) % 7 + 1)"
	case "hour":
		return intOf("%H", expr)
	case "minute":
		return intOf("%M", expr)
	}
	return intOf("%S", expr)
}

// Trunc formats the period's first moment as text, the way timestamps are kept.
func (d Dialect) Trunc(unit, expr string) string {
	switch unit {
	case "year":
		return "strftime('%Y-01-01 00:00:00', " + expr + ")"
	case "quarter":
		return "printf('%s-%02d-01 00:00:00', strftime('%Y', " + expr + "), (" + d.DatePart("quarter", expr) + " - 1) * 3 + 1)"
	case "month":
		return "strftime('%Y-%m-01 00:00:00', " + expr + ")"
	case "week":
		return "strftime('%Y-%m-%d 00:00:00', " + expr + ", '-6 days', 'weekday 1')"
	case "hour":
		return "strftime('%Y-%m-%d %H:00:00', " + expr + ")"
	case "minute":
		return "strftime('%Y-%m-%d %H:%M:00', " + expr + ")"
	}
	return "strftime('%Y-%m-%d 00:00:00', " + expr + ")"
}

// DateAdd uses datetime's modifiers.
func (Dialect) DateAdd(expr, unit, n string) string {
	mod := map[string]string{"year": " years", "month": " months", "day": " days", "hour": " hours", "minute": " minutes", "second": " seconds"}
	switch unit {
	case "quarter":
		return "datetime(" + expr + ", ((" + n + ") * 3) || ' months')"
	case "week":
		return "datetime(" + expr + ", ((" + n + ") * 7) || ' days')"
	}
	return "datetime(" + expr + ", (" + n + ") || '" + mod[unit] + "')"
}

// DateDiff counts calendar units the way РАЗНОСТЬДАТ does.
func (d Dialect) DateDiff(a, b, unit string) string {
	secs := func(x string) string { return "CAST(strftime('%s', " + x + ") AS INTEGER)" }
	months := func(x string) string { return "(" + d.DatePart("year", x) + " * 12 + " + d.DatePart("month", x) + ")" }
	switch unit {
	case "year":
		return "(" + d.DatePart("year", b) + " - " + d.DatePart("year", a) + ")"
	case "quarter":
		return "((" + months(b) + " - 1) / 3 - (" + months(a) + " - 1) / 3)"
	case "month":
		return "(" + months(b) + " - " + months(a) + ")"
	case "day":
		return "CAST(julianday(date(" + b + ")) - julianday(date(" + a + ")) AS INTEGER)"
	case "hour":
		return "((" + secs(b) + " - " + secs(a) + ") / 3600)"
	case "minute":
		return "((" + secs(b) + " - " + secs(a) + ") / 60)"
	}
	return "(" + secs(b) + " - " + secs(a) + ")"
}

// Div divides in floating point: SQLite keeps whole decimals as integers and
// would divide them as integers.
func (Dialect) Div(a, b string) string { return "(CAST(" + a + " AS REAL) / " + b + ")" }

// AdvisoryLock is "": SQLite admits one writer at a time, so writers are
// serialised already.
func (Dialect) AdvisoryLock(string) string { return "" }

// SnapshotIsolation is the default: SQLite's read transactions are
// snapshots already.
func (Dialect) SnapshotIsolation() sql.IsolationLevel { return sql.LevelDefault }

// SingleWriter is true: SQLite locks the whole database for a write.
func (Dialect) SingleWriter() bool { return true }

// IdentityKey uses AUTOINCREMENT: without it SQLite may give a deleted
// row's id again.
func (Dialect) IdentityKey() string { return "INTEGER PRIMARY KEY AUTOINCREMENT" }

// InstantType is TEXT: SQLite has no time type, and InstantArg's fixed
// width text sorts as time does.
func (Dialect) InstantType() string { return "TEXT" }

// InstantArg is the instant as text in sqlgen.InstantLayout.
func (Dialect) InstantArg(t time.Time) any { return t.UTC().Format(sqlgen.InstantLayout) }

// TablesQuery reads the schema table; the file is the schema.
func (Dialect) TablesQuery() string { return "SELECT name FROM sqlite_master WHERE type = 'table'" }

// ColumnsQuery reads table_info, which has no rows for a missing table.
func (Dialect) ColumnsQuery() string { return "SELECT name FROM pragma_table_info(?)" }

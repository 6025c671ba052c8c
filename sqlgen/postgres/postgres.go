package postgres

import (
	"database/sql"
	"fmt"
	"time"

	"dostup/sqlgen"
)

// Dialect is the PostgreSQL dialect.
type Dialect struct{}

// New returns the PostgreSQL dialect.
func New() Dialect { return Dialect{} }

// Name returns "postgres".
func (Dialect) Name() string { return "postgres" }

// Quote quotes an identifier.
func (Dialect) Quote(ident string) string { return sqlgen.QuoteIdent(ident) }

// Placeholder returns $n.
func (Dialect) Placeholder(n int) string { return fmt.Sprintf("$%d", n) }

// Type maps a column type to PostgreSQL's own types.
func (Dialect) Type(t sqlgen.ColumnType) string {
	switch t.Kind {
	case sqlgen.UUID:
		return "uuid"
	case sqlgen.Text:
		return "text"
	case sqlgen.VarChar:
		return fmt.Sprintf("varchar(%d)", t.Length)
	case sqlgen.Decimal:
		return fmt.Sprintf("numeric(%d, %d)", t.Precision, t.Scale)
	case sqlgen.Integer:
		return "bigint"
	case sqlgen.Bool:
		return "boolean"
	case sqlgen.Timestamp:
		return "timestamp"
	case sqlgen.Bytes:
		return "bytea"
	}
	return "text"
}

// Arg passes values as they are; decimals go as text, which numeric takes exactly.
func (Dialect) Arg(v any) any {
	if d, ok := v.(sqlgen.DecimalText); ok {
		return string(d)
	}
	return v
}

// Order puts NULL first ascending and last descending: PostgreSQL's own
// order is the reverse, NULL being the largest value there.
func (Dialect) Order(expr string, desc bool) string {
	if desc {
		return expr + " DESC NULLS LAST"
	}
	return expr + " NULLS FIRST"
}

// Cast casts the expression.
func (d Dialect) Cast(expr string, t sqlgen.ColumnType) string {
	return "CAST(" + expr + " AS " + d.Type(t) + ")"
}

// DatePart extracts with EXTRACT; ISODOW counts Monday 1 .. Sunday 7 as 1C does.
func (d Dialect) DatePart(part, expr string) string {
	if part == "week" {
		// 1C counts the week holding January 1 as the first, weeks
		// starting on Monday (not ISO weeks).
		return "((" + d.DatePart("dayofyear", expr) + " - 1 + " + d.DatePart("weekday", "date_trunc('year', "+expr+")") + " - 1) / 7 + 1)"
	}
	field := map[string]string{"year": "YEAR", "quarter": "QUARTER", "month": "MONTH", "dayofyear": "DOY", "day": "DAY",
		"week": "WEEK", "weekday": "ISODOW", "hour": "HOUR", "minute": "MINUTE", "second": "SECOND"}[part]
	return "CAST(EXTRACT(" + field + " FROM " + expr + ") AS integer)"
}

// NumberText trims the scale of the numeric (PostgreSQL 13 and later).
func (Dialect) NumberText(expr string) string {
	return "CAST(trim_scale(CAST(" + expr + " AS numeric)) AS text)"
}

// BinaryText takes the C collation.
func (Dialect) BinaryText(expr string) string { return "(" + expr + ") COLLATE \"C\"" }

// DateText uses to_char; FM drops the hour's leading zero.
func (Dialect) DateText(expr string) string {
	return "to_char(" + expr + ", 'DD.MM.YYYY FMHH24:MI:SS')"
}

// Trunc uses date_trunc.
func (Dialect) Trunc(unit, expr string) string {
	return "date_trunc('" + unit + "', " + expr + ")"
}

// DateAdd adds an interval.
func (Dialect) DateAdd(expr, unit, n string) string {
	if unit == "quarter" {
		return "(" + expr + " + (" + n + ") * interval '3 month')"
	}
	return "(" + expr + " + (" + n + ") * interval '1 " + unit + "')"
}

// DateDiff counts calendar units the way РАЗНОСТЬДАТ does.
func (d Dialect) DateDiff(a, b, unit string) string {
	months := func(x string) string { return "(" + d.DatePart("year", x) + " * 12 + " + d.DatePart("month", x) + ")" }
	switch unit {
	case "year":
		return "(" + d.DatePart("year", b) + " - " + d.DatePart("year", a) + ")"
	case "quarter":
		return "((" + months(b) + " - 1) / 3 - (" + months(a) + " - 1) / 3)"
	case "month":
		return "(" + months(b) + " - " + months(a) + ")"
	case "day":
		return "(CAST(" + b + " AS date) - CAST(" + a + " AS date))"
	case "hour":
		return "CAST(floor(EXTRACT(EPOCH FROM (" + b + " - " + a + ")) / 3600) AS bigint)"
	case "minute":
		return "CAST(floor(EXTRACT(EPOCH FROM (" + b + " - " + a + ")) / 60) AS bigint)"
	}
	return "CAST(EXTRACT(EPOCH FROM (" + b + " - " + a + ")) AS bigint)"
}

// Div divides numerics exactly; by zero it gives NULL, as SQLite does,
// where PostgreSQL would fail the statement.
func (Dialect) Div(a, b string) string { return "(" + a + " / NULLIF(" + b + ", 0))" }

// AdvisoryLock takes a transaction-level advisory lock: writers run
// together on PostgreSQL, and a lock on a key orders those that must not.
func (Dialect) AdvisoryLock(key string) string { return "SELECT pg_advisory_xact_lock(" + key + ")" }

// SnapshotIsolation is REPEATABLE READ: PostgreSQL's default, READ
// COMMITTED, takes a new snapshot for every statement.
func (Dialect) SnapshotIsolation() sql.IsolationLevel { return sql.LevelRepeatableRead }

// SingleWriter is false: PostgreSQL locks rows.
func (Dialect) SingleWriter() bool { return false }

// IdentityKey is an identity column, which never gives a number twice.
func (Dialect) IdentityKey() string { return "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" }

// InstantType is TIMESTAMPTZ, which keeps microseconds.
func (Dialect) InstantType() string { return "TIMESTAMPTZ" }

// InstantArg passes the time as it is: pgx binds it to TIMESTAMPTZ.
func (Dialect) InstantArg(t time.Time) any { return t }

// TablesQuery reads the information schema of current_schema(), the first
// schema of the search path, where the infobase's tables are made.
func (Dialect) TablesQuery() string {
	return "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
}

// ColumnsQuery reads the information schema of current_schema().
func (Dialect) ColumnsQuery() string {
	return "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1"
}

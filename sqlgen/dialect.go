package sqlgen

import (
	"database/sql"
	"time"
)

// ColumnKind is the storage class of a column, independent of the backend.
type ColumnKind int

// Column kinds.
const (
	UUID      ColumnKind = iota + 1 // references and ids
	Text                            // unlimited string
	VarChar                         // string of at most Length characters
	Decimal                         // exact number with Precision and Scale
	Integer                         // counters, line numbers, versions
	Bool                            // Булево
	Timestamp                       // Дата (date and time, no zone)
	Bytes                           // ХранилищеЗначения
)

// ColumnType is a column's kind with its qualifiers.
type ColumnType struct {
	Kind      ColumnKind
	Length    int // VarChar
	Precision int // Decimal
	Scale     int // Decimal
}

// Dialect is what differs between backends: how SQL is spelled, and what
// the storage engine under it can do. Callers ask for the capability they
// rely on (AdvisoryLock, SingleWriter, ...), never for a backend by name,
// so that a third backend is one more dialect, not a hunt through every
// package for the places that tell the two apart.
type Dialect interface {
	// Name is "sqlite" or "postgres".
	Name() string
	// Quote makes an identifier safe to splice into SQL.
	Quote(ident string) string
	// Placeholder is the n-th (1-based) bound argument: ? or $n.
	Placeholder(n int) string
	// Type is the SQL type of a column.
	Type(t ColumnType) string
	// Arg turns a Go value (string, bool, int64, float64, time.Time,
	// DecimalText, []byte, nil) into what the driver stores for it, so both
	// backends keep values that compare the same way.
	Arg(v any) any
	// Cast gives an expression a column type where the backend cannot infer
	// it (a bound argument standing alone, or as a function's argument).
	Cast(expr string, t ColumnType) string
	// DatePart is a part of a timestamp as an integer: "year", "quarter",
	// "month", "dayofyear", "day", "week", "weekday" (Monday 1 .. Sunday 7,
	// as 1C counts), "hour", "minute", "second".
	DatePart(part, expr string) string
	// Trunc is the start of the period ("year", "quarter", "month", "week",
	// "day", "hour", "minute") holding the timestamp.
	Trunc(unit, expr string) string
	// DateAdd adds n units ("year", "quarter", "month", "week", "day",
	// "hour", "minute", "second") to a timestamp.
	DateAdd(expr, unit, n string) string
	// Div divides as 1C does: never in whole numbers only. A division by
	// zero is NULL on every backend.
	Div(a, b string) string
	// DateDiff is b - a in whole units ("year", "quarter", "month", "day",
	// "hour", "minute", "second"), as РАЗНОСТЬДАТ counts them.
	DateDiff(a, b, unit string) string
	// NumberText is a number's digits in their shortest form, as 1C
	// presents a number without its locale's digit groups: no trailing
	// zeros after the point, no point for a whole number.
	NumberText(expr string) string
	// DateText is a date as 1C presents it: ДД.ММ.ГГГГ Ч:ММ:СС, the hour
	// without a leading zero.
	DateText(expr string) string
	// BinaryText makes a text expression compare by code points whatever
	// the database's collation (keys built of names and separators that
	// must sort before every letter).
	BinaryText(expr string) string
	// Order is an item of ORDER BY, ascending or descending, with NULL
	// before every value ascending and after them descending, as 1C sorts.
	Order(expr string, desc bool) string
	// AdvisoryLock is a statement that holds the transaction until it has
	// the exclusive lock on an int64 key (key is its placeholder), kept to
	// the transaction's end; "" where the backend admits one writer at a
	// time, which already serialises the writers such a lock would.
	AdvisoryLock(key string) string
	// SnapshotIsolation is the isolation level under which every read of
	// a transaction sees one snapshot; sql.LevelDefault where every
	// transaction already does.
	SnapshotIsolation() sql.IsolationLevel
	// SingleWriter reports whether the database admits one writer at a
	// time: writers then queue in the process and wait out a database
	// another process keeps busy, where row locks would let them run
	// together.
	SingleWriter() bool
	// IdentityKey is the definition of an integer primary key column the
	// database numbers itself, never giving a number twice, not even one
	// whose row was deleted, so an id names one row for ever.
	IdentityKey() string
	// InstantType is the type of a column that holds an instant (a UTC
	// time to the microsecond) and orders by it.
	InstantType() string
	// InstantArg is an instant as an InstantType column takes it.
	InstantArg(t time.Time) any
	// TablesQuery lists the names of the tables in the schema the
	// connection works in.
	TablesQuery() string
	// ColumnsQuery lists the names of the columns of the table its one
	// bound argument names, in the schema the connection works in; no
	// rows when there is no such table.
	ColumnsQuery() string
}

// DecimalText is an exact number in its decimal text form ("12500.00"), as
// 1C's Число keeps it; drivers take it as text.
type DecimalText string

// TimeLayout is how SQLite keeps timestamps: text that sorts as time does.
const TimeLayout = "2006-01-02 15:04:05"

// InstantLayout is how a backend without a time type keeps an instant
// (InstantArg): fixed width, UTC, microseconds, so that text order is time
// order and a range filter can use an index.
const InstantLayout = "2006-01-02T15:04:05.000000Z"

// quoteDouble quotes an identifier with double quotes, doubling any inside:
// both backends accept it, so an identifier can never break out of its place.
func quoteDouble(ident string) string {
	out := make([]byte, 0, len(ident)+2)
	out = append(out, '"')
	for i := 0; i < len(ident); i++ {
		if ident[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, ident[i])
	}
	return string(append(out, '"'))
}

// QuoteIdent is the double-quote quoting both dialects share.
func QuoteIdent(ident string) string { return quoteDouble(ident) }

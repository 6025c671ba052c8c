// Package sqlite is dostup's SQLite dialect (the embedded default, through
// the pure-Go driver modernc.org/sqlite).
package sqlite

import (
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

// CastUUID leaves the expression: SQLite keeps UUIDs as text.
func (Dialect) CastUUID(expr string) string { return expr }

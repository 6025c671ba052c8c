// Package postgres is dostup's PostgreSQL dialect (the production backend,
// through pgx; also Postgres-compatible engines such as Citus).
package postgres

import (
	"fmt"

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

// CastUUID casts the expression to uuid.
func (Dialect) CastUUID(expr string) string { return "CAST(" + expr + " AS uuid)" }

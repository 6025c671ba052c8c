// Package postgres is dostup's PostgreSQL dialect (the production backend,
// through pgx; also Postgres-compatible engines such as Citus).
package postgres

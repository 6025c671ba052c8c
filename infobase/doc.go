// Package infobase is an infobase: one configuration plus its data in one
// SQL database, SQLite (the embedded default, a single file) or PostgreSQL.
//
// Today it holds the schema: SchemaOf maps a configuration to tables and
// columns deterministically (or to the tables and columns a configuration
// declares, to govern an existing schema), and Init creates or evolves the
// schema of a database, adding what is new and refusing destructive changes
// unless they are allowed. Queries, objects and sessions build on it.
package infobase

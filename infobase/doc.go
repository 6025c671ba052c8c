// Package infobase is an infobase: one configuration plus its data in one
// SQL database, SQLite (the embedded default, a single file) or PostgreSQL.
//
// Today it opens databases and keeps their schema: Init creates or evolves
// the tables sqlgen.SchemaOf maps a configuration to, adding what is new and
// refusing destructive changes unless they are allowed, and Drop removes an
// infobase's tables, so that tools need not know which tables dostup keeps.
// Queries, objects and sessions build on it.
package infobase

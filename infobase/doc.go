// Package infobase is an infobase: one configuration plus its data in one
// SQL database, SQLite (the embedded default, a single file) or PostgreSQL,
// and the sessions of its users.
//
// The files, each one job:
//
//	db.go        Open by --db: the database, its dialect, the readers' pool and
//	             the writer (on SQLite one connection whose transactions begin
//	             IMMEDIATE, so concurrent writers wait in turn)
//	init.go      Init: create or evolve the schema sqlgen.SchemaOf maps a
//	             configuration to, destructive changes only when allowed; the
//	             configuration stored in the database
//	drop.go      Drop and Exists: the tables an infobase owns, so tools need not
//	             know them
//	batch.go     Init's and Drop's changes in transactions that fit the
//	             server's lock table, each step recorded so that a change cut
//	             short is finished by running it again (one transaction on
//	             SQLite)
//	infobase.go  Infobase and OpenInfobase: the database with the configuration
//	             stored in it, its schema and its roles prepared for sessions
//	compiled.go  the configuration's compiled form stored beside its YAML,
//	             which OpenInfobase reads instead of parsing the YAML while
//	             the form is of the sources stored and of this build
//	query.go     Query: a batch compiled once per text and session key, run in
//	             one snapshot, values alike on both backends
//	params.go    parameters bound to a statement's arguments, their errors
//	encode.go    Go and 1C values to column values, checked against types
//	decode.go    rows to values (composites, references and presentations)
//	storage.go   what both directions share: stored types and type tags
//	objects.go   Create, Read, Update (ВерсияДанных), Delete, SetDeletionMark
//	post.go      Post and Unpost with their movements
//	header.go    an object's attribute values checked as written: codes and
//	             numbers, a new document's date, the parent and the owner
//	session.go   NewSession: session parameters, functional options,
//	             privileged and safe mode, the session's event log
//	access.go    write, the one place every object write is judged, and the
//	             record checks of reads
//	users.go     the infobase's users (_dostup_users)
//
// A session compiles with an rls.Session as the compiler's Access; what it
// refuses is an *rls.AccessError, logged with the table, the right and the
// mode.
package infobase

// Package wire is the JSON form of query results and objects, shared by
// the CLI (--format json, object put) and the HTTP API, so both print and
// read the same values: exact numbers, dates without a zone, references
// with their presentations, and references given by matching fields.
package wire

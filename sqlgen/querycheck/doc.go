// Package querycheck compiles query texts against a configuration without
// running them (`dostup query check`): the whole front end and the query
// compiler, with full rights, so that a text that passes here runs on an
// infobase of the configuration. Failures name the place in the file the
// text came from, the cause first (a table that does not bind is reported
// alone, not after the fields read through it).
package querycheck

// Package wire is what the CLI and the HTTP API share, so that both print,
// read and do the same: the JSON form of query results and objects (exact
// numbers, dates without a zone, references with their presentations, and
// references given by matching fields), the view of a user (User), and the
// administrator's operations on users (Admin, with UserChange), which both
// front ends call rather than each repeating the sequence.
package wire

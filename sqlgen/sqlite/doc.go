// Package sqlite is dostup's SQLite dialect (the embedded default, through
// the pure-Go driver modernc.org/sqlite).
package sqlite

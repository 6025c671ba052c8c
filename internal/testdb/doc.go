// Package testdb opens a fresh infobase database for a test, on SQLite or
// on PostgreSQL, through one helper, so every backend test runs on both.
//
// PostgreSQL is reached at DOSTUP_TEST_POSTGRES or, by default,
// postgres://postgres@127.0.0.1:5432/test; each test gets a schema of its own,
// dropped when the test ends. A PostgreSQL that cannot be reached fails the
// test: CI starts one, and a skipped backend test proves nothing.
package testdb

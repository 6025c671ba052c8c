// Command rls measures what record-level security costs: queries of the
// demo's manager ivanov, whose restrictions dostup inlines into the SQL,
// against the SQL a person would write with the same filter, on a scaled
// demo infobase, on SQLite and PostgreSQL in one run. It prints one line
// per backend and query:
//
//	rls/hand sqlite: 1.03 (document lines by item: 4 rows)
//	rls/pgrls postgres: 0.98 (document lines by item: 4 rows)
//
// the ratio of the median times of the two (compile caching on, so the
// compiled side pays only for running its SQL and reading the result). On
// PostgreSQL a third side is PostgreSQL's own row-level security: the same
// restrictions written as CREATE POLICY on the same tables, read by a role
// that does not own them, the organisation given to each transaction with
// set_config and read in the policies through a sub-select; rls/pgrls is
// dostup's median time over that side's. All sides must return the same
// rows, or the run fails.
//
//	go run ./bench/rls [--counterparties 100000] [--lines 1000000] [--rounds 15]
//	    [--sqlite FILE] [--postgres URL] [--reuse]
//
// Building the scaled data takes minutes; --reuse keeps the SQLite file and
// the PostgreSQL schema of an earlier run with the same scale.
package main

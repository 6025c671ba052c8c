// Package oracle evaluates 1C restriction texts and a subset of 1C queries
// over rows held in memory, with the record-level security rules of SPEC §3
// applied by hand, one record at a time.
//
// It is the oracle of a differential test: the engine (sqlgen and infobase)
// compiles restrictions into SQL and runs them on SQLite and PostgreSQL;
// this package reaches the same answers by the most direct reading of the
// rules it can, with no SQL and no query planning, so that a disagreement
// points at one of the two. It never shares code with the engine beyond the
// parsed tree (dostup/sdbl/parser) and the configuration model
// (dostup/metadata).
//
// Values are SQL values: nil is NULL; comparisons with NULL are unknown and
// И/ИЛИ/НЕ follow SQL's three-valued logic. Strings are Go strings compared
// byte-wise (the engine compares them with SQL = on both backends), numbers
// are exact (*big.Rat inside, Number in results), references are their UUID
// strings inside and Ref in results, dates are time.Time in UTC.
//
// What it reads of a query: ВЫБРАТЬ [РАЗРЕШЕННЫЕ] [РАЗЛИЧНЫЕ] fields ИЗ
// sources [ГДЕ cond], with joins and nested queries when no access checks
// apply (nested queries in restrictions, session parameters, privileged
// reads); with access checks, one table (or one tabular section) with
// fields read through references. Restriction texts are expected after
// template expansion and preprocessing.
package oracle

// Package rlscheck is the offline tooling of record-level security: it
// proves that every restriction text of a configuration, or of a
// Configurator dump's Rights.xml files, parses and compiles, and reports the
// variants no session can reach. It is what `dostup rls check`, `dostup rls
// compile` and `dostup config check` run; the runtime policy is package rls,
// which servers use without this package and the dump importer it needs.
//
// Check runs the front half of the pipeline on every restriction of every
// role, for the restricted table and right:
//
//	Rights.xml ──onecxml──▶ condition text ──template.Expand──▶ text
//	   ──preproc.Parse / Variants──▶ one text per choice of unknown
//	   session parameters ──parser.ParseRestriction──▶ syntax tree
//
// A variant whose text is a message (`Ошибка: ...`, `Error: ...`,
// `НеверноеПраво: ...`: a word and a colon, which the query language never
// has, written on purpose by the Standard Subsystems Library) is a message
// variant: at run time it becomes an error carrying that message, so the
// check counts it as intended rather than as a failure.
//
// Variants are every text the unknown session parameters can select when
// there are few, and otherwise a set that takes every reachable #Если branch
// at least once (see preproc.Program.Variants). Branches that end a field
// path in an empty template parameter are left out: no session of the
// library can select them.
//
// Compile takes the same variants on to SQL: each that parses is compiled by
// sqlgen.Compiler.CompileRestriction for its table and, given a database
// holding the configuration's schema, run once with empty values of the
// session parameters' types (dostup rls compile).
package rlscheck

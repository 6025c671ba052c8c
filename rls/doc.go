// Package rls is dostup's record-level security: which restrictions of which
// roles apply to an access, and the checks that every restriction text of a
// configuration compiles.
//
// Check runs the front half of the pipeline on every restriction of every
// role, for the restricted table and right:
//
//	Rights.xml ──onecxml──▶ condition text ──template.Expand──▶ text
//	   ──preproc.Parse / Variants──▶ one text per choice of unknown
//	   session parameters ──parser.ParseRestriction──▶ syntax tree
//
// A variant whose text is a message (`Ошибка: ...` / `Error: ...`, which the
// Standard Subsystems Library writes on purpose) is a message variant: at run
// time it becomes an error carrying that message, so the check counts it as
// intended rather than as a failure.
package rls

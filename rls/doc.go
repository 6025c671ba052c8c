// Package rls is dostup's record-level security at run time: which roles
// of a session grant a right on a table, and which records their
// restrictions leave it (§3.2).
//
// A Policy holds a configuration's roles prepared once: each role's
// templates built, each restriction expanded for its table and right and its
// preprocessor directives parsed. Policy.Session is one session's view,
// with the values of its session parameters and functional options, which
// choose the preprocessor's branches:
//
//	restriction text ──template.Expand──▶ text ──preproc (session values)──▶
//	   text ──parser.ParseRestriction──▶ Condition
//
// Session.Plan decides, for a table occurrence, a right and the fields the
// operation reads, a Plan: denied (no role grants the right, or a message
// variant stops the session: `Ошибка: ...`, a word and a colon the query
// language never has), allowed (a granting role has no restriction that
// applies), or restricted to an OR over roles of their restrictions'
// conditions, ANDed within a role. The query compiler (sqlgen) only
// compiles the plan's leaves into SQL; an operation refused is an
// *AccessError, the one type the infobase, the server and the CLI name.
//
// The offline checks of every restriction of a configuration are package
// rls/rlscheck.
package rls

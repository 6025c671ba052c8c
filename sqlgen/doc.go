// Package sqlgen compiles the 1C query language into SQL for dostup's
// backends, with the session's rights and record-level security inlined.
// Dialect differences live only in the dialect packages (sqlgen/sqlite,
// sqlgen/postgres) behind the Dialect interface (quoting, placeholders,
// column types, the order of NULL, and capabilities such as advisory locks
// that storage asks for); everything here builds dialect-neutral text.
//
// The schema (schema.go, naming.go, ids.go) maps the configuration's
// objects to tables and columns: deterministic names, or the tables and
// columns a configuration declares; a composite type as a type tag and a
// column per kind of value (columns.go keeps that layout for every reader);
// name-based ids for enumeration values and ВидДвиженияНакопления. A
// document journal gets no table: journal.go reads it as a derived table,
// one SELECT per registered document joined by UNION ALL, NULL where a
// document shows nothing in a column, typed for PostgreSQL's pairwise UNION
// typing.
//
// # Stages
//
// Compiler.Compile (compiler.go) takes a parsed batch one statement at a
// time; a statement goes through these stages in order:
//
//  1. Sources (from.go). Every FROM item is bound: a table of the
//     configuration, a tabular section, a register's virtual table
//     (virtual.go; accounting registers' in accounting.go), a document
//     journal (journal.go), a temporary table made
//     earlier in the batch or a nested query. Each becomes a
//     tableOccurrence (occurrence.go), the one place a table enters a
//     statement and so the place record-level security hooks in.
//  2. Select list (select.go). * is expanded (star.go); each field is
//     compiled as an expression (expr.go, funcs.go, types.go). A path
//     through a reference (paths.go) joins the referenced table as a new
//     occurrence and records the fields read of each occurrence, which
//     decide the restrictions that apply. A reference brings its
//     presentation (presentation.go); a composite value spreads over a type
//     tag and a column per kind of value (columns.go). ГДЕ, СГРУППИРОВАТЬ
//     ПО (grouping.go), ИМЕЮЩИЕ and УПОРЯДОЧИТЬ ПО follow; ОБЪЕДИНИТЬ,
//     УПОРЯДОЧИТЬ ПО and ПЕРВЫЕ form one tail shared by whole and nested
//     queries (compound); ИТОГИ wraps the whole in its grouping levels
//     (totals.go). Limits on size and depth are counted as it goes
//     (limits.go); parameters in В lists are marked for expansion when they
//     are bound (lists.go).
//  3. FROM text (from.go). Occurrences are printed with their dereference
//     joins, leaving marks where record-level security will go.
//  4. Finishing (finish.go). The session's rights are checked on every
//     occurrence; the marks are resolved (marks.go) with the predicate of
//     each occurrence, which restrict.go compiles from the session's plan
//     for the table, right and fields read; a statement without
//     РАЗРЕШЕННЫЕ gets access checks instead of filters; placeholders are
//     numbered for the dialect.
//
// # Marks
//
// Which restrictions apply to an occurrence depends on every field the
// statement reads of it, and those are known only once the whole statement
// is compiled, while the predicates stand in the middle of the text (in ON,
// in WHERE, inside a derived table). So generation leaves marks: a NUL
// byte, a kind letter, an occurrence or argument number, and a NUL. Bound
// arguments are marks too, because restrictions inlined at the end bind
// arguments of their own and an access check reads only some of the
// statement's; numbering waits until the text is final. A query's own text
// never holds a NUL byte here: its strings are bound arguments, never
// written into SQL, and the lexer refuses NUL even in them.
package sqlgen

// Package printer prints syntax trees of the 1C query and restriction
// language back as text, in Russian or English.
//
// It is the last stage of the front end: the parser's trees, and trees that
// programs build or rewrite, become canonical text with the layout the 1C
// query designer uses (one clause per line, fields and sources indented),
// keywords upper-case in the chosen language, names as written. Names the
// language itself defines — built-in functions, metadata kinds in table
// names, virtual tables, primitive types, ПустаяСсылка, ТекущаяТаблица — are
// translated, but only in the positions where they mean that, so a field
// called Документ stays Документ in an English text.
//
// The contract that the tests enforce: for every text T the parser accepts,
// parsing the printed tree gives back the tree of T (positions aside), in
// both languages, and printing is idempotent. Parentheses the author wrote
// are kept (ast.ParenExpr); parentheses the tree's shape needs are added, so
// a tree built by a program prints correctly too.
package printer

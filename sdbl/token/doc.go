// Package token defines the lexical tokens of the 1C query and restriction
// language (RU and EN keywords, case-insensitive, in any mix) and the
// positions tokens carry.
//
// It is the first stage of the pipeline: the lexer turns text into tokens of
// these kinds, the parser builds the syntax tree from them, and the printer
// spells keywords back in either language.
package token

// Package lexer splits a 1C query or restriction text into tokens.
//
// The lexer never panics and never stops early: a character it does not know
// becomes an ILLEGAL token and a problem is reported through the error
// handler, so the parser can go on and report every mistake of a text in one
// run. Comments (// to the end of the line) and white space are skipped.
package lexer

// Package bsl reads 1C:Enterprise modules (BSL, the built-in language) as
// the platform compiles them: a lexer for the parts it needs, the
// preprocessor for each context, the methods a module offers per context,
// module kinds from the dump layout, and security checks with stable codes.
package bsl

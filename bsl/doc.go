// Package bsl reads 1C:Enterprise modules (BSL, the built-in language) as
// the platform compiles them: a lexer for the parts it needs, the
// preprocessor for each context, the methods a module offers per context,
// module kinds from the dump layout, and security checks with stable codes.
//
// Where each part lives:
//
//   - context.go: the contexts of compilation and the preprocessor's
//     symbols; finding.go: the shape of a finding;
//   - module.go: module kinds from the dump layout, common modules' flags,
//     loading modules;
//   - lexer.go: Lex, one pass, never fails;
//   - preprocess.go: Lines (each line's contexts), Preprocess and the
//     preprocessor's findings;
//   - methods.go: Parse into a Syntax of methods, variables and calls;
//     offers.go: what a module offers per context;
//   - check.go, check_with.go: Check and CheckWith, the codes;
//     check_std680.go, check_modes.go, check_calls.go: the checks by theme;
//   - rules.go, sarif.go: the rules' descriptions and SARIF 2.1.0 output;
//   - queries.go: the query texts of a module's string literals, for
//     checking a configuration's queries (sqlgen/querycheck).
package bsl

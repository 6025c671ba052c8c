// Package lint checks a configuration's roles, restrictions and module
// queries for mistakes and risks, as dostup lint reports them: as text, as
// JSON in the shape of the audit's findings with a place in the
// configuration's files, and as SARIF 2.1.0 for code scanning.
package lint

// Package ast declares the syntax tree of the 1C query and restriction
// language.
//
// The parser builds it, the printer prints it back in either language, and
// later stages (binding to metadata, RLS planning, SQL generation) read it.
// Every node knows the span of text it came from; source.Text.Locate turns
// those offsets into file:line:col of what the user wrote.
package ast

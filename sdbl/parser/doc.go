// Package parser builds syntax trees of 1C queries and restriction texts.
//
// It reads the whole query language (batches, temporary tables, unions, joins,
// nested queries, virtual tables, totals) and the restriction form
// [Alias] [ИЗ sources] [ГДЕ condition]. After a mistake it skips to a word
// that can start a clause and goes on, so a text with three mistakes gets
// three messages; it gives up after ten. Errors carry the place the user
// wrote, through the source map of the text (template body, call site).
package parser

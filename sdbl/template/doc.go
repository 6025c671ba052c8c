// Package template expands the restriction templates of 1C:Enterprise roles.
//
// A role's restriction texts (RLS conditions) may call templates that the
// role defines: `#ДляОбъекта("")`, `#ПоЗначениям("Справочник.X", "", ...)`.
// This package is the pipeline stage that replaces every call by the
// template's body, with the arguments, the table being restricted and the
// right being checked filled in. It runs before the preprocessor
// (sdbl/preproc), which is why `#Если ... #КонецЕсли` directives pass through
// untouched: a template body is full of them and they only make sense once
// the body has been put in place.
//
//	restriction text ──Expand──▶ text without template calls ──preproc──▶ ──parser──▶
//
// Expansion works like a function call, not like a C macro: a template body
// is scanned once, with its arguments bound; the values substituted are never
// rescanned. Arguments of a call that stands inside a template body are
// expanded in the caller's context first, so a template can pass its own
// #Параметр(n) on to another template.
//
// Every character of the result maps back (through source.Text's Map) to the
// place it was written: template text to the template body, through the
// chain of calls that brought it there; argument values to the argument
// inside the call; values the expander makes up (the table's name, the
// right's name) to the directive that asked for them. Errors carry the same
// locations, so a mistake deep inside a nested template is reported as
// "Rights.xml:3340:7 (in template ДляРегистра called at Rights.xml:120:1)".
//
// A template body is scanned once into a list of literal chunks and
// substitutions, cached in the Template: real bodies reach 400 KB and are
// expanded for every restriction and right that calls them.
package template

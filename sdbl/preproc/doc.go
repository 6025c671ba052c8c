// Package preproc evaluates the preprocessor of 1C restriction texts:
//
//	#Если <условие> #Тогда ... #ИначеЕсли <условие> #Тогда ... #Иначе ... #КонецЕсли
//
// (English #If, #Then, #ElsIf or #ElseIf, #Else, #EndIf; any letter case;
// nestable; anywhere on a line). It stands in the pipeline after template
// expansion and before the lexer: a restriction text is preprocessed per
// session, so each session compiles only the branches its session parameters
// select.
//
// Parse reads the directive structure once into a Program: literal ranges of
// the input and if-chains whose conditions are parsed into small expression
// trees. A Program is then walked many times without re-parsing: Eval with the
// session's parameter values gives the one text the session sees, and Variants
// enumerates, without values (or with some), the texts the conditions can
// yield, so that a configuration can be checked at load time for every
// session it might serve. Output texts are assembled from ranges of the input
// with source.Builder.CopyText, so positions in them still point at the file
// the user wrote (through any template calls recorded in the input's map).
//
// Conditions know comparisons (= <> < > <= >=), И/ИЛИ/НЕ (AND/OR/NOT),
// parentheses, session parameters &Имя, string literals with "" escapes,
// numbers, Истина/Ложь (True/False), Неопределено (Undefined), + and -,
// СтрСодержит(где, что) (StrContains) and Значение(...) (Value(...)), an
// opaque predefined value compared by its text. A #Имя that is not a
// directive word (a template parameter left unexpanded, as in raw template
// bodies) is an unknown value to Variants and an error to Eval.
//
// In the ordinary text, # and // inside double-quoted strings are not
// directives or comments, and directives inside // comments are ignored; but
// a #Если, #ИначеЕсли, #Иначе or #КонецЕсли that is the first non-blank thing
// on a line is always a directive, because real configurations hold message
// lines with unbalanced quotes. Other #words are left in the text for the
// template expander.
package preproc

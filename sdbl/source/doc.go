// Package source keeps track of where every character of a text came from.
//
// Restriction texts go through template expansion and the preprocessor before
// they are parsed, so the text the parser sees is not the text the user wrote.
// A File is what the user wrote (a file on disk, or a text embedded in one such
// as a <condition> element of Rights.xml); a Text is what a stage produced,
// with a Map from each of its offsets back to a Location in some File, and
// through the chain of template calls that put it there.
package source

// Package printertest checks the printer's contract on a text: parsing what
// the printer wrote gives back the same tree, in Russian and in English, and
// printing again changes nothing. The printer's table and golden tests and
// the parser's fuzz targets share it, so every text any of them meets is
// held to the same property.
package printertest

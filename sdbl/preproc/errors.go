package preproc

import "dostup/sdbl/source"

// Error is a mistake in a text, at the place it was written; its Code is
// "preprocessor".
type Error = source.Error

// ErrorList holds every mistake one run found.
type ErrorList = source.ErrorList

// errCode is the Code of this stage's errors.
const errCode = "preprocessor"

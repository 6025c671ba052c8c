package bsl

// Severity is how serious a finding is.
type Severity string

// The severities, as SARIF names its levels.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityNote    Severity = "note"
)

// Finding is one problem a check found in a module, at a place a person
// can open: lines and columns 1-based, columns in characters, End the
// position just after the problem's text.
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	EndLine  int      `json:"end_line"`
	EndCol   int      `json:"end_col"`
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

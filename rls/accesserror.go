package rls

import (
	"errors"
	"fmt"

	"dostup/metadata/vocab"
)

// AccessError is an operation refused by rights or record-level security.
type AccessError struct {
	User   string      // filled in by the session
	Object string      // the table's full name
	Right  vocab.Right // Read (Чтение), Insert, Update, Delete, Posting, UndoPosting
	// Records is set when the right is granted but a record the operation
	// reads or writes is outside the restriction.
	Records bool
	Message string // a restriction's own message (a message variant)
	// Mode is how the operation ran: "allowed" (ВЫБРАТЬ РАЗРЕШЕННЫЕ),
	// "all" (a query without it), "read" (an object read by reference)
	// or "write" (an object written, posted or deleted).
	Mode string
}

// ObjectMode is the Mode of an object operation needing a right: "read"
// for Чтение, "write" for every other.
func ObjectMode(right vocab.Right) string {
	if right == vocab.Read {
		return "read"
	}
	return "write"
}

func (e *AccessError) Error() string {
	who := ""
	if e.User != "" {
		who = " for user " + e.User
	}
	right := e.Right.Russian()
	switch {
	case right == "":
		right = e.Right.English()
	case right != e.Right.English():
		right += " (" + e.Right.English() + ")"
	}
	switch {
	case e.Message != "":
		return fmt.Sprintf("access denied%s: %s (restriction of the %s right on %s)", who, e.Message, right, e.Object)
	case e.Records && e.Right == vocab.Read:
		return fmt.Sprintf("access denied%s: the %s right on %s does not extend to every record the query reads (record-level restriction); ВЫБРАТЬ РАЗРЕШЕННЫЕ leaves such records out", who, right, e.Object)
	case e.Records:
		return fmt.Sprintf("access denied%s: the record is outside the restriction of the %s right on %s", who, right, e.Object)
	}
	return fmt.Sprintf("access denied%s: no %s right on %s", who, right, e.Object)
}

// IsAccessDenied reports whether err is, or wraps, an *AccessError.
func IsAccessDenied(err error) bool {
	var ae *AccessError
	return errors.As(err, &ae)
}

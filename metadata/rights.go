package metadata

import (
	"slices"
	"strings"

	"dostup/metadata/vocab"
)

// objectRights are the rights on objects the model knows [004]. Rights.xml
// has more (InteractivePostingRegular, Start...); the model leaves them out
// until something checks them, so that a configuration granting one is told
// rather than silently ignored.
var objectRights = []vocab.Right{
	vocab.Read, vocab.Insert, vocab.Update, vocab.Delete, vocab.View, vocab.Edit,
	vocab.InteractiveInsert, vocab.InteractiveDelete, vocab.InteractiveSetDeletionMark,
	vocab.InteractiveClearDeletionMark, vocab.InteractiveDeleteMarked, vocab.InputByString,
	vocab.Posting, vocab.UndoPosting, vocab.InteractivePosting, vocab.InteractiveUndoPosting,
	vocab.InteractiveChangeOfPosted, vocab.TotalsControl, vocab.ReadDataHistory,
	vocab.UpdateDataHistory, vocab.ViewDataHistory,
}

// globalRights are the rights of the configuration as a whole the model knows.
var globalRights = []vocab.Right{
	vocab.Administration, vocab.DataAdministration, vocab.UpdateDataBaseConfiguration,
	vocab.ExclusiveMode, vocab.ActiveUsers, vocab.EventLog, vocab.ThinClient, vocab.WebClient,
	vocab.ThickClient, vocab.ExternalConnection, vocab.Automation,
	vocab.InteractiveOpenExtDataProcessors, vocab.InteractiveOpenExtReports, vocab.Output,
	vocab.SaveUserData,
}

// findRight parses name as one of the rights of list.
func findRight(list []vocab.Right, name string) (vocab.Right, bool) {
	r, ok := vocab.ParseRight(name)
	return r, ok && slices.Contains(list, r)
}

// knownRight parses name as a right the model knows, on objects or global.
func knownRight(name string) (vocab.Right, bool) {
	if r, ok := findRight(objectRights, name); ok {
		return r, true
	}
	return findRight(globalRights, name)
}

// sameRight compares right names in either language.
func sameRight(a, b string) bool {
	r, ok := knownRight(a)
	if !ok {
		return strings.EqualFold(a, b)
	}
	return strings.EqualFold(r.Russian(), b) || strings.EqualFold(r.English(), b)
}

// RightName returns a right's name in English (Read) or Russian (Чтение);
// a name the model does not know comes back unchanged. Code holding a
// vocab.Right calls its Name method instead.
func RightName(name string, english bool) string {
	r, ok := knownRight(name)
	if !ok {
		return name
	}
	return r.Name(english)
}

// IsRestrictable reports whether a right may carry record-level
// restrictions: Read, Insert, Update and Delete.
func IsRestrictable(name string) bool {
	r, ok := vocab.ParseRight(name)
	return ok && r.Restrictable()
}

// IsObjectRight reports whether name is a right on objects the model knows.
func IsObjectRight(name string) bool {
	_, ok := findRight(objectRights, name)
	return ok
}

// IsGlobalRight reports whether name is a global right the model knows.
func IsGlobalRight(name string) bool {
	_, ok := findRight(globalRights, name)
	return ok
}

package metadata

import (
	"slices"
	"strings"

	"dostup/metadata/vocab"
)

// objectRights are the rights on objects the model knows [004]: every
// right 1C has on the kinds it models, so that AccessRight and the audit
// see what a role file grants. Rights of objects the model does not have
// (Use of data processors, Get and Set of session parameters) are not here.
var objectRights = []vocab.Right{
	vocab.Read, vocab.Insert, vocab.Update, vocab.Delete, vocab.View, vocab.Edit,
	vocab.InteractiveInsert, vocab.InteractiveDelete, vocab.InteractiveSetDeletionMark,
	vocab.InteractiveClearDeletionMark, vocab.InteractiveDeleteMarked, vocab.InputByString,
	vocab.Posting, vocab.UndoPosting, vocab.InteractivePosting, vocab.InteractiveUndoPosting,
	vocab.InteractiveChangeOfPosted, vocab.TotalsControl, vocab.ReadDataHistory,
	vocab.UpdateDataHistory, vocab.ViewDataHistory,
	// Added with set_for_new_objects; legacyObjectRights says why the
	// split matters to validation.
	vocab.InteractivePostingRegular,
	vocab.InteractiveDeletePredefinedData, vocab.InteractiveSetDeletionMarkPredefinedData,
	vocab.InteractiveClearDeletionMarkPredefinedData, vocab.InteractiveDeleteMarkedPredefinedData,
	vocab.ReadDataHistoryOfMissingData, vocab.UpdateDataHistoryOfMissingData,
	vocab.UpdateDataHistorySettings, vocab.UpdateDataHistoryVersionComment,
	vocab.EditDataHistoryVersionComment, vocab.SwitchToDataHistoryVersion,
	vocab.Start, vocab.InteractiveStart, vocab.Execute, vocab.InteractiveExecute,
	vocab.InteractiveActivate,
}

// legacyObjectRights is how many of objectRights the model had before it
// knew every right of every kind. Configurations written then grant them on
// any kind (Добавление on a register is how a hand-written configuration
// lets a role write its records), so only the rights added later are
// checked against the object's kind: existing configurations load as they
// did.
const legacyObjectRights = 21

// globalRights are the rights of the configuration as a whole the model
// knows: every one Rights.xml lists under the Configuration object.
var globalRights = []vocab.Right{
	vocab.Administration, vocab.DataAdministration, vocab.UpdateDataBaseConfiguration,
	vocab.ExclusiveMode, vocab.ActiveUsers, vocab.EventLog, vocab.ThinClient, vocab.WebClient,
	vocab.ThickClient, vocab.ExternalConnection, vocab.Automation,
	vocab.InteractiveOpenExtDataProcessors, vocab.InteractiveOpenExtReports, vocab.Output,
	vocab.SaveUserData, vocab.MobileClient, vocab.ConfigurationExtensionsAdministration,
	vocab.TechnicalSpecialistMode, vocab.AnalyticsSystemClient,
	vocab.CollaborationSystemInfoBaseRegistration, vocab.ExclusiveModeTerminationAtSessionStart,
	vocab.StandardAuthenticationChange, vocab.SessionStandardAuthenticationChange,
	vocab.SessionOSAuthenticationChange, vocab.MainWindowModeNormal, vocab.MainWindowModeWorkplace,
	vocab.MainWindowModeEmbeddedWorkplace, vocab.MainWindowModeFullscreenWorkplace,
	vocab.MainWindowModeKiosk, vocab.AllFunctionsMode,
}

// Rights 1C has on objects of each kind: what the role editor shows for
// the kind, and so what set_for_new_objects grants on an object the role
// does not list.
var (
	dataHistoryRights = []vocab.Right{
		vocab.ReadDataHistory, vocab.ViewDataHistory, vocab.UpdateDataHistory,
		vocab.ReadDataHistoryOfMissingData, vocab.UpdateDataHistoryOfMissingData,
		vocab.UpdateDataHistorySettings, vocab.UpdateDataHistoryVersionComment,
		vocab.EditDataHistoryVersionComment, vocab.SwitchToDataHistoryVersion,
	}
	referenceRights = []vocab.Right{
		vocab.Read, vocab.Insert, vocab.Update, vocab.Delete, vocab.View, vocab.InteractiveInsert,
		vocab.Edit, vocab.InteractiveDelete, vocab.InteractiveSetDeletionMark,
		vocab.InteractiveClearDeletionMark, vocab.InteractiveDeleteMarked, vocab.InputByString,
	}
	predefinedDataRights = []vocab.Right{
		vocab.InteractiveDeletePredefinedData, vocab.InteractiveSetDeletionMarkPredefinedData,
		vocab.InteractiveClearDeletionMarkPredefinedData, vocab.InteractiveDeleteMarkedPredefinedData,
	}
	kindRights = map[Kind][]vocab.Right{
		Catalog:                    concat(referenceRights, predefinedDataRights, dataHistoryRights),
		ChartOfCharacteristicTypes: concat(referenceRights, predefinedDataRights, dataHistoryRights),
		ExchangePlan:               concat(referenceRights, dataHistoryRights),
		Document: concat(referenceRights, []vocab.Right{vocab.Posting, vocab.UndoPosting,
			vocab.InteractivePosting, vocab.InteractivePostingRegular, vocab.InteractiveUndoPosting,
			vocab.InteractiveChangeOfPosted}, dataHistoryRights),
		BusinessProcess: concat(referenceRights, []vocab.Right{vocab.Start, vocab.InteractiveStart,
			vocab.InteractiveActivate}),
		Task: concat(referenceRights, []vocab.Right{vocab.Execute, vocab.InteractiveExecute,
			vocab.InteractiveActivate}),
		InformationRegister: concat([]vocab.Right{vocab.Read, vocab.Update, vocab.View, vocab.Edit,
			vocab.TotalsControl}, dataHistoryRights),
		AccumulationRegister:    {vocab.Read, vocab.Update, vocab.View, vocab.Edit, vocab.TotalsControl},
		AccountingRegister:      {vocab.Read, vocab.Update, vocab.View, vocab.Edit, vocab.TotalsControl},
		ChartOfAccounts:         concat(referenceRights, predefinedDataRights, dataHistoryRights),
		ChartOfCalculationTypes: concat(referenceRights, predefinedDataRights, dataHistoryRights),
		Constant:                concat([]vocab.Right{vocab.Read, vocab.Update, vocab.View, vocab.Edit}, dataHistoryRights),
		// 1C gives enumerations no rights at all: anyone reads them. The
		// model asks Чтение of every table a query reads, an enumeration's
		// too, so that is what a role granting everything grants.
		Enum:            {vocab.Read},
		DocumentJournal: {vocab.Read, vocab.View},
	}
)

func concat(lists ...[]vocab.Right) []vocab.Right {
	var out []vocab.Right
	for _, l := range lists {
		out = append(out, l...)
	}
	return slices.Clip(out)
}

// KindRights lists the rights 1C has on objects of a kind, in the role
// editor's order, in a new slice: what a role with set_for_new_objects
// grants on an object it does not name.
func KindRights(k Kind) []vocab.Right { return slices.Clone(kindRights[k]) }

// GlobalRights lists the global rights a role with set_for_new_objects
// grants unless it withholds them, in a new slice.
func GlobalRights() []vocab.Right { return implicitGlobalRights() }

// explicitOnlyRights are global rights of platforms newer than the dumps of
// most applications: a dump made before them does not mention them, also
// not among what a role with set_for_new_objects withholds, so such a role
// is not taken to grant them unless its file names them.
var explicitOnlyRights = []vocab.Right{vocab.AllFunctionsMode}

func implicitGlobalRights() []vocab.Right {
	return slices.DeleteFunc(slices.Clone(globalRights), func(r vocab.Right) bool {
		return slices.Contains(explicitOnlyRights, r)
	})
}

// fieldRights are the rights of an object's fields (attributes, tabular
// sections and their attributes, dimensions, resources): 1C shows a
// field and lets it be changed by them.
var fieldRights = []vocab.Right{vocab.View, vocab.Edit}

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

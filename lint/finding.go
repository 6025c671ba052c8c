package lint

import (
	"cmp"
	"slices"

	"dostup/audit"
	"dostup/bsl"
)

// Finding codes of lint beside the audit's (audit.CodeDangerousRight,
// audit.CodeInteractiveDelete, audit.CodeSetForNewObjects,
// audit.CodeRLSInStandardRole), which lint reports from the same
// implementation. They are part of dostup's interface: SARIF rule ids,
// suppressions in lint.yaml and tools outside dostup match on them.
const (
	// CodeRestrictionSyntax: a variant of a restriction does not expand
	// (templates, the preprocessor) or parse.
	CodeRestrictionSyntax = "restriction-syntax"
	// CodeRestrictionBind: a variant parses but does not compile against
	// the configuration's metadata (a field or table that is not there, a
	// type that does not fit).
	CodeRestrictionBind = "restriction-bind"
	// CodeConstantRestriction: after templates and the preprocessor the
	// restriction is ИСТИНА for every session, or ЛОЖЬ for every session.
	CodeConstantRestriction = "constant-restriction"
	// CodeUnusedTemplate: a role's restriction template no restriction of
	// the role calls.
	CodeUnusedTemplate = "unused-template"
	// CodeUnrestrictedReference: a role reads an object without a
	// restriction while an attribute of it references an object the role
	// reads with one: its lists show references to records the user cannot
	// open.
	CodeUnrestrictedReference = "unrestricted-reference"
	// CodeRestrictionDiffersAcrossRoles: one object and right restricted
	// with different texts in roles one user may hold together.
	CodeRestrictionDiffersAcrossRoles = "restriction-differs-across-roles"
	// CodeInsertUpdateDiffer: a role restricts Добавление differently from
	// Изменение of the same object.
	CodeInsertUpdateDiffer = "insert-update-differ"
	// CodeUpdateLessRestrictedThanRead: a role lets a user change every
	// record of an object while it restricts which records he reads.
	CodeUpdateLessRestrictedThanRead = "update-less-restricted-than-read"
	// CodeQueryInModule: a literal query text of a module does not compile
	// against the configuration.
	CodeQueryInModule = "query-in-module"
)

// Finding is one problem lint found: an audit finding with the place in
// the configuration's files it is about (for a Configurator dump, the XML
// files of the dump). Its JSON names are part of dostup's interface.
type Finding struct {
	audit.Finding
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// Rule describes a finding code: SARIF's reportingDescriptor.
type Rule struct {
	Code     string // the finding code, SARIF's rule id
	Severity string // the default severity: audit.SeverityError, SeverityWarning or SeverityInfo
	Short    string // one sentence
	Help     string // what to do about it
}

// Rules are the codes lint reports, in a stable order. The BSL checks'
// codes come from the bsl package when lint runs them.
var Rules = []Rule{
	{CodeRestrictionSyntax, audit.SeverityError, "A restriction does not expand or parse.",
		"Fix the text at the place given: a template call, a #Если directive or the condition itself."},
	{CodeRestrictionBind, audit.SeverityError, "A restriction does not compile against the configuration.",
		"The restriction names a table, field or type the configuration does not have in the variant given; fix the name, or the #Если around it."},
	{CodeConstantRestriction, audit.SeverityWarning, "A restriction is constant for every session.",
		"A restriction that is always ИСТИНА restricts nothing and one that is always ЛОЖЬ hides every record: remove it, or remove the right."},
	{CodeUnusedTemplate, audit.SeverityInfo, "A restriction template is never used.",
		"Remove the template from the role, or call it from a restriction."},
	{CodeUnrestrictedReference, audit.SeverityWarning, "An object references a restricted object but has no restriction of its own.",
		"Restrict the object as the object it references is restricted (ЧтениеОбъектаРазрешено, or a template of the Standard Subsystems Library), so that its lists do not show references the user cannot open."},
	{CodeRestrictionDiffersAcrossRoles, audit.SeverityWarning, "One object and right is restricted with different texts in roles one user may hold together.",
		"1C joins such restrictions with ИЛИ in every query: give the roles one text (a shared template) or split the users."},
	{CodeInsertUpdateDiffer, audit.SeverityWarning, "Добавление is restricted differently from Изменение.",
		"A user may then add records he could not change afterwards, or change records into ones he could not add: give both rights the same restriction."},
	{CodeUpdateLessRestrictedThanRead, audit.SeverityWarning, "Изменение is unrestricted while Чтение is restricted.",
		"The platform checks Изменение on the record written: restrict it at least as Чтение is restricted."},
	{audit.CodeRLSInStandardRole, audit.SeverityWarning, "A standard role carries a record-level restriction.",
		"ПолныеПрава and АдминистраторСистемы must see every record: remove the restriction."},
	{audit.CodeSetForNewObjects, audit.SeverityWarning, "A role grants rights on objects added later.",
		"Only ПолныеПрава should have «Устанавливать права для новых объектов»: clear the flag and list the rights."},
	{audit.CodeDangerousRight, audit.SeverityError, "A role holds a right that opens the whole infobase.",
		"Move the right to the standard role meant for it (1C's standard 488)."},
	{audit.CodeInteractiveDelete, audit.SeverityWarning, "A role may delete objects interactively.",
		"Interactive deletion bypasses deletion marks and the check of references: grant ИнтерактивнаяПометкаУдаления instead."},
	{CodeQueryInModule, audit.SeverityError, "A query text in a module does not compile against the configuration.",
		"Fix the query at the place given; a text that names a table or field the configuration does not have fails when the module runs."},
}

// RuleOf returns the rule of a code, lint's own or a BSL check's, and
// whether lint knows it.
func RuleOf(code string) (Rule, bool) {
	if i := slices.IndexFunc(Rules, func(r Rule) bool { return r.Code == code }); i >= 0 {
		return Rules[i], true
	}
	for _, r := range bsl.Rules() {
		if r.Code == code {
			sev := string(r.Severity)
			if r.Severity == bsl.SeverityNote {
				sev = audit.SeverityInfo
			}
			return Rule{Code: r.Code, Severity: sev, Short: r.Summary, Help: r.Description}, true
		}
	}
	return Rule{}, false
}

// Report is what lint found in one configuration.
type Report struct {
	// Path is what was linted: a dump or configuration folder, or an
	// infobase (its DSN without a password).
	Path     string    `json:"path"`
	Findings []Finding `json:"findings"`
	// Counts are the findings per code.
	Counts map[string]int `json:"counts"`
	// Suppressed counts the findings lint.yaml or АПК comments turned off.
	Suppressed int `json:"suppressed"`
}

// sortFindings orders findings by file, place, code and message, so that
// the same configuration gives the same report.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Code, b.Code), cmp.Compare(a.Message, b.Message))
	})
}

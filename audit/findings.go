package audit

import (
	"fmt"
	"slices"
	"strings"

	"dostup/metadata"
	"dostup/metadata/vocab"
)

// Severities of findings, worst first.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Finding codes. They are part of dostup's interface: reports, dashboards
// and suppressions outside dostup match on them.
const (
	// CodeDangerousRight: a role holds a right of the policy it is not
	// allowed to hold.
	CodeDangerousRight = "dangerous-right"
	// CodeInteractiveDelete: a role may delete objects interactively
	// (ИнтерактивноеУдаление, or the predefined-data deletion rights),
	// bypassing the deletion marks and the check of references.
	CodeInteractiveDelete = "interactive-delete"
	// CodeSetForNewObjects: a role other than ПолныеПрава grants every
	// right on every object its file does not list, those added to the
	// configuration later included.
	CodeSetForNewObjects = "set-for-new-objects"
	// CodeRLSInStandardRole: ПолныеПрава or АдминистраторСистемы carries a
	// record-level restriction, which the Standard Subsystems Library
	// expects never to limit them.
	CodeRLSInStandardRole = "rls-in-standard-role"
)

// Finding is one problem the audit found. Its JSON names are part of
// dostup's interface; empty fields are left out.
type Finding struct {
	Infobase string `json:"infobase,omitempty"`
	Code     string `json:"code"`
	Severity string `json:"severity"`
	// Subject is what the finding is about, as 1C names it: Роль.Имя for a
	// role, Пользователь.Имя for a user.
	Subject string `json:"subject,omitempty"`
	Role    string `json:"role,omitempty"`
	User    string `json:"user,omitempty"`
	Right   string `json:"right,omitempty"` // the Russian name
	Object  string `json:"object,omitempty"`
	Message string `json:"message"`
}

// FindingColumns are the CSV columns of findings, in order.
var FindingColumns = []string{"infobase", "code", "severity", "subject", "role", "user", "right", "object", "message"}

// Record is the finding as a CSV row under FindingColumns.
func (f Finding) Record() []string {
	return []string{f.Infobase, f.Code, f.Severity, f.Subject, f.Role, f.User, f.Right, f.Object, f.Message}
}

// The standard roles of 1C's and the Standard Subsystems Library's own
// rules: the one role meant to grant everything, and the two that record
// level restrictions must not narrow.
const (
	fullRightsRole  = "ПолныеПрава"
	systemAdminRole = "АдминистраторСистемы"
)

// interactiveDeleteRights are the rights that delete objects at once from
// a form, without a deletion mark and the check of references.
var interactiveDeleteRights = []vocab.Right{
	vocab.InteractiveDelete, vocab.InteractiveDeletePredefinedData, vocab.InteractiveDeleteMarkedPredefinedData,
}

// ConfigurationFindings audits the roles of cfg against the policy: the
// findings that need no users (dangerous-right, interactive-delete,
// set-for-new-objects, rls-in-standard-role), role by role in the
// configuration's order.
func ConfigurationFindings(cfg *metadata.Configuration, p Policy) []Finding {
	var out []Finding
	for _, role := range cfg.Roles {
		subject := "Роль." + role.Name
		for _, r := range role.GlobalRights {
			if dangerous, ok := p.allowed(r, role.Name); dangerous && !ok {
				out = append(out, Finding{
					Code: CodeDangerousRight, Severity: SeverityError, Subject: subject, Role: role.Name,
					Right: russian(r), Object: ConfigurationObject,
					Message: fmt.Sprintf("role %s holds %s, which only %s may hold", role.Name, russian(r), allowedRoles(p, r)),
				})
			}
		}
		if role.SetForNewObjects && !strings.EqualFold(role.Name, fullRightsRole) {
			out = append(out, Finding{
				Code: CodeSetForNewObjects, Severity: SeverityWarning, Subject: subject, Role: role.Name,
				Message: fmt.Sprintf("role %s grants every right on every object it does not list (setForNewObjects), those added to the configuration later too; only %s should", role.Name, fullRightsRole),
			})
		}
		standard := strings.EqualFold(role.Name, fullRightsRole) || strings.EqualFold(role.Name, systemAdminRole)
		for _, or := range role.Objects {
			object := objectName(cfg, or.Object)
			for _, r := range or.Rights {
				if right, ok := vocab.ParseRight(r); ok && slices.Contains(interactiveDeleteRights, right) {
					out = append(out, Finding{
						Code: CodeInteractiveDelete, Severity: SeverityWarning, Subject: subject, Role: role.Name,
						Right: russian(r), Object: object,
						Message: fmt.Sprintf("role %s may delete %s interactively (%s), bypassing deletion marks and the check of references", role.Name, object, russian(r)),
					})
				}
			}
			if !standard {
				continue
			}
			seen := map[string]bool{}
			for _, x := range or.Restrictions {
				if seen[x.Right] {
					continue // one finding per right, whatever fields its restrictions name
				}
				seen[x.Right] = true
				out = append(out, Finding{
					Code: CodeRLSInStandardRole, Severity: SeverityWarning, Subject: subject, Role: role.Name,
					Right: russian(x.Right), Object: object,
					Message: fmt.Sprintf("role %s restricts %s of %s at record level; the standard roles must see every record", role.Name, russian(x.Right), object),
				})
			}
		}
	}
	return out
}

// allowedRoles lists the roles the policy lets hold right.
func allowedRoles(p Policy, right string) string {
	for _, d := range p.Dangerous {
		if d.Right == right {
			if len(d.Roles) == 1 {
				return d.Roles[0]
			}
			return strings.Join(d.Roles[:len(d.Roles)-1], ", ") + " and " + d.Roles[len(d.Roles)-1]
		}
	}
	return "no role"
}

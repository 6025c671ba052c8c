package server

import (
	"net/http"
	"strconv"
	"strings"

	"dostup/audit"
	"dostup/wire"
)

// The audit endpoints answer an administrator what dostup audit rights,
// users and findings print for this infobase, in the same JSON.

// readAudit reads what the audit needs of the server's infobase. The
// infobase field of the rows is left out: the caller knows which server it
// asked.
func readAudit(r *http.Request, a wire.Admin) (*audit.Infobase, error) {
	return audit.ReadAuth(r.Context(), a.Auth, "")
}

func auditRights(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	// The matrix needs the configuration only, not the users or the log.
	ib := audit.FromConfiguration("", a.Auth.Infobase().Config)
	f := audit.Filter{Role: r.URL.Query().Get("role"), Object: r.URL.Query().Get("object")}
	if f.Object != "" && ib.Config.Object(f.Object) == nil && !strings.EqualFold(f.Object, audit.ConfigurationObject) {
		return apiErr(http.StatusBadRequest, "invalid", "object: the configuration has no object "+f.Object+" (write Справочник.Имя, or Конфигурация for its own rights)")
	}
	if f.Role != "" && ib.Config.Role(f.Role) == nil {
		return apiErr(http.StatusBadRequest, "invalid", "role: the configuration has no role "+f.Role)
	}
	grants := audit.Rights(ib.Config, f)
	if grants == nil {
		grants = []audit.Grant{}
	}
	return writeJSON(w, http.StatusOK, grants)
}

func auditUsers(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	ib, err := readAudit(r, a)
	if err != nil {
		return err
	}
	users := ib.Users
	if users == nil {
		users = []audit.User{}
	}
	return writeJSON(w, http.StatusOK, users)
}

func auditFindings(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	o := audit.Options{Policy: audit.DefaultPolicy(), UnusedDays: audit.DefaultUnusedDays}
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 36500 {
			return apiErr(http.StatusBadRequest, "invalid", "days: give the window of unused roles in days, 1 to 36500")
		}
		o.UnusedDays = n
	}
	ib, err := readAudit(r, a)
	if err != nil {
		return err
	}
	findings := audit.Findings(ib, o)
	if findings == nil {
		findings = []audit.Finding{}
	}
	return writeJSON(w, http.StatusOK, findings)
}

package server_test

import (
	"testing"

	"dostup/internal/testdb"
)

// TestAuditEndpoints: an administrator reads the audit's rights, users and
// findings of the infobase in the CLI's JSON; a manager is refused; bad
// parameters are named.
func TestAuditEndpoints(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			f := setup(t, backend)
			ivanov, admin := f.login(t, "ivanov"), f.login(t, "admin")
			code, out := f.call(t, "GET", "/api/v1/audit/rights?role=Менеджер&object=Catalog.Контрагенты", admin, nil)
			list, _ := out.([]any)
			if code != 200 || len(list) == 0 {
				t.Fatalf("rights: %d %v", code, out)
			}
			for _, g := range list {
				if field(g, "role") != "Менеджер" || field(g, "object") != "Справочник.Контрагенты" || field(g, "right") == nil || field(g, "restricted") == nil {
					t.Errorf("grant %v", g)
				}
			}
			code, out = f.call(t, "GET", "/api/v1/audit/users", admin, nil)
			list, _ = out.([]any)
			lastLogin := false
			for _, u := range list {
				lastLogin = lastLogin || field(u, "name") == "ivanov" && field(u, "last_login") != nil
			}
			if code != 200 || len(list) < 4 || !lastLogin {
				t.Errorf("users: %d %v", code, out)
			}
			code, out = f.call(t, "GET", "/api/v1/audit/findings?days=30", admin, nil)
			list, _ = out.([]any)
			codes := map[any]bool{}
			for _, x := range list {
				codes[field(x, "code")] = true
			}
			if code != 200 || !codes["password-never-changed"] || !codes["unused-role"] {
				t.Errorf("findings: %d %v", code, out)
			}
			for _, tt := range []struct {
				path, token string
				code        int
				err         string
			}{
				{"/api/v1/audit/findings", ivanov, 403, "access_denied"},
				{"/api/v1/audit/rights", ivanov, 403, "access_denied"},
				{"/api/v1/audit/users", "", 401, ""},
				{"/api/v1/audit/findings?days=0", admin, 400, "invalid"},
				{"/api/v1/audit/rights?object=Справочник.Нет", admin, 400, "invalid"},
				{"/api/v1/audit/rights?role=Нет", admin, 400, "invalid"},
			} {
				code, out := f.call(t, "GET", tt.path, tt.token, nil)
				if code != tt.code || tt.err != "" && field(out, "error") != tt.err {
					t.Errorf("%s: %d %v; want %d %s", tt.path, code, out, tt.code, tt.err)
				}
			}
		})
	}
}

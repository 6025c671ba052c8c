package server_test

import (
	"net/url"
	"testing"

	"dostup/internal/testdb"
)

// TestExplainEndpoint: an administrator asks why ivanov cannot read
// Хлебозавод and gets the CLI's JSON; a manager is refused; missing and
// wrong parameters are named.
func TestExplainEndpoint(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			f := setup(t, backend)
			ivanov, admin := f.login(t, "ivanov"), f.login(t, "admin")
			q := url.Values{"user": {"ivanov"}, "right": {"Чтение"}, "object": {"Справочник.Контрагенты"}, "record": {"Хлебозавод"}}
			code, out := f.call(t, "GET", "/api/v1/explain?"+q.Encode(), admin, nil)
			if code != 200 || field(out, "allowed") != false || field(field(out, "trace"), "kind") != "decision" || field(field(out, "params"), "Организация") != "ООО Ромашка" {
				t.Fatalf("explain: %d %v", code, out)
			}
			q.Set("user", "petrov")
			if code, out := f.call(t, "GET", "/api/v1/explain?"+q.Encode(), admin, nil); code != 200 || field(out, "allowed") != true {
				t.Errorf("petrov: %d %v", code, out)
			}
			for _, tt := range []struct {
				query, token string
				code         int
				err          string
			}{
				{q.Encode(), ivanov, 403, "access_denied"},
				{q.Encode(), "", 401, ""},
				{"user=ivanov&right=Чтение", admin, 400, "invalid"},
				{url.Values{"user": {"никто"}, "right": {"Чтение"}, "object": {"Справочник.Контрагенты"}}.Encode(), admin, 404, "not_found"},
				{url.Values{"user": {"ivanov"}, "right": {"Летать"}, "object": {"Справочник.Контрагенты"}}.Encode(), admin, 400, "invalid"},
				{url.Values{"user": {"ivanov"}, "right": {"Чтение"}, "object": {"Справочник.Контрагенты"}, "record": {"Нет такого"}}.Encode(), admin, 400, "invalid"},
				{url.Values{"user": {"ivanov"}, "right": {"Чтение"}, "object": {"Справочник.Контрагенты"}, "record": {"00000000-0000-0000-0000-000000000000"}}.Encode(), admin, 404, "not_found"},
			} {
				code, out := f.call(t, "GET", "/api/v1/explain?"+tt.query, tt.token, nil)
				if code != tt.code || tt.err != "" && field(out, "error") != tt.err {
					t.Errorf("%s: %d %v, want %d %s", tt.query, code, out, tt.code, tt.err)
				}
			}
		})
	}
}

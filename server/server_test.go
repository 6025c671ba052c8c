package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"dostup/authn"
	"dostup/demo"
	"dostup/eventlog"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/internal/testdemo"
	"dostup/server"
)

type fixture struct {
	url    string
	creds  *demo.Credentials
	auth   *authn.Service
	ib     *infobase.Infobase
	srv    *server.Server
	outbox string
}

// setup makes the demo infobase on a backend, with its passwords,
// application and TOTP key, and serves the API over it.
func setup(t *testing.T, backend string) *fixture {
	t.Helper()
	return setupWith(t, backend, nil)
}

// setupWith is setup with the server's configuration finished by with
// (nil: as setup), given the demo's infobase.
func setupWith(t *testing.T, backend string, with func(*server.Config, *infobase.Infobase)) *fixture {
	t.Helper()
	outbox := filepath.Join(t.TempDir(), "outbox.txt")
	auth, creds, ib := testdemo.Secure(t, backend, authn.Config{Sender: authn.FileSender{Path: outbox}})
	cfg := server.Config{Auth: auth, MaxBody: 64 << 10}
	if with != nil {
		with(&cfg, ib)
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &fixture{url: ts.URL, creds: creds, auth: auth, ib: ib, srv: srv, outbox: outbox}
}

// call sends a request and decodes the JSON answer (nil for none).
func (f *fixture) call(t *testing.T, method, path, token string, body any) (int, any) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, f.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	var out any
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, data)
		}
	}
	return resp.StatusCode, out
}

func field(v any, key string) any {
	m, _ := v.(map[string]any)
	return m[key]
}

func rows(v any) int {
	list, _ := field(v, "rows").([]any)
	return len(list)
}

// TestStepUpWalk is the walk of issue 7 over the API: application, user,
// a request needing Бухгалтер answered step_up_required/otp, the OTP, the
// request again, a replayed code refused, logout, the token refused; the
// event log shows each step.
func TestStepUpWalk(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			f := setup(t, backend)
			code, out := f.call(t, "POST", "/api/v1/auth/app", "", map[string]string{"app": "cashdesk", "secret": f.creds.AppSecret})
			if code != 200 {
				t.Fatalf("app: %d %v", code, out)
			}
			token, _ := field(out, "token").(string)
			if len(token) < 22 {
				t.Fatalf("token %q", token)
			}
			count := "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты"
			code, out = f.call(t, "POST", "/api/v1/query", token, map[string]any{"text": count})
			if code != 403 || field(out, "error") != "step_up_required" || field(out, "next") != "login" {
				t.Fatalf("query before login: %d %v", code, out)
			}
			code, out = f.call(t, "POST", "/api/v1/auth/login", token, map[string]string{"user": "sidorova", "password": f.creds.Passwords["sidorova"]})
			if code != 200 || field(out, "token") != token {
				t.Fatalf("login: %d %v", code, out)
			}
			code, out = f.call(t, "POST", "/api/v1/query", token, map[string]any{"text": count})
			if code != 403 || field(out, "error") != "step_up_required" || field(out, "required_role") != "Бухгалтер" || field(out, "next") != "otp" {
				t.Fatalf("query before OTP: %d %v", code, out)
			}
			otp, err := authn.TOTPCode(f.creds.TOTPSecret, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			code, out = f.call(t, "POST", "/api/v1/auth/otp", token, map[string]string{"code": otp})
			if code != 200 {
				t.Fatalf("otp: %d %v", code, out)
			}
			code, out = f.call(t, "POST", "/api/v1/query", token, map[string]any{"text": count})
			if code != 200 || rows(out) != 8 {
				t.Fatalf("query after OTP: %d %v", code, out)
			}
			code, out = f.call(t, "POST", "/api/v1/auth/otp", token, map[string]string{"code": otp})
			if code != 401 || field(out, "error") != "bad_credentials" {
				t.Fatalf("replayed OTP: %d %v", code, out)
			}
			code, _ = f.call(t, "POST", "/api/v1/auth/logout", token, nil)
			if code != 204 {
				t.Fatalf("logout: %d", code)
			}
			code, out = f.call(t, "POST", "/api/v1/query", token, map[string]any{"text": count})
			if code != 401 || field(out, "error") != "unauthorized" {
				t.Fatalf("after logout: %d %v", code, out)
			}
			log, err := f.ib.EventLog(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			events, err := log.Query(context.Background(), eventlog.Filter{Kind: "_$Session$_."})
			if err != nil {
				t.Fatal(err)
			}
			var walk []string
			for _, e := range events {
				walk = append(walk, e.Kind+"/"+e.User)
			}
			want := []string{
				eventlog.Authentication + "/", eventlog.SessionStart + "/", eventlog.StepUpRequired + "/",
				eventlog.Authentication + "/sidorova", eventlog.StepUpRequired + "/sidorova",
				eventlog.SecondFactor + "/sidorova", eventlog.SecondFactor + "/sidorova", eventlog.SessionFinish + "/sidorova",
			}
			if strings.Join(walk, " ") != strings.Join(want, " ") {
				t.Errorf("event log:\n got %v\nwant %v", walk, want)
			}
		})
	}
}

// TestApplicationRoles: the application's role is active beside the
// user's; a user's own session lacks it, and no step would give it.
func TestApplicationRoles(t *testing.T) {
	f := setup(t, "sqlite")
	prices := "ВЫБРАТЬ Номенклатура, Цена ИЗ РегистрСведений.ЦеныНоменклатуры"
	_, out := f.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"user": "ivanov", "password": f.creds.Passwords["ivanov"]})
	alone, _ := field(out, "token").(string)
	code, out := f.call(t, "POST", "/api/v1/query", alone, map[string]any{"text": prices})
	if code != 403 || field(out, "error") != "access_denied" || field(out, "table") != "РегистрСведений.ЦеныНоменклатуры" {
		t.Fatalf("prices without the application: %d %v", code, out)
	}
	_, out = f.call(t, "POST", "/api/v1/auth/app", "", map[string]string{"app": "cashdesk", "secret": f.creds.AppSecret})
	token, _ := field(out, "token").(string)
	f.call(t, "POST", "/api/v1/auth/login", token, map[string]string{"user": "ivanov", "password": f.creds.Passwords["ivanov"]})
	code, out = f.call(t, "POST", "/api/v1/query", token, map[string]any{"text": prices})
	if code != 200 || rows(out) == 0 {
		t.Fatalf("prices through cashdesk: %d %v", code, out)
	}
	code, out = f.call(t, "POST", "/api/v1/query", token, map[string]any{"text": "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты"})
	if code != 200 || rows(out) != 5 {
		t.Fatalf("ivanov's counterparties: %d %v", code, out)
	}
	code, out = f.call(t, "POST", "/api/v1/query", token, map[string]any{"text": "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты"})
	if code != 403 || field(out, "error") != "access_denied" {
		t.Fatalf("ivanov without РАЗРЕШЕННЫЕ: %d %v", code, out)
	}
}

// TestOpenAPIMatchesRoutes: the served document describes exactly the
// handlers, method by method.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := setup(t, "sqlite")
	code, doc := f.call(t, "GET", "/api/openapi.json", "", nil)
	if code != 200 || field(doc, "openapi") != "3.0.3" {
		t.Fatalf("%d %v", code, field(doc, "openapi"))
	}
	var documented []string
	paths, _ := field(doc, "paths").(map[string]any)
	for p, ops := range paths {
		for m, op := range ops.(map[string]any) {
			documented = append(documented, strings.ToUpper(m)+" "+p)
			if field(op, "responses") == nil || field(op, "summary") == nil {
				t.Errorf("%s %s: no summary or responses", m, p)
			}
			// Every {param} of the path is declared.
			for _, seg := range strings.Split(p, "/") {
				if strings.HasPrefix(seg, "{") {
					name := strings.Trim(seg, "{}")
					found := false
					params, _ := field(op, "parameters").([]any)
					for _, prm := range params {
						if field(prm, "name") == name && field(prm, "in") == "path" {
							found = true
						}
					}
					if !found {
						t.Errorf("%s %s: path parameter %s not declared", m, p, name)
					}
				}
			}
		}
	}
	routes := f.srv.Routes()
	sort.Strings(documented)
	sort.Strings(routes)
	if strings.Join(documented, "\n") != strings.Join(routes, "\n") {
		t.Errorf("OpenAPI paths and routes differ:\n documented %v\n     routes %v", documented, routes)
	}
	// The checked-in file is what is served.
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var file any
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
}

// TestHostileInput: malformed and oversized bodies, SQL-looking values,
// path tricks get clear 4xx errors; nothing is written and nothing is a
// 500.
func TestHostileInput(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			f := setup(t, backend)
			ctx := context.Background()
			_, out := f.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"user": "admin", "password": f.creds.Passwords["admin"]})
			admin, _ := field(out, "token").(string)
			before, err := f.ib.Query(ctx, "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты", nil)
			if err != nil {
				t.Fatal(err)
			}
			huge := `{"text": "` + strings.Repeat("А", 100<<10) + `"}`
			cases := []struct {
				method, path, token string
				body                any
				status              int
				code                string
			}{
				{"POST", "/api/v1/query", admin, `{"text": `, 400, "bad_json"},
				{"POST", "/api/v1/query", admin, `[1,2]`, 400, "bad_json"},
				{"POST", "/api/v1/query", admin, `{"text": "x"} {"text": "y"}`, 400, "bad_json"},
				{"POST", "/api/v1/query", admin, `{"text": "ВЫБРАТЬ 1", "drop": true}`, 400, "bad_json"},
				{"POST", "/api/v1/query", admin, ``, 400, "bad_json"},
				{"POST", "/api/v1/query", admin, huge, 413, "body_too_large"},
				{"POST", "/api/v1/query", admin, map[string]any{"text": "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты; DROP TABLE x"}, 400, "syntax"},
				{"POST", "/api/v1/query", admin, map[string]any{"text": "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Наименование = &Имя", "params": map[string]any{"Имя": "'; DROP TABLE \"_dostup_users\"; --"}}, 200, ""},
				{"POST", "/api/v1/query", admin, map[string]any{"text": "ВЫБРАТЬ 1", "params": map[string]any{"x": map[string]any{"a": 1}}}, 400, "invalid"},
				{"POST", "/api/v1/query", "not-a-token", map[string]any{"text": "ВЫБРАТЬ 1"}, 401, "unauthorized"},
				{"POST", "/api/v1/query", "", map[string]any{"text": "ВЫБРАТЬ 1"}, 401, "unauthorized"},
				{"GET", "/api/v1/objects/Справочник.Контрагенты/../../etc/passwd", admin, nil, 404, "not_found"},
				{"GET", "/api/v1/objects/..%2F..%2Fetc%2Fpasswd/x", admin, nil, 404, "not_found"},
				{"GET", "/api/v1/objects/Справочник.Контрагенты/1%27%20OR%20%271%27=%271", admin, nil, 400, "invalid"},
				{"GET", "/api/v1/objects/Справочник.Контрагенты;DROP/00000000-0000-0000-0000-000000000000", admin, nil, 404, "not_found"},
				{"GET", "/api/v1/objects/Справочник.Контрагенты/00000000-0000-0000-0000-000000000000", admin, nil, 404, "not_found"},
				{"POST", "/api/v1/objects/Справочник.Контрагенты", admin, map[string]any{"Наименование": 5, "НетТакого": "x"}, 400, "invalid"},
				{"POST", "/api/v1/objects/Справочник.Контрагенты", admin, map[string]any{"Ссылка": "00000000-0000-0000-0000-000000000000"}, 400, "invalid"},
				{"GET", "/api/v1/users/%27%3B%20DROP%20TABLE%20x", admin, nil, 404, "not_found"},
				{"POST", "/api/v1/users", admin, map[string]any{"name": "x\x00y"}, 400, "invalid"},
				{"POST", "/api/v1/users", admin, map[string]any{"name": "eve", "roles": []string{"Суперроль"}}, 400, "invalid"},
				{"POST", "/api/v1/users", admin, map[string]any{"name": "eve", "password": "123"}, 400, "password_policy"},
				{"GET", "/api/v1/log?from=yesterday", admin, nil, 400, "invalid"},
				{"GET", "/api/v1/log?limit=-5", admin, nil, 400, "invalid"},
				{"DELETE", "/api/v1/health", "", nil, 405, ""},
				{"GET", "/api/v2/anything", "", nil, 404, "not_found"},
				{"POST", "/api/v1/auth/login", "", map[string]string{"user": "admin' --", "password": "x"}, 401, "bad_credentials"},
			}
			for _, c := range cases {
				code, out := f.call(t, c.method, c.path, c.token, c.body)
				if code != c.status || (c.code != "" && field(out, "error") != c.code) {
					t.Errorf("%s %s: %d %v; want %d %s", c.method, c.path, code, out, c.status, c.code)
				}
				if code >= 500 {
					t.Errorf("%s %s: a 500", c.method, c.path)
				}
				if msg, _ := field(out, "message").(string); strings.Contains(msg, "goroutine") || strings.Contains(msg, ".go:") {
					t.Errorf("%s %s: a stack in the message: %s", c.method, c.path, msg)
				}
			}
			after, err := f.ib.Query(ctx, "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты", nil)
			if err != nil {
				t.Fatal(err)
			}
			if before.Rows[0][0] != after.Rows[0][0] {
				t.Errorf("counterparties %v → %v: something was written", before.Rows[0][0], after.Rows[0][0])
			}
			users, err := f.ib.Users(ctx)
			if err != nil || len(users) != 4 {
				t.Errorf("%d users, %v", len(users), err)
			}
		})
	}
}

// TestObjectsAndAdmin: create, read, update and delete through the API as
// users with different rights; administrators list and revoke sessions,
// and a revoked token is refused at once.
func TestObjectsAndAdmin(t *testing.T) {
	f := setup(t, "postgres")
	ivanov, admin := f.login(t, "ivanov"), f.login(t, "admin")
	code, out := f.call(t, "POST", "/api/v1/objects/Справочник.Контрагенты", ivanov,
		map[string]any{"Наименование": "ООО Новый", "Организация": map[string]any{"Наименование": "ООО Лютик"}})
	if code != 400 && code != 403 {
		t.Fatalf("ivanov creates Лютик's: %d %v", code, out)
	}
	code, out = f.call(t, "POST", "/api/v1/objects/Справочник.Контрагенты", ivanov,
		map[string]any{"Наименование": "ООО Новый", "Организация": map[string]any{"Наименование": "ООО Ромашка"}})
	if code != 201 {
		t.Fatalf("ivanov creates Ромашка's: %d %v", code, out)
	}
	ref, _ := field(out, "Ссылка").(string)
	code, out = f.call(t, "PUT", "/api/v1/objects/Справочник.Контрагенты/"+ref, ivanov, map[string]any{"ИНН": "7701234567"})
	if code != 200 || field(out, "ИНН") != "7701234567" {
		t.Fatalf("update: %d %v", code, out)
	}
	code, out = f.call(t, "DELETE", "/api/v1/objects/Справочник.Контрагенты/"+ref, ivanov, nil)
	if code != 403 || field(out, "error") != "access_denied" {
		t.Fatalf("ivanov deletes: %d %v", code, out)
	}
	code, out = f.call(t, "GET", "/api/v1/users", ivanov, nil)
	if code != 403 || field(out, "error") != "access_denied" {
		t.Fatalf("ivanov lists users: %d %v", code, out)
	}
	code, out = f.call(t, "DELETE", "/api/v1/objects/Справочник.Контрагенты/"+ref, admin, nil)
	if code != 200 || field(out, "Наименование") != "ООО Новый" {
		t.Fatalf("admin deletes: %d %v", code, out)
	}
	code, out = f.call(t, "PATCH", "/api/v1/users/admin", admin, map[string]any{"roles": []string{"Бухгалтер"}})
	if code != 409 || field(out, "error") != "last_administrator" {
		t.Fatalf("the last administrator demoted: %d %v", code, out)
	}
	code, out = f.call(t, "GET", "/api/v1/sessions", admin, nil)
	list, _ := out.([]any)
	if code != 200 || len(list) != 2 {
		t.Fatalf("sessions: %d %v", code, out)
	}
	var ivanovID string
	for _, s := range list {
		if field(s, "user") == "ivanov" {
			ivanovID, _ = field(s, "id").(string)
			if methods, _ := field(s, "methods").([]any); len(methods) != 1 || methods[0] != "password" || field(s, "source") != "127.0.0.1" {
				t.Errorf("ivanov's session: %v", s)
			}
		}
	}
	if code, out := f.call(t, "DELETE", "/api/v1/sessions/"+ivanovID, admin, nil); code != 204 {
		t.Fatalf("revoke: %d %v", code, out)
	}
	if code, out := f.call(t, "GET", "/api/v1/session", ivanov, nil); code != 401 {
		t.Fatalf("revoked token: %d %v", code, out)
	}
	code, out = f.call(t, "GET", "/api/v1/log?event=_$Session$_.Revoked", admin, nil)
	if events, _ := out.([]any); code != 200 || len(events) != 1 || field(events[0], "object") != ivanovID {
		t.Fatalf("log of the revocation: %d %v", code, out)
	}
	code, out = f.call(t, "GET", "/api/v1/log?event=_$Access$_.AccessDenied&user=ivanov", admin, nil)
	if events, _ := out.([]any); code != 200 || len(events) < 2 {
		t.Fatalf("access denied events: %d %v", code, out)
	}
}

// TestLockoutOverHTTP: five wrong passwords lock the account; the right
// password is refused while locked; an administrator unlocks it.
func TestLockoutOverHTTP(t *testing.T) {
	f := setup(t, "sqlite")
	for i := 0; i < 5; i++ {
		if code, out := f.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"user": "petrov", "password": "wrong"}); code != 401 {
			t.Fatalf("attempt %d: %d %v", i+1, code, out)
		}
	}
	code, out := f.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"user": "petrov", "password": f.creds.Passwords["petrov"]})
	if code != 423 || field(out, "error") != "locked" {
		t.Fatalf("locked: %d %v", code, out)
	}
	_, out = f.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"user": "admin", "password": f.creds.Passwords["admin"]})
	admin, _ := field(out, "token").(string)
	if code, out := f.call(t, "POST", "/api/v1/users/petrov/unlock", admin, nil); code != 204 {
		t.Fatalf("unlock: %d %v", code, out)
	}
	if code, out := f.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"user": "petrov", "password": f.creds.Passwords["petrov"]}); code != 200 {
		t.Fatalf("after unlock: %d %v", code, out)
	}
}

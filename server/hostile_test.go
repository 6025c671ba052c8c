package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"dostup/authn"
	"dostup/demo"
	"dostup/internal/testdb"
	"dostup/internal/testdemo"
	"dostup/server"
)

// syncBuffer is a log sink the handlers write to while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// setupLogged serves the demo as setup does, with a body limit large
// enough for long queries and the server log kept as JSON lines.
func setupLogged(t *testing.T, backend string) (*fixture, *syncBuffer) {
	t.Helper()
	auth, creds, ib := testdemo.Secure(t, backend, authn.Config{})
	logs := &syncBuffer{}
	srv, err := server.New(server.Config{Auth: auth, MaxBody: 4 << 20, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &fixture{url: ts.URL, creds: creds, auth: auth, ib: ib, srv: srv}, logs
}

// send posts a JSON body and returns the status, the decoded answer and
// the response headers.
func (f *fixture) send(t *testing.T, path, token string, body any, header map[string]string) (int, map[string]any, http.Header) {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", f.url+path, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: %d, not a JSON object: %.300s", path, resp.StatusCode, raw)
	}
	return resp.StatusCode, out, resp.Header
}

func (f *fixture) login(t *testing.T, user string) string {
	t.Helper()
	code, out, _ := f.send(t, "/api/v1/auth/login", "", map[string]string{"user": user, "password": f.creds.Passwords[user]}, nil)
	if code != 200 {
		t.Fatalf("login %s: %d %v", user, code, out)
	}
	return out["token"].(string)
}

// TestHostileQueries: queries the compiler could not handle, values no
// database takes and very long queries are each answered 4xx with a
// message naming the place (line and column, or the parameter), or simply
// work; nothing is a 500, and every answer has a request id.
func TestHostileQueries(t *testing.T) {
	ref := func(name string) string { return demo.ID("Справочник.Контрагенты", name) }
	longOr := "ВЫБРАТЬ Наименование ИЗ Справочник.Организации ГДЕ " + strings.TrimSuffix(strings.Repeat(`Код <> "1" ИЛИ `, 3000), " ИЛИ ")
	manyStrings := "ВЫБРАТЬ Наименование ИЗ Справочник.Организации ГДЕ Код В (" + strings.TrimSuffix(strings.Repeat(`"1", `, 40000), ", ") + ")"
	many := make([]any, 40000)
	for i := range many {
		many[i] = fmt.Sprint(i)
	}
	cases := []struct {
		name, user, text string
		params           map[string]any
		status           int
		code             string // the error code, for a 4xx
		place            string // in the message: "query:L:C" or the parameter
		rows             int    // for a 200, when ≥ 0
	}{
		{"section under РАЗРЕШЕННЫЕ", "ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Д.Номер, Д.Товары.(Номенклатура, Количество) ИЗ Документ.РеализацияТоваров КАК Д", nil, 200, "", "", 3},
		{"section field under РАЗРЕШЕННЫЕ", "ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Т.Ссылка.Номер, Т.Номенклатура.Наименование ИЗ Документ.РеализацияТоваров.Товары КАК Т", nil, 200, "", "", 3},
		{"order by a dereference", "ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Контрагент.ИНН", nil, 200, "", "", 2},
		{"order by a dereference, admin", "admin", "ВЫБРАТЬ Номер, Контрагент ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Контрагент.ИНН УБЫВ", nil, 200, "", "", 4},
		{"huge TOP", "admin", "ВЫБРАТЬ ПЕРВЫЕ 99999999999999999999 Наименование ИЗ Справочник.Организации", nil, 400, "syntax", "query:1:16:", -1},
		{"NUL in a string", "admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Организации ГДЕ Наименование = \"а\x00б\"", nil, 400, "syntax", "query:1:69:", -1},
		{"exponent", "admin", "ВЫБРАТЬ 1 ГДЕ 1 = 1e999999", nil, 400, "syntax", "query:1:20:", -1},
		{"number past 38 digits", "admin", "ВЫБРАТЬ 1 ГДЕ 1 < 9999999999999999999999999999999999999999999", nil, 400, "syntax", "query:1:19:", -1},
		{"union ordered by a column", "admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Организации ОБЪЕДИНИТЬ ВЫБРАТЬ Наименование ИЗ Справочник.Номенклатура УПОРЯДОЧИТЬ ПО Код", nil, 400, "syntax", "query:1:122:", -1},
		{"field not grouped", "admin", "ВЫБРАТЬ Номер, СУММА(СуммаДокумента) ИЗ Документ.РеализацияТоваров", nil, 400, "syntax", "query:1:9:", -1},
		{"long flat ИЛИ", "admin", longOr, nil, 200, "", "", 2},
		{"too many values", "admin", manyStrings, nil, 400, "syntax", "query:1:", -1},
		{"list parameter", "admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&Список)", map[string]any{"Список": []any{ref("Стройторг"), ref("Хлебозавод")}}, 200, "", "", 2},
		{"empty list", "admin", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (&Список)", map[string]any{"Список": []any{}}, 200, "", "", 0},
		{"НЕ В an empty list", "ivanov", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты ГДЕ НЕ Ссылка В (&Список)", map[string]any{"Список": []any{}}, 200, "", "", 5},
		{"list of numbers", "admin", "ВЫБРАТЬ Номер ИЗ Документ.РеализацияТоваров ГДЕ СуммаДокумента В (&С)", map[string]any{"С": []any{json.Number("2500"), json.Number("8000.00")}}, 200, "", "", 2},
		{"list outside В", "admin", "ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Ссылка = &Список", map[string]any{"Список": []any{ref("Стройторг")}}, 400, "invalid", "&Список", -1},
		{"list of 40000 values", "admin", "ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Наименование В (&Список)", map[string]any{"Список": many}, 400, "invalid", "&Список", -1},
		{"NUL in a parameter", "admin", "ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Наименование = &Имя", map[string]any{"Имя": "a\x00b"}, 400, "invalid", "&Имя", -1},
		{"NUL in a list", "admin", "ВЫБРАТЬ 1 ИЗ Справочник.Контрагенты ГДЕ Наименование В (&Имя)", map[string]any{"Имя": []any{"a", "a\x00b"}}, 400, "invalid", "&Имя", -1},
		{"number parameter overflowing", "admin", "ВЫБРАТЬ 1 ИЗ Документ.РеализацияТоваров ГДЕ СуммаДокумента = &Ч", map[string]any{"Ч": json.Number("1e999999")}, 400, "invalid", "&Ч", -1},
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			f, _ := setupLogged(t, backend)
			tokens := map[string]string{"admin": f.login(t, "admin"), "ivanov": f.login(t, "ivanov")}
			for _, c := range cases {
				body := map[string]any{"text": c.text}
				if c.params != nil {
					body["params"] = c.params
				}
				code, out, h := f.send(t, "/api/v1/query", tokens[c.user], body, nil)
				msg, _ := out["message"].(string)
				if code != c.status || c.code != "" && out["error"] != c.code {
					t.Errorf("%s: %d %.300v; want %d %s", c.name, code, out, c.status, c.code)
					continue
				}
				if c.place != "" && !strings.Contains(msg, c.place) {
					t.Errorf("%s: the message does not name %s: %s", c.name, c.place, msg)
				}
				if c.code == "syntax" {
					// The first error, in source.Error's shape, names the
					// place the message starts with.
					var first map[string]any
					if errs, _ := out["errors"].([]any); len(errs) > 0 {
						first, _ = errs[0].(map[string]any)
					}
					place := fmt.Sprintf("%v:%v:%v:", first["file"], first["line"], first["col"])
					if !strings.HasPrefix(place, c.place) || first["col"] != first["column"] || first["code"] == "" {
						t.Errorf("%s: errors[0] = %v; want file, line and col of %s, column as col, a code", c.name, first, c.place)
					}
				}
				if rows, _ := out["rows"].([]any); code == 200 && c.rows >= 0 && len(rows) != c.rows {
					t.Errorf("%s: %d rows, want %d", c.name, len(rows), c.rows)
				}
				if h.Get("X-Request-Id") == "" {
					t.Errorf("%s: no X-Request-Id", c.name)
				}
			}
			// What only the running statement meets is the database's to
			// refuse: a 400 naming the query, never a 500.
			for _, text := range []string{
				"ВЫБРАТЬ ВЫРАЗИТЬ(&Ч КАК Число(5, 2))",
				"ВЫБРАТЬ ДОБАВИТЬКДАТЕ(Дата, ГОД, &Ч) ИЗ Документ.РеализацияТоваров",
			} {
				code, out, _ := f.send(t, "/api/v1/query", tokens["admin"], map[string]any{"text": text, "params": map[string]any{"Ч": json.Number("300000")}}, nil)
				if code != 200 && (code != 400 || out["error"] != "query_refused") || backend == "postgres" && code != 400 {
					t.Errorf("%s: %d %v", text, code, out)
				}
			}
		})
	}
}

// TestFaultLogged: a real fault (the infobase's database closed under the
// server) is a 500 whose body carries the request id, and the server log
// records the error with that id. A sane X-Request-Id of the client is
// kept; any other is replaced.
func TestFaultLogged(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			f, logs := setupLogged(t, backend)
			token := f.login(t, "admin")
			_, _, h := f.send(t, "/api/v1/query", token, map[string]any{"text": "ВЫБРАТЬ 1"}, map[string]string{"X-Request-Id": "proxy-42.a:b_c"})
			if h.Get("X-Request-Id") != "proxy-42.a:b_c" {
				t.Errorf("a sane id replaced: %q", h.Get("X-Request-Id"))
			}
			_, _, h = f.send(t, "/api/v1/query", token, map[string]any{"text": "ВЫБРАТЬ 1"}, map[string]string{"X-Request-Id": "a b\"c" + strings.Repeat("x", 70)})
			if id := h.Get("X-Request-Id"); len(id) != 32 || strings.Contains(id, "x") {
				t.Errorf("an insane id kept: %q", id)
			}
			f.ib.Close()
			code, out, h := f.send(t, "/api/v1/query", token, map[string]any{"text": "ВЫБРАТЬ 1"}, nil)
			id := h.Get("X-Request-Id")
			if code != 500 || out["error"] != "internal" || out["request_id"] != id || id == "" {
				t.Fatalf("after the database closed: %d %v (X-Request-Id %q)", code, out, id)
			}
			if msg, _ := out["message"].(string); strings.Contains(msg, "sql") || strings.Contains(msg, "closed") {
				t.Errorf("the answer tells the fault: %s", msg)
			}
			found := false
			for _, line := range strings.Split(logs.String(), "\n") {
				var rec map[string]any
				if json.Unmarshal([]byte(line), &rec) != nil {
					continue
				}
				if rec["level"] == "ERROR" && rec["request_id"] == id && strings.Contains(fmt.Sprint(rec["error"]), "closed") {
					found = true
				}
			}
			if !found {
				t.Errorf("no error record with request_id %s in the log:\n%s", id, logs.String())
			}
		})
	}
}

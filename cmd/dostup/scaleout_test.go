package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dostup/internal/testdb"
)

// server is one `dostup serve` process of a black-box test.
type server struct {
	t    *testing.T
	base string
}

// startServe starts `dostup serve` over dsn on a free loopback port; the
// process is killed when the test ends.
func startServe(t *testing.T, dsn string, flags ...string) *server {
	t.Helper()
	srv := exec.Command(binary, append([]string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, flags...)...)
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = srv.Process.Kill()
		_ = srv.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening on http://") {
		t.Fatalf("first line %q, %v", line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return &server{t: t, base: strings.TrimSpace(strings.TrimPrefix(line, "listening on "))}
}

// call sends a JSON request and decodes the JSON answer.
func (s *server) call(method, path, token, body string) (int, map[string]any) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	return resp.StatusCode, m
}

// login logs a user in by password and returns the token.
func (s *server) login(user, password string) string {
	s.t.Helper()
	code, m := s.call("POST", "/api/v1/auth/login", "", `{"user":"`+user+`","password":"`+password+`"}`)
	token, _ := m["token"].(string)
	if code != 200 || token == "" {
		s.t.Fatalf("login %s: %d %v", user, code, m)
	}
	return token
}

// within polls until ok holds or a second has passed: what one process
// does, the other must see within a second.
func within(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not seen by the other process within a second", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTwoServersOneDatabase starts two `dostup serve` processes on one
// PostgreSQL infobase, as a team scaling out behind a load balancer would,
// and checks they behave as one: a session made on one works on the
// other; a logout or a revocation on one is refused on the other; failed
// logins on both count toward one lockout.
func TestTwoServersOneDatabase(t *testing.T) {
	dsn := testdb.DSN(t, "postgres")
	out, err := exec.Command(binary, "demo", "--db", dsn).CombinedOutput()
	if err != nil {
		t.Fatalf("dostup demo: %v\n%s", err, out)
	}
	passwords := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(admin|ivanov|petrov)\s+(\S+)$`).FindAllSubmatch(out, -1) {
		passwords[string(m[1])] = string(m[2])
	}
	if len(passwords) != 3 {
		t.Fatalf("dostup demo does not print the passwords:\n%s", out)
	}
	register := filepath.Join("..", "..", "examples", "wholesale")
	a, b := startServe(t, dsn, "--rules", register), startServe(t, dsn, "--rules", register)

	// A session made on one works on the other.
	ivanov := a.login("ivanov", passwords["ivanov"])
	if code, m := b.call("GET", "/api/v1/session", ivanov, ""); code != 200 || m["user"] != "ivanov" {
		t.Fatalf("ivanov's session on the other process: %d %v", code, m)
	}
	query := `{"text":"ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты"}`
	if code, m := b.call("POST", "/api/v1/query", ivanov, query); code != 200 {
		t.Fatalf("ivanov queries on the other process: %d %v", code, m)
	}

	// A logout on one is refused on the other.
	if code, m := a.call("POST", "/api/v1/auth/logout", ivanov, ""); code != 204 {
		t.Fatalf("logout: %d %v", code, m)
	}
	within(t, "logout", func() bool { code, _ := b.call("GET", "/api/v1/session", ivanov, ""); return code == 401 })

	// An administrator's revocation on one is refused on the other.
	admin := a.login("admin", passwords["admin"])
	ivanov = b.login("ivanov", passwords["ivanov"])
	_, me := b.call("GET", "/api/v1/session", ivanov, "")
	id, _ := me["id"].(string)
	if id == "" {
		t.Fatalf("the session has no id: %v", me)
	}
	if code, m := a.call("DELETE", "/api/v1/sessions/"+id, admin, ""); code != 200 && code != 204 {
		t.Fatalf("revoke: %d %v", code, m)
	}
	within(t, "revocation", func() bool {
		code, _ := b.call("POST", "/api/v1/query", ivanov, query)
		return code == 401
	})

	// Failures on both count toward one lockout: the policy locks after
	// five, made here three on one process and two on the other.
	for i := range 5 {
		s := a
		if i%2 == 1 {
			s = b
		}
		if code, m := s.call("POST", "/api/v1/auth/login", "", `{"user":"petrov","password":"wrong"}`); code != 401 && code != 423 {
			t.Fatalf("failure %d: %d %v", i+1, code, m)
		}
	}
	for _, s := range []*server{a, b} {
		code, m := s.call("POST", "/api/v1/auth/login", "", `{"user":"petrov","password":"`+passwords["petrov"]+`"}`)
		if code != 423 || m["error"] != "locked" {
			t.Errorf("petrov after five failures over two processes: %d %v; want 423 locked", code, m)
		}
	}

	// An order applied on one decides on the other.
	ivanov = a.login("ivanov", passwords["ivanov"])
	decide := `{"values":{"Роль":"Стажер","Действие":"Правка","ВидОбъекта":"Расходная","Товары":["Хлеб"],"Скидка":0,"ДнейОтТочкиАктуальности":0}}`
	if code, m := b.call("POST", "/api/v1/rules/decide", ivanov, decide); code != 200 || m["effect"] != "allow" {
		t.Fatalf("the decision before the order: %d %v", code, m)
	}
	order := "order:\n  date: 01.06.2026\n  author: Директор\n  reason: хлеб кончился\n  add:\n" +
		"    - id: стажер-хлеб\n      Роль: Стажер\n      Действие: Правка\n      ВидОбъекта: Расходная\n      Товары: Хлеб\n      effect: deny\n      message: Стажер не продаёт хлеб\n"
	body, _ := json.Marshal(map[string]string{"text": order})
	if code, m := a.call("POST", "/api/v1/rules/orders", admin, string(body)); code != 201 {
		t.Fatalf("apply the order: %d %v", code, m)
	}
	within(t, "the order", func() bool {
		code, m := b.call("POST", "/api/v1/rules/decide", ivanov, decide)
		return code == 200 && m["effect"] == "deny" && m["rule"] == "стажер-хлеб"
	})
	if code, m := b.call("POST", "/api/v1/rules/orders", ivanov, string(body)); code != 403 {
		t.Errorf("a manager applies an order: %d %v", code, m)
	}
}

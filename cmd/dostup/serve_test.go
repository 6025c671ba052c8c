package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"dostup/authn"
	"dostup/internal/testdb"
)

// binary is dostup built once for the black-box tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dostup-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "dostup")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building dostup: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestServeBlackBox starts `dostup serve` on loopback over a fresh demo and
// walks the step-up of issue 7 as a client would: application login, user
// login, a request needing Бухгалтер answered step_up_required/otp, the
// OTP, the request again, logout, the token refused; the event log, read
// with `dostup log`, shows each step. SIGTERM stops the server cleanly.
func TestServeBlackBox(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := testdb.DSN(t, backend)
			out, err := exec.Command(binary, "demo", "--db", dsn).CombinedOutput()
			if err != nil {
				t.Fatalf("dostup demo: %v\n%s", err, out)
			}
			secret := regexp.MustCompile(`application: cashdesk, secret (\S+)`).FindSubmatch(out)
			totp := regexp.MustCompile(`sidorova's TOTP key: (\S+)`).FindSubmatch(out)
			password := regexp.MustCompile(`(?m)^\s+sidorova\s+(\S+)$`).FindSubmatch(out)
			if secret == nil || totp == nil || password == nil {
				t.Fatalf("dostup demo does not print the credentials:\n%s", out)
			}
			outbox := filepath.Join(t.TempDir(), "outbox")
			srv := exec.Command(binary, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--otp-outbox", outbox, "--log-format", "json")
			var logs bytes.Buffer
			srv.Stderr = &logs
			stdout, err := srv.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- srv.Wait() }()
			t.Cleanup(func() {
				_ = srv.Process.Kill()
			})
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil || !strings.HasPrefix(line, "listening on http://") {
				t.Fatalf("first line %q, %v; stderr %s", line, err, logs.String())
			}
			base := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
			call := (&server{t: t, base: base}).call
			code, m := call("POST", "/api/v1/auth/app", "", `{"app":"cashdesk","secret":"`+string(secret[1])+`"}`)
			token, _ := m["token"].(string)
			if code != 200 || token == "" {
				t.Fatalf("app: %d %v", code, m)
			}
			if code, m = call("POST", "/api/v1/auth/login", token, `{"user":"sidorova","password":"`+string(password[1])+`"}`); code != 200 {
				t.Fatalf("login: %d %v", code, m)
			}
			query := `{"text":"ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты УПОРЯДОЧИТЬ ПО Наименование"}`
			code, m = call("POST", "/api/v1/query", token, query)
			if code != 403 || m["error"] != "step_up_required" || m["required_role"] != "Бухгалтер" || m["next"] != "otp" {
				t.Fatalf("step-up: %d %v", code, m)
			}
			otp, err := authn.TOTPCode(string(totp[1]), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if code, m = call("POST", "/api/v1/auth/otp", token, `{"code":"`+otp+`"}`); code != 200 {
				t.Fatalf("otp: %d %v", code, m)
			}
			code, m = call("POST", "/api/v1/query", token, query)
			if rows, _ := m["rows"].([]any); code != 200 || len(rows) != 8 {
				t.Fatalf("query after OTP: %d %v", code, m)
			}
			if code, m = call("POST", "/api/v1/auth/logout", token, ""); code != 204 {
				t.Fatalf("logout: %d %v", code, m)
			}
			if code, m = call("POST", "/api/v1/query", token, query); code != 401 {
				t.Fatalf("token after logout: %d %v", code, m)
			}
			// Graceful stop.
			_ = srv.Process.Signal(syscall.SIGTERM)
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve exited with %v; stderr %s", err, logs.String())
				}
			case <-time.After(15 * time.Second):
				t.Fatal("serve did not stop on SIGTERM")
			}
			if !strings.Contains(logs.String(), `"msg":"request"`) || !strings.Contains(logs.String(), `"status":403`) {
				t.Errorf("no structured request log: %s", logs.String())
			}
			// The event log, exported by the CLI, shows each step.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			export, err := exec.CommandContext(ctx, binary, "log", "--db", dsn, "--format", "json", "--event", "_$Session$_.").Output()
			if err != nil {
				t.Fatalf("dostup log: %v", err)
			}
			var steps []string
			for _, l := range strings.Split(strings.TrimSpace(string(export)), "\n") {
				var e struct {
					Event string `json:"event"`
					User  string `json:"user"`
					Data  struct {
						Method string `json:"method"`
						Passed *bool  `json:"passed"`
					} `json:"data"`
				}
				if err := json.Unmarshal([]byte(l), &e); err != nil {
					t.Fatalf("log line %q: %v", l, err)
				}
				step := strings.TrimPrefix(e.Event, "_$Session$_.") + ":" + e.User
				if e.Data.Method != "" {
					step += ":" + e.Data.Method
				}
				steps = append(steps, step)
			}
			want := "Authentication::application Start: Authentication:sidorova:password StepUpRequired:sidorova SecondFactor:sidorova:totp Finish:sidorova"
			if strings.Join(steps, " ") != want {
				t.Errorf("event log steps:\n got %s\nwant %s", strings.Join(steps, " "), want)
			}
		})
	}
}

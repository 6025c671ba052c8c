package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dostup/internal/testdb"
)

// TestLogCommand filters and exports the events the users commands wrote,
// on both backends.
func TestLogCommand(t *testing.T) {
	const (
		first  = "Lm5^ts8!Rw"
		second = "Hb3*pz7!Nc"
	)
	// eventsWhere checks that the filter gives n events (n < 0: at least
	// one) and that each satisfies ok.
	eventsWhere := func(n int, ok func(ev map[string]any) bool) func(t *testing.T, out string) {
		return func(t *testing.T, out string) {
			evs := jsonLines(t, out)
			if n >= 0 && len(evs) != n || n < 0 && len(evs) == 0 {
				t.Errorf("%d events, want %d:\n%s", len(evs), n, out)
			}
			for _, ev := range evs {
				if !ok(ev) {
					t.Errorf("an event the filter should leave out: %v", ev)
				}
			}
		}
	}
	isLock := func(ev map[string]any) bool {
		return ev["event"] == "_$User$_.AuthenticationLock" && ev["object"] == "lena" && ev["source"] == "cli" &&
			ev["event_ru"] == "Пользователи. Блокировка аутентификации"
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := consoleDemoDB(t, backend)
			walkConsole(t, dsn, "users", []consoleStep{
				{name: "add", stdin: first + "\n", args: []string{"add", "lena", "--password-stdin"}},
				{name: "wrong old password", stdin: "nope\n" + second + "\n", args: []string{"passwd", "lena", "--change"}, code: ExitDenied},
				{name: "change", stdin: first + "\n" + second + "\n", args: []string{"passwd", "lena", "--change"}},
				{name: "lock", args: []string{"lock", "lena"}},
				{name: "unlock", args: []string{"unlock", "lena"}},
			})
			today := time.Now().Format("2006-01-02")
			walkConsole(t, dsn, "log", []consoleStep{
				{name: "lock by name", args: []string{"--event", "_$User$_.AuthenticationLock", "--format", "json"}, check: eventsWhere(1, isLock)},
				{name: "lock by RU presentation", args: []string{"--event", "Пользователи. Блокировка аутентификации", "--format", "json"}, check: eventsWhere(1, isLock)},
				{name: "lock by EN presentation", args: []string{"--event", "users. authentication LOCK", "--format", "json"}, check: eventsWhere(1, isLock)},
				{name: "group", args: []string{"--event", "_$User$_.", "--format", "json"}, check: eventsWhere(-1, func(ev map[string]any) bool {
					return strings.HasPrefix(ev["event"].(string), "_$User$_.")
				})},
				{name: "RU group", args: []string{"--event", "Пользователи.", "--object", "lena", "--format", "json"}, check: eventsWhere(4, func(ev map[string]any) bool {
					return strings.HasPrefix(ev["event_ru"].(string), "Пользователи.")
				})},
				{name: "by user", args: []string{"--user", "lena", "--format", "json"}, check: eventsWhere(2, func(ev map[string]any) bool {
					return ev["user"] == "lena" && (ev["event"] == "_$Session$_.AuthenticationError" || ev["event"] == "_$User$_.PasswordChange")
				})},
				{name: "by level", args: []string{"--level", "warning", "--format", "json"}, check: eventsWhere(1, func(ev map[string]any) bool {
					return ev["level"] == "Warning" && ev["event"] == "_$Session$_.AuthenticationError"
				})},
				{name: "by RU level", args: []string{"--level", "Предупреждение", "--user", "lena", "--format", "json"}, check: eventsWhere(1, func(ev map[string]any) bool { return true })},
				{name: "bad level", args: []string{"--level", "loud"}, code: ExitUsage, errPart: "--level \"loud\""},
				{name: "limit", args: []string{"--limit", "2", "--format", "json"}, check: eventsWhere(2, func(ev map[string]any) bool { return true })},
				{name: "from the future", args: []string{"--from", time.Now().Add(time.Hour).Format(time.RFC3339), "--format", "json"}, check: func(t *testing.T, out string) {
					if out != "" {
						t.Errorf("events from the future: %s", out)
					}
				}},
				{name: "to the past", args: []string{"--to", "2000-01-01", "--format", "json"}, check: func(t *testing.T, out string) {
					if out != "" {
						t.Errorf("events before 2000: %s", out)
					}
				}},
				{name: "today, a date alone as the end", args: []string{"--from", today, "--to", today, "--event", "_$User$_.AuthenticationLock", "--format", "json"}, check: eventsWhere(1, isLock)},
				{name: "local date and time", args: []string{"--from", "2000-01-01 00:00:00", "--user", "lena", "--format", "json"}, check: eventsWhere(2, func(ev map[string]any) bool { return true })},
				{name: "bad time", args: []string{"--from", "yesterday"}, code: ExitUsage, errPart: "--from \"yesterday\": want RFC 3339"},
				{name: "table in Russian", args: []string{"--object", "lena"}, check: func(t *testing.T, out string) {
					lines := strings.Split(strings.TrimSpace(out), "\n")
					if len(lines) != 5 || !strings.HasPrefix(lines[0], "TIME") || !strings.Contains(lines[1], "Пользователи. Добавление") ||
						!strings.Contains(lines[1], `{"password":true,"roles":[]}`) || !strings.Contains(lines[3], "Пользователи. Блокировка аутентификации") || !strings.Contains(lines[4], "Пользователи. Разблокировка аутентификации") {
						t.Errorf("table:\n%s", out)
					}
				}},
				{name: "bad format", args: []string{"--format", "xml"}, code: ExitUsage},
				{name: "retention unset", args: []string{"retention"}, out: "max-age:    0 (any age)\nmax-events: 0 (any number)\n"},
				{name: "retention set", args: []string{"retention", "--max-age", "30d", "--max-events", "5"}, out: "max-age:    30d\nmax-events: 5\n"},
				{name: "retention kept", args: []string{"retention"}, out: "max-age:    30d\nmax-events: 5\n"},
				{name: "retention bad", args: []string{"retention", "--max-events", "-1"}, code: ExitUsage},
				{name: "purge", args: []string{"purge"}, out: "deleted "},
				{name: "after the purge", args: []string{"--format", "json"}, check: func(t *testing.T, out string) {
					evs := jsonLines(t, out)
					if len(evs) != 5 || evs[4]["event"] != "_$InfoBase$_.EventLogPurge" || evs[3]["event"] != "_$InfoBase$_.PolicyUpdate" {
						t.Errorf("after the purge:\n%s", out)
					}
				}},
			})
		})
	}
	if code, _, errOut := run(t, "", "log"); code != ExitUsage || !strings.Contains(errOut, "--db is required") {
		t.Errorf("no --db: exit %d, %q", code, errOut)
	}
}

// TestLogEnglish: a configuration in English shows English presentations.
func TestLogEnglish(t *testing.T) {
	dir := t.TempDir()
	yaml := "configuration:\n  name: Test\n  language: en\nroles:\n  - name: Admin\n    rights: [Administration]\nusers:\n  - {name: root, roles: [Admin]}\n"
	if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	dsn := testdb.DSN(t, "sqlite")
	if code, _, errOut := run(t, "", "init", "--db", dsn, "--config", dir); code != ExitOK {
		t.Fatalf("init: %s", errOut)
	}
	walkConsole(t, dsn, "users", []consoleStep{{name: "add", args: []string{"add", "jane", "--roles", "admin"}, out: "added user jane (roles: Admin; password: no)"}})
	walkConsole(t, dsn, "log", []consoleStep{{name: "English", args: []string{}, out: "Users. New"}})
}

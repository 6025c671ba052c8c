package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dostup/authn"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/wire"
)

// consoleDemoDB makes the demo infobase on a backend and returns its --db value.
func consoleDemoDB(t *testing.T, backend string) string {
	t.Helper()
	dsn := testdb.DSN(t, backend)
	if code, _, errOut := run(t, "", "demo", "--db", dsn); code != ExitOK {
		t.Fatalf("%s demo: %s", backend, errOut)
	}
	return dsn
}

// consoleStep is one command of a walk through the console; steps run in order,
// each seeing what the ones before it did.
type consoleStep struct {
	name    string
	stdin   string
	args    []string // after the command group, without --db
	code    int
	out     string // part of stdout, when set
	errPart string // part of stderr, when set
	check   func(t *testing.T, out string)
}

// walkConsole runs steps of a command group against an infobase.
func walkConsole(t *testing.T, dsn, group string, steps []consoleStep) {
	t.Helper()
	for _, s := range steps {
		args := append(append([]string{group}, s.args...), "--db", dsn)
		code, out, errOut := run(t, s.stdin, args...)
		if code != s.code || !strings.Contains(out, s.out) || !strings.Contains(errOut, s.errPart) {
			t.Errorf("%s: %q: exit %d (want %d)\nstdout: %s\nstderr: %s", s.name, args[:len(args)-2], code, s.code, out, errOut)
			continue
		}
		if s.check != nil {
			s.check(t, out)
		}
	}
}

// listed decodes users list --format json.
func listed(t *testing.T, out string) map[string]wire.User {
	t.Helper()
	var views []wire.User
	if err := json.Unmarshal([]byte(out), &views); err != nil {
		t.Fatalf("users list JSON: %v\n%s", err, out)
	}
	m := map[string]wire.User{}
	for _, v := range views {
		m[v.Name] = v
	}
	return m
}

// jsonLines decodes dostup log --format json.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var events []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("a JSON line does not read: %v\n%s", err, line)
		}
		events = append(events, ev)
	}
	return events
}

// TestUsersCommands is issue 7's walk through dostup users on both
// backends: passwords under the policy, self-service changes, locks, roles,
// second factors, the policy itself and deletion.
func TestUsersCommands(t *testing.T) {
	const (
		first  = "Xy7#mq2!Lp"
		second = "Nw8$kr5!Zt"
		third  = "Qq9%vb3!Hj"
	)
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := consoleDemoDB(t, backend)
			qr := filepath.Join(t.TempDir(), "alice.png")
			walkConsole(t, dsn, "users", []consoleStep{
				{name: "add with a password", stdin: first + "\n", args: []string{"add", "alice", "--full-name", "Алиса", "--roles", "менеджер,Бухгалтер", "--password-stdin"},
					out: "added user alice (roles: Менеджер, Бухгалтер; password: yes)"},
				{name: "policy violations", args: []string{"add", "bob", "--password", "abc"}, code: ExitFailure,
					errPart: "too_short: the password must be at least 8 characters long\n  complexity: ",
					check: func(t *testing.T, _ string) {
						if code, _, errOut := run(t, "", "users", "show", "bob", "--db", dsn); code != ExitUsage || !strings.Contains(errOut, `no user "bob"`) {
							t.Errorf("a refused user was added: exit %d, %q", code, errOut)
						}
					}},
				{name: "sequence and name", args: []string{"add", "Qwerty123", "--password", "Qwerty123"}, code: ExitFailure, errPart: "equals_name: "},
				{name: "unknown role", args: []string{"add", "carol", "--roles", "Нет"}, code: ExitUsage, errPart: `role "Нет" is not in the configuration (roles: Администратор`},
				{name: "twice", args: []string{"add", "ALICE"}, code: ExitFailure, errPart: "already exists"},
				{name: "both password flags", stdin: first, args: []string{"add", "dave", "--password", first, "--password-stdin"}, code: ExitUsage, errPart: "not both"},
				{name: "change with a wrong old password", stdin: "wrong-Old1\n" + second + "\n", args: []string{"passwd", "alice", "--change"},
					code: ExitDenied, errPart: "user alice: the old password is wrong"},
				{name: "change with the right old password", stdin: first + "\n" + second + "\n", args: []string{"passwd", "alice", "--change"},
					out: "changed the password of user alice"},
				{name: "change to a weak one", stdin: second + "\nalice\n", args: []string{"passwd", "alice", "--change"}, code: ExitFailure, errPart: "equals_name:"},
				{name: "change needs two lines", stdin: second + "\n", args: []string{"passwd", "alice", "--change"}, code: ExitUsage, errPart: "line 2 of standard input is empty"},
				{name: "cannot change password", args: []string{"set", "alice", "--cannot-change-password", "--email", "alice@example.com", "--devices", "alice@example.com, +7 900 000-00-00"},
					out: "updated user alice"},
				{name: "change refused", stdin: second + "\n" + third + "\n", args: []string{"passwd", "alice", "--change"}, code: ExitDenied, errPart: "ЗапрещеноИзменятьПароль"},
				{name: "administrator reuses a password", stdin: first + "\n", args: []string{"passwd", "alice", "--password-stdin"}, code: ExitFailure, errPart: "reused: "},
				{name: "administrator sets", stdin: third + "\n", args: []string{"passwd", "alice", "--password-stdin", "--must-change"},
					out: "set the password of user alice (0 sessions ended)"},
				{name: "set nothing", args: []string{"set", "alice"}, code: ExitUsage, errPart: "nothing to change"},
				{name: "lock", args: []string{"lock", "alice"}, out: "locked user alice"},
				{name: "locked in the list", args: []string{"list"}, check: func(t *testing.T, out string) {
					for _, line := range strings.Split(out, "\n") {
						if strings.HasPrefix(line, "alice ") && !strings.Contains(line, "yes (administrator)") {
							t.Errorf("alice's row does not show the lock: %q", line)
						}
					}
				}},
				{name: "locks", args: []string{"locks"}, out: "user    alice  unlocked by an administrator  administrator"},
				{name: "locked in JSON", args: []string{"list", "--format", "json"}, check: func(t *testing.T, out string) {
					a := listed(t, out)["alice"]
					if !a.Locked || a.LockReason != "administrator" || !a.MustChangePassword || !a.CannotChangePassword ||
						a.Email != "alice@example.com" || len(a.SecondFactor.Devices) != 2 || a.PasswordHistory < 2 {
						t.Errorf("alice: %+v", a)
					}
				}},
				{name: "unlock", args: []string{"unlock", "alice"}, out: "unlocked user alice"},
				{name: "unlock an address", args: []string{"unlock", "--address", "10.0.0.1"}, out: "unlocked address 10.0.0.1"},
				{name: "unlock nothing", args: []string{"unlock"}, code: ExitUsage, errPart: "name a user"},
				{name: "unlocked in JSON", args: []string{"list", "--format", "json"}, check: func(t *testing.T, out string) {
					if a := listed(t, out)["alice"]; a.Locked {
						t.Errorf("alice is still locked: %+v", a)
					}
				}},
				{name: "roles add and remove", args: []string{"roles", "alice", "--add", "администратор", "--remove", "Бухгалтер"}, out: "Менеджер\nАдминистратор\n"},
				{name: "roles unknown", args: []string{"roles", "alice", "--add", "Нет"}, code: ExitUsage, errPart: `role "Нет"`},
				{name: "roles shown", args: []string{"roles", "alice"}, out: "Менеджер\nАдминистратор\n"},
				{name: "roles set", args: []string{"roles", "alice", "--set", "Касса,Бухгалтер"}, out: "Касса\nБухгалтер\n"},
				{name: "last administrator kept", args: []string{"delete", "admin"}, code: ExitFailure, errPart: "last one holding Администрирование"},
				{name: "last administrator keeps the role", args: []string{"roles", "admin", "--remove", "Администратор"}, code: ExitFailure, errPart: "give it to another user first"},
				{name: "otp-enroll", args: []string{"otp-enroll", "alice", "--qr", qr}, out: "otpauth://totp/dostup:alice?", check: func(t *testing.T, out string) {
					lines := strings.Split(strings.TrimSpace(out), "\n")
					if len(lines) != 2 || !strings.HasPrefix(lines[1], "secret: ") || !strings.Contains(lines[0], "secret="+strings.TrimPrefix(lines[1], "secret: ")) {
						t.Errorf("otp-enroll printed %q", out)
					}
					png, err := os.ReadFile(qr)
					if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
						t.Errorf("QR code: %v, %d bytes, header %q", err, len(png), png[:min(8, len(png))])
					}
				}},
				{name: "otp-enroll to a folder that is not there", args: []string{"otp-enroll", "alice", "--qr", filepath.Join(qr, "no", "x.png")}, code: ExitUsage, errPart: "--qr"},
				{name: "recovery codes", args: []string{"recovery-codes", "alice", "--count", "7"}, errPart: "shown only now", check: func(t *testing.T, out string) {
					if codes := strings.Fields(out); len(codes) != 7 {
						t.Errorf("%d codes: %q", len(codes), out)
					}
				}},
				{name: "recovery codes out of range", args: []string{"recovery-codes", "alice", "--count", "0"}, code: ExitUsage},
				{name: "show redacts", args: []string{"show", "alice", "--format", "json"}, check: func(t *testing.T, out string) {
					var v wire.User
					if err := json.Unmarshal([]byte(out), &v); err != nil {
						t.Fatal(err)
					}
					if !v.SecondFactor.TOTP || v.SecondFactor.RecoveryCodes != 7 || !v.PasswordSet || v.FullName != "Алиса" {
						t.Errorf("show: %+v", v)
					}
					if strings.Contains(out, "argon2") || strings.Contains(strings.ToLower(out), "totp_secret") {
						t.Errorf("show leaks a secret: %s", out)
					}
				}},
				{name: "show as text", args: []string{"show", "alice"}, out: "recovery codes:         7\n"},
				{name: "policy set", args: []string{"policy", "--min-length", "12", "--max-age", "90d", "--min-age", "1d12h", "--lockout-window", "30m", "--session-ttl", "8h", "--format", "json"},
					check: func(t *testing.T, out string) {
						var p policyView
						if err := json.Unmarshal([]byte(out), &p); err != nil {
							t.Fatal(err)
						}
						if p.MinLength != 12 || p.MaxAge != "90d" || p.MinAge != "1d12h" || p.LockoutWindow != "30m" || p.SessionTTL != "8h" || !p.Complexity || p.ReuseLimit != 5 {
							t.Errorf("policy: %+v", p)
						}
					}},
				{name: "policy shown", args: []string{"policy"}, out: "max-age:          90d\nmin-age:          1d12h\n"},
				{name: "policy out of range", args: []string{"policy", "--min-age", "100d"}, code: ExitUsage, errPart: "minimum password age must be below the maximum"},
				{name: "policy bad duration", args: []string{"policy", "--max-age", "ninety"}, code: ExitUsage, errPart: "90d"},
				{name: "policy compromised list missing", args: []string{"policy", "--compromised-file", filepath.Join(qr, "nowhere.txt")}, code: ExitUsage},
				{name: "the new minimum length", args: []string{"add", "erin", "--password", "Ab1!efgh"}, code: ExitFailure, errPart: "at least 12 characters"},
				{name: "expiry in the list", args: []string{"list"}, check: func(t *testing.T, out string) {
					for _, line := range strings.Split(out, "\n") {
						if strings.HasPrefix(line, "alice ") && (!strings.Contains(line, "in 90 days") || !strings.Contains(line, "must change") ||
							!strings.Contains(line, "totp, 2 devices, 7 recovery codes")) {
							t.Errorf("alice's row: %q", line)
						}
					}
				}},
				{name: "hidden users listed", args: []string{"add", "ghost", "--hidden", "--no-password-auth"}, out: "added user ghost"},
				{name: "csv", args: []string{"list", "--format", "csv"}, out: "ghost,,,no,,,no,no,,no,,0,no,no,no\n"},
				{name: "bad format", args: []string{"list", "--format", "xml"}, code: ExitUsage, errPart: "--format must be table, json, csv"},
				{name: "delete", args: []string{"delete", "alice"}, out: "deleted user alice"},
				{name: "deleted", args: []string{"show", "alice"}, code: ExitUsage, errPart: `no user "alice"`},
			})
		})
	}
}

// TestUsersUnknown: every command naming a user that is not there exits 2
// and names it.
func TestUsersUnknown(t *testing.T) {
	dsn := consoleDemoDB(t, "sqlite")
	for _, args := range [][]string{
		{"show", "nobody"}, {"set", "nobody", "--email", "x@y"}, {"passwd", "nobody", "--password", "Ab1!xyzUVW"},
		{"lock", "nobody"}, {"unlock", "nobody"}, {"roles", "nobody"}, {"otp-enroll", "nobody"},
		{"recovery-codes", "nobody"}, {"delete", "nobody"},
	} {
		code, out, errOut := run(t, "", append(append([]string{"users"}, args...), "--db", dsn)...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, `no user "nobody"`) {
			t.Errorf("%v: exit %d, %q, %q", args, code, out, errOut)
		}
	}
	code, _, errOut := run(t, "wrong\nAb1!xyzUVW\n", "users", "passwd", "nobody", "--change", "--db", dsn)
	if code != ExitUsage || !strings.Contains(errOut, `no user "nobody"`) {
		t.Errorf("passwd --change: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, "", "users", "list"); code != ExitUsage || !strings.Contains(errOut, "--db is required") {
		t.Errorf("no --db: exit %d, %q", code, errOut)
	}
}

// TestUsersHostileNames: a user name made to break SQL or a terminal is
// stored, shown and filtered as the string it is.
func TestUsersHostileNames(t *testing.T) {
	const hostile = `o'hara"; DROP TABLE _dostup_users; --`
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := consoleDemoDB(t, backend)
			walkConsole(t, dsn, "users", []consoleStep{
				{name: "add", stdin: "Zz4&hostile!\n", args: []string{"add", hostile, "--full-name", "x'); DELETE FROM _dostup_users; --", "--password-stdin"}, out: "added user " + hostile},
				{name: "show", args: []string{"show", hostile, "--format", "json"}, out: `"name": "o'hara\"; DROP TABLE _dostup_users; --"`},
				{name: "lock", args: []string{"lock", hostile}, out: "locked user"},
				{name: "escape sequences", args: []string{"set", hostile, "--full-name", "\x1b[2J\tcleared"}, out: "updated user"},
				{name: "list", args: []string{"list"}, check: func(t *testing.T, out string) {
					if !strings.Contains(out, hostile) || strings.Contains(out, "\x1b") || strings.Count(out, "\n") != 6 {
						t.Errorf("list:\n%s", out)
					}
				}},
			})
			walkConsole(t, dsn, "log", []consoleStep{
				{name: "by object", args: []string{"--object", hostile, "--format", "json"}, check: func(t *testing.T, out string) {
					if evs := jsonLines(t, out); len(evs) != 3 { // added, locked, updated
						t.Errorf("%d events about the hostile name:\n%s", len(evs), out)
					}
				}},
				{name: "hostile filter", args: []string{"--user", "'; DROP TABLE _dostup_eventlog; --", "--event", "x' OR '1'='1"}, out: "TIME"},
				{name: "still there", args: []string{"--event", "_$User$_.New", "--format", "json"}, out: `"object":"o'hara\"; DROP TABLE _dostup_users; --"`},
			})
			walkConsole(t, dsn, "users", []consoleStep{{name: "users still there", args: []string{"list", "--format", "json"}, check: func(t *testing.T, out string) {
				if n := len(listed(t, out)); n != 5 {
					t.Errorf("%d users", n)
				}
			}}})
		})
	}
}

// TestUsersSessions lists and revokes a session opened through authn, as
// the server would open it.
func TestUsersSessions(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := consoleDemoDB(t, backend)
			walkConsole(t, dsn, "users", []consoleStep{{name: "add", stdin: "Kp7#wd9!xQ\n", args: []string{"add", "frank", "--roles", "Менеджер", "--password-stdin"}}})
			ctx := context.Background()
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			svc, err := authn.New(ctx, ib, authn.Config{})
			if err != nil {
				t.Fatal(err)
			}
			_, sess, err := svc.Login(ctx, authn.LoginRequest{User: "frank", Password: "Kp7#wd9!xQ", Source: "192.0.2.7"})
			ib.Close()
			if err != nil {
				t.Fatal(err)
			}
			walkConsole(t, dsn, "users", []consoleStep{
				{name: "listed", args: []string{"sessions"}, out: sess.ID + "  frank"},
				{name: "as JSON", args: []string{"sessions", "--format", "json"}, check: func(t *testing.T, out string) {
					var list []authn.Session
					if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0].Source != "192.0.2.7" || list[0].Roles[0] != "Менеджер" {
						t.Errorf("%v: %s", err, out)
					}
				}},
				{name: "revoke", args: []string{"revoke", sess.ID}, out: "revoked session " + sess.ID},
				{name: "gone", args: []string{"sessions", "--format", "json"}, out: "[]"},
				{name: "revoke again", args: []string{"revoke", sess.ID}, code: ExitUsage, errPart: "no session"},
			})
			walkConsole(t, dsn, "log", []consoleStep{{name: "revocation logged", args: []string{"--event", "Сеанс. Отзыв", "--format", "json"}, out: `"object":"` + sess.ID + `"`}})
		})
	}
}

func TestApps(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := consoleDemoDB(t, backend)
			var secret string
			walkConsole(t, dsn, "apps", []consoleStep{
				{name: "add", args: []string{"add", "shop", "--roles", "касса"}, errPart: "shown only now", check: func(t *testing.T, out string) {
					secret = strings.TrimSpace(out)
					if strings.Count(out, "\n") != 1 || len(secret) < 32 {
						t.Errorf("the secret line: %q", out)
					}
				}},
				{name: "unknown role", args: []string{"add", "bad", "--roles", "Нет"}, code: ExitUsage, errPart: `role "Нет"`},
				{name: "list", args: []string{"list", "--format", "json"}, check: func(t *testing.T, out string) {
					var apps []authn.Application
					if err := json.Unmarshal([]byte(out), &apps); err != nil {
						t.Fatal(err)
					}
					found := false
					for _, a := range apps {
						if a.Name == "shop" && len(a.Roles) == 1 && a.Roles[0] == "Касса" && time.Since(a.Created) < time.Hour {
							found = true
						}
					}
					if !found || strings.Contains(out, secret) {
						t.Errorf("apps: %s", out)
					}
				}},
				{name: "table", args: []string{"list"}, check: func(t *testing.T, out string) {
					if !strings.Contains(out, "\nshop ") || !strings.Contains(out, " Касса ") {
						t.Errorf("apps list:\n%s", out)
					}
				}},
			})
			ctx := context.Background()
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer ib.Close()
			svc, err := authn.New(ctx, ib, authn.Config{})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := svc.AppLogin(ctx, "shop", secret, "192.0.2.8"); err != nil {
				t.Errorf("the printed secret does not log in: %v", err)
			}
		})
	}
}

// TestUsersHelp: every command of the three groups has help.
func TestUsersHelp(t *testing.T) {
	for _, args := range [][]string{
		{"users"}, {"users", "add"}, {"users", "set"}, {"users", "list"}, {"users", "show"}, {"users", "passwd"}, {"users", "lock"},
		{"users", "unlock"}, {"users", "locks"}, {"users", "roles"}, {"users", "otp-enroll"}, {"users", "recovery-codes"},
		{"users", "policy"}, {"users", "delete"}, {"users", "sessions"}, {"users", "revoke"},
		{"apps"}, {"apps", "add"}, {"apps", "list"}, {"log"}, {"log", "retention"}, {"log", "purge"},
	} {
		code, out, _ := run(t, "", append(args, "--help")...)
		if code != ExitOK || !strings.Contains(out, "Usage:") || len(out) < 200 {
			t.Errorf("%v --help: exit %d, %q", args, code, out)
		}
	}
	if _, out, _ := run(t, "", "users", "passwd", "--help"); !strings.Contains(out, "3 when the old") {
		t.Errorf("passwd --help does not document its exit codes:\n%s", out)
	}
}

func TestUsersParseDays(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"0", 0, "0"},
		{"90d", 90 * day, "90d"},
		{"1.5d", 36 * time.Hour, "1d12h"},
		{"1d12h", 36 * time.Hour, "1d12h"},
		{"15m", 15 * time.Minute, "15m"},
		{"12h", 12 * time.Hour, "12h"},
		{"1h30m", 90 * time.Minute, "1h30m"},
		{"90s", 90 * time.Second, "1m30s"},
		{"2d30m", 2*day + 30*time.Minute, "2d30m"},
	}
	for _, c := range cases {
		got, err := parseDays(c.in)
		if err != nil || got != c.want {
			t.Errorf("parseDays(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
		if s := formatDays(got); s != c.out {
			t.Errorf("formatDays(%v) = %q, want %q", got, s, c.out)
		}
		if back, err := parseDays(formatDays(got)); err != nil || back != got {
			t.Errorf("round trip of %q: %v, %v", c.in, back, err)
		}
	}
	for _, bad := range []string{"", "d", "ninety", "5x", "-1d", "1dx", "1e9d"} {
		if _, err := parseDays(bad); err == nil {
			t.Errorf("parseDays(%q): want an error", bad)
		}
	}
}

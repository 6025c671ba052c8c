package cli

import (
	"fmt"
	"strings"
	"testing"

	"dostup/internal/testdb"
)

// --privileged is logged whether it is granted (an administrator) or
// refused (exit 3), so an auditor sees every attempt to turn checks off.
func TestPrivilegedFlagLogged(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := testdb.DSN(t, backend)
			if code, _, errOut := run(t, "", "demo", "--db", dsn); code != ExitOK {
				t.Fatalf("demo: %s", errOut)
			}
			const text = "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты"
			if code, _, errOut := run(t, "", "query", "--db", dsn, "--user", "ivanov", "--privileged", text); code != ExitDenied || !strings.Contains(errOut, "Администрирование") {
				t.Errorf("ivanov --privileged: exit %d, %q", code, errOut)
			}
			if code, out, errOut := run(t, "", "query", "--db", dsn, "--user", "admin", "--privileged", text); code != ExitOK || out != "Поле1\n8\n" {
				t.Errorf("admin --privileged: exit %d, %q, %q", code, out, errOut)
			}
			var got []string
			for _, user := range []string{"ivanov", "admin"} {
				code, out, errOut := run(t, "", "log", "--db", dsn, "--user", user, "--format", "json")
				if code != ExitOK {
					t.Fatalf("log: exit %d, %s", code, errOut)
				}
				for _, ev := range jsonLines(t, out) {
					data, _ := ev["data"].(map[string]any)
					got = append(got, fmt.Sprintf("%s %v %v", ev["event"], data["right"], data["mode"]))
				}
			}
			want := "_$Access$_.AccessDenied Администрирование privileged\n_$Session$_.PrivilegedModeOn <nil> <nil>"
			if strings.Join(got, "\n") != want {
				t.Errorf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
			}
		})
	}
}

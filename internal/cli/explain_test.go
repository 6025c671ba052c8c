package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainCommand: dostup explain on a demo infobase tells ivanov why
// Хлебозавод is hidden (exit 3), petrov that he reads it (exit 0), and
// refuses bad usage (exit 2).
func TestExplainCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, _, errOut := run(t, "", "demo", "--db", db); code != ExitOK {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	args := []string{"explain", "--db", db, "--user", "ivanov", "--right", "Чтение", "--object", "Справочник.Контрагенты", "--record", "Хлебозавод"}
	code, out, errOut := run(t, "", args...)
	for _, want := range []string{
		"ivanov may not read Справочник.Контрагенты «Хлебозавод»: denied",
		"session: &Организация = ООО Ромашка",
		"written:  #КонтрагентыЧтениеИзменение(\"ИЛИ ЭтоГруппа\")",
		"expanded: ГДЕ Организация = &Организация ИЛИ ЭтоГруппа",
		"Организация = &Организация [false] (roles.yaml:41:25): false: the record's Организация is ООО Лютик, &Организация is ООО Ромашка",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the explanation does not say %q:\n%s", want, out)
		}
	}
	if code != ExitDenied {
		t.Errorf("exit %d, want %d: %s", code, ExitDenied, errOut)
	}
	args[4] = "petrov"
	code, out, _ = run(t, "", append(args, "--json")...)
	var x struct {
		Allowed bool `json:"allowed"`
		Trace   struct {
			Kind     string `json:"kind"`
			Children []struct {
				Kind string `json:"kind"`
			} `json:"children"`
		} `json:"trace"`
	}
	if err := json.Unmarshal([]byte(out), &x); err != nil || code != ExitOK || !x.Allowed || x.Trace.Kind != "decision" || len(x.Trace.Children) != 1 || x.Trace.Children[0].Kind != "role" {
		t.Errorf("petrov --json: exit %d, %v\n%s", code, err, out)
	}
	for _, bad := range [][]string{
		{"explain", "--db", db, "--user", "ivanov", "--right", "Чтение"},
		{"explain", "--db", db, "--user", "ivanov", "--right", "Чтение", "--object", "Справочник.Контрагенты", "--record", "Нет такого"},
		{"explain", "--db", db, "--user", "ivanov", "--right", "Летать", "--object", "Справочник.Контрагенты"},
		{"explain", "--user", "ivanov", "--right", "Чтение", "--object", "Справочник.Контрагенты"},
	} {
		if code, _, errOut := run(t, "", bad...); code != ExitUsage || errOut == "" {
			t.Errorf("%v: exit %d, %q", bad, code, errOut)
		}
	}
}

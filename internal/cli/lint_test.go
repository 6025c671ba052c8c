package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintCommand runs dostup lint over a small configuration: the text,
// JSON and SARIF outputs, the exit codes --fail-on decides, a lint.yaml
// beside the folder, and bad usage.
func TestLintCommand(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "config")
	files := map[string]string{
		"configuration.yaml": `configuration: {name: Торговля, language: ru}
catalogs:
  - name: Организации
    description_length: 50
documents:
  - name: Заказ
    number: {length: 9}
    attributes:
      - {name: Организация, type: Справочник.Организации}
session_parameters:
  - {name: Организация, type: Справочник.Организации}
`,
		"roles.yaml": `roles:
  - name: Менеджер
    objects:
      - object: Документ.Заказ
        rights: [Чтение, Изменение]
        restrictions:
          - {right: Чтение, condition: "ГДЕ Склад = &Организация"}
    templates:
      - {name: Лишний, condition: "ГДЕ ЛОЖЬ"}
`,
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	code, out, errOut := run(t, "", "lint", dir)
	if code != ExitFailure || !strings.Contains(out, "roles.yaml:7:") || !strings.Contains(out, "error restriction-bind:") ||
		!strings.Contains(out, "info unused-template:") || !strings.Contains(out, "3 findings: 1 error, 1 warning, 1 info (0 suppressed)") {
		t.Fatalf("lint: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := run(t, "", "lint", "--fail-on", "never", dir); code != ExitOK {
		t.Errorf("--fail-on never: exit %d\n%s", code, out)
	}

	code, out, _ = run(t, "", "lint", "--json", dir)
	var report struct {
		Findings []struct {
			Code string `json:"code"`
			File string `json:"file"`
			Line int    `json:"line"`
			Col  int    `json:"col"`
		} `json:"findings"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil || code != ExitFailure || report.Counts["restriction-bind"] != 1 {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, out)
	}
	for _, f := range report.Findings {
		if f.File == "" || f.Line == 0 || f.Col == 0 {
			t.Errorf("%s has no place: %+v", f.Code, f)
		}
	}

	code, out, _ = run(t, "", "lint", "--format", "sarif", dir)
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 3 {
		t.Fatalf("--format sarif: exit %d, %v\n%s", code, err, out)
	}

	// A lint.yaml beside the folder turns the error down: the exit is 0.
	if err := os.WriteFile(filepath.Join(root, "lint.yaml"), []byte("rules:\n  - code: restriction-bind\n    severity: warning\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, "", "lint", dir); code != ExitOK || !strings.Contains(out, "warning restriction-bind:") {
		t.Errorf("with lint.yaml: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := run(t, "", "lint", "--fail-on", "warning", dir); code != ExitFailure {
		t.Errorf("--fail-on warning: exit %d\n%s", code, out)
	}

	for _, args := range [][]string{
		{"lint", "--format", "xml", dir},
		{"lint", "--json", "--format", "sarif", dir},
		{"lint", "--fail-on", "sometimes", dir},
		{"lint", filepath.Join(root, "missing")},
		{"lint", "--config-file", filepath.Join(root, "missing.yaml"), dir},
	} {
		if code, _, errOut := run(t, "", args...); code != ExitUsage || errOut == "" {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

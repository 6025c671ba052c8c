package rlscheck

import (
	"os"
	"path/filepath"
	"testing"
)

// writeRights writes Roles/Тест/Ext/Rights.xml with the given objects and
// templates under dir and returns its path.
func writeRights(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "Roles", "Тест", "Ext")
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(p, "Rights.xml")
	text := `<?xml version="1.0" encoding="UTF-8"?>
<Rights xmlns="http://v8.1c.ru/8.2/roles" version="2.20">
<setForNewObjects>false</setForNewObjects>
` + body + "\n</Rights>\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

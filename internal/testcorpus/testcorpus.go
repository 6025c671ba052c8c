package testcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the corpus folder: the first shared/corpus found walking up
// from the working directory (a package folder when tests run).
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		for _, cand := range []string{filepath.Join(dir, "shared", "corpus"), filepath.Join(dir, "..", "shared", "corpus")} {
			if st, err := os.Stat(cand); err == nil && st.IsDir() {
				return filepath.Clean(cand)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("the 1C corpus was not found: expected ../shared/corpus beside the repository")
		}
		dir = parent
	}
}

// Dir returns the corpus folder of one configuration, such as "ssl31".
func Dir(tb testing.TB, name string) string {
	tb.Helper()
	d := filepath.Join(Root(tb), name)
	if _, err := os.Stat(d); err != nil {
		tb.Fatalf("corpus %s: %v", name, err)
	}
	return d
}

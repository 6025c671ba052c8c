package audit_test

import (
	"sync"
	"testing"

	"dostup/rls/rlscheck"
)

// targets are the corpus's dumps imported once per test binary: unf30's
// import takes a quarter of a minute.
var targets struct {
	mu   sync.Mutex
	byID map[string]*rlscheck.Target
}

func loadTarget(t *testing.T, root string) *rlscheck.Target {
	t.Helper()
	targets.mu.Lock()
	defer targets.mu.Unlock()
	if tg, ok := targets.byID[root]; ok {
		return tg
	}
	tg, err := rlscheck.LoadTarget(root)
	if err != nil {
		t.Fatal(err)
	}
	if targets.byID == nil {
		targets.byID = map[string]*rlscheck.Target{}
	}
	targets.byID[root] = tg
	return tg
}

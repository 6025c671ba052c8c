package source

import (
	"sync"
	"testing"
)

// TestLazyFile: a file whose anchors come on first use gives the positions
// of the file made at once, to goroutines asking at the same time.
func TestLazyFile(t *testing.T) {
	text := "первая\n  вторая\nтретья"
	anchors := []Anchor{{Offset: 0, Line: 10, Col: 5}, {Offset: len("первая\n"), Line: 11, Col: 5}}
	eager := NewEmbeddedFile("roles/a.yaml", text, anchors)
	calls := 0
	lazy := NewLazyFile("roles/a.yaml", text, func() []Anchor { calls++; return anchors })
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for off := range len(text) + 1 {
				if got, want := lazy.Position(off), eager.Position(off); got != want {
					t.Errorf("offset %d: %s, not %s", off, got, want)
				}
			}
		}()
	}
	wg.Wait()
	if calls != 1 {
		t.Errorf("the anchors were computed %d times", calls)
	}
	again := NewEmbeddedFile(lazy.Name, lazy.Text, lazy.Anchors())
	for off := range len(text) + 1 {
		if again.Position(off) != eager.Position(off) {
			t.Fatalf("a file made from Anchors differs at offset %d", off)
		}
	}
}

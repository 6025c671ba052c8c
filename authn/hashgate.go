package authn

import (
	"context"
	"errors"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// ErrBusy refuses a password check when every argon2id slot is taken and
// the queue for them is full or waited too long: nothing was checked or
// counted, and the client may try again in a moment (the server answers
// 503 with Retry-After).
var ErrBusy = errors.New("the server is busy checking passwords: try again in a moment")

// HashGate bounds the argon2id computations running at once. Each takes
// the hash's memory (64 MiB with DefaultHashParams) for its whole time, so
// without a bound a burst of logins takes memory without limit; past the
// slots a short queue waits, and past the queue a check is refused with
// ErrBusy before any hashing. One gate may serve several services of a
// process (one per infobase), so the bound is the process's.
type HashGate struct {
	slots   chan struct{}
	queue   int64
	wait    time.Duration
	waiting atomic.Int64
	// collecting lets one release collect at a time: two collections at
	// once would only repeat each other.
	collecting sync.Mutex
}

// NewHashGate makes a gate of slots concurrent computations (at least 1),
// with up to queue checks waiting for a slot, each at most wait (0: 2 s).
func NewHashGate(slots, queue int, wait time.Duration) *HashGate {
	if slots < 1 {
		slots = 1
	}
	if queue < 0 {
		queue = 0
	}
	if wait <= 0 {
		wait = 2 * time.Second
	}
	return &HashGate{slots: make(chan struct{}, slots), queue: int64(queue), wait: wait}
}

// HashSlots is how many password hashes a server computes at once: one
// per CPU but one, and at least one. Hashing takes a core for the whole of
// a hash (argon2id is made to); with a slot per CPU a burst of logins took
// every core, and every query behind it waited for the scheduler to
// preempt a hash: on two cores the queries' p99 was 25-30 ms against 2 ms
// for the health endpoint. With a core left to the rest of the API the
// queries' p99 is within 2-3× of the health endpoint's, and logins queue
// for a slot instead (bench/serve, docs/PERFORMANCE.md).
func HashSlots() int { return max(1, runtime.NumCPU()-1) }

// defaultHashGate is a gate of HashSlots slots with twice as many
// waiting, for up to 2 s: on a server that is the rate hashing can keep
// up with, and a wait a person at a login form accepts.
func defaultHashGate() *HashGate {
	n := HashSlots()
	return NewHashGate(n, 2*n, 2*time.Second)
}

// Slots is how many computations the gate lets run at once.
func (g *HashGate) Slots() int { return cap(g.slots) }

// Acquire takes a slot, waiting in the queue when there is room in it; the
// caller runs its computations and calls release once. ErrBusy when the
// queue is full or the wait ran out; the context's error when it ends.
func (g *HashGate) Acquire(ctx context.Context) (release func(), err error) {
	release = func() {
		g.collect()
		<-g.slots
	}
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	if g.waiting.Add(1) > g.queue {
		g.waiting.Add(-1)
		return nil, ErrBusy
	}
	defer g.waiting.Add(-1)
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, nil
	case <-timer.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// collect frees the garbage of the finished computation before its slot
// goes to the next one: a collection, and the free pages given back to
// the system (debug.FreeOSMemory), since a freed 64 MiB region that small
// objects then take pages from no longer holds the next computation. It
// collects on every release: deciding by the collector's live heap, as it
// once did, missed the garbage of a computation that was running at the
// last cycle (the figure counts it as live), and let a third computation's
// memory stand beside the two running (TestHashingBounded failed a third
// of its runs). A collection costs milliseconds on a small heap against
// the hundreds a computation takes; on a server holding a big
// configuration it costs more, which the slots bound.
func (g *HashGate) collect() {
	g.collecting.Lock()
	defer g.collecting.Unlock()
	debug.FreeOSMemory()
}

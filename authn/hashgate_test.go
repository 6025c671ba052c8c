package authn_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"dostup/authn"
)

// TestHashGate: slots run at once, a queue waits for them up to its
// deadline, and past the queue a check is refused at once.
func TestHashGate(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name         string
		slots, queue int
		held         int // slots taken before the try
		waiters      int // tries already waiting
		want         error
		within       time.Duration // the try's answer comes within this
	}{
		{name: "a free slot", slots: 2, queue: 0, held: 1, want: nil, within: 50 * time.Millisecond},
		{name: "no slot, no queue", slots: 1, queue: 0, held: 1, want: authn.ErrBusy, within: 50 * time.Millisecond},
		{name: "queued past the wait", slots: 1, queue: 1, held: 1, want: authn.ErrBusy, within: time.Second},
		{name: "queue full", slots: 1, queue: 1, held: 1, waiters: 1, want: authn.ErrBusy, within: 50 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := authn.NewHashGate(tc.slots, tc.queue, 200*time.Millisecond)
			for range tc.held {
				release, err := g.Acquire(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer release()
			}
			var wg sync.WaitGroup
			for range tc.waiters {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if release, err := g.Acquire(ctx); err == nil {
						release()
					}
				}()
			}
			defer wg.Wait()
			time.Sleep(20 * time.Millisecond) // the waiters are in the queue
			start := time.Now()
			release, err := g.Acquire(ctx)
			if took := time.Since(start); !errors.Is(err, tc.want) || took > tc.within {
				t.Errorf("Acquire: %v after %v, want %v within %v", err, took, tc.want, tc.within)
			}
			if err == nil {
				release()
			}
		})
	}
	// A slot given back is taken by the one waiting.
	g := authn.NewHashGate(1, 1, 5*time.Second)
	release, _ := g.Acquire(ctx)
	got := make(chan error)
	go func() {
		r, err := g.Acquire(ctx)
		if err == nil {
			r()
		}
		got <- err
	}()
	time.Sleep(20 * time.Millisecond)
	release()
	if err := <-got; err != nil {
		t.Errorf("the waiting one: %v", err)
	}
	if n := authn.NewHashGate(0, 0, 0).Slots(); n != 1 {
		t.Errorf("a gate of no slots has %d", n)
	}
}

// TestHashingBounded: 40 logins at once with the production hash
// parameters (64 MiB each) keep the process under 64 MiB per slot plus
// 100 MiB; those past the gate's queue are refused with ErrBusy, unknown
// users taking the same path as known ones.
func TestHashingBounded(t *testing.T) {
	const slots = 2
	gate := authn.NewHashGate(slots, 2*slots, 10*time.Second)
	s, creds, _ := service(t, "sqlite", authn.Config{Hash: authn.DefaultHashParams, Hashing: gate})
	ctx := context.Background()
	set, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set.Lockout.MaxFailures, set.Lockout.AddressMaxFailures = 1000, 1000
	if err := s.SetSettings(ctx, set, authn.Actor{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	authn.DummyHash(authn.DefaultHashParams) // made once, outside the measure

	runtime.GC()
	debug.FreeOSMemory()
	base := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(base)
	t.Logf("before: %d MiB", (base[0].Value.Uint64()-base[1].Value.Uint64())>>20)
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			peak = max(peak, samples[0].Value.Uint64()-samples[1].Value.Uint64())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()

	const n = 40
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			user, password := "ivanov", creds.Passwords["ivanov"]
			switch i % 3 {
			case 1:
				password = "Wrong-2026!"
			case 2:
				user = fmt.Sprintf("ghost%d", i)
			}
			_, _, errs[i] = s.Login(ctx, authn.LoginRequest{User: user, Password: password, Source: "10.4.4.4"})
		}()
	}
	close(start)
	wg.Wait()
	close(stop)
	<-sampled

	busy, checked := 0, 0
	for _, err := range errs {
		switch {
		case errors.Is(err, authn.ErrBusy):
			busy++
		case err == nil, errors.Is(err, authn.ErrBadCredentials):
			checked++
		default:
			t.Errorf("login: %v", err)
		}
	}
	const mib = 1 << 20
	bound := uint64(64*slots+100) * mib
	t.Logf("%d checked, %d busy; peak %d MiB (bound %d MiB)", checked, busy, peak/mib, bound/mib)
	if peak > bound {
		t.Errorf("40 logins at once took %d MiB, over %d MiB", peak/mib, bound/mib)
	}
	if busy == 0 || checked < slots {
		t.Errorf("%d checked, %d refused busy: the gate of %d slots and a queue of %d let all through or none", checked, busy, slots, 2*slots)
	}
}

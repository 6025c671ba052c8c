package infobase

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPlainDecimal holds the fast way of writing a decimal to the exact
// one (big.Rat's FloatString) on edge cases and on random numbers, and
// checks that it leaves to the exact way what needs rounding or is not a
// plain decimal.
func TestPlainDecimal(t *testing.T) {
	exact := func(s string, scale int) string {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("%q is not a number", s)
		}
		return r.FloatString(scale)
	}
	cases := []string{"0", "-0", "-0.00", "0.5", "12500.00", "12500", "-1.10", "007.250", "1.2300000", "99999999999999999999.99", "-0.001"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		if rnd.IntN(3) == 0 {
			b.WriteByte('-')
		}
		for range 1 + rnd.IntN(12) {
			b.WriteByte(byte('0' + rnd.IntN(10)))
		}
		if rnd.IntN(2) == 0 {
			b.WriteByte('.')
			for range 1 + rnd.IntN(6) {
				b.WriteByte(byte('0' + rnd.IntN(10)))
			}
		}
		cases = append(cases, b.String())
	}
	fast := 0
	for _, c := range cases {
		for _, scale := range []int{0, 2, 3, 5} {
			got, ok := plainDecimal(c, scale)
			if !ok {
				continue
			}
			fast++
			if want := exact(c, scale); got != want {
				t.Errorf("%q at scale %d: %q, the exact way %q", c, scale, got, want)
			}
			if got := decimal(c, scale); got != exact(c, scale) {
				t.Errorf("decimal(%q, %d) = %q", c, scale, got)
			}
		}
	}
	if fast < len(cases) {
		t.Errorf("only %d of %d conversions took the fast way", fast, 4*len(cases))
	}
	for _, c := range []struct {
		s     string
		scale int
	}{{"1.005", 2}, {"1e3", 2}, {"NaN", 2}, {"", 2}, {"-", 2}, {"1.", 2}, {".5", 2}, {"+1", 2}, {"1,5", 2}, {"1.2.3", 2}} {
		if got, ok := plainDecimal(c.s, c.scale); ok {
			t.Errorf("%q at scale %d took the fast way: %q", c.s, c.scale, got)
		}
	}
	if got := decimal("1.005", 2); got != exact("1.005", 2) {
		t.Errorf("a number that rounds: %q", got)
	}
}

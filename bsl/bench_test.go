package bsl_test

import (
	"testing"

	"dostup/bsl"
	"dostup/internal/testcorpus"
)

// BenchmarkCheckUnf30 checks every module of the unf30 dump, a worker per
// CPU, as `dostup bsl check` does, and reports modules per second. Loading
// the files is outside the loop: it is the disk's cost, not the checks'.
func BenchmarkCheckUnf30(b *testing.B) {
	root := testcorpus.Unf30(b)
	paths, err := bsl.FindModules(root)
	if err != nil {
		b.Fatal(err)
	}
	var l bsl.Loader
	mods := make([]*bsl.Module, 0, len(paths))
	bytes := 0
	for _, p := range paths {
		m, err := l.Load(p)
		if err != nil {
			b.Fatal(err)
		}
		mods = append(mods, m)
		bytes += len(m.Source)
	}
	b.SetBytes(int64(bytes))
	b.ResetTimer()
	for b.Loop() {
		bsl.Check(mods)
	}
	b.ReportMetric(float64(len(mods)*b.N)/b.Elapsed().Seconds(), "modules/s")
}

// BenchmarkLex lexes the largest module of the golden fixtures' kind many
// times over: the lexer's own speed, one core.
func BenchmarkLex(b *testing.B) {
	src := objectModule
	for range 200 {
		src += objectModule
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		bsl.Lex(src)
	}
}

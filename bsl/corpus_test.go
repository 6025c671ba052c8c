package bsl_test

import (
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"dostup/bsl"
	"dostup/internal/testcorpus"
)

// unf30ModuleCounts are the corpus README's figures for unf30 (whose dump
// holds no common modules' code and no form modules), with the
// configuration's own four modules.
var unf30ModuleCounts = map[bsl.ModuleKind]int{
	bsl.KindObject:              1274,
	bsl.KindManager:             2394,
	bsl.KindRecordSet:           433,
	bsl.KindValueManager:        154,
	bsl.KindCommand:             894,
	bsl.KindSession:             1,
	bsl.KindManagedApplication:  1,
	bsl.KindOrdinaryApplication: 1,
	bsl.KindExternalConnection:  1,
}

// unf30FindingCounts are the findings per code over the whole dump, as
// reviewed when the checks were written (samples of each code read in the
// modules): a change here is a change of what a rule reports and needs the
// same review.
var unf30FindingCounts = map[string]int{
	bsl.CodeDirectiveMissing:       2,
	bsl.CodeDirectiveNeedless:      5,
	bsl.CodeExecuteWithoutSafeMode: 74,
	bsl.CodeExternalCode:           2,
	bsl.CodePrivilegedMode:         984,
	bsl.CodePrivilegedUnbalanced:   579,
	bsl.CodeSafeModeDisabled:       40,
	bsl.CodeClientRaise:            351,
	bsl.CodeClientReachable:        53,
	// Calls from object modules, compiled for the ordinary application's
	// thick client by standard 680's wrap, of server modules without the
	// КлиентОбычноеПриложение and ВызовСервера flags.
	bsl.CodeUnavailableCall: 237,
}

// unf30Modules is the total the issue states: 5,153 modules.
const unf30Modules = 5153

// TestCorpusUnf30Modules loads every module of the unf30 dump: each is a
// module of a known kind, owned by a named object of a Russian
// configuration, and the counts per kind are the README's.
func TestCorpusUnf30Modules(t *testing.T) {
	root := testcorpus.Unf30(t)

	start := time.Now()
	paths, err := bsl.FindModules(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != unf30Modules {
		t.Errorf("FindModules found %d modules; want %d", len(paths), unf30Modules)
	}
	found := time.Since(start)

	start = time.Now()
	mods := loadAll(t, paths)
	loaded := time.Since(start)

	counts := map[bsl.ModuleKind]int{}
	for _, m := range mods {
		if m == nil {
			continue
		}
		counts[m.Kind]++
		if kind, ok := bsl.KindOf(m.Path); !ok || kind != m.Kind {
			t.Errorf("%s: KindOf says %q, %v; LoadModule %q", m.Path, kind, ok, m.Kind)
		}
		if !m.Russian {
			t.Errorf("%s: unf30 is a Russian configuration", m.Path)
		}
		rootLevel := m.Kind == bsl.KindSession || m.Kind == bsl.KindManagedApplication ||
			m.Kind == bsl.KindOrdinaryApplication || m.Kind == bsl.KindExternalConnection
		if (m.Object == "") != rootLevel {
			t.Errorf("%s: Object %q", m.Path, m.Object)
		}
		if m.Contexts() == 0 {
			t.Errorf("%s: compiled in no context", m.Path)
		}
		if m.Source == "" {
			t.Errorf("%s: empty source", m.Path)
		}
	}
	var kinds []string
	for k := range counts {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	var report strings.Builder
	for _, k := range kinds {
		fmt.Fprintf(&report, "\n  %-20s %5d", k, counts[bsl.ModuleKind(k)])
	}
	t.Logf("unf30: %d modules, found in %v, loaded in %v; per kind:%s", len(mods), found.Round(time.Millisecond), loaded.Round(time.Millisecond), report.String())
	for k, want := range unf30ModuleCounts {
		if counts[k] != want {
			t.Errorf("%s modules: %d; the corpus README says %d", k, counts[k], want)
		}
	}
	for k, n := range counts {
		if _, ok := unf30ModuleCounts[k]; !ok {
			t.Errorf("%d modules of kind %s, which unf30 does not have", n, k)
		}
	}

	common, err := bsl.LoadCommonModules(root)
	if err != nil {
		t.Fatal(err)
	}
	checkCorpusModules(t, mods, common)
}

// TestCorpusUnf30CommonModuleFlags reads the flags of each of unf30's 2,926
// common modules (the dump holds their XML but not their code). The counts
// are those of the flags set true in the files.
func TestCorpusUnf30CommonModuleFlags(t *testing.T) {
	xmls, err := filepath.Glob(filepath.Join(testcorpus.Unf30(t), "CommonModules", "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, x := range xmls {
		f, err := bsl.ReadCommonModuleFlags(x)
		if err != nil {
			t.Error(err)
			continue
		}
		for name, set := range map[string]bool{
			"Global": f.Global, "ClientManagedApplication": f.ClientManagedApplication, "Server": f.Server,
			"ExternalConnection": f.ExternalConnection, "ClientOrdinaryApplication": f.ClientOrdinaryApplication,
			"ServerCall": f.ServerCall, "Privileged": f.Privileged,
		} {
			if set {
				counts[name]++
			}
		}
		if f.ReturnValuesReuse == "" {
			t.Errorf("%s: no ReturnValuesReuse", x)
		}
		if f.Contexts() == 0 {
			t.Errorf("%s: compiled in no context: %+v", x, *f)
		}
	}
	want := map[string]int{
		"Global": 42, "ClientManagedApplication": 1048, "Server": 2267, "ExternalConnection": 1888,
		"ClientOrdinaryApplication": 2512, "ServerCall": 387,
	}
	if len(xmls) != 2926 || !maps.Equal(counts, want) {
		t.Errorf("%d common modules with flags %v; want 2926 with %v", len(xmls), counts, want)
	}
}

// loadAll loads the modules with one Loader shared by a worker per CPU, as
// a check of a whole dump does; a module that fails to load is reported and
// left nil.
func loadAll(t *testing.T, paths []string) []*bsl.Module {
	t.Helper()
	mods := make([]*bsl.Module, len(paths))
	errs := make([]error, len(paths))
	var l bsl.Loader
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				mods[i], errs[i] = l.Load(paths[i])
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err != nil {
			if failed++; failed <= 10 {
				t.Error(err)
			}
		}
	}
	if failed > 10 {
		t.Errorf("(and %d more modules failed to load)", failed-10)
	}
	return mods
}

// checkCorpusModules runs the rest of the package over every module of the
// corpus, with the dump's common modules (flags only: unf30 holds no code
// of them) for the calls: the preprocessor for each context and every check, logging the
// counts per code for the closing note. It is given every loaded
// module (nil for one that failed to load).
func checkCorpusModules(t *testing.T, mods, common []*bsl.Module) {
	t.Helper()
	start := time.Now()
	findings := bsl.CheckWith(mods, common)
	checked := time.Since(start)
	counts := map[string]int{}
	for _, f := range findings {
		counts[f.Code]++
		if f.Line < 1 || f.Col < 1 || f.EndLine < f.Line || f.Message == "" || f.File == "" {
			t.Errorf("malformed finding %+v", f)
		}
	}
	codes := slices.Sorted(maps.Keys(counts))
	var report strings.Builder
	for _, c := range codes {
		fmt.Fprintf(&report, "\n  %-28s %5d", c, counts[c])
	}
	t.Logf("unf30: %d findings in %v; per code:%s", len(findings), checked.Round(time.Millisecond), report.String())
	if !maps.Equal(counts, unf30FindingCounts) {
		t.Errorf("findings per code %v; reviewed counts %v", counts, unf30FindingCounts)
	}
	for _, m := range mods {
		if m == nil {
			continue
		}
		lines, _ := bsl.Lines(m.Source)
		for _, ctx := range bsl.Contexts() {
			out := lines.Apply(m.Source, ctx)
			if got, want := len(splitLines(out)), len(splitLines(m.Source)); got != want {
				t.Errorf("%s for %v: %d lines; the file has %d", m.Path, ctx, got, want)
			}
		}
	}
}

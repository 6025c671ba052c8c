package querycheck_test

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"dostup/bsl"
	"dostup/internal/testcorpus"
	"dostup/rls/rlscheck"
	"dostup/sdbl/parser"
	"dostup/sdbl/source"
	"dostup/sqlgen/querycheck"
	"dostup/sqlgen/sqlite"
)

// unf30QueryFloor and unf30ParseFloor are the shares of unf30's
// self-contained module query texts that compiled and parsed when this
// test was last raised; the bars are 97 % and 99.5 %. A change
// that lowers a share fails here.
const (
	unf30QueryFloor = 0.98
	unf30ParseFloor = 0.995
)

// TestCorpusUnf30ModuleQueries compiles the literal query texts of every
// module of unf30 that need nothing from outside the text (not joined to
// other strings, not cut by the preprocessor, reading no temporary table
// made elsewhere and no table given as a parameter) against the imported
// configuration, and logs the share that compiles with the commonest
// causes of failure.
func TestCorpusUnf30ModuleQueries(t *testing.T) {
	root := testcorpus.Unf30(t)
	target, err := rlscheck.LoadTarget(root)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := bsl.FindModules(root)
	if err != nil {
		t.Fatal(err)
	}
	var texts []querycheck.Text
	literals := 0
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range bsl.QueryTexts(string(src)) {
			literals++
			if q.SelfContained && len(querycheck.Outside(q.Text)) == 0 {
				texts = append(texts, querycheck.Text{File: p, Line: q.Line, Col: q.Col, Body: q.Text})
			}
		}
	}
	r := querycheck.Check(target.Config, sqlite.New(), texts)
	share := float64(r.OK) / float64(r.Texts)
	parsed := 0
	for _, tx := range texts {
		if _, err := parser.ParseQuery(source.FromFile(source.NewFile(tx.File, tx.Body))); err == nil {
			parsed++
		}
	}
	parseShare := float64(parsed) / float64(len(texts))
	t.Logf("unf30: %d of %d self-contained texts parse (%.1f %%), as dostup fmt reads them", parsed, len(texts), 100*parseShare)
	if parseShare < unf30ParseFloor {
		t.Errorf("%.1f %% of the texts parse; at least %.1f %% did before", 100*parseShare, 100*unf30ParseFloor)
	}
	t.Logf("unf30: %d query literals, %d self-contained: %d compile (%.1f %%), %d fail; first causes:\n%s",
		literals, r.Texts, r.OK, 100*share, r.Failed, causes(r, root, 25))
	if r.Texts < 1000 {
		t.Errorf("only %d self-contained texts found; the modules hold thousands", r.Texts)
	}
	if share < unf30QueryFloor {
		t.Errorf("%.1f %% of the texts compile; at least %.0f %% did before", 100*share, 100*unf30QueryFloor)
	}
}

// causes counts each text's first failure by its message with names and
// numbers taken out, the commonest first, with an example each.
func causes(r *querycheck.Report, root string, most int) string {
	names := regexp.MustCompile(`«[^»]*»|"[^"]*"|[\p{Lu}][\p{L}\d_]*(\.[\p{L}\d_]+)+|\d+`)
	first := map[string]querycheck.Failure{}
	var order []string
	for _, f := range r.Failures {
		k := fmt.Sprintf("%s:%d", f.File, f.Line)
		if _, ok := first[k]; !ok {
			first[k] = f
			order = append(order, k)
		}
	}
	counts := map[string]int{}
	example := map[string]string{}
	for _, k := range order {
		f := first[k]
		m := names.ReplaceAllString(f.Message, "X")
		counts[m]++
		if example[m] == "" {
			example[m] = fmt.Sprintf("%s:%d:%d: %s", strings.TrimPrefix(f.File, root+string(os.PathSeparator)), f.Line, f.Col, f.Message)
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return counts[keys[i]] > counts[keys[j]] || counts[keys[i]] == counts[keys[j]] && keys[i] < keys[j]
	})
	var b strings.Builder
	for _, k := range keys[:min(most, len(keys))] {
		fmt.Fprintf(&b, "%6d  %s\n        e.g. %s\n", counts[k], k, example[k])
	}
	return b.String()
}

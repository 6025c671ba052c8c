package querycheck_test

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"testing"

	"dostup/bsl"
	"dostup/rls/rlscheck"
	"dostup/sqlgen/querycheck"
	"dostup/sqlgen/sqlite"
)

func TestScratchUnf(t *testing.T) {
	root := "/tmp/dostup-corpus/unf30"
	target, err := rlscheck.LoadTarget(root)
	if err != nil { t.Fatal(err) }
	paths, _ := bsl.FindModules(root)
	var texts []querycheck.Text
	for _, p := range paths {
		b, _ := os.ReadFile(p)
		for _, q := range bsl.QueryTexts(string(b)) {
			if q.SelfContained { texts = append(texts, querycheck.Text{File: p, Line: q.Line, Col: q.Col, Body: q.Text}) }
		}
	}
	r := querycheck.Check(target.Config, sqlite.New(), texts)
	fmt.Printf("texts %d ok %d failed %d (%.1f%%)\n", r.Texts, r.OK, r.Failed, 100*float64(r.OK)/float64(r.Texts))
	// first failure per text, grouped by normalized message
	seen := map[string]bool{}
	counts := map[string]int{}
	ex := map[string]string{}
	norm := regexp.MustCompile(`«[^»]*»|"[^"]*"|[А-ЯЁA-Z][\p{L}\d_]*\.[\p{L}\d_.]+|\d+`)
	for _, f := range r.Failures {
		k := f.File + fmt.Sprint(f.Line)
		_ = k
		key := f.File
		_ = key
		id := fmt.Sprintf("%s:%d", f.File, f.Line)
		_ = id
		m := norm.ReplaceAllString(f.Message, "X")
		if seen[f.File+":"+fmt.Sprint(f.Line)+m] { continue }
		seen[f.File+":"+fmt.Sprint(f.Line)+m] = true
		counts[m]++
		if ex[m] == "" { ex[m] = fmt.Sprintf("%s:%d:%d: %s", f.File[len(root)+1:], f.Line, f.Col, f.Message) }
	}
	var keys []string
	for k := range counts { keys = append(keys, k) }
	sort.Slice(keys, func(i, j int) bool { return counts[keys[i]] > counts[keys[j]] })
	for _, k := range keys[:min(45, len(keys))] { fmt.Printf("%5d %s\n      e.g. %s\n", counts[k], k, ex[k]) }
}

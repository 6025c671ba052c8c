package preproc

import (
	"path/filepath"
	"regexp"
	"testing"

	"dostup/internal/testcorpus"
	"dostup/sdbl/source"
)

type corpusText struct {
	name string
	text source.Text
}

// corpusTexts returns every distinct restriction and template text with a
// preprocessor directive from the corpus, read by onecxml so positions are
// those of the XML files. Identical texts (the big templates repeat in many
// roles) are kept once.
func corpusTexts(t testing.TB) []corpusText {
	seen := map[string]bool{}
	var out []corpusText
	hasIf := regexp.MustCompile(`(?i)#(Если|If)[\s(]`)
	add := func(role string, f *source.File) {
		if seen[f.Text] || !hasIf.MatchString(f.Text) {
			return
		}
		seen[f.Text] = true
		out = append(out, corpusText{name: role, text: source.FromFile(f)})
	}
	for _, r := range testcorpus.Rights(t) {
		for _, o := range r.Objects {
			for _, rt := range o.Rights {
				for _, x := range rt.Restrictions {
					add(r.Path, x.Condition)
				}
			}
		}
		for _, tm := range r.Templates {
			add(r.Path, tm.Condition)
		}
	}
	return out
}

func TestCorpus(t *testing.T) {
	texts := corpusTexts(t)
	big := 0
	for _, ct := range texts {
		p, err := Parse(ct.text)
		if err != nil {
			t.Errorf("%s: %v", ct.name, err)
			continue
		}
		if p.Chains() > 500 {
			big++
		}
		vs, err := p.Variants(Options{})
		if err != nil {
			t.Errorf("%s: %v", ct.name, err)
			continue
		}
		// Every live branch must be taken by some variant: steering, random
		// and targeted walks reach them, and the unreachable are proven dead.
		live := vs.Branches - vs.Dead
		if vs.Covered != live {
			t.Errorf("%s: %d chains, covered %d of %d live branches; uncovered %v", ct.name, p.Chains(), vs.Covered, vs.Branches-vs.Dead, vs.Uncovered[:min(5, len(vs.Uncovered))])
		}
		if testing.Verbose() {
			t.Logf("%s: %d bytes %d chains: exhaustive %v count %d upper %d branches %d dead %d covered %d walks %d errors %d",
				filepath.Base(filepath.Dir(filepath.Dir(ct.name))), len(ct.text.Body), p.Chains(), vs.Exhaustive, vs.Count, vs.Upper, vs.Branches, vs.Dead, vs.Covered, vs.Walks, len(vs.Errors))
		}
	}
	t.Logf("%d texts, %d with more than 500 chains", len(texts), big)
	if big == 0 {
		t.Error("the big templates (ПоЗначениямИНаборамРасширенный) were not found")
	}
}

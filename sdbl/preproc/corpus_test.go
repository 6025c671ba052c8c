package preproc

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"dostup/sdbl/source"
)

// corpusDir is the shared real-configuration corpus; tests read it in place
// and never copy it into the repository.
const corpusDir = "../../../shared/corpus"

var conditionRE = regexp.MustCompile(`(?s)<condition>(.*?)</condition>`)

type corpusText struct {
	name string
	text source.Text
}

// corpusTexts returns every distinct condition and template body with a
// preprocessor directive, from both corpus folders. Identical bodies (the
// big templates repeat in many roles) are kept once.
func corpusTexts(t testing.TB) []corpusText {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "ssl31*", "Roles", "*", "Ext", "Rights.xml"))
	if len(files) == 0 {
		t.Skip("corpus not found at " + corpusDir)
	}
	seen := map[string]bool{}
	var out []corpusText
	hasIf := regexp.MustCompile(`(?i)#(Если|If)[\s(]`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range conditionRE.FindAllStringSubmatchIndex(string(data), -1) {
			body := html.UnescapeString(string(data[m[2]:m[3]]))
			if seen[body] || !hasIf.MatchString(body) {
				continue
			}
			seen[body] = true
			line := 1 + strings.Count(string(data[:m[2]]), "\n")
			// Positions are those of the decoded text, anchored at the
			// element's line; columns after an entity are off by the
			// entity's length, which is fine for these tests.
			file := source.NewEmbeddedFile(f, body, []source.Anchor{{Offset: 0, Line: line, Col: 1 + m[2] - 1 - strings.LastIndexByte(string(data[:m[2]]), '\n')}})
			out = append(out, corpusText{name: f, text: source.FromFile(file)})
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

package lint

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Modules turn checks off for a stretch of lines with 1C's comments for
// its automated configuration checks (АПК): // АПК:1328-выкл (or
// ACC:1328-off) up to // АПК:1328-вкл (ACC:1328-on), or to the end of the
// module. lint.yaml says which АПК numbers stand for a code (apk:); a code
// may also be named itself: // dostup:query-in-module-выкл.
var regionMark = regexp.MustCompile(`(?i)//\s*(АПК|ACC|dostup):([\p{L}\d-]+?)-(выкл|вкл|off|on)(?:[^\p{L}\d]|$)`)

// region is a stretch of a module's lines, both ends included.
type region struct{ from, to int }

// offRegions lists, per check name (an АПК number as written, or a code),
// the lines a module turns it off.
func offRegions(src string) map[string][]region {
	out := map[string][]region{}
	open := map[string]int{}
	for i, line := range strings.Split(src, "\n") {
		for _, m := range regionMark.FindAllStringSubmatch(line, -1) {
			name := strings.ToLower(m[2])
			switch strings.ToLower(m[3]) {
			case "выкл", "off":
				if _, ok := open[name]; !ok {
					open[name] = i + 1
				}
			default:
				if from, ok := open[name]; ok {
					out[name] = append(out[name], region{from, i + 1})
					delete(open, name)
				}
			}
		}
	}
	for name, from := range open {
		out[name] = append(out[name], region{from, int(^uint(0) >> 1)})
	}
	return out
}

// suppressedInModule reports whether a finding in a module stands where
// the module turns its check off.
func (l *linter) suppressedInModule(f Finding) bool {
	if f.File == "" || f.Line == 0 {
		return false
	}
	regions, ok := l.moduleRegions[f.File]
	if !ok {
		return false
	}
	names := []string{strings.ToLower(f.Code)}
	for _, n := range l.settings.apkFor(f.Code) {
		names = append(names, strconv.Itoa(n))
	}
	return slices.ContainsFunc(names, func(name string) bool {
		return slices.ContainsFunc(regions[name], func(r region) bool { return f.Line >= r.from && f.Line <= r.to })
	})
}

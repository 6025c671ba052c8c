package lint

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"dostup/audit"
)

// The names a SARIF log of dostup's carries. Code scanning keys a tool's
// alerts on the driver's name, and matches results across runs on the
// fingerprint's key: changing either reopens every alert.
const (
	sarifToolName       = "dostup"
	sarifInformationURI = "https://github.com/dostup/dostup"
	sarifSchemaURI      = "https://json.schemastore.org/sarif-2.1.0.json"
	// SARIFBaseID is the uriBaseId of the artifact locations under the
	// base folder, the name the SARIF specification suggests for the root
	// of the sources, so that viewers which ask where it is recognise it.
	SARIFBaseID = "%SRCROOT%"
	// SARIFFingerprintKey is the partialFingerprints key of a result;
	// its version goes up when what is hashed changes, so that code
	// scanning does not match old alerts with new hashes of other fields.
	SARIFFingerprintKey = "dostup/v1"
)

// SARIFConfig says how WriteSARIF's log is written, for a caller that
// knows better than the report where the files' root is: code scanning
// resolves a relative URI against the repository's root, which need not
// be the folder dostup linted.
type SARIFConfig struct {
	// Version is dostup's version, the log's tool.driver.version.
	Version string
	// BaseDir is the folder artifact URIs are relative to (under
	// SARIFBaseID); "" writes relative paths as they are and absolute
	// ones as file URIs.
	BaseDir string
}

// WriteSARIF writes r to w as a SARIF 2.1.0 log for code scanning, one
// run of tool dostup at version, with the files' URIs relative to the
// report's Path when that is a folder (a dump or configuration), the root
// a repository of the configuration has.
func WriteSARIF(w io.Writer, r *Report, version string) error {
	c := SARIFConfig{Version: version}
	if fi, err := os.Stat(r.Path); err == nil && fi.IsDir() {
		c.BaseDir = r.Path
	}
	return c.Write(w, r)
}

// Write writes r to w as a SARIF 2.1.0 log: indented JSON ending in a
// newline, the same bytes for the same report and base folder.
func (c SARIFConfig) Write(w io.Writer, r *Report) error {
	base := ""
	if c.BaseDir != "" {
		abs, err := filepath.Abs(c.BaseDir)
		if err != nil {
			return fmt.Errorf("sarif: base folder %s: %w", c.BaseDir, err)
		}
		base = abs
	}

	run := sarif.NewRunWithInformationURI(sarifToolName, sarifInformationURI)
	if c.Version != "" {
		run.Tool.Driver.WithVersion(c.Version)
	}
	// Positions of dostup's findings count characters, as bsl's do, not
	// the UTF-16 units SARIF assumes without this.
	run.WithColumnKind("unicodeCodePoints")
	if base != "" {
		// Not AddOriginalUriBaseId: NewRun leaves the map nil and it panics.
		run.WithOriginalUriBaseIds(map[string]sarif.ArtifactLocation{
			SARIFBaseID: *sarif.NewArtifactLocation().WithURI(sarifFileURI(base, true)),
		})
	}

	index := map[string]int{}
	for i, rule := range sarifRules(r.Findings) {
		index[rule.Code] = i
		d := run.AddRule(rule.Code).WithDescription(rule.Short).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(rule.Severity)))
		if rule.Help != "" {
			d.WithFullDescription(sarif.NewMultiformatMessageString().WithText(rule.Help)).
				WithHelp(sarif.NewMultiformatMessageString().WithText(rule.Help))
		}
	}

	for _, f := range r.Findings {
		res := sarif.NewRuleResult(f.Code).WithRuleIndex(index[f.Code]).
			WithLevel(sarifLevel(f.Severity)).WithMessage(sarif.NewTextMessage(f.Message))
		uri, baseID := sarifArtifactURI(base, f.File)
		if uri != "" {
			res.AddLocation(sarifLocation(f, uri, baseID))
		}
		res.WithPartialFingerprints(map[string]string{SARIFFingerprintKey: sarifFingerprint(f, uri)})
		if props := sarifProperties(f); props != nil {
			res.WithProperties(props)
		}
		run.AddResult(res)
	}

	log := sarif.NewReport()
	// The schema store's address is the one code scanning's own examples
	// and editors know; the library's default points into a repository.
	log.Schema = sarifSchemaURI
	log.AddRun(run)
	var buf bytes.Buffer
	if err := log.PrettyWrite(&buf); err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// sarifRules are the rules of the codes findings have, in the order of
// Rules and then the other codes' alphabetically, so that a rule's index
// does not depend on which finding came first. A code lint does not know
// (a BSL check's) gets its code as description and the worst severity of
// its findings as default level.
func sarifRules(findings []Finding) []Rule {
	unknown := map[string]string{}
	seen := map[string]bool{}
	for _, f := range findings {
		seen[f.Code] = true
		if _, ok := RuleOf(f.Code); ok {
			continue
		}
		if sev, ok := unknown[f.Code]; !ok || sarifSeverityRank(f.Severity) > sarifSeverityRank(sev) {
			unknown[f.Code] = f.Severity
		}
	}
	var out []Rule
	for _, rule := range Rules {
		if seen[rule.Code] {
			out = append(out, rule)
		}
	}
	var others []Rule
	for code, sev := range unknown {
		others = append(others, Rule{Code: code, Severity: sev, Short: code})
	}
	slices.SortFunc(others, func(a, b Rule) int { return cmp.Compare(a.Code, b.Code) })
	return append(out, others...)
}

// sarifSeverityRank orders severities, lint's and bsl's, worst highest.
func sarifSeverityRank(sev string) int {
	switch sev {
	case audit.SeverityError:
		return 3
	case audit.SeverityWarning:
		return 2
	case audit.SeverityInfo, "note":
		return 1
	}
	return 0
}

// sarifLevel is SARIF's level of a severity. An unknown severity is a
// warning, SARIF's own default, rather than an error that would fail a
// build nobody asked to fail.
func sarifLevel(sev string) string {
	switch sev {
	case audit.SeverityError:
		return sarif.LevelError
	case audit.SeverityInfo, "note":
		return sarif.LevelNote
	}
	return sarif.LevelWarning
}

// sarifLocation is the place of f in file uri, with the object and role
// it is about as logical locations, so that a viewer can group results by
// them.
func sarifLocation(f Finding, uri, baseID string) *sarif.Location {
	al := sarif.NewArtifactLocation().WithURI(uri)
	if baseID != "" {
		al.WithURIBaseID(baseID)
	}
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(al)
	if f.Line > 0 {
		region := sarif.NewRegion().WithStartLine(f.Line)
		if f.Col > 0 {
			region.WithStartColumn(f.Col)
		}
		pl.WithRegion(region)
	}
	loc := sarif.NewLocationWithPhysicalLocation(pl)
	if f.Object != "" {
		loc.AddLogicalLocation(sarif.NewLogicalLocation().WithName(f.Object).
			WithFullyQualifiedName(f.Object).WithKind("object"))
	}
	if f.Role != "" {
		loc.AddLogicalLocation(sarif.NewLogicalLocation().WithName(f.Role).
			WithFullyQualifiedName("Роль." + f.Role).WithKind("role"))
	}
	return loc
}

// sarifProperties are the fields of f that SARIF has no place for, so
// that a consumer can filter on them without parsing the message; nil
// when f has none.
func sarifProperties(f Finding) *sarif.PropertyBag {
	props := sarif.NewPropertyBag()
	for _, kv := range [][2]string{
		{"subject", f.Subject}, {"role", f.Role}, {"user", f.User}, {"right", f.Right}, {"object", f.Object},
	} {
		if kv[1] != "" {
			props.Add(kv[0], kv[1])
		}
	}
	if len(props.Properties) == 0 {
		return nil
	}
	return props
}

// sarifFingerprint identifies f across runs by what it is about, not by its
// line, so that an alert stays the same alert when lines above it move.
// The file is in it because BSL findings of two modules often have the
// same code and message and nothing else.
func sarifFingerprint(f Finding, uri string) string {
	h := sha256.New()
	for _, s := range []string{f.Code, f.Subject, f.Role, f.Right, f.Object, f.Message, uri} {
		h.Write([]byte(s))
		h.Write([]byte{0}) // so that ("ab", "c") and ("a", "bc") differ
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sarifArtifactURI is the URI of file and the uriBaseId it is relative to: a
// path under base (absolute) is relative to it. A relative file is taken
// from the current folder, as a path on dostup's command line is, and
// failing that from base, as a dump's own paths are. Any other file gets
// an absolute file URI, since a relative URI with a base id resolves to
// another file. "" for no file.
func sarifArtifactURI(base, file string) (uri, baseID string) {
	if file == "" {
		return "", ""
	}
	if base == "" {
		if filepath.IsAbs(file) {
			return sarifFileURI(file, false), ""
		}
		return sarifEscapePath(filepath.ToSlash(filepath.Clean(file))), ""
	}
	abs := file
	if !filepath.IsAbs(file) {
		if a, err := filepath.Abs(file); err == nil {
			abs = a
		}
	}
	if rel, err := filepath.Rel(base, abs); err == nil && filepath.IsLocal(rel) {
		return sarifEscapePath(filepath.ToSlash(rel)), SARIFBaseID
	}
	if !filepath.IsAbs(file) && filepath.IsLocal(file) {
		return sarifEscapePath(filepath.ToSlash(filepath.Clean(file))), SARIFBaseID
	}
	return sarifFileURI(abs, false), ""
}

// sarifFileURI is the file URI of an absolute path; a folder's ends in a slash,
// as SARIF requires of a base id's URI so that relative ones resolve
// under it rather than beside it.
func sarifFileURI(path string, folder bool) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x is file:///C:/x
	}
	segs := strings.Split(p[1:], "/")
	drive := len(segs[0]) == 2 && segs[0][1] == ':' && sarifIsLetter(segs[0][0])
	uri := "file:///"
	if drive {
		uri += segs[0] + "/"
		segs = segs[1:]
	}
	uri += sarifEscapePath(strings.Join(segs, "/"))
	if folder && !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	return uri
}

// sarifEscapePath percent-encodes a slash-separated path for a URI: every
// byte but RFC 3986's unreserved characters, so that Cyrillic names,
// spaces, '#', '%', and a ':' that would read as a scheme all survive.
func sarifEscapePath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '/' || sarifIsLetter(c) || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// sarifIsLetter is an ASCII letter test: a URI's letters are ASCII, and
// unicode.IsLetter would let Cyrillic through unencoded.
func sarifIsLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

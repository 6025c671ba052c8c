package lint

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"dostup/audit"
	"dostup/bsl"
	"dostup/metadata"
	"dostup/metadata/vocab"
	"dostup/onecxml"
	"dostup/rls/rlscheck"
	"dostup/sdbl/ast"
	"dostup/sdbl/token"
	"dostup/sqlgen"
	"dostup/sqlgen/querycheck"
	"dostup/sqlgen/sqlite"
)

// Input is what lint reads: a configuration and where it came from.
type Input struct {
	// Path names the input in the report.
	Path string
	// Target is the configuration, and for a Configurator dump its
	// Rights.xml files, so that findings point at the XML.
	Target *rlscheck.Target
	// Root is the folder of a Configurator dump, whose modules the
	// query-in-module and BSL checks read; "" for a dostup configuration or
	// an infobase.
	Root string
	// HeldTogether, for an infobase, are the role sets its users hold:
	// restriction-differs-across-roles then reports only roles some user
	// holds together. Nil means any roles may be held together.
	HeldTogether [][]string
}

// Options configure Run.
type Options struct {
	// Policy is what the audit's rules hold roles to; the zero Policy means
	// audit.DefaultPolicy.
	Policy *audit.Policy
	// Dialect the restrictions and queries are compiled for; nil is SQLite.
	Dialect sqlgen.Dialect
	// BSL runs the BSL checks over the dump's modules.
	BSL bool
	// Settings turn codes off or change their severity (lint.yaml); nil
	// keeps every code at its default.
	Settings *Settings
	// Workers bounds the goroutines compiling restrictions; 0 is one per
	// CPU.
	Workers int
}

// Run lints a configuration.
func Run(ctx context.Context, in Input, opts Options) (*Report, error) {
	cfg := in.Target.Config
	policy := audit.DefaultPolicy()
	if opts.Policy != nil {
		policy = *opts.Policy
	}
	dialect := opts.Dialect
	if dialect == nil {
		dialect = sqlite.New()
	}
	pl, err := placesOf(in.Target)
	if err != nil {
		return nil, err
	}
	l := &linter{cfg: cfg, places: pl, settings: opts.Settings, moduleRegions: map[string]map[string][]region{}}
	for _, f := range audit.ConfigurationFindings(cfg, policy) {
		l.add(f, pl.about(f.Role, f.Object, f.Right))
	}
	if err := l.restrictions(ctx, in.Target, dialect, opts.Workers); err != nil {
		return nil, err
	}
	l.templates()
	l.rightsPerRole()
	l.acrossRoles(in.HeldTogether)
	l.references()
	var modules []module
	if in.Root != "" {
		if modules, err = readModules(in.Root); err != nil {
			return nil, err
		}
		for _, m := range modules {
			if strings.Contains(m.src, "-выкл") || strings.Contains(m.src, "-off") {
				l.moduleRegions[m.path] = offRegions(m.src)
			}
		}
		l.moduleQueries(modules, dialect)
		if opts.BSL {
			if err := l.bslChecks(in.Root, modules); err != nil {
				return nil, err
			}
		}
	}
	r := &Report{Path: in.Path, Counts: map[string]int{}}
	for _, f := range l.out {
		if opts.Settings != nil {
			var keep bool
			if f, keep = opts.Settings.apply(f); !keep {
				r.Suppressed++
				continue
			}
		}
		if l.suppressedInModule(f) {
			r.Suppressed++
			continue
		}
		r.Findings = append(r.Findings, f)
		r.Counts[f.Code]++
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	sortFindings(r.Findings)
	return r, nil
}

// linter collects the findings of one run.
type linter struct {
	cfg      *metadata.Configuration
	places   *places
	settings *Settings
	// moduleRegions are the lines each module turns checks off, for the
	// modules that do (suppress.go).
	moduleRegions map[string]map[string][]region
	out           []Finding
}

func (l *linter) add(f audit.Finding, at place) {
	if f.Severity == "" {
		if r, ok := RuleOf(f.Code); ok {
			f.Severity = r.Severity
		}
	}
	l.out = append(l.out, Finding{Finding: f, File: at.File, Line: at.Line, Col: at.Col})
}

// objectName is an object's full name in the configuration's language, as
// the audit names it.
func (l *linter) objectName(written string) string {
	if o := l.cfg.Object(written); o != nil {
		return o.FullName(l.cfg.English)
	}
	return written
}

// restrictions compiles every restriction (restriction-syntax,
// restriction-bind) and looks at every variant's text
// (constant-restriction).
func (l *linter) restrictions(ctx context.Context, t *rlscheck.Target, d sqlgen.Dialect, workers int) error {
	rep, err := rlscheck.Compile(ctx, t, rlscheck.CompileOptions{Dialect: d, Workers: workers})
	if err != nil {
		return err
	}
	// One finding per restriction the compiler rejects: its first
	// problem, where a later one is often a cascade of it.
	type key struct{ role, object, right string }
	first := map[key]rlscheck.Failure{}
	more := map[key]int{}
	var order []key
	for _, f := range rep.Failures {
		k := key{strings.ToLower(f.Role), strings.ToLower(l.objectName(f.Object)), strings.ToLower(f.Right)}
		if _, ok := first[k]; ok {
			more[k]++
			continue
		}
		first[k] = f
		order = append(order, k)
	}
	for _, k := range order {
		f := first[k]
		code := CodeRestrictionBind
		switch f.Code {
		case "syntax", "template", "preprocessor":
			code = CodeRestrictionSyntax
		}
		object, right := l.objectName(f.Object), metadata.RightName(f.Right, false)
		msg := fmt.Sprintf("role %s, %s, %s: %s", f.Role, object, right, f.Message)
		switch n := more[k]; {
		case n == 1:
			msg += " (and 1 more problem)"
		case n > 1:
			msg += fmt.Sprintf(" (and %d more problems)", n)
		}
		l.add(audit.Finding{Code: code, Subject: "Роль." + f.Role, Role: f.Role, Right: right, Object: object, Message: msg},
			place{File: f.File, Line: f.Line, Col: f.Col})
	}
	l.constants()
	return nil
}

// constants reports the rights whose restrictions give one constant for
// every variant the preprocessor can make.
func (l *linter) constants() {
	type key struct{ role, object, right string }
	type outcome struct {
		value   token.Keyword // token.True or token.False while every variant agrees
		varying bool
	}
	seen := map[key]*outcome{}
	var order []key
	var mu sync.Mutex // Visit is called from several goroutines
	rlscheck.CheckConfiguration(l.cfg, rlscheck.CheckOptions{Visit: func(v rlscheck.Variant) {
		value := constantOf(v.Tree)
		mu.Lock()
		defer mu.Unlock()
		k := key{v.Role, l.objectName(v.Object), v.Right}
		o, ok := seen[k]
		if !ok {
			o = &outcome{value: value}
			seen[k] = o
			order = append(order, k)
		}
		if value == token.NoKeyword || value != o.value {
			o.varying = true
		}
	}})
	for _, k := range order {
		o := seen[k]
		if o.varying || o.value == token.False && l.hidesFields(k.role, k.object, k.right) {
			continue
		}
		what := "ИСТИНА for every session: it restricts nothing"
		if o.value == token.False {
			what = "ЛОЖЬ for every session: no record passes it"
		}
		right := metadata.RightName(k.right, false)
		l.add(audit.Finding{Code: CodeConstantRestriction, Subject: "Роль." + k.role, Role: k.role, Right: right, Object: k.object,
			Message: fmt.Sprintf("role %s restricts %s of %s with a condition that, after templates and the preprocessor, is %s", k.role, right, k.object, what)},
			l.places.restriction(k.role, k.object, k.right))
	}
}

// hidesFields reports whether every restriction of a right names fields:
// ГДЕ ЛОЖЬ is then 1C's way of hiding those fields' values, not a mistake.
func (l *linter) hidesFields(role, object, right string) bool {
	r := l.cfg.Role(role)
	if r == nil {
		return false
	}
	for _, or := range r.Objects {
		if !strings.EqualFold(l.objectName(or.Object), object) {
			continue
		}
		named := false
		for _, x := range or.Restrictions {
			if strings.EqualFold(x.Right, right) {
				if len(x.Fields) == 0 {
					return false
				}
				named = true
			}
		}
		return named
	}
	return false
}

// constantOf is ИСТИНА or ЛОЖЬ when a restriction's condition is that
// constant (in parentheses or not), else NoKeyword. A text without ГДЕ
// reads every record: ИСТИНА.
func constantOf(tree *ast.Restriction) token.Keyword {
	if tree == nil {
		return token.NoKeyword
	}
	if tree.Where == nil {
		if len(tree.From) == 0 {
			return token.True
		}
		return token.NoKeyword
	}
	e := tree.Where
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			break
		}
		e = p.X
	}
	if c, ok := e.(*ast.Constant); ok && len(tree.From) == 0 && (c.Value == token.True || c.Value == token.False) {
		return c.Value
	}
	return token.NoKeyword
}

// templates reports the templates of each role that none of its
// restrictions calls, directly or through another template.
func (l *linter) templates() {
	for _, role := range l.cfg.Roles {
		if len(role.Templates) == 0 {
			continue
		}
		defined := map[string]*metadata.Template{}
		for _, t := range role.Templates {
			defined[templateName(t.Name)] = t
		}
		used := map[string]bool{}
		var visit func(text string)
		visit = func(text string) {
			for _, name := range templateCalls(text) {
				if t, ok := defined[name]; ok && !used[name] {
					used[name] = true
					visit(t.Condition.Text)
				}
			}
		}
		for _, or := range role.Objects {
			for _, x := range or.Restrictions {
				visit(x.Condition.Text)
			}
		}
		for _, t := range role.Templates {
			name := templateName(t.Name)
			if used[name] {
				continue
			}
			l.add(audit.Finding{Code: CodeUnusedTemplate, Subject: "Роль." + role.Name, Role: role.Name,
				Message: fmt.Sprintf("role %s defines the restriction template %s, which none of its restrictions uses", role.Name, strings.TrimSpace(t.Name))},
				l.places.template(role.Name, name))
		}
	}
}

// templateName is a template's name without its parameter list, lower-cased.
func templateName(decl string) string {
	name, _, _ := strings.Cut(decl, "(")
	return strings.ToLower(strings.TrimSpace(name))
}

// preprocessorWords are the directives a # starts that are not template
// calls.
var preprocessorWords = map[string]bool{
	"если": true, "тогда": true, "иначеесли": true, "иначе": true, "конецесли": true,
	"if": true, "then": true, "elsif": true, "else": true, "endif": true,
}

// templateCalls lists the templates a text calls: #Имя or #Имя(...).
func templateCalls(text string) []string {
	var out []string
	for i := 0; i < len(text); i++ {
		if text[i] != '#' {
			continue
		}
		j := i + 1
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			j += n
		}
		if name := strings.ToLower(text[i+1 : j]); name != "" && !preprocessorWords[name] {
			out = append(out, name)
		}
		i = j - 1
	}
	return out
}

// rightsPerRole reports, role by role and object by object, Добавление
// restricted otherwise than Изменение and Изменение left open while Чтение
// is restricted.
func (l *linter) rightsPerRole() {
	for _, role := range l.cfg.Roles {
		if strings.EqualFold(role.Name, "ПолныеПрава") || strings.EqualFold(role.Name, "АдминистраторСистемы") {
			continue // rls-in-standard-role says what is wrong there
		}
		for _, or := range role.Objects {
			object := l.objectName(or.Object)
			read, insert, update := conditions(or, vocab.Read), conditions(or, vocab.Insert), conditions(or, vocab.Update)
			if or.Has(string(vocab.Insert)) && or.Has(string(vocab.Update)) && withoutRightNames(insert) != withoutRightNames(update) {
				l.add(audit.Finding{Code: CodeInsertUpdateDiffer, Subject: "Роль." + role.Name, Role: role.Name, Right: "Добавление", Object: object,
					Message: fmt.Sprintf("role %s restricts Добавление of %s otherwise than Изменение: %s", role.Name, object, difference(insert, update))},
					l.places.restriction(role.Name, object, string(vocab.Insert)))
			}
			if or.Has(string(vocab.Update)) && update == "" && read != "" {
				l.add(audit.Finding{Code: CodeUpdateLessRestrictedThanRead, Subject: "Роль." + role.Name, Role: role.Name, Right: "Изменение", Object: object,
					Message: fmt.Sprintf("role %s lets its users change every record of %s while it restricts which records they read", role.Name, object)},
					l.places.restriction(role.Name, object, string(vocab.Read)))
			}
		}
	}
}

// conditions is the restriction of a right as one comparable text: each
// restriction's fields and condition with blanks squeezed, in order; ""
// when the right is not restricted.
func conditions(or *metadata.ObjectRights, right vocab.Right) string {
	var parts []string
	for _, x := range or.Restrictions {
		if r, ok := vocab.ParseRight(x.Right); ok && r == right {
			part := strings.Join(strings.Fields(x.Condition.Text), " ")
			if len(x.Fields) > 0 {
				part = "[" + strings.ToLower(strings.Join(x.Fields, ", ")) + "] " + part
			}
			parts = append(parts, part)
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, "\n")
}

// rightNames are the names of Добавление and Изменение as restriction
// texts pass them to templates ("Добавление"), which the Standard
// Subsystems Library does in every restriction it writes for both rights.
var rightNames = regexp.MustCompile(`(?i)"(Добавление|Изменение|Insert|Update)"`)

// withoutRightNames is a restriction with the right names it passes made
// one: the same restriction written for Добавление and for Изменение.
func withoutRightNames(cond string) string {
	return rightNames.ReplaceAllString(cond, `"#ИмяТекущегоПраваДоступа"`)
}

// difference says where two restrictions of one object part, for a
// message: the first place their texts differ, a little of each from there.
func difference(insert, update string) string {
	switch {
	case insert == "":
		return "Добавление is not restricted"
	case update == "":
		return "Изменение is not restricted"
	}
	a, b := []rune(insert), []rune(update)
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-20)
	snippet := func(r []rune) string {
		end := min(len(r), i+40)
		s := strings.ReplaceAll(string(r[from:end]), "\n", " ")
		if from > 0 {
			s = "…" + s
		}
		if end < len(r) {
			s += "…"
		}
		return "«" + s + "»"
	}
	return fmt.Sprintf("Добавление has %s where Изменение has %s", snippet(a), snippet(b))
}

// acrossRoles reports objects and rights restricted with different texts
// in roles one user may hold: every pair of roles for a configuration, the
// roles some user holds together for an infobase.
func (l *linter) acrossRoles(held [][]string) {
	type grant struct {
		role string
		cond string
	}
	type key struct{ object, right string }
	byKey := map[key][]grant{}
	var keys []key
	for _, role := range l.cfg.Roles {
		for _, or := range role.Objects {
			object := l.objectName(or.Object)
			for _, right := range restrictedRights(or) {
				k := key{object, string(right)}
				if _, ok := byKey[k]; !ok {
					keys = append(keys, k)
				}
				byKey[k] = append(byKey[k], grant{role.Name, conditions(or, right)})
			}
		}
	}
	for _, k := range keys {
		grants := byKey[k]
		var sets [][]string
		if held == nil {
			names := make([]string, len(grants))
			for i, g := range grants {
				names[i] = g.role
			}
			sets = [][]string{names}
		} else {
			sets = held
		}
		reported := map[string]bool{}
		for _, set := range sets {
			texts := map[string][]string{}
			for _, g := range grants {
				if slices.ContainsFunc(set, func(r string) bool { return strings.EqualFold(r, g.role) }) {
					texts[g.cond] = append(texts[g.cond], g.role)
				}
			}
			if len(texts) < 2 {
				continue
			}
			var groups []string
			var roles []string
			for _, cond := range slices.Sorted(maps.Keys(texts)) {
				groups = append(groups, strings.Join(texts[cond], ", "))
				roles = append(roles, texts[cond]...)
			}
			slices.Sort(groups)
			id := strings.Join(groups, "|")
			if reported[id] {
				continue
			}
			reported[id] = true
			right := metadata.RightName(k.right, false)
			first := roles[0]
			for _, r := range roles {
				if r < first {
					first = r
				}
			}
			l.add(audit.Finding{Code: CodeRestrictionDiffersAcrossRoles, Subject: k.object, Right: right, Object: k.object, Role: first,
				Message: fmt.Sprintf("%s of %s is restricted with %d different texts in roles one user may hold together (%s): 1C joins them with ИЛИ in every query", right, k.object, len(texts), strings.Join(groups, "; "))},
				l.places.restriction(first, k.object, k.right))
		}
	}
}

// restrictedRights are the rights of an entry that it restricts and grants.
func restrictedRights(or *metadata.ObjectRights) []vocab.Right {
	var out []vocab.Right
	for _, x := range or.Restrictions {
		if r, ok := vocab.ParseRight(x.Right); ok && or.Has(string(r)) && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// references reports, per role, objects the role reads without a
// restriction whose attributes reference objects the role reads with one.
func (l *linter) references() {
	for _, role := range l.cfg.Roles {
		restrictedRead := map[string]bool{}
		for _, or := range role.Objects {
			if or.Has(string(vocab.Read)) && conditions(or, vocab.Read) != "" {
				restrictedRead[strings.ToLower(l.objectName(or.Object))] = true
			}
		}
		if len(restrictedRead) == 0 {
			continue
		}
		for _, or := range role.Objects {
			if !or.Has(string(vocab.Read)) || conditions(or, vocab.Read) != "" {
				continue
			}
			obj := l.cfg.Object(or.Object)
			if obj == nil {
				continue
			}
			refs := referencedRestricted(l, obj, restrictedRead)
			if len(refs) == 0 {
				continue
			}
			object := obj.FullName(l.cfg.English)
			shown := refs
			if len(shown) > 3 {
				shown = append(slices.Clone(shown[:3]), fmt.Sprintf("%d more", len(refs)-3))
			}
			l.add(audit.Finding{Code: CodeUnrestrictedReference, Subject: "Роль." + role.Name, Role: role.Name, Right: "Чтение", Object: object,
				Message: fmt.Sprintf("role %s reads every record of %s, whose attributes reference %s, which the role restricts: its lists show references to records the user cannot open", role.Name, object, strings.Join(shown, ", "))},
				l.places.object(role.Name, object))
		}
	}
}

// referencedRestricted lists the restricted objects an object's attributes
// (its own and its tabular sections') reference.
func referencedRestricted(l *linter, obj *metadata.Object, restricted map[string]bool) []string {
	var out []string
	self := strings.ToLower(obj.FullName(l.cfg.English))
	look := func(attrs []*metadata.Attribute) {
		for _, a := range attrs {
			for _, s := range a.Type {
				if s.Primitive != metadata.Ref || s.Object == "" {
					continue
				}
				name := l.objectName(s.Object)
				if k := strings.ToLower(name); restricted[k] && k != self && !slices.Contains(out, name) {
					out = append(out, name)
				}
			}
		}
	}
	look(obj.Attributes)
	for _, ts := range obj.TabularSections {
		look(ts.Attributes)
	}
	slices.Sort(out)
	return out
}

// module is a module of a dump, read once for the checks that read
// modules.
type module struct {
	path string
	src  string
}

// readModules reads the modules of a dump.
func readModules(root string) ([]module, error) {
	paths, err := bsl.FindModules(root)
	if err != nil {
		return nil, err
	}
	out := make([]module, 0, len(paths))
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, module{path: p, src: string(src)})
	}
	return out, nil
}

// moduleQueries compiles the self-contained literal query texts of the
// modules (query-in-module), as dostup query check does.
func (l *linter) moduleQueries(modules []module, d sqlgen.Dialect) {
	var texts []querycheck.Text
	for _, m := range modules {
		for _, q := range bsl.QueryTexts(m.src) {
			if q.SelfContained && len(querycheck.Outside(q.Text)) == 0 {
				texts = append(texts, querycheck.Text{File: m.path, Line: q.Line, Col: q.Col, Body: q.Text})
			}
		}
	}
	rep := querycheck.Check(l.cfg, d, texts)
	// One finding per text: its first problem.
	type key struct {
		file string
		text int
	}
	starts := map[string][]int{} // file → lines where its texts start
	for _, t := range texts {
		starts[t.File] = append(starts[t.File], t.Line)
	}
	seen := map[key]bool{}
	for _, f := range rep.Failures {
		lines := starts[f.File]
		i, _ := slices.BinarySearch(lines, f.Line+1)
		k := key{f.File, i - 1}
		if seen[k] {
			continue
		}
		seen[k] = true
		l.add(audit.Finding{Code: CodeQueryInModule, Subject: moduleSubject(f.File), Message: "the query does not compile: " + f.Message},
			place{File: f.File, Line: f.Line, Col: f.Col})
	}
}

// moduleSubject names a module's object as 1C does from its path in the
// dump: Catalogs/X/Ext/ObjectModule.bsl is Справочник.X.
func moduleSubject(path string) string {
	parts := strings.Split(filepath.ToSlash(path), "/")
	for i := len(parts) - 1; i > 0; i-- {
		if parts[i] == "Ext" && i >= 2 {
			for _, k := range onecxml.Kinds() {
				if strings.EqualFold(k.Folder, parts[i-2]) {
					return k.RU + "." + parts[i-1]
				}
			}
			return parts[i-2] + "." + parts[i-1]
		}
	}
	return filepath.Base(path)
}

// bslChecks runs the BSL checks over the modules of the dump.
func (l *linter) bslChecks(root string, modules []module) error {
	var loader bsl.Loader
	mods := make([]*bsl.Module, 0, len(modules))
	for _, m := range modules {
		mod, err := loader.Load(m.path)
		if err != nil {
			continue // not a module of a known place: its queries were still checked
		}
		mods = append(mods, mod)
	}
	common, err := bsl.LoadCommonModules(root)
	if err != nil {
		return err
	}
	for _, f := range bsl.CheckWith(mods, common) {
		sev := string(f.Severity)
		if f.Severity == bsl.SeverityNote {
			sev = audit.SeverityInfo
		}
		l.add(audit.Finding{Code: f.Code, Severity: sev, Subject: moduleSubject(f.File), Message: f.Message},
			place{File: f.File, Line: f.Line, Col: f.Col})
	}
	return nil
}

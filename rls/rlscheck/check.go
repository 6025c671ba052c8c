package rlscheck

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"dostup/metadata"
	"dostup/onecxml"
	"dostup/rls"
	"dostup/sdbl/ast"
	"dostup/sdbl/lexer"
	"dostup/sdbl/parser"
	"dostup/sdbl/preproc"
	"dostup/sdbl/source"
	"dostup/sdbl/template"
	"dostup/sdbl/token"
)

// CheckOptions configures Check.
type CheckOptions struct {
	// Params pins session parameters to values (string, bool or float64), so
	// the preprocessor takes their branches and fewer variants remain.
	Params preproc.Params
	// VariantLimit is how many variants a restriction may have before the
	// preprocessor switches from enumerating all of them to covering every
	// branch; 0 means the preprocessor's default.
	VariantLimit int
	// Workers is how many role files are checked at once; 0 means one per CPU.
	Workers int
	// Visit, when set, is called for every variant checked, from several
	// goroutines at once: tools use it to look at the texts (explain, lint,
	// the printer's round-trip test over real configurations).
	Visit func(v Variant)
}

// Variant is one text a restriction can yield, as Check met it.
type Variant struct {
	Role, Object, Right string
	Text                source.Text
	Assumptions         []preproc.Assumption // the choices of unknown session parameters that give it
	Message             string               // the message of a message variant
	Tree                *ast.Restriction     // nil for a message variant or a text that does not parse
	Err                 error                // the parse error, if any
}

// Failure is one problem of one restriction, at the place it was written.
type Failure struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	// Code is the stage's code of the problem (syntax, template,
	// preprocessor, bind, no-field), as source.Error has it; "" when the
	// problem has none.
	Code    string `json:"code"`
	Role    string `json:"role"`
	Object  string `json:"object"`
	Right   string `json:"right"`
	Message string `json:"message"`
	// SQL is the compiled statement that failed to run (dostup rls compile).
	SQL string `json:"sql,omitempty"`
}

// String formats the failure as "file:line:col: role R, Catalog.X, Read: message".
func (f Failure) String() string {
	p := source.Position{Filename: f.File, Line: f.Line, Column: f.Col}
	where := "role " + f.Role
	if f.Object != "" {
		where += ", " + f.Object
	}
	if f.Right != "" {
		where += ", " + f.Right
	}
	return fmt.Sprintf("%s: %s: %s", p, where, f.Message)
}

// Report is the outcome of Check.
type Report struct {
	Restrictions    int       `json:"restrictions"`
	OK              int       `json:"ok"`
	Failed          int       `json:"failed"`
	Variants        int       `json:"variants"`         // variant texts checked, message variants included
	MessageVariants int       `json:"message_variants"` // of which were messages
	Failures        []Failure `json:"failures"`
	// Sampled counts restrictions with too many variants to enumerate,
	// checked by covering every branch of every #Если instead.
	Sampled int `json:"sampled"`
	// Uncovered counts live #Если branches that no checked variant took:
	// coverage gave up before reaching them, so they were not parsed.
	Uncovered int `json:"uncovered_branches"`
	// Unreachable are variants dostup rls compile shows no session
	// consistent with the configuration's metadata can choose, each with
	// its reason (unreachable.go); they are not failures.
	Unreachable []Failure `json:"unreachable,omitempty"`
}

// Summary is the report's closing line:
// "<N> restrictions: <K> ok, <F> failed (<V> variants, <M> message variants)".
func (r *Report) Summary() string {
	return fmt.Sprintf("%d restrictions: %d ok, %d failed (%d variants, %d message variants)",
		r.Restrictions, r.OK, r.Failed, r.Variants, r.MessageVariants)
}

// Check checks every restriction of the roles found under paths (dump roots,
// Roles folders or Rights.xml files). It returns an error only when input
// cannot be found or read; problems in restriction texts are in the report.
func Check(paths []string, opts CheckOptions) (*Report, error) {
	files, err := onecxml.FindRights(paths...)
	if err != nil {
		return nil, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	langs := &languageCache{byConfig: map[string]bool{}}
	memo := newOutcomes()
	reports := make([]*Report, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				reports[i], errs[i] = checkRightsFile(files[i], opts, langs, memo)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	total := &Report{Failures: []Failure{}}
	for i := range files {
		if errs[i] != nil {
			return nil, errs[i]
		}
		total.add(reports[i])
	}
	return total, nil
}

func (r *Report) add(o *Report) {
	r.Restrictions += o.Restrictions
	r.OK += o.OK
	r.Failed += o.Failed
	r.Variants += o.Variants
	r.MessageVariants += o.MessageVariants
	r.Sampled += o.Sampled
	r.Uncovered += o.Uncovered
	r.Failures = append(r.Failures, o.Failures...)
	r.Unreachable = append(r.Unreachable, o.Unreachable...)
}

// CheckRightsFile checks the restrictions of one Rights.xml file.
func CheckRightsFile(path string, opts CheckOptions) (*Report, error) {
	return checkRightsFile(path, opts, &languageCache{byConfig: map[string]bool{}}, newOutcomes())
}

// languageCache remembers the language of each Configuration.xml, which
// every role of a dump shares and which is slow to read.
type languageCache struct {
	mu       sync.Mutex
	byConfig map[string]bool
}

func checkRightsFile(path string, opts CheckOptions, langs *languageCache, memo *outcomes) (*Report, error) {
	rights, err := onecxml.ReadRights(path)
	if err != nil {
		return nil, err
	}
	russian := langs.russian(path, rights)
	c := &checker{opts: opts, role: rights.Role, russian: russian, report: &Report{Failures: []Failure{}}, memo: memo}
	var defs []templateDef
	for _, t := range rights.Templates {
		defs = append(defs, templateDef{t.Name, t.Condition})
	}
	c.buildTemplates(defs)
	for _, obj := range rights.Objects {
		for _, right := range obj.Rights {
			for _, restr := range right.Restrictions {
				ctx := template.Context{
					Table: onecxml.TableName(obj.Name, c.russian),
					Right: onecxml.RightName(right.Name, c.russian),
				}
				c.checkRestriction(obj.Name, right.Name, ctx, restr.Condition, nil, checkOnly)
			}
		}
	}
	return c.report, nil
}

// CheckConfiguration checks every restriction of the roles of a loaded
// configuration, as Check does for a dump.
func CheckConfiguration(cfg *metadata.Configuration, opts CheckOptions) *Report {
	total := &Report{Failures: []Failure{}}
	memo := newOutcomes()
	for _, role := range cfg.Roles {
		c := &checker{opts: opts, role: role.Name, russian: !cfg.English, report: &Report{Failures: []Failure{}}, memo: memo}
		var defs []templateDef
		for _, t := range role.Templates {
			defs = append(defs, templateDef{t.Name, t.Condition})
		}
		c.buildTemplates(defs)
		for _, or := range role.Objects {
			obj := cfg.Object(or.Object)
			for _, r := range or.Restrictions {
				ctx := template.Context{Table: obj.FullName(cfg.English), Right: metadata.RightName(r.Right, cfg.English)}
				c.checkRestriction(obj.FullName(cfg.English), r.Right, ctx, r.Condition, nil, checkOnly)
			}
		}
		total.add(c.report)
	}
	return total
}

// russian decides the language of names in restriction texts: the
// configuration's ScriptVariant when Configuration.xml is found, else a guess
// from the keywords of the role's own texts.
func (c *languageCache) russian(path string, rights *onecxml.Rights) bool {
	if cfgPath, ok := onecxml.FindConfiguration(path); ok {
		c.mu.Lock()
		defer c.mu.Unlock()
		if ru, ok := c.byConfig[cfgPath]; ok {
			return ru
		}
		if cfg, err := onecxml.ReadConfiguration(cfgPath); err == nil {
			c.byConfig[cfgPath] = cfg.Russian()
			return cfg.Russian()
		}
	}
	return guessRussian(rights)
}

// guessRussian counts Russian and English keywords in a role's restrictions.
func guessRussian(rights *onecxml.Rights) bool {
	ru, en := 0, 0
	count := func(text string) {
		for _, t := range lexer.All(text, nil) {
			if t.Kind == token.IDENT && t.Keyword != token.NoKeyword {
				if t.Lit == t.Keyword.Spell(true) || strings.EqualFold(t.Lit, t.Keyword.Spell(true)) {
					en++
				} else {
					ru++
				}
			}
		}
	}
	for _, o := range rights.Objects {
		for _, r := range o.Rights {
			for _, x := range r.Restrictions {
				count(x.Condition.Text)
			}
		}
	}
	return ru >= en
}

type checker struct {
	opts      CheckOptions
	role      string
	russian   bool
	templates *template.Set
	report    *Report
	// metadata is set when variants are compiled against a configuration
	// (dostup rls compile): a variant that reads fields its table lacks may
	// then be shown unreachable (unreachable.go).
	metadata bool
	// memo is what the roles checked together found in the texts they
	// share; nil remembers nothing.
	memo *outcomes
	// defs are the role's templates; defsKey, their digest for the memo,
	// is computed on the first restriction that asks.
	defs    []templateDef
	defsKey string
}

// templatesKey is the digest of the role's templates, names and texts:
// roles of one application mostly repeat the same ones, and a restriction
// text expands alike wherever they are the same.
func (c *checker) templatesKey() string {
	if c.defsKey == "" {
		parts := make([]string, 0, 2*len(c.defs))
		for _, d := range c.defs {
			parts = append(parts, d.header, d.body.Text)
		}
		c.defsKey = c.memo.digest(parts...)
	}
	return c.defsKey
}

// checkOnly is the memo key of checking without a hook (dostup rls check).
const checkOnly = "check"

// outcomes remembers, across the roles one Check or Compile walks, the
// counts of each expanded restriction text that passed. An application
// built on the Standard Subsystems Library gives many roles the same
// restriction of the same table with the same templates, and enumerating
// and parsing the variants is most of the check's time; a text that passed
// once passes again. A failure is not remembered: its messages carry the
// places of its own role's file, so it is checked anew each time.
type outcomes struct {
	mu    sync.Mutex
	byKey map[string]outcome
	// parses are the digests of variant texts that parsed: half
	// the variants of an application's restrictions repeat a text met
	// before (the same branch of a template for another table).
	parses map[string]bool
	seeds  [2]maphash.Seed
}

// outcome is what a passing restriction text added to the report.
type outcome struct {
	variants, messages, uncovered int
	sampled                       bool
}

func newOutcomes() *outcomes {
	return &outcomes{byKey: map[string]outcome{}, parses: map[string]bool{},
		seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// parsedBefore reports whether a variant with this text parsed before.
func (m *outcomes) parsedBefore(text string) bool {
	if m == nil {
		return false
	}
	sum := m.digest(text)
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.parses[sum]
}

// parsed remembers that a variant with this text parsed.
func (m *outcomes) parsed(text string) {
	if m == nil {
		return
	}
	sum := m.digest(text)
	m.mu.Lock()
	m.parses[sum] = true
	m.mu.Unlock()
}

func (m *outcomes) get(key string) (outcome, bool) {
	if m == nil {
		return outcome{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.byKey[key]
	return o, ok
}

func (m *outcomes) put(key string, o outcome) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.byKey[key] = o
	m.mu.Unlock()
}

// outcomeKey identifies what a restriction's check depends on: the hook
// that goes on with its variants (memo), its expanded text, and the
// branches the preprocessor is told to leave out, which depend on where the
// text came from, not only on the text. It is their digest: expanded texts
// run to megabytes, and keeping them as keys kept them all alive.
func (m *outcomes) outcomeKey(memo, body string, excluded []int) string {
	n := make([]byte, 8*len(excluded))
	for i, x := range excluded {
		binary.LittleEndian.PutUint64(n[8*i:], uint64(x))
	}
	return m.digest(memo, body, string(n))
}

// digest is a 128-bit hash of parts, from two maphash seeds of this memo:
// unlike SHA-256, which was a twentieth of the check, it hashes at memory
// speed, and its seeds, random per check, leave no text to be crafted to
// collide with another.
func (m *outcomes) digest(parts ...string) string {
	var out [16]byte
	for k, seed := range m.seeds {
		var h maphash.Hash
		h.SetSeed(seed)
		for _, p := range parts {
			var n [8]byte
			binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
			h.Write(n[:]) // lengths first, so that no two lists of parts run together alike
			h.WriteString(p)
		}
		binary.LittleEndian.PutUint64(out[8*k:], h.Sum64())
	}
	return string(out[:])
}

// templateDef is a template as a role declares it: a name with an optional
// parameter list, and its text.
type templateDef struct {
	header string
	body   *source.File
}

func (c *checker) buildTemplates(defs []templateDef) {
	c.defs, c.defsKey = defs, ""
	var list []*template.Template
	for _, t := range defs {
		tt, err := template.New(t.header, t.body)
		if err != nil {
			// The restrictions that call it will fail as calling an unknown
			// template; say why the template itself is unusable.
			c.failErr("", "", err)
			continue
		}
		list = append(list, tt)
	}
	set, err := template.NewSet(list...)
	if err != nil {
		c.failErr("", "", err)
	}
	c.templates = set
}

// failErr records every positioned problem err holds.
func (c *checker) failErr(object, right string, err error) {
	for _, e := range positioned(err) {
		p := e.loc.Position()
		c.report.Failures = append(c.report.Failures, Failure{
			File: p.Filename, Line: p.Line, Col: p.Column, Code: e.code,
			Role: c.role, Object: object, Right: right, Message: e.msg,
		})
	}
}

type placed struct {
	loc  source.Location
	msg  string
	sql  string // the statement that failed, for dostup rls compile
	code string // the error's Code (sqlgen.CodeNoField...), "" when it has none
}

// failedVariant is a variant with the problems found in it.
type failedVariant struct {
	v        preproc.Variant
	problems []placed
}

// positioned flattens the error lists of the pipeline's stages into
// located messages, keeping the chain of template calls in the message.
func positioned(err error) []placed {
	var out []placed
	addLoc := func(loc source.Location, msg, code string) {
		// The position names where the mistake is; the chain of calls that
		// led there is part of the message.
		chain := strings.TrimPrefix(loc.String(), loc.Position().String())
		out = append(out, placed{loc: loc, msg: msg + chain, code: code})
	}
	var list source.ErrorList
	var one *source.Error
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			addLoc(e.Loc, e.Msg, e.Code)
		}
	case errors.As(err, &one):
		addLoc(one.Loc, one.Msg, one.Code)
	default:
		out = append(out, placed{msg: err.Error()})
	}
	return out
}

// variantHook is given every variant of a restriction that parses and
// returns the problems it finds in it (dostup rls compile compiles and runs
// it); they count against the restriction like parse errors.
type variantHook func(v preproc.Variant, tree *ast.Restriction) []placed

// checkRestriction checks one restriction of object (named for reports) for
// right, expanding templates with ctx; next, when set, goes on with every
// variant that parses. memo names what next does (checkOnly without one),
// so that a text that passed with the same hook is not checked again; ""
// checks it in any case.
func (c *checker) checkRestriction(object, right string, ctx template.Context, cond *source.File, next variantHook, memo string) {
	c.report.Restrictions++
	failedBefore := len(c.report.Failures)
	// A text is looked up twice: before expanding it, by what it is
	// expanded from (saving the expansion, a third of what is left), and
	// after, by what it expanded to, which other texts and templates may
	// give too.
	var keys []string
	if memo != "" && c.memo != nil && c.opts.Visit == nil {
		// Visit wants every variant, so it is never answered from memory.
		keys = append(keys, c.memo.outcomeKey(memo+"\x00"+ctx.Table+"\x00"+ctx.Right+"\x00"+c.templatesKey(), cond.Text, nil))
		if c.remembered(keys[0]) {
			return
		}
	}
	expanded, err := template.Expand(source.FromFile(cond), c.templates, ctx)
	if err != nil {
		c.failErr(object, right, err)
		c.report.Failed++
		return
	}
	excluded := danglingFieldPaths(expanded)
	if keys != nil {
		keys = append(keys, c.memo.outcomeKey(memo, expanded.Body, excluded))
		if o, ok := c.memo.get(keys[1]); ok {
			c.memo.put(keys[0], o)
			c.remembered(keys[1])
			return
		}
	}
	unreachableBefore, messagesBefore := len(c.report.Unreachable), c.report.MessageVariants
	prog, err := preproc.Parse(expanded)
	if err != nil {
		c.failErr(object, right, err)
		c.report.Failed++
		return
	}
	set, err := prog.Variants(preproc.Options{Params: c.opts.Params, Limit: c.opts.VariantLimit, Excluded: excluded})
	if err != nil {
		c.failErr(object, right, err)
		c.report.Failed++
		return
	}
	if !set.Exhaustive {
		c.report.Sampled++
	}
	c.report.Uncovered += len(set.Uncovered)
	var failing []failedVariant
	for _, v := range set.Variants {
		c.report.Variants++
		if msg, ok := messageOf(v.Text.Body); ok {
			c.report.MessageVariants++
			if c.opts.Visit != nil {
				c.opts.Visit(Variant{Role: c.role, Object: object, Right: right, Text: v.Text, Assumptions: v.Assumptions, Message: msg})
			}
			continue
		}
		if next == nil && c.opts.Visit == nil && c.memo.parsedBefore(v.Text.Body) {
			// Only whether it parses counts here, and it did.
			continue
		}
		tree, err := parser.ParseRestriction(v.Text)
		if err == nil && next == nil {
			c.memo.parsed(v.Text.Body)
		}
		if c.opts.Visit != nil {
			vv := Variant{Role: c.role, Object: object, Right: right, Text: v.Text, Assumptions: v.Assumptions, Err: err}
			if err == nil {
				vv.Tree = tree
			}
			c.opts.Visit(vv)
		}
		var problems []placed
		switch {
		case err != nil:
			problems = positioned(err)
		case next != nil:
			problems = next(v, tree)
		}
		if len(problems) > 0 {
			failing = append(failing, failedVariant{v: v, problems: problems})
		}
	}
	var unreachable map[int]string
	if c.metadata && len(failing) > 0 {
		unreachable = c.unreachableVariants(expanded, cond, ctx.Table, failing)
	}
	seen := map[string]bool{}
	for i, f := range failing {
		if reason, ok := unreachable[i]; ok {
			// One note per place: variants that reach it by different
			// answers tell the same thing.
			e := f.problems[0]
			key := "unreachable:" + e.loc.String() + e.msg
			if !seen[key] {
				seen[key] = true
				p := e.loc.Position()
				c.report.Unreachable = append(c.report.Unreachable, Failure{
					File: p.Filename, Line: p.Line, Col: p.Column, Role: c.role, Object: object, Right: right, Message: reason,
				})
			}
			continue
		}
		for _, e := range f.problems {
			key := e.loc.String() + e.msg
			if seen[key] {
				continue
			}
			seen[key] = true
			p := e.loc.Position()
			c.report.Failures = append(c.report.Failures, Failure{
				File: p.Filename, Line: p.Line, Col: p.Column, Code: e.code, Role: c.role,
				Object: object, Right: right, Message: e.msg + describeVariant(f.v, c.russian), SQL: e.sql,
			})
		}
	}
	if len(c.report.Failures) > failedBefore {
		c.report.Failed++
		return
	}
	c.report.OK++
	if keys != nil && len(c.report.Unreachable) == unreachableBefore {
		o := outcome{variants: len(set.Variants), messages: c.report.MessageVariants - messagesBefore,
			uncovered: len(set.Uncovered), sampled: !set.Exhaustive}
		for _, k := range keys {
			c.memo.put(k, o)
		}
	}
}

// remembered adds to the report what a restriction text that passed
// before added, if the memo has it under key.
func (c *checker) remembered(key string) bool {
	o, ok := c.memo.get(key)
	if !ok {
		return false
	}
	c.report.Variants += o.variants
	c.report.MessageVariants += o.messages
	c.report.Uncovered += o.uncovered
	if o.sampled {
		c.report.Sampled++
	}
	c.report.OK++
	return true
}

// messageOf is rls.MessageOf without lexing a text in which no word is
// followed by a colon outside strings and comments, as every message has
// it (Ошибка:, НеверноеПраво:): most variants are not messages, and lexing
// each of them twice (here and in the parser) was a tenth of the check.
// Templates' comments are full of colons (// Параметры:), and so are the
// library's strings ("РегистрСведений.X:Поле"), so those are skipped.
func messageOf(text string) (string, bool) {
	message := false
	eachCodeByte(text, ":", func(i int) bool {
		r, _ := utf8.DecodeLastRuneInString(text[:i])
		message = r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
		return !message
	})
	if message {
		return rls.MessageOf(text)
	}
	return "", false
}

// eachCodeByte calls fn with the offset of every byte of text that is one
// of want and stands outside string literals and // comments, until fn
// returns false. It jumps from one byte that matters to the next: the texts
// are expanded templates of hundreds of kilobytes.
func eachCodeByte(text, want string, fn func(i int) bool) {
	stops := `"/` + want
	inString := false
	for i := 0; i < len(text); i++ {
		if inString {
			j := strings.IndexByte(text[i:], '"')
			if j < 0 {
				return
			}
			i += j
			inString = false // a doubled "" closes and opens again: the same
			continue
		}
		j := strings.IndexAny(text[i:], stops)
		if j < 0 {
			return
		}
		i += j
		switch c := text[i]; {
		case c == '"':
			inString = true
		case c == '/' && i+1 < len(text) && text[i+1] == '/':
			if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
				i += j
			} else {
				return
			}
		case strings.IndexByte(want, c) >= 0:
			if !fn(i) {
				return
			}
		}
	}
}

// danglingFieldPaths finds the field paths a template ends in a parameter
// that the call left empty, such as ТекущаяТаблица.#Поле2 with Поле2 = "".
// The Standard Subsystems Library passes "" for fields a register does not
// have, and its session parameters never select the branches that use them,
// so a variant containing such a path is one no session can produce: the
// preprocessor is told to leave those branches out.
func danglingFieldPaths(t source.Text) []int {
	var out []int
	body := t.Body
	eachCodeByte(body, ".", func(i int) bool {
		if i+1 < len(body) && isNameChar(body[i+1:]) {
			return true
		}
		loc := t.Locate(i)
		if loc.Via == nil || loc.File == nil {
			return true
		}
		if src := loc.File.Text; loc.Offset+1 < len(src) && src[loc.Offset] == '.' && src[loc.Offset+1] == '#' {
			out = append(out, i)
		}
		return true
	})
	return out
}

func isNameChar(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// describeVariant says which choices of session parameters led to a variant,
// so the reader can reproduce it with --param.
func describeVariant(v preproc.Variant, russian bool) string {
	if len(v.Assumptions) == 0 {
		return ""
	}
	return " (in the variant where " + DescribeAssumptions(v.Assumptions, russian, 4) + ")"
}

// DescribeAssumptions lists the choices of a variant, sorted, at most most of
// them ("&А = Истина, СтрСодержит(&Б, "x") = Ложь and 3 more"); most <= 0
// lists all.
func DescribeAssumptions(as []preproc.Assumption, russian bool, most int) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		val := map[bool]string{true: "Истина", false: "Ложь"}[a.Value]
		if !russian {
			val = map[bool]string{true: "True", false: "False"}[a.Value]
		}
		parts = append(parts, a.Atom+" = "+val)
	}
	sort.Strings(parts)
	more := ""
	if most > 0 && len(parts) > most {
		more = fmt.Sprintf(" and %d more", len(parts)-most)
		parts = parts[:most]
	}
	return strings.Join(parts, ", ") + more
}

package bsl

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// The codes of the checks' findings; they are part of the interface.
const (
	CodeClientReachable        = "std680-client-reachable"
	CodeClientRaise            = "std680-client-raise"
	CodePrivilegedMode         = "privileged-mode"
	CodePrivilegedUnbalanced   = "privileged-mode-unbalanced"
	CodeExecuteWithoutSafeMode = "execute-without-safe-mode"
	CodeSafeModeDisabled       = "safe-mode-disabled"
	CodeExternalCode           = "external-code"
	CodeUnknownSymbol          = codePreprocSymbol
	CodeRegionUnbalanced       = codePreprocRegion
	CodePreprocessorSyntax     = codePreprocSyntax
	CodeDirectiveMissing       = "directive-missing"
	CodeDirectiveNeedless      = "directive-needless"
	CodeDirectiveNotAllowed    = "directive-not-allowed"
	CodeUnavailableCall        = "unavailable-call"
)

// Methods lists the module's methods with where each is compiled.
func Methods(m *Module) []Method { return Parse(m).Methods }

// CheckModule runs every check on one module. Calls to common modules are
// not checked, since their code is not at hand; Check over a whole dump
// checks them.
func CheckModule(m *Module) []Finding { return Check([]*Module{m}) }

// Check runs every check on the modules, a worker per CPU, and returns the
// findings ordered by file, line and column. The common modules among them
// are the ones calls are checked against. A nil module is skipped.
func Check(mods []*Module) []Finding { return CheckWith(mods, nil) }

// sortFindings orders findings by file, line, column and code.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col), cmp.Compare(a.Code, b.Code))
	})
}

// parallel runs work(i) for i in [0, n) on a worker per CPU.
func parallel(n int, work func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				work(i)
			}
		})
	}
	wg.Wait()
}

// commonIndex is what calls are checked against: the common modules by
// lower-case name, and the exported methods of the global ones.
type commonIndex struct {
	modules map[string]*Syntax
	globals map[string]globalMethod
}

type globalMethod struct {
	module *Syntax
	method *Method
}

func indexCommonModules(syntaxes []*Syntax) *commonIndex {
	idx := &commonIndex{modules: map[string]*Syntax{}, globals: map[string]globalMethod{}}
	for _, s := range syntaxes {
		if s == nil || s.Module.Kind != KindCommon || s.Module.Common == nil {
			continue
		}
		name := s.Module.Object
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		if name == "" {
			continue
		}
		idx.modules[strings.ToLower(name)] = s
		if s.Module.Common.Global {
			for i := range s.Methods {
				if m := &s.Methods[i]; m.Export {
					idx.globals[strings.ToLower(m.Name)] = globalMethod{s, m}
				}
			}
		}
	}
	return idx
}

// checker runs the checks on one module and gathers their findings.
type checker struct {
	s        *Syntax
	idx      *commonIndex
	ru       bool
	findings []Finding
}

func checkSyntax(s *Syntax, idx *commonIndex) []Finding {
	c := &checker{s: s, idx: idx, ru: s.Module.Russian}
	for _, f := range s.preprocessorFindings {
		f.File = s.Module.Path
		c.findings = append(c.findings, f)
	}
	c.clientReachable()
	c.clientRaise()
	c.privilegedMode()
	c.safeMode()
	c.externalCode()
	c.directives()
	c.unavailableCalls()
	return c.findings
}

// report adds a finding at line:col, spanning to endCol on the same line.
func (c *checker) report(code string, sev Severity, line, col, endCol int, ru, en string) {
	msg := en
	if c.ru {
		msg = ru
	}
	c.findings = append(c.findings, Finding{File: c.s.Module.Path, Line: line, Col: col, EndLine: line,
		EndCol: endCol, Code: code, Severity: sev, Message: msg})
}

// reportCall adds a finding spanning the call's text.
func (c *checker) reportCall(code string, sev Severity, call *Call, ru, en string) {
	msg := en
	if c.ru {
		msg = ru
	}
	line, col, endLine, endCol := c.s.span(call)
	c.findings = append(c.findings, Finding{File: c.s.Module.Path, Line: line, Col: col, EndLine: endLine,
		EndCol: endCol, Code: code, Severity: sev, Message: msg})
}

// contextName names a context in the module's language.
func (c *checker) contextName(ctx Context) string { return ctx.Name(!c.ru) }

// firstContext is the first context of a non-empty set.
func firstContext(set ContextSet) Context {
	for _, ctx := range Contexts() {
		if set.Has(ctx) {
			return ctx
		}
	}
	return 0
}

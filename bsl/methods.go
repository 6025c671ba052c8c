package bsl

import (
	"strings"
	"unicode/utf8"
)

// Directive is a compilation directive (&НаКлиенте, &НаСервере ...): in a
// managed form or command module it decides where a method or variable is
// compiled.
type Directive uint8

// The directives. DirectiveNone is a declaration without one, which in a
// managed form or command module is compiled on the server.
const (
	DirectiveNone Directive = iota
	AtClient
	AtServer
	AtServerNoContext
	AtClientAtServerNoContext
	AtClientAtServer
)

// directiveSpellings are each directive's Russian and English names.
var directiveSpellings = [...][2]string{
	AtClient:                  {"НаКлиенте", "AtClient"},
	AtServer:                  {"НаСервере", "AtServer"},
	AtServerNoContext:         {"НаСервереБезКонтекста", "AtServerNoContext"},
	AtClientAtServerNoContext: {"НаКлиентеНаСервереБезКонтекста", "AtClientAtServerNoContext"},
	AtClientAtServer:          {"НаКлиентеНаСервере", "AtClientAtServer"},
}

// Name is the directive's name without the &, in Russian or English; empty
// for DirectiveNone.
func (d Directive) Name(english bool) string {
	if d == DirectiveNone || int(d) >= len(directiveSpellings) {
		return ""
	}
	if english {
		return directiveSpellings[d][1]
	}
	return directiveSpellings[d][0]
}

// String is the directive's English name.
func (d Directive) String() string { return d.Name(true) }

// parseDirectiveName finds a directive by its name in either language.
func parseDirectiveName(name string) (Directive, bool) {
	for i, n := range directiveSpellings {
		if i != int(DirectiveNone) && (strings.EqualFold(n[0], name) || strings.EqualFold(n[1], name)) {
			return Directive(i), true
		}
	}
	return DirectiveNone, false
}

// clientContexts are the contexts where Клиент is true.
const clientContexts = dumpManagedClients | 1<<ThickClientOrdinaryApplication

// Contexts are the contexts a declaration with this directive is compiled
// in, before the module's kind and the preprocessor narrow them; none is
// compiled on the server, as 1C does in form and command modules.
func (d Directive) Contexts() ContextSet {
	switch d {
	case AtClient:
		return clientContexts
	case AtClientAtServerNoContext, AtClientAtServer:
		return clientContexts | dumpServerContexts
	}
	return dumpServerContexts
}

// noContext reports whether a method with this directive runs without the
// form's context, so that it cannot call the methods that have it.
func (d Directive) noContext() bool {
	return d == AtServerNoContext || d == AtClientAtServerNoContext
}

// server reports whether a client may call a method with this directive:
// it runs on the server in a server call.
func (d Directive) server() bool {
	return d == DirectiveNone || d == AtServer || d == AtServerNoContext
}

// Annotation is an & line before a declaration other than a directive:
// an extension's &Перед("ПередЗаписью"), &После, &Вместо,
// &ИзменениеИКонтроль, or any other.
type Annotation struct {
	Name string // as written, without the &
	// Arg is the value of the annotation's first string argument: the
	// method an extension's annotation intercepts.
	Arg       string
	Line, Col int
}

// interceptor reports whether the annotation makes the method an extension
// of the configuration's method Arg.
func (a Annotation) interceptor() bool {
	for _, n := range [...]string{"Перед", "Before", "После", "After", "Вместо", "Around", "ИзменениеИКонтроль", "ChangeAndValidate"} {
		if strings.EqualFold(a.Name, n) {
			return true
		}
	}
	return false
}

// Method is a procedure or function declared in a module.
type Method struct {
	Name     string
	Function bool // Функция rather than Процедура
	Export   bool // Экспорт
	// Line and Col are the place of the name; DeclLine and DeclCol that of
	// the Процедура or Функция keyword, EndLine the КонецПроцедуры line (0
	// when the method does not end).
	Line, Col         int
	DeclLine, DeclCol int
	EndLine           int
	Directive         Directive
	// DirectiveLine and DirectiveCol are the place of the directive (0
	// when there is none).
	DirectiveLine, DirectiveCol int
	Annotations                 []Annotation
	// Contexts are where the method is compiled: the module's contexts,
	// its directive's (in managed form and command modules) and the
	// preprocessor's at its declaration.
	Contexts ContextSet

	// body is the range of code token indexes (into Syntax.code) between
	// the parameters' ) and the end.
	bodyStart, bodyEnd int
	// declTok is the code token index of the Процедура or Функция keyword.
	declTok int
	// locals are the lower-case names of the method's parameters and of
	// the variables it declares or assigns: a call through one of them is
	// not a call of the common module of the same name.
	locals map[string]bool
}

// Variable is a module variable (Перем at the top of a module).
type Variable struct {
	Name                        string
	Export                      bool
	Line, Col                   int
	DeclLine                    int // the Перем line
	Directive                   Directive
	DirectiveLine, DirectiveCol int
	Contexts                    ContextSet
}

// Call is a call of a procedure or function, or the Выполнить statement.
type Call struct {
	Name string // as written
	// Qualifier is the name before the dot in Qualifier.Name(...) when it
	// is a plain name (not itself a member such as a.Qualifier.Name), which
	// is how a common module's method is called; empty otherwise.
	Qualifier string
	// Member is true when Name follows a dot: a method of some value, not
	// of the module or the global context.
	Member                     bool
	Line, Col, EndLine, EndCol int
	// Method is the index in Syntax.Methods of the method the call is in,
	// -1 for the module's body.
	Method int
	// Contexts are where the call is compiled: its method's contexts and
	// the preprocessor's at the call.
	Contexts ContextSet

	args  []tokenRange // each argument's code tokens
	begin int          // the call's first code token (the qualifier or name)
	last  int          // the call's last code token: its ), or the name without one
}

// tokenRange is a half-open range of code token indexes.
type tokenRange struct{ start, end int }

// Syntax is what the checks read of a module: its lines' contexts, its
// declarations and its calls, from one pass of the lexer.
type Syntax struct {
	Module    *Module
	Lines     *LineMap
	Methods   []Method
	Variables []Variable
	Calls     []Call
	// Suppressed are the ranges of lines between // АПК:361-выкл and
	// // АПК:361-вкл (the end of the module closing an open one).
	suppressed []lineRange
	// code holds the tokens that are not trivia, in order.
	code []Token
	// moduleLocals are the lower-case names of the module's variables.
	moduleLocals map[string]bool
	// preprocessorFindings are the preprocessor's own findings.
	preprocessorFindings []Finding
}

type lineRange struct{ from, to int }

// Parse reads a module: its lines' contexts, methods, variables and calls.
// It never fails; what it cannot read it skips.
func Parse(m *Module) *Syntax {
	toks := Lex(m.Source)
	lines, findings := linesOf(m.Source, toks, m.Russian)
	s := &Syntax{Module: m, Lines: lines, preprocessorFindings: findings}
	s.code = make([]Token, 0, len(toks))
	for i := range toks {
		t := &toks[i]
		if t.Kind == TokComment {
			s.suppression(t)
		}
		if !t.Kind.trivia() {
			s.code = append(s.code, *t)
		}
	}
	if n := len(s.suppressed); n > 0 && s.suppressed[n-1].to == 0 {
		s.suppressed[n-1].to = lines.Len() + 1
	}
	s.declarations()
	s.localNames()
	s.calls()
	return s
}

// localNames finds, for each method, the names its parameters, Перем,
// assignments and loops bind, and the module's own variables.
func (s *Syntax) localNames() {
	code := s.code
	s.moduleLocals = map[string]bool{}
	for _, v := range s.Variables {
		s.moduleLocals[strings.ToLower(v.Name)] = true
	}
	for k := range s.Methods {
		m := &s.Methods[k]
		m.locals = map[string]bool{}
		// Parameters: the names after ( or , (and Знач) in the declaration.
		for j := m.declTok + 2; j < m.bodyStart && j < len(code); j++ {
			if code[j].Kind == TokIdent && (code[j-1].Kind == TokLParen || code[j-1].Kind == TokComma || code[j-1].Kind == TokVal) {
				m.locals[strings.ToLower(code[j].Text)] = true
			}
		}
		for j := m.bodyStart; j < m.bodyEnd && j < len(code); j++ {
			t := code[j]
			if t.Kind != TokIdent {
				continue
			}
			prev := TokSemicolon
			if j > m.bodyStart {
				prev = code[j-1].Kind
			}
			next := TokIllegal
			if j+1 < len(code) {
				next = code[j+1].Kind
			}
			switch {
			case prev == TokVar, prev == TokComma && s.inVar(j, m.bodyStart), prev == TokEach:
				m.locals[strings.ToLower(t.Text)] = true
			case next == TokAssign && statementStart(prev):
				m.locals[strings.ToLower(t.Text)] = true
			}
		}
	}
}

// statementStart reports whether a token after prev starts a statement.
func statementStart(prev TokenKind) bool {
	switch prev {
	case TokSemicolon, TokThen, TokElse, TokDo, TokTry, TokExcept, TokFor, TokColon:
		return true
	}
	return false
}

// inVar reports whether code[j] is in a Перем statement that starts at or
// after from.
func (s *Syntax) inVar(j, from int) bool {
	for k := j - 1; k >= from; k-- {
		switch s.code[k].Kind {
		case TokVar:
			return true
		case TokIdent, TokComma:
			continue
		}
		return false
	}
	return false
}

// shadows reports whether name is a variable or parameter where the call
// is made, rather than a common module's name.
func (s *Syntax) shadows(call *Call, name string) bool {
	lower := strings.ToLower(name)
	if s.moduleLocals[lower] {
		return true
	}
	return call.Method >= 0 && s.Methods[call.Method].locals[lower]
}

// suppression reads 1C's own checker's comments that switch rule 361
// (standard 680's client reachability) off and on.
func (s *Syntax) suppression(t *Token) {
	text := strings.TrimSpace(strings.TrimPrefix(t.Text, "//"))
	var off bool
	switch {
	case hasFoldPrefix(text, "АПК:361-выкл"), hasFoldPrefix(text, "ACC:361-off"):
		off = true
	case hasFoldPrefix(text, "АПК:361-вкл"), hasFoldPrefix(text, "ACC:361-on"):
	default:
		return
	}
	n := len(s.suppressed)
	open := n > 0 && s.suppressed[n-1].to == 0
	switch {
	case off && !open:
		s.suppressed = append(s.suppressed, lineRange{from: t.Line})
	case !off && open:
		s.suppressed[n-1].to = t.Line
	}
}

// hasFoldPrefix reports whether s begins with prefix in any letter case.
func hasFoldPrefix(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	return strings.EqualFold(s[:len(prefix)], prefix)
}

// suppressedAt reports whether rule 361 is switched off at the line.
func (s *Syntax) suppressedAt(line int) bool {
	for _, r := range s.suppressed {
		if line > r.from && line < r.to {
			return true
		}
	}
	return false
}

// usesDirectives reports whether the module's kind honours compilation
// directives: managed forms and commands do, every other kind ignores them.
func (s *Syntax) usesDirectives() bool {
	return s.Module.Kind == KindManagedForm || s.Module.Kind == KindCommand
}

// declContexts are where a declaration with directive d on line is
// compiled.
func (s *Syntax) declContexts(d Directive, line int) ContextSet {
	set := s.Module.Contexts() & s.Lines.Contexts(line)
	if s.usesDirectives() {
		if !s.allowed(d) {
			return 0
		}
		set &= d.Contexts()
	}
	return set
}

// allowed reports whether the module's kind accepts the directive: a
// managed form has no &НаКлиентеНаСервере (its methods have the form's
// context on one side only), a command no &НаСервереБезКонтекста or
// &НаКлиентеНаСервереБезКонтекста (it has no form whose context to leave).
// The platform compiles a method with a directive its module does not
// accept nowhere.
func (s *Syntax) allowed(d Directive) bool {
	switch s.Module.Kind {
	case KindManagedForm:
		return d != AtClientAtServer
	case KindCommand:
		return d != AtServerNoContext && d != AtClientAtServerNoContext
	}
	return true
}

// declarations finds the methods and module variables with the
// directives and annotations before them. Preprocessor branches that each
// declare a method are read one after the other, so a method that starts
// before the previous one ends closes it.
func (s *Syntax) declarations() {
	code := s.code
	var pending []Token // the & tokens since the last declaration or statement
	current := -1
	for i := 0; i < len(code); i++ {
		t := code[i]
		switch t.Kind {
		case TokAnnotation:
			pending = append(pending, t)
			continue
		case TokProcedure, TokFunction:
			if i+1 >= len(code) || code[i+1].Kind != TokIdent {
				break
			}
			if current >= 0 && s.Methods[current].bodyEnd == 0 {
				s.Methods[current].bodyEnd = i
			}
			name := code[i+1]
			m := Method{Name: name.Text, Function: t.Kind == TokFunction, Line: name.Line, Col: name.Col,
				DeclLine: t.Line, DeclCol: t.Col, declTok: i}
			m.Directive, m.DirectiveLine, m.DirectiveCol, m.Annotations = readAnnotations(pending)
			j := skipParens(code, i+2)
			if j < len(code) && code[j].Kind == TokExport {
				m.Export = true
				j++
			}
			m.bodyStart = j
			m.Contexts = s.declContexts(m.Directive, name.Line)
			s.Methods = append(s.Methods, m)
			current = len(s.Methods) - 1
			i = j - 1
		case TokEndProcedure, TokEndFunction:
			if current >= 0 && s.Methods[current].bodyEnd == 0 {
				s.Methods[current].bodyEnd = i
				s.Methods[current].EndLine = t.Line
			}
			current = -1
		case TokVar:
			if current < 0 || s.Methods[current].bodyEnd != 0 {
				i = s.variables(i, pending) - 1
			}
		}
		pending = pending[:0]
	}
	if current >= 0 && s.Methods[current].bodyEnd == 0 {
		s.Methods[current].bodyEnd = len(code)
	}
}

// variables reads the module variables of the Перем statement at code
// index i and returns the index after it.
func (s *Syntax) variables(i int, pending []Token) int {
	code := s.code
	d, dline, dcol, _ := readAnnotations(pending)
	decl := code[i]
	j := i + 1
	for j < len(code) && code[j].Kind == TokIdent {
		v := Variable{Name: code[j].Text, Line: code[j].Line, Col: code[j].Col, DeclLine: decl.Line,
			Directive: d, DirectiveLine: dline, DirectiveCol: dcol}
		j++
		if j < len(code) && code[j].Kind == TokExport {
			v.Export = true
			j++
		}
		v.Contexts = s.declContexts(d, v.Line)
		s.Variables = append(s.Variables, v)
		if j >= len(code) || code[j].Kind != TokComma {
			break
		}
		j++
	}
	return j
}

// readAnnotations splits the & tokens before a declaration into its
// directive (the last one, as the platform takes it) and its annotations.
func readAnnotations(toks []Token) (d Directive, line, col int, anns []Annotation) {
	for _, t := range toks {
		name, arg := annotationParts(t.Text)
		if dir, ok := parseDirectiveName(name); ok {
			d, line, col = dir, t.Line, t.Col
			continue
		}
		anns = append(anns, Annotation{Name: name, Arg: arg, Line: t.Line, Col: t.Col})
	}
	return d, line, col, anns
}

// annotationParts splits an annotation token's text (&Name or
// &Name("arg", ...)) into the name and its first string argument's value.
func annotationParts(text string) (name, arg string) {
	p := skipBlank(text, 1)
	e := identEnd(text, p)
	name = text[p:e]
	if q := strings.IndexByte(text[e:], '"'); q >= 0 {
		start := e + q
		if end, closed := stringLineEnd(text, start+1); closed {
			arg = strings.ReplaceAll(text[start+1:end-1], `""`, `"`)
		}
	}
	return name, arg
}

// skipParens is the index after the parenthesised list starting at code[i]
// (a method's parameters); i itself when no ( is there.
func skipParens(code []Token, i int) int {
	if i >= len(code) || code[i].Kind != TokLParen {
		return i
	}
	depth := 0
	for j := i; j < len(code); j++ {
		switch code[j].Kind {
		case TokLParen:
			depth++
		case TokRParen:
			depth--
			if depth == 0 {
				return j + 1
			}
		case TokProcedure, TokFunction, TokEndProcedure, TokEndFunction:
			return j // a list that never closes: stop before the next declaration
		}
	}
	return len(code)
}

// calls finds every call and Выполнить statement, with the method it is in.
func (s *Syntax) calls() {
	code := s.code
	method := -1
	next := 0 // the next method whose body may start
	for i := 0; i < len(code); i++ {
		for next < len(s.Methods) && s.Methods[next].bodyStart <= i {
			method = next
			next++
		}
		if method >= 0 && i >= s.Methods[method].bodyEnd {
			method = -1
		}
		if method < 0 && next < len(s.Methods) && i >= s.Methods[next].declTok {
			continue // the declaration's own tokens: its name and parameters
		}
		t := code[i]
		var prev TokenKind = TokIllegal
		if i > 0 {
			prev = code[i-1].Kind
		}
		switch {
		case t.Kind == TokExecute && prev != TokDot:
			s.addCall(i, i, method, false)
		case t.Kind == TokIdent && i+1 < len(code) && code[i+1].Kind == TokLParen && prev != TokNew:
			begin := i
			if prev == TokDot {
				begin = i - 1
				if i >= 2 && code[i-2].Kind == TokIdent && (i < 3 || code[i-3].Kind != TokDot) {
					begin = i - 2
				}
			}
			s.addCall(begin, i, method, prev == TokDot)
		}
	}
}

// addCall records the call whose name is code[name] and whose first token
// is code[begin].
func (s *Syntax) addCall(begin, name, method int, member bool) {
	code := s.code
	t := code[name]
	c := Call{Name: t.Text, Member: member, Line: t.Line, Col: t.Col, EndLine: t.EndLine, EndCol: t.EndCol,
		Method: method, begin: begin}
	if member && begin == name-2 {
		c.Qualifier = code[begin].Text
	}
	set := s.Module.Contexts()
	if method >= 0 {
		set = s.Methods[method].Contexts
	}
	c.Contexts = set & s.Lines.Contexts(t.Line)
	c.args, c.last = readArgs(code, name+1)
	if c.last < 0 {
		c.last = name
	}
	s.Calls = append(s.Calls, c)
}

// readArgs splits the argument list starting at code[i] (a ( or, for the
// Выполнить statement without parentheses, the expression) into arguments,
// and gives the index of the closing ) (-1 when there is none).
func readArgs(code []Token, i int) ([]tokenRange, int) {
	if i >= len(code) || code[i].Kind != TokLParen {
		return nil, -1
	}
	var args []tokenRange
	depth := 0
	start := i + 1
	for j := i; j < len(code); j++ {
		switch code[j].Kind {
		case TokLParen, TokLBrack:
			depth++
		case TokRParen, TokRBrack:
			depth--
			if depth == 0 {
				if j > start || len(args) > 0 {
					args = append(args, tokenRange{start, j})
				}
				return args, j
			}
		case TokComma:
			if depth == 1 {
				args = append(args, tokenRange{start, j})
				start = j + 1
			}
		case TokSemicolon, TokProcedure, TokFunction, TokEndProcedure, TokEndFunction:
			return args, -1
		}
	}
	return args, -1
}

// literalArg is the kind of the call's argument n when it is a single
// token (Истина, Ложь, a number ...), TokIllegal otherwise.
func (s *Syntax) literalArg(c *Call, n int) TokenKind {
	if n >= len(c.args) {
		return TokIllegal
	}
	r := c.args[n]
	if r.end-r.start != 1 {
		return TokIllegal
	}
	return s.code[r.start].Kind
}

// argCount is the number of the call's arguments.
func (c *Call) argCount() int { return len(c.args) }

// is reports whether the call's name is one of the spellings, in any
// letter case.
func (c *Call) is(names ...string) bool {
	for _, n := range names {
		if strings.EqualFold(c.Name, n) {
			return true
		}
	}
	return false
}

// span is the call's text: from its first token (the qualifier or name) to
// its closing ), which may be on a later line.
func (s *Syntax) span(c *Call) (line, col, endLine, endCol int) {
	b, e := s.code[c.begin], s.code[c.last]
	return b.Line, b.Col, e.EndLine, e.EndCol
}

// method finds a method of the module by name, in any letter case.
func (s *Syntax) method(name string) *Method {
	for i := range s.Methods {
		if strings.EqualFold(s.Methods[i].Name, name) {
			return &s.Methods[i]
		}
	}
	return nil
}

// nameEnd is the column just after a name that starts at col.
func nameEnd(col int, name string) int { return col + utf8.RuneCountInString(name) }

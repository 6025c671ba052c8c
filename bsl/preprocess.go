package bsl

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// The codes of the preprocessor's findings; they are part of the
// interface (issue 14). codePreprocSyntax is for lines the platform would
// refuse that the two others do not name: a #Если without Тогда, an
// unknown directive, a second #Иначе.
const (
	codePreprocSymbol = "unknown-preprocessor-symbol"
	codePreprocRegion = "region-unbalanced"
	codePreprocSyntax = "preprocessor-syntax"
)

// directive is the instruction of a preprocessor line.
type directive uint8

const (
	dirUnknown directive = iota
	dirIf
	dirElsIf
	dirElse
	dirEndIf
	dirRegion
	dirEndRegion
	dirDelete
	dirEndDelete
	dirInsert
	dirEndInsert
)

// directiveNames are each directive's Russian and English spellings, the
// first of them also how messages name it.
var directiveNames = [...][2]string{
	dirIf: {"Если", "If"}, dirElsIf: {"ИначеЕсли", "ElsIf"}, dirElse: {"Иначе", "Else"},
	dirEndIf: {"КонецЕсли", "EndIf"}, dirRegion: {"Область", "Region"},
	dirEndRegion: {"КонецОбласти", "EndRegion"}, dirDelete: {"Удаление", "Delete"},
	dirEndDelete: {"КонецУдаления", "EndDelete"}, dirInsert: {"Вставка", "Insert"},
	dirEndInsert: {"КонецВставки", "EndInsert"},
}

// name is how a message in the module's language writes the directive.
func (d directive) name(ru bool) string {
	if ru {
		return "#" + directiveNames[d][0]
	}
	return "#" + directiveNames[d][1]
}

// parseDirective reads a preprocessor line (text starts with #): its
// directive, the word as written and the offset just after the word.
func parseDirective(text string) (d directive, word string, rest int) {
	p := skipBlank(text, 1)
	e := identEnd(text, p)
	word = text[p:e]
	for i, n := range directiveNames {
		if i != int(dirUnknown) && (strings.EqualFold(word, n[0]) || strings.EqualFold(word, n[1])) {
			return directive(i), word, e
		}
	}
	return dirUnknown, word, e
}

// lineFlag says what kind of line a line is, beyond its contexts.
type lineFlag uint8

const (
	lineDirective lineFlag = 1 << iota // a preprocessor line, compiled nowhere
	lineDeleted                        // between #Удаление and #КонецУдаления
	lineInserted                       // between #Вставка and #КонецВставки
)

// Region is a #Область ... #КонецОбласти block.
type Region struct {
	Name    string
	Line    int // the #Область line
	EndLine int // the #КонецОбласти line; 0 when the region is not closed
}

// LineMap holds, for each line of a module, the contexts in which 1C
// compiles it, worked out once for all contexts (a module is compiled
// separately for each, keeping the lines whose #Если conditions hold
// there). Lines are 1-based; a line out of range is compiled nowhere. The
// zero value and nil are an empty map.
type LineMap struct {
	sets    []osContextSet
	flags   []lineFlag
	regions []Region
}

// Len is the number of lines of the module.
func (m *LineMap) Len() int {
	if m == nil {
		return 0
	}
	return len(m.sets)
}

// Contexts is where the line is compiled whatever the OS: none for
// preprocessor lines and deleted lines. A line under a condition on the
// OS (#Если Linux Тогда) is compiled in a context only on some OS, and is
// in ContextsOnSomeOS but not here.
func (m *LineMap) Contexts(line int) ContextSet { return m.set(line).everyOS() }

// ContextsOnSomeOS is where the line is compiled on at least one OS.
func (m *LineMap) ContextsOnSomeOS(line int) ContextSet { return m.set(line).someOS() }

// ContextsOn is where the line is compiled on the OS.
func (m *LineMap) ContextsOn(line int, o OS) ContextSet { return m.set(line).on(o) }

func (m *LineMap) set(line int) osContextSet {
	if m == nil || line < 1 || line > len(m.sets) {
		return 0
	}
	return m.sets[line-1]
}

// Compiled reports whether the line is compiled in context c whatever the
// OS.
func (m *LineMap) Compiled(line int, c Context) bool { return m.Contexts(line).Has(c) }

func (m *LineMap) flag(line int, f lineFlag) bool {
	if m == nil || line < 1 || line > len(m.flags) {
		return false
	}
	return m.flags[line-1]&f != 0
}

// Directive reports whether the line is a preprocessor line.
func (m *LineMap) Directive(line int) bool { return m.flag(line, lineDirective) }

// Deleted reports whether an extension deletes the line (#Удаление).
func (m *LineMap) Deleted(line int) bool { return m.flag(line, lineDeleted) }

// Inserted reports whether an extension inserts the line (#Вставка).
func (m *LineMap) Inserted(line int) bool { return m.flag(line, lineInserted) }

// Regions are the module's regions in the order they open.
func (m *LineMap) Regions() []Region {
	if m == nil {
		return nil
	}
	return m.regions
}

// Lines works out in which contexts each line of a module is compiled and
// reports the preprocessor's errors: unknown symbols
// (unknown-preprocessor-symbol), #Область, #Если, #Удаление and #Вставка
// blocks that do not close or close nothing (region-unbalanced), and lines
// the platform would refuse otherwise (preprocessor-syntax). Findings have
// File empty for the caller to fill and messages in the module's language.
func Lines(src string) (*LineMap, []Finding) {
	toks := Lex(src)
	return linesOf(src, toks, languageOf(toks))
}

// Preprocess is the module as 1C compiles it for context c: every line
// that is not compiled there (preprocessor lines, lines of branches not
// taken, deleted lines) left empty, so that the text has the lines of the
// file and line numbers stay those of the file. Line breaks are kept as
// written, but for a lone \r (no editor of 1C's writes one), which becomes
// \n; a byte-order mark is dropped. Lines under a condition on the OS are
// kept when some OS compiles them (see LineMap.Apply; PreprocessOS gives
// one OS's text).
func Preprocess(src string, c Context) (string, []Finding) {
	m, findings := Lines(src)
	return m.Apply(src, c), findings
}

// PreprocessOS is Preprocess for context c on one OS.
func PreprocessOS(src string, c Context, o OS) (string, []Finding) {
	m, findings := Lines(src)
	return m.ApplyOS(src, c, o), findings
}

// Apply is src, the module the map was made from, with the lines not
// compiled in c emptied: Preprocess without lexing the module again, for a
// caller that wants it for several contexts. A line that a condition on
// the OS (#Если Linux Тогда) keeps on some OS is kept; ApplyOS gives the
// text for one OS.
func (m *LineMap) Apply(src string, c Context) string {
	return m.apply(src, func(line int) bool { return m.ContextsOnSomeOS(line).Has(c) })
}

// ApplyOS is Apply for context c on one OS.
func (m *LineMap) ApplyOS(src string, c Context, o OS) string {
	return m.apply(src, func(line int) bool { return m.ContextsOn(line, o).Has(c) })
}

// apply writes src with the lines keep refuses emptied.
func (m *LineMap) apply(src string, keep func(line int) bool) string {
	src = strings.TrimPrefix(src, bom)
	var b strings.Builder
	b.Grow(len(src))
	line := 1
	for p := 0; ; line++ {
		e := lineEnd(src, p)
		if keep(line) {
			b.WriteString(src[p:e])
		}
		if e >= len(src) {
			break
		}
		n := nextLine(src, e)
		if n-e == 1 && src[e] == '\r' {
			// A lone \r becomes \n: before an emptied line and a \n it
			// would otherwise read as one \r\n and lose a line.
			b.WriteByte('\n')
		} else {
			b.WriteString(src[e:n])
		}
		p = n
	}
	return b.String()
}

// countLines is the number of lines of src as Lex counts them: one more
// than its line breaks.
func countLines(src string) int {
	n := 1
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			n++
		case '\r':
			if i+1 >= len(src) || src[i+1] != '\n' {
				n++
			}
		}
	}
	return n
}

// ifFrame is an open #Если: the contexts around it, those some branch has
// already taken, and whether #Иначе was seen.
type ifFrame struct {
	parent, taken osContextSet
	sawElse       bool
	at            Token
}

// openRegion is a #Область not yet closed: its index in LineMap.regions
// and its line, where a finding points if it never closes.
type openRegion struct {
	index int
	at    Token
}

// lineBuilder is Lines' state while it walks the preprocessor lines.
type lineBuilder struct {
	m        *LineMap
	toks     []Token
	ru       bool // the findings' language
	findings []Finding

	cur      osContextSet
	next     int // the first line not yet given its contexts
	ifs      []ifFrame
	regions  []openRegion
	deleting *Token
	inserts  []Token
}

// linesOf builds the line map from a module's tokens (Lex(src)), with
// messages in Russian when ru is set.
func linesOf(src string, toks []Token, ru bool) (*LineMap, []Finding) {
	n := countLines(strings.TrimPrefix(src, bom))
	b := &lineBuilder{
		m:    &LineMap{sets: make([]osContextSet, n), flags: make([]lineFlag, n)},
		toks: toks, ru: ru, cur: allOSContexts, next: 1,
	}
	for i := range toks {
		if toks[i].Kind == TokPreprocessor {
			b.fill(toks[i].Line)
			b.m.flags[toks[i].Line-1] |= lineDirective
			b.next = toks[i].Line + 1
			b.directive(toks[i])
		}
	}
	b.fill(n + 1)
	b.finish()
	slices.SortStableFunc(b.findings, func(x, y Finding) int {
		return cmp.Or(cmp.Compare(x.Line, y.Line), cmp.Compare(x.Col, y.Col))
	})
	return b.m, b.findings
}

// fill gives the lines before upTo the contexts now in force.
func (b *lineBuilder) fill(upTo int) {
	for l := b.next; l < upTo && l <= len(b.m.sets); l++ {
		switch {
		case b.deleting != nil:
			b.m.flags[l-1] |= lineDeleted
		default:
			b.m.sets[l-1] = b.cur
			if len(b.inserts) > 0 {
				b.m.flags[l-1] |= lineInserted
			}
		}
	}
	if upTo > b.next {
		b.next = upTo
	}
}

func (b *lineBuilder) russian() bool { return b.ru }

// report adds a finding spanning columns col..endCol of line; msg gives the
// message in the module's language.
func (b *lineBuilder) report(code string, line, col, endCol int, msg func(ru bool) string) {
	b.findings = append(b.findings, Finding{Line: line, Col: col, EndLine: line, EndCol: endCol,
		Code: code, Severity: SeverityError, Message: msg(b.russian())})
}

// reportAt reports on a directive line, spanning its # and word.
func (b *lineBuilder) reportAt(code string, t Token, msg func(ru bool) string) {
	_, _, rest := parseDirective(t.Text)
	b.report(code, t.Line, t.Col, t.Col+utf8.RuneCountInString(t.Text[:rest]), msg)
}

func (b *lineBuilder) directive(t Token) {
	d, word, rest := parseDirective(t.Text)
	switch d {
	case dirIf:
		cond := b.condition(t, rest)
		b.ifs = append(b.ifs, ifFrame{parent: b.cur, taken: cond, at: t})
		b.cur &= cond
	case dirElsIf, dirElse:
		if len(b.ifs) == 0 {
			b.reportAt(codePreprocRegion, t, func(ru bool) string {
				if ru {
					return d.name(ru) + " без #Если: удалите строку или добавьте выше #Если ... Тогда"
				}
				return d.name(ru) + " without #If: delete the line or add #If ... Then above it"
			})
			return
		}
		f := &b.ifs[len(b.ifs)-1]
		if f.sawElse {
			b.reportAt(codePreprocSyntax, t, func(ru bool) string {
				if ru {
					return d.name(ru) + " после #Иначе: перенесите его выше #Иначе или закройте блок #КонецЕсли"
				}
				return d.name(ru) + " after #Else: move it above #Else or close the block with #EndIf"
			})
		}
		cond := allOSContexts
		if d == dirElsIf {
			cond = b.condition(t, rest)
		} else {
			f.sawElse = true
		}
		b.cur = f.parent & cond &^ f.taken
		f.taken |= cond
	case dirEndIf:
		if len(b.ifs) == 0 {
			b.reportAt(codePreprocRegion, t, func(ru bool) string {
				if ru {
					return "#КонецЕсли без #Если: удалите строку или добавьте выше #Если ... Тогда"
				}
				return "#EndIf without #If: delete the line or add #If ... Then above it"
			})
			return
		}
		b.cur = b.ifs[len(b.ifs)-1].parent
		b.ifs = b.ifs[:len(b.ifs)-1]
	case dirRegion:
		p := skipBlank(t.Text, rest)
		name := t.Text[p:identEnd(t.Text, p)]
		if name == "" {
			b.reportAt(codePreprocSyntax, t, func(ru bool) string {
				if ru {
					return "#Область без имени: допишите имя области после #Область"
				}
				return "#Region without a name: write the region's name after #Region"
			})
		}
		b.regions = append(b.regions, openRegion{index: len(b.m.regions), at: t})
		b.m.regions = append(b.m.regions, Region{Name: name, Line: t.Line})
	case dirEndRegion:
		if len(b.regions) == 0 {
			b.reportAt(codePreprocRegion, t, func(ru bool) string {
				if ru {
					return "#КонецОбласти без открытой #Область: удалите строку или добавьте выше #Область с именем области"
				}
				return "#EndRegion without an open #Region: delete the line or add a #Region with a name above it"
			})
			return
		}
		b.m.regions[b.regions[len(b.regions)-1].index].EndLine = t.Line
		b.regions = b.regions[:len(b.regions)-1]
	case dirDelete:
		b.deleting = &t
	case dirEndDelete:
		if b.deleting == nil {
			b.reportAt(codePreprocRegion, t, func(ru bool) string {
				if ru {
					return "#КонецУдаления без #Удаление: удалите строку или добавьте выше #Удаление"
				}
				return "#EndDelete without #Delete: delete the line or add #Delete above it"
			})
		}
		b.deleting = nil
	case dirInsert:
		b.inserts = append(b.inserts, t)
	case dirEndInsert:
		if len(b.inserts) == 0 {
			b.reportAt(codePreprocRegion, t, func(ru bool) string {
				if ru {
					return "#КонецВставки без #Вставка: удалите строку или добавьте выше #Вставка"
				}
				return "#EndInsert without #Insert: delete the line or add #Insert above it"
			})
			return
		}
		b.inserts = b.inserts[:len(b.inserts)-1]
	default:
		if t.Line == 1 && strings.HasPrefix(t.Text, "#!") {
			return // a script's interpreter line: never a 1C module, nothing to compile
		}
		b.reportAt(codePreprocSyntax, t, func(ru bool) string {
			if ru {
				return fmt.Sprintf("неизвестная инструкция препроцессора «#%s»: используйте #Если, #ИначеЕсли, #Иначе, #КонецЕсли, #Область, #КонецОбласти, #Удаление, #КонецУдаления, #Вставка или #КонецВставки", word)
			}
			return fmt.Sprintf("unknown preprocessor instruction \"#%s\": use #If, #ElsIf, #Else, #EndIf, #Region, #EndRegion, #Delete, #EndDelete, #Insert or #EndInsert", word)
		})
	}
}

// finish reports the blocks still open at the end of the module, each at
// the line that opened it.
func (b *lineBuilder) finish() {
	for _, f := range b.ifs {
		b.reportAt(codePreprocRegion, f.at, func(ru bool) string {
			if ru {
				return "#Если без #КонецЕсли: добавьте #КонецЕсли там, где кончается условный блок"
			}
			return "#If without #EndIf: add #EndIf where the conditional block ends"
		})
	}
	for _, o := range b.regions {
		r := b.m.regions[o.index]
		b.reportAt(codePreprocRegion, o.at, func(ru bool) string {
			if ru {
				return fmt.Sprintf("область «%s» не закрыта: добавьте #КонецОбласти там, где она кончается", r.Name)
			}
			return fmt.Sprintf("region %q is not closed: add #EndRegion where it ends", r.Name)
		})
	}
	if b.deleting != nil {
		b.reportAt(codePreprocRegion, *b.deleting, func(ru bool) string {
			if ru {
				return "#Удаление без #КонецУдаления: удалены все строки до конца модуля; добавьте #КонецУдаления там, где кончаются удаляемые строки"
			}
			return "#Delete without #EndDelete: every line to the end of the module is deleted; add #EndDelete where the deleted lines end"
		})
	}
	for _, t := range b.inserts {
		b.reportAt(codePreprocRegion, t, func(ru bool) string {
			if ru {
				return "#Вставка без #КонецВставки: добавьте #КонецВставки там, где кончаются вставленные строки"
			}
			return "#Insert without #EndInsert: add #EndInsert where the inserted lines end"
		})
	}
}

// condition evaluates the condition of an #Если or #ИначеЕсли line, whose
// text after the directive's word starts at rest, to the set of contexts
// where it is true. Its grammar is 1C's:
//
//	condition = term { Или term } ; term = factor { И factor } ;
//	factor = Не factor | ( condition ) | symbol
//
// followed by Тогда. An unknown symbol is reported and taken as false, so
// that the lines it guards are compiled nowhere, which is the safer reading
// for the checks that follow; other mistakes are preprocessor-syntax.
func (b *lineBuilder) condition(t Token, rest int) osContextSet {
	p := condParser{b: b, t: t, p: rest}
	p.advance()
	if p.word == "" && !p.lparen {
		b.reportAt(codePreprocSyntax, t, func(ru bool) string {
			if ru {
				return "нет условия после " + directiveWord(t) + ": напишите условие из символов препроцессора (Сервер, Клиент, ТонкийКлиент ...) и Тогда"
			}
			return "no condition after " + directiveWord(t) + ": write a condition of preprocessor symbols (Server, Client, ThinClient ...) and Then"
		})
		return 0
	}
	set := p.or()
	if p.failed {
		return set
	}
	if !p.isWord("тогда", "then") {
		p.syntax()
		return set
	}
	p.advance()
	if p.word != "" || p.lparen || p.rparen || p.other {
		p.syntax()
	}
	return set
}

// directiveWord is the # and word of a directive line, as written.
func directiveWord(t Token) string {
	_, _, rest := parseDirective(t.Text)
	return strings.TrimSpace(t.Text[:rest])
}

// condParser reads a condition one lexeme at a time: a word, a parenthesis
// or any other character (other), with its column for findings.
type condParser struct {
	b              *lineBuilder
	t              Token
	p              int
	word           string
	lparen, rparen bool
	other          bool
	start          int // byte offset in t.Text of the current lexeme
	failed         bool
}

func (c *condParser) advance() {
	text := c.t.Text
	c.word, c.lparen, c.rparen, c.other = "", false, false, false
	c.p = skipBlank(text, c.p)
	c.start = c.p
	if c.p >= len(text) {
		return
	}
	if strings.HasPrefix(text[c.p:], "//") {
		c.p = len(text)
		return
	}
	switch text[c.p] {
	case '(':
		c.lparen = true
		c.p++
		return
	case ')':
		c.rparen = true
		c.p++
		return
	}
	if e := identEnd(text, c.p); e > c.p {
		c.word = text[c.p:e]
		c.p = e
		return
	}
	_, size := utf8.DecodeRuneInString(text[c.p:])
	c.other = true
	c.p += size
}

func (c *condParser) isWord(ru, en string) bool {
	return strings.EqualFold(c.word, ru) || strings.EqualFold(c.word, en)
}

// col is the column of the current lexeme.
func (c *condParser) col() int {
	return c.t.Col + utf8.RuneCountInString(c.t.Text[:c.start])
}

// syntax reports the current lexeme as unexpected, once per line.
func (c *condParser) syntax() {
	if c.failed {
		return
	}
	c.failed = true
	got := strings.TrimSpace(c.t.Text[c.start:c.p])
	col := c.col()
	end := col + utf8.RuneCountInString(got)
	if got == "" {
		end = col + 1
	}
	c.b.report(codePreprocSyntax, c.t.Line, col, end, func(ru bool) string {
		if ru {
			if got == "" {
				return "условие " + directiveWord(c.t) + " не закончено: допишите его и Тогда"
			}
			return fmt.Sprintf("в условии %s неожиданно «%s»: условие состоит из символов препроцессора, И, ИЛИ, НЕ и скобок и кончается словом Тогда", directiveWord(c.t), got)
		}
		if got == "" {
			return "the condition of " + directiveWord(c.t) + " is not finished: complete it and write Then"
		}
		return fmt.Sprintf("unexpected %q in the condition of %s: a condition is made of preprocessor symbols, And, Or, Not and parentheses and ends with Then", got, directiveWord(c.t))
	})
}

func (c *condParser) or() osContextSet {
	set := c.and()
	for !c.failed && c.isWord("или", "or") {
		c.advance()
		set |= c.and()
	}
	return set
}

func (c *condParser) and() osContextSet {
	set := c.factor()
	for !c.failed && c.isWord("и", "and") {
		c.advance()
		set &= c.factor()
	}
	return set
}

func (c *condParser) factor() osContextSet {
	switch {
	case c.failed:
		return 0
	case c.isWord("не", "not"):
		c.advance()
		return allOSContexts &^ c.factor()
	case c.lparen:
		c.advance()
		set := c.or()
		if c.failed {
			return set
		}
		if !c.rparen {
			c.syntax()
			return set
		}
		c.advance()
		return set
	case c.word != "" && !c.isWord("тогда", "then") && !c.isWord("и", "and") && !c.isWord("или", "or"):
		return c.symbol()
	}
	c.syntax()
	return 0
}

// symbol is the set where the current word, a symbol, is true.
func (c *condParser) symbol() osContextSet {
	word := c.word
	var set osContextSet
	if o, ok := ParseOS(word); ok {
		set = onOS(o)
	} else {
		var ctxs ContextSet
		known := false
		for _, ctx := range Contexts() {
			v, ok := SymbolValue(word, ctx)
			known = ok
			if v {
				ctxs |= 1 << ctx
			}
		}
		set = onEveryOS(ctxs)
		if !known {
			col := c.col()
			c.b.report(codePreprocSymbol, c.t.Line, col, col+utf8.RuneCountInString(word), func(ru bool) string {
				if ru {
					return fmt.Sprintf("неизвестный символ препроцессора «%s»: используйте Клиент, НаКлиенте, Сервер, НаСервере, имя контекста (ТонкийКлиент, ВебКлиент, МобильныйКлиент, ТолстыйКлиентОбычноеПриложение, ТолстыйКлиентУправляемоеПриложение, ВнешнееСоединение, МобильноеПриложениеКлиент, МобильноеПриложениеСервер, МобильныйАвтономныйСервер) или операционной системы (Windows, Linux, MacOS)", word)
				}
				return fmt.Sprintf("unknown preprocessor symbol %q: use Client, AtClient, Server, AtServer, a context's name (ThinClient, WebClient, MobileClient, ThickClientOrdinaryApplication, ThickClientManagedApplication, ExternalConnection, MobileAppClient, MobileAppServer, MobileStandaloneServer) or an operating system's (Windows, Linux, MacOS)", word)
			})
		}
	}
	c.advance()
	return set
}

// languageOf tells a module's language from its keywords when nothing else
// does (a file outside a dump): Russian unless more keywords are spelled in
// Latin letters than in Cyrillic ones.
func languageOf(toks []Token) bool {
	ru, en := 0, 0
	for i := range toks {
		t := &toks[i]
		if !t.Kind.IsKeyword() || t.Kind == TokNull {
			continue
		}
		if t.Text[0] < utf8.RuneSelf {
			en++
		} else {
			ru++
		}
	}
	return ru >= en
}

package bsl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind is the lexical class of a token.
type TokenKind uint8

// The token kinds. Keywords have a kind each, so that a parser compares
// kinds and never spellings; a keyword written after a dot is an
// identifier (Запрос.Выполнить() calls a method, it is not the Выполнить
// statement).
const (
	TokIllegal      TokenKind = iota // a character BSL does not use here: a stray |, # or &, @, $
	TokIdent                         // Контрагенты, _Имя2
	TokNumber                        // 12, 12.50
	TokString                        // "text", or one piece of a multi-line string (see Lex)
	TokDate                          // '20240101'
	TokComment                       // // to the end of the line
	TokPreprocessor                  // a whole line whose first non-blank character is #
	TokAnnotation                    // &НаКлиенте, &Перед("ПередЗаписью"): the name and its (...) if on the same line
	TokDeleted                       // the lines between #Удаление and #КонецУдаления, as one token

	TokLParen    // (
	TokRParen    // )
	TokLBrack    // [
	TokRBrack    // ]
	TokComma     // ,
	TokSemicolon // ;
	TokDot       // .
	TokColon     // :
	TokQuestion  // ? (the ternary ?(a, b, c))
	TokTilde     // ~ (a label ~Метка:)
	TokAssign    // = (assignment and comparison)
	TokNotEq     // <>
	TokLess      // <
	TokLessEq    // <=
	TokGreater   // >
	TokGreaterEq // >=
	TokPlus      // +
	TokMinus     // -
	TokMul       // *
	TokDiv       // /
	TokMod       // %

	keywordsStart
	TokProcedure     // Процедура / Procedure
	TokFunction      // Функция / Function
	TokEndProcedure  // КонецПроцедуры / EndProcedure
	TokEndFunction   // КонецФункции / EndFunction
	TokExport        // Экспорт / Export
	TokVar           // Перем / Var
	TokVal           // Знач / Val
	TokIf            // Если / If
	TokThen          // Тогда / Then
	TokElsIf         // ИначеЕсли / ElsIf
	TokElse          // Иначе / Else
	TokEndIf         // КонецЕсли / EndIf
	TokFor           // Для / For
	TokEach          // Каждого / Each
	TokIn            // Из / In
	TokTo            // По / To
	TokWhile         // Пока / While
	TokDo            // Цикл / Do
	TokEndDo         // КонецЦикла / EndDo
	TokTry           // Попытка / Try
	TokExcept        // Исключение / Except
	TokEndTry        // КонецПопытки / EndTry
	TokRaise         // ВызватьИсключение / Raise
	TokReturn        // Возврат / Return
	TokContinue      // Продолжить / Continue
	TokBreak         // Прервать / Break
	TokGoto          // Перейти / Goto
	TokNew           // Новый / New
	TokAnd           // И / And
	TokOr            // Или / Or
	TokNot           // Не / Not
	TokTrue          // Истина / True
	TokFalse         // Ложь / False
	TokUndefined     // Неопределено / Undefined
	TokNull          // NULL
	TokExecute       // Выполнить / Execute
	TokAddHandler    // ДобавитьОбработчик / AddHandler
	TokRemoveHandler // УдалитьОбработчик / RemoveHandler
	keywordsEnd
)

// IsKeyword reports whether the kind is a reserved word.
func (k TokenKind) IsKeyword() bool { return k > keywordsStart && k < keywordsEnd }

// trivia reports whether a token carries no code: parsers skip comments,
// preprocessor lines and deleted lines wherever they stand.
func (k TokenKind) trivia() bool {
	return k == TokComment || k == TokPreprocessor || k == TokDeleted
}

// keywordSpellings are each keyword's Russian and English forms.
var keywordSpellings = [...]struct {
	kind   TokenKind
	ru, en string
}{
	{TokProcedure, "Процедура", "Procedure"}, {TokFunction, "Функция", "Function"},
	{TokEndProcedure, "КонецПроцедуры", "EndProcedure"}, {TokEndFunction, "КонецФункции", "EndFunction"},
	{TokExport, "Экспорт", "Export"}, {TokVar, "Перем", "Var"}, {TokVal, "Знач", "Val"},
	{TokIf, "Если", "If"}, {TokThen, "Тогда", "Then"}, {TokElsIf, "ИначеЕсли", "ElsIf"},
	{TokElse, "Иначе", "Else"}, {TokEndIf, "КонецЕсли", "EndIf"}, {TokFor, "Для", "For"},
	{TokEach, "Каждого", "Each"}, {TokIn, "Из", "In"}, {TokTo, "По", "To"},
	{TokWhile, "Пока", "While"}, {TokDo, "Цикл", "Do"}, {TokEndDo, "КонецЦикла", "EndDo"},
	{TokTry, "Попытка", "Try"}, {TokExcept, "Исключение", "Except"}, {TokEndTry, "КонецПопытки", "EndTry"},
	{TokRaise, "ВызватьИсключение", "Raise"}, {TokReturn, "Возврат", "Return"},
	{TokContinue, "Продолжить", "Continue"}, {TokBreak, "Прервать", "Break"}, {TokGoto, "Перейти", "Goto"},
	{TokNew, "Новый", "New"}, {TokAnd, "И", "And"}, {TokOr, "Или", "Or"}, {TokNot, "Не", "Not"},
	{TokTrue, "Истина", "True"}, {TokFalse, "Ложь", "False"}, {TokUndefined, "Неопределено", "Undefined"},
	{TokNull, "NULL", "NULL"}, {TokExecute, "Выполнить", "Execute"},
	{TokAddHandler, "ДобавитьОбработчик", "AddHandler"}, {TokRemoveHandler, "УдалитьОбработчик", "RemoveHandler"},
}

// keywordKinds maps a lower-case spelling to its kind; built once from
// keywordSpellings, read only.
var keywordKinds = func() map[string]TokenKind {
	m := make(map[string]TokenKind, 2*len(keywordSpellings))
	for _, k := range keywordSpellings {
		m[strings.ToLower(k.ru)] = k.kind
		m[strings.ToLower(k.en)] = k.kind
	}
	return m
}()

// maxKeywordBytes bounds the words worth looking up: longer ones are
// identifiers, and the bound keeps the lower-casing buffer on the stack.
const maxKeywordBytes = 40

// keywordKind is the kind of a word: its keyword, or TokIdent.
func keywordKind(word string) TokenKind {
	if len(word) > maxKeywordBytes {
		return TokIdent
	}
	var buf [maxKeywordBytes * 2]byte
	b := buf[:0]
	for _, r := range word {
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	if k, ok := keywordKinds[string(b)]; ok {
		return k
	}
	return TokIdent
}

// Token is one lexeme of a module. Lines and columns are 1-based, columns
// count characters (runes) and End is the position just after the token,
// so a Finding can be made from a token as it is.
type Token struct {
	Kind            TokenKind
	Text            string // the token as written, a slice of the source
	Offset          int    // byte offset of Text in the source
	Line, Col       int
	EndLine, EndCol int
}

// Lex splits a module into tokens in one pass. It never fails: what it does
// not understand becomes a TokIllegal token, an unterminated string or date
// ends at the end of its line. A UTF-8 byte-order mark at the start is
// skipped; \n, \r\n and a lone \r all end a line, as in 1C's editors.
//
// A string continues on the following lines whose first non-blank character
// is |; blank lines and // comment lines between them belong to the string,
// as the platform allows (queries often have lines commented out that way).
// A preprocessor line (#Удаление, #Вставка, #Если...) between the lines of
// a string interrupts the token: the part before it is one TokString, the
// preprocessor line and any deleted lines are their own tokens, and the
// string resumes as another TokString starting at the next |. Tokens
// therefore never overlap, and every preprocessor line of the file is a
// token, which is what the preprocessor reads.
func Lex(src string) []Token {
	s := scanner{src: src, line: 1, col: 1}
	if strings.HasPrefix(src, bom) {
		s.off = len(bom)
		s.posOff = len(bom)
	}
	s.toks = make([]Token, 0, len(src)/8+1)
	s.run()
	return s.toks
}

// bom is the UTF-8 byte-order mark 1C writes at the start of every module.
const bom = "\uFEFF"

// scanner is Lex's state. Positions are computed by one cursor that only
// moves forward (posOff, line, col), so columns in characters cost nothing
// extra even on very long lines.
type scanner struct {
	src  string
	off  int
	toks []Token

	posOff, line, col int

	// lastCode is the kind of the last token that is not trivia: a word
	// after a dot is a name even if it is spelled like a keyword.
	lastCode TokenKind
}

// pos is the line and column of byte offset off, which must not be before
// the previous call's.
func (s *scanner) pos(off int) (line, col int) {
	if off < s.posOff {
		s.posOff, s.line, s.col = 0, 1, 1
		if strings.HasPrefix(s.src, bom) && off >= len(bom) {
			s.posOff = len(bom)
		}
	}
	src := s.src
	for s.posOff < off {
		c := src[s.posOff]
		switch {
		case c == '\n':
			s.line++
			s.col = 1
			s.posOff++
		case c == '\r':
			if s.posOff+1 >= len(src) || src[s.posOff+1] != '\n' {
				s.line++
				s.col = 1
			}
			s.posOff++
		case c < utf8.RuneSelf:
			s.col++
			s.posOff++
		default:
			_, size := utf8.DecodeRuneInString(src[s.posOff:])
			s.col++
			s.posOff += size
		}
	}
	return s.line, s.col
}

func (s *scanner) emit(kind TokenKind, start, end int) {
	line, col := s.pos(start)
	endLine, endCol := s.pos(end)
	s.toks = append(s.toks, Token{Kind: kind, Text: s.src[start:end], Offset: start,
		Line: line, Col: col, EndLine: endLine, EndCol: endCol})
	if !kind.trivia() {
		s.lastCode = kind
	}
	s.off = end
}

// run is the main loop: one token per iteration, whitespace skipped.
// atLineStart tells a preprocessor line and a string's continuation apart
// from a stray # or |.
func (s *scanner) run() {
	src := s.src
	atLineStart := true
	for s.off < len(src) {
		c := src[s.off]
		if c == '\n' || c == '\r' {
			s.off++
			atLineStart = true
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(src[s.off:])
		}
		if isBlank(r) {
			s.off += size
			continue
		}
		start := s.off
		if atLineStart {
			atLineStart = false
			switch c {
			case '#':
				s.preprocessorLine()
				continue
			case '|':
				s.str(start, start+1)
				continue
			}
		}
		switch {
		case r == '_' || unicode.IsLetter(r):
			s.word(start)
		case c >= '0' && c <= '9':
			s.number(start)
		case c == '"':
			s.str(start, start+1)
		case c == '\'':
			end := strings.IndexByte(src[start+1:lineEnd(src, start)], '\'')
			if end < 0 {
				s.emit(TokDate, start, lineEnd(src, start))
			} else {
				s.emit(TokDate, start, start+1+end+1)
			}
		case c == '/' && strings.HasPrefix(src[start:], "//"):
			s.emit(TokComment, start, lineEnd(src, start))
		case c == '&':
			s.annotation(start)
		default:
			s.punct(start, r, size)
		}
	}
}

// isBlank reports whether r separates tokens without ending a line.
func isBlank(r rune) bool {
	return r != '\n' && r != '\r' && (unicode.IsSpace(r) || r == '\uFEFF')
}

// identEnd is the offset just after the identifier starting at p.
func identEnd(src string, p int) int {
	for p < len(src) {
		c := src[p]
		if c < utf8.RuneSelf {
			if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				p++
				continue
			}
			return p
		}
		r, size := utf8.DecodeRuneInString(src[p:])
		if !unicode.IsLetter(r) {
			return p
		}
		p += size
	}
	return p
}

// lineEnd is the offset of the line break (or the end of the text) at or
// after p.
func lineEnd(src string, p int) int {
	if i := strings.IndexAny(src[p:], "\r\n"); i >= 0 {
		return p + i
	}
	return len(src)
}

// nextLine is the offset of the start of the line after the one ending at
// p (p at a line break), or len(src).
func nextLine(src string, p int) int {
	if p < len(src) && src[p] == '\r' {
		p++
	}
	if p < len(src) && src[p] == '\n' {
		p++
	}
	return p
}

// skipBlank is the offset of the first non-blank character at or after p
// on its line.
func skipBlank(src string, p int) int {
	for p < len(src) {
		r, size := utf8.DecodeRuneInString(src[p:])
		if !isBlank(r) {
			return p
		}
		p += size
	}
	return p
}

func (s *scanner) word(start int) {
	end := identEnd(s.src, start)
	kind := TokIdent
	if s.lastCode != TokDot {
		kind = keywordKind(s.src[start:end])
	}
	s.emit(kind, start, end)
}

func (s *scanner) number(start int) {
	src := s.src
	p := start
	for p < len(src) && src[p] >= '0' && src[p] <= '9' {
		p++
	}
	if p+1 < len(src) && src[p] == '.' && src[p+1] >= '0' && src[p+1] <= '9' {
		p++
		for p < len(src) && src[p] >= '0' && src[p] <= '9' {
			p++
		}
	}
	s.emit(TokNumber, start, p)
}

// str scans a string token starting at start whose text to read begins at
// p (after the opening " or the |). See Lex for how lines continue.
func (s *scanner) str(start, p int) {
	src := s.src
	for {
		end, closed := stringLineEnd(src, p)
		if closed {
			s.emit(TokString, start, end)
			return
		}
		bar, ok := continuation(src, end)
		if !ok {
			s.emit(TokString, start, end)
			return
		}
		p = bar + 1
	}
}

// stringLineEnd reads a string's text on one line from p: the offset just
// after the closing quote and true, or the line's end and false.
func stringLineEnd(src string, p int) (int, bool) {
	for p < len(src) {
		switch src[p] {
		case '"':
			if p+1 < len(src) && src[p+1] == '"' {
				p += 2
				continue
			}
			return p + 1, true
		case '\n', '\r':
			return p, false
		}
		p++
	}
	return p, false
}

// continuation looks past the line break at end for the | that continues
// a string, over blank and comment lines; it stops at a preprocessor line
// (the string resumes after it as a new token, see Lex) and at any other
// code. Each line it passes is one the main loop would otherwise read
// once, so the look-ahead keeps lexing linear.
func continuation(src string, end int) (int, bool) {
	for p := end; p < len(src); {
		p = nextLine(src, p)
		q := skipBlank(src, p)
		if q >= len(src) {
			return 0, false
		}
		switch {
		case src[q] == '|':
			return q, true
		case src[q] == '\n' || src[q] == '\r':
			p = q
		case strings.HasPrefix(src[q:], "//"):
			p = lineEnd(src, q)
		default:
			return 0, false
		}
	}
	return 0, false
}

// preprocessorLine emits the line starting at s.off (a #) as one token and,
// after #Удаление, the deleted lines up to #КонецУдаления as another: the
// extension removes them before anything else reads the module, so nothing
// in them is code, not even an unbalanced quote.
func (s *scanner) preprocessorLine() {
	src := s.src
	start := s.off
	end := lineEnd(src, start)
	s.emit(TokPreprocessor, start, end)
	if d, _, _ := parseDirective(src[start:end]); d != dirDelete {
		return
	}
	first := nextLine(src, end)
	last := -1
	for p := first; p < len(src); {
		q := skipBlank(src, p)
		e := lineEnd(src, q)
		if q < len(src) && src[q] == '#' {
			if d, _, _ := parseDirective(src[q:e]); d == dirEndDelete {
				break
			}
		}
		last = e
		if e >= len(src) {
			break
		}
		p = nextLine(src, e)
	}
	if last > first {
		s.emit(TokDeleted, first, last)
	}
}

// annotation scans &Name and, if a ( follows on the same line, its
// arguments up to the matching ) (strings in them may hold parentheses).
// A & that starts no name is illegal: BSL has no & operator.
func (s *scanner) annotation(start int) {
	src := s.src
	p := skipBlank(src, start+1)
	nameEnd := identEnd(src, p)
	if nameEnd == p || src[p] >= '0' && src[p] <= '9' {
		s.emit(TokIllegal, start, start+1)
		return
	}
	end := nameEnd
	q := skipBlank(src, nameEnd)
	if q < len(src) && src[q] == '(' {
		if close := annotationArgsEnd(src, q); close > 0 {
			end = close
		}
	}
	s.emit(TokAnnotation, start, end)
}

// annotationArgsEnd is the offset after the ) matching the ( at p on the
// same line, or 0.
func annotationArgsEnd(src string, p int) int {
	depth := 0
	for p < len(src) {
		switch src[p] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return p + 1
			}
		case '"':
			end, closed := stringLineEnd(src, p+1)
			if !closed {
				return 0
			}
			p = end
			continue
		case '\n', '\r':
			return 0
		}
		p++
	}
	return 0
}

var punctKinds = [128]TokenKind{
	'(': TokLParen, ')': TokRParen, '[': TokLBrack, ']': TokRBrack, ',': TokComma,
	';': TokSemicolon, '.': TokDot, ':': TokColon, '?': TokQuestion, '~': TokTilde,
	'=': TokAssign, '<': TokLess, '>': TokGreater, '+': TokPlus, '-': TokMinus,
	'*': TokMul, '/': TokDiv, '%': TokMod,
}

func (s *scanner) punct(start int, r rune, size int) {
	if r >= utf8.RuneSelf || punctKinds[r] == 0 {
		s.emit(TokIllegal, start, start+size)
		return
	}
	kind := punctKinds[r]
	if start+1 < len(s.src) {
		switch two := s.src[start : start+2]; two {
		case "<=":
			s.emit(TokLessEq, start, start+2)
			return
		case ">=":
			s.emit(TokGreaterEq, start, start+2)
			return
		case "<>":
			s.emit(TokNotEq, start, start+2)
			return
		}
	}
	s.emit(kind, start, start+1)
}

// Value is the text a string token stands for: quotes and the | of
// continuation lines removed, "" undone, the blank and comment lines
// between continuation lines dropped, lines joined with \n. For the pieces
// of a string that preprocessor lines interrupt (see Lex), the string's
// value is the pieces' values joined with \n. Other tokens' Value is their
// Text.
func (t Token) Value() string {
	if t.Kind != TokString {
		return t.Text
	}
	text := t.Text
	var b strings.Builder
	p := 1 // past the opening " or |
	if text == "" {
		return ""
	}
	for first := true; ; first = false {
		if !first {
			// p is at a line break: find the next line's |, skipping the
			// blank and comment lines the token holds.
			bar, ok := continuation(text, p)
			if !ok {
				return b.String()
			}
			b.WriteByte('\n')
			p = bar + 1
		}
		for p < len(text) {
			c := text[p]
			if c == '"' {
				if p+1 < len(text) && text[p+1] == '"' {
					b.WriteByte('"')
					p += 2
					continue
				}
				return b.String()
			}
			if c == '\n' || c == '\r' {
				break
			}
			b.WriteByte(c)
			p++
		}
		if p >= len(text) {
			return b.String()
		}
	}
}

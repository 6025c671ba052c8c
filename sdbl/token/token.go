package token

import (
	"strings"
	"unicode/utf8"
)

// Pos is a byte offset in the text being parsed; source.Text.Locate turns it
// into file:line:col of what the user wrote.
type Pos int

// NoPos is the position of a node that has none (made by a program, not parsed).
const NoPos Pos = -1

// IsValid reports whether p is a real position.
func (p Pos) IsValid() bool { return p >= 0 }

// Kind is the lexical class of a token.
type Kind int

// The token kinds.
const (
	EOF     Kind = iota
	ILLEGAL      // a character the language does not know; Lit holds it
	IDENT        // Контрагенты, Catalog, ЕСТЬNULL (keywords are IDENT with a Keyword)
	NUMBER       // 12, 12.50
	STRING       // "text" (Value holds the text without quotes and with "" undone)
	PARAM        // &Name
	HASH         // #Name: a directive or template call left in the text

	LPAREN    // (
	RPAREN    // )
	COMMA     // ,
	DOT       // .
	SEMICOLON // ;
	PLUS      // +
	MINUS     // -
	STAR      // *
	SLASH     // /
	EQ        // =
	NE        // <>
	LT        // <
	GT        // >
	LE        // <=
	GE        // >=
)

var kindNames = [...]string{
	EOF: "end of text", ILLEGAL: "illegal character", IDENT: "name", NUMBER: "number",
	STRING: "string", PARAM: "parameter", HASH: "#directive",
	LPAREN: "(", RPAREN: ")", COMMA: ",", DOT: ".", SEMICOLON: ";", PLUS: "+", MINUS: "-",
	STAR: "*", SLASH: "/", EQ: "=", NE: "<>", LT: "<", GT: ">", LE: "<=", GE: ">=",
}

// String returns how the kind is named in messages.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "token"
}

// Keyword identifies a reserved or contextual word of the language.
type Keyword int

// Keywords. Reserved ones (see Reserved) can never be names; the others are
// keywords only where the grammar expects them and names elsewhere, as field
// names such as Значение or Тип are common in real configurations.
const (
	NoKeyword Keyword = iota
	Select
	Allowed
	Distinct
	Top
	From
	Where
	And
	Or
	Not
	In
	Hierarchy       // ИЕРАРХИИ (В ИЕРАРХИИ)
	HierarchyTotals // ИЕРАРХИЯ (in ИТОГИ)
	Refs
	Is
	Null
	Like
	Escape
	Between
	Case
	When
	Then
	Else
	End
	True
	False
	Undefined
	Left
	Right
	Full
	Inner
	Outer
	Join
	On // ПО / ON
	By // ПО / BY
	Group
	Having
	Union
	All
	Order
	Asc
	Desc
	As
	Into
	For
	Update // ИЗМЕНЕНИЯ
	Totals
	Overall
	Only
	Periods
	Autoorder
	Index
	Drop
	CurrentTable // ТекущаяТаблица in the restriction form
	numKeywords
)

// Spelling gives a keyword's Russian and English forms as the printer writes them.
type Spelling struct{ RU, EN string }

// Spellings lists each keyword's canonical forms; extra accepted forms are in alsoAccepted.
var Spellings = [numKeywords]Spelling{
	Select: {"ВЫБРАТЬ", "SELECT"}, Allowed: {"РАЗРЕШЕННЫЕ", "ALLOWED"}, Distinct: {"РАЗЛИЧНЫЕ", "DISTINCT"},
	Top: {"ПЕРВЫЕ", "TOP"}, From: {"ИЗ", "FROM"}, Where: {"ГДЕ", "WHERE"}, And: {"И", "AND"},
	Or: {"ИЛИ", "OR"}, Not: {"НЕ", "NOT"}, In: {"В", "IN"}, Hierarchy: {"ИЕРАРХИИ", "HIERARCHY"},
	HierarchyTotals: {"ИЕРАРХИЯ", "HIERARCHY"}, Refs: {"ССЫЛКА", "REFS"}, Is: {"ЕСТЬ", "IS"},
	Null: {"NULL", "NULL"}, Like: {"ПОДОБНО", "LIKE"}, Escape: {"СПЕЦСИМВОЛ", "ESCAPE"},
	Between: {"МЕЖДУ", "BETWEEN"}, Case: {"ВЫБОР", "CASE"}, When: {"КОГДА", "WHEN"},
	Then: {"ТОГДА", "THEN"}, Else: {"ИНАЧЕ", "ELSE"}, End: {"КОНЕЦ", "END"}, True: {"ИСТИНА", "TRUE"},
	False: {"ЛОЖЬ", "FALSE"}, Undefined: {"НЕОПРЕДЕЛЕНО", "UNDEFINED"}, Left: {"ЛЕВОЕ", "LEFT"},
	Right: {"ПРАВОЕ", "RIGHT"}, Full: {"ПОЛНОЕ", "FULL"}, Inner: {"ВНУТРЕННЕЕ", "INNER"},
	Outer: {"ВНЕШНЕЕ", "OUTER"}, Join: {"СОЕДИНЕНИЕ", "JOIN"}, On: {"ПО", "ON"}, By: {"ПО", "BY"},
	Group: {"СГРУППИРОВАТЬ", "GROUP"}, Having: {"ИМЕЮЩИЕ", "HAVING"}, Union: {"ОБЪЕДИНИТЬ", "UNION"},
	All: {"ВСЕ", "ALL"}, Order: {"УПОРЯДОЧИТЬ", "ORDER"}, Asc: {"ВОЗР", "ASC"}, Desc: {"УБЫВ", "DESC"},
	As: {"КАК", "AS"}, Into: {"ПОМЕСТИТЬ", "INTO"}, For: {"ДЛЯ", "FOR"}, Update: {"ИЗМЕНЕНИЯ", "UPDATE"},
	Totals: {"ИТОГИ", "TOTALS"}, Overall: {"ОБЩИЕ", "OVERALL"}, Only: {"ТОЛЬКО", "ONLY"},
	Periods: {"ПЕРИОДАМИ", "PERIODS"}, Autoorder: {"АВТОУПОРЯДОЧИВАНИЕ", "AUTOORDER"},
	Index: {"ИНДЕКСИРОВАТЬ", "INDEX"}, Drop: {"УНИЧТОЖИТЬ", "DROP"},
	CurrentTable: {"ТекущаяТаблица", "CurrentTable"},
}

// keywordsByWord maps a lower-cased word to its keyword. ПО maps to On; the
// parser treats it as By after СГРУППИРОВАТЬ, УПОРЯДОЧИТЬ, ИНДЕКСИРОВАТЬ and ИТОГИ.
var keywordsByWord = func() map[string]Keyword {
	m := make(map[string]Keyword)
	for k := Keyword(1); k < numKeywords; k++ {
		for _, w := range []string{Spellings[k].RU, Spellings[k].EN} {
			lw := strings.ToLower(w)
			if _, dup := m[lw]; !dup {
				m[lw] = k
			}
		}
	}
	m["ссылка"] = Refs
	m["by"] = By
	m["иерархия"] = HierarchyTotals
	m["hierarchy"] = Hierarchy
	return m
}()

// maxKeywordLen is the longest keyword in bytes (АВТОУПОРЯДОЧИВАНИЕ).
var maxKeywordLen = func() int {
	n := 0
	for w := range keywordsByWord {
		n = max(n, len(w))
	}
	return n
}()

// Lookup returns the keyword a word spells, or NoKeyword. It is called for
// every name the lexer meets, so it lower-cases into a stack buffer instead
// of allocating.
func Lookup(word string) Keyword {
	if len(word) > maxKeywordLen {
		return NoKeyword
	}
	var buf [64]byte
	b := buf[:0]
	for _, r := range word {
		b = utf8.AppendRune(b, ToLower(r))
	}
	return keywordsByWord[string(b)]
}

// reserved words can never be names: they start or end clauses or are
// operators, so reading them as names would make texts ambiguous.
var reserved = map[Keyword]bool{
	Select: true, From: true, Where: true, And: true, Or: true, Not: true, In: true, Is: true,
	Null: true, Like: true, Escape: true, Between: true, Case: true, When: true, Then: true,
	Else: true, End: true, True: true, False: true, Undefined: true, Left: true, Right: true,
	Full: true, Inner: true, Join: true, On: true, By: true, Group: true, Having: true,
	Union: true, Order: true, As: true, Into: true, Totals: true, Index: true,
	Drop: true, For: true,
}

// Reserved reports whether k can never be used as a name.
func (k Keyword) Reserved() bool { return reserved[k] }

// String returns the keyword's Russian spelling.
func (k Keyword) String() string {
	if k > 0 && k < numKeywords {
		return Spellings[k].RU
	}
	return ""
}

// Spell returns the keyword in the given language ("ru" or "en").
func (k Keyword) Spell(english bool) string {
	if k <= 0 || k >= numKeywords {
		return ""
	}
	if english {
		return Spellings[k].EN
	}
	return Spellings[k].RU
}

// Token is one lexical token.
type Token struct {
	Kind    Kind
	Keyword Keyword // for IDENT: the keyword the word spells, if any
	Pos     Pos     // offset of the first byte
	End     Pos     // offset just past the last byte
	Lit     string  // the source text of the token
	Value   string  // STRING: the decoded value; PARAM and HASH: the name without & or #
}

// Is reports whether t is the word of keyword k.
func (t Token) Is(k Keyword) bool { return t.Kind == IDENT && t.Keyword == k }

// Describe names the token for a message: "keyword ГДЕ", "name Контрагенты", "end of text".
func (t Token) Describe() string {
	switch t.Kind {
	case EOF:
		return "end of text"
	case IDENT:
		if t.Keyword.Reserved() {
			return "keyword " + t.Lit
		}
		return "name " + t.Lit
	case STRING:
		return "string " + t.Lit
	case NUMBER:
		return "number " + t.Lit
	case PARAM:
		return "parameter " + t.Lit
	case HASH:
		return "directive " + t.Lit
	case ILLEGAL:
		return "character " + quoteRune(t.Lit)
	}
	return "'" + t.Lit + "'"
}

func quoteRune(s string) string { return "'" + s + "'" }

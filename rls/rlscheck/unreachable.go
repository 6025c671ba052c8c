package rlscheck

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"dostup/sdbl/preproc"
	"dostup/sdbl/source"
	"dostup/sqlgen"
)

// 1C compiles only the branches of a restriction that a session's
// parameter values choose, so a variant is worth reporting only if some
// session consistent with the configuration could choose it. The Standard
// Subsystems Library's templates have branches for every shape of table
// (with a Ссылка or not, with access groups or not) and choose among them
// by asking whether a name is in a list its session parameters hold —
// lists the library computes from the metadata:
//
//	#Если СтрСодержит(&ВидыДоступаБезГруппДляЗначенияДоступа, ",#Параметр(6),") #Тогда
//	    ... (no groups)
//	#Иначе
//	    ... Т.ГруппаДоступа ...
//
// A variant of such a branch for a table without the field is no mistake
// of the restriction; it is the answer of a session the metadata
// contradicts. The rule that tells such variants from real mistakes, all of
// it checked, none of it names objects:
//
//  1. every problem of the variant is a field or tabular section that the
//     restricted table does not have (sqlgen.CodeNoField on the table);
//  2. the variant answered a list-membership question about the table:
//     СтрСодержит(&Parameter, "...") whose string holds the table's own
//     name or a value the restriction passes to its template for it;
//  3. inside a #Если chain around the missing field, that answer forces
//     it: with that answer every way through the chain (whatever the other
//     parameters say) reads a field the table lacks, while with the other
//     answer some way reads none.
//
// The table's metadata then decides the question: a consistent session
// answers the other way, and never takes the branch. Such variants are
// reported apart, with the question, and not counted as failures; anything
// short of the rule stays a failure.

// membership matches the canonical text of a list-membership atom.
var membership = regexp.MustCompile(`^(?i:СтрСодержит|StrContains)\(&[\p{L}\p{N}_]+, "((?:[^"]|"")*)"\)$`)

// unreachableVariants returns, by index in failing, the variants the rule
// above shows unreachable, each with the reason.
func (c *checker) unreachableVariants(expanded source.Text, cond *source.File, table string, failing []failedVariant) map[int]string {
	missing := func(e placed) bool {
		return e.code == sqlgen.CodeNoField && strings.HasPrefix(e.msg, table+" has no ")
	}
	// Where each character of the expanded text came from: the problems
	// are located in the variants' texts, the chains in the expanded one.
	var at map[source.Location]int
	offset := func(loc source.Location) (int, bool) {
		if at == nil {
			at = map[source.Location]int{}
			for i := len(expanded.Body) - 1; i >= 0; i-- {
				at[expanded.Locate(i)] = i
			}
		}
		i, ok := at[loc]
		return i, ok
	}
	// Every read of a missing field any variant met: a way through a chain
	// that holds none of them reads only what the table has.
	var reads []int
	for _, f := range failing {
		for _, e := range f.problems {
			if missing(e) {
				if o, ok := offset(e.loc); ok {
					reads = append(reads, o)
				}
			}
		}
	}
	names := describingNames(table, cond)
	out := map[int]string{}
	for i, f := range failing {
		reason := ""
		for _, e := range f.problems {
			o, ok := offset(e.loc)
			if !missing(e) || !ok {
				reason = ""
				break
			}
			why, ok := c.forcedAnswer(expanded, o, reads, f.v, names)
			if !ok {
				reason = ""
				break
			}
			if reason == "" {
				chain := strings.TrimPrefix(e.loc.String(), e.loc.Position().String())
				reason = "unreachable: " + strings.TrimSuffix(e.msg, chain) + ", read only because " + why + chain
			}
		}
		if reason != "" {
			out[i] = reason
		}
	}
	return out
}

// forcedAnswer looks, from the innermost #Если chain around offset o
// outwards, for a list-membership answer of v about the table that forces
// a read of a missing field in the chain (rule 3), and says which.
func (c *checker) forcedAnswer(expanded source.Text, o int, reads []int, v preproc.Variant, names map[string]bool) (string, bool) {
	for _, chain := range chainsAround(expanded.Body, o) {
		for _, a := range v.Assumptions {
			m := membership.FindStringSubmatch(a.Atom)
			if m == nil || !namesTable(strings.ReplaceAll(m[1], `""`, `"`), names) {
				continue
			}
			if c.forces(expanded, chain, reads, a) {
				yes, no := "Истина", "Ложь"
				if !c.russian {
					yes, no = "True", "False"
				}
				if !a.Value {
					yes, no = no, yes
				}
				return fmt.Sprintf("this variant answers %s = %s; with that answer every way through the #Если around it reads what the table does not have, with %s one reads none, so a session whose parameters agree with the metadata answers %s and never compiles this branch", a.Atom, yes, no, no), true
			}
		}
	}
	return "", false
}

// forces reports whether answer a, inside chain (a [start, end) range of
// the expanded text), makes every way through the chain read one of the
// missing fields at reads, while the other answer leaves a way that reads
// none. The chain is enumerated on its own, after a directive that decides
// a's atom first and marks each text with the answer (1 or 0): identical
// atoms agree within a variant, so the chain's own uses of the atom follow
// the mark, and the texts of the two answers stay apart.
func (c *checker) forces(expanded source.Text, chain [2]int, reads []int, a preproc.Assumption) bool {
	head := "#Если " + a.Atom + " #Тогда\n1\n#Иначе\n0\n#КонецЕсли\n"
	if !c.russian {
		head = "#If " + a.Atom + " #Then\n1\n#Else\n0\n#EndIf\n"
	}
	var b source.Builder
	b.Insert(head, expanded.Locate(chain[0]))
	b.CopyText(expanded, chain[0], chain[1])
	sub := b.Text()
	prog, err := preproc.Parse(sub)
	if err != nil {
		return false
	}
	dangling := danglingFieldPaths(sub)
	all, err := prog.Variants(preproc.Options{Params: c.opts.Params, Excluded: dangling})
	if err != nil || !all.Exhaustive {
		return false
	}
	excluded := dangling
	for _, r := range reads {
		if r >= chain[0] && r < chain[1] {
			excluded = append(excluded, r-chain[0]+len(head))
		}
	}
	clean, err := prog.Variants(preproc.Options{Params: c.opts.Params, Excluded: excluded})
	if err != nil || !clean.Exhaustive {
		return false
	}
	mark := func(v preproc.Variant) byte {
		if t := strings.TrimLeft(v.Text.Body, " \t\r\n"); t != "" {
			return t[0]
		}
		return 0
	}
	want, other := byte('0'), byte('1')
	if a.Value {
		want, other = other, want
	}
	taken := false
	for _, v := range all.Variants {
		taken = taken || mark(v) == want
	}
	cleanOther := false
	for _, v := range clean.Variants {
		if mark(v) == want {
			return false // a way with this answer reads only what the table has
		}
		cleanOther = cleanOther || mark(v) == other
	}
	return taken && cleanOther
}

// describingNames are the names that describe the restricted table in list
// questions: its own full name, and the string values the restriction's own
// text passes to its templates (the access kinds, fields and options
// #ПоЗначениям("Справочник.X", "", "", "ВидДоступа", "Поле", ...) gives for
// it).
func describingNames(table string, cond *source.File) map[string]bool {
	names := map[string]bool{strings.ToLower(table): true}
	if cond == nil {
		return names
	}
	for _, s := range callArguments(cond.Text) {
		// Names only: not the conditions and operators (Т.Поле <> 0,
		// "ИЛИ") templates also take.
		if dottedName.MatchString(s) {
			names[strings.ToLower(s)] = true
		}
	}
	return names
}

// dottedName matches a name or a dotted path of names (Справочник.X).
var dottedName = regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*$`)

// namesTable reports whether a list item asked about — ",Вид," or
// "Справочник.X:Поле;;-" — holds one of names as a whole word.
func namesTable(item string, names map[string]bool) bool {
	for _, w := range strings.FieldsFunc(item, func(r rune) bool { return strings.ContainsRune(",;:*+-^ \t", r) }) {
		if names[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// callArguments returns the string literals inside the template calls
// (#Имя(...), not directives) of a restriction's text.
func callArguments(text string) []string {
	var out []string
	for i := 0; i < len(text); i++ {
		if text[i] != '#' {
			continue
		}
		word, end := directiveAt(text, i)
		if word != "" || end >= len(text) || text[end] != '(' || end == i+1 {
			continue
		}
		depth := 0
		for j := end; j < len(text); j++ {
			switch text[j] {
			case '(':
				depth++
			case ')':
				depth--
			case '"':
				k := j + 1
				var lit strings.Builder
				for k < len(text) {
					if text[k] == '"' {
						if k+1 < len(text) && text[k+1] == '"' {
							lit.WriteByte('"')
							k += 2
							continue
						}
						break
					}
					lit.WriteByte(text[k])
					k++
				}
				out = append(out, lit.String())
				j = k
			}
			if depth == 0 {
				i = j
				break
			}
		}
	}
	return out
}

// directiveWords are the preprocessor's directive words, lower-cased.
var directiveWords = map[string]string{
	"если": "if", "if": "if", "иначеесли": "elsif", "elsif": "elsif", "elseif": "elsif",
	"иначе": "else", "else": "else", "конецесли": "endif", "endif": "endif", "тогда": "then", "then": "then",
}

// directiveAt returns the directive a # at i starts ("if", "endif", ...,
// "" when the word after it is none) and the offset after its word.
func directiveAt(s string, i int) (string, int) {
	end := i + 1
	for end < len(s) && isNameChar(s[end:]) {
		_, n := utf8.DecodeRuneInString(s[end:])
		end += n
	}
	return directiveWords[strings.ToLower(s[i+1:end])], end
}

// chainsAround returns the #Если ... #КонецЕсли chains of a text that hold
// offset o, innermost first, each from its #Если to the end of its
// #КонецЕсли. Directives are read as preproc.Parse reads them: a # and a
// directive word outside strings and // comments, or at the start of a
// line whatever comes before.
func chainsAround(s string, o int) [][2]int {
	var open []int
	var out [][2]int
	inStr, lineStart := false, true
	for i := 0; i < len(s); {
		if lineStart {
			lineStart = false
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r') {
				j++
			}
			if j < len(s) && s[j] == '#' {
				if w, _ := directiveAt(s, j); w != "" && w != "then" {
					inStr = false
					i = j
				}
			}
		}
		switch ch := s[i]; {
		case ch == '\n':
			lineStart = true
			i++
			continue
		case inStr:
			inStr = ch != '"'
			i++
			continue
		case ch == '"':
			inStr = true
			i++
			continue
		case ch == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		case ch != '#':
			i++
			continue
		}
		w, end := directiveAt(s, i)
		switch w {
		case "if":
			open = append(open, i)
		case "endif":
			if n := len(open); n > 0 {
				if start := open[n-1]; start <= o && o < end {
					out = append(out, [2]int{start, end})
				}
				open = open[:n-1]
			}
		case "":
			end = i + 1
		}
		i = end
	}
	return out
}

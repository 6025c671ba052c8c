package template

import (
	"fmt"
	"strings"

	"dostup/sdbl/source"
)

// Context is what a restriction is being compiled for: the values of
// #ТекущаяТаблица, #ИмяТекущейТаблицы and #ИмяТекущегоПраваДоступа.
type Context struct {
	// Table is the full name of the table being restricted in the
	// configuration's language: "Справочник.Контрагенты" in a Russian
	// configuration, "Catalog.Контрагенты" in an English one.
	Table string
	// Right is the right being checked as the templates compare it: the
	// Russian or English name of a metadata/vocab Right (vocab.Read.Name
	// with the configuration's language), such as "Чтение" or "Read". It
	// stays a string because templates compare it as text and a right
	// this version does not know must still expand.
	Right string
}

// Limits that keep a hostile or broken role from hanging the loader. Real
// templates nest two levels deep and expand to well under a megabyte.
const (
	// MaxDepth is how deeply template calls may nest.
	MaxDepth = 32
	// maxOutput bounds the size of the expanded text (and of any argument).
	maxOutput = 64 << 20
	// maxCalls bounds the number of calls one expansion makes: templates
	// with empty bodies calling each other twice over would otherwise take
	// 2^MaxDepth steps without growing the output.
	maxCalls = 100000
	// maxErrors stops one expansion from drowning its caller in messages.
	maxErrors = 100
)

// Expand replaces every template call of the restriction text in by the
// template's body from set, and the #ТекущаяТаблица family by the values of
// ctx. Preprocessor directives (#Если ... #КонецЕсли) are left in place for
// the preprocessor. The result maps every character back to where it was
// written.
//
// On mistakes Expand returns what it could expand together with an
// ErrorList holding every mistake found, each an *Error at the exact
// character, so that one run shows them all.
func Expand(in source.Text, set *Set, ctx Context) (source.Text, error) {
	if in.Map == nil {
		// Without a map no error could say where it is; a nameless file
		// still gives line and column.
		in = source.FromFile(source.NewFile("", in.Body))
	}
	e := &expander{set: set, ctx: ctx}
	var b source.Builder
	e.run(&b, &frame{in: &in}, scan(in.Body, false, nil))
	return b.Text(), e.errs.Err()
}

// frame is the text being expanded: the restriction itself (in) or a
// template body reached through the call via, with the call's arguments.
type frame struct {
	in   *source.Text
	body *source.File
	via  *source.Expansion
	args []source.Text
}

// loc returns the location of byte off of the frame's text.
func (f *frame) loc(off int) source.Location {
	if f.in != nil {
		return f.in.Locate(off)
	}
	return source.Location{File: f.body, Offset: off, Via: f.via}
}

// text is the frame's text, whose offsets items hold.
func (f *frame) text() string {
	if f.in != nil {
		return f.in.Body
	}
	return f.body.Text
}

// copy appends the frame's text[from:to] to b, mapped to where it came from.
func (f *frame) copy(b *source.Builder, from, to int) {
	if f.in != nil {
		b.CopyText(*f.in, from, to)
		return
	}
	b.Copy(f.body.Text[from:to], source.Location{File: f.body, Offset: from, Via: f.via})
}

type expander struct {
	set   *Set
	ctx   Context
	errs  ErrorList
	stack []*Template // templates being expanded, outermost first
	calls int
	stop  bool // a limit was hit: give up rather than pile up errors
	noTbl bool // the missing table has been reported once
}

func (e *expander) add(loc source.Location, msg string) {
	if e.stop {
		return
	}
	if len(e.errs) >= maxErrors {
		e.errs.Add(loc, errCode, "too many errors; stopping")
		e.stop = true
		return
	}
	e.errs.Add(loc, errCode, msg)
}

// run expands the items of frame f into b.
func (e *expander) run(b *source.Builder, f *frame, items []item) {
	skipDot := false // the previous item was an empty #Параметр(n) before ".Поле"
	for i := range items {
		if e.stop {
			return
		}
		it := &items[i]
		switch it.kind {
		case kLiteral:
			from := it.off
			if skipDot && from < it.end && f.text()[from] == '.' {
				from++
			}
			f.copy(b, from, it.end)
		case kParam:
			// A missing argument is the empty string: templates such as
			// ПоЗначениям take up to 35 arguments and callers leave the
			// tail out.
			var a source.Text
			if it.n < len(f.args) {
				a = f.args[it.n]
			}
			if strings.TrimSpace(a.Body) == "" {
				// #Параметр(n).Поле with the argument left empty reads
				// the field of the current table, as 1C expands it:
				// the dot goes with the empty prefix.
				skipDot = i+1 < len(items) && items[i+1].kind == kLiteral && items[i+1].off == it.end
				continue
			}
			b.CopyText(a, 0, len(a.Body))
		case kTable:
			if e.haveTable(f, it) {
				b.Insert(e.ctx.Table, f.loc(it.off))
			}
		case kTableName:
			if e.haveTable(f, it) {
				b.Insert(quote(e.ctx.Table), f.loc(it.off))
			}
		case kRight:
			if e.ctx.Right == "" {
				e.add(f.loc(it.off), fmt.Sprintf("#%s is used but the access right being checked is not known", it.name))
				continue
			}
			b.Insert(quote(e.ctx.Right), f.loc(it.off))
		case kError:
			e.add(f.loc(it.off), it.msg)
		case kCall:
			e.call(b, f, it)
		}
		skipDot = false
		if b.Len() > maxOutput {
			e.add(f.loc(it.off), fmt.Sprintf("the expanded text is larger than %d MB: do the templates call each other too often?", maxOutput>>20))
			e.stop = true
		}
	}
}

// haveTable reports whether the context names a table, saying so once when
// it does not.
func (e *expander) haveTable(f *frame, it *item) bool {
	if e.ctx.Table != "" {
		return true
	}
	if !e.noTbl {
		e.noTbl = true
		e.add(f.loc(it.off), fmt.Sprintf("#%s is used but the table being restricted is not known", it.name))
	}
	return false
}

// call expands the template call it, written in frame f.
func (e *expander) call(b *source.Builder, f *frame, it *item) {
	at := f.loc(it.off)
	t := e.set.Lookup(it.name)
	if t == nil {
		if it.msg != "" {
			e.add(at, it.msg)
			f.copy(b, it.off, it.end) // left as written, as an unknown # always was
			return
		}
		e.add(at, unknownTemplate(it.name, e.set))
		return
	}
	for k, s := range e.stack {
		if s == t {
			names := make([]string, 0, len(e.stack)-k+1)
			for _, s := range e.stack[k:] {
				names = append(names, s.Name)
			}
			names = append(names, t.Name)
			e.add(at, "recursive template call: "+strings.Join(names, " → "))
			return
		}
	}
	if len(e.stack) >= MaxDepth {
		e.add(at, fmt.Sprintf("template calls nested more than %d deep", MaxDepth))
		return
	}
	if e.calls++; e.calls > maxCalls {
		e.add(at, fmt.Sprintf("more than %d template calls in one restriction: do the templates call each other too often?", maxCalls))
		e.stop = true
		return
	}
	// Arguments are expanded here, in the caller's frame, before the body
	// sees them; the body then inserts them without looking inside.
	args := make([]source.Text, len(it.args))
	for k, a := range it.args {
		var ab source.Builder
		e.run(&ab, f, a)
		args[k] = ab.Text()
	}
	e.stack = append(e.stack, t)
	b.Grow(len(t.Body.Text)) // the body is most of what the call writes
	e.run(b, &frame{body: t.Body, via: &source.Expansion{Template: t.Name, Call: at}, args: args}, t.program())
	e.stack = e.stack[:len(e.stack)-1]
}

// unknownTemplate names what the role does have, since the usual cause is a
// typo or a template that another role defines.
func unknownTemplate(name string, set *Set) string {
	names := set.Names()
	if len(names) == 0 {
		return fmt.Sprintf("unknown template %q (the role has no templates)", name)
	}
	return fmt.Sprintf("unknown template %q (the role has: %s)", name, strings.Join(names, ", "))
}

// quote makes s a string literal of the query language.
func quote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

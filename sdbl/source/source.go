package source

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Anchor pins an offset of a File's text to a line and column of the file on
// disk. Between anchors the column advances by one per character and a newline
// starts the next line at column 1.
type Anchor struct {
	Offset int // byte offset in File.Text
	Line   int // 1-based line in the file on disk
	Col    int // 1-based column, in characters
}

// File is a text as its author wrote it.
type File struct {
	Name    string // path shown in messages
	Text    string
	anchors []Anchor // sorted by Offset; anchors[0].Offset == 0
	// lazy, for a file made by NewLazyFile, computes the anchors when a
	// position is first asked for.
	lazy *lazyAnchors
}

// lazyAnchors are a File's anchors computed once, on first use.
type lazyAnchors struct {
	once    sync.Once
	make    func() []Anchor
	anchors []Anchor
}

// NewLazyFile is NewEmbeddedFile with the anchors computed by anchors when
// a position of the text is first asked for, at most once and safely from
// concurrent goroutines. A configuration read back from its compiled form
// (metadata.UnmarshalCompact) has a million lines of restriction templates,
// of which a session asks positions of a few, and only for messages.
func NewLazyFile(name, text string, anchors func() []Anchor) *File {
	return &File{Name: name, Text: text, lazy: &lazyAnchors{make: anchors}}
}

// Anchors returns the file's anchors, sorted by offset, one at every line
// start at least: what NewEmbeddedFile or NewLazyFile needs to make the same
// File again.
func (f *File) Anchors() []Anchor { return slices.Clone(f.anchorList()) }

// anchorList is the file's anchors, computed first for a lazy file.
func (f *File) anchorList() []Anchor {
	if f.lazy == nil {
		return f.anchors
	}
	f.lazy.once.Do(func() {
		f.lazy.anchors = NewEmbeddedFile(f.Name, f.Text, f.lazy.make()).anchors
		f.lazy.make = nil
	})
	return f.lazy.anchors
}

// NewFile returns a File whose text starts at line 1, column 1 of the named file.
func NewFile(name, text string) *File {
	return NewEmbeddedFile(name, text, []Anchor{{Offset: 0, Line: 1, Col: 1}})
}

// NewEmbeddedFile returns a File whose text stands inside a larger file on disk
// (an XML element, say), with anchors mapping offsets of the decoded text to
// positions of the file. Anchors are added at every line start so that finding
// a position never walks more than one line.
func NewEmbeddedFile(name, text string, anchors []Anchor) *File {
	as := append([]Anchor(nil), anchors...)
	sort.SliceStable(as, func(i, j int) bool { return as[i].Offset < as[j].Offset })
	if len(as) == 0 || as[0].Offset != 0 {
		as = append([]Anchor{{Offset: 0, Line: 1, Col: 1}}, as...)
	}
	f := &File{Name: name, Text: text}
	// Walk the text line by line, keeping the given anchors and adding one at
	// every line start that has none, computed from the anchor before it.
	next := 0
	for lineStart := 0; ; {
		for next < len(as) && as[next].Offset < lineStart {
			f.anchors = append(f.anchors, as[next])
			next++
		}
		if next < len(as) && as[next].Offset == lineStart {
			f.anchors = append(f.anchors, as[next])
			next++
		} else {
			p := f.Position(lineStart)
			f.anchors = append(f.anchors, Anchor{Offset: lineStart, Line: p.Line, Col: p.Column})
		}
		i := strings.IndexByte(text[lineStart:], '\n')
		if i < 0 {
			break
		}
		lineStart += i + 1
	}
	f.anchors = append(f.anchors, as[next:]...)
	return f
}

// Position returns the file position of a byte offset of the text.
func (f *File) Position(off int) Position {
	if f == nil {
		return Position{}
	}
	if off < 0 {
		off = 0
	}
	if off > len(f.Text) {
		off = len(f.Text)
	}
	anchors := f.anchorList()
	i := sort.Search(len(anchors), func(i int) bool { return anchors[i].Offset > off }) - 1
	if i < 0 {
		i = 0
	}
	a := anchors[i]
	line, col := a.Line, a.Col
	for p := a.Offset; p < off; {
		r, n := utf8.DecodeRuneInString(f.Text[p:])
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		p += n
	}
	return Position{Filename: f.Name, Line: line, Column: col}
}

// Position is a place in a file as people read it.
type Position struct {
	Filename string
	Line     int // 1-based
	Column   int // 1-based, in characters
}

// IsValid reports whether the position names a line.
func (p Position) IsValid() bool { return p.Line > 0 }

// String formats the position as file:line:col, leaving out what is unknown.
// ParsePosition reads a position as String writes one with a file name
// (file:line:col, the file name may hold colons), as a configuration keeps
// a place in text (an imported restriction's origin); ok is false for
// anything else.
func ParsePosition(s string) (p Position, ok bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return Position{}, false
	}
	j := strings.LastIndexByte(s[:i], ':')
	if j <= 0 {
		return Position{}, false
	}
	line, err1 := strconv.Atoi(s[j+1 : i])
	col, err2 := strconv.Atoi(s[i+1:])
	if err1 != nil || err2 != nil || line < 1 || col < 1 {
		return Position{}, false
	}
	return Position{Filename: s[:j], Line: line, Column: col}, true
}

func (p Position) String() string {
	s := p.Filename
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	if s == "" {
		s = "-"
	}
	return s
}

// Location is where a character of a generated text came from: an offset in a
// File, reached through the template call Via (nil for text written directly).
type Location struct {
	File   *File
	Offset int
	Via    *Expansion
}

// At returns a Location standing for a position that was computed without
// a File: by the XML reader, which counts lines itself, or read back from
// JSON. The zero Position gives the zero Location, which prints as "-".
func At(p Position) Location {
	if p == (Position{}) {
		return Location{}
	}
	return Location{File: NewEmbeddedFile(p.Filename, "", []Anchor{{Offset: 0, Line: p.Line, Col: p.Column}})}
}

// Position returns the file position of the location itself.
func (l Location) Position() Position { return l.File.Position(l.Offset) }

// String formats the location with the chain of template calls that led to it:
// "Rights.xml:120:5 (template ДляОбъекта called at Rights.xml:12:1)".
func (l Location) String() string {
	var b strings.Builder
	b.WriteString(l.Position().String())
	for v := l.Via; v != nil; v = v.Call.Via {
		fmt.Fprintf(&b, " (in template %s called at %s)", v.Template, v.Call.Position())
	}
	return b.String()
}

// Expansion records a template call whose body produced some text.
type Expansion struct {
	Template string   // the template's name
	Call     Location // where the call #Name(...) stands
}

// segment maps a run of a Text, from Out up to the next segment, to a File.
type segment struct {
	out   int
	loc   Location
	fixed bool // every offset of the run maps to loc itself (inserted values)
}

// Map takes offsets of a generated Text back to Locations.
type Map struct {
	segs []segment
}

// Locate returns the origin of byte offset out of the text the map belongs to.
func (m *Map) Locate(out int) Location {
	if m == nil || len(m.segs) == 0 {
		return Location{}
	}
	i := sort.Search(len(m.segs), func(i int) bool { return m.segs[i].out > out }) - 1
	if i < 0 {
		i = 0
	}
	s := m.segs[i]
	if s.fixed {
		return s.loc
	}
	l := s.loc
	l.Offset += out - s.out
	if l.File != nil && l.Offset > len(l.File.Text) {
		l.Offset = len(l.File.Text)
	}
	return l
}

// Text is a generated text and the map of where its characters came from.
type Text struct {
	Body string
	Map  *Map
}

// FromFile returns the text of f mapped to itself.
func FromFile(f *File) Text {
	return Text{Body: f.Text, Map: &Map{segs: []segment{{out: 0, loc: Location{File: f}}}}}
}

// Locate returns the origin of byte offset off of t.
func (t Text) Locate(off int) Location { return t.Map.Locate(off) }

// Builder assembles a Text piece by piece, keeping its Map.
type Builder struct {
	b    strings.Builder
	segs []segment
}

// Len returns the number of bytes written so far.
func (b *Builder) Len() int { return b.b.Len() }

// String returns the text written so far.
func (b *Builder) String() string { return b.b.String() }

// Grow makes room for n more bytes of text, so that a builder told the
// length of what it will assemble copies it once.
func (b *Builder) Grow(n int) { b.b.Grow(n) }

func (b *Builder) add(s segment) {
	if n := len(b.segs); n > 0 && b.segs[n-1].out == s.out {
		b.segs[n-1] = s
		return
	}
	b.segs = append(b.segs, s)
}

// Copy appends s, whose first byte came from loc and the rest follow it.
func (b *Builder) Copy(s string, loc Location) {
	if s == "" {
		return
	}
	b.add(segment{out: b.b.Len(), loc: loc})
	b.b.WriteString(s)
}

// Insert appends s, a value that stands for the text at loc (a template
// parameter's value, a table name): all of it maps to loc.
func (b *Builder) Insert(s string, loc Location) {
	if s == "" {
		return
	}
	b.add(segment{out: b.b.Len(), loc: loc, fixed: true})
	b.b.WriteString(s)
}

// CopyText appends t.Body[from:to], keeping the origins t's map gives them.
func (b *Builder) CopyText(t Text, from, to int) {
	if from >= to {
		return
	}
	base := b.b.Len()
	segs := t.Map.segs
	i := sort.Search(len(segs), func(i int) bool { return segs[i].out > from }) - 1
	if i < 0 {
		i = 0
	}
	for ; i < len(segs) && segs[i].out < to; i++ {
		s := segs[i]
		start := s.out
		if start < from {
			if !s.fixed {
				s.loc.Offset += from - start
			}
			start = from
		}
		s.out = base + start - from
		b.add(s)
	}
	b.b.WriteString(t.Body[from:to])
}

// Text returns the assembled text and its map.
func (b *Builder) Text() Text {
	segs := b.segs
	if len(segs) == 0 {
		segs = []segment{{out: 0}}
	}
	return Text{Body: b.b.String(), Map: &Map{segs: segs}}
}

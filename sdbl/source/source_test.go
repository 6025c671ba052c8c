package source

import (
	"encoding/json"
	"testing"
)

func TestFilePosition(t *testing.T) {
	f := NewFile("a.txt", "ab\nвг\n\nд")
	cases := []struct {
		off       int
		line, col int
	}{{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {5, 2, 2}, {8, 3, 1}, {9, 4, 1}, {11, 4, 2}}
	for _, c := range cases {
		p := f.Position(c.off)
		if p.Line != c.line || p.Column != c.col {
			t.Errorf("offset %d: got %d:%d, want %d:%d", c.off, p.Line, p.Column, c.line, c.col)
		}
	}
}

func TestEmbeddedFile(t *testing.T) {
	// Text "a&b\nc" decoded from "a&amp;b\nc" that starts at line 10, column 5;
	// the entity makes "b" stand at column 10.
	f := NewEmbeddedFile("r.xml", "a&b\nc", []Anchor{{0, 10, 5}, {2, 10, 10}})
	for _, c := range []struct{ off, line, col int }{{0, 10, 5}, {1, 10, 6}, {2, 10, 10}, {4, 11, 1}} {
		p := f.Position(c.off)
		if p.Line != c.line || p.Column != c.col {
			t.Errorf("offset %d: got %d:%d, want %d:%d", c.off, p.Line, p.Column, c.line, c.col)
		}
	}
}

func TestBuilderMapsBack(t *testing.T) {
	f := NewFile("t", "hello\nworld")
	g := NewFile("tmpl", "XYZ")
	var b Builder
	b.Copy("hello ", Location{File: f})
	exp := &Expansion{Template: "T", Call: Location{File: f, Offset: 6}}
	b.Copy("XYZ", Location{File: g, Via: exp})
	b.Insert("VALUE", Location{File: f, Offset: 8})
	txt := b.Text()
	if got := txt.Locate(7).Position().String(); got != "tmpl:1:2" {
		t.Errorf("template char: %s", got)
	}
	if got := txt.Locate(7).String(); got != "tmpl:1:2 (in template T called at t:2:1)" {
		t.Errorf("chain: %s", got)
	}
	if got := txt.Locate(12).Position().String(); got != "t:2:3" {
		t.Errorf("inserted value: %s", got)
	}
	var c Builder
	c.CopyText(txt, 7, 13)
	sub := c.Text()
	if sub.Body != "YZVALU" || sub.Locate(0).Position().String() != "tmpl:1:2" || sub.Locate(3).Position().String() != "t:2:3" {
		t.Errorf("CopyText: %q %s %s", sub.Body, sub.Locate(0), sub.Locate(3))
	}
}

func TestErrorList(t *testing.T) {
	f := NewFile("f", "ab\ncd")
	var l ErrorList
	if l.Err() != nil {
		t.Fatal("an empty list must not be an error")
	}
	l.Add(Location{File: f, Offset: 3}, "syntax", "second")
	l.Add(Location{File: f, Offset: 0}, "syntax", "first")
	l.Add(Location{File: f, Offset: 4}, "syntax", "same line as second")
	l.RemoveMultiples()
	if len(l) != 2 || l[0].Msg != "first" || l[1].Msg != "second" {
		t.Fatalf("got %v", l)
	}
	if got := l.Error(); got != "f:1:1: first (and 1 more errors)" {
		t.Errorf("got %s", got)
	}
	if l[0].Code != "syntax" {
		t.Errorf("code lost: %q", l[0].Code)
	}
}

// TestErrorJSON pins the one JSON shape of positioned errors: tools read
// file, line, col, code and message whatever stage reported the problem.
func TestErrorJSON(t *testing.T) {
	f := NewFile("Rights.xml", "ab\ncd")
	call := Location{File: f, Offset: 1}
	e := &Error{Loc: Location{File: f, Offset: 4, Via: &Expansion{Template: "T", Call: call}}, Code: "syntax", Msg: "bad"}
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"file":"Rights.xml","line":2,"col":2,"code":"syntax","message":"bad"}`; string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
	var back Error
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Error() != "Rights.xml:2:2: bad" || back.Code != "syntax" {
		t.Errorf("read back as %q (%s)", back.Error(), back.Code)
	}
	if got, _ := json.Marshal(&Error{Msg: "nowhere"}); string(got) != `{"file":"","line":0,"col":0,"code":"","message":"nowhere"}` {
		t.Errorf("an error without a place: %s", got)
	}
}

func TestAt(t *testing.T) {
	p := Position{Filename: "Configuration.xml", Line: 7, Column: 3}
	if got := At(p).Position(); got != p {
		t.Errorf("At(%v).Position() = %v", p, got)
	}
	if got := At(Position{}).String(); got != "-" {
		t.Errorf("the zero position prints as %q", got)
	}
}

// TestParsePosition reads back what String writes for a position in a
// named file, file names with colons included, and nothing else.
func TestParsePosition(t *testing.T) {
	for _, p := range []Position{
		{Filename: "Roles/Менеджер/Ext/Rights.xml", Line: 91, Column: 16},
		{Filename: `C:\dump\Roles\Р\Ext\Rights.xml`, Line: 1, Column: 1},
	} {
		if got, ok := ParsePosition(p.String()); !ok || got != p {
			t.Errorf("%s read back as %+v, %v", p, got, ok)
		}
	}
	for _, bad := range []string{"", "-", "Rights.xml", "Rights.xml:9", ":1:2", "Rights.xml:x:2", "Rights.xml:0:2", "Rights.xml:3:-1"} {
		if p, ok := ParsePosition(bad); ok {
			t.Errorf("%q read as %+v", bad, p)
		}
	}
}

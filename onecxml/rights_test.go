package onecxml

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"dostup/sdbl/source"
)

func TestReadRightsDump(t *testing.T) {
	path := filepath.Join("testdata", "dump", "Roles", "Reader", "Ext", "Rights.xml")
	rs, err := ReadRights(path)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Role != "Reader" || rs.Path != path {
		t.Errorf("role %q path %q", rs.Role, rs.Path)
	}
	if rs.SetForNewObjects || !rs.SetForAttributesByDefault || !rs.IndependentRightsOfChildObjects {
		t.Errorf("flags %v %v %v", rs.SetForNewObjects, rs.SetForAttributesByDefault, rs.IndependentRightsOfChildObjects)
	}
	var names []string
	for _, o := range rs.Objects {
		names = append(names, o.Name)
	}
	want := []string{"Catalog.Контрагенты", "InformationRegister.ДатыЗапрета.Command.Открыть", "InformationRegister.ДатыЗапрета"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("objects %q, want %q", names, want)
	}
	if !rs.HasRestrictions() {
		t.Error("HasRestrictions is false")
	}

	read := rs.Object("catalog.контрагенты").Right("read")
	if read == nil || !read.Value || len(read.Restrictions) != 2 {
		t.Fatalf("Read right: %+v", read)
	}
	r0, r1 := read.Restrictions[0], read.Restrictions[1]
	if !reflect.DeepEqual(r0.Fields, []string{"ИНН", "КПП"}) || r0.OtherFields() || r0.Condition.Text != "ГДЕ ЛОЖЬ" {
		t.Errorf("first restriction %q %q", r0.Fields, r0.Condition.Text)
	}
	if !r1.OtherFields() || r1.Condition.Text != `#ДляОбъекта("")` {
		t.Errorf("second restriction %q %q", r1.Fields, r1.Condition.Text)
	}
	if got := r0.Pos.String(); got != path+":11:4" {
		t.Errorf("restriction position %s", got)
	}
	if got := r0.Condition.Position(0).String(); got != path+":14:16" {
		t.Errorf("condition position %s", got)
	}
	if v := rs.Objects[0].Right("View"); v == nil || v.Value {
		t.Errorf("View right: %+v", v)
	}

	upd := rs.Object("InformationRegister.ДатыЗапрета").Right("Update")
	if c := upd.Restrictions[0].Condition; c == nil || c.Text != "" {
		t.Errorf("empty condition: %+v", c)
	}

	if len(rs.Templates) != 2 {
		t.Fatalf("%d templates", len(rs.Templates))
	}
	t0, t1 := rs.Templates[0], rs.Templates[1]
	if t0.Name != `ДляОбъекта(Объект = "")` || t0.Condition.Text != "// comment & more\nГДЕ Ссылка <> Значение(Справочник.Контрагенты.ПустаяСсылка)" {
		t.Errorf("template 0: %q %q", t0.Name, t0.Condition.Text)
	}
	if t1.Name != "ДляРегистра(Регистр, Поле1, Поле2)" || t1.Condition.Text != "ГДЕ #Поле1 < #Поле2" {
		t.Errorf("template 1: %q %q", t1.Name, t1.Condition.Text)
	}
	// "ГДЕ" after the entity line: line 45, column 1; "<>" stands where "&lt;" does.
	text := t0.Condition.Text
	checkPos(t, t0.Condition, strings.Index(text, "ГДЕ"), 45, 1)
	checkPos(t, t0.Condition, strings.Index(text, "<>"), 45, 12)
	checkPos(t, t0.Condition, strings.Index(text, "> З"), 45, 16)
	checkPos(t, t0.Condition, strings.Index(text, "Значение"), 45, 21)
	// In CDATA "<" is itself: <condition><![CDATA[ starts at column 3.
	checkPos(t, t1.Condition, 0, 49, 23)
	checkPos(t, t1.Condition, strings.Index(t1.Condition.Text, "<"), 49, 34)
}

func checkPos(t *testing.T, f *source.File, off, line, col int) {
	t.Helper()
	if off < 0 {
		t.Fatalf("substring not found in %q", f.Text)
	}
	p := f.Position(off)
	if p.Line != line || p.Column != col {
		r, _ := utf8.DecodeRuneInString(f.Text[off:])
		t.Errorf("%q at offset %d: got %d:%d, want %d:%d", r, off, p.Line, p.Column, line, col)
	}
}

// positionDoc is written out with CRLF line ends and a BOM, as 1C writes
// them, to check that columns are those an editor shows.
var positionDoc = "\ufeff" + strings.Join([]string{
	`<?xml version="1.0" encoding="UTF-8"?>`,                    // 1
	`<Rights xmlns="http://v8.1c.ru/8.2/roles" version="2.20">`, // 2
	"\t<object>", // 3
	"\t\t<name>Catalog.Контрагенты</name>", // 4
	"\t\t<right>",                                     // 5
	"\t\t\t<name>Read</name>",                         // 6
	"\t\t\t<value>true</value>",                       // 7
	"\t\t\t<restrictionByCondition>",                  // 8
	"\t\t\t\t<field>Наименование</field>",             // 9
	"\t\t\t\t<condition>ГДЕ &amp;Ф И Поле &lt;&gt; 1", // 10
	"ИЛИ Б &#1048; x&#x41;y<!-- a",                    // 11
	"comment -->z &quot;s&apos;</condition>",          // 12
	"\t\t\t</restrictionByCondition>",                 // 13
	"\t\t</right>",                                    // 14
	"\t</object>",                                     // 15
	"\t<restrictionTemplate>",                         // 16
	"\t\t<name>Т(П)</name>",                           // 17
	"\t\t<condition><![CDATA[a < b",                   // 18
	"c]]> &amp; d</condition>",                        // 19
	"\t</restrictionTemplate>",                        // 20
	"</Rights>",                                       // 21
}, "\r\n") + "\r\n"

func TestPositions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Rights.xml")
	if err := os.WriteFile(path, []byte(positionDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := ReadRights(path)
	if err != nil {
		t.Fatal(err)
	}
	rc := rs.Objects[0].Rights[0].Restrictions[0]
	c := rc.Condition
	if want := "ГДЕ &Ф И Поле <> 1\nИЛИ Б И xAyz \"s'"; c.Text != want {
		t.Fatalf("text %q, want %q", c.Text, want)
	}
	if rc.Pos.Line != 8 || rc.Pos.Column != 4 {
		t.Errorf("restriction at %s", rc.Pos)
	}
	// Line 10: four tabs and <condition> are 15 characters.
	checkPos(t, c, 0, 10, 16)                             // Г
	checkPos(t, c, strings.Index(c.Text, "&"), 10, 20)    // &amp;
	checkPos(t, c, strings.Index(c.Text, "Ф"), 10, 25)    // after the entity
	checkPos(t, c, strings.Index(c.Text, "И "), 10, 27)   // the И after &amp;Ф
	checkPos(t, c, strings.Index(c.Text, "<"), 10, 34)    // &lt;
	checkPos(t, c, strings.Index(c.Text, ">"), 10, 38)    // &gt;
	checkPos(t, c, strings.Index(c.Text, "1"), 10, 43)    // after two entities
	checkPos(t, c, strings.Index(c.Text, "\n"), 10, 44)   // the CR LF
	checkPos(t, c, strings.Index(c.Text, "ИЛИ"), 11, 1)   // next line
	checkPos(t, c, strings.Index(c.Text, "Б"), 11, 5)     //
	checkPos(t, c, strings.LastIndex(c.Text, "И"), 11, 7) // &#1048;
	checkPos(t, c, strings.Index(c.Text, "x"), 11, 15)    // after &#1048;
	checkPos(t, c, strings.Index(c.Text, "A"), 11, 16)    // &#x41;
	checkPos(t, c, strings.Index(c.Text, "y"), 11, 22)    // after &#x41;
	checkPos(t, c, strings.Index(c.Text, "z"), 12, 12)    // after the comment
	checkPos(t, c, strings.Index(c.Text, `"`), 12, 14)    // &quot;
	checkPos(t, c, strings.Index(c.Text, "s"), 12, 20)    //
	checkPos(t, c, strings.Index(c.Text, "'"), 12, 21)    // &apos;
	checkPos(t, c, len(c.Text), 12, 27)                   // the end: </condition>
	if p := c.Position(0); p.Filename != path {
		t.Errorf("file name %q", p.Filename)
	}

	tc := rs.Templates[0].Condition
	if want := "a < b\nc & d"; tc.Text != want {
		t.Fatalf("template text %q, want %q", tc.Text, want)
	}
	checkPos(t, tc, 0, 18, 23)                           // after <![CDATA[
	checkPos(t, tc, strings.Index(tc.Text, "<"), 18, 25) // a literal < in CDATA
	checkPos(t, tc, strings.Index(tc.Text, "c"), 19, 1)  // CR LF inside CDATA
	checkPos(t, tc, strings.Index(tc.Text, "&"), 19, 6)  // after ]]>
	checkPos(t, tc, strings.Index(tc.Text, "d"), 19, 12) //
}

// TestLineEnds checks that a lone CR, which XML also turns into a line end,
// counts as one in positions.
func TestLineEnds(t *testing.T) {
	doc := "<Rights xmlns=\"http://v8.1c.ru/8.2/roles\"><restrictionTemplate><name>T</name>\r<condition>a\rb\r\n\rc\n</condition></restrictionTemplate></Rights>"
	rs, err := parseRights("x.xml", []byte(doc), true)
	if err != nil {
		t.Fatal(err)
	}
	c := rs.Templates[0].Condition
	if c.Text != "a\nb\n\nc\n" {
		t.Fatalf("text %q", c.Text)
	}
	checkPos(t, c, 0, 2, 12)
	checkPos(t, c, 2, 3, 1)
	checkPos(t, c, 5, 5, 1)
	checkPos(t, c, 7, 6, 1)
}

func TestMalformed(t *testing.T) {
	bad := filepath.Join("testdata", "malformed", "Roles", "Broken", "Ext", "Rights.xml")
	tests := []struct {
		name, doc, want string
	}{
		{"file", "", bad + ":6:14: malformed XML: element <name> closed by </nam>"},
		{"entity", "<Rights xmlns=\"http://v8.1c.ru/8.2/roles\">\n  <restrictionTemplate><name>T</name>\n<condition>a &foo; b</condition></restrictionTemplate></Rights>",
			"x.xml:3:19: malformed XML: invalid character entity &foo;"},
		{"eof", "\ufeff<Rights xmlns=\"http://v8.1c.ru/8.2/roles\">\r\n<object>", "x.xml:2:9: malformed XML: unexpected EOF"},
		{"empty", "", "x.xml:1:1: malformed XML: no root element"},
		{"root", "<Role/>", `x.xml:1:1: root element is <Role> in namespace ""`},
		{"bool", "<Rights>\n<setForNewObjects>yes</setForNewObjects></Rights>", `x.xml:2:1: <setForNewObjects> holds "yes"; want true or false`},
		{"element in condition", "<Rights><restrictionTemplate><name>T</name><condition>a <b/></condition></restrictionTemplate></Rights>",
			"x.xml:1:57: unexpected element <b> inside <condition>"},
		{"no condition", "<Rights><object><name>X</name><right><name>Read</name><value>true</value><restrictionByCondition><field>F</field></restrictionByCondition></right></object></Rights>",
			"x.xml:1:74: <restrictionByCondition> without a <condition>"},
		{"no value", "<Rights><object><name>X</name>\n<right><name>Read</name></right></object></Rights>", "x.xml:2:1: right Read without a <value>"},
		{"no object name", "<Rights><object></object></Rights>", "x.xml:1:9: <object> without a <name>"},
		{"second root", "<Rights></Rights>\n<Rights></Rights>", "x.xml:2:1: malformed XML: a second root element <Rights>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.doc == "" && tt.name == "file" {
				_, err = ReadRights(bad)
			} else {
				_, err = parseRights("x.xml", []byte(tt.doc), true)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || !e.Loc.Position().IsValid() {
				t.Errorf("error %T has no position", err)
			}
		})
	}
}

func TestReadRightsMissingFile(t *testing.T) {
	_, err := ReadRights(filepath.Join("testdata", "nonexistent.xml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want a not-exist error", err)
	}
}

func TestRoleName(t *testing.T) {
	for in, want := range map[string]string{
		"Roles/Админ/Ext/Rights.xml": "Админ",
		"/x/Roles/R/ext/Rights.xml":  "R",
		"R/Rights.xml":               "R",
	} {
		if got := roleName(filepath.FromSlash(in)); got != want {
			t.Errorf("roleName(%q) = %q, want %q", in, got, want)
		}
	}
}

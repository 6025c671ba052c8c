package metadata

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"dostup/sdbl/source"
)

// equalModel compares two models field by field, unexported indexes
// included (reflect.DeepEqual would compare the lazily computed state of
// texts), and returns the first difference. Texts are equal when their
// names, texts and anchors are; maps keyed by pointers (Role.byObject)
// match keys by what they point to.
func equalModel(a, b reflect.Value, path string) string {
	if a.Kind() != b.Kind() {
		return path + ": kinds differ"
	}
	if a.Type() == fileType {
		fa, fb := (*source.File)(a.UnsafePointer()), (*source.File)(b.UnsafePointer())
		switch {
		case (fa == nil) != (fb == nil):
			return path + ": nil text on one side"
		case fa == nil:
			return ""
		case fa.Name != fb.Name || fa.Text != fb.Text:
			return fmt.Sprintf("%s: text %q of %s, not %q of %s", path, fb.Text, fb.Name, fa.Text, fa.Name)
		case !reflect.DeepEqual(fa.Anchors(), fb.Anchors()):
			return fmt.Sprintf("%s: anchors %v, not %v", path, fb.Anchors(), fa.Anchors())
		}
		return ""
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() != b.IsNil() {
			return path + ": nil on one side"
		}
		if a.IsNil() {
			return ""
		}
		return equalModel(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d elements (nil %v), not %d (nil %v)", path, b.Len(), b.IsNil(), a.Len(), a.IsNil())
		}
		for i := range a.Len() {
			if d := equalModel(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d entries (nil %v), not %d (nil %v)", path, b.Len(), b.IsNil(), a.Len(), a.IsNil())
		}
		for it := a.MapRange(); it.Next(); {
			found := false
			for jt := b.MapRange(); jt.Next(); {
				if equalModel(it.Key(), jt.Key(), "") == "" {
					if d := equalModel(it.Value(), jt.Value(), fmt.Sprintf("%s[%v]", path, it.Key())); d != "" {
						return d
					}
					found = true
					break
				}
			}
			if !found {
				return fmt.Sprintf("%s: no entry %v", path, it.Key())
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if d := equalModel(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Sprintf("%s: %q, not %q", path, b.String(), a.String())
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return path + ": bool differs"
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return fmt.Sprintf("%s: %d, not %d", path, b.Int(), a.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if a.Uint() != b.Uint() {
			return fmt.Sprintf("%s: %d, not %d", path, b.Uint(), a.Uint())
		}
	case reflect.Float32, reflect.Float64:
		if a.Float() != b.Float() {
			return path + ": float differs"
		}
	default:
		return path + ": the test cannot compare " + a.Type().String()
	}
	return ""
}

func roundTrip(t *testing.T, cfg *Configuration) *Configuration {
	t.Helper()
	data, err := MarshalCompact(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalCompact(data)
	if err != nil {
		t.Fatal(err)
	}
	if d := equalModel(reflect.ValueOf(cfg), reflect.ValueOf(back), "cfg"); d != "" {
		t.Fatalf("the configuration read back differs: %s", d)
	}
	again, err := MarshalCompact(back, nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(data) {
		t.Error("the same configuration made other bytes")
	}
	return back
}

// TestCompactRoundTripDemo reads the demo back as loaded, its indexes
// and the positions of its texts included.
func TestCompactRoundTripDemo(t *testing.T) {
	cfg, err := Load("../demo/config")
	if err != nil {
		t.Fatal(err)
	}
	back := roundTrip(t, cfg)
	if back.Object("Catalog.контрагенты") == nil || back.Role("менеджер").ObjectRights(back, "Справочник.Контрагенты") == nil {
		t.Fatal("the indexes of the configuration read back do not answer")
	}
	r := back.Role("менеджер").Objects[3].Restrictions[0]
	want := cfg.Role("менеджер").Objects[3].Restrictions[0]
	if got, w := r.Condition.Position(len(r.Condition.Text)-1), want.Condition.Position(len(want.Condition.Text)-1); got != w || !got.IsValid() {
		t.Errorf("a restriction's last character is at %s, not %s", got, w)
	}
}

// TestCompactEveryField fills every exported field of every struct of the
// model (two elements in each slice, every pointer set), so that a field
// added to the model is written and read back, or the test says which
// type it cannot carry.
func TestCompactEveryField(t *testing.T) {
	n := 0
	var fill func(v reflect.Value, depth int)
	fill = func(v reflect.Value, depth int) {
		n++
		if v.Type() == fileType {
			v.Set(reflect.ValueOf(source.NewEmbeddedFile(fmt.Sprintf("f%d.yaml", n), fmt.Sprintf("Текст %d\n  и строка", n), []source.Anchor{{Offset: 0, Line: n, Col: 3}})))
			return
		}
		switch v.Kind() {
		case reflect.Pointer:
			if depth > 6 {
				return
			}
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), depth+1)
		case reflect.Slice:
			if depth > 6 {
				return
			}
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			for i := range 2 {
				fill(v.Index(i), depth+1)
			}
		case reflect.Map:
			v.Set(reflect.MakeMap(v.Type()))
			k := reflect.New(v.Type().Key()).Elem()
			fill(k, depth+1)
			x := reflect.New(v.Type().Elem()).Elem()
			fill(x, depth+1)
			v.SetMapIndex(k, x)
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					fill(v.Field(i), depth)
				}
			}
		case reflect.String:
			v.SetString(fmt.Sprintf("значение %d", n))
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			v.SetInt(int64(n) - 50)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			v.SetUint(uint64(n))
		case reflect.Float32, reflect.Float64:
			v.SetFloat(float64(n) + 0.5)
		default:
			t.Fatalf("the test cannot fill %s", v.Type())
		}
	}
	cfg := &Configuration{}
	fill(reflect.ValueOf(cfg).Elem(), 0)
	roundTrip(t, cfg)
	// Nil and empty stay apart.
	cfg.Objects[0].Values, cfg.Objects[1].Values = nil, []string{}
	back := roundTrip(t, cfg)
	if back.Objects[0].Values != nil || back.Objects[1].Values == nil {
		t.Error("nil and empty slices are not kept apart")
	}
}

// TestCompactStale refuses forms of another encoding or model, and
// damaged ones without panicking.
func TestCompactStale(t *testing.T) {
	cfg, err := Load("../demo/config")
	if err != nil {
		t.Fatal(err)
	}
	data, err := MarshalCompact(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	version := append([]byte(nil), data...)
	version[len(compactMagic)]++
	layout := append([]byte(nil), data...)
	layout[len(compactMagic)+1] ^= 0xff
	for name, bad := range map[string][]byte{"version": version, "layout": layout, "yaml": []byte("configuration:\n  name: X\n")} {
		if _, err := UnmarshalCompact(bad); !errors.Is(err, ErrCompactStale) {
			t.Errorf("%s: %v, not ErrCompactStale", name, err)
		}
	}
	for cut := len(compactMagic); cut < len(data); cut += 1 + len(data)/300 {
		if _, err := UnmarshalCompact(data[:cut]); err == nil {
			t.Fatalf("the form cut at byte %d of %d reads", cut, len(data))
		}
	}
	flipped := append([]byte(nil), data...)
	for i := len(compactMagic) + 9; i < len(flipped); i += 7 {
		flipped[i] ^= 0x5a
	}
	if _, err := UnmarshalCompact(flipped); err == nil {
		t.Error("a damaged form reads")
	}
}

// TestCompactRename writes file names as an infobase names its sources.
func TestCompactRename(t *testing.T) {
	cfg, err := Load("../demo/config")
	if err != nil {
		t.Fatal(err)
	}
	data, err := MarshalCompact(cfg, func(name string) string { return strings.TrimPrefix(name, "../demo/config/") })
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalCompact(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Object("Справочник.Контрагенты").Attribute("ИНН").Pos.String(); got != "configuration.yaml:24:16" {
		t.Errorf("ИНН at %s", got)
	}
	for _, r := range back.Roles {
		for _, tm := range r.Templates {
			if strings.Contains(tm.Condition.Name, "demo/config") {
				t.Errorf("template %s keeps the path %s", tm.Name, tm.Condition.Name)
			}
		}
	}
}

// TestCompactAnchors round-trips the anchors of texts as the loaders make
// them (a block scalar: one anchor per line, blank lines at column 1) and
// as they do not (an anchor inside a line, lines skipped), each in the
// shorter by-line way where it applies and in full otherwise.
func TestCompactAnchors(t *testing.T) {
	at := func(offset, line, col int) source.Anchor { return source.Anchor{Offset: offset, Line: line, Col: col} }
	for _, c := range []struct {
		name    string
		text    string
		anchors []source.Anchor
		byLine  bool
	}{
		{"one line", "ИСТИНА", []source.Anchor{{Offset: 0, Line: 7, Col: 15}}, true},
		{"block", "a\nb\nc", []source.Anchor{at(0, 3, 9), at(2, 4, 9), at(4, 5, 9)}, true},
		{"blank lines", "a\n\nb\n\n", []source.Anchor{at(0, 3, 9), at(2, 4, 1), at(3, 5, 9), at(5, 6, 1), at(6, 7, 1)}, true},
		{"most lines differ", "a\nb\nc", []source.Anchor{at(0, 3, 9), at(2, 4, 2), at(4, 5, 2)}, true},
		{"inside a line", "a b\nc", []source.Anchor{at(0, 3, 9), at(2, 3, 40), at(4, 4, 9)}, false},
		{"lines skipped", "a\nb", []source.Anchor{at(0, 3, 9), at(2, 6, 9)}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := source.NewEmbeddedFile("r.yaml", c.text, c.anchors).Anchors()
			raw := encodeAnchors(c.text, want)
			if got := raw[0] == anchorsByLine; got != c.byLine {
				t.Errorf("written by line: %v, want %v", got, c.byLine)
			}
			if got := decodeAnchors(raw, c.text); !reflect.DeepEqual(got, want) {
				t.Errorf("anchors read back %v, want %v", got, want)
			}
			start := []source.Anchor{{Offset: 0, Line: 1, Col: 1}}
			for _, damaged := range [][]byte{nil, {9}, raw[:1]} {
				if got := decodeAnchors(damaged, c.text); !reflect.DeepEqual(got, start) {
					t.Errorf("damaged anchors %v read back as %v, want the start of the text", damaged, got)
				}
			}
		})
	}
}

package metadata

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"

	"dostup/sdbl/source"
)

// The compact form of a configuration: the validated model as it is in
// memory, written so that reading it back costs a fraction of parsing and
// validating its YAML again. An infobase keeps it beside its YAML sources
// (infobase/compiled.go): the YAML of a big application (unf30: 977 files,
// 150 MB) takes seconds to parse, the compact form of the same model
// milliseconds to read.
//
// The encoding follows the structs by reflection, so a field added to
// Object, Attribute or any other part of the model is carried without
// touching this file; the layout of the model (every exported field's name
// and type) is hashed into the header, so a form written before such a
// change is refused (ErrCompactStale) rather than read into the wrong
// fields. Unexported fields (the indexes Configuration.byName and
// Role.byObject) are written apart, by indexes; the round-trip test
// compares them too, so an index added to the model and not to indexes
// fails it.
//
// What makes it fast to read:
//   - every string is written once, in a table read with one allocation;
//     the model's strings are substrings of it (the same restriction
//     template, copied into hundreds of roles, is one string);
//   - a slice of pointers to structs is read into one array of the structs;
//   - the anchors of texts (source.File), a million lines in a big
//     application, are read when a position is first asked for
//     (source.NewLazyFile), which only messages do.
//
// Layout: the magic, the version, the layout hash (8 bytes), the string
// table (count, each length, then the bytes), then the configuration's
// value. Integers are varints; a string is its index in the table; a slice
// or map is its length plus one (0 for nil), a pointer a 0 or 1 byte before
// its value; a source.File its name, text and the byte length and bytes of
// its anchors.

// compactMagic opens every compact form.
const compactMagic = "dostup-config\x00"

// compactVersion is the version of the encoding itself; the layout of the
// model has its own hash (modelLayout).
const compactVersion = 2

// ErrCompactStale is wrapped by UnmarshalCompact's error when the data is a
// compact form of another version of the encoding or of the model: the
// configuration must be loaded from its YAML (and the form written again).
var ErrCompactStale = errors.New("the compact form is of another version")

var (
	fileType     = reflect.TypeFor[*source.File]()
	positionType = reflect.TypeFor[source.Position]()
)

// MarshalCompact writes the compact form of a configuration. rename, when
// not nil, gives the file name to write for each file name of the model
// (positions and texts): a configuration loaded from a folder names its
// files by path, while one loaded from an infobase's sources names them as
// the infobase stores them.
func MarshalCompact(cfg *Configuration, rename func(string) string) ([]byte, error) {
	c := &compactCodec{enc: map[reflect.Type]encodeFunc{}}
	fn, err := c.encoder(reflect.TypeFor[Configuration]())
	if err != nil {
		return nil, err
	}
	e := &compactEncoder{rename: rename, index: map[string]uint64{"": 0}, strings: []string{""}}
	fn(e, reflect.ValueOf(cfg).Elem())
	e.indexes(cfg)
	var out []byte
	out = append(out, compactMagic...)
	out = binary.AppendUvarint(out, compactVersion)
	out = binary.LittleEndian.AppendUint64(out, modelLayout())
	out = binary.AppendUvarint(out, uint64(len(e.strings)))
	for _, s := range e.strings {
		out = binary.AppendUvarint(out, uint64(len(s)))
	}
	for _, s := range e.strings {
		out = append(out, s...)
	}
	return append(out, e.buf...), nil
}

// UnmarshalCompact reads a configuration from its compact form, which was
// validated when it was written. data must not change afterwards: the
// anchors of texts are read from it when first needed. Data of another
// version is refused with ErrCompactStale; damaged data with an error,
// never a panic.
func UnmarshalCompact(data []byte) (cfg *Configuration, err error) {
	if !strings.HasPrefix(string(data), compactMagic) {
		return nil, fmt.Errorf("%w: not a compact form", ErrCompactStale)
	}
	d := &compactDecoder{data: data, pos: len(compactMagic)}
	if v := d.uvarint(); v != compactVersion {
		return nil, fmt.Errorf("%w: encoding version %d, not %d", ErrCompactStale, v, compactVersion)
	}
	if d.pos+8 > len(data) {
		return nil, errors.New("the compact form is cut short")
	}
	if h := binary.LittleEndian.Uint64(data[d.pos:]); h != modelLayout() {
		return nil, fmt.Errorf("%w: written for another layout of the model", ErrCompactStale)
	}
	d.pos += 8
	n := d.length()
	lengths := make([]int, n)
	total := 0
	for i := range lengths {
		lengths[i] = d.length()
		total += lengths[i]
	}
	if d.err != nil || total > len(data)-d.pos {
		return nil, errors.New("the compact form's strings are damaged")
	}
	// One copy of all strings; each string of the model is a part of it.
	table := string(data[d.pos : d.pos+total])
	d.pos += total
	d.strings = make([]string, n)
	off := 0
	for i, l := range lengths {
		d.strings[i] = table[off : off+l]
		off += l
	}
	c := &compactCodec{dec: map[reflect.Type]decodeFunc{}}
	fn, err := c.decoder(reflect.TypeFor[Configuration]())
	if err != nil {
		return nil, err
	}
	cfg = &Configuration{}
	fn(d, reflect.ValueOf(cfg).Elem())
	d.indexes(cfg)
	if d.err == nil && d.pos != len(data) {
		d.err = errors.New("trailing bytes")
	}
	if d.err != nil {
		return nil, fmt.Errorf("the compact form is damaged: %w", d.err)
	}
	return cfg, nil
}

// indexes writes the indexes a configuration keeps in unexported fields,
// as build made them: the key of each object of Configuration.byName and,
// for each role, the object each entry of Role.byObject stands for (by
// its place in Objects). Computing them again on reading costs more than
// the rest of the model: every key is a lower-cased name, and a role's
// entries are looked up by name.
func (e *compactEncoder) indexes(cfg *Configuration) {
	place := make(map[*Object]uint64, len(cfg.Objects))
	for i, o := range cfg.Objects {
		place[o] = uint64(i) + 1
	}
	if cfg.byName == nil {
		e.uvarint(0)
	} else {
		// In order, as everything else: the same configuration makes the
		// same bytes.
		e.uvarint(uint64(len(cfg.byName)) + 1)
		for _, k := range slices.Sorted(maps.Keys(cfg.byName)) {
			e.string(k)
			e.uvarint(place[cfg.byName[k]]) // 0: an object not in Objects, which build never makes
		}
	}
	for _, r := range cfg.Roles {
		if r.byObject == nil {
			e.uvarint(0)
			continue
		}
		e.uvarint(uint64(len(r.byObject)) + 1)
		entry := make(map[*ObjectRights]uint64, len(r.Objects))
		for i, or := range r.Objects {
			entry[or] = uint64(i) + 1
		}
		pairs := make([][2]uint64, 0, len(r.byObject))
		for o, or := range r.byObject {
			pairs = append(pairs, [2]uint64{place[o], entry[or]})
		}
		slices.SortFunc(pairs, func(a, b [2]uint64) int { return cmp.Compare(a[0], b[0]) })
		for _, p := range pairs {
			e.uvarint(p[0])
			e.uvarint(p[1])
		}
	}
}

// indexes reads what compactEncoder.indexes wrote.
func (d *compactDecoder) indexes(cfg *Configuration) {
	object := func() *Object {
		i := d.uvarint()
		if i == 0 || i > uint64(len(cfg.Objects)) {
			d.fail("bad object index")
			return nil
		}
		return cfg.Objects[i-1]
	}
	if n := d.optLength(); n >= 0 {
		cfg.byName = make(map[string]*Object, n)
		for range n {
			k := d.string()
			cfg.byName[k] = object()
		}
	}
	for _, r := range cfg.Roles {
		n := d.optLength()
		if n < 0 {
			continue
		}
		r.byObject = make(map[*Object]*ObjectRights, n)
		for range n {
			o := object()
			i := d.uvarint()
			if i == 0 || i > uint64(len(r.Objects)) {
				d.fail("bad entry index")
				return
			}
			r.byObject[o] = r.Objects[i-1]
		}
	}
}

// modelLayout hashes the names and types of every exported field reachable
// from Configuration, so that a compact form of an older model is refused.
func modelLayout() uint64 {
	h := fnv.New64a()
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		fmt.Fprintf(h, "%s:%s(", t.String(), t.Kind())
		defer h.Write([]byte(")"))
		if seen[t] || t == fileType {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(t.Elem())
		case reflect.Map:
			walk(t.Key())
			walk(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				if f := t.Field(i); f.IsExported() {
					fmt.Fprintf(h, "%s ", f.Name)
					walk(f.Type)
				}
			}
		}
	}
	walk(reflect.TypeFor[Configuration]())
	return h.Sum64()
}

type (
	encodeFunc func(e *compactEncoder, v reflect.Value)
	decodeFunc func(d *compactDecoder, v reflect.Value)
)

// compactCodec makes the encoding and decoding functions of each type of
// the model once per call of MarshalCompact or UnmarshalCompact.
type compactCodec struct {
	enc map[reflect.Type]encodeFunc
	dec map[reflect.Type]decodeFunc
}

type compactEncoder struct {
	buf     []byte
	rename  func(string) string
	index   map[string]uint64
	strings []string
}

func (e *compactEncoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *compactEncoder) varint(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }

func (e *compactEncoder) string(s string) {
	i, ok := e.index[s]
	if !ok {
		i = uint64(len(e.strings))
		e.index[s] = i
		e.strings = append(e.strings, s)
	}
	e.uvarint(i)
}

func (e *compactEncoder) fileName(s string) {
	if e.rename != nil {
		s = e.rename(s)
	}
	e.string(s)
}

type compactDecoder struct {
	data    []byte
	pos     int
	strings []string
	err     error
}

func (d *compactDecoder) fail(msg string) {
	if d.err == nil {
		d.err = fmt.Errorf("%s at byte %d", msg, d.pos)
	}
	d.pos = len(d.data) // nothing more is read
}

func (d *compactDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.data[d.pos:])
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.pos += n
	return v
}

func (d *compactDecoder) varint() int64 {
	v, n := binary.Varint(d.data[d.pos:])
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.pos += n
	return v
}

// length reads a count of things each written in at least one byte, so a
// damaged count cannot ask for more memory than the data could fill.
func (d *compactDecoder) length() int {
	v := d.uvarint()
	if v > uint64(len(d.data)-d.pos) {
		d.fail("bad length")
		return 0
	}
	return int(v)
}

// optLength reads the length of a slice or map plus one; -1 is nil.
func (d *compactDecoder) optLength() int {
	v := d.uvarint()
	if v == 0 {
		return -1
	}
	if v-1 > uint64(len(d.data)-d.pos) {
		d.fail("bad length")
		return -1
	}
	return int(v - 1)
}

func (d *compactDecoder) string() string {
	i := d.uvarint()
	if i >= uint64(len(d.strings)) {
		d.fail("bad string")
		return ""
	}
	return d.strings[i]
}

func (d *compactDecoder) byte() byte {
	if d.pos >= len(d.data) {
		d.fail("cut short")
		return 0
	}
	b := d.data[d.pos]
	d.pos++
	return b
}

func (c *compactCodec) encoder(t reflect.Type) (encodeFunc, error) {
	if fn, ok := c.enc[t]; ok {
		return fn, nil
	}
	// A recursive type asks for itself while being made: the placeholder
	// calls the function once it is known.
	var fn encodeFunc
	c.enc[t] = func(e *compactEncoder, v reflect.Value) { fn(e, v) }
	switch {
	case t == fileType:
		fn = encodeFile
	case t == positionType:
		fn = func(e *compactEncoder, v reflect.Value) {
			p := v.Interface().(source.Position)
			e.fileName(p.Filename)
			e.varint(int64(p.Line))
			e.varint(int64(p.Column))
		}
	default:
		switch t.Kind() {
		case reflect.Bool:
			fn = func(e *compactEncoder, v reflect.Value) {
				if v.Bool() {
					e.buf = append(e.buf, 1)
				} else {
					e.buf = append(e.buf, 0)
				}
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			fn = func(e *compactEncoder, v reflect.Value) { e.varint(v.Int()) }
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			fn = func(e *compactEncoder, v reflect.Value) { e.uvarint(v.Uint()) }
		case reflect.Float32, reflect.Float64:
			fn = func(e *compactEncoder, v reflect.Value) { e.uvarint(math.Float64bits(v.Float())) }
		case reflect.String:
			fn = func(e *compactEncoder, v reflect.Value) { e.string(v.String()) }
		case reflect.Pointer:
			elem, err := c.encoder(t.Elem())
			if err != nil {
				return nil, err
			}
			fn = func(e *compactEncoder, v reflect.Value) {
				if v.IsNil() {
					e.buf = append(e.buf, 0)
					return
				}
				e.buf = append(e.buf, 1)
				elem(e, v.Elem())
			}
		case reflect.Slice:
			elem, err := c.encoder(t.Elem())
			if err != nil {
				return nil, err
			}
			fn = func(e *compactEncoder, v reflect.Value) {
				if v.IsNil() {
					e.uvarint(0)
					return
				}
				e.uvarint(uint64(v.Len()) + 1)
				for i := range v.Len() {
					elem(e, v.Index(i))
				}
			}
		case reflect.Map:
			switch t.Key().Kind() {
			case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			default:
				delete(c.enc, t)
				return nil, fmt.Errorf("the compact form has no encoding of %s: its keys do not sort", t)
			}
			key, err := c.encoder(t.Key())
			if err != nil {
				return nil, err
			}
			elem, err := c.encoder(t.Elem())
			if err != nil {
				return nil, err
			}
			fn = func(e *compactEncoder, v reflect.Value) {
				if v.IsNil() {
					e.uvarint(0)
					return
				}
				e.uvarint(uint64(v.Len()) + 1)
				keys := v.MapKeys()
				slices.SortFunc(keys, compareKeys)
				for _, k := range keys {
					key(e, k)
					elem(e, v.MapIndex(k))
				}
			}
		case reflect.Struct:
			var fields []int
			var fns []encodeFunc
			for i := range t.NumField() {
				f := t.Field(i)
				if !f.IsExported() {
					continue // an index, rebuilt by reindex
				}
				ffn, err := c.encoder(f.Type)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", t.Name(), f.Name, err)
				}
				fields = append(fields, i)
				fns = append(fns, ffn)
			}
			fn = func(e *compactEncoder, v reflect.Value) {
				for k, i := range fields {
					fns[k](e, v.Field(i))
				}
			}
		default:
			delete(c.enc, t)
			return nil, fmt.Errorf("the compact form has no encoding of %s", t)
		}
	}
	c.enc[t] = fn
	return fn, nil
}

func (c *compactCodec) decoder(t reflect.Type) (decodeFunc, error) {
	if fn, ok := c.dec[t]; ok {
		return fn, nil
	}
	var fn decodeFunc
	c.dec[t] = func(d *compactDecoder, v reflect.Value) { fn(d, v) }
	switch {
	case t == fileType:
		fn = decodeFile
	case t == positionType:
		fn = func(d *compactDecoder, v reflect.Value) {
			p := v.Addr().Interface().(*source.Position)
			p.Filename = d.string()
			p.Line = int(d.varint())
			p.Column = int(d.varint())
		}
	default:
		switch t.Kind() {
		case reflect.Bool:
			fn = func(d *compactDecoder, v reflect.Value) { v.SetBool(d.byte() != 0) }
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			fn = func(d *compactDecoder, v reflect.Value) { v.SetInt(d.varint()) }
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			fn = func(d *compactDecoder, v reflect.Value) { v.SetUint(d.uvarint()) }
		case reflect.Float32, reflect.Float64:
			fn = func(d *compactDecoder, v reflect.Value) { v.SetFloat(math.Float64frombits(d.uvarint())) }
		case reflect.String:
			fn = func(d *compactDecoder, v reflect.Value) { v.SetString(d.string()) }
		case reflect.Pointer:
			elem, err := c.decoder(t.Elem())
			if err != nil {
				return nil, err
			}
			et := t.Elem()
			fn = func(d *compactDecoder, v reflect.Value) {
				if d.byte() == 0 {
					return
				}
				p := reflect.New(et)
				elem(d, p.Elem())
				v.Set(p)
			}
		case reflect.Slice:
			et := t.Elem()
			if et.Kind() == reflect.Pointer && et.Elem().Kind() == reflect.Struct && et != fileType {
				// Slices of pointers to structs (objects, attributes,
				// roles' rights) are read into one array of the structs.
				elem, err := c.decoder(et.Elem())
				if err != nil {
					return nil, err
				}
				arrayType := reflect.SliceOf(et.Elem())
				fn = func(d *compactDecoder, v reflect.Value) {
					n := d.optLength()
					if n < 0 {
						return
					}
					s := reflect.MakeSlice(t, n, n)
					array := reflect.MakeSlice(arrayType, n, n)
					for i := range n {
						if d.byte() == 0 {
							continue
						}
						x := array.Index(i)
						elem(d, x)
						s.Index(i).Set(x.Addr())
					}
					v.Set(s)
				}
				break
			}
			elem, err := c.decoder(et)
			if err != nil {
				return nil, err
			}
			fn = func(d *compactDecoder, v reflect.Value) {
				n := d.optLength()
				if n < 0 {
					return
				}
				s := reflect.MakeSlice(t, n, n)
				for i := range n {
					elem(d, s.Index(i))
				}
				v.Set(s)
			}
		case reflect.Map:
			key, err := c.decoder(t.Key())
			if err != nil {
				return nil, err
			}
			elem, err := c.decoder(t.Elem())
			if err != nil {
				return nil, err
			}
			fn = func(d *compactDecoder, v reflect.Value) {
				n := d.optLength()
				if n < 0 {
					return
				}
				m := reflect.MakeMapWithSize(t, n)
				for range n {
					k := reflect.New(t.Key()).Elem()
					key(d, k)
					x := reflect.New(t.Elem()).Elem()
					elem(d, x)
					m.SetMapIndex(k, x)
				}
				v.Set(m)
			}
		case reflect.Struct:
			var fields []int
			var fns []decodeFunc
			for i := range t.NumField() {
				f := t.Field(i)
				if !f.IsExported() {
					continue
				}
				ffn, err := c.decoder(f.Type)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", t.Name(), f.Name, err)
				}
				fields = append(fields, i)
				fns = append(fns, ffn)
			}
			fn = func(d *compactDecoder, v reflect.Value) {
				for k, i := range fields {
					fns[k](d, v.Field(i))
				}
			}
		default:
			delete(c.dec, t)
			return nil, fmt.Errorf("the compact form has no encoding of %s", t)
		}
	}
	c.dec[t] = fn
	return fn, nil
}

// compareKeys orders the keys of a map, strings or integers.
func compareKeys(a, b reflect.Value) int {
	if a.Kind() == reflect.String {
		return strings.Compare(a.String(), b.String())
	}
	return cmp.Compare(a.Int(), b.Int())
}

// encodeFile writes a text with its name and anchors; the anchors are
// prefixed with their length in bytes so that reading skips them.
func encodeFile(e *compactEncoder, v reflect.Value) {
	if v.IsNil() {
		e.buf = append(e.buf, 0)
		return
	}
	f := v.Interface().(*source.File)
	e.buf = append(e.buf, 1)
	e.fileName(f.Name)
	e.string(f.Text)
	anchors := encodeAnchors(f.Text, f.Anchors())
	e.uvarint(uint64(len(anchors)))
	e.buf = append(e.buf, anchors...)
}

// Anchors are written in one of two ways. Almost every text of a
// configuration is a YAML block scalar: one anchor at each line start, on
// consecutive lines of the file, all at the block's indentation but for a
// few (blank lines). Those are written as the first line, the usual column
// and the lines whose column differs (anchorsByLine): a template of a
// thousand lines takes a few bytes instead of thousands, which halves a big
// application's compact form. Any other list is written anchor by anchor,
// as deltas (anchorsInFull).
const (
	anchorsInFull = iota
	anchorsByLine
)

// encodeAnchors writes the anchors of a text.
func encodeAnchors(text string, list []source.Anchor) []byte {
	if out, ok := encodeAnchorsByLine(text, list); ok {
		return out
	}
	out := []byte{anchorsInFull}
	out = binary.AppendUvarint(out, uint64(len(list)))
	prev := source.Anchor{}
	for _, a := range list {
		// Anchors follow each other line by line: deltas are small.
		out = binary.AppendVarint(out, int64(a.Offset-prev.Offset))
		out = binary.AppendVarint(out, int64(a.Line-prev.Line))
		out = binary.AppendVarint(out, int64(a.Col))
		prev = a
	}
	return out
}

// encodeAnchorsByLine writes anchors that stand one at each line start of
// the text, on consecutive lines, or says that they do not.
func encodeAnchorsByLine(text string, list []source.Anchor) ([]byte, bool) {
	if len(list) == 0 || strings.Count(text, "\n")+1 != len(list) {
		return nil, false
	}
	cols := map[int]int{}
	lineStart := 0
	for i, a := range list {
		if a.Offset != lineStart || a.Line != list[0].Line+i {
			return nil, false
		}
		cols[a.Col]++
		lineStart += strings.IndexByte(text[lineStart:], '\n') + 1
	}
	usual := list[0].Col
	for c, n := range cols {
		if n > cols[usual] || n == cols[usual] && c < usual {
			usual = c
		}
	}
	out := []byte{anchorsByLine}
	out = binary.AppendVarint(out, int64(list[0].Line))
	out = binary.AppendVarint(out, int64(usual))
	out = binary.AppendUvarint(out, uint64(len(list)-cols[usual]))
	prev := 0
	for i, a := range list {
		if a.Col != usual {
			out = binary.AppendUvarint(out, uint64(i-prev))
			out = binary.AppendVarint(out, int64(a.Col))
			prev = i
		}
	}
	return out, true
}

func decodeFile(d *compactDecoder, v reflect.Value) {
	if d.byte() == 0 {
		return
	}
	name, text := d.string(), d.string()
	n := d.length()
	if d.err != nil {
		return
	}
	raw := d.data[d.pos : d.pos+n]
	d.pos += n
	v.Set(reflect.ValueOf(source.NewLazyFile(name, text, func() []source.Anchor { return decodeAnchors(raw, text) })))
}

// decodeAnchors reads the anchors encodeFile wrote. Damaged anchors (which
// a form that passed its checks cannot have) give the start of the text,
// so that a message still names the file.
func decodeAnchors(raw []byte, text string) []source.Anchor {
	damaged := []source.Anchor{{Offset: 0, Line: 1, Col: 1}}
	if len(raw) == 0 {
		return damaged
	}
	d := &compactDecoder{data: raw, pos: 1}
	switch raw[0] {
	case anchorsByLine:
		first, usual := int(d.varint()), int(d.varint())
		n := strings.Count(text, "\n") + 1
		out := make([]source.Anchor, 0, n)
		for off := 0; ; {
			out = append(out, source.Anchor{Offset: off, Line: first + len(out), Col: usual})
			i := strings.IndexByte(text[off:], '\n')
			if i < 0 {
				break
			}
			off += i + 1
		}
		at := 0
		for range d.length() {
			at += int(d.uvarint())
			col := int(d.varint())
			if d.err != nil || at >= len(out) {
				return damaged
			}
			out[at].Col = col
		}
		if d.err != nil {
			return damaged
		}
		return out
	case anchorsInFull:
		n := d.length()
		if d.err != nil || n == 0 {
			return damaged
		}
		out := make([]source.Anchor, 0, n)
		prev := source.Anchor{}
		for range n {
			a := source.Anchor{Offset: prev.Offset + int(d.varint()), Line: prev.Line + int(d.varint()), Col: int(d.varint())}
			if d.err != nil || a.Offset < prev.Offset || a.Offset > len(text) {
				return damaged
			}
			out = append(out, a)
			prev = a
		}
		return out
	}
	return damaged
}

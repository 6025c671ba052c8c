package onecxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"dostup/sdbl/source"
)

// Error is a problem found in a 1C XML file, at a place a person can open in
// an editor. It is source.Error, the shape every positioned error of dostup
// has, so that a mistake in Rights.xml and one in the restriction text inside
// it print and marshal alike. Err holds the underlying error when there is
// one (an *xml.SyntaxError, say), so callers can still inspect it with
// errors.As.
type Error = source.Error

// errTextMismatch marks a text this package decoded differently from
// encoding/xml: a bug here, which tests look for.
var errTextMismatch = errors.New("internal error: decoded text differs from encoding/xml's")

// utf8BOM is what 1C writes at the start of every dump file. encoding/xml
// would return it as character data before the XML declaration, and editors
// do not count it as a column, so it is cut off before parsing.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// lineIndex turns byte offsets of a file into 1-based lines and columns in
// characters. Line ends are \n, \r\n and a lone \r: the three forms XML
// normalises to \n, so one line end of the file is one \n of decoded text.
type lineIndex struct {
	data   []byte
	starts []int // offset of the first byte of each line
}

func newLineIndex(data []byte) lineIndex {
	starts := []int{0}
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return lineIndex{data: data, starts: starts}
}

func (x lineIndex) pos(off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > len(x.data) {
		off = len(x.data)
	}
	i := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off }) - 1
	return i + 1, utf8.RuneCount(x.data[x.starts[i]:off]) + 1
}

// xmlReader is a streaming reader over one file that knows where each token
// came from. Offsets are those of data, which has had its BOM removed.
type xmlReader struct {
	name  string
	data  []byte
	lines lineIndex
	d     *xml.Decoder
	src   *bytes.Reader // what d reads, moved past a text read without it
	// skipped is how many bytes were read without the decoder, which does
	// not count them in its InputOffset.
	skipped int
	// strict makes a difference between our decoding of a text and
	// encoding/xml's an error instead of a silent fallback; tests set it so
	// that any such difference is found rather than hidden.
	strict bool
}

func newXMLReader(name string, data []byte) *xmlReader {
	data = bytes.TrimPrefix(data, utf8BOM)
	src := bytes.NewReader(data)
	d := xml.NewDecoder(src) // a bytes.Reader is read byte by byte, unbuffered
	d.Strict = true
	return &xmlReader{name: name, data: data, lines: newLineIndex(data), d: d, src: src}
}

func (r *xmlReader) offset() int { return int(r.d.InputOffset()) + r.skipped }

func (r *xmlReader) position(off int) source.Position {
	line, col := r.lines.pos(off)
	return source.Position{Filename: r.name, Line: line, Column: col}
}

// errorAt returns the problem at byte off of the file, wrapping err.
func (r *xmlReader) errorAt(off int, err error, msg string) *Error {
	return &Error{Loc: source.At(r.position(off)), Msg: msg, Err: err}
}

func (r *xmlReader) errorf(off int, format string, args ...any) error {
	return r.errorAt(off, nil, fmt.Sprintf(format, args...))
}

// token returns the next token, turning the decoder's errors into *Error with
// a line and column (xml.SyntaxError has only a line, counted without the
// \r line ends).
func (r *xmlReader) token() (xml.Token, error) {
	start := r.offset()
	tok, err := r.d.Token()
	if err == nil {
		return tok, nil
	}
	off := r.offset()
	var se *xml.SyntaxError
	switch {
	case errors.As(err, &se):
		// A wrong end tag is found only once it has been read; point at
		// its start, where the reader has to look, not after it.
		if strings.HasPrefix(se.Msg, "element <") || strings.HasPrefix(se.Msg, "unexpected end element") {
			off = start
		}
		return nil, r.errorAt(off, err, "malformed XML: "+se.Msg)
	case err == io.EOF:
		// Only the document level sees io.EOF: inside an element
		// encoding/xml reports a syntax error. root and finish decide
		// what an end of file means there.
		return nil, io.EOF
	default:
		return nil, r.errorAt(off, err, "malformed XML: "+err.Error())
	}
}

// root returns the document element and the offset of its '<'.
func (r *xmlReader) root() (xml.StartElement, int, error) {
	for {
		off := r.offset()
		tok, err := r.token()
		if err == io.EOF {
			return xml.StartElement{}, off, r.errorf(off, "malformed XML: no root element")
		}
		if err != nil {
			return xml.StartElement{}, off, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, off, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, off, r.errorf(off, "malformed XML: text before the root element")
			}
		}
	}
}

// finish reads what follows the root element, so that a file with garbage
// after it is reported rather than half-read.
func (r *xmlReader) finish() error {
	for {
		off := r.offset()
		tok, err := r.token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return r.errorf(off, "malformed XML: a second root element <%s>", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return r.errorf(off, "malformed XML: text after the root element")
			}
		}
	}
}

// children calls fn for each child element of the element whose start tag
// was read last, with the offset of the child's '<', and returns after the
// parent's end tag. fn must consume the child up to its end tag (with text,
// skip, children or embeddedText).
func (r *xmlReader) children(fn func(se xml.StartElement, off int) error) error {
	for {
		off := r.offset()
		tok, err := r.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t, off); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// skip consumes the rest of an element we do not need: 1C adds elements in
// new platform versions, and an old reader should not fail on them.
func (r *xmlReader) skip() error {
	for depth := 1; depth > 0; {
		tok, err := r.token()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// text returns the character data of a simple element such as <name>.
func (r *xmlReader) text(se xml.StartElement) (string, error) {
	var b strings.Builder
	for {
		off := r.offset()
		tok, err := r.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			return "", r.errorf(off, "unexpected element <%s> inside <%s>", t.Name.Local, se.Name.Local)
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

// boolText reads an element holding true or false.
func (r *xmlReader) boolText(se xml.StartElement, off int) (bool, error) {
	s, err := r.text(se)
	if err != nil {
		return false, err
	}
	switch strings.TrimSpace(s) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, r.errorf(off, "<%s> holds %q; want true or false", se.Name.Local, strings.TrimSpace(s))
}

// embeddedText reads the content of an element such as <condition> whose
// text is a program of its own, and returns it as a source.File whose
// anchors map offsets of the decoded text to lines and columns of the XML
// file. The raw bytes of every token are decoded here a second time, in step
// with encoding/xml, because only the raw bytes tell how long each entity and
// CDATA marker was in the file.
func (r *xmlReader) embeddedText(se xml.StartElement) (*source.File, error) {
	begin := r.offset()
	line, col := r.lines.pos(begin)
	w := textWalker{line: line, col: col}
	w.anchor()
	if raw, ok := r.plainText(begin); ok && plainTextFast {
		// The whole text is character data encoding/xml would accept as
		// is: decode it here and let the decoder go on at the end tag.
		// Every role of a big application repeats templates of hundreds
		// of kilobytes, and encoding/xml reads them a byte at a time.
		w.copy(raw, true)
		if _, err := r.src.Seek(int64(len(raw)), io.SeekCurrent); err != nil {
			return nil, r.errorAt(begin, err, "reading the text of <"+se.Name.Local+">")
		}
		r.skipped += len(raw)
		off := r.offset()
		tok, err := r.token()
		if err != nil {
			return nil, err
		}
		if _, ok := tok.(xml.EndElement); !ok {
			return nil, r.errorf(off, "unexpected markup inside <%s>", se.Name.Local)
		}
		return source.NewEmbeddedFile(r.name, w.out.String(), w.anchors), nil
	}
	var std bytes.Buffer // what encoding/xml decoded, to check ours against
	at := begin
	for {
		off := r.offset()
		tok, err := r.token()
		if err != nil {
			return nil, err
		}
		end := r.offset()
		if off != at {
			// Tokens are contiguous; if they ever are not, restart the
			// walk from the true position rather than drift.
			w.line, w.col = r.lines.pos(off)
			w.anchor()
		}
		at = end
		raw := r.data[off:end]
		switch t := tok.(type) {
		case xml.CharData:
			std.Write(t)
			if bytes.HasPrefix(raw, []byte("<![CDATA[")) && bytes.HasSuffix(raw, []byte("]]>")) {
				w.markup(raw[:9])
				w.copy(raw[9:len(raw)-3], false)
				w.markup(raw[len(raw)-3:])
			} else {
				w.copy(raw, true)
			}
		case xml.Comment, xml.ProcInst, xml.Directive:
			w.markup(raw)
		case xml.StartElement:
			return nil, r.errorf(off, "unexpected element <%s> inside <%s>; the text of a condition must be escaped", t.Name.Local, se.Name.Local)
		case xml.EndElement:
			text := w.out.String()
			if text != std.String() {
				if r.strict {
					return nil, r.errorAt(begin, errTextMismatch,
						fmt.Sprintf("%v in <%s>: %q, encoding/xml has %q", errTextMismatch, se.Name.Local, text, std.String()))
				}
				// Trust encoding/xml for the text and give up exact
				// columns: a wrong position is better than a wrong text.
				return source.NewEmbeddedFile(r.name, std.String(), []source.Anchor{{Offset: 0, Line: line, Col: col}}), nil
			}
			return source.NewEmbeddedFile(r.name, text, w.anchors), nil
		}
	}
}

// plainTextFast lets tests compare the fast path of plain texts with
// encoding/xml's reading of them.
var plainTextFast = true

// plainText returns the raw text from begin, just after a start tag, to the
// next tag, when that tag is an end tag and encoding/xml would decode the
// text exactly as textWalker.copy does: valid characters only, and no
// entity but the five XML names. Anything else (CDATA, comments, numeric
// references, a character XML forbids) is left to the decoder and its errors.
func (r *xmlReader) plainText(begin int) ([]byte, bool) {
	if begin < 2 || r.data[begin-1] != '>' || r.data[begin-2] == '/' {
		return nil, false // an empty element <x/>: the decoder has its end already
	}
	rest := r.data[begin:]
	n := bytes.IndexByte(rest, '<')
	if n < 0 || n+1 >= len(rest) || rest[n+1] != '/' {
		return nil, false
	}
	raw := rest[:n]
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&':
			j := bytes.IndexByte(raw[i:], ';')
			if j < 0 {
				return nil, false
			}
			switch string(raw[i+1 : i+j]) {
			case "amp", "lt", "gt", "quot", "apos":
			default:
				return nil, false
			}
			i += j + 1
		case c == ']':
			if bytes.HasPrefix(raw[i:], []byte("]]>")) {
				return nil, false
			}
			i++
		case c < 0x20:
			if c != '\t' && c != '\n' && c != '\r' {
				return nil, false
			}
			i++
		case c < utf8.RuneSelf:
			i++
		case (c == 0xD0 || c == 0xD1) && i+1 < len(raw) && raw[i+1]&0xC0 == 0x80:
			i += 2 // Cyrillic, U+0400–U+047F: most of a Russian text
		default:
			ch, size := utf8.DecodeRune(raw[i:])
			if ch == utf8.RuneError && size == 1 || ch == 0xFFFE || ch == 0xFFFF {
				return nil, false
			}
			i += size
		}
	}
	return raw, true
}

// textWalker decodes raw XML text while keeping the line and column of the
// raw byte it has reached, and records an anchor wherever the decoded text
// and the file stop advancing together (after an entity, around markup).
type textWalker struct {
	out       strings.Builder
	line, col int
	anchors   []source.Anchor
}

func (w *textWalker) anchor() {
	a := source.Anchor{Offset: w.out.Len(), Line: w.line, Col: w.col}
	if n := len(w.anchors); n > 0 && w.anchors[n-1].Offset == a.Offset {
		w.anchors[n-1] = a
		return
	}
	w.anchors = append(w.anchors, a)
}

// advance moves the file position over raw bytes that produce no text.
func (w *textWalker) advance(raw []byte) {
	for i := 0; i < len(raw); {
		switch raw[i] {
		case '\r':
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
			w.line, w.col = w.line+1, 1
		case '\n':
			i++
			w.line, w.col = w.line+1, 1
		default:
			_, n := utf8.DecodeRune(raw[i:])
			i += n
			w.col++
		}
	}
}

// markup skips a CDATA marker, comment or processing instruction.
func (w *textWalker) markup(raw []byte) {
	w.advance(raw)
	w.anchor()
}

// copy decodes raw character data (entities only outside CDATA), writing
// the text and following the file position.
func (w *textWalker) copy(raw []byte, entities bool) {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&' && entities:
			j := bytes.IndexByte(raw[i:], ';')
			if j < 0 {
				// encoding/xml has already rejected this; copy it so the
				// texts differ and the caller notices.
				w.out.Write(raw[i:])
				w.advance(raw[i:])
				return
			}
			w.out.WriteString(decodeEntity(raw[i+1 : i+j]))
			w.advance(raw[i : i+j+1])
			i += j + 1
			w.anchor()
		case c == '\r':
			// XML turns \r\n and a lone \r into \n; both are one line end
			// of the file too, so no anchor is needed.
			w.out.WriteByte('\n')
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
			w.line, w.col = w.line+1, 1
		case c == '\n':
			w.out.WriteByte('\n')
			i++
			w.line, w.col = w.line+1, 1
		default:
			// A run of plain text is copied whole: rune by rune, the
			// templates every role of a big application repeats took
			// seconds.
			j := i + 1
			for j < len(raw) && raw[j] != '\n' && raw[j] != '\r' && (raw[j] != '&' || !entities) {
				j++
			}
			w.out.Write(raw[i:j])
			w.col += utf8.RuneCount(raw[i:j])
			i = j
		}
	}
}

// decodeEntity decodes the name between & and ; the way encoding/xml does,
// including its choice of U+FFFD for a surrogate code point.
func decodeEntity(name []byte) string {
	switch string(name) {
	case "amp":
		return "&"
	case "lt":
		return "<"
	case "gt":
		return ">"
	case "quot":
		return `"`
	case "apos":
		return "'"
	}
	if len(name) > 1 && name[0] == '#' {
		s, base := string(name[1:]), 10
		if s[0] == 'x' {
			s, base = s[1:], 16
		}
		if n, err := strconv.ParseUint(s, base, 64); err == nil && n <= utf8.MaxRune {
			return string(rune(n))
		}
	}
	return "&" + string(name) + ";"
}

package template

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"dostup/sdbl/source"
)

// ParseHeader splits a template name as Rights.xml stores it: either a plain
// name, `ИмяШаблона`, or a name with named parameters,
// `ДляРегистра(Регистр, Поле1, Поле2, Поле3, Поле4, Поле5)`. The names of
// the parameters let the body write `#Поле1` instead of `#Параметр(2)`.
func ParseHeader(header string) (name string, params []string, err error) {
	h := strings.TrimSpace(header)
	open := strings.IndexByte(h, '(')
	if open < 0 {
		name = h
	} else {
		name = strings.TrimSpace(h[:open])
		if !strings.HasSuffix(h, ")") {
			return "", nil, fmt.Errorf("template header %q: the list of parameters must end with )", header)
		}
		if list := h[open+1 : len(h)-1]; strings.TrimSpace(list) != "" {
			for _, p := range strings.Split(list, ",") {
				p = strings.TrimSpace(p)
				if !isIdent(p) {
					return "", nil, fmt.Errorf("template header %q: parameter %q is not a name (letters, digits and _, not starting with a digit)", header, p)
				}
				for _, q := range params {
					if strings.EqualFold(p, q) {
						return "", nil, fmt.Errorf("template header %q: parameter %s is listed twice", header, p)
					}
				}
				params = append(params, p)
			}
		}
	}
	if !isIdent(name) {
		return "", nil, fmt.Errorf("template header %q: %q is not a template name (letters, digits and _, not starting with a digit)", header, name)
	}
	return name, params, nil
}

// isIdent reports whether s is a 1C identifier.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if unicode.IsDigit(r) {
		return false
	}
	return identEnd(s, 0) == len(s)
}

// identEnd returns the end of the identifier that starts at byte j of t
// (j itself when there is none): letters of any script, digits and _.
func identEnd(t string, j int) int {
	for j < len(t) {
		r, n := utf8.DecodeRuneInString(t[j:])
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		j += n
	}
	return j
}

// Template is one restriction template of a role. Do not change its fields
// once it has been expanded: the scanned body is cached.
type Template struct {
	Name   string       // as written in the header, without the parameter list
	Params []string     // named parameters from the header; #Поле1 is argument 2 of ДляРегистра(Регистр, Поле1)
	Body   *source.File // the template text, for positions in messages

	once  sync.Once
	items []item // Body scanned once; shared by every expansion
}

// New returns the template whose Rights.xml <name> is header and whose
// <condition> is body.
func New(header string, body *source.File) (*Template, error) {
	name, params, err := ParseHeader(header)
	if err != nil {
		return nil, err
	}
	return &Template{Name: name, Params: params, Body: body}, nil
}

// program returns the scanned body, scanning it on first use. The scan does
// not depend on arguments, table or right, which is what makes one scan
// serve every call; sync.Once keeps that safe when roles are compiled
// concurrently.
func (t *Template) program() []item {
	t.once.Do(func() {
		if t.Body != nil {
			t.items = scanShared(t.Body.Text, t.Params)
		}
	})
	return t.items
}

// Every role of an application built on the Standard Subsystems Library
// declares the same few templates of up to half a megabyte, and a check of
// its roles scanned each of them once per role. Scans of long bodies are
// kept here by their text and parameter names, which are all a scan reads.
var scans = struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte][]item
}{m: map[[sha256.Size]byte][]item{}}

const (
	sharedScanMinLen = 4 << 10 // shorter bodies scan faster than they hash
	sharedScanLimit  = 256     // distinct long templates kept
)

func scanShared(body string, params []string) []item {
	if len(body) < sharedScanMinLen {
		return scan(body, true, params)
	}
	h := sha256.New()
	for _, p := range params {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	h.Write([]byte{1})
	h.Write([]byte(body))
	var key [sha256.Size]byte
	h.Sum(key[:0])
	scans.mu.Lock()
	items, ok := scans.m[key]
	scans.mu.Unlock()
	if ok {
		return items
	}
	items = scan(body, true, params)
	scans.mu.Lock()
	if len(scans.m) < sharedScanLimit {
		scans.m[key] = items
	}
	scans.mu.Unlock()
	return items
}

// Check reports the mistakes that the body has whatever the call: malformed
// #Параметр(n), unknown #names, calls with broken arguments. It lets a
// loader reject a role at load time instead of at the first restriction that
// uses the template. Locations point into Body, without a call chain. A
// #Name that is neither a parameter nor followed by ( is taken for a
// template called without arguments and reported here, since a lone
// template cannot know its role's others: Set.Check knows them.
func (t *Template) Check() error { return t.check(nil) }

func (t *Template) check(set *Set) error {
	var errs ErrorList
	for _, it := range t.program() {
		switch {
		case it.kind == kError:
			errs.Add(source.Location{File: t.Body, Offset: it.off}, errCode, it.msg)
		case it.kind == kCall && it.msg != "" && (set == nil || set.Lookup(it.name) == nil):
			errs.Add(source.Location{File: t.Body, Offset: it.off}, errCode, it.msg)
		}
	}
	return errs.Err()
}

// Check runs Template.Check on every template of the set, with the set's
// templates known to calls without arguments.
func (s *Set) Check() error {
	var errs ErrorList
	for _, t := range s.order {
		if err := t.check(s); err != nil {
			errs = append(errs, err.(ErrorList)...)
		}
	}
	return errs.Err()
}

// Set holds the templates of one role. Names are looked up without regard to
// case, as 1C does (#дляобъекта calls ДляОбъекта). The zero Set is empty and
// ready to use.
type Set struct {
	byName map[string]*Template // key: lower-cased name
	order  []*Template          // as added, for messages
}

// NewSet returns a set holding the given templates.
func NewSet(templates ...*Template) (*Set, error) {
	s := &Set{}
	for _, t := range templates {
		if err := s.Add(t); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Add puts t into the set. Two templates whose names differ only in case
// would make calls ambiguous, so that is an error.
func (s *Set) Add(t *Template) error {
	key := strings.ToLower(t.Name)
	if old, ok := s.byName[key]; ok {
		return fmt.Errorf("template %s is defined twice (also as %s)", t.Name, old.Name)
	}
	if s.byName == nil {
		s.byName = make(map[string]*Template)
	}
	s.byName[key] = t
	s.order = append(s.order, t)
	return nil
}

// Lookup returns the template called name, or nil.
func (s *Set) Lookup(name string) *Template {
	if s == nil {
		return nil
	}
	return s.byName[strings.ToLower(name)]
}

// Names returns the names of the templates in the order they were added.
func (s *Set) Names() []string {
	if s == nil {
		return nil
	}
	names := make([]string, len(s.order))
	for i, t := range s.order {
		names[i] = t.Name
	}
	return names
}

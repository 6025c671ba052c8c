package rules

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the kind of a property's values.
type Kind uint8

// The kinds of values. Strings and references compare by name (a reference
// is named by its presentation or UUID) and are the kinds groups and
// synonyms apply to; numbers and dates also take comparisons and ranges.
const (
	String Kind = iota
	Number
	Date
	Reference
)

var kindNames = [...]struct{ en, ru string }{
	String:    {"string", "строка"},
	Number:    {"number", "число"},
	Date:      {"date", "дата"},
	Reference: {"reference", "ссылка"},
}

// String returns the English name of the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k].en
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// ordered reports whether values of the kind take comparisons and ranges.
func (k Kind) ordered() bool { return k == Number || k == Date }

// Type is a property's type: a kind, and whether the property holds a list
// of values (the goods of a document), which matches a condition when any of
// its values does.
type Type struct {
	Kind Kind
	List bool
}

// String returns the type as the YAML format writes it.
func (t Type) String() string {
	if t.List {
		return "list of " + t.Kind.String()
	}
	return t.Kind.String()
}

// typeNames are the spellings of types in the YAML format, RU and EN.
var typeNames = map[string]Type{
	"string": {Kind: String}, "строка": {Kind: String},
	"number": {Kind: Number}, "число": {Kind: Number},
	"date": {Kind: Date}, "дата": {Kind: Date},
	"reference": {Kind: Reference}, "ссылка": {Kind: Reference},
	"list": {Kind: Reference, List: true}, "список": {Kind: Reference, List: true}, "список значений": {Kind: Reference, List: true},
	"list of string": {Kind: String, List: true}, "список строк": {Kind: String, List: true},
	"list of reference": {Kind: Reference, List: true}, "список ссылок": {Kind: Reference, List: true},
	"list of number": {Kind: Number, List: true}, "список чисел": {Kind: Number, List: true},
	"list of date": {Kind: Date, List: true}, "список дат": {Kind: Date, List: true},
}

// ParseType reads a type name (string, число, list of number, список ...).
func ParseType(s string) (Type, error) {
	t, ok := typeNames[strings.ToLower(strings.Join(strings.Fields(s), " "))]
	if !ok {
		return Type{}, fmt.Errorf("unknown type %q: use string (строка), number (число), date (дата), reference (ссылка) or list (список, список чисел ...)", s)
	}
	return t, nil
}

// Value is one value of a property. Strings and references use S; numbers
// and dates use N (a date is seconds since 1970-01-01 UTC, so that dates
// compare as numbers and one index serves both).
type Value struct {
	S string
	N float64
}

func (v Value) format(k Kind) string {
	switch k {
	case Number:
		return strconv.FormatFloat(v.N, 'f', -1, 64)
	case Date:
		t := time.Unix(int64(v.N), 0).UTC()
		if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
			return t.Format("02.01.2006")
		}
		return t.Format("02.01.2006 15:04:05")
	}
	return v.S
}

// parseValue reads one value of a kind from text. It reports whether a
// date had no time of day (it then names the whole day).
func parseValue(k Kind, s string) (v Value, wholeDay bool, err error) {
	switch k {
	case Number:
		n, err := ParseNumber(s)
		return Value{N: n}, false, err
	case Date:
		t, wholeDay, err := ParseDate(s)
		return Value{N: float64(t.Unix())}, wholeDay, err
	}
	if s == "" {
		return Value{}, false, fmt.Errorf("empty value")
	}
	return Value{S: s}, false, nil
}

// ParseNumber reads a number as 1C writes it: digits with an optional sign
// and a decimal point; spaces between digit groups (1 000) are allowed.
func ParseNumber(s string) (float64, error) {
	t := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || strings.ContainsAny(t, "eExXpP_") || strings.EqualFold(t, "inf") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return n, nil
}

// dateLayouts are the date spellings accepted: 1C's ДД.ММ.ГГГГ with an
// optional time, and ISO 8601.
var dateLayouts = []struct {
	layout   string
	wholeDay bool
}{
	{"2.1.2006", true},
	{"2.1.2006 15:04:05", false},
	{"2.1.2006 15:04", false},
	{"2006-01-02", true},
	{"2006-01-02T15:04:05", false},
	{"2006-01-02 15:04:05", false},
	{"2006-01-02T15:04", false},
	{time.RFC3339, false},
}

// ParseDate reads a date: 31.12.2004, 31.12.2004 18:00[:00], 2004-12-31,
// 2004-12-31T18:00:00 or RFC 3339; times without a zone are UTC. wholeDay
// reports a date without a time of day, which a condition reads as the
// whole day (<= 31.12.2004 includes the evening of that day).
func ParseDate(s string) (t time.Time, wholeDay bool, err error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			if t.Year() < 1 || t.Year() > 9999 {
				break
			}
			return t.UTC(), l.wholeDay, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%q is not a date: write ДД.ММ.ГГГГ (31.12.2004), optionally with ЧЧ:ММ:СС, or ГГГГ-ММ-ДД", s)
}

package infobase

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"dostup/metadata"
	"dostup/sqlgen"
)

// ParamError is a query parameter whose value cannot be bound: not set, a
// list where only В (IN) takes one, text with a NUL character or not valid
// UTF-8, a number past 1C's 38 digits. It is the caller's input at fault:
// the API answers 400, the CLI exits 2.
type ParamError struct {
	Name string // the parameter, without &
	Msg  string
}

func (e *ParamError) Error() string { return "the query's parameter &" + e.Name + " " + e.Msg }

// StatementError is a statement the database refused for what the query
// asks of it rather than for a fault of the database: a value out of its
// range (a number that overflows, a date past its calendar, an integer a
// function cannot take), a limit of the engine, or SQL it does not accept.
// The compiler refuses what it can foresee at the place in the query; this
// is what is left, with the database's own message. Callers answer it as
// bad input.
type StatementError struct {
	Code string // the PostgreSQL SQLSTATE, or SQLite's result code
	Msg  string // the database's message
	Err  error
}

func (e *StatementError) Error() string {
	return "the database refused the query (" + e.Code + "): " + e.Msg
}

func (e *StatementError) Unwrap() error { return e.Err }

// statementError is err as a *StatementError when the database refused the
// statement itself (PostgreSQL's classes 22 data exception, 42 syntax
// error or access rule violation, 54 program limit exceeded; SQLite's
// errors of SQL, size, type and range), else err as it is: a lost
// connection, a full disk or a conflict stays the fault it is.
func statementError(err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code[:2] {
		case "22", "42", "54":
			return &StatementError{Code: pg.Code, Msg: pg.Message, Err: err}
		}
		return err
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff {
		case 1, 18, 20, 25: // SQLITE_ERROR, SQLITE_TOOBIG, SQLITE_MISMATCH, SQLITE_RANGE
			return &StatementError{Code: "SQLITE " + strconv.Itoa(lite.Code()), Msg: lite.Error(), Err: err}
		}
	}
	return err
}

// listCount is Statement.Expand's count for the query's parameters and a
// session's: how many values a list argument holds, -1 for one value.
func listCount(params map[string]any, s *Session) func(sqlgen.Arg) int {
	return func(a sqlgen.Arg) int {
		var v any
		switch {
		case a.Session != "" && s != nil:
			v, _ = s.Param(a.Session)
		case a.Param != "":
			v, _ = lookupParam(params, a.Param)
		}
		if list, ok := v.([]any); ok {
			return len(list)
		}
		return -1
	}
}

// paramValue checks a value given for a parameter (an element, when
// elem > 0, of its list) and turns it into a driver value.
func paramValue(name string, v any, a sqlgen.Arg) (any, error) {
	if list, ok := v.([]any); ok {
		switch {
		case a.Elem > 0 && a.Elem <= len(list):
			v = list[a.Elem-1]
			if _, nested := v.([]any); nested {
				return nil, &ParamError{Name: name, Msg: "is a list of lists: a list holds single values"}
			}
		case a.List:
			// A list bound whole: the statement was not expanded for it.
			return nil, &ParamError{Name: name, Msg: "holds a list the statement was not expanded for"}
		default:
			return nil, &ParamError{Name: name, Msg: "holds a list of values: only В (IN) takes a list, as in Ссылка В (&" + name + ")"}
		}
	}
	v = bindable(v)
	switch x := v.(type) {
	case string:
		if err := checkText(x); err != "" {
			return nil, &ParamError{Name: name, Msg: err}
		}
	case sqlgen.DecimalText:
		d, err := decimalText(string(x))
		if err != "" {
			return nil, &ParamError{Name: name, Msg: err}
		}
		v = d
	case map[string]any:
		return nil, &ParamError{Name: name, Msg: "is an object: give a string, number, boolean, null or a list of them"}
	}
	return v, nil
}

// checkText is why a text cannot be bound, or "".
func checkText(s string) string {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return fmt.Sprintf("holds the character U+0000 (NUL) at byte %d: no string of the database can", strings.IndexByte(s, 0)+1)
	case !utf8.ValidString(s):
		return "is not valid UTF-8 text"
	}
	return ""
}

// numberText is a decimal number as JSON writes one: a sign, digits, a
// fraction, an exponent.
var numberText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// decimalText checks a number given as text and writes it without an
// exponent; the message says why it is no 1C number.
func decimalText(s string) (sqlgen.DecimalText, string) {
	if !numberText.MatchString(s) {
		return "", fmt.Sprintf("is not a number: %.40q", s)
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 2*metadata.MaxPrecision || e < -2*metadata.MaxPrecision {
			return "", fmt.Sprintf("is %.40s: a number holds at most %d digits", s, metadata.MaxPrecision)
		}
		mant, exp = s[:i], e
	}
	if exp == 0 {
		if significant(mant) > metadata.MaxPrecision {
			return "", fmt.Sprintf("is %.40s…: a number holds at most %d digits", s, metadata.MaxPrecision)
		}
		return sqlgen.DecimalText(s), ""
	}
	r, ok := new(big.Rat).SetString(mant)
	if !ok {
		return "", fmt.Sprintf("is not a number: %.40q", s)
	}
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(exp))), nil))
	if exp > 0 {
		r.Mul(r, scale)
	} else {
		r.Quo(r, scale)
	}
	_, frac, _ := strings.Cut(mant, ".")
	digits := len(frac) - exp
	if digits < 0 {
		digits = 0
	}
	out := r.FloatString(digits)
	if significant(out) > metadata.MaxPrecision {
		return "", fmt.Sprintf("is %.40s: a number holds at most %d digits", s, metadata.MaxPrecision)
	}
	return sqlgen.DecimalText(out), ""
}

// significant counts the digits of a decimal text that carry its value.
func significant(s string) int {
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	return len(strings.TrimLeft(whole, "0")) + len(strings.TrimRight(frac, "0"))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// firstList names the first list parameter among a statement's arguments.
func firstList(args []sqlgen.Arg) string {
	for _, a := range args {
		if a.List && a.Param != "" {
			return a.Param
		}
	}
	return "?"
}

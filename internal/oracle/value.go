package oracle

import (
	"fmt"
	"math/big"
	"strings"
	"time"
)

// EmptyRef is the empty reference of every type: a value (not NULL) that no
// row holds as its Ссылка, so reading a field through it gives NULL.
const EmptyRef = "00000000-0000-0000-0000-000000000000"

// Ref is a reference in a result: the referenced row's id. The engine adds
// a presentation; results compare by ID.
type Ref struct {
	ID string
}

// Number is a number in a result in its canonical decimal form: no
// exponent, no trailing zeros after the point, no point when whole, "-"
// only for negatives ("12.5", "0", "-3"). CanonicalNumber brings any
// decimal text to this form.
type Number string

// CanonicalNumber returns the canonical form (see Number) of a decimal
// text, or false when s is not a number.
func CanonicalNumber(s string) (Number, bool) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		return "", false
	}
	return numberOf(r), true
}

func numberOf(r *big.Rat) Number {
	if r.IsInt() {
		return Number(r.Num().String())
	}
	// A decimal number has a denominator of 2^a·5^b; max(a, b) digits are enough.
	d := new(big.Int).Set(r.Denom())
	digits := 0
	ten := big.NewInt(10)
	for d.Cmp(big.NewInt(1)) != 0 && digits < 60 {
		switch {
		case new(big.Int).Mod(d, ten).Sign() == 0:
			d.Div(d, ten)
		case new(big.Int).Mod(d, big.NewInt(2)).Sign() == 0:
			d.Div(d, big.NewInt(2))
		case new(big.Int).Mod(d, big.NewInt(5)).Sign() == 0:
			d.Div(d, big.NewInt(5))
		default:
			digits = 60 // not a finite decimal: print with many digits
			continue
		}
		digits++
	}
	s := r.FloatString(digits)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return Number(s)
}

// ratOf reads a number given as Go value: integers, floats, decimal texts,
// *big.Rat, Number.
func ratOf(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case *big.Rat:
		return x, true
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	case int64:
		return new(big.Rat).SetInt64(x), true
	case float64:
		r := new(big.Rat)
		if _, ok := r.SetString(fmt.Sprint(x)); ok {
			return r, true
		}
		return r.SetFloat64(x), true
	case Number:
		return new(big.Rat).SetString(string(x))
	case string:
		return new(big.Rat).SetString(x)
	}
	return nil, false
}

// compare orders two non-NULL values of one kind: -1, 0, 1. Values of
// different kinds are a mistake of the text (the engine's SQL would fail or
// compare them oddly), reported as an error.
func compare(a, b any) (int, error) {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), nil
		}
	case *big.Rat:
		if y, ok := b.(*big.Rat); ok {
			return x.Cmp(y), nil
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0, nil
			case !x:
				return -1, nil
			}
			return 1, nil
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y), nil
		}
	}
	return 0, fmt.Errorf("cannot compare %s with %s", describe(a), describe(b))
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return fmt.Sprintf("string %q", x)
	case *big.Rat:
		return "number " + string(numberOf(x))
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case time.Time:
		return "date " + x.Format(time.DateTime)
	}
	return fmt.Sprintf("%T %v", v, v)
}

// Three-valued logic: a condition is true, false or nil (unknown).

func and3(a, b any) any {
	if a == false || b == false {
		return false
	}
	if a == nil || b == nil {
		return nil
	}
	return true
}

func or3(a, b any) any {
	if a == true || b == true {
		return true
	}
	if a == nil || b == nil {
		return nil
	}
	return false
}

func not3(a any) any {
	if a == nil {
		return nil
	}
	return !a.(bool)
}

// key is a value as a map key, for РАЗЛИЧНЫЕ and multiset comparisons.
func key(v any) string {
	switch x := v.(type) {
	case nil:
		return "N"
	case string:
		return "S" + x
	case *big.Rat:
		return "D" + string(numberOf(x))
	case bool:
		return fmt.Sprintf("B%v", x)
	case time.Time:
		return "T" + x.UTC().Format(time.RFC3339Nano)
	case Ref:
		return "R" + x.ID
	case Number:
		return "D" + string(x)
	}
	return fmt.Sprintf("?%v", v)
}

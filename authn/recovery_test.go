package authn_test

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"testing"

	"dostup/authn"
)

var recoveryRE = regexp.MustCompile(`^[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}$`)

func TestNewRecoveryCodes(t *testing.T) {
	plain, hashes, err := authn.NewRecoveryCodes(100)
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) != 100 || len(hashes) != 100 {
		t.Fatalf("got %d codes, %d hashes; want 100 each", len(plain), len(hashes))
	}
	seen := map[string]bool{}
	for i, c := range plain {
		if !recoveryRE.MatchString(c) {
			t.Errorf("code %q is not in the xxxx-xxxx-xxxx alphabet", c)
		}
		if seen[c] {
			t.Errorf("code %q repeated", c)
		}
		seen[c] = true
		sum := sha256.Sum256([]byte(strings.ReplaceAll(c, "-", "")))
		if hashes[i] != hex.EncodeToString(sum[:]) {
			t.Errorf("hash of %q = %s, want SHA-256 of the code without dashes", c, hashes[i])
		}
	}
	for _, n := range []int{0, -1, 101} {
		if _, _, err := authn.NewRecoveryCodes(n); err == nil {
			t.Errorf("NewRecoveryCodes(%d) succeeded", n)
		}
	}
}

func TestMatchRecoveryCode(t *testing.T) {
	plain, hashes, err := authn.NewRecoveryCodes(10)
	if err != nil {
		t.Fatal(err)
	}
	code := plain[3]
	for _, typed := range []string{
		code,
		strings.ToUpper(code),
		strings.ReplaceAll(code, "-", ""),
		strings.ReplaceAll(code, "-", " "),
		" " + strings.ToUpper(strings.ReplaceAll(code, "-", "")) + "\n",
	} {
		if i, ok := authn.MatchRecoveryCode(hashes, typed); !ok || i != 3 {
			t.Errorf("MatchRecoveryCode(%q) = %d, %v; want 3, true", typed, i, ok)
		}
	}
	for _, typed := range []string{"", " - ", code[:13], code + "a", "k7f3-9qzp-2mxa"} {
		if i, ok := authn.MatchRecoveryCode(hashes, typed); ok || i != -1 {
			t.Errorf("MatchRecoveryCode(%q) = %d, %v; want -1, false", typed, i, ok)
		}
	}
	// The caller removes a used code; then it no longer matches.
	hashes = slices.Delete(hashes, 3, 4)
	if _, ok := authn.MatchRecoveryCode(hashes, code); ok {
		t.Error("a used code matched again")
	}
	if i, ok := authn.MatchRecoveryCode(hashes, plain[9]); !ok || i != 8 {
		t.Errorf("after removal, code 9 = %d, %v; want 8, true", i, ok)
	}
	if _, ok := authn.MatchRecoveryCode(nil, code); ok {
		t.Error("matched against no hashes")
	}
}

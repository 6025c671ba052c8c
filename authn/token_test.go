package authn_test

import (
	"encoding/base64"
	"regexp"
	"testing"

	"dostup/authn"
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, hash, err := authn.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(b) != 32 {
			t.Fatalf("token %q: %d bytes, %v; want 32 bytes of base64url", tok, len(b), err)
		}
		if hash != authn.HashToken(tok) || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(hash) {
			t.Errorf("hash %q of %q is not HashToken's SHA-256 hex", hash, tok)
		}
		if seen[tok] {
			t.Fatalf("token %q repeated", tok)
		}
		seen[tok] = true
	}
	// SHA-256("abc"), FIPS 180-2 appendix B.1.
	if got := authn.HashToken("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashToken(abc) = %s", got)
	}
}

func TestNewID(t *testing.T) {
	a, b := authn.NewID(), authn.NewID()
	re := regexp.MustCompile(`^[0-9a-f]{32}$`)
	if !re.MatchString(a) || !re.MatchString(b) || a == b {
		t.Errorf("NewID() = %q, %q; want two distinct 32-digit hex ids", a, b)
	}
}

func TestSecretEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"", "", true},
		{"s3cret", "s3cret", true},
		{"s3cret", "s3creT", false},
		{"s3cret", "s3cret ", false},
		{"", "x", false},
		{"пароль", "пароль", true},
	} {
		if got := authn.SecretEqual(tc.a, tc.b); got != tc.want {
			t.Errorf("SecretEqual(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

package authn

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// tokenBytes is the entropy of a session token: 256 bits, so guessing a live
// token is hopeless even with millions of sessions, and its unsalted SHA-256
// (what the store holds) cannot be reversed by brute force either.
const tokenBytes = 32

// NewToken returns a new opaque session token (32 random bytes, base64url
// without padding, safe in headers, cookies and URLs) and its hash
// (HashToken). Give the token to the client and store only the hash, so a
// leaked session table does not hand out live sessions.
func NewToken() (token string, hash string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("new token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the SHA-256 hex of the token as the client sends it,
// the key under which its session is stored. A fast hash is right here:
// unlike passwords, tokens are random and long, so there is nothing to
// slow down.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewID returns 16 random bytes in hex, for identifiers that are shown to
// people and in URLs (session ids, application ids) but grant nothing by
// themselves, unlike tokens.
func NewID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}

// SecretEqual compares two secrets (an application secret, say) in constant
// time. Both are hashed first because subtle.ConstantTimeCompare returns at
// once on a length mismatch, which would leak the secret's length.
func SecretEqual(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

package authn

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
)

// recoveryAlphabet has 32 symbols, lower-case letters and digits without the
// look-alikes 0/o, 1/l (and i, kept as it has no partner left), so a code read
// off paper is typed right. 32 divides 256, so a random byte masked to 5 bits
// picks a symbol without bias.
const recoveryAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// recoveryGroups × recoveryGroupLen symbols of 5 bits each: 12 symbols, 60
// bits per code. With lockout after a few failures that is far beyond online
// guessing, and enough that an unsalted SHA-256 of a code is not worth
// brute-forcing offline either.
const (
	recoveryGroups   = 3
	recoveryGroupLen = 4
	maxRecoveryCodes = 100
)

// NewRecoveryCodes makes n distinct one-time recovery codes such as
// "k7f3-9qzp-2mxa" (60 random bits each) and their hashes, the SHA-256 hex
// of the normalised code (see MatchRecoveryCode). Show plain to the user once
// and store only hashes; n is 1..100.
func NewRecoveryCodes(n int) (plain []string, hashes []string, err error) {
	if n < 1 || n > maxRecoveryCodes {
		return nil, nil, fmt.Errorf("new recovery codes: count %d is outside 1..%d", n, maxRecoveryCodes)
	}
	seen := make(map[string]bool, n)
	for len(plain) < n {
		code, err := newRecoveryCode()
		if err != nil {
			return nil, nil, err
		}
		h := hashRecoveryCode(code)
		if seen[h] {
			continue // a 1-in-2^60 collision; a duplicate would be two chances to guess one code
		}
		seen[h] = true
		plain = append(plain, code)
		hashes = append(hashes, h)
	}
	return plain, hashes, nil
}

func newRecoveryCode() (string, error) {
	b := make([]byte, recoveryGroups*recoveryGroupLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new recovery codes: %w", err)
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%recoveryGroupLen == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(recoveryAlphabet[c&31])
	}
	return sb.String(), nil
}

// normaliseRecoveryCode makes the forms people type equal: any case, with
// or without the dashes, with spaces.
func normaliseRecoveryCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', ' ', '\t', '\n', '\r':
			return -1
		}
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, code)
}

func hashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte(normaliseRecoveryCode(code)))
	return hex.EncodeToString(sum[:])
}

// MatchRecoveryCode looks code up among the stored hashes and returns the
// index of the match. Every hash is compared, in constant time, so the time
// taken does not tell which (or whether one) matched. The caller deletes the
// used hash so each code works once.
func MatchRecoveryCode(hashes []string, code string) (index int, ok bool) {
	if normaliseRecoveryCode(code) == "" {
		return -1, false
	}
	h := []byte(hashRecoveryCode(code))
	index = -1
	for i, stored := range hashes {
		if subtle.ConstantTimeCompare(h, []byte(stored)) == 1 && index < 0 {
			index = i
		}
	}
	return index, index >= 0
}

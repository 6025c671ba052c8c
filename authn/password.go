package authn

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// HashParams are the argon2id cost parameters used when a password is hashed.
// They are written into every hash (PHC string format), so verification never
// depends on the current values: raising them later only affects new hashes,
// and NeedsRehash tells the caller when an old hash should be replaced.
type HashParams struct {
	Memory  uint32 // memory in KiB
	Time    uint32 // number of passes over the memory
	Threads uint8  // degree of parallelism (lanes)
	SaltLen uint32 // random salt length in bytes
	KeyLen  uint32 // derived key length in bytes
}

// DefaultHashParams are the parameters for new password hashes.
//
// OWASP's Password Storage Cheat Sheet gives m=19 MiB, t=2, p=1 as the floor
// for argon2id; RFC 9106 §4 recommends m=64 MiB, t=3, p=4 where memory is not
// scarce. We take RFC 9106's memory and passes (well above the OWASP floor,
// so a GPU or ASIC guess costs 64 MiB of fast memory) with two lanes: an
// infobase server often has only a couple of cores, and more lanes than cores
// only add latency. One verification takes on the order of 100 ms on current
// hardware, which is acceptable once per login. The 16-byte salt and 32-byte
// key are RFC 9106's recommended sizes.
//
// 64 MiB per verification means concurrent logins must be bounded by the
// caller (for example with a semaphore) so a burst cannot exhaust memory.
var DefaultHashParams = HashParams{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// ErrMalformedHash is wrapped by every error VerifyPassword returns: the
// stored hash could not be read, which is a data problem, not a wrong
// password, so callers can tell the two apart with errors.Is.
var ErrMalformedHash = errors.New("malformed password hash")

// Limits on parameters read from a stored hash. They keep a corrupted or
// hostile hash from making a verification allocate gigabytes or spin for
// minutes, and keep argon2 from panicking on zero values.
const (
	minSaltLen = 8 // RFC 9106 §3.1 minimum; new hashes use 16
	maxSaltLen = 256
	minKeyLen  = 16
	maxKeyLen  = 256
	maxMemory  = 4 * 1024 * 1024 // KiB, that is 4 GiB
	maxTime    = 1024
)

// phcAlgorithm is the only algorithm identifier we write and read; the
// version written beside it is argon2.Version (0x13 = 19).
const phcAlgorithm = "argon2id"

// phcBase64 is the PHC string format's base64: standard alphabet, no padding,
// strict so that a hash has exactly one accepted spelling.
var phcBase64 = base64.RawStdEncoding.Strict()

// validate reports parameters argon2id cannot use or that fall outside the
// limits above.
func (p HashParams) validate() error {
	switch {
	case p.Threads < 1:
		return fmt.Errorf("invalid hash params: threads must be at least 1")
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("invalid hash params: time %d is outside 1..%d", p.Time, maxTime)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		// argon2 silently raises memory below 8 KiB per lane; refusing it
		// keeps the parameters written in the hash true.
		return fmt.Errorf("invalid hash params: memory %d KiB is outside %d..%d (at least 8 KiB per thread)", p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("invalid hash params: salt length %d is outside %d..%d", p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("invalid hash params: key length %d is outside %d..%d", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// HashPassword hashes password with argon2id, a fresh random salt and the
// parameters p, and returns it in PHC string format, for example
// "$argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>". Only this string is stored.
func HashPassword(password string, p HashParams) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encodeHash(p, salt, key), nil
}

func encodeHash(p HashParams, salt, key []byte) string {
	return fmt.Sprintf("$%s$v=%d$m=%d,t=%d,p=%d$%s$%s",
		phcAlgorithm, argon2.Version, p.Memory, p.Time, p.Threads,
		phcBase64.EncodeToString(salt), phcBase64.EncodeToString(key))
}

// decodedHash is a parsed PHC string.
type decodedHash struct {
	params HashParams // SaltLen and KeyLen are those of salt and key
	salt   []byte
	key    []byte
}

// decodeHash parses a PHC argon2id string. Every error wraps ErrMalformedHash
// and says which part is wrong, never echoing the salt or the key.
func decodeHash(encoded string) (*decodedHash, error) {
	if encoded == "" {
		return nil, fmt.Errorf("%w: empty", ErrMalformedHash)
	}
	parts := strings.Split(encoded, "$")
	if parts[0] != "" {
		return nil, fmt.Errorf("%w: must start with \"$\"", ErrMalformedHash)
	}
	if parts[1] != phcAlgorithm {
		return nil, fmt.Errorf("%w: algorithm %q is not supported, want %s", ErrMalformedHash, clipForError(parts[1], 20), phcAlgorithm)
	}
	if len(parts) != 6 {
		return nil, fmt.Errorf("%w: want 5 fields \"$argon2id$v=19$m=…,t=…,p=…$salt$hash\", got %d", ErrMalformedHash, len(parts)-1)
	}
	if want := "v=" + strconv.Itoa(argon2.Version); parts[2] != want {
		return nil, fmt.Errorf("%w: version %q is not supported, want %s", ErrMalformedHash, clipForError(parts[2], 20), want)
	}
	p, err := parseParams(parts[3])
	if err != nil {
		return nil, fmt.Errorf("%w: parameters %q: %v", ErrMalformedHash, clipForError(parts[3], 40), err)
	}
	salt, err := phcBase64.DecodeString(parts[4])
	if err != nil {
		return nil, fmt.Errorf("%w: salt is not base64 (standard alphabet, no padding)", ErrMalformedHash)
	}
	key, err := phcBase64.DecodeString(parts[5])
	if err != nil {
		return nil, fmt.Errorf("%w: hash is not base64 (standard alphabet, no padding)", ErrMalformedHash)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedHash, strings.TrimPrefix(err.Error(), "invalid hash params: "))
	}
	return &decodedHash{params: p, salt: salt, key: key}, nil
}

// parseParams reads "m=65536,t=3,p=2"; the keys may come in any order (the
// PHC format does not fix one) but each exactly once.
func parseParams(s string) (HashParams, error) {
	var p HashParams
	seen := map[string]bool{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return p, fmt.Errorf("%q is not key=value", clipForError(kv, 20))
		}
		if seen[k] {
			return p, fmt.Errorf("%q given twice", k)
		}
		seen[k] = true
		bits := 32
		if k == "p" {
			bits = 8
		}
		n, err := strconv.ParseUint(v, 10, bits)
		if err != nil {
			return p, fmt.Errorf("%s=%q is not a number in range", k, clipForError(v, 20))
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			p.Threads = uint8(n)
		default:
			return p, fmt.Errorf("unknown parameter %q, want m, t and p", clipForError(k, 20))
		}
	}
	for _, k := range []string{"m", "t", "p"} {
		if !seen[k] {
			return p, fmt.Errorf("missing %s", k)
		}
	}
	return p, nil
}

// clipForError keeps error messages short when a stored value is garbage.
func clipForError(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// VerifyPassword reports whether password matches the encoded hash. The
// argon2id parameters are read from the hash itself, so hashes made with
// older (lower) parameters keep verifying after DefaultHashParams is raised.
// The derived keys are compared in constant time. err is non-nil (wrapping
// ErrMalformedHash) only when the hash cannot be read; a wrong password is
// ok == false with a nil error.
func VerifyPassword(encoded, password string) (ok bool, err error) {
	d, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(password), d.salt, d.params.Time, d.params.Memory, d.params.Threads, d.params.KeyLen)
	return subtle.ConstantTimeCompare(key, d.key) == 1, nil
}

// NeedsRehash reports whether the stored hash is weaker than p, so the caller
// should hash the password again (it has it in hand right after a successful
// login) and store the new hash. A malformed hash always needs a rehash.
// Threads are not compared: with the same memory and passes fewer lanes are
// not weaker, only slower, so changing p.Threads alone forces no rehash.
func NeedsRehash(encoded string, p HashParams) bool {
	d, err := decodeHash(encoded)
	if err != nil {
		return true
	}
	s := d.params
	return s.Memory < p.Memory || s.Time < p.Time || s.SaltLen < p.SaltLen || s.KeyLen < p.KeyLen
}

// dummyHashes caches one DummyHash per parameter set. It is the package's only
// shared state: a cache of values that never change once made, so it is safe
// to share and making it lazily keeps importing the package free.
var dummyHashes = struct {
	sync.Mutex
	m map[HashParams]string
}{m: map[HashParams]string{}}

// DummyHash returns a hash of a random password made with p (once per p,
// lazily, then cached). A login for an unknown user verifies the offered
// password against it and discards the result, so that answering "no such
// user" costs the same time as "wrong password" and user names cannot be
// probed by timing. No password matches it. If p is invalid the hash is made
// with DefaultHashParams, since no stored hash can have been made with p
// either.
func DummyHash(p HashParams) string {
	dummyHashes.Lock()
	defer dummyHashes.Unlock()
	if h, ok := dummyHashes.m[p]; ok {
		return h
	}
	secret := make([]byte, 32)
	rand.Read(secret) // never fails since Go 1.24
	key := p
	if p.validate() != nil {
		p = DefaultHashParams
	}
	h, err := HashPassword(string(secret), p)
	if err != nil {
		// Unreachable: p is valid. Keep the caller's timing roughly right anyway.
		h = encodeHash(p, secret[:16], secret)
	}
	dummyHashes.m[key] = h
	return h
}

package authn_test

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dostup/authn"
)

// fast are the parameters of most tests: 64 KiB and one pass keep each hash
// well under a millisecond; one test below uses the real defaults.
var fast = authn.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func mustHash(t testing.TB, password string, p authn.HashParams) string {
	t.Helper()
	h, err := authn.HashPassword(password, p)
	if err != nil {
		t.Fatalf("HashPassword(%q): %v", password, err)
	}
	return h
}

var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

func TestHashPasswordRoundTrip(t *testing.T) {
	for _, pw := range []string{"", "secret", "Пароль-2024!", strings.Repeat("long ", 200), "tab\tand\x00nul"} {
		h := mustHash(t, pw, fast)
		m := phcRE.FindStringSubmatch(h)
		if m == nil {
			t.Fatalf("hash %q is not in PHC format", h)
		}
		if m[1] != "64" || m[2] != "1" || m[3] != "1" {
			t.Errorf("hash %q: params m=%s,t=%s,p=%s, want 64,1,1", h, m[1], m[2], m[3])
		}
		if len(m[4]) != 22 || len(m[5]) != 43 { // 16 and 32 bytes, unpadded base64
			t.Errorf("hash %q: salt/key lengths %d/%d, want 22/43", h, len(m[4]), len(m[5]))
		}
		ok, err := authn.VerifyPassword(h, pw)
		if err != nil || !ok {
			t.Errorf("VerifyPassword(own hash, %q) = %v, %v; want true, nil", pw, ok, err)
		}
		ok, err = authn.VerifyPassword(h, pw+"x")
		if err != nil || ok {
			t.Errorf("VerifyPassword(own hash, %q+\"x\") = %v, %v; want false, nil", pw, ok, err)
		}
	}
}

func TestHashPasswordSalted(t *testing.T) {
	a, b := mustHash(t, "same", fast), mustHash(t, "same", fast)
	if a == b {
		t.Errorf("two hashes of one password are equal (%s): the salt is not random", a)
	}
}

func TestHashPasswordDefaultParams(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB hash")
	}
	h := mustHash(t, "correct horse", authn.DefaultHashParams)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("default hash %q has unexpected params", h)
	}
	if ok, err := authn.VerifyPassword(h, "correct horse"); !ok || err != nil {
		t.Errorf("VerifyPassword = %v, %v; want true, nil", ok, err)
	}
	if authn.NeedsRehash(h, authn.DefaultHashParams) {
		t.Error("a fresh default hash needs a rehash")
	}
}

// TestVerifyPasswordReference checks interoperability with the argon2
// reference implementation (github.com/P-H-C/phc-winner-argon2, test.c).
func TestVerifyPasswordReference(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB hash")
	}
	const ref = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	if ok, err := authn.VerifyPassword(ref, "password"); !ok || err != nil {
		t.Errorf("VerifyPassword(reference, \"password\") = %v, %v; want true, nil", ok, err)
	}
}

func TestHashPasswordInvalidParams(t *testing.T) {
	for _, tc := range []struct {
		p    authn.HashParams
		want string
	}{
		{authn.HashParams{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32}, "threads"},
		{authn.HashParams{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32}, "time 0"},
		{authn.HashParams{Memory: 15, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}, "memory 15 KiB"},
		{authn.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32}, "salt length 4"},
		{authn.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8}, "key length 8"},
		{authn.HashParams{}, "threads"},
	} {
		_, err := authn.HashPassword("x", tc.p)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("HashPassword(%+v) error = %v, want one mentioning %q", tc.p, err, tc.want)
		}
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	good := mustHash(t, "pw", fast)
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	for _, tc := range []struct {
		name, encoded, want string
	}{
		{"empty", "", "empty"},
		{"no leading dollar", "argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key, `start with "$"`},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", `algorithm "2a" is not supported`},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key, `algorithm "argon2i"`},
		{"too few fields", "$argon2id$v=19$m=64,t=1,p=1$" + salt, "got 4"},
		{"too many fields", good + "$x", "got 6"},
		{"old version", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key, `version "v=16"`},
		{"no version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + key + "$x", "version"},
		{"param not kv", "$argon2id$v=19$m64,t=1,p=1$" + salt + "$" + key, "not key=value"},
		{"param twice", "$argon2id$v=19$m=64,m=64,p=1$" + salt + "$" + key, "given twice"},
		{"param missing", "$argon2id$v=19$m=64,t=1$" + salt + "$" + key, "missing p"},
		{"param unknown", "$argon2id$v=19$m=64,t=1,p=1,x=2$" + salt + "$" + key, `unknown parameter "x"`},
		{"param negative", "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key, "not a number"},
		{"param overflow", "$argon2id$v=19$m=64,t=1,p=256$" + salt + "$" + key, "not a number"},
		{"time zero", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key, "time 0"},
		{"threads zero", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key, "threads"},
		{"memory huge", "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key, "memory"},
		{"memory below lanes", "$argon2id$v=19$m=8,t=1,p=4$" + salt + "$" + key, "memory 8 KiB"},
		{"salt bad base64", "$argon2id$v=19$m=64,t=1,p=1$!!!!$" + key, "salt is not base64"},
		{"salt padded", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key, "salt is not base64"},
		{"salt short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + key, "salt length 4"},
		{"key bad base64", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key[:len(key)-1] + "_", "hash is not base64"},
		{"key short", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$c2FsdA", "key length 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := authn.VerifyPassword(tc.encoded, "pw")
			if ok || err == nil {
				t.Fatalf("VerifyPassword = %v, %v; want false and an error", ok, err)
			}
			if !errors.Is(err, authn.ErrMalformedHash) {
				t.Errorf("error %q does not wrap ErrMalformedHash", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			if strings.Contains(err.Error(), key) {
				t.Errorf("error %q leaks the stored key", err)
			}
		})
	}
}

// TestVerifyPasswordParamOrder: PHC does not fix the order of parameters,
// and hashes written by other tools may differ.
func TestVerifyPasswordParamOrder(t *testing.T) {
	h := mustHash(t, "pw", fast)
	reordered := strings.Replace(h, "m=64,t=1,p=1", "p=1,t=1,m=64", 1)
	if ok, err := authn.VerifyPassword(reordered, "pw"); !ok || err != nil {
		t.Errorf("VerifyPassword(%q) = %v, %v; want true, nil", reordered, ok, err)
	}
}

// TestVerifyPasswordAfterDefaultsChange: parameters come from the hash, so
// raising the defaults does not lock out users with older hashes, and
// NeedsRehash tells the caller to upgrade them.
func TestVerifyPasswordAfterDefaultsChange(t *testing.T) {
	old := authn.DefaultHashParams
	t.Cleanup(func() { authn.DefaultHashParams = old })

	authn.DefaultHashParams = fast
	h := mustHash(t, "pw", authn.DefaultHashParams)
	authn.DefaultHashParams = authn.HashParams{Memory: 128, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}
	if ok, err := authn.VerifyPassword(h, "pw"); !ok || err != nil {
		t.Errorf("VerifyPassword(old hash) = %v, %v; want true, nil", ok, err)
	}
	if !authn.NeedsRehash(h, authn.DefaultHashParams) {
		t.Error("NeedsRehash(old hash, raised defaults) = false, want true")
	}
}

func TestNeedsRehash(t *testing.T) {
	h := mustHash(t, "pw", fast) // m=64,t=1,p=1, 16-byte salt, 32-byte key
	for _, tc := range []struct {
		name string
		p    authn.HashParams
		want bool
	}{
		{"same", fast, false},
		{"weaker wanted", authn.HashParams{Memory: 32, Time: 1, Threads: 1, SaltLen: 8, KeyLen: 16}, false},
		{"more memory", authn.HashParams{Memory: 128, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, true},
		{"more passes", authn.HashParams{Memory: 64, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}, true},
		{"longer salt", authn.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 32, KeyLen: 32}, true},
		{"longer key", authn.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 64}, true},
		{"more threads only", authn.HashParams{Memory: 64, Time: 1, Threads: 4, SaltLen: 16, KeyLen: 32}, false},
		{"defaults", authn.DefaultHashParams, true},
	} {
		if got := authn.NeedsRehash(h, tc.p); got != tc.want {
			t.Errorf("%s: NeedsRehash = %v, want %v", tc.name, got, tc.want)
		}
	}
	if !authn.NeedsRehash("not a hash", fast) {
		t.Error("NeedsRehash(malformed) = false, want true")
	}
}

func TestDummyHash(t *testing.T) {
	a, b := authn.DummyHash(fast), authn.DummyHash(fast)
	if a != b {
		t.Errorf("DummyHash is not cached: %q then %q", a, b)
	}
	if !strings.HasPrefix(a, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("DummyHash(fast) = %q, want the fast params", a)
	}
	for _, pw := range []string{"", "password", "pw"} {
		if ok, err := authn.VerifyPassword(a, pw); ok || err != nil {
			t.Errorf("VerifyPassword(dummy, %q) = %v, %v; want false, nil", pw, ok, err)
		}
	}
	other := fast
	other.Time = 2
	if c := authn.DummyHash(other); !strings.HasPrefix(c, "$argon2id$v=19$m=64,t=2,p=1$") {
		t.Errorf("DummyHash(t=2) = %q, want its own params", c)
	}
}

func TestDummyHashInvalidParams(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB hash")
	}
	h := authn.DummyHash(authn.HashParams{})
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("DummyHash(invalid) = %q, want one made with DefaultHashParams", h)
	}
}

var costRE = regexp.MustCompile(`([mt])=([0-9]+)`)

// FuzzVerifyPassword: no stored string, however broken, makes verification
// panic, and a verification error is always ErrMalformedHash.
func FuzzVerifyPassword(f *testing.F) {
	good := mustHash(f, "pw", fast)
	f.Add(good, "pw")
	f.Add(good, "wrong")
	f.Add("", "")
	f.Add("$", "x")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$$", "x")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$c29tZXNhbHQ", "x")
	f.Add("$argon2id$v=19$m=,t=,p=$x$y", "x")
	f.Add("$argon2id$v=19$p=1,t=1,m=64$c29tZXNhbHRzYWx0$c29tZXNhbHRzb21lc2FsdHNvbWVzYWx0", "x")
	f.Fuzz(func(t *testing.T, encoded, password string) {
		// Valid but costly parameters are allowed (up to 4 GiB) and would
		// only make the fuzzer slow, not find bugs; skip them.
		for _, m := range costRE.FindAllStringSubmatch(encoded, -1) {
			limit := uint64(1024) // m, KiB
			if m[1] == "t" {
				limit = 4
			}
			if n, err := strconv.ParseUint(m[2], 10, 64); err != nil || n > limit {
				t.Skip()
			}
		}
		ok, err := authn.VerifyPassword(encoded, password)
		if err != nil {
			if ok {
				t.Errorf("VerifyPassword(%q) = true with error %v", encoded, err)
			}
			if !errors.Is(err, authn.ErrMalformedHash) {
				t.Errorf("VerifyPassword(%q) error %v is not ErrMalformedHash", encoded, err)
			}
			if !authn.NeedsRehash(encoded, fast) {
				t.Errorf("NeedsRehash(%q) = false for a malformed hash", encoded)
			}
		}
	})
}

func ExampleHashPassword() {
	// Store only the hash; it carries its salt and parameters.
	hash, err := authn.HashPassword("correct horse battery staple", authn.DefaultHashParams)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasPrefix(hash, "$argon2id$v=19$m=65536,t=3,p=2$"))
	// Output: true
}

func ExampleVerifyPassword() {
	hash, _ := authn.HashPassword("correct horse battery staple", authn.DefaultHashParams)

	ok, err := authn.VerifyPassword(hash, "correct horse battery staple")
	fmt.Println(ok, err)
	ok, err = authn.VerifyPassword(hash, "Tr0ub4dor&3")
	fmt.Println(ok, err)

	// After a successful login, upgrade hashes made with older parameters.
	if authn.NeedsRehash(hash, authn.DefaultHashParams) {
		fmt.Println("rehash")
	}
	// Output:
	// true <nil>
	// false <nil>
}

package authn_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"dostup/authn"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// codes returns the violation codes of err, or nil when err is nil; it fails
// the test when err is not a *PolicyError.
func codes(t testing.TB, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var pe *authn.PolicyError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *PolicyError", err, err)
	}
	var cs []string
	for _, v := range pe.Violations {
		cs = append(cs, v.Code)
	}
	return cs
}

func TestDefaultPolicy(t *testing.T) {
	p := authn.DefaultPolicy()
	want := authn.PasswordPolicy{MinLength: 8, Complexity: true, ReuseLimit: 5, ExpiryWarning: 14 * 24 * time.Hour}
	if p != want {
		t.Errorf("DefaultPolicy() = %+v, want %+v", p, want)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"min_length":8`, `"complexity":true`, `"reuse_limit":5`, `"expiry_warning":`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
	if strings.Contains(string(b), "compromised_file") {
		t.Errorf("JSON %s shows an empty compromised_file", b)
	}
}

func TestCheckPassword(t *testing.T) {
	compromised, err := authn.LoadCompromised(filepath.Join("testdata", "compromised-plain.txt"))
	if err != nil {
		t.Fatal(err)
	}
	history := []string{mustHash(t, "Newest-pass1", fast), mustHash(t, "Middle-pass2", fast), mustHash(t, "Oldest-pass3", fast)}
	policy := authn.DefaultPolicy()
	policy.ReuseLimit = 2
	policy.MinAge = 24 * time.Hour

	for _, tc := range []struct {
		name       string
		user       string
		candidate  string
		lastChange time.Time
		want       []string
	}{
		{"good", "ivanov", "Tr0ub4dor&3", time.Time{}, nil},
		{"good cyrillic", "ivanov", "Пароль-на-зиму7", time.Time{}, nil},
		{"good cyrillic three classes", "Иванов", "Снег42Идёт", time.Time{}, nil},
		{"too short", "ivanov", "Ab1!x", time.Time{}, []string{"too_short"}},
		{"runes not bytes", "ivanov", "Пар0ль!", time.Time{}, []string{"too_short"}},                                  // 7 runes, 13 bytes
		{"a letter with its marks is one", "ivanov", "Ab1!q\u0301q\u0301q\u0301", time.Time{}, []string{"too_short"}}, // 10 runes, 7 characters
		{"decomposed letters count once", "ivanov", "Ab1!e\u0301e\u0301e\u0301e\u0301", time.Time{}, nil},             // é typed as two runes
		{"zero-width joiners count nothing", "ivanov", "Ab1!\u200dx\u200dy\u200d", time.Time{}, []string{"too_short"}},
		{"NUL", "ivanov", "Tr0ub4dor&3\x00", time.Time{}, []string{"control_character"}},
		{"line break", "ivanov", "Tr0ub4\ndor&3", time.Time{}, []string{"control_character"}},
		{"escape", "ivanov", "\x1b[2JTr0ub4dor&3", time.Time{}, []string{"control_character"}},
		{"C1 control", "ivanov", "Tr0ub4dor&3\u0085", time.Time{}, []string{"control_character"}},
		{"two classes", "ivanov", "horsebattery9", time.Time{}, []string{"complexity"}},
		{"cyrillic two classes", "ivanov", "парольнадень", time.Time{}, []string{"complexity"}},
		{"equals name", "Ivan.Petrov-1", "ivan.petrov-1", time.Time{}, []string{"equals_name"}},
		{"equals name reversed", "Ivan.Petrov-1", "1-VORTEP.NAVI", time.Time{}, []string{"equals_name"}},
		{"equals cyrillic name", "Иван.Петров-1", "иВАН.пЕТРОВ-1", time.Time{}, []string{"equals_name"}},
		{"sequence", "ivanov", "Qwerty123", time.Time{}, []string{"sequence"}},
		{"compromised", "ivanov", "Password1!", time.Time{}, []string{"compromised"}},
		{"compromised cyrillic", "ivanov", "Пароль123!", time.Time{}, []string{"compromised"}},
		{"compromised is case-sensitive", "ivanov", "PASSWORD1!", time.Time{}, nil},
		{"reused newest", "ivanov", "Newest-pass1", time.Time{}, []string{"reused"}},
		{"reused within limit", "ivanov", "Middle-pass2", time.Time{}, []string{"reused"}},
		{"beyond reuse limit", "ivanov", "Oldest-pass3", time.Time{}, nil},
		{"too soon", "ivanov", "Tr0ub4dor&3", now.Add(-time.Hour), []string{"too_soon"}},
		{"old enough", "ivanov", "Tr0ub4dor&3", now.Add(-25 * time.Hour), nil},
		{"several", "qwerty", "qwerty", now.Add(-time.Minute),
			[]string{"too_short", "complexity", "equals_name", "sequence", "too_soon"}},
		{"everything", "aaaaaaaa", "aaaaaaaa", now, []string{"complexity", "equals_name", "sequence", "too_soon"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := policy.CheckPassword(tc.user, tc.candidate, history, tc.lastChange, now, compromised)
			if got := codes(t, err); !slices.Equal(got, tc.want) {
				t.Errorf("CheckPassword(%q, %q) codes = %v, want %v (%v)", tc.user, tc.candidate, got, tc.want, err)
			}
		})
	}
}

func TestCheckPasswordMessages(t *testing.T) {
	p := authn.PasswordPolicy{MinLength: 12, ReuseLimit: 3, MinAge: 72 * time.Hour}
	history := []string{mustHash(t, "short", fast)}
	err := p.CheckPassword("u", "short", history, now.Add(-time.Hour), now, nil)
	var pe *authn.PolicyError
	if !errors.As(err, &pe) {
		t.Fatalf("CheckPassword error = %v, want *PolicyError", err)
	}
	want := "password rejected: the password must be at least 12 characters long; " +
		"the password must differ from the last 3 passwords; " +
		"the password was changed recently; it can be changed again in 3 days"
	if err.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", err, want)
	}
	if !pe.Has("reused") || pe.Has("complexity") {
		t.Errorf("Has: %+v", pe.Violations)
	}
	b, _ := json.Marshal(pe.Violations[0])
	if string(b) != `{"code":"too_short","message":"the password must be at least 12 characters long"}` {
		t.Errorf("JSON %s", b)
	}
}

// TestCheckPasswordOff: the zero policy checks nothing but control
// characters; complexity rules
// (name, sequence) belong to Complexity; the compromised list and history
// apply whenever given.
func TestCheckPasswordOff(t *testing.T) {
	var p authn.PasswordPolicy
	if err := p.CheckPassword("admin", "", nil, now, now, nil); err != nil {
		t.Errorf("zero policy, empty password: %v", err)
	}
	if err := p.CheckPassword("admin", "admin", nil, now, now, nil); err != nil {
		t.Errorf("zero policy, password = name: %v", err)
	}
	if got := codes(t, p.CheckPassword("admin", "ad\x00min", nil, now, now, nil)); !slices.Equal(got, []string{"control_character"}) {
		t.Errorf("zero policy, a NUL: codes %v", got)
	}
	p.ReuseLimit = 1
	if got := codes(t, p.CheckPassword("admin", "admin", []string{mustHash(t, "admin", fast)}, now, now, nil)); !slices.Equal(got, []string{"reused"}) {
		t.Errorf("reuse without complexity: codes %v", got)
	}
	// A corrupt history entry is skipped, not fatal.
	if err := p.CheckPassword("admin", "admin", []string{"garbage"}, now, now, nil); err != nil {
		t.Errorf("malformed history entry: %v", err)
	}
}

// TestCharacters: a password's length as a person sees it.
func TestCharacters(t *testing.T) {
	for _, tc := range []struct {
		password string
		want     int
	}{
		{"", 0},
		{"abc", 3},
		{"Пароль", 6},
		{"e\u0301", 1},                  // e + combining acute: é
		{"\u00e9", 1},                   // é precomposed
		{"q\u0301\u0323", 1},            // no precomposed form: one letter, two marks
		{"\u0915\u094d\u0937", 2},       // क्ष: the virama is a mark
		{"👍\ufe0f", 1},                  // a variation selector is a mark
		{"👨\u200d👩\u200d👧", 3},          // joined emoji count their emoji
		{"\u0301abc", 3},                // a mark with no letter before it
		{strings.Repeat("ё", 100), 100}, //
	} {
		if got := authn.Characters(tc.password); got != tc.want {
			t.Errorf("Characters(%+q) = %d, want %d", tc.password, got, tc.want)
		}
	}
}

func TestSequences(t *testing.T) {
	p := authn.PasswordPolicy{Complexity: true}
	for _, tc := range []struct {
		password string
		sequence bool
	}{
		{"12345678", true},
		{"87654321", true},
		{"1234567890", true},
		{"abcdefgh", true},
		{"ABCDEFGH", true},
		{"hgfedcba", true},
		{"qwertyui", true},
		{"QWERTYUIOP", true},
		{"poiuytre", true},
		{"asdfghjk", true},
		{"zxcvbnm,./", true},
		{"!@#$%^&*", true},
		{"aaaaaaaa", true},
		{"11111111", true},
		{"........", true},
		{"йцукенгш", true},
		{"ЙЦУКЕНГШЩЗХЪ", true},
		{"фывапрол", true},
		{"ячсмитьб", true},
		{"абвгдежз", true},
		{"деёжзийк", true}, // ё is not between е and ж in Unicode
		{"яюэьыъщш", true},
		{"ааааааааа", true},
		{"Qwerty123", true},
		{"Abcd1234", true},
		{"Йцукен123", true},
		{"Qwerty!@#", true},
		{"1111aaaa", true},
		{strings.Repeat("z", 500), true},
		{"Tr0ub4dor&3", false},
		{"correct horse", false},
		{"Aa1!Aa1!", false},
		{"Qwerty123!", false}, // the lone "!" is not part of a run
		{"qwe1", false},
		{"Пароль-на-зиму7", false},
		{"13579bdf", false},
		{"ab", false},
		{strings.Repeat("za", 250), false},
	} {
		err := p.CheckPassword("", tc.password, nil, time.Time{}, now, nil)
		got := slices.Contains(codes(t, err), "sequence")
		if got != tc.sequence {
			t.Errorf("%q: sequence = %v, want %v", tc.password, got, tc.sequence)
		}
	}
}

func TestComplexityClasses(t *testing.T) {
	p := authn.PasswordPolicy{Complexity: true}
	for _, tc := range []struct {
		password string
		ok       bool
	}{
		{"Xk9mLp2w", true},  // upper, lower, digit
		{"xk9mlp2#", true},  // lower, digit, other
		{"XK9MLP2#", true},  // upper, digit, other
		{"Xkzmlpww#", true}, // upper, lower, other
		{"Мир9Труд", true},  // Cyrillic upper, lower, digit
		{"мир труд9", true}, // lower, space, digit
		{"xk9mlp2w", false},
		{"XKQMLPZW#", false},
		{"Мирктруд", false},
		{"密码密码9x", true}, // caseless letters count as "other"
	} {
		err := p.CheckPassword("", tc.password, nil, time.Time{}, now, nil)
		if got := !slices.Contains(codes(t, err), "complexity"); got != tc.ok {
			t.Errorf("%q: complex enough = %v, want %v", tc.password, got, tc.ok)
		}
	}
}

func TestExpiry(t *testing.T) {
	day := 24 * time.Hour
	p := authn.PasswordPolicy{MaxAge: 90 * day}
	for _, tc := range []struct {
		name    string
		p       authn.PasswordPolicy
		setAt   time.Time
		left    time.Duration
		expires bool
		expired bool
	}{
		{"never", authn.PasswordPolicy{}, now.Add(-1000 * day), 0, false, false},
		{"fresh", p, now, 90 * day, true, false},
		{"half way", p, now.Add(-45 * day), 45 * day, true, false},
		{"exactly", p, now.Add(-90 * day), 0, true, true},
		{"past", p, now.Add(-100 * day), -10 * day, true, true},
		{"unknown date", p, time.Time{}, 0, true, true},
	} {
		left, expires := tc.p.ExpiresIn(tc.setAt, now)
		if left != tc.left || expires != tc.expires {
			t.Errorf("%s: ExpiresIn = %v, %v; want %v, %v", tc.name, left, expires, tc.left, tc.expires)
		}
		if got := tc.p.Expired(tc.setAt, now); got != tc.expired {
			t.Errorf("%s: Expired = %v, want %v", tc.name, got, tc.expired)
		}
	}
}

func TestLoadCompromised(t *testing.T) {
	for _, tc := range []struct {
		file   string
		len    int
		in     []string
		notIn  []string
		reason string
	}{
		{"compromised-plain.txt", 4,
			[]string{"Password1!", "P@ssw0rd2024", "Пароль123!", "  spaced  "},
			[]string{"password1!", "P@ssw0rd2024\r", "spaced", "", "Qwerty!234"}, "plain"},
		{"compromised-sha1.txt", 4,
			[]string{"Password1!", "Qwerty!234", "Пароль123!"},
			[]string{"password1!", "P@ssw0rd2024", ""}, "sha1"},
	} {
		c, err := authn.LoadCompromised(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if c.Len() != tc.len {
			t.Errorf("%s: Len = %d, want %d", tc.file, c.Len(), tc.len)
		}
		for _, pw := range tc.in {
			if !c.Contains(pw) {
				t.Errorf("%s: Contains(%q) = false", tc.file, pw)
			}
		}
		for _, pw := range tc.notIn {
			if c.Contains(pw) {
				t.Errorf("%s: Contains(%q) = true", tc.file, pw)
			}
		}
	}
	var nilList *authn.Compromised
	if nilList.Contains("Password1!") || nilList.Len() != 0 {
		t.Error("a nil list is not empty")
	}
}

func TestLoadCompromisedDuplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dup.txt")
	if err := os.WriteFile(path, []byte("a\nb\na\nb\nc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := authn.LoadCompromised(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 3 {
		t.Errorf("Len = %d, want 3 distinct", c.Len())
	}
}

func TestLoadCompromisedErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content, want string
	}{
		{"bad-line.txt", "32CA9FC1A0F5B6330E3F4C8C1BBECDE9BEDB9573:3\n\nPassword1!\n", "bad-line.txt:3: want a SHA-1 hash"},
		{"bad-count.txt", "32CA9FC1A0F5B6330E3F4C8C1BBECDE9BEDB9573\nC889C6A02D212F10EB48228EF29EB1E2D6B73D72:x\n", "bad-count.txt:2: want a SHA-1 hash"},
		{"short-hash.txt", "\n32CA9FC1A0F5B6330E3F4C8C1BBECDE9BEDB9573\nC889C6A02D212F10EB48228EF29EB1E2D6B73D7\n", "short-hash.txt:3: want a SHA-1 hash (40 hex digits, optionally \":count\"), as line 2 made this a hash list"},
		{"ntlm.txt", "8846F7EAEE8FB117AD06BDD830B7586C:10\n", "ntlm.txt:1: looks like an NTLM hash"},
		{"long.txt", "ok\n" + strings.Repeat("x", 70000) + "\n", "long.txt:2: line longer than 65536 bytes"},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := authn.LoadCompromised(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	_, err := authn.LoadCompromised(filepath.Join(dir, "missing.txt"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: error %v, want os.ErrNotExist", err)
	}
}

// FuzzCheckPassword: any name and candidate give nil or a *PolicyError with
// known codes, and the length rule counts characters.
func FuzzCheckPassword(f *testing.F) {
	compromised, err := authn.LoadCompromised(filepath.Join("testdata", "compromised-plain.txt"))
	if err != nil {
		f.Fatal(err)
	}
	history := []string{mustHash(f, "Newest-pass1", fast), "garbage"}
	known := []string{"too_short", "complexity", "equals_name", "sequence", "compromised", "reused", "too_soon"}
	for _, seed := range [][2]string{
		{"ivanov", "Tr0ub4dor&3"}, {"ivanov", "vonavi"}, {"", ""}, {"Иванов", "йцукенгш"},
		{"x", "Qwerty123"}, {"u", "Password1!"}, {"u", "Newest-pass1"}, {"\xff", "\xfe\xff"},
	} {
		f.Add(seed[0], seed[1])
	}
	p := authn.DefaultPolicy()
	p.MinAge = time.Hour
	f.Fuzz(func(t *testing.T, name, candidate string) {
		err := p.CheckPassword(name, candidate, history, now.Add(-time.Minute), now, compromised)
		var pe *authn.PolicyError
		if !errors.As(err, &pe) || len(pe.Violations) == 0 {
			t.Fatalf("CheckPassword(%q, %q) = %v, want a *PolicyError (too_soon always applies)", name, candidate, err)
		}
		seen := map[string]bool{}
		for _, v := range pe.Violations {
			if !slices.Contains(known, v.Code) || v.Message == "" || seen[v.Code] {
				t.Errorf("violation %+v: unknown, empty or repeated", v)
			}
			seen[v.Code] = true
		}
		if short := utf8.RuneCountInString(candidate) < 8; short != seen["too_short"] {
			t.Errorf("%q: too_short = %v, want %v", candidate, seen["too_short"], short)
		}
		if !seen["too_soon"] {
			t.Errorf("too_soon missing")
		}
	})
}

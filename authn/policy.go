package authn

import (
	"bufio"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// PasswordPolicy is the password policy of an infobase, as 1C's "Политика
// паролей": length and complexity rules checked when a password is set, and
// ages that decide when it must or may be changed. The zero value checks
// nothing but control characters, which no password holds; start from
// DefaultPolicy.
type PasswordPolicy struct {
	// MinLength is the least number of characters a person sees: counted
	// after NFC normalisation, a letter with its combining marks as one
	// (see Characters), never bytes, so a Cyrillic password is not
	// favoured or penalised; 0 allows any length.
	MinLength int `json:"min_length" yaml:"min_length"`
	// Complexity requires characters of at least 3 of 4 classes (lower-case
	// letters, upper-case letters, digits, anything else), forbids the user
	// name (in any case, also reversed) and forbids simple sequences such as
	// "12345678", "abcdefgh", "qwertyui", "йцукенгш" or "aaaaaaaa".
	Complexity bool `json:"complexity" yaml:"complexity"`
	// MaxAge is how long a password stays valid; 0 means it never expires.
	MaxAge time.Duration `json:"max_age" yaml:"max_age"`
	// MinAge is how long a user must keep a new password before changing it
	// again, so the reuse limit cannot be walked around by changing the
	// password ReuseLimit times in a row.
	MinAge time.Duration `json:"min_age" yaml:"min_age"`
	// ReuseLimit is how many previous passwords may not be chosen again.
	ReuseLimit int `json:"reuse_limit" yaml:"reuse_limit"`
	// ExpiryWarning is how long before expiry a user is warned at login.
	ExpiryWarning time.Duration `json:"expiry_warning" yaml:"expiry_warning"`
	// CompromisedFile names a list of known compromised passwords (see
	// LoadCompromised); empty means no list. The policy only names the file:
	// the caller loads it once and passes it to CheckPassword.
	CompromisedFile string `json:"compromised_file,omitempty" yaml:"compromised_file"`
}

// DefaultPolicy returns the policy of a new infobase: at least 8 characters,
// complexity on, no expiry, no minimum age, the last 5 passwords not reusable
// and a 14-day expiry warning (used as soon as an administrator sets MaxAge).
func DefaultPolicy() PasswordPolicy {
	return PasswordPolicy{
		MinLength:     8,
		Complexity:    true,
		ReuseLimit:    5,
		ExpiryWarning: 14 * 24 * time.Hour,
	}
}

// Stable codes of PolicyViolation. Clients match on these, so they never
// change; the messages may.
const (
	ViolationControl     = "control_character"
	ViolationTooShort    = "too_short"
	ViolationComplexity  = "complexity"
	ViolationEqualsName  = "equals_name"
	ViolationSequence    = "sequence"
	ViolationCompromised = "compromised"
	ViolationReused      = "reused"
	ViolationTooSoon     = "too_soon"
)

// PolicyViolation is one rule a candidate password breaks: a stable code for
// programs and a message for the user.
type PolicyViolation struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// PolicyError is returned by CheckPassword with every rule the candidate
// breaks, not only the first, so a user can fix them all in one go.
type PolicyError struct {
	Violations []PolicyViolation
}

// Error joins the messages of all violations.
func (e *PolicyError) Error() string {
	msgs := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		msgs[i] = v.Message
	}
	return "password rejected: " + strings.Join(msgs, "; ")
}

// Has reports whether the error lists a violation with the given code;
// tests and callers that react to one rule need no loop.
func (e *PolicyError) Has(code string) bool {
	for _, v := range e.Violations {
		if v.Code == code {
			return true
		}
	}
	return false
}

// CheckPassword checks candidate as the new password of the user name and
// returns nil or a *PolicyError listing every violation, in the order of the
// Violation codes above.
//
// history holds the user's previous password hashes, newest first; the
// first ReuseLimit are verified against the candidate (include the current
// hash first so that "the same as now" counts as reuse). Each check is one
// argon2id verification, so this takes ReuseLimit times a login's time;
// hashes that cannot be read are skipped, since a corrupt history entry must
// not block a password change. lastChange is when the current password was
// set (zero if never) for MinAge, and now is the clock. compromised may be
// nil.
func (p PasswordPolicy) CheckPassword(name, candidate string, history []string, lastChange, now time.Time, compromised *Compromised) error {
	var vs []PolicyViolation
	add := func(code, msg string) { vs = append(vs, PolicyViolation{Code: code, Message: msg}) }

	if r, ok := controlCharacter(candidate); ok {
		add(ViolationControl, fmt.Sprintf("the password must not hold control characters such as NUL, tabs or line breaks (it holds %U)", r))
	}
	if p.MinLength > 0 && Characters(candidate) < p.MinLength {
		add(ViolationTooShort, fmt.Sprintf("the password must be at least %d characters long", p.MinLength))
	}
	if p.Complexity {
		if characterClasses(candidate) < 3 {
			add(ViolationComplexity, "the password must mix at least 3 of these: lower-case letters, upper-case letters, digits, other characters")
		}
		if equalsName(name, candidate) {
			add(ViolationEqualsName, "the password must not be the user name, forwards or backwards")
		}
		if isSimpleSequence(candidate) {
			add(ViolationSequence, "the password must not be a simple sequence such as 12345678, abcdefgh, qwertyui or aaaaaaaa")
		}
	}
	if compromised.Contains(candidate) {
		add(ViolationCompromised, "the password is in a list of known leaked passwords; choose another")
	}
	if n := min(p.ReuseLimit, len(history)); n > 0 {
		for _, h := range history[:n] {
			if ok, err := VerifyPassword(h, candidate); err == nil && ok {
				add(ViolationReused, fmt.Sprintf("the password must differ from the last %d passwords", p.ReuseLimit))
				break
			}
		}
	}
	if p.MinAge > 0 && !lastChange.IsZero() {
		if since := now.Sub(lastChange); since < p.MinAge {
			add(ViolationTooSoon, fmt.Sprintf("the password was changed recently; it can be changed again in %s", humanDuration(p.MinAge-since)))
		}
	}
	if len(vs) == 0 {
		return nil
	}
	return &PolicyError{Violations: vs}
}

// Characters counts the characters of a password as a person sees them:
// after NFC normalisation (so "é" typed as e and a combining accent is one
// character, as typed precomposed), each letter with the combining marks
// that follow it as one, and invisible format characters (zero-width
// joiners, direction marks) not at all. It is close to counting grapheme
// clusters without their tables: an emoji sequence joined by U+200D counts
// its emoji.
func Characters(password string) int {
	n := 0
	for _, r := range norm.NFC.String(password) {
		if !isMark(r) && !unicode.Is(unicode.Cf, r) {
			n++
		}
	}
	return n
}

// isMark reports combining marks, which belong to the character before.
func isMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) }

// controlCharacter returns the first control character of a password (C0
// and C1 controls, NUL among them, line and paragraph separators): no
// keyboard types them, and a program passing one on most likely lost or
// mangled the password it meant.
func controlCharacter(password string) (rune, bool) {
	for _, r := range password {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return r, true
		}
	}
	return 0, false
}

// Expired reports whether a password set at setAt must be changed at now. A
// zero setAt (the date is unknown) counts as expired when MaxAge is set: a
// password of unknown age cannot be shown to be young enough.
func (p PasswordPolicy) Expired(setAt, now time.Time) bool {
	d, ok := p.ExpiresIn(setAt, now)
	return ok && d <= 0
}

// ExpiresIn returns how long a password set at setAt remains valid at now:
// zero or negative once it has expired. The boolean is false when passwords
// never expire (MaxAge is 0). Compare the duration with ExpiryWarning to warn
// the user in time.
func (p PasswordPolicy) ExpiresIn(setAt, now time.Time) (time.Duration, bool) {
	if p.MaxAge <= 0 {
		return 0, false
	}
	if setAt.IsZero() {
		return 0, true
	}
	return setAt.Add(p.MaxAge).Sub(now), true
}

// humanDuration renders a wait in the largest units that matter to a person,
// rounded up so the user is never told to retry too early.
func humanDuration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", (d+24*time.Hour-1)/(24*time.Hour))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", (d+time.Hour-1)/time.Hour)
	case d > time.Minute:
		return fmt.Sprintf("%d minutes", (d+time.Minute-1)/time.Minute)
	default:
		return "a minute"
	}
}

// characterClasses counts the classes present among lower-case letters,
// upper-case letters, digits and everything else. Letters of scripts without
// case (CJK, Arabic) count as "everything else": they are neither guessable
// as a dictionary word in the Latin or Cyrillic sense nor a digit.
func characterClasses(s string) int {
	var lower, upper, digit, other int
	for _, r := range norm.NFC.String(s) {
		switch {
		case isMark(r):
			// part of the letter before it, not a class of its own
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	return lower + upper + digit + other
}

// equalsName reports whether the password is the user name, ignoring case,
// either way round.
func equalsName(name, password string) bool {
	if name == "" {
		return false
	}
	if strings.EqualFold(name, password) {
		return true
	}
	r := []rune(name)
	slices.Reverse(r)
	return strings.EqualFold(string(r), password)
}

// sequenceSources are runs of keys that people type as "a password": the
// keyboard rows of the Latin (QWERTY) and Cyrillic (ЙЦУКЕН) layouts with and
// without Shift, and the alphabets and digits that are not consecutive code
// points (Russian ё sits apart from е..я in Unicode). Runs of consecutive code
// points (abc, 123, абв) and of one repeated character are found without a
// table.
var sequenceSources = []string{
	"`1234567890-=",
	"~!@#$%^&*()_+",
	"qwertyuiop[]\\",
	"asdfghjkl;'",
	"zxcvbnm,./",
	"ё1234567890-=",
	"!\"№;%:?*()_+",
	"йцукенгшщзхъ\\",
	"фывапролджэ",
	"ячсмитьбю.",
	"абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
}

// minSequenceRun is the shortest piece of a sequence counted as part of a
// simple password: "qwerty123" is two pieces, "Aa1!" is none.
const minSequenceRun = 3

// maxSequenceCheck bounds the quadratic search below; a password this long is
// not a simple sequence unless it is one character repeated, checked apart.
const maxSequenceCheck = 128

// isSimpleSequence reports whether the password, ignoring case, is made
// entirely of pieces of at least minSequenceRun characters, each a run of one
// repeated character, of consecutive code points (either direction) or a
// piece of a keyboard row or alphabet (either direction). This catches
// "12345678", "abcdefgh", "qwertyui", "йцукенгш", "aaaaaaaa", and also the
// common glued forms "Qwerty123" and "Abcd1234", which pass the character
// class rule but are among the first guesses of any cracker.
func isSimpleSequence(password string) bool {
	s := []rune(strings.ToLower(password))
	if len(s) < minSequenceRun {
		return false
	}
	if len(s) > maxSequenceCheck {
		for _, r := range s {
			if r != s[0] {
				return false
			}
		}
		return true
	}
	// longest[i] is the length of the longest sequence piece starting at i;
	// a piece's sub-pieces are pieces too, so any shorter length also works.
	longest := make([]int, len(s))
	for i := range s {
		longest[i] = longestPiece(s[i:])
	}
	// reach[i]: s[:i] splits into pieces of at least minSequenceRun.
	reach := make([]bool, len(s)+1)
	reach[0] = true
	for i := range s {
		if !reach[i] {
			continue
		}
		for n := minSequenceRun; n <= longest[i]; n++ {
			reach[i+n] = true
		}
	}
	return reach[len(s)]
}

// longestPiece returns how many leading runes of s form one sequence piece.
func longestPiece(s []rune) int {
	best := 1
	// One repeated character, or consecutive code points up or down.
	for _, step := range []rune{0, 1, -1} {
		n := 1
		for n < len(s) && s[n]-s[n-1] == step {
			n++
		}
		best = max(best, n)
	}
	// A piece of a keyboard row or alphabet, forwards or backwards.
	for _, src := range sequenceSources {
		row := []rune(src)
		for i, r := range row {
			if r != s[0] {
				continue
			}
			for _, dir := range []int{1, -1} {
				n := 1
				for j := i + dir; n < len(s) && j >= 0 && j < len(row) && row[j] == s[n]; j += dir {
					n++
				}
				best = max(best, n)
			}
		}
	}
	return best
}

// Compromised is a loaded list of known compromised passwords, checked by
// CheckPassword. To keep memory small for large lists (Have I Been Pwned has
// hundreds of millions of entries) it holds only the first 8 bytes of each
// entry's SHA-1, sorted: 8 bytes per distinct entry and a binary search per
// lookup. Two different passwords share a 64-bit prefix with probability
// about n/2^64 (below 1e-10 for a billion entries), a false "compromised"
// that costs a user nothing but choosing again.
type Compromised struct {
	prefixes []uint64 // sorted, distinct
}

// LoadCompromised reads a list of compromised passwords, streaming it line by
// line. The first non-empty line decides the format of the whole file:
//
//   - SHA-1 hashes, as in Have I Been Pwned downloads: 40 hex digits (either
//     case) per line, optionally followed by ":count", which is ignored;
//   - otherwise plain passwords, one per line, matched exactly (case
//     matters). A trailing "\r" is dropped so Windows files work; other
//     spaces are part of the password.
//
// Empty lines are skipped. Errors name the file and line.
func LoadCompromised(path string) (*Compromised, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load compromised passwords: %w", err)
	}
	defer f.Close()

	const maxLine = 64 * 1024
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var (
		c        Compromised
		line     int
		hashed   bool
		decided  bool
		firstRow int
	)
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if text == "" {
			continue
		}
		if !decided {
			decided, firstRow = true, line
			hashed = isSHA1Line(text)
			if h, _, _ := strings.Cut(text, ":"); !hashed && len(h) == 32 && allHex(h) {
				return nil, fmt.Errorf("%s:%d: looks like an NTLM hash (32 hex digits); use the SHA-1 download of the list", path, line)
			}
		}
		if !hashed {
			sum := sha1.Sum([]byte(text))
			c.prefixes = append(c.prefixes, binary.BigEndian.Uint64(sum[:8]))
			continue
		}
		if !isSHA1Line(text) {
			return nil, fmt.Errorf("%s:%d: want a SHA-1 hash (40 hex digits, optionally \":count\"), as line %d made this a hash list", path, line, firstRow)
		}
		var b [8]byte
		hex.Decode(b[:], []byte(text[:16])) // checked by isSHA1Line
		c.prefixes = append(c.prefixes, binary.BigEndian.Uint64(b[:]))
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%s:%d: line longer than %d bytes", path, line+1, maxLine)
		}
		return nil, fmt.Errorf("load compromised passwords: %w", err)
	}
	slices.Sort(c.prefixes)
	c.prefixes = slices.Clip(slices.Compact(c.prefixes))
	return &c, nil
}

// isSHA1Line reports whether s is "<40 hex digits>" or "<40 hex digits>:<count>".
func isSHA1Line(s string) bool {
	h, count, hasCount := strings.Cut(s, ":")
	if len(h) != 40 || !allHex(h) {
		return false
	}
	if !hasCount {
		return true
	}
	if count == "" {
		return false
	}
	for _, r := range count {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func allHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return s != ""
}

// Contains reports whether password is on the list. A nil list is empty, so
// callers without a configured file need no check.
func (c *Compromised) Contains(password string) bool {
	if c == nil || len(c.prefixes) == 0 {
		return false
	}
	sum := sha1.Sum([]byte(password))
	_, found := slices.BinarySearch(c.prefixes, binary.BigEndian.Uint64(sum[:8]))
	return found
}

// Len returns the number of distinct entries, for logging what was loaded.
func (c *Compromised) Len() int {
	if c == nil {
		return 0
	}
	return len(c.prefixes)
}

package authn_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dostup/authn"
)

// rfcSecret is RFC 6238 Appendix B's SHA-1 key in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// TestTOTPCodeRFC6238: the public 6-digit codes are the last 6 digits of the
// RFC's 8-digit vectors (both are the same number modulo 10^6 and 10^8).
func TestTOTPCodeRFC6238(t *testing.T) {
	for _, v := range []struct {
		unix int64
		code string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		at := time.Unix(v.unix, 0)
		want := v.code[2:]
		got, err := authn.TOTPCode(rfcSecret, at)
		if err != nil || got != want {
			t.Errorf("TOTPCode(T=%d) = %q, %v; want %q", v.unix, got, err, want)
		}
		step, ok := authn.VerifyTOTP(rfcSecret, want, at, 0)
		if !ok || step != v.unix/30 {
			t.Errorf("VerifyTOTP(T=%d, %q) = %d, %v; want %d, true", v.unix, want, step, ok, v.unix/30)
		}
	}
}

func TestVerifyTOTP(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 10, 0, time.UTC)
	cur := at.Unix() / 30
	code := func(offset time.Duration) string {
		c, err := authn.TOTPCode(rfcSecret, at.Add(offset))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		name     string
		secret   string
		code     string
		lastStep int64
		step     int64
		ok       bool
	}{
		{"current", rfcSecret, code(0), 0, cur, true},
		{"current with spaces", rfcSecret, code(0)[:3] + " " + code(0)[3:], 0, cur, true},
		{"replay of current", rfcSecret, code(0), cur, cur, false},
		{"previous step once", rfcSecret, code(-30 * time.Second), 0, cur - 1, true},
		{"previous step replayed", rfcSecret, code(-30 * time.Second), cur - 1, cur - 1, false},
		{"previous after current used", rfcSecret, code(-30 * time.Second), cur, cur - 1, false},
		{"next step", rfcSecret, code(30 * time.Second), cur, cur + 1, true},
		{"two steps back", rfcSecret, code(-60 * time.Second), 0, 0, false},
		{"two steps ahead", rfcSecret, code(60 * time.Second), 0, 0, false},
		{"lower-case secret", strings.ToLower(rfcSecret), code(0), 0, cur, true},
		{"wrong secret", "JBSWY3DPEHPK3PXP", code(0), 0, 0, false},
		{"bad secret", "not base32!", code(0), 0, 0, false},
		{"empty", rfcSecret, "", 0, 0, false},
		{"five digits", rfcSecret, code(0)[:5], 0, 0, false},
		{"seven digits", rfcSecret, code(0) + "0", 0, 0, false},
		{"letters", rfcSecret, "abcdef", 0, 0, false},
		{"sign", rfcSecret, "+12345", 0, 0, false},
		{"full-width digits", rfcSecret, "１２３４５６", 0, 0, false},
		{"tab", rfcSecret, code(0)[:3] + "\t" + code(0)[3:], 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step, ok := authn.VerifyTOTP(tc.secret, tc.code, at, tc.lastStep)
			if step != tc.step || ok != tc.ok {
				t.Errorf("VerifyTOTP(%q, last %d) = %d, %v; want %d, %v", tc.code, tc.lastStep, step, ok, tc.step, tc.ok)
			}
		})
	}
}

// TestVerifyTOTPSequence walks a user through a login window: each code
// works once, and after a later one an earlier one no longer works.
func TestVerifyTOTPSequence(t *testing.T) {
	at := time.Unix(1_800_000_000, 0)
	prev, _ := authn.TOTPCode(rfcSecret, at.Add(-30*time.Second))
	cur, _ := authn.TOTPCode(rfcSecret, at)
	var last int64
	for i, tc := range []struct {
		code string
		ok   bool
	}{
		{prev, true}, {prev, false}, {cur, true}, {cur, false}, {prev, false},
	} {
		step, ok := authn.VerifyTOTP(rfcSecret, tc.code, at, last)
		if ok != tc.ok {
			t.Fatalf("attempt %d (%s): ok = %v, want %v", i, tc.code, ok, tc.ok)
		}
		if ok {
			last = step
		}
	}
}

func TestNewTOTP(t *testing.T) {
	k, err := authn.NewTOTP("dostup Демо", "ivanov@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(k.Secret) {
		t.Errorf("secret %q is not 20 bytes of base32", k.Secret)
	}
	u, err := url.Parse(k.URI)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || q.Get("secret") != k.Secret ||
		q.Get("issuer") != "dostup Демо" || q.Get("algorithm") != "SHA1" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("URI %s does not describe the key", k.URI)
	}
	if !strings.Contains(u.Path, "ivanov@example.com") {
		t.Errorf("URI %s lacks the account", k.URI)
	}
	other, _ := authn.NewTOTP("x", "y")
	if other.Secret == k.Secret {
		t.Error("two keys share a secret")
	}
	for _, args := range [][2]string{{"", "a"}, {"i", ""}} {
		if _, err := authn.NewTOTP(args[0], args[1]); err == nil {
			t.Errorf("NewTOTP(%q, %q) succeeded", args[0], args[1])
		}
	}
}

func TestTOTPQRCode(t *testing.T) {
	k, err := authn.NewTOTP("dostup", "ivanov")
	if err != nil {
		t.Fatal(err)
	}
	b, err := authn.TOTPQRCode(k.URI, 256)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if r := img.Bounds(); r.Dx() != 256 || r.Dy() != 256 {
		t.Errorf("image is %v, want 256×256", r)
	}
	for _, tc := range []struct {
		uri  string
		size int
		want string
	}{
		{k.URI, 0, "size 0"},
		{k.URI, 5000, "size 5000"},
		{k.URI, 10, "totp qr code"}, // smaller than the code itself
		{"https://example.com", 256, "otpauth://"},
	} {
		if _, err := authn.TOTPQRCode(tc.uri, tc.size); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("TOTPQRCode(%q, %d) error %v, want one containing %q", tc.uri, tc.size, err, tc.want)
		}
	}
}

func TestNewDeliveredCode(t *testing.T) {
	seen := map[string]bool{}
	var first [10]int
	for range 5000 {
		c, err := authn.NewDeliveredCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != 6 || strings.Trim(c, "0123456789") != "" {
			t.Fatalf("code %q is not 6 digits", c)
		}
		seen[c] = true
		first[c[0]-'0']++
	}
	// Loose bounds (expected 500 each, sd ≈ 21): catch a broken generator,
	// such as one that never yields a leading zero, without flaking.
	for d, n := range first {
		if n < 350 || n > 650 {
			t.Errorf("leading digit %d in %d of 5000 codes, want about 500", d, n)
		}
	}
	if len(seen) < 4900 {
		t.Errorf("only %d distinct codes in 5000", len(seen))
	}
}

func TestFileSender(t *testing.T) {
	path := filepath.Join(t.TempDir(), "codes.txt")
	var s authn.CodeSender = authn.FileSender{Path: path}
	ctx := context.Background()
	if err := s.Send(ctx, "ivanov", "ivanov@example.com", "012345"); err != nil {
		t.Fatal(err)
	}
	if err := s.Send(ctx, "Иван Петров", "+7 900\n000", "654321"); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	for sc := bufio.NewScanner(f); sc.Scan(); {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 2 {
		t.Fatalf("file has %d lines, want 2: %q", len(lines), lines)
	}
	for i, want := range []string{
		` ivanov ivanov@example.com 012345`,
		` "Иван Петров" "+7 900\n000" 654321`,
	} {
		ts, rest, _ := strings.Cut(lines[i], " ")
		if _, err := time.Parse(time.RFC3339, ts); err != nil {
			t.Errorf("line %d: time %q: %v", i+1, ts, err)
		}
		if " "+rest != want {
			t.Errorf("line %d = %q, want time +%q", i+1, lines[i], want)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, %v; want 0600", fi.Mode(), err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Send(cancelled, "u", "d", "1"); !errors.Is(err, context.Canceled) {
		t.Errorf("Send on a cancelled context: %v", err)
	}
	if err := (authn.FileSender{}).Send(ctx, "u", "d", "1"); err == nil {
		t.Error("Send without a path succeeded")
	}
}

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	var s authn.CodeSender = authn.LogSender{Logger: slog.New(slog.NewTextHandler(&buf, nil))}
	if err := s.Send(context.Background(), "ivanov", "phone", "123456"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`msg="otp code"`, "user=ivanov", "device=phone", "code=123456"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log %q lacks %s", buf.String(), want)
		}
	}
}

func ExampleNewTOTP() {
	// Enrolment: store key.Secret with the user, show key.URI as a QR code.
	key, err := authn.NewTOTP("dostup", "ivanov")
	if err != nil {
		fmt.Println(err)
		return
	}
	png, _ := authn.TOTPQRCode(key.URI, 256)
	fmt.Println(strings.HasPrefix(key.URI, "otpauth://totp/dostup:ivanov?"), len(png) > 0)

	// The user types the code the app shows; the first one confirms enrolment.
	now := time.Now()
	code, _ := authn.TOTPCode(key.Secret, now)
	step, ok := authn.VerifyTOTP(key.Secret, code, now, 0)
	fmt.Println(ok, step == now.Unix()/30)
	// Output:
	// true true
	// true true
}

func ExampleVerifyTOTP() {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	now := time.Unix(1111111111, 0)
	code, _ := authn.TOTPCode(secret, now)
	fmt.Println(code)

	// Store the step with the user; a code of that step or an earlier one
	// is refused from then on.
	var lastStep int64
	step, ok := authn.VerifyTOTP(secret, code, now, lastStep)
	fmt.Println(step, ok)
	lastStep = step
	_, ok = authn.VerifyTOTP(secret, code, now.Add(10*time.Second), lastStep)
	fmt.Println(ok)
	// Output:
	// 050471
	// 37037037 true
	// false
}

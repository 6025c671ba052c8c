package authn

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"image/png"
	"log/slog"
	"math/big"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP settings. They are the ones every authenticator app understands
// (Google Authenticator ignores anything else in the URI), so they are fixed
// rather than configurable.
const (
	totpPeriod = 30 // seconds per time step
	totpDigits = otp.DigitsSix
	totpSkew   = 1  // steps accepted either side of now, for clock drift
	totpSecret = 20 // secret bytes: RFC 4226 §4 recommends 160 bits for SHA-1
)

// TOTPKey is a new TOTP enrolment: the secret to store (base32, as the apps
// show it for manual entry) and the otpauth:// URI to show as a QR code.
type TOTPKey struct {
	Secret string
	URI    string
}

// NewTOTP makes a random TOTP secret (RFC 6238: SHA-1, 6 digits, 30-second
// steps) for account at issuer; both are shown in the authenticator app, so
// use the product or infobase name and the user name.
func NewTOTP(issuer, account string) (*TOTPKey, error) {
	if issuer == "" || account == "" {
		return nil, errors.New("new totp: issuer and account must not be empty")
	}
	k, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		SecretSize:  totpSecret,
		Digits:      totpDigits,
		Algorithm:   otp.AlgorithmSHA1,
		Rand:        rand.Reader,
	})
	if err != nil {
		return nil, fmt.Errorf("new totp: %w", err)
	}
	return &TOTPKey{Secret: k.Secret(), URI: k.URL()}, nil
}

// maxQRSize caps TOTPQRCode's size, which often comes from a request
// parameter, so a client cannot make the server allocate a huge image.
const maxQRSize = 2048

// TOTPQRCode renders an otpauth:// URI as a size×size PNG QR code for
// enrolment. size must leave at least one pixel per QR module (about 50
// pixels for a typical URI; 200 or more scans well) and be at most 2048.
func TOTPQRCode(uri string, size int) ([]byte, error) {
	if size <= 0 || size > maxQRSize {
		return nil, fmt.Errorf("totp qr code: size %d is outside 1..%d", size, maxQRSize)
	}
	if !strings.HasPrefix(uri, "otpauth://") {
		return nil, errors.New("totp qr code: uri must start with otpauth://")
	}
	k, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, fmt.Errorf("totp qr code: %w", err)
	}
	img, err := k.Image(size, size)
	if err != nil {
		return nil, fmt.Errorf("totp qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("totp qr code: %w", err)
	}
	return buf.Bytes(), nil
}

// TOTPCode returns the 6-digit code for secret at time t, as the user's app
// would show it; for tests and the demo.
func TOTPCode(secret string, t time.Time) (string, error) {
	return totpCodeAt(secret, totpStep(t), totpDigits)
}

// totpStep is the RFC 6238 time step of t: floor(unix seconds / 30).
func totpStep(t time.Time) int64 {
	u := t.Unix()
	s := u / totpPeriod
	if u < 0 && u%totpPeriod != 0 {
		s--
	}
	return s
}

// totpCodeAt is the code for a time step with any number of digits; the
// digits parameter exists so the RFC 6238 8-digit test vectors can be
// checked against the same code path.
func totpCodeAt(secret string, step int64, digits otp.Digits) (string, error) {
	if step < 0 {
		return "", errors.New("totp: time before 1970")
	}
	// pquerna/otp derives the counter from a time; step*period is exactly
	// the start of the step, so no rounding is involved.
	code, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totp.ValidateOpts{
		Period:    totpPeriod,
		Digits:    digits,
		Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", fmt.Errorf("totp: %w", err)
	}
	return code, nil
}

// VerifyTOTP checks a 6-digit code (spaces allowed, as apps show "123 456")
// against secret at now, accepting the current time step and one either
// side. It returns the step the code matched; the caller stores it and
// passes it back as lastStep next time, and ok is true only if step >
// lastStep, so a code, once used, can never be used again, nor can any
// older one (RFC 6238 §5.2). Pass 0 when no code has been used yet.
//
// All candidate steps are compared, in constant time, and the latest match
// wins: if two steps happened to share a code, recording the earlier one
// would let the same code be replayed against the later one.
// On a refused replay step is still the matched step (for logging); with no
// match it is 0.
func VerifyTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.ReplaceAll(code, " ", "")
	if len(code) != totpDigits.Length() {
		return 0, false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	cur := totpStep(now)
	var matched int64
	found := false
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		want, err := totpCodeAt(secret, s, totpDigits)
		if err != nil {
			continue // bad secret or a step before 1970: nothing matches
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			matched, found = s, true
		}
	}
	if !found {
		return 0, false
	}
	return matched, matched > lastStep
}

// CodeSender delivers a one-time code to one of a user's devices (an e-mail
// address, a phone); the service picks the sender, so deployments plug in
// their own gateway without touching authentication.
type CodeSender interface {
	Send(ctx context.Context, user, device, code string) error
}

// FileSender appends one line "time user device code" per code to the file
// at Path (RFC 3339 UTC time; a field that is empty or holds spaces is
// quoted as a Go string so the line still splits into four). It stands in
// for a real gateway in tests and demos: read the last line to log in. The
// file is created with mode 0600 since it holds live codes.
type FileSender struct {
	Path string
}

// Send appends the line. One write per line with O_APPEND keeps lines from
// concurrent sends whole.
func (s FileSender) Send(ctx context.Context, user, device, code string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.Path == "" {
		return errors.New("file sender: no path")
	}
	line := time.Now().UTC().Format(time.RFC3339) + " " + senderField(user) + " " + senderField(device) + " " + senderField(code) + "\n"
	f, err := os.OpenFile(s.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("file sender: %w", err)
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return fmt.Errorf("file sender: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("file sender: %w", err)
	}
	return nil
}

// senderField quotes a field that would otherwise break the line apart or
// forge another line (a user name with a newline, say).
func senderField(s string) string {
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) || r == '"' }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// LogSender writes each code to a structured log (message "otp code" with
// attributes user, device and code), for development servers where reading
// the log is the easiest way to get the code. A nil Logger means
// slog.Default(). Never use it in production: the log then holds live codes.
type LogSender struct {
	Logger *slog.Logger
}

// Send logs the code at Info level.
func (s LogSender) Send(ctx context.Context, user, device, code string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	l.LogAttrs(ctx, slog.LevelInfo, "otp code", slog.String("user", user), slog.String("device", device), slog.String("code", code))
	return nil
}

// NewDeliveredCode returns a code of 6 random decimal digits to send to a
// device. crypto/rand.Int draws uniformly (no modulo bias), so every code
// from 000000 to 999999 is equally likely.
func NewDeliveredCode() (code string, err error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("new delivered code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

package authn

import (
	"testing"
	"time"

	"github.com/pquerna/otp"
)

// rfcSecret is the SHA-1 key of RFC 6238 Appendix B, "12345678901234567890"
// in ASCII, in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// rfc6238 are the SHA-1 rows of RFC 6238 Appendix B (8 digits).
var rfc6238 = []struct {
	unix int64
	step int64
	code string
}{
	{59, 0x1, "94287082"},
	{1111111109, 0x23523EC, "07081804"},
	{1111111111, 0x23523ED, "14050471"},
	{1234567890, 0x273EF07, "89005924"},
	{2000000000, 0x3F940AA, "69279037"},
	{20000000000, 0x27BC86AA, "65353130"},
}

// TestRFC6238 runs the RFC's vectors through the code path the public
// 6-digit functions use, with 8 digits as in the RFC.
func TestRFC6238(t *testing.T) {
	for _, v := range rfc6238 {
		at := time.Unix(v.unix, 0).UTC()
		if got := totpStep(at); got != v.step {
			t.Errorf("T=%d: step %#x, want %#x", v.unix, got, v.step)
		}
		code, err := totpCodeAt(rfcSecret, totpStep(at), otp.DigitsEight)
		if err != nil || code != v.code {
			t.Errorf("T=%d: code %q, %v; want %q", v.unix, code, err, v.code)
		}
	}
}

func TestTOTPStep(t *testing.T) {
	for _, tc := range []struct {
		unix, step int64
	}{
		{0, 0}, {29, 0}, {30, 1}, {59, 1}, {60, 2}, {-1, -1}, {-30, -1}, {-31, -2},
	} {
		if got := totpStep(time.Unix(tc.unix, 0)); got != tc.step {
			t.Errorf("totpStep(%d) = %d, want %d", tc.unix, got, tc.step)
		}
	}
	if _, err := totpCodeAt(rfcSecret, -1, otp.DigitsSix); err == nil {
		t.Error("a code before 1970 was generated")
	}
}

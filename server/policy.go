package server

import (
	"net/http"
	"path/filepath"
	"time"

	"dostup/authn"
	"dostup/wire"
)

// policyView is the authentication settings as the API shows and takes
// them (GET and PUT /api/v1/policy): durations in whole seconds, which
// every client reads alike; Go's nanoseconds stay in the infobase.
type policyView struct {
	PasswordPolicy struct {
		MinLength            int    `json:"min_length"`
		Complexity           bool   `json:"complexity"`
		MaxAgeSeconds        int64  `json:"max_age_seconds"`
		MinAgeSeconds        int64  `json:"min_age_seconds"`
		ReuseLimit           int    `json:"reuse_limit"`
		ExpiryWarningSeconds int64  `json:"expiry_warning_seconds"`
		CompromisedFile      string `json:"compromised_file"`
	} `json:"password_policy"`
	Lockout struct {
		MaxFailures        int   `json:"max_failures"`
		WindowSeconds      int64 `json:"window_seconds"`
		DurationSeconds    int64 `json:"duration_seconds"`
		AddressMaxFailures int   `json:"address_max_failures"`
	} `json:"lockout"`
	SessionTTLSeconds int64 `json:"session_ttl_seconds"`
	IdleTTLSeconds    int64 `json:"idle_ttl_seconds"`
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

func viewPolicy(set authn.Settings) policyView {
	var v policyView
	p := &v.PasswordPolicy
	p.MinLength, p.Complexity, p.ReuseLimit, p.CompromisedFile = set.Policy.MinLength, set.Policy.Complexity, set.Policy.ReuseLimit, set.Policy.CompromisedFile
	p.MaxAgeSeconds, p.MinAgeSeconds, p.ExpiryWarningSeconds = seconds(set.Policy.MaxAge), seconds(set.Policy.MinAge), seconds(set.Policy.ExpiryWarning)
	l := &v.Lockout
	l.MaxFailures, l.AddressMaxFailures = set.Lockout.MaxFailures, set.Lockout.AddressMaxFailures
	l.WindowSeconds, l.DurationSeconds = seconds(set.Lockout.Window), seconds(set.Lockout.Duration)
	v.SessionTTLSeconds, v.IdleTTLSeconds = seconds(set.SessionTTL), seconds(set.IdleTTL)
	return v
}

// policyInput is a PUT body: the fields given replace the settings', the
// rest stay.
type policyInput struct {
	PasswordPolicy *struct {
		MinLength            *int    `json:"min_length"`
		Complexity           *bool   `json:"complexity"`
		MaxAgeSeconds        *int64  `json:"max_age_seconds"`
		MinAgeSeconds        *int64  `json:"min_age_seconds"`
		ReuseLimit           *int    `json:"reuse_limit"`
		ExpiryWarningSeconds *int64  `json:"expiry_warning_seconds"`
		CompromisedFile      *string `json:"compromised_file"`
	} `json:"password_policy"`
	Lockout *struct {
		MaxFailures        *int   `json:"max_failures"`
		WindowSeconds      *int64 `json:"window_seconds"`
		DurationSeconds    *int64 `json:"duration_seconds"`
		AddressMaxFailures *int   `json:"address_max_failures"`
	} `json:"lockout"`
	SessionTTLSeconds *int64 `json:"session_ttl_seconds"`
	IdleTTLSeconds    *int64 `json:"idle_ttl_seconds"`
}

// maxSeconds bounds a duration given in seconds (a hundred years), so it
// cannot overflow time.Duration.
const maxSeconds = 100 * 365 * 24 * 3600

// apply copies the fields given over set; a duration out of range is an
// error before anything is copied on.
func (in *policyInput) apply(set *authn.Settings) error {
	dur := func(dst *time.Duration, v *int64, name string) error {
		if v == nil {
			return nil
		}
		if *v < 0 || *v > maxSeconds {
			return apiErr(http.StatusBadRequest, "invalid", name+": give 0 to 3153600000 seconds")
		}
		*dst = time.Duration(*v) * time.Second
		return nil
	}
	num := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	if p := in.PasswordPolicy; p != nil {
		num(&set.Policy.MinLength, p.MinLength)
		num(&set.Policy.ReuseLimit, p.ReuseLimit)
		if p.Complexity != nil {
			set.Policy.Complexity = *p.Complexity
		}
		if p.CompromisedFile != nil {
			set.Policy.CompromisedFile = *p.CompromisedFile
		}
		for _, d := range []struct {
			dst  *time.Duration
			v    *int64
			name string
		}{{&set.Policy.MaxAge, p.MaxAgeSeconds, "max_age_seconds"}, {&set.Policy.MinAge, p.MinAgeSeconds, "min_age_seconds"}, {&set.Policy.ExpiryWarning, p.ExpiryWarningSeconds, "expiry_warning_seconds"}} {
			if err := dur(d.dst, d.v, d.name); err != nil {
				return err
			}
		}
	}
	if l := in.Lockout; l != nil {
		num(&set.Lockout.MaxFailures, l.MaxFailures)
		num(&set.Lockout.AddressMaxFailures, l.AddressMaxFailures)
		if err := dur(&set.Lockout.Window, l.WindowSeconds, "window_seconds"); err != nil {
			return err
		}
		if err := dur(&set.Lockout.Duration, l.DurationSeconds, "duration_seconds"); err != nil {
			return err
		}
	}
	if err := dur(&set.SessionTTL, in.SessionTTLSeconds, "session_ttl_seconds"); err != nil {
		return err
	}
	return dur(&set.IdleTTL, in.IdleTTLSeconds, "idle_ttl_seconds")
}

func getPolicy(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	set, err := a.Auth.Settings(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewPolicy(set))
}

// putPolicy changes the settings an administrator gives, stores them (every
// server over the infobase applies them within a second) and logs the
// change.
func putPolicy(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	var in policyInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	set, err := a.Auth.Settings(r.Context())
	if err != nil {
		return err
	}
	before := set.Policy.CompromisedFile
	if err := in.apply(&set); err != nil {
		return err
	}
	if err := authn.CheckSettings(set); err != nil {
		return apiErr(http.StatusBadRequest, "invalid", err.Error())
	}
	if f := set.Policy.CompromisedFile; f != "" && f != before {
		// Checked now: a list that does not load would fail every later
		// password change. The path is the server's, so it must be whole.
		if !filepath.IsAbs(f) {
			return apiErr(http.StatusBadRequest, "invalid", "compromised_file: give an absolute path on the server")
		}
		if _, err := authn.LoadCompromised(f); err != nil {
			return apiErr(http.StatusBadRequest, "invalid", "compromised_file: "+err.Error())
		}
	}
	if err := a.Auth.SetSettings(r.Context(), set, a.By); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewPolicy(set))
}

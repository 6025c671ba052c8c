package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"dostup/authn"
)

// day is the unit password policies are written in.
const day = 24 * time.Hour

// parseDays reads a duration as Go writes it ("15m", "12h30m") or in days
// ("90d", "1.5d", "1d12h"): password ages are counted in days, which Go's
// durations do not have.
func parseDays(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || n < 0 || n > 100*365 {
			return 0, fmt.Errorf("%q: want a duration such as 90d, 12h or 15m", s)
		}
		d := time.Duration(n * float64(day))
		if rest := s[i+1:]; rest != "" {
			r, err := time.ParseDuration(rest)
			if err != nil || r < 0 {
				return 0, fmt.Errorf("%q: want a duration such as 90d, 1d12h, 12h or 15m", s)
			}
			d += r
		}
		return d, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: want a duration such as 90d, 12h or 15m", s)
	}
	return d, nil
}

// formatDays writes a duration as parseDays reads it: whole days as "90d",
// the rest as Go writes it without its zero units ("15m", not "15m0s").
func formatDays(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	days, rest := d/day, d%day
	s := ""
	if days > 0 {
		s = strconv.FormatInt(int64(days), 10) + "d"
	}
	if rest != 0 {
		r := rest.String()
		if strings.HasSuffix(r, "m0s") {
			r = strings.TrimSuffix(r, "0s")
		}
		if strings.HasSuffix(r, "h0m") {
			r = strings.TrimSuffix(r, "0m")
		}
		s += r
	}
	return s
}

// daysFlag is a duration flag that takes days as well (pflag.Value).
type daysFlag struct{ d *time.Duration }

func (f daysFlag) String() string {
	if f.d == nil {
		return "0"
	}
	return formatDays(*f.d)
}

func (f daysFlag) Set(s string) error {
	d, err := parseDays(s)
	if err != nil {
		return err
	}
	if d < 0 {
		return fmt.Errorf("%q: a duration cannot be negative", s)
	}
	*f.d = d
	return nil
}

func (f daysFlag) Type() string { return "duration" }

// policyView is the authentication settings as the console shows them:
// durations in the form the flags take, not in nanoseconds.
type policyView struct {
	MinLength       int    `json:"min_length"`
	Complexity      bool   `json:"complexity"`
	MaxAge          string `json:"max_age"`
	MinAge          string `json:"min_age"`
	ReuseLimit      int    `json:"reuse_limit"`
	ExpiryWarning   string `json:"expiry_warning"`
	CompromisedFile string `json:"compromised_file"`
	LockoutFailures int    `json:"lockout_failures"`
	LockoutWindow   string `json:"lockout_window"`
	LockoutDuration string `json:"lockout_duration"`
	AddressFailures int    `json:"address_failures"`
	SessionTTL      string `json:"session_ttl"`
	IdleTTL         string `json:"idle_ttl"`
}

func viewPolicy(s authn.Settings) policyView {
	return policyView{
		MinLength: s.Policy.MinLength, Complexity: s.Policy.Complexity, MaxAge: formatDays(s.Policy.MaxAge),
		MinAge: formatDays(s.Policy.MinAge), ReuseLimit: s.Policy.ReuseLimit, ExpiryWarning: formatDays(s.Policy.ExpiryWarning),
		CompromisedFile: s.Policy.CompromisedFile, LockoutFailures: s.Lockout.MaxFailures, LockoutWindow: formatDays(s.Lockout.Window),
		LockoutDuration: formatDays(s.Lockout.Duration), AddressFailures: s.Lockout.AddressMaxFailures,
		SessionTTL: formatDays(s.SessionTTL), IdleTTL: formatDays(s.IdleTTL),
	}
}

func newUsersPolicyCmd(e *env, dsn *string) *cobra.Command {
	var format string
	var set authn.Settings
	cmd := &cobra.Command{
		Use:   "policy [--min-length N] [--complexity=BOOL] [--max-age 90d] [--min-age 1d] [--reuse-limit N] [--expiry-warning 14d] [--compromised-file PATH] [--lockout-failures N] [--lockout-window 15m] [--lockout-duration 15m] [--address-failures N] [--session-ttl 12h] [--idle-ttl 30m] [--format text|json]",
		Short: "Show or change the password, lockout and session policy",
		Long: `policy prints the infobase's authentication settings; with flags it changes
those named (the rest stay), stores them, logs the change
(_$InfoBase$_.PolicyUpdate) and prints the result.

Password policy: --min-length (characters), --complexity (3 of 4 character
classes, not the user name, not a simple sequence), --max-age (0: never
expires), --min-age (how long a user keeps a new password before changing it
again), --reuse-limit (previous passwords that may not come back),
--expiry-warning (how long before expiry the user is warned),
--compromised-file (a list of leaked passwords, plain or SHA-1 hashes as Have
I Been Pwned publishes them; empty for none; checked to load, stored as an
absolute path).

Lockout: --lockout-failures failed logins within --lockout-window lock the
account for --lockout-duration; --address-failures lock the source address.
Sessions: --session-ttl is a session's lifetime, --idle-ttl ends one unused
that long.

Durations are Go durations (15m, 12h, 1h30m) or days (90d, 1.5d, 1d12h). A
value out of range exits 2 and changes nothing. Settings apply to existing
passwords at their next check: a shorter --max-age can expire passwords at once.
Servers running over the infobase (dostup serve, any number of them) apply a
change within a second: lockout limits to the next attempt, a shorter
--session-ttl or --idle-ttl to sessions already open. The API reads and
changes the same settings (GET and PUT /api/v1/policy).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error {
				cur, err := c.Auth.Settings(ctx)
				if err != nil {
					return failure(err)
				}
				// Flags fill set; those given are copied over the stored settings.
				fields := []struct {
					flag string
					copy func()
				}{
					{"min-length", func() { cur.Policy.MinLength = set.Policy.MinLength }},
					{"complexity", func() { cur.Policy.Complexity = set.Policy.Complexity }},
					{"max-age", func() { cur.Policy.MaxAge = set.Policy.MaxAge }},
					{"min-age", func() { cur.Policy.MinAge = set.Policy.MinAge }},
					{"reuse-limit", func() { cur.Policy.ReuseLimit = set.Policy.ReuseLimit }},
					{"expiry-warning", func() { cur.Policy.ExpiryWarning = set.Policy.ExpiryWarning }},
					{"compromised-file", func() { cur.Policy.CompromisedFile = set.Policy.CompromisedFile }},
					{"lockout-failures", func() { cur.Lockout.MaxFailures = set.Lockout.MaxFailures }},
					{"lockout-window", func() { cur.Lockout.Window = set.Lockout.Window }},
					{"lockout-duration", func() { cur.Lockout.Duration = set.Lockout.Duration }},
					{"address-failures", func() { cur.Lockout.AddressMaxFailures = set.Lockout.AddressMaxFailures }},
					{"session-ttl", func() { cur.SessionTTL = set.SessionTTL }},
					{"idle-ttl", func() { cur.IdleTTL = set.IdleTTL }},
				}
				changed := cmd.Flags().Changed
				touched := false
				for _, f := range fields {
					if changed(f.flag) {
						f.copy()
						touched = true
					}
				}
				if touched {
					if changed("compromised-file") && cur.Policy.CompromisedFile != "" {
						// Checked now: a list that does not load would otherwise
						// fail every later password change.
						list, err := authn.LoadCompromised(cur.Policy.CompromisedFile)
						if err != nil {
							return usageError(err)
						}
						if cur.Policy.CompromisedFile, err = filepath.Abs(cur.Policy.CompromisedFile); err != nil {
							return usageError(err)
						}
						fmt.Fprintf(e.stderr, "loaded %s\n", plural(list.Len(), "compromised password", "compromised passwords"))
					}
					// SetSettings refuses values out of range before it writes;
					// those are the errors it returns on a working database.
					if err := c.Auth.SetSettings(ctx, cur, c.By); err != nil {
						return usageError(err)
					}
				}
				v := viewPolicy(cur)
				if format == "json" {
					return writeJSON(e.stdout, v)
				}
				file := v.CompromisedFile
				if file == "" {
					file = "(none)"
				}
				return writeFields(e.stdout, [][2]string{
					{"min-length", strconv.Itoa(v.MinLength)}, {"complexity", yesNo(v.Complexity)},
					{"max-age", v.MaxAge}, {"min-age", v.MinAge}, {"reuse-limit", strconv.Itoa(v.ReuseLimit)},
					{"expiry-warning", v.ExpiryWarning}, {"compromised-file", file},
					{"lockout-failures", strconv.Itoa(v.LockoutFailures)}, {"lockout-window", v.LockoutWindow},
					{"lockout-duration", v.LockoutDuration}, {"address-failures", strconv.Itoa(v.AddressFailures)},
					{"session-ttl", v.SessionTTL}, {"idle-ttl", v.IdleTTL},
				})
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&set.Policy.MinLength, "min-length", 0, "the least number of characters of a password")
	f.BoolVar(&set.Policy.Complexity, "complexity", false, "require 3 of 4 character classes, not the name, not a simple sequence")
	f.Var(daysFlag{&set.Policy.MaxAge}, "max-age", "how long a password stays valid (0: never expires)")
	f.Var(daysFlag{&set.Policy.MinAge}, "min-age", "how long a user keeps a new password before changing it again")
	f.IntVar(&set.Policy.ReuseLimit, "reuse-limit", 0, "how many previous passwords may not be chosen again")
	f.Var(daysFlag{&set.Policy.ExpiryWarning}, "expiry-warning", "how long before expiry the user is warned")
	f.StringVar(&set.Policy.CompromisedFile, "compromised-file", "", "a list of known leaked passwords (empty: none)")
	f.IntVar(&set.Lockout.MaxFailures, "lockout-failures", 0, "failed logins within the window that lock the account")
	f.Var(daysFlag{&set.Lockout.Window}, "lockout-window", "the window failures are counted in")
	f.Var(daysFlag{&set.Lockout.Duration}, "lockout-duration", "how long a lock after failures lasts")
	f.IntVar(&set.Lockout.AddressMaxFailures, "address-failures", 0, "failed logins within the window that lock the source address")
	f.Var(daysFlag{&set.SessionTTL}, "session-ttl", "a session's lifetime")
	f.Var(daysFlag{&set.IdleTTL}, "idle-ttl", "how long an unused session lasts")
	f.StringVar(&format, "format", "text", "output: text or json")
	return cmd
}

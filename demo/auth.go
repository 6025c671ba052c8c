package demo

import (
	"context"

	"dostup/authn"
)

// Credentials are what the demo's step-up walk needs; dostup demo prints
// them.
type Credentials struct {
	// Passwords of the demo users, by name: fixed, so examples can name
	// them; they satisfy the default password policy.
	Passwords map[string]string
	// App is the demo application, with the secret made for it (shown
	// once, as for any application).
	App, AppSecret string
	// TOTPUser has a TOTP key enrolled: TOTPSecret for code generators and
	// TOTPURI for an authenticator app.
	TOTPUser, TOTPSecret, TOTPURI string
}

// DemoApp is the demo's application: its role Касса reads goods and
// prices for any user who logs in through it.
const DemoApp = "cashdesk"

// passwords are the demo users' passwords.
func passwords() map[string]string {
	return map[string]string{
		"admin":    "Admin-2026!",
		"ivanov":   "Ivanov-2026!",
		"petrov":   "Petrov-2026!",
		"sidorova": "Sidorova-2026!",
	}
}

// Secure gives the demo users their passwords, registers the application
// cashdesk, and enrols sidorova — whose role Бухгалтер needs a second
// factor — in TOTP, so the step-up walk of issue 7 can be tried at once.
func Secure(ctx context.Context, auth *authn.Service) (*Credentials, error) {
	by := authn.Actor{User: "demo", Source: "dostup demo"}
	c := &Credentials{Passwords: passwords(), App: DemoApp, TOTPUser: "sidorova"}
	for _, u := range userList() {
		if _, err := auth.SetPassword(ctx, u.name, c.Passwords[u.name], false, by); err != nil {
			return nil, err
		}
	}
	secret, err := auth.AddApplication(ctx, DemoApp, []string{"Касса"}, by)
	if err != nil {
		return nil, err
	}
	c.AppSecret = secret
	key, err := auth.EnrollTOTP(ctx, c.TOTPUser, by)
	if err != nil {
		return nil, err
	}
	c.TOTPSecret, c.TOTPURI = key.Secret, key.URI
	return c, nil
}

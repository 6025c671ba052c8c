// Package authn authenticates users and applications of an infobase and
// keeps their sessions (SPEC §5), writing every step to the event log (§6).
//
// The step-up walk of seed [002]: an application authenticates with its id
// and secret and gets a session with the application's roles; a user logs
// in on top of it with name and password, which adds the user's roles that
// need no second factor; an OTP check (TOTP, a code delivered to a device,
// or a one-time recovery code) adds the rest. An operation refused for a
// role the session does not hold yet is answered by StepUpFor with the
// role and the next step, so a client walks the steps and retries.
//
// The storage-free parts are in their own files: argon2id password hashes
// (password.go), the password policy (policy.go), TOTP and delivered codes
// (totp.go), recovery codes (recovery.go) and tokens (token.go). The
// Service (service.go and the files beside it) keeps sessions, applications,
// failures and locks in tables of the infobase, and the users in the
// infobase's own users table (infobase.User).
//
// Tokens are opaque random strings of 256 bits; only their SHA-256 hashes
// are stored. A wrong password, an unknown user and a locked account cost
// the same argon2id computation, and every comparison of secrets is
// constant-time.
package authn

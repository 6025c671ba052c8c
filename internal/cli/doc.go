// Package cli implements the dostup command line: subcommands, output
// formats and exit codes. cmd/dostup only calls Run.
//
// Exit codes: 0 success; 1 the command ran and found a problem (a syntax
// error, a failed check); 2 bad usage or input that could not be read; 3
// access denied.
//
// Every command runs with the root command's context (cmd.Context()). The
// files: cli.go (Run, the root, exit codes), output.go (the table, JSON and
// CSV writers every command prints with), console.go (asAdmin: the one way
// a command opens an infobase as an administrator), session.go (commands
// run as a user), one file per group of commands (query, object, users and
// users_*, apps, log, rules, rls and rls_compile, config, import, init, fmt,
// demo, serve). The user commands print wire.User and change users through
// wire.Admin, as the HTTP API does.
package cli

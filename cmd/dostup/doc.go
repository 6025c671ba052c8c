// Command dostup is the command-line interface of dostup: 1C-style access
// control (roles, record-level security, rules) for Go programs and SQL
// databases. Run `dostup --help` for the commands.
package main

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"

	"dostup/rls"
)

// Exit codes of every command.
const (
	ExitOK      = 0
	ExitFailure = 1 // the command found a problem
	ExitUsage   = 2 // bad usage or unreadable input
	ExitDenied  = 3 // the user's rights or record-level security refused the operation
)

// Version is set at build time with -ldflags "-X dostup/internal/cli.Version=v1.2.3";
// otherwise the module's build information is used.
var Version = ""

// exitError carries an exit code up to Run together with the message for stderr.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// failure is a problem the command found (exit 1).
func failure(err error) error { return &exitError{code: ExitFailure, err: err} }

// usageError is bad usage or unreadable input (exit 2).
func usageError(err error) error { return &exitError{code: ExitUsage, err: err} }

// silent ends a command with a code after it already printed its own report.
type silent struct{ code int }

func (s silent) Error() string { return fmt.Sprintf("exit %d", s.code) }

// env is what commands read and write; tests pass their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// Run executes the command line args and returns the process exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	// Executed with a context so that cmd.Context() is never nil: every
	// command takes its context from it, and serve adds its signals to it.
	err := root.ExecuteContext(context.Background())
	if err == nil {
		return ExitOK
	}
	var s silent
	if errors.As(err, &s) {
		return s.code
	}
	fmt.Fprintln(stderr, "dostup:", err)
	if rls.IsAccessDenied(err) {
		return ExitDenied
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	// Errors cobra itself returns are about flags and arguments.
	return ExitUsage
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "dostup",
		Short: "1C-style access control for Go programs and SQL databases",
		Long: `dostup brings the access-control model of 1C:Enterprise to Go programs and SQL
databases: roles with object rights, record-level security written in the 1C
restriction language, queries in the 1C query language, a rules register,
authentication with multi-factor step-up, an event log and audit tooling.

Exit codes: 0 success, 1 a problem was found (syntax error, failed check),
2 bad usage or unreadable input, 3 access denied.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newVersionCmd(e), newFmtCmd(e), newRLSCmd(e), newConfigCmd(e), newImportCmd(e), newInitCmd(e), withSubcommands(userCmd(e, newQueryCmd), newQueryCheckCmd(e)), newObjectCmd(e), newDemoCmd(e), newRulesCmd(e), newUsersCmd(e), newAppsCmd(e), newLogCmd(e), newBSLCmd(e), newAuditCmd(e), newLintCmd(e), newExplainCmd(e))
	root.AddCommand(newServeCmd(e))
	return root
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print dostup's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(e.stdout, "dostup", version())
			return nil
		},
	}
}

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// withSubcommands adds subcommands to a command that also runs on its own
// (dostup query TEXT and dostup query check ...).
func withSubcommands(cmd *cobra.Command, subs ...*cobra.Command) *cobra.Command {
	cmd.AddCommand(subs...)
	return cmd
}

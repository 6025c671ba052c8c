package cli

import (
	"context"
	"errors"
	"fmt"
	"os/user"

	"github.com/spf13/cobra"

	"dostup/authn"
	"dostup/infobase"
	"dostup/wire"
)

// The administrator's console: the commands that work on an infobase as
// its administrator (dostup users, dostup apps) open it through asAdmin,
// which gives them the operations they share with the HTTP API
// (wire.Admin) and gives their errors exit codes.

// dbUsage is the help of every --db flag.
const dbUsage = "the infobase: an SQLite file or a postgres:// URL"

// needDB refuses a command without --db. Commands that read more input
// check it first, so that its absence is what they report.
func needDB(dsn string) error {
	if dsn == "" {
		return usageError(errors.New("--db is required"))
	}
	return nil
}

// openInfobase opens the infobase --db names; a missing --db, or a
// database that is not an infobase, is bad usage.
func openInfobase(ctx context.Context, dsn string) (*infobase.Infobase, error) {
	if err := needDB(dsn); err != nil {
		return nil, err
	}
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if err != nil {
		return nil, usageError(err)
	}
	return ib, nil
}

// dbGroup gives a command group the --db flag (into dsn) that it and its
// subcommands share, and adds them.
func dbGroup(e *env, group *cobra.Command, dsn *string, subs ...func(*env, *string) *cobra.Command) *cobra.Command {
	group.PersistentFlags().StringVar(dsn, "db", "", dbUsage)
	for _, sub := range subs {
		group.AddCommand(sub(e, dsn))
	}
	return group
}

// adminConsole is what an administrator's command works with: the
// infobase, and the operations on its users and its authentication
// service, acting as the administrator at the console.
type adminConsole struct {
	ib *infobase.Infobase
	wire.Admin
}

// asAdmin runs fn with the infobase at dsn open for its administrator,
// with its authentication service (which loads the policy's list of
// compromised passwords when a password is set), closes it after, and
// gives fn's error its exit code (adminError).
func (e *env) asAdmin(cmd *cobra.Command, dsn string, fn func(ctx context.Context, c *adminConsole) error) error {
	ctx := cmd.Context()
	ib, err := openInfobase(ctx, dsn)
	if err != nil {
		return err
	}
	defer ib.Close()
	svc, err := authn.New(ctx, ib, authn.Config{})
	if err != nil {
		return failure(err)
	}
	return e.adminError(fn(ctx, &adminConsole{ib: ib, Admin: wire.Admin{Auth: svc, By: consoleActor()}}))
}

// adminList makes cmd an administrator's command that lists what list
// gives: as a table under header with a row per item, or as a JSON array
// ([] when there are none) with --format json.
func adminList[T any](e *env, dsn *string, cmd *cobra.Command, list func(context.Context, *adminConsole) ([]T, error),
	header []string, row func(T) []string) *cobra.Command {
	var format string
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := checkFormat(format, "table", "json"); err != nil {
			return err
		}
		return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error {
			items, err := list(ctx, c)
			if err != nil {
				return failure(err)
			}
			if format == "json" {
				if items == nil {
					items = []T{}
				}
				return writeJSON(e.stdout, items)
			}
			return writeTable(e.stdout, header, rowsOf(items, row))
		})
	}
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	return cmd
}

// consoleActor is the administrator at the console: the OS account that
// runs the command is the most the log can truthfully say about who it is.
// Source "cli" tells the log's reader the change was not made over HTTP.
func consoleActor() authn.Actor {
	name := "console"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return authn.Actor{User: name, Source: "cli"}
}

// adminError gives an error of the administrator's operations its exit
// code: an unknown user or a bad name is bad usage (2), a password the
// policy refuses prints every violation with its code (1), a refused
// self-service change is access denied (3), anything else a problem (1).
// An error that has its code already keeps it.
func (e *env) adminError(err error) error {
	var pe *authn.PolicyError
	var le *authn.LockedError
	var ne *infobase.UserNameError
	var coded *exitError
	var done silent
	switch {
	case err == nil:
		return nil
	case errors.As(err, &coded), errors.As(err, &done):
		return err
	case errors.Is(err, infobase.ErrNoUser), errors.As(err, &ne):
		return usageError(err)
	case errors.As(err, &pe):
		fmt.Fprintln(e.stderr, "dostup: the password policy refuses the password:")
		for _, v := range pe.Violations {
			fmt.Fprintf(e.stderr, "  %s: %s\n", v.Code, v.Message)
		}
		return silent{code: ExitFailure}
	case errors.Is(err, authn.ErrCannotChangePassword), errors.Is(err, authn.ErrBadCredentials), errors.As(err, &le), errors.Is(err, authn.ErrTooManyAttempts):
		return &exitError{code: ExitDenied, err: err}
	}
	return failure(err)
}

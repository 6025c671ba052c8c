package cli

import (
	"context"
	"errors"
	"fmt"
	"os/user"

	"github.com/spf13/cobra"

	"dostup/infobase"
)

// sessionFlags are how a command that runs as a user names the infobase
// and the user it acts for.
type sessionFlags struct {
	dsn, user  string
	privileged bool
}

// userCmd makes a command that runs as an infobase user, giving it the
// --db, --user and --privileged flags it reads through who.
func userCmd(e *env, newCmd func(e *env, who *sessionFlags) *cobra.Command) *cobra.Command {
	who := &sessionFlags{}
	cmd := newCmd(e, who)
	who.add(cmd)
	return cmd
}

func (f *sessionFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.dsn, "db", "", dbUsage)
	cmd.Flags().StringVar(&f.user, "user", "", "the infobase user to act as (default: the user mapped to the OS account by os_user)")
	cmd.Flags().BoolVar(&f.privileged, "privileged", false, "a privileged session: every check off (the user needs Администрирование)")
}

// open opens the infobase and starts the session; the caller closes the
// infobase.
func (f *sessionFlags) open(ctx context.Context) (*infobase.Infobase, *infobase.Session, error) {
	ib, err := openInfobase(ctx, f.dsn)
	if err != nil {
		return nil, nil, err
	}
	s, err := f.session(ctx, ib)
	if err != nil {
		ib.Close()
		return nil, nil, err
	}
	return ib, s, nil
}

// session starts the session: the --user given, else the user the
// configuration maps to the OS account. There is no default with full
// rights: a command that cannot tell the user fails.
func (f *sessionFlags) session(ctx context.Context, ib *infobase.Infobase) (*infobase.Session, error) {
	name := f.user
	if name == "" {
		account, err := user.Current()
		if err != nil {
			return nil, usageError(fmt.Errorf("no --user given, and the OS account is unknown: %v", err))
		}
		u, err := ib.UserByOSAccount(ctx, account.Username)
		if errors.Is(err, infobase.ErrNoUser) {
			return nil, usageError(fmt.Errorf("no --user given, and no user of the infobase is mapped to the OS account %q (os_user): name the user with --user", account.Username))
		}
		if err != nil {
			return nil, failure(err)
		}
		name = u.Name
	}
	s, err := ib.NewSession(ctx, name, infobase.SessionOptions{Privileged: f.privileged})
	if errors.Is(err, infobase.ErrNotAdministrator) {
		return nil, &exitError{code: ExitDenied, err: err}
	}
	if err != nil {
		return nil, failure(err)
	}
	return s, nil
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"os/user"

	"github.com/spf13/cobra"

	"dostup/infobase"
)

// sessionFlags are how a command says who it acts for.
type sessionFlags struct {
	user       string
	privileged bool
}

func (f *sessionFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.user, "user", "", "the infobase user to act as (default: the user mapped to the OS account by os_user)")
	cmd.Flags().BoolVar(&f.privileged, "privileged", false, "a privileged session: every check off (the user needs Администрирование)")
}

// open starts the session: the --user given, else the user the
// configuration maps to the OS account. There is no default with full
// rights: a command that cannot tell the user fails.
func (f *sessionFlags) open(ctx context.Context, ib *infobase.Infobase) (*infobase.Session, error) {
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

package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"dostup/authn"
)

// The apps commands register the applications of seed [002]'s first step:
// programs that authenticate with a name and a secret and get a session
// with the application's roles, on which a user then logs in.

func newAppsAddCmd(e *env, dsn *string) *cobra.Command {
	var roles []string
	cmd := &cobra.Command{
		Use:   "add NAME --roles R1,R2",
		Short: "Register an application and print its secret",
		Long: `add registers the application NAME with the roles given (the configuration's,
in any letter case; none is allowed) and prints its secret on standard output,
alone, so a script can capture it. Only a hash of the secret is kept: it is
shown this once. Adding a name registered already gives it a new secret and
these roles; the old secret stops working. An unknown role exits 2.

  dostup apps add --db demo.db shop --roles Менеджер > shop.secret`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if strings.TrimSpace(name) == "" || len(name) > 100 {
				return usageError(errors.New("an application needs a name of 1 to 100 bytes, not blank"))
			}
			return e.asAdmin(cmd, *dsn, func(ctx context.Context, c *adminConsole) error {
				rs, err := resolveRoles(c.ib.Config, roles)
				if err != nil {
					return err
				}
				secret, err := c.Auth.AddApplication(ctx, name, rs, c.By)
				if err != nil {
					return failure(err)
				}
				fmt.Fprintln(e.stdout, secret)
				fmt.Fprintf(e.stderr, "registered application %s (roles: %s): its secret is shown only now; store it where the application reads it\n",
					name, strings.Join(rs, ", "))
				return nil
			})
		},
	}
	cmd.Flags().StringSliceVar(&roles, "roles", nil, "the application's roles, separated by commas (repeatable)")
	return cmd
}

func newAppsListCmd(e *env, dsn *string) *cobra.Command {
	return adminList(e, dsn, &cobra.Command{
		Use:   "list [--format table|json]",
		Short: "List the registered applications",
		Long:  `list prints the registered applications with their roles and when they were registered; secrets are never shown.`,
	}, func(ctx context.Context, c *adminConsole) ([]authn.Application, error) {
		return c.Auth.Applications(ctx)
	},
		[]string{"NAME", "ROLES", "REGISTERED"}, func(a authn.Application) []string {
			return []string{a.Name, strings.Join(a.Roles, ", "), a.Created.Local().Format("2006-01-02 15:04:05")}
		})
}

func newAppsCmd(e *env) *cobra.Command {
	return dbGroup(e, &cobra.Command{
		Use:   "apps",
		Short: "Register the applications that authenticate to an infobase",
		Long: `apps registers applications: programs that authenticate with their name and a
secret and get a session with the application's roles, on which a user then
logs in with a name and password (and a second factor for the roles that need
one). Registering is logged (_$InfoBase$_.ConfigUpdate).`,
	}, new(string), newAppsAddCmd, newAppsListCmd)
}

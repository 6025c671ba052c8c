package cli

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"dostup/authn"
	"dostup/rules"
	"dostup/rules/store"
	"dostup/server"
)

func newServeCmd(e *env) *cobra.Command {
	var dsn, addr, outbox, logFormat, rulesDir string
	var maxBody int64
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "serve --db DB [--addr 127.0.0.1:8080] [--otp-outbox FILE] [--rules DIR]",
		Short: "Serve the HTTP JSON API (OpenAPI at /api/openapi.json)",
		Long: `serve runs the HTTP JSON API over the infobase until interrupted (SIGINT or
SIGTERM), then stops gracefully: requests under way finish, new ones are refused.

Clients authenticate step by step (seed 002): POST /api/v1/auth/app with an
application's id and secret, POST /api/v1/auth/login with a user's name and
password, and POST /api/v1/auth/otp with a second factor when a role needs one.
A request that needs a role the session does not hold yet is answered 403 with
{"error":"step_up_required","required_role":...,"next":"login"|"otp"}.
Queries and object operations run as the user, through rights and record-level
security. GET /api/openapi.json describes every endpoint.

The first line printed is "listening on http://ADDR" (with --addr 127.0.0.1:0
the port is chosen by the system). Request logs go to stderr as text or JSON
(--log-format). Codes of the second factor sent to a device are appended to
--otp-outbox (a file), or logged when it is not given.

With --rules DIR the server decides with that rules register: POST
/api/v1/rules/decide for any session, and for administrators GET and POST
/api/v1/rules/orders to list and apply orders. Orders are kept in the
infobase, so every server on one database decides by an order from its next
decision.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needDB(dsn); err != nil {
				return err
			}
			var handler slog.Handler
			switch logFormat {
			case "text":
				handler = slog.NewTextHandler(e.stderr, nil)
			case "json":
				handler = slog.NewJSONHandler(e.stderr, nil)
			default:
				return usageError(fmt.Errorf("--log-format must be text or json, not %q", logFormat))
			}
			logger := slog.New(handler)
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			ib, err := openInfobase(ctx, dsn)
			if err != nil {
				return err
			}
			defer ib.Close()
			var sender authn.CodeSender = authn.LogSender{Logger: logger}
			if outbox != "" {
				sender = authn.FileSender{Path: outbox}
			}
			auth, err := authn.New(ctx, ib, authn.Config{Sender: sender})
			if err != nil {
				return failure(err)
			}
			var register *store.Store
			if rulesDir != "" {
				reg, err := rules.Load(rulesDir)
				if err != nil {
					return rulesLoadError(err)
				}
				queryInfobase(reg.Config, ib)
				if register, err = store.Open(ctx, ib.DB, reg); err != nil {
					return failure(err)
				}
			}
			srv, err := server.New(server.Config{Auth: auth, Logger: logger, MaxBody: maxBody, RequestTimeout: timeout, Rules: register})
			if err != nil {
				return failure(err)
			}
			err = srv.Serve(ctx, addr, func(a net.Addr) {
				fmt.Fprintf(e.stdout, "listening on http://%s\n", a)
			})
			if err != nil {
				return failure(err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dsn, "db", "", dbUsage)
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "the address to listen on")
	cmd.Flags().StringVar(&rulesDir, "rules", "", "a rules register (its YAML directory) for /api/v1/rules: decisions and orders, kept in the infobase")
	cmd.Flags().StringVar(&outbox, "otp-outbox", "", "a file that delivered second-factor codes are appended to (default: the log)")
	cmd.Flags().StringVar(&logFormat, "log-format", "text", "request log format on stderr: text or json")
	cmd.Flags().Int64Var(&maxBody, "max-body", 1<<20, "the largest request body in bytes")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "the longest a request may work")
	return cmd
}

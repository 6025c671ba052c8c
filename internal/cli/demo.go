package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"dostup/authn"
	"dostup/demo"
	"dostup/infobase"
)

func newDemoCmd(e *env) *cobra.Command {
	var dsn string
	var force bool
	var extraCounterparties, extraLines int
	cmd := &cobra.Command{
		Use:   "demo [--db DB] [--force]",
		Short: "Create the demo infobase",
		Long: `demo creates the demo infobase in DB (default demo.db): an SQLite file, or a
postgres:// URL. Its configuration is the complete example of
docs/configuration.md (organisations, users, counterparties in folders, goods,
sales documents, a price register and a stock register, roles Администратор,
Менеджер and Бухгалтер), and its data is fixed — 8 counterparties (2 folders),
4 posted sales documents with 5 lines summing to 32250.00, and so on — so
tests and scripts can rely on it. Reference ids are name-based UUIDs (package
dostup/demo, ID).

An existing infobase is never overwritten unless --force is given: an existing
SQLite file, or a PostgreSQL database whose schema already holds dostup's
` + infobase.MetaTable + ` table. With --force the SQLite file is removed first; on
PostgreSQL the tables of the demo and of the infobase found there are dropped.

It prints what it created and queries to try next.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if !infobase.IsPostgres(dsn) {
				if err := clearSQLite(dsn, force); err != nil {
					return err
				}
			}
			db, err := infobase.Open(ctx, dsn)
			if err != nil {
				return usageError(err)
			}
			defer db.Close()
			if infobase.IsPostgres(dsn) {
				if err := clearPostgres(ctx, db, dsn, force); err != nil {
					return err
				}
			}
			if extraCounterparties < 0 || extraLines < 0 {
				return usageError(fmt.Errorf("--counterparties and --lines take numbers from 0"))
			}
			if err := demo.Create(ctx, db); err != nil {
				return failure(err)
			}
			if extraCounterparties > 0 || extraLines > 0 {
				if err := demo.Scale(ctx, db, extraCounterparties, extraLines); err != nil {
					return failure(err)
				}
				fmt.Fprintf(e.stdout, "generated %d counterparties and %d document lines for benchmarks\n", extraCounterparties, extraLines)
			}
			creds, err := secureDemo(ctx, dsn)
			if err != nil {
				return failure(err)
			}
			fmt.Fprintf(e.stdout, "created the demo infobase %s:\n", redactDSN(dsn))
			for _, c := range demo.Counts() {
				fmt.Fprintf(e.stdout, "  %-36s %3d\n", c.Object, c.Rows)
			}
			fmt.Fprintf(e.stdout, `
users: admin (Администратор), ivanov and petrov (Менеджер: ООО Ромашка's and
ООО Лютик's records), sidorova (Бухгалтер: reads everything, writes nothing;
the role needs a second factor when she logs in over HTTP)

try next:
  dostup query --db %[1]s --user ivanov "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты"
  dostup query --db %[1]s --user ivanov "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты"    (exit 3: not all are his)
  dostup query --db %[1]s --user ivanov --sql "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер, Контрагент.Наименование, СуммаДокумента ИЗ Документ.РеализацияТоваров"
  dostup query --db %[1]s --user sidorova "ВЫБРАТЬ Организация, Номенклатура, КоличествоОстаток ИЗ РегистрНакопления.ОстаткиТоваров.Остатки()"
  dostup query --db %[1]s --user admin --param Папка=Покупатели "ВЫБРАТЬ Наименование, Организация.Наименование ИЗ Справочник.Контрагенты ГДЕ Родитель.Наименование = &Папка"
  dostup object put --db %[1]s --user ivanov Справочник.Контрагенты '{"Наименование": "ООО Новый", "Организация": {"Наименование": "ООО Лютик"}}'    (exit 3)
`, shellQuote(dsn))
			printCredentials(e, creds, dsn)
			return nil
		},
	}
	cmd.Flags().StringVar(&dsn, "db", "demo.db", "the infobase to create: an SQLite file or a postgres:// URL")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing infobase (its data is lost)")
	cmd.Flags().IntVar(&extraCounterparties, "counterparties", 0, "generate this many more counterparties (for benchmarks)")
	cmd.Flags().IntVar(&extraLines, "lines", 0, "generate posted documents with this many lines in all, four to a document (for benchmarks)")
	return cmd
}

// clearSQLite refuses an existing file without force, and with it removes
// the file and SQLite's journal files beside it, so the demo starts empty.
func clearSQLite(path string, force bool) error {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return usageError(err)
	}
	if st.IsDir() {
		return usageError(fmt.Errorf("%s is a folder, not an infobase file", path))
	}
	if !force {
		return usageError(fmt.Errorf("%s already exists: use --force to replace it (its data is lost)", path))
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return usageError(err)
		}
	}
	return nil
}

// clearPostgres refuses a schema that already holds an infobase without
// force, and with it drops the tables of the infobase stored there (in as
// many transactions as the server's lock table allows, resumable as Drop
// is) and of the demo, so Create starts on an empty schema.
func clearPostgres(ctx context.Context, db *infobase.DB, dsn string, force bool) error {
	exists, err := infobase.Exists(ctx, db)
	if err != nil {
		return usageError(err)
	}
	if !exists {
		return nil
	}
	if !force {
		return usageError(fmt.Errorf("%s already holds an infobase: use --force to replace it (its data is lost)", redactDSN(dsn)))
	}
	cfg, _, err := demo.Config()
	if err != nil {
		return failure(err)
	}
	if err := infobase.Drop(ctx, db, cfg); err != nil {
		var damaged *infobase.DamagedSchemaError
		if errors.As(err, &damaged) {
			return failure(fmt.Errorf("the stored schema in %s is damaged: %w", redactDSN(dsn), damaged.Err))
		}
		return failure(err)
	}
	return nil
}

// redactDSN hides a password in a postgres:// URL for messages.
func redactDSN(dsn string) string {
	scheme, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return dsn
	}
	userinfo, host, ok := strings.Cut(rest, "@")
	if !ok {
		return dsn
	}
	if user, _, hasPassword := strings.Cut(userinfo, ":"); hasPassword {
		return scheme + "://" + user + ":***@" + host
	}
	return dsn
}

// shellQuote quotes a --db value for the suggested commands when the shell
// would otherwise split or expand it (a URL's ? and &).
func shellQuote(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// secureDemo gives the demo its passwords, application and TOTP key.
func secureDemo(ctx context.Context, dsn string) (*demo.Credentials, error) {
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer ib.Close()
	auth, err := authn.New(ctx, ib, authn.Config{})
	if err != nil {
		return nil, err
	}
	return demo.Secure(ctx, auth)
}

// printCredentials shows how to walk the step-up of issue 7 on the demo.
func printCredentials(e *env, c *demo.Credentials, dsn string) {
	fmt.Fprintf(e.stdout, "\npasswords (for dostup serve):\n")
	for _, name := range []string{"admin", "ivanov", "petrov", "sidorova"} {
		fmt.Fprintf(e.stdout, "  %-9s %s\n", name, c.Passwords[name])
	}
	fmt.Fprintf(e.stdout, `application: %s, secret %s (shown only now; role Касса)
sidorova's TOTP key: %s
  %s

the step-up walk over HTTP:
  dostup serve --db %s &
  curl -s -XPOST localhost:8080/api/v1/auth/app -d '{"app":"%s","secret":"%s"}'     → token
  curl -s -XPOST localhost:8080/api/v1/auth/login -H "Authorization: Bearer $TOKEN" -d '{"user":"sidorova","password":"%s"}'
  curl -s -XPOST localhost:8080/api/v1/query -H "Authorization: Bearer $TOKEN" -d '{"text":"ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты"}'
      → 403 {"error":"step_up_required","required_role":"Бухгалтер","next":"otp"}
  curl -s -XPOST localhost:8080/api/v1/auth/otp -H "Authorization: Bearer $TOKEN" -d '{"code":"<the app's code>"}'    then the query again
`, c.App, c.AppSecret, c.TOTPSecret, c.TOTPURI, shellQuote(dsn), c.App, c.AppSecret, c.Passwords["sidorova"])
}

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"time"

	"dostup/demo"
	"dostup/infobase"
)

type options struct {
	counterparties, lines, rounds int
	sqlite, postgres              string
	reuse                         bool
	out, log                      io.Writer
}

// pair is one query of ivanov and the SQL a person would write for it with
// the same filter: his organisation's records (&Организация, bound as $1).
type pair struct {
	name  string
	query string
	// hand has %[1]s for the placeholder of ivanov's organisation and
	// %[2]s for the query's own value, where it has one: compiled queries
	// bind the values of their texts, and so does this SQL.
	hand  string
	value any
	// pgrls is the query as a team using PostgreSQL's own row-level
	// security writes it: no filter, the policies (pgPolicies) filter.
	pgrls string
}

var pairs = []pair{
	{
		name: "document lines by item",
		// A tabular section is governed by its document's restriction
		// (Организация = &Организация); the goods catalog is not restricted.
		query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Т.Номенклатура.Наименование КАК Товар, СУММА(Т.Сумма) КАК Сумма ИЗ Документ.РеализацияТоваров.Товары КАК Т СГРУППИРОВАТЬ ПО Т.Номенклатура.Наименование",
		hand: `SELECT n._description, SUM(t.summa)
FROM doc_realizatsiyatovarov__tovary t
JOIN doc_realizatsiyatovarov d ON d._id = t._owner_id
LEFT JOIN cat_nomenklatura n ON n._id = t.nomenklatura
WHERE d.organizatsiya = %[1]s
GROUP BY n._description`,
		pgrls: `SELECT n._description, SUM(t.summa)
FROM doc_realizatsiyatovarov__tovary t
LEFT JOIN cat_nomenklatura n ON n._id = t.nomenklatura
GROUP BY n._description`,
	},
	{
		name: "counterparties by INN",
		// Counterparties: his organisation's, and every folder.
		query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ К.Наименование, К.ИНН ИЗ Справочник.Контрагенты КАК К ГДЕ К.ИНН ПОДОБНО \"770000%\"",
		value: "770000%",
		hand: `SELECT k._description, k.inn
FROM cat_kontragenty k
WHERE k.inn LIKE %[2]s AND (k.organizatsiya = %[1]s OR k._is_folder)`,
		pgrls: `SELECT k._description, k.inn
FROM cat_kontragenty k
WHERE k.inn LIKE $1`,
	},
	{
		name: "documents of a month with counterparties",
		// The counterparty's name is read through a reference: forbidden
		// counterparties would read as NULL, so the join carries their
		// restriction.
		query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Д.Номер, Д.Контрагент.Наименование КАК Контрагент, Д.СуммаДокумента ИЗ Документ.РеализацияТоваров КАК Д ГДЕ Д.Дата МЕЖДУ ДАТАВРЕМЯ(2024, 3, 2) И ДАТАВРЕМЯ(2024, 3, 9)",
		hand: `SELECT d._number, k._description, d.summadokumenta
FROM doc_realizatsiyatovarov d
LEFT JOIN cat_kontragenty k ON k._id = d.kontragent AND (k.organizatsiya = %[1]s OR k._is_folder)
WHERE d.organizatsiya = %[1]s AND d._date BETWEEN '2024-03-02 00:00:00' AND '2024-03-09 00:00:00'`,
		pgrls: `SELECT d._number, k._description, d.summadokumenta
FROM doc_realizatsiyatovarov d
LEFT JOIN cat_kontragenty k ON k._id = d.kontragent
WHERE d._date BETWEEN '2024-03-02 00:00:00' AND '2024-03-09 00:00:00'`,
	},
}

// pgPolicies are ivanov's restrictions as PostgreSQL policies: the
// session's organisation comes from a setting of the transaction, read
// through a sub-select so that the planner evaluates it once (as Supabase
// advises), and a tabular section follows its document, whose own policy
// applies inside the sub-query. The section's policy is a correlated
// EXISTS, one index probe a line: the IN (SELECT ...) form Supabase shows
// for small membership tables cannot be hashed in PostgreSQL's default
// work_mem once the documents run to millions, and then rescans them for
// every line (a 10,000,000-line run did not finish in a quarter of an
// hour).
var pgPolicies = []struct{ table, using string }{
	{"cat_kontragenty", `organizatsiya = (SELECT current_setting('dostup.organizatsiya')::uuid) OR _is_folder`},
	{"doc_realizatsiyatovarov", `organizatsiya = (SELECT current_setting('dostup.organizatsiya')::uuid)`},
	{"doc_realizatsiyatovarov__tovary", `EXISTS (SELECT 1 FROM doc_realizatsiyatovarov d WHERE d._id = _owner_id)`},
}

// pgReader is the role the PostgreSQL RLS side connects as: policies do not
// bind a table's owner, so an application using them connects as another.
const pgReader = "dostup_bench_reader"

// setupPGRLS writes the policies on the infobase's tables (as their owner)
// and returns a pool connected as the reader role, which may only read.
func setupPGRLS(ctx context.Context, owner *sql.DB, dsn string) (*sql.DB, error) {
	var schema string
	if err := owner.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return nil, err
	}
	stmts := []string{
		`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '` + pgReader + `') THEN CREATE ROLE ` + pgReader + ` LOGIN; END IF; END $$`,
		`GRANT USAGE ON SCHEMA ` + schema + ` TO ` + pgReader,
		`GRANT SELECT ON ALL TABLES IN SCHEMA ` + schema + ` TO ` + pgReader,
	}
	for _, p := range pgPolicies {
		stmts = append(stmts,
			`ALTER TABLE `+p.table+` ENABLE ROW LEVEL SECURITY`,
			`DROP POLICY IF EXISTS ivanov_org ON `+p.table,
			`CREATE POLICY ivanov_org ON `+p.table+` FOR SELECT TO `+pgReader+` USING (`+p.using+`)`)
	}
	for _, st := range stmts {
		if _, err := owner.ExecContext(ctx, st); err != nil {
			return nil, fmt.Errorf("%s: %w", st, err)
		}
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, err
	}
	u.User = url.User(pgReader)
	return sql.Open("pgx", u.String())
}

// runPGRLS runs a query as the reader with the organisation set for the
// transaction, as a request handler of such an application would.
func runPGRLS(ctx context.Context, db *sql.DB, org, stmt string, args ...any) (int, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SELECT set_config('dostup.organizatsiya', $1, true)", org); err != nil {
		return 0, err
	}
	n, err := scanAll(ctx, tx, stmt, args...)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// result is one backend's measurements.
type result struct {
	backend string
	name    string
	rows    int
	ratio   float64
	// pgrls is dostup's time over PostgreSQL RLS's, 0 on SQLite.
	pgrls float64
}

func run(ctx context.Context, o options) error {
	var backends []struct{ name, dsn string }
	if o.sqlite != "" {
		backends = append(backends, struct{ name, dsn string }{"sqlite", o.sqlite})
	}
	if o.postgres != "" {
		backends = append(backends, struct{ name, dsn string }{"postgres", o.postgres})
	}
	var results []result
	for _, b := range backends {
		rs, err := measure(ctx, o, b.name, b.dsn)
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		results = append(results, rs...)
	}
	for _, r := range results {
		fmt.Fprintf(o.out, "rls/hand %s: %.2f (%s: %d rows)\n", r.backend, r.ratio, r.name, r.rows)
		if r.pgrls > 0 {
			fmt.Fprintf(o.out, "rls/pgrls %s: %.2f (%s: %d rows)\n", r.backend, r.pgrls, r.name, r.rows)
		}
	}
	return nil
}

// schemaURL makes a schema of its own in a PostgreSQL database (emptied
// unless reuse) and points the URL at it.
func schemaURL(ctx context.Context, dsn, schema string, reuse bool) (string, error) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if !reuse {
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
			return "", err
		}
	}
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		return "", err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// prepare builds the scaled demo, or keeps the one an earlier run built.
func prepare(ctx context.Context, o options, backend, dsn string) error {
	marker := fmt.Sprintf("%d/%d", o.counterparties, o.lines)
	if backend == "sqlite" && !o.reuse {
		_ = os.Remove(dsn)
	}
	db, err := infobase.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if o.reuse {
		var have string
		err := db.SQL.QueryRowContext(ctx, `SELECT value FROM _dostup_meta WHERE key = 'bench:scale'`).Scan(&have)
		if err == nil && have == marker {
			fmt.Fprintf(o.log, "%s: reusing the scaled demo (%s)\n", backend, marker)
			return nil
		}
		if backend == "sqlite" {
			db.Close()
			_ = os.Remove(dsn)
			if db, err = infobase.Open(ctx, dsn); err != nil {
				return err
			}
			defer db.Close()
		}
	}
	start := time.Now()
	if err := demo.Create(ctx, db); err != nil {
		return err
	}
	if err := demo.Scale(ctx, db, o.counterparties, o.lines); err != nil {
		return err
	}
	if _, err := db.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
		return err
	}
	if _, err := db.SQL.ExecContext(ctx, fmt.Sprintf(`INSERT INTO _dostup_meta (key, value) VALUES ('bench:scale', '%s')`, marker)); err != nil {
		return err
	}
	fmt.Fprintf(o.log, "%s: built the scaled demo (%d counterparties, %d lines) in %s\n", backend, o.counterparties, o.lines, time.Since(start).Round(time.Second))
	return nil
}

func measure(ctx context.Context, o options, backend, dsn string) ([]result, error) {
	if err := prepare(ctx, o, backend, dsn); err != nil {
		return nil, err
	}
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer ib.Close()
	ivanov, err := ib.NewSession(ctx, "ivanov", infobase.SessionOptions{})
	if err != nil {
		return nil, err
	}
	org, _ := ivanov.Param("Организация")
	var reader *sql.DB
	if backend == "postgres" {
		if reader, err = setupPGRLS(ctx, ib.DB.SQL, dsn); err != nil {
			return nil, fmt.Errorf("PostgreSQL RLS: %w", err)
		}
		defer reader.Close()
	}
	orgText := refText(org)
	var out []result
	for _, p := range pairs {
		hand := fmt.Sprintf(p.hand, ib.DB.Dialect.Placeholder(1), ib.DB.Dialect.Placeholder(2))
		args := []any{org}
		if p.value != nil {
			args = append(args, p.value)
		}
		runRLS := func() (int, error) {
			res, err := ivanov.Query(ctx, p.query, nil)
			if err != nil {
				return 0, err
			}
			return len(res.Rows), nil
		}
		runHand := func() (int, error) { return scanAll(ctx, ib.DB.SQL, hand, args...) }
		var pgArgs []any
		if p.value != nil {
			pgArgs = append(pgArgs, p.value)
		}
		runPG := func() (int, error) { return runPGRLS(ctx, reader, orgText, p.pgrls, pgArgs...) }
		// Both sides must give the same rows, or the ratio means nothing.
		n1, err := runRLS()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		n2, err := runHand()
		if err != nil {
			return nil, fmt.Errorf("%s, hand-written: %w", p.name, err)
		}
		if n1 != n2 {
			return nil, fmt.Errorf("%s: the compiled query gives %d rows, the hand-written SQL %d", p.name, n1, n2)
		}
		var tr, th, tp []time.Duration
		sides := []struct {
			f func() (int, error)
			t *[]time.Duration
		}{{runRLS, &tr}, {runHand, &th}}
		if reader != nil {
			n3, err := runPG()
			if err != nil {
				return nil, fmt.Errorf("%s, PostgreSQL RLS: %w", p.name, err)
			}
			if n3 != n1 {
				return nil, fmt.Errorf("%s: the compiled query gives %d rows, PostgreSQL RLS %d", p.name, n1, n3)
			}
			sides = append(sides, struct {
				f func() (int, error)
				t *[]time.Duration
			}{runPG, &tp})
		}
		for i := 0; i < o.rounds; i++ {
			for _, side := range sides {
				start := time.Now()
				if _, err := side.f(); err != nil {
					return nil, err
				}
				*side.t = append(*side.t, time.Since(start))
			}
		}
		r := result{backend: backend, name: p.name, rows: n1, ratio: float64(median(tr)) / float64(median(th))}
		fmt.Fprintf(o.log, "%s, %s: rls %s, hand %s", backend, p.name, median(tr), median(th))
		if tp != nil {
			r.pgrls = float64(median(tr)) / float64(median(tp))
			fmt.Fprintf(o.log, ", pgrls %s", median(tp))
		}
		fmt.Fprintln(o.log)
		out = append(out, r)
	}
	return out, nil
}

// refText is a reference session parameter as the text a setting holds.
func refText(v any) string {
	if r, ok := v.(infobase.Ref); ok {
		return r.ID
	}
	return fmt.Sprint(v)
}

// querier is a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func scanAll(ctx context.Context, db querier, stmt string, args ...any) (int, error) {
	rows, err := db.QueryContext(ctx, stmt, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

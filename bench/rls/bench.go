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
	},
	{
		name: "counterparties by INN",
		// Counterparties: his organisation's, and every folder.
		query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ К.Наименование, К.ИНН ИЗ Справочник.Контрагенты КАК К ГДЕ К.ИНН ПОДОБНО \"770000%\"",
		value: "770000%",
		hand: `SELECT k._description, k.inn
FROM cat_kontragenty k
WHERE k.inn LIKE %[2]s AND (k.organizatsiya = %[1]s OR k._is_folder)`,
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
	},
}

// result is one backend's measurements.
type result struct {
	backend string
	name    string
	rows    int
	ratio   float64
}

func run(ctx context.Context, o options) error {
	backends := []struct{ name, dsn string }{{"sqlite", o.sqlite}}
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
		var tr, th []time.Duration
		for i := 0; i < o.rounds; i++ {
			for _, side := range []struct {
				f func() (int, error)
				t *[]time.Duration
			}{{runRLS, &tr}, {runHand, &th}} {
				start := time.Now()
				if _, err := side.f(); err != nil {
					return nil, err
				}
				*side.t = append(*side.t, time.Since(start))
			}
		}
		out = append(out, result{backend: backend, name: p.name, rows: n1, ratio: float64(median(tr)) / float64(median(th))})
		fmt.Fprintf(o.log, "%s, %s: rls %s, hand %s\n", backend, p.name, median(tr), median(th))
	}
	return out, nil
}

func scanAll(ctx context.Context, db *sql.DB, stmt string, args ...any) (int, error) {
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

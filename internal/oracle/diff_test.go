package oracle_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"dostup/infobase"
	"dostup/internal/oracle"
	"dostup/internal/testdb"
	"dostup/metadata"
	"dostup/rls"
	"dostup/sqlgen"
)

// The differential test: a random configuration (roles with random
// restriction texts), random data and random queries, run by the engine on
// each backend and by the oracle, which must agree row for row (as
// multisets) or both deny access.
//
// Seeds: a fixed one and a random one per run; DOSTUP_DIFF_SEED=n replaces
// the random one to reproduce a run. DOSTUP_DIFF_QUERIES sets the number of
// queries per seed (default 150, each run in both modes by every user).

const fixedSeed = 20240601

func diffSeeds(t *testing.T) []uint64 {
	seeds := []uint64{fixedSeed}
	if s := os.Getenv("DOSTUP_DIFF_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("DOSTUP_DIFF_SEED=%q: %v", s, err)
		}
		return append(seeds[:0], n)
	}
	return append(seeds, uint64(time.Now().UnixNano())%1_000_000_000)
}

func TestDifferential(t *testing.T) {
	nq := 150
	if s := os.Getenv("DOSTUP_DIFF_QUERIES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("DOSTUP_DIFF_QUERIES=%q: %v", s, err)
		}
		nq = n
	}
	for _, seed := range diffSeeds(t) {
		t.Logf("seed %d (rerun with DOSTUP_DIFF_SEED=%d)", seed, seed)
		w := generate(seed, nq)
		cfg, err := metadata.LoadSources(map[string][]byte{"config.yaml": []byte(w.yaml)})
		if err != nil {
			t.Fatalf("seed %d: the generated configuration does not load: %v\n%s", seed, err, w.yaml)
		}
		data := oracle.NewDataset(cfg)
		for _, r := range w.rows {
			if _, err := data.Add(r.table, r.values); err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
		}
		orc := oracle.New(cfg, data)
		for _, backend := range testdb.Backends {
			t.Run(fmt.Sprintf("seed=%d/%s", seed, backend), func(t *testing.T) {
				runDiff(t, seed, w, cfg, data, orc, backend)
			})
		}
	}
}

func runDiff(t *testing.T, seed uint64, w *world, cfg *metadata.Configuration, data *oracle.Dataset, orc *oracle.Oracle, backend string) {
	ctx := context.Background()
	dsn := testdb.DSN(t, backend)
	db, err := infobase.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{Sources: map[string][]byte{"config.yaml": []byte(w.yaml)}}); err != nil {
		db.Close()
		t.Fatal(err)
	}
	if err := writeRows(ctx, db, cfg, data); err != nil {
		db.Close()
		t.Fatal(err)
	}
	db.Close()
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer ib.Close()

	r := &reporter{t: t, seed: seed, w: w}
	compared, denied := 0, 0
	for _, user := range w.users {
		es, eerr := ib.NewSession(ctx, user, infobase.SessionOptions{})
		os, oerr := orc.NewSession(user)
		if (eerr == nil) != (oerr == nil) {
			r.mismatch(fmt.Sprintf("user %s: starting a session", user), "", fmt.Sprintf("engine: %v", eerr), fmt.Sprintf("oracle: %v", oerr), "")
			continue
		}
		if eerr != nil {
			continue // both refuse the session (the user is missing from the catalog)
		}
		for _, q := range w.queries {
			for _, allowed := range []bool{true, false} {
				text := q.text(allowed)
				eres, eerr := es.Query(ctx, text, nil)
				ores, oerr := os.Query(text, nil)
				compared++
				var eae *rls.AccessError
				var oae *oracle.AccessError
				eDenied, oDenied := errors.As(eerr, &eae), errors.As(oerr, &oae)
				switch {
				case oerr != nil && !oDenied:
					t.Fatalf("seed %d: the oracle cannot run %s: %v", seed, text, oerr)
				case eerr != nil && !eDenied:
					r.mismatch(fmt.Sprintf("user %s: the engine fails", user), text, "engine: "+eerr.Error(), describeOracle(ores, oerr), sqlOf(es, text))
					continue
				case eDenied && oDenied:
					denied++
					continue
				case eDenied != oDenied:
					r.mismatch(fmt.Sprintf("user %s: access denied by one side only", user), text, describeEngine(eres, eerr), describeOracle(ores, oerr), sqlOf(es, text))
					continue
				}
				eRows, oRows := engineRows(eres), oracleRows(ores)
				if !sameRows(eRows, oRows) {
					r.mismatch(fmt.Sprintf("user %s: different rows", user), text, describeEngine(eres, nil), describeOracle(ores, nil), sqlOf(es, text))
					continue
				}
				// Properties, stated on their own. РАЗРЕШЕННЫЕ never returns a
				// forbidden record of the query's table.
				if allowed && q.refColumn >= 0 {
					for _, row := range eres.Rows {
						ref, ok := row[q.refColumn].(infobase.Ref)
						if !ok {
							continue
						}
						ok, err := os.Accessible(q.object, ref.ID, q.used)
						if err != nil {
							t.Fatalf("seed %d: %v", seed, err)
						}
						if !ok {
							r.mismatch(fmt.Sprintf("user %s: РАЗРЕШЕННЫЕ returned a forbidden record %s", user, ref.ID), text, describeEngine(eres, nil), "", sqlOf(es, text))
						}
					}
				}
				// Without РАЗРЕШЕННЫЕ a query that runs returns every row its
				// own condition keeps: nothing is filtered.
				if !allowed {
					pres, err := orc.QueryPrivileged(text, nil)
					if err != nil {
						t.Fatalf("seed %d: %v", seed, err)
					}
					if !sameRows(eRows, oracleRows(pres)) {
						r.mismatch(fmt.Sprintf("user %s: a query without РАЗРЕШЕННЫЕ filtered rows", user), text, describeEngine(eres, nil), describeOracle(pres, nil), sqlOf(es, text))
					}
				}
			}
		}
	}
	t.Logf("seed %d, %s: %d queries compared, %d denied by both, %d mismatches", seed, backend, compared, denied, r.count)
	r.flush()
}

// ------------------------------------------------------------ reporting

type reporter struct {
	t       *testing.T
	seed    uint64
	w       *world
	count   int
	printed bool
}

const maxReported = 8

func (r *reporter) mismatch(what, query, engine, oracle, sql string) {
	r.t.Helper()
	r.count++
	if r.count > maxReported {
		return
	}
	if !r.printed {
		r.printed = true
		r.t.Logf("seed %d: restrictions of the generated configuration:\n%s", r.seed, r.w.restrictionTexts())
	}
	r.t.Errorf("seed %d: %s\nquery:  %s\n%s\n%s\nSQL:\n%s", r.seed, what, query, engine, oracle, sql)
}

func (r *reporter) flush() {
	if r.count > maxReported {
		r.t.Errorf("seed %d: %d more mismatches not shown", r.seed, r.count-maxReported)
	}
}

func sqlOf(s *infobase.Session, text string) string {
	stmts, err := s.Compile(text)
	if err != nil {
		return "  (does not compile: " + err.Error() + ")"
	}
	var b strings.Builder
	for _, st := range stmts {
		for _, c := range st.Checks {
			fmt.Fprintf(&b, "  check: %s\n    args: %v\n", c.SQL, c.Args)
		}
		fmt.Fprintf(&b, "  %s\n    args: %v\n", st.SQL, st.Args)
	}
	return b.String()
}

func describeEngine(res *infobase.Result, err error) string {
	if err != nil {
		return "engine: " + err.Error()
	}
	return fmt.Sprintf("engine: %d rows %v", len(res.Rows), engineRows(res))
}

func describeOracle(res *oracle.Result, err error) string {
	if err != nil {
		return "oracle: " + err.Error()
	}
	return fmt.Sprintf("oracle: %d rows %v", len(res.Rows), oracleRows(res))
}

// ------------------------------------------------------------ comparing

// cell prints a value for comparison: formatting differences (number
// scale, Ref presentations, time zones) are ignored.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		return strconv.FormatBool(x)
	case string:
		return strconv.Quote(x)
	case infobase.Number:
		return number(string(x))
	case oracle.Number:
		return number(string(x))
	case int64:
		return number(strconv.FormatInt(x, 10))
	case float64:
		return number(strconv.FormatFloat(x, 'f', -1, 64))
	case infobase.Ref:
		return "@" + strings.ToLower(x.ID)
	case oracle.Ref:
		return "@" + strings.ToLower(x.ID)
	case time.Time:
		return x.UTC().Format(time.DateTime)
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

func number(s string) string {
	n, ok := oracle.CanonicalNumber(s)
	if !ok {
		return "number?" + s
	}
	return string(n)
}

func rowsOf(rows [][]any) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = cell(v)
		}
		out = append(out, strings.Join(cells, " | "))
	}
	sort.Strings(out)
	return out
}

func engineRows(res *infobase.Result) []string {
	if res == nil {
		return nil
	}
	return rowsOf(res.Rows)
}

func oracleRows(res *oracle.Result) []string {
	if res == nil {
		return nil
	}
	return rowsOf(res.Rows)
}

func sameRows(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ------------------------------------------------------------ writing rows

// writeRows inserts the dataset through the schema's mapping, every value
// as a bound argument, in one transaction.
func writeRows(ctx context.Context, db *infobase.DB, cfg *metadata.Configuration, data *oracle.Dataset) error {
	schema := sqlgen.SchemaOf(cfg)
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	q, p := db.Dialect.Quote, db.Dialect.Placeholder
	// Objects before sections: sections' owners must exist for nothing, but
	// the order keeps failures readable.
	tables := data.Tables()
	sort.SliceStable(tables, func(i, j int) bool { return strings.Count(tables[i], ".") < strings.Count(tables[j], ".") })
	for _, name := range tables {
		parts := strings.Split(name, ".")
		om := schema.Object(cfg, parts[0]+"."+parts[1])
		table, fields := om.Table, om.Fields
		if len(parts) == 3 {
			sm := om.Sections[strings.ToLower(parts[2])]
			table, fields = sm.Table, sm.Fields
		}
		rows, _ := data.Rows(name)
		for _, row := range rows {
			cols := map[string]any{}
			for attr, v := range row {
				f, ok := fields[attr]
				if !ok || f.Column == "" {
					return fmt.Errorf("%s: no single column for %s", name, attr)
				}
				switch x := v.(type) {
				case nil:
					continue
				case *big.Rat:
					n, _ := oracle.CanonicalNumber(x.RatString())
					if !x.IsInt() {
						n, _ = oracle.CanonicalNumber(x.FloatString(10))
					}
					v = sqlgen.DecimalText(n)
				}
				if attr == "версияданных" {
					v = int64(1)
				}
				if attr == "номерстроки" {
					n, _ := strconv.ParseInt(string(v.(sqlgen.DecimalText)), 10, 64)
					v = n
				}
				cols[f.Column] = v
			}
			names := make([]string, 0, len(cols))
			for c := range cols {
				names = append(names, c)
			}
			sort.Strings(names)
			quoted, marks, args := make([]string, len(names)), make([]string, len(names)), make([]any, len(names))
			for i, c := range names {
				quoted[i], marks[i], args[i] = q(c), p(i+1), db.Dialect.Arg(cols[c])
			}
			stmt := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", q(table.Name), strings.Join(quoted, ", "), strings.Join(marks, ", "))
			if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return tx.Commit()
}

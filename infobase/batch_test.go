package infobase_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"dostup/infobase"
	"dostup/internal/testdb"
)

// dbState is what an Init leaves: every table with its columns and row
// count, and every row of the meta table.
type dbState struct {
	Tables map[string]string // name → sorted columns, row count
	Meta   map[string]string
}

func stateOf(t *testing.T, db *infobase.DB) dbState {
	t.Helper()
	ctx := context.Background()
	q := db.Dialect.Quote
	st := dbState{Tables: map[string]string{}, Meta: map[string]string{}}
	for _, name := range tables(t, db) {
		rows, err := db.SQL.QueryContext(ctx, db.Dialect.ColumnsQuery(), name)
		if err != nil {
			t.Fatal(err)
		}
		var cols []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			cols = append(cols, c)
		}
		rows.Close()
		slices.Sort(cols)
		var n int
		if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+q(name)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		st.Tables[name] = fmt.Sprintf("%s; %d rows", strings.Join(cols, ","), n)
	}
	rows, err := db.SQL.QueryContext(ctx, "SELECT key, value FROM "+q(infobase.MetaTable))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		st.Meta[k] = v
	}
	return st
}

func sameState(t *testing.T, got, want dbState) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	for name, w := range want.Tables {
		if g, ok := got.Tables[name]; !ok || g != w {
			t.Errorf("table %s: got %q, want %q", name, g, w)
		}
	}
	for name := range got.Tables {
		if _, ok := want.Tables[name]; !ok {
			t.Errorf("table %s should not be there", name)
		}
	}
	for k, w := range want.Meta {
		if g, ok := got.Meta[k]; !ok || g != w {
			t.Errorf("meta %s differs (present: %v)", k, ok)
		}
	}
	for k := range got.Meta {
		if _, ok := want.Meta[k]; !ok {
			t.Errorf("meta %s should not be there", k)
		}
	}
}

func openUnfinished(t *testing.T, dsn string) {
	t.Helper()
	ib, err := infobase.OpenInfobase(context.Background(), dsn)
	if err == nil {
		ib.Close()
	}
	if !errors.Is(err, infobase.ErrUnfinished) {
		t.Errorf("opening a half-changed infobase: %v", err)
	}
}

// A configuration of thousands of tables — a real application has 5,600
// — does not fit the lock table of one transaction of PostgreSQL as it
// comes (max_locks_per_transaction 64: "out of shared memory"). Init
// creates them in many transactions; one cut short (here by a cancelled
// context) and run again ends as a clean one; Drop copes the same way.
func TestInitThousandsOfTablesOnDefaultPostgres(t *testing.T) {
	const n = 3000
	var src strings.Builder
	src.WriteString("catalogs:\n")
	for i := range n {
		fmt.Fprintf(&src, "  - name: Справочник%04d\n    attributes:\n      - {name: Реквизит, type: Строка(10)}\n", i)
	}
	cfg := load(t, src.String())
	opts := infobase.InitOptions{Sources: map[string][]byte{"c.yaml": []byte(src.String())}}
	ctx := context.Background()

	clean := testdb.Open(t, "postgres")
	// The test database's own cleanup (DROP SCHEMA … CASCADE) is one
	// transaction too, which thousands of tables do not fit.
	t.Cleanup(func() {
		if err := infobase.Drop(ctx, clean, cfg); err != nil {
			t.Error(err)
		}
	})
	// Creating a table locks four relations (table, key, TOAST table and
	// its index); the lock table has room for max_locks_per_transaction ×
	// (max_connections + max_prepared_transactions) of them.
	var locks, conns, prepared int
	if err := clean.SQL.QueryRowContext(ctx, "SELECT current_setting('max_locks_per_transaction')::int, current_setting('max_connections')::int, current_setting('max_prepared_transactions')::int").Scan(&locks, &conns, &prepared); err != nil {
		t.Fatal(err)
	}
	if locks != 64 {
		t.Logf("max_locks_per_transaction is %d, not PostgreSQL's default 64", locks)
	}
	if room := locks * (conns + prepared); 4*n <= room {
		t.Logf("%d tables would fit the lock table (%d) in one transaction: this test proves less here", n, room)
	}
	start := time.Now()
	rep, err := infobase.Init(ctx, clean, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Init of %d tables: %v", n, time.Since(start))
	if len(rep.CreatedTables) != n {
		t.Fatalf("created %d tables, want %d", len(rep.CreatedTables), n)
	}
	want := stateOf(t, clean)
	have := 0
	for name := range want.Tables {
		if strings.HasPrefix(name, "cat_") {
			have++
		}
	}
	if have != n {
		t.Fatalf("%d catalog tables exist, want %d", have, n)
	}
	for k := range want.Meta {
		if k != "schema" && k != "config:c.yaml" && k != "compiled" {
			t.Errorf("a clean Init left meta key %s", k)
		}
	}

	dsn := testdb.DSN(t, "postgres")
	db, err := infobase.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	t.Cleanup(func() {
		if err := infobase.Drop(ctx, db, cfg); err != nil {
			t.Error(err)
		}
	})
	cut, cancel := context.WithCancel(ctx)
	defer cancel()
	restore := infobase.SetBatchForTest(0, func(commits int) error {
		if commits == 20 {
			cancel() // as an interrupt would, between two transactions
		}
		return nil
	})
	_, err = infobase.Init(cut, db, cfg, opts)
	restore()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("the cut Init: %v", err)
	}
	if got := len(tables(t, db)); got < 20 || got > n/2 {
		t.Fatalf("the cut Init left %d tables, want some of %d", got, n)
	}
	openUnfinished(t, dsn)
	rep, err = infobase.Init(ctx, db, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Resumed || len(rep.CreatedTables) == 0 || len(rep.CreatedTables) == n {
		t.Errorf("the Init that finished: resumed %v, created %d", rep.Resumed, len(rep.CreatedTables))
	}
	sameState(t, stateOf(t, db), want)

	// Drop cut short leaves an infobase Drop empties when run again.
	restore = infobase.SetBatchForTest(0, func(commits int) error {
		if commits == 20 {
			return errors.New("injected")
		}
		return nil
	})
	err = infobase.Drop(ctx, db, cfg)
	restore()
	if err == nil || err.Error() != "injected" {
		t.Fatalf("the cut Drop: %v", err)
	}
	if ok, err := infobase.Exists(ctx, db); !ok || err != nil {
		t.Fatalf("the cut Drop took the meta table: %v, %v", ok, err)
	}
	openUnfinished(t, dsn)
	start = time.Now()
	if err := infobase.Drop(ctx, db, cfg); err != nil {
		t.Fatal(err)
	}
	t.Logf("Drop of the rest: %v", time.Since(start))
	if left := tables(t, db); len(left) != 0 {
		t.Errorf("Drop left %d tables: %v", len(left), left[:min(len(left), 5)])
	}
}

// Init cut short at any of its transactions and run again ends as an Init
// that was not cut short: tables created, columns added, retyped and
// dropped, tables dropped, enumeration values and predefined items; Drop
// cut short and run again leaves no table. A
// budget of one lock puts every step in a transaction of its own, so that
// SQLite, which otherwise takes the whole change in one, is cut too.
func TestInitResumesWhereItWasCut(t *testing.T) {
	const v1 = `catalogs:
  - name: К
    attributes:
      - {name: А, type: Строка(10)}
      - {name: Б, type: Булево}
      - {name: В, type: "Число(5)"}
  - name: Старый
enums:
  - {name: Виды, values: [Первый]}
`
	const v2 = `catalogs:
  - name: К
    attributes:
      - {name: А, type: Строка(10)}
      - {name: В, type: Дата}
      - {name: Г, type: Строка(5)}
  - name: Новый
    predefined: [Первый, Второй]
    tabular_sections:
      - name: Т
        attributes:
          - {name: Д, type: Булево}
documents:
  - name: Д
enums:
  - {name: Виды, values: [Первый, Второй, Третий]}
  - {name: Цвета, values: [Красный]}
`
	c1, c2 := load(t, v1), load(t, v2)
	o1 := infobase.InitOptions{Sources: map[string][]byte{"c.yaml": []byte(v1)}}
	o2 := infobase.InitOptions{AllowDrop: true, Sources: map[string][]byte{"c.yaml": []byte(v2)}}
	injected := errors.New("injected")
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			clean := testdb.Open(t, backend)
			if _, err := infobase.Init(ctx, clean, c1, o1); err != nil {
				t.Fatal(err)
			}
			if _, err := infobase.Init(ctx, clean, c2, o2); err != nil {
				t.Fatal(err)
			}
			want := stateOf(t, clean)
			for cutAt := 1; ; cutAt++ {
				dsn := testdb.DSN(t, backend)
				db, err := infobase.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := infobase.Init(ctx, db, c1, o1); err != nil {
					t.Fatal(err)
				}
				restore := infobase.SetBatchForTest(1, func(commits int) error {
					if commits == cutAt {
						return injected
					}
					return nil
				})
				_, err = infobase.Init(ctx, db, c2, o2)
				restore()
				if err == nil {
					db.Close()
					if cutAt < 5 {
						t.Fatalf("Init took only %d transactions", cutAt)
					}
					break
				}
				if !errors.Is(err, injected) {
					t.Fatalf("cut at %d: %v", cutAt, err)
				}
				openUnfinished(t, dsn)
				if _, err := infobase.Init(ctx, db, c2, o2); err != nil {
					t.Fatalf("cut at %d, run again: %v", cutAt, err)
				}
				sameState(t, stateOf(t, db), want)
				// So is Drop.
				restore = infobase.SetBatchForTest(1, func(commits int) error {
					if commits == cutAt {
						return injected
					}
					return nil
				})
				err = infobase.Drop(ctx, db, c2)
				restore()
				if err != nil && !errors.Is(err, injected) {
					t.Fatalf("Drop cut at %d: %v", cutAt, err)
				}
				if err := infobase.Drop(ctx, db, c2); err != nil {
					t.Fatalf("Drop cut at %d, run again: %v", cutAt, err)
				}
				if left := tables(t, db); len(left) != 0 {
					t.Errorf("Drop cut at %d, run again, left %v", cutAt, left)
				}
				db.Close()
			}
		})
	}
}

// SQLite holds any number of tables in one transaction: Init and Drop
// take one, so that a failed one changes nothing.
func TestInitOneTransactionOnSQLite(t *testing.T) {
	var src strings.Builder
	src.WriteString("catalogs:\n")
	for i := range 50 {
		fmt.Fprintf(&src, "  - name: Справочник%02d\n", i)
	}
	cfg := load(t, src.String())
	db := testdb.Open(t, "sqlite")
	defer infobase.SetBatchForTest(0, func(commits int) error {
		t.Errorf("committed part-way, after %d transactions", commits)
		return nil
	})()
	if _, err := infobase.Init(context.Background(), db, cfg, infobase.InitOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := infobase.Drop(context.Background(), db, cfg); err != nil {
		t.Fatal(err)
	}
}

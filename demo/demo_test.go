package demo_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"dostup/demo"
	"dostup/internal/testdb"
	"dostup/sqlgen"
)

// The ids are fixed: scripts and the README may spell them out. The golden
// values were computed independently with Python's uuid.uuid5.
func TestIDGolden(t *testing.T) {
	cases := []struct{ object, name, want string }{
		{"Справочник.Контрагенты", "Кирпичный завод", "859cb3e1-dbc2-54a9-ac6a-fa1a594396a4"},
		{"Перечисление.ВидДвиженияНакопления", "Приход", demo.ReceiptID},
		{"Перечисление.ВидДвиженияНакопления", "Расход", demo.ExpenseID},
	}
	for _, c := range cases {
		if got := demo.ID(c.object, c.name); got != c.want {
			t.Errorf("ID(%q, %q) = %s, want %s", c.object, c.name, got, c.want)
		}
	}
	if demo.ReceiptID != "367379c0-897b-55a6-aea0-f7057589e285" || demo.ExpenseID != "0c351939-ea95-5dd1-8e21-8e671da88b11" {
		t.Errorf("record type ids changed: %s, %s", demo.ReceiptID, demo.ExpenseID)
	}
}

func TestConfig(t *testing.T) {
	cfg, sources, err := demo.Config()
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Objects) != 7 || len(cfg.Roles) != 4 || len(cfg.Users) != 4 {
		t.Errorf("%d objects, %d roles, %d users", len(cfg.Objects), len(cfg.Roles), len(cfg.Users))
	}
	if len(sources) != 2 || sources["configuration.yaml"] == nil || sources["roles.yaml"] == nil {
		t.Errorf("sources: %d files", len(sources))
	}
}

func TestCreate(t *testing.T) {
	cfg, _, err := demo.Config()
	if err != nil {
		t.Fatal(err)
	}
	schema := sqlgen.SchemaOf(cfg)
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			db := testdb.Open(t, backend)
			if err := demo.Create(ctx, db); err != nil {
				t.Fatal(err)
			}
			q := db.Dialect.Quote
			// table is the quoted table of an object or of a tabular section
			// ("Документ.РеализацияТоваров.Товары").
			table := func(object string) string {
				parts := strings.Split(object, ".")
				om := schema.Object(cfg, parts[0]+"."+parts[1])
				if len(parts) == 3 {
					return q(om.Sections[strings.ToLower(parts[2])].Table.Name)
				}
				return q(om.Table.Name)
			}
			count := func(from string) int {
				t.Helper()
				var n int
				if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+from).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			// The counts Counts reports are the rows in the tables.
			for _, c := range demo.Counts() {
				if got := count(table(c.Object)); got != c.Rows {
					t.Errorf("%s: %d rows, Counts says %d", c.Object, got, c.Rows)
				}
			}
			// What the issue fixes, independently of Counts.
			k := schema.Object(cfg, "Справочник.Контрагенты")
			if n := count(table("Справочник.Контрагенты")); n != 8 {
				t.Errorf("%d counterparties, want 8", n)
			}
			var folders int
			if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+q(k.Table.Name)+" WHERE "+q(k.Fields["этогруппа"].Column)+" = "+db.Dialect.Placeholder(1),
				db.Dialect.Arg(true)).Scan(&folders); err != nil || folders != 2 {
				t.Errorf("%d folders, %v", folders, err)
			}
			if n := count(table("Документ.РеализацияТоваров")); n != 4 {
				t.Errorf("%d documents, want 4", n)
			}
			lines := table("Документ.РеализацияТоваров.Товары")
			if n := count(lines); n != 5 {
				t.Errorf("%d document lines, want 5", n)
			}
			doc := schema.Object(cfg, "Документ.РеализацияТоваров")
			goods := doc.Sections["товары"]
			sum := q(goods.Fields["сумма"].Column)
			var total string
			if err := db.SQL.QueryRowContext(ctx, "SELECT SUM("+sum+") FROM "+lines).Scan(&total); err != nil {
				t.Fatal(err)
			}
			if !decimalEqual(t, total, "32250") {
				t.Errorf("sum of the lines %s, want 32250", total)
			}
			// Every document's СуммаДокумента is the sum of its lines.
			rows, err := db.SQL.QueryContext(ctx, "SELECT d."+q(doc.Fields["номер"].Column)+", d."+q(doc.Fields["суммадокумента"].Column)+", SUM(l."+sum+")"+
				" FROM "+q(doc.Table.Name)+" d JOIN "+lines+" l ON l."+q(goods.Fields["ссылка"].Column)+" = d."+q(doc.Fields["ссылка"].Column)+
				" GROUP BY d."+q(doc.Fields["номер"].Column)+", d."+q(doc.Fields["суммадокумента"].Column)+" ORDER BY 1")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			want := map[string]string{"РТ-0001": "19500", "РТ-0002": "2500", "РТ-0003": "8000", "РТ-0004": "2250"}
			seen := 0
			for rows.Next() {
				var number, docSum, lineSum string
				if err := rows.Scan(&number, &docSum, &lineSum); err != nil {
					t.Fatal(err)
				}
				seen++
				if !decimalEqual(t, docSum, lineSum) || !decimalEqual(t, docSum, want[number]) {
					t.Errorf("%s: СуммаДокумента %s, lines %s, want %s", number, docSum, lineSum, want[number])
				}
			}
			if err := rows.Err(); err != nil || seen != 4 {
				t.Errorf("%d documents with lines, %v", seen, err)
			}
			// A reference reads back as its deterministic id, and a
			// counterparty's folder and organisation are the right ones.
			var parent, org string
			if err := db.SQL.QueryRowContext(ctx, "SELECT "+q(k.Fields["родитель"].Column)+", "+q(k.Fields["организация"].Column)+" FROM "+q(k.Table.Name)+
				" WHERE "+q(k.Fields["ссылка"].Column)+" = "+db.Dialect.Placeholder(1), demo.ID("Справочник.Контрагенты", "Кирпичный завод")).Scan(&parent, &org); err != nil {
				t.Fatal(err)
			}
			if parent != demo.ID("Справочник.Контрагенты", "Покупатели") || org != demo.ID("Справочник.Организации", "ООО Ромашка") {
				t.Errorf("Кирпичный завод: parent %s, organisation %s", parent, org)
			}
			// admin has no organisation: an empty reference, not NULL.
			u := schema.Object(cfg, "Справочник.Пользователи")
			var adminOrg string
			if err := db.SQL.QueryRowContext(ctx, "SELECT "+q(u.Fields["организация"].Column)+" FROM "+q(u.Table.Name)+" WHERE "+q(u.Fields["наименование"].Column)+" = "+db.Dialect.Placeholder(1), "admin").Scan(&adminOrg); err != nil || adminOrg != sqlgen.EmptyRef {
				t.Errorf("admin's organisation %q, %v", adminOrg, err)
			}
			// The stock register balances: receipts minus expenses.
			reg := schema.Object(cfg, "РегистрНакопления.ОстаткиТоваров")
			qty, kind := q(reg.Fields["количество"].Column), q(reg.Fields["виддвижения"].Column)
			var balance string
			if err := db.SQL.QueryRowContext(ctx, "SELECT SUM(CASE WHEN "+kind+" = "+db.Dialect.Placeholder(1)+" THEN "+qty+" ELSE -"+qty+" END) FROM "+q(reg.Table.Name),
				demo.ReceiptID).Scan(&balance); err != nil {
				t.Fatal(err)
			}
			if !decimalEqual(t, balance, "5650") { // 3800 + 1500 + 200 + 150
				t.Errorf("stock balance %s, want 5650", balance)
			}
			// A second Create does not double the data.
			if err := demo.Create(ctx, db); err == nil {
				t.Error("a second Create succeeded")
			}
			if n := count(table("Справочник.Контрагенты")); n != 8 {
				t.Errorf("after a second Create: %d counterparties", n)
			}
		})
	}
}

// decimalEqual compares decimal texts exactly: SQLite sums NUMERIC columns
// as floats ("32250.0"), PostgreSQL as numeric ("32250.00").
func decimalEqual(t *testing.T, a, b string) bool {
	t.Helper()
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	if !ok1 || !ok2 {
		t.Errorf("not decimals: %q, %q", a, b)
		return false
	}
	return x.Cmp(y) == 0
}

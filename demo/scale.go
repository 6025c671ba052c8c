package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"dostup/infobase"
	"dostup/sqlgen"
)

// Scale adds generated data to a demo infobase for benchmarks:
// counterparties more counterparties (under the demo's folders, split
// between its organisations) and documents with lines lines in all, four
// to a document, each posted. Ids are name-based like the demo's own, so a
// scaled infobase is the same every time. Rows go in multi-row INSERTs in
// one transaction.
func Scale(ctx context.Context, db *infobase.DB, counterparties, lines int) error {
	cfg, _, err := Config()
	if err != nil {
		return err
	}
	schema := sqlgen.SchemaOf(cfg)
	tx, err := db.Writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	orgs := []string{ID(organizations, "ООО Ромашка"), ID(organizations, "ООО Лютик")}
	folders := []string{ID(counterparts, "Покупатели"), ID(counterparts, "Поставщики")}
	managers := []string{ID(users, "ivanov"), ID(users, "petrov")}
	items := []string{ID(goods, "Кирпич красный"), ID(goods, "Кирпич белый"), ID(goods, "Молоко"), ID(goods, "Хлеб")}

	bulk := &bulkInsert{ctx: ctx, tx: tx, db: db}
	k := schema.Object(cfg, counterparts)
	kcols := columns(k.Fields, "Ссылка", "ВерсияДанных", "ПометкаУдаления", "Предопределенный", "Код", "Наименование", "Родитель", "ЭтоГруппа", "Организация", "ИНН", "ОсновнойМенеджер")
	var krows [][]any
	ids := make([]string, counterparties)
	for i := 0; i < counterparties; i++ {
		ids[i] = ID(counterparts, fmt.Sprintf("Контрагент %d", i+1))
		krows = append(krows, []any{ids[i], int64(1), false, false, fmt.Sprintf("%09d", 1000+i), fmt.Sprintf("Контрагент %d", i+1),
			folders[i%2], false, orgs[i%2], fmt.Sprintf("77%08d", i), managers[i%2]})
	}
	if err := bulk.insert(k.Table.Name, kcols, krows); err != nil {
		return err
	}
	if counterparties == 0 {
		ids = []string{ID(counterparts, "Кирпичный завод")}
	}
	d := schema.Object(cfg, sales)
	dcols := columns(d.Fields, "Ссылка", "ВерсияДанных", "ПометкаУдаления", "Номер", "Дата", "Проведен", "Организация", "Контрагент", "СуммаДокумента")
	t := d.Sections["товары"]
	tcols := columns(t.Fields, "Ссылка", "НомерСтроки", "Номенклатура", "Количество", "Цена", "Сумма")
	var drows, trows [][]any
	base := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for n := 0; n*4 < lines; n++ {
		doc := ID(sales, fmt.Sprintf("ГЕН-%07d", n+1))
		var total int64
		for j := 0; j < 4 && n*4+j < lines; j++ {
			qty, price := int64(1+(n+j)%20), int64(1000+100*((n*7+j)%50)) // price in kopecks
			total += qty * price
			trows = append(trows, []any{doc, int64(j + 1), items[(n+j)%4], sqlgen.DecimalText(fmt.Sprintf("%d.000", qty)), money(price), money(qty * price)})
		}
		drows = append(drows, []any{doc, int64(1), false, fmt.Sprintf("ГЕН-%07d", n+1), base.Add(time.Duration(n) * time.Minute), true,
			orgs[n%2], ids[n%len(ids)], money(total)})
	}
	if err := bulk.insert(d.Table.Name, dcols, drows); err != nil {
		return err
	}
	if err := bulk.insert(t.Table.Name, tcols, trows); err != nil {
		return err
	}
	return tx.Commit()
}

// columns lists the columns of single-typed fields, in order.
func columns(fields map[string]sqlgen.Field, names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fields[strings.ToLower(n)].Column
	}
	return out
}

// bulkInsert writes rows many to a statement: one statement per row would
// spend most of a million rows' time on round trips.
type bulkInsert struct {
	ctx context.Context
	tx  *sql.Tx
	db  *infobase.DB
}

// rowsPerStatement keeps a statement's arguments well under both backends'
// limits (32766 in SQLite, 65535 in PostgreSQL).
const rowsPerStatement = 500

func (b *bulkInsert) insert(table string, cols []string, rows [][]any) error {
	q, p := b.db.Dialect.Quote, b.db.Dialect.Placeholder
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = q(c)
	}
	head := "INSERT INTO " + q(table) + " (" + strings.Join(quoted, ", ") + ") VALUES "
	for start := 0; start < len(rows); start += rowsPerStatement {
		chunk := rows[start:min(start+rowsPerStatement, len(rows))]
		var sb strings.Builder
		sb.WriteString(head)
		args := make([]any, 0, len(chunk)*len(cols))
		for i, r := range chunk {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for j, v := range r {
				if j > 0 {
					sb.WriteString(", ")
				}
				args = append(args, b.db.Dialect.Arg(v))
				sb.WriteString(p(len(args)))
			}
			sb.WriteString(")")
		}
		if _, err := b.tx.ExecContext(b.ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("filling %s: %w", table, err)
		}
	}
	return nil
}

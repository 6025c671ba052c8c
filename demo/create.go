package demo

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"dostup/infobase"
	"dostup/metadata"
	"dostup/sqlgen"
)

// Create makes db the demo infobase: it creates the demo configuration's
// schema with infobase.Init (its own transaction) and then writes all of the
// demo's data in one transaction, so on an error no data is half-written.
// db must be empty of the demo's data: a second Create fails on the
// catalogs' primary keys rather than doubling the rows.
func Create(ctx context.Context, db *infobase.DB) error {
	cfg, sources, err := Config()
	if err != nil {
		return err
	}
	if _, err := infobase.Init(ctx, db, cfg, infobase.InitOptions{Sources: sources}); err != nil {
		return fmt.Errorf("creating the demo's schema: %w", err)
	}
	tx, err := db.Writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	w := &writer{tx: tx, db: db, cfg: cfg, schema: sqlgen.SchemaOf(cfg)}
	if err := w.writeAll(ctx); err != nil {
		return fmt.Errorf("writing the demo's data: %w", err)
	}
	return tx.Commit()
}

// Count is how many rows of an object (or a tabular section,
// "Справочник.Контрагенты.Продукция") Create writes.
type Count struct {
	Object string
	Rows   int
}

// Counts lists what Create writes, in the order it writes it.
func Counts() []Count {
	var products, lines int
	for _, c := range counterpartyList() {
		products += len(c.products)
	}
	var movements int
	for _, s := range saleList() {
		lines += len(s.lines)
		movements += len(s.lines)
	}
	movements += len(openingStockList())
	return []Count{
		{organizations, len(organizationNames())},
		{users, len(userList())},
		{counterparts, len(folderNames()) + len(counterpartyList())},
		{counterparts + ".Продукция", products},
		{goods, len(goodsNames())},
		{sales, len(saleList())},
		{sales + ".Товары", lines},
		{prices, len(priceList())},
		{stock, movements},
	}
}

// ref is a reference value: the object it points to (its type, which a
// composite field stores in its tag column) and its id.
type ref struct{ object, id string }

func refTo(object, name string) ref { return ref{object, ID(object, name)} }

// value is one attribute's value in a row; the attribute is named as the
// configuration names it (standard ones in Russian). A nil value is NULL.
type value struct {
	attr string
	v    any
}

// writer inserts the demo's rows through the schema's mapping, so the data
// follows whatever tables and columns SchemaOf gives the configuration.
type writer struct {
	tx     *sql.Tx
	db     *infobase.DB
	cfg    *metadata.Configuration
	schema *sqlgen.Schema
	codes  map[string]int // the last code given per catalog
}

func (w *writer) writeAll(ctx context.Context) error {
	steps := []func(context.Context) error{w.organizations, w.users, w.counterparties, w.goods, w.sales, w.prices, w.stock}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) organizations(ctx context.Context) error {
	for _, name := range organizationNames() {
		if err := w.catalogItem(ctx, organizations, name); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) users(ctx context.Context) error {
	for _, u := range userList() {
		org := ref{organizations, sqlgen.EmptyRef}
		if u.org != "" {
			org = refTo(organizations, u.org)
		}
		if err := w.catalogItem(ctx, users, u.name, value{"Организация", org}); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) counterparties(ctx context.Context) error {
	for _, name := range folderNames() {
		// Folders are top-level and belong to no organisation: empty
		// references, not NULL, as 1C keeps them.
		err := w.catalogItem(ctx, counterparts, name,
			value{"ЭтоГруппа", true},
			value{"Родитель", ref{counterparts, sqlgen.EmptyRef}},
			value{"Организация", ref{organizations, sqlgen.EmptyRef}},
			value{"ОсновнойМенеджер", ref{users, sqlgen.EmptyRef}})
		if err != nil {
			return err
		}
	}
	for _, c := range counterpartyList() {
		err := w.catalogItem(ctx, counterparts, c.name,
			value{"ЭтоГруппа", false},
			value{"Родитель", refTo(counterparts, c.folder)},
			value{"Организация", refTo(organizations, c.org)},
			value{"ИНН", c.inn},
			value{"ОсновнойМенеджер", refTo(users, c.manager)})
		if err != nil {
			return err
		}
		for i, p := range c.products {
			err := w.sectionRow(ctx, counterparts, "Продукция", refTo(counterparts, c.name), i+1, value{"Наименование", p})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *writer) goods(ctx context.Context) error {
	for _, name := range goodsNames() {
		if err := w.catalogItem(ctx, goods, name); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) sales(ctx context.Context) error {
	for _, s := range saleList() {
		doc := refTo(sales, s.number)
		err := w.insert(ctx, sales, "",
			value{"Ссылка", doc},
			value{"ВерсияДанных", int64(1)},
			value{"ПометкаУдаления", false},
			value{"Номер", s.number},
			value{"Дата", s.date},
			value{"Проведен", true},
			value{"Организация", refTo(organizations, s.org)},
			value{"Контрагент", refTo(counterparts, s.counterparty)},
			value{"СуммаДокумента", money(s.total())})
		if err != nil {
			return err
		}
		for i, l := range s.lines {
			err := w.sectionRow(ctx, sales, "Товары", doc, i+1,
				value{"Номенклатура", refTo(goods, l.item)},
				value{"Количество", sqlgen.DecimalText(fmt.Sprintf("%d.000", l.quantity))},
				value{"Цена", money(l.price)},
				value{"Сумма", money(l.amount())})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *writer) prices(ctx context.Context) error {
	list := priceList()
	// In the order of the goods catalog, not the map's, so rows are written
	// the same way every time.
	for _, item := range goodsNames() {
		err := w.insert(ctx, prices, "",
			value{"Период", priceDate()},
			value{"Номенклатура", refTo(goods, item)},
			value{"Цена", money(list[item])})
		if err != nil {
			return err
		}
	}
	return nil
}

// stock writes ОстаткиТоваров: each organisation's opening stock, recorded
// by its first sale (see openingDate), then an expense per line of every
// sale, recorded by the sale at its date. Line numbers run per recorder, as
// in a 1C record set.
func (w *writer) stock(ctx context.Context) error {
	opening := map[string][]openingStock{}
	for _, o := range openingStockList() {
		opening[o.org] = append(opening[o.org], o)
	}
	for _, s := range saleList() {
		doc := refTo(sales, s.number)
		line := 0
		move := func(period any, recordType, org, item string, quantity int64) error {
			line++
			return w.insert(ctx, stock, "",
				value{"Период", period},
				value{"Регистратор", doc},
				value{"НомерСтроки", int64(line)},
				value{"Активность", true},
				value{"ВидДвижения", ref{recordTypes, recordType}},
				value{"Организация", refTo(organizations, org)},
				value{"Номенклатура", refTo(goods, item)},
				value{"Количество", sqlgen.DecimalText(fmt.Sprintf("%d.000", quantity))})
		}
		for _, o := range opening[s.org] {
			if err := move(openingDate(), ReceiptID, o.org, o.item, o.quantity); err != nil {
				return err
			}
		}
		delete(opening, s.org) // only the first sale of an organisation records it
		for _, l := range s.lines {
			if err := move(s.date, ExpenseID, s.org, l.item, l.quantity); err != nil {
				return err
			}
		}
	}
	return nil
}

// catalogItem writes a catalog item (or folder) named name with the next
// code and the standard attributes every new item has.
func (w *writer) catalogItem(ctx context.Context, catalog, name string, attrs ...value) error {
	o := w.cfg.Object(catalog)
	vals := []value{
		{"Ссылка", refTo(catalog, name)},
		{"ВерсияДанных", int64(1)},
		{"ПометкаУдаления", false},
		{"Предопределенный", false},
		{"Наименование", name},
	}
	if o.CodeLength > 0 {
		if w.codes == nil {
			w.codes = map[string]int{}
		}
		w.codes[catalog]++
		n := w.codes[catalog]
		// 1C numbers a string code with leading zeros to the code's length.
		var code any = fmt.Sprintf("%0*d", o.CodeLength, n)
		if o.CodeIsNumber {
			code = sqlgen.DecimalText(fmt.Sprint(n))
		}
		vals = append(vals, value{"Код", code})
	}
	return w.insert(ctx, catalog, "", append(vals, attrs...)...)
}

// sectionRow writes line number line of a tabular section of owner.
func (w *writer) sectionRow(ctx context.Context, object, section string, owner ref, line int, attrs ...value) error {
	vals := append([]value{{"Ссылка", owner}, {"НомерСтроки", int64(line)}}, attrs...)
	return w.insert(ctx, object, section, vals...)
}

// insert writes one row of object (or of its tabular section when section
// is not empty). Every value goes as a bound argument through the dialect's
// Arg, so both backends store values that compare the same way.
func (w *writer) insert(ctx context.Context, object, section string, vals ...value) error {
	om := w.schema.Object(w.cfg, object)
	if om == nil {
		return fmt.Errorf("%s is not in the demo configuration", object)
	}
	table, fields := om.Table, om.Fields
	if section != "" {
		sm := om.Sections[strings.ToLower(section)]
		if sm == nil {
			return fmt.Errorf("%s has no tabular section %s", object, section)
		}
		table, fields = sm.Table, sm.Fields
	}
	cols := map[string]any{}
	for _, v := range vals {
		if v.v == nil {
			continue // NULL: the column's default
		}
		f, ok := fields[strings.ToLower(v.attr)]
		if !ok {
			return fmt.Errorf("%s has no attribute %s", table.Object, v.attr)
		}
		r, isRef := v.v.(ref)
		switch {
		case f.Column != "" && isRef:
			cols[f.Column] = r.id
		case f.Column != "":
			cols[f.Column] = v.v
		case isRef && f.Parts["ref"] != "":
			// A composite field: the tag names the value's type by its
			// full name, the ref column holds the id.
			cols[f.Tag] = r.object
			cols[f.Parts["ref"]] = r.id
		default:
			return fmt.Errorf("%s.%s: the demo writes only references to composite fields", table.Object, v.attr)
		}
	}
	names := make([]string, 0, len(cols))
	for c := range cols {
		names = append(names, c)
	}
	sort.Strings(names) // a stable statement text for the same row shape
	q, p := w.db.Dialect.Quote, w.db.Dialect.Placeholder
	quoted := make([]string, len(names))
	marks := make([]string, len(names))
	args := make([]any, len(names))
	for i, c := range names {
		quoted[i] = q(c)
		marks[i] = p(i + 1)
		args[i] = w.db.Dialect.Arg(cols[c])
	}
	stmt := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", q(table.Name), strings.Join(quoted, ", "), strings.Join(marks, ", "))
	if _, err := w.tx.ExecContext(ctx, stmt, args...); err != nil {
		return fmt.Errorf("%s: %w", table.Object, err)
	}
	return nil
}

// money formats kopecks as a Число(15, 2) value.
func money(kopecks int64) sqlgen.DecimalText {
	return sqlgen.DecimalText(fmt.Sprintf("%d.%02d", kopecks/100, kopecks%100))
}

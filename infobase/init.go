package infobase

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"dostup/eventlog"
	"dostup/metadata"
	"dostup/sqlgen"
)

// InitOptions configures Init.
type InitOptions struct {
	// AllowDrop lets Init drop tables and columns the configuration no
	// longer has, and re-create columns whose type changed; their data is
	// lost. Without it such changes are refused and nothing is changed.
	AllowDrop bool
	// Sources are the configuration's files (name → content), stored in the
	// infobase so later commands need only --db.
	Sources map[string][]byte
}

// InitReport says what Init changed.
type InitReport struct {
	CreatedTables  []string
	AddedColumns   []string // table.column
	DroppedTables  []string
	DroppedColumns []string
	AdoptedTables  []string // existing tables the configuration maps to
	// Resumed is set when an earlier Init or Drop had been cut short and
	// this Init brought the infobase to its end state; what the earlier
	// one did is not in the lists above.
	Resumed bool
}

// Changed reports whether Init changed the schema.
func (r *InitReport) Changed() bool {
	return len(r.CreatedTables)+len(r.AddedColumns)+len(r.DroppedTables)+len(r.DroppedColumns) > 0
}

// ErrDestructive is wrapped by Init's error when the configuration would drop
// data and InitOptions.AllowDrop is not set.
var ErrDestructive = errors.New("destructive change refused")

// MetaTable is where Init keeps the stored schema and configuration: its
// presence is what makes a database an infobase (Exists), and the schema
// it holds is what Init compares a new configuration with and Drop drops.
const MetaTable = "_dostup_meta"

// DamagedSchemaError is a schema stored in MetaTable that does not read
// back, which Init never writes: something else changed the table. Callers
// that know where the database is say so.
type DamagedSchemaError struct {
	Err error // the decoder's
}

// Error says what is damaged; the place is the caller's to add.
func (e *DamagedSchemaError) Error() string { return "the stored schema is damaged: " + e.Err.Error() }

// Unwrap gives the decoder's error.
func (e *DamagedSchemaError) Unwrap() error { return e.Err }

// Init creates the schema of cfg in db, or brings an existing infobase's
// schema up to cfg: new objects and attributes are added; removed ones and
// changed types are refused unless opts.AllowDrop. A refused change changes
// nothing. On SQLite all of it happens in one transaction: on any error
// nothing is changed. On PostgreSQL, whose lock table one transaction
// cannot fill with thousands of tables (batch), the tables are changed a
// few to a transaction, each recording what it did, and the schema and
// configuration are stored last: an Init that fails part-way leaves an
// infobase that OpenInfobase refuses (ErrUnfinished) and that Init, run
// again, brings to the same end state as one that had not failed. The
// report of such a run says what that run did (InitReport.Resumed).
func Init(ctx context.Context, db *DB, cfg *metadata.Configuration, opts InitOptions) (*InitReport, error) {
	schema := sqlgen.SchemaOf(cfg)
	b, err := newBatch(ctx, db)
	if err != nil {
		return nil, err
	}
	defer b.rollback()
	tx := b.Tx()
	q := db.Dialect.Quote
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+q(MetaTable)+" (key TEXT PRIMARY KEY, value TEXT NOT NULL)"); err != nil {
		return nil, fmt.Errorf("creating %s: %w", MetaTable, err)
	}
	old, err := storedTables(ctx, tx, db)
	if err != nil {
		return nil, err
	}
	rep := &InitReport{}
	var mark string
	err = tx.QueryRowContext(ctx, "SELECT value FROM "+q(MetaTable)+" WHERE key = "+db.Dialect.Placeholder(1), metaUnfinished).Scan(&mark)
	switch {
	case err == nil:
		rep.Resumed = true
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	// One look at the catalogue instead of one per table: on PostgreSQL
	// the information schema answers each in milliseconds, which thousands
	// of tables add up to seconds.
	present := map[string]bool{}
	names, err := tableNames(ctx, tx, db)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		present[strings.ToLower(name)] = true
	}
	var changes []tableChange
	var refused []string
	newByName := map[string]*sqlgen.Table{}
	for _, t := range schema.Tables() {
		newByName[strings.ToLower(t.Name)] = t
	}
	for _, t := range schema.Tables() {
		prev, known := old[strings.ToLower(t.Name)]
		if !known {
			var existing []string
			if present[strings.ToLower(t.Name)] {
				if existing, err = existingColumns(ctx, tx, db, t.Name); err != nil {
					return nil, err
				}
			}
			if existing == nil {
				changes = append(changes, tableChange{name: t.Name, table: t, ddl: []string{createTable(db, t)}, locks: locksCreate})
				rep.CreatedTables = append(rep.CreatedTables, t.Name)
				continue
			}
			// A table the configuration maps to that dostup did not create:
			// keep it, add what it lacks.
			rep.AdoptedTables = append(rep.AdoptedTables, t.Name)
			prev = &sqlgen.Table{Name: t.Name}
			for _, c := range existing {
				if nc := t.Column(c); nc != nil {
					prev.Columns = append(prev.Columns, *nc)
				}
			}
		}
		ch := tableChange{name: t.Name, table: t}
		for _, c := range t.Columns {
			pc := prev.Column(c.Name)
			switch {
			case pc == nil:
				ch.ddl = append(ch.ddl, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", q(t.Name), q(c.Name), db.Dialect.Type(c.Type)))
				rep.AddedColumns = append(rep.AddedColumns, t.Name+"."+c.Name)
			case pc.Type != c.Type:
				if !opts.AllowDrop {
					refused = append(refused, fmt.Sprintf("column %s.%s (%s) changes type from %s to %s", t.Name, c.Name, t.Object, db.Dialect.Type(pc.Type), db.Dialect.Type(c.Type)))
					continue
				}
				ch.ddl = append(ch.ddl, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", q(t.Name), q(c.Name)),
					fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", q(t.Name), q(c.Name), db.Dialect.Type(c.Type)))
				rep.DroppedColumns = append(rep.DroppedColumns, t.Name+"."+c.Name)
				rep.AddedColumns = append(rep.AddedColumns, t.Name+"."+c.Name)
			}
		}
		for _, pc := range prev.Columns {
			if t.Column(pc.Name) == nil {
				if !opts.AllowDrop {
					refused = append(refused, fmt.Sprintf("column %s.%s of %s is no longer in the configuration", t.Name, pc.Name, t.Object))
					continue
				}
				ch.ddl = append(ch.ddl, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", q(t.Name), q(pc.Name)))
				rep.DroppedColumns = append(rep.DroppedColumns, t.Name+"."+pc.Name)
			}
		}
		if len(ch.ddl) > 0 {
			ch.locks = locksAlter
			changes = append(changes, ch)
		}
	}
	var gone []string
	for name := range old {
		if newByName[name] == nil {
			gone = append(gone, name)
		}
	}
	sort.Strings(gone)
	for _, name := range gone {
		t := old[name]
		if !opts.AllowDrop {
			refused = append(refused, fmt.Sprintf("table %s of %s is no longer in the configuration", t.Name, t.Object))
			continue
		}
		changes = append(changes, tableChange{name: t.Name, ddl: []string{"DROP TABLE " + q(t.Name)}, locks: locksDrop})
		rep.DroppedTables = append(rep.DroppedTables, t.Name)
	}
	if len(refused) > 0 {
		return nil, fmt.Errorf("%w: %s; nothing was changed (use --allow-drop to drop them and lose their data)", ErrDestructive, strings.Join(refused, "; "))
	}
	// From here the change may span transactions: the mark says so until
	// the last one, and each table's change commits with its record.
	if err := putMeta(ctx, tx, db, metaUnfinished, "init"); err != nil {
		return nil, err
	}
	for _, ch := range changes {
		err := b.step(ctx, ch.locks, func(tx *sql.Tx) error {
			for _, stmt := range ch.ddl {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", stmt, err)
				}
			}
			return putPending(ctx, tx, db, ch.name, ch.table)
		})
		if err != nil {
			return nil, err
		}
	}
	// The rows Init writes are written again by the next Init as they are
	// (ON CONFLICT), so they need no record.
	if err := putEnumValues(ctx, b, db, cfg, schema); err != nil {
		return nil, err
	}
	if err := putPredefined(ctx, b, db, cfg, schema); err != nil {
		return nil, err
	}
	stored, err := json.Marshal(schema.Tables())
	if err != nil {
		return nil, err
	}
	err = b.step(ctx, locksCreate+locksWrite, func(tx *sql.Tx) error {
		if err := createUsersTable(ctx, tx, db); err != nil {
			return err
		}
		if err := seedUsers(ctx, tx, db, cfg); err != nil {
			return err
		}
		if err := putMeta(ctx, tx, db, "schema", string(stored)); err != nil {
			return err
		}
		for name, content := range opts.Sources {
			if err := putMeta(ctx, tx, db, "config:"+name, string(content)); err != nil {
				return err
			}
		}
		// The sources' compiled form, which OpenInfobase reads instead of
		// them (compiled.go).
		if len(opts.Sources) > 0 {
			if err := storeCompiled(ctx, tx, db, cfg, opts.Sources); err != nil {
				return err
			}
		}
		// The stored schema now says what the records said, and more.
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+q(MetaTable)+" WHERE key LIKE '"+pendingPrefix+"%' OR key = "+db.Dialect.Placeholder(1), metaUnfinished); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := b.commit(); err != nil {
		return nil, err
	}
	// The change of configuration — roles and restrictions with it — goes
	// to the event log (§6). The log has its own transaction: on SQLite it
	// could not write while Init's held the database.
	log, err := eventlog.OpenPools(ctx, db.Writer, db.SQL, db.Dialect)
	if err != nil {
		return nil, err
	}
	files := make([]string, 0, len(opts.Sources))
	for name := range opts.Sources {
		files = append(files, name)
	}
	sort.Strings(files)
	if err := log.Append(ctx, eventlog.Event{Kind: eventlog.ConfigUpdate, Object: cfg.Name, Data: map[string]any{
		"files": files, "roles": len(cfg.Roles), "created_tables": len(rep.CreatedTables), "added_columns": len(rep.AddedColumns),
		"dropped_tables": len(rep.DroppedTables), "dropped_columns": len(rep.DroppedColumns)}}); err != nil {
		return nil, err
	}
	return rep, nil
}

// A tableChange is what Init does to one table, in one transaction with
// its record: table is the table after it, nil when it is dropped.
type tableChange struct {
	name  string
	table *sqlgen.Table
	ddl   []string
	locks int
}

func createTable(db *DB, t *sqlgen.Table) string {
	q := db.Dialect.Quote
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (", q(t.Name))
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", q(c.Name), db.Dialect.Type(c.Type))
		if contains(t.PrimaryKey, c.Name) {
			b.WriteString(" NOT NULL")
		}
	}
	if len(t.PrimaryKey) > 0 {
		keys := make([]string, len(t.PrimaryKey))
		for i, k := range t.PrimaryKey {
			keys[i] = q(k)
		}
		fmt.Fprintf(&b, ", PRIMARY KEY (%s)", strings.Join(keys, ", "))
	}
	b.WriteString(")")
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func putMeta(ctx context.Context, tx *sql.Tx, db *DB, key, value string) error {
	p := db.Dialect.Placeholder
	stmt := fmt.Sprintf("INSERT INTO %s (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		db.Dialect.Quote(MetaTable), p(1), p(2))
	_, err := tx.ExecContext(ctx, stmt, key, value)
	return err
}

// The keys of MetaTable beside "schema" and "config:NAME" that a change
// spanning transactions (batch) keeps until its end.
const (
	// metaUnfinished marks an infobase whose last Init or Drop (the value)
	// has not finished: its tables are not those of its stored
	// configuration.
	metaUnfinished = "unfinished"
	// pendingPrefix and a lower-cased table name key the table as a
	// committed step of an unfinished change left it: its JSON, or ""
	// when the step dropped it. They overlay the stored schema, so that a
	// change run again starts from what the database holds.
	pendingPrefix = "pending:"
)

// ErrUnfinished is wrapped by OpenInfobase's error when the last Init or
// Drop of the database did not finish: running it again finishes it.
var ErrUnfinished = errors.New("the last change of the schema did not finish")

func putPending(ctx context.Context, tx *sql.Tx, db *DB, name string, t *sqlgen.Table) error {
	value := ""
	if t != nil {
		raw, err := json.Marshal(t)
		if err != nil {
			return err
		}
		value = string(raw)
	}
	return putMeta(ctx, tx, db, pendingPrefix+strings.ToLower(name), value)
}

// storedTables reads the schema Init last stored, with what an unfinished
// change did since, by lower-cased table name.
func storedTables(ctx context.Context, q queryer, db *DB) (map[string]*sqlgen.Table, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT key, value FROM %s WHERE key = %s OR key LIKE '%s%%'",
		db.Dialect.Quote(MetaTable), db.Dialect.Placeholder(1), pendingPrefix), "schema")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var schema string
	pending := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		if k == "schema" {
			schema = v
		} else {
			pending[strings.TrimPrefix(k, pendingPrefix)] = v
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[string]*sqlgen.Table{}
	if schema != "" {
		var tables []*sqlgen.Table
		if err := json.Unmarshal([]byte(schema), &tables); err != nil {
			return nil, &DamagedSchemaError{Err: err}
		}
		for _, t := range tables {
			out[strings.ToLower(t.Name)] = t
		}
	}
	for name, raw := range pending {
		if raw == "" {
			delete(out, name)
			continue
		}
		var t sqlgen.Table
		if err := json.Unmarshal([]byte(raw), &t); err != nil {
			return nil, &DamagedSchemaError{Err: fmt.Errorf("the record of table %s: %w", name, err)}
		}
		out[name] = &t
	}
	return out, nil
}

// existingColumns lists the columns of a table the database already has, or
// nil when it has no such table.
func existingColumns(ctx context.Context, q queryer, db *DB, table string) ([]string, error) {
	return queryStrings(ctx, q, db.Dialect.ColumnsQuery(), table)
}

// putEnumValues keeps the rows of enumeration tables in step with the
// configuration: one row per value, its reference a name-based UUID.
func putEnumValues(ctx context.Context, b *batch, db *DB, cfg *metadata.Configuration, schema *sqlgen.Schema) error {
	q, p := db.Dialect.Quote, db.Dialect.Placeholder
	for _, o := range cfg.Objects {
		if o.Kind != metadata.Enum {
			continue
		}
		om := schema.Object(cfg, o.FullName(false))
		stmt := fmt.Sprintf("INSERT INTO %s (%s, %s, %s) VALUES (%s, %s, %s) ON CONFLICT (%s) DO UPDATE SET %s = excluded.%s, %s = excluded.%s",
			q(om.Table.Name), q("_id"), q("_order"), q("_name"), p(1), p(2), p(3), q("_id"), q("_order"), q("_order"), q("_name"), q("_name"))
		err := b.step(ctx, locksWrite, func(tx *sql.Tx) error {
			for i, v := range o.Values {
				if _, err := tx.ExecContext(ctx, stmt, sqlgen.EnumValueID(o, v), int64(i), v); err != nil {
					return fmt.Errorf("filling %s: %w", om.Table.Name, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// putPredefined makes the row of every predefined item that has none yet,
// its reference the name-based UUID ЗНАЧЕНИЕ(Вид.Имя.Элемент) compiles to.
// Rows already there are left as users changed them; every column gets its
// empty value, as objects do.
func putPredefined(ctx context.Context, b *batch, db *DB, cfg *metadata.Configuration, schema *sqlgen.Schema) error {
	q, p := db.Dialect.Quote, db.Dialect.Placeholder
	for _, o := range cfg.Objects {
		if len(o.Predefined) == 0 {
			continue
		}
		om := schema.Object(cfg, o.FullName(false))
		var cols, marks []string
		for i, c := range om.Table.Columns {
			cols = append(cols, q(c.Name))
			marks = append(marks, p(i+1))
		}
		stmt := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO NOTHING",
			q(om.Table.Name), strings.Join(cols, ", "), strings.Join(marks, ", "), q("_id"))
		err := b.step(ctx, locksWrite, func(tx *sql.Tx) error {
			for _, name := range o.Predefined {
				args := make([]any, len(om.Table.Columns))
				for i, c := range om.Table.Columns {
					args[i] = db.Dialect.Arg(emptyValue(c.Type))
				}
				set := func(field string, v any) {
					if f, ok := om.Fields[field]; ok && f.Column != "" {
						for i, c := range om.Table.Columns {
							if c.Name == f.Column {
								args[i] = db.Dialect.Arg(fit(v, c.Type))
							}
						}
					}
				}
				set("ссылка", sqlgen.PredefinedID(o, name))
				set("версияданных", int64(1))
				set("предопределенный", true)
				set("наименование", name)
				if item := predefinedItem(o, name); item != nil {
					setPredefined(o, item, set)
				}
				if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
					return fmt.Errorf("predefined item %s of %s: %w", name, o.FullName(false), err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// predefinedItem is what the configuration says of a predefined item
// beyond its name, or nil.
func predefinedItem(o *metadata.Object, name string) *metadata.PredefinedItem {
	for _, it := range o.PredefinedItems {
		if it.Name == name {
			return it
		}
	}
	return nil
}

// setPredefined gives a predefined item's row what the configuration says
// of it: its code, description, parent and, for an account, its Вид,
// Забалансовый and accounting flags.
func setPredefined(o *metadata.Object, item *metadata.PredefinedItem, set func(field string, v any)) {
	if item.Code != "" {
		if o.CodeIsNumber {
			if n, err := strconv.ParseInt(item.Code, 10, 64); err == nil {
				set("код", n)
			}
		} else {
			set("код", item.Code)
		}
	}
	if item.Description != "" {
		set("наименование", item.Description)
	}
	if item.Parent != "" {
		set("родитель", sqlgen.PredefinedID(o, item.Parent))
	}
	if item.IsFolder {
		set("этогруппа", true)
	}
	if o.Kind == metadata.ChartOfAccounts {
		if item.AccountType != "" {
			set("вид", sqlgen.SystemEnumID(metadata.AccountTypeEnum, item.AccountType))
		}
		set("забалансовый", item.OffBalance)
		for _, flag := range item.Flags {
			set(strings.ToLower(flag), true)
		}
	}
}

// fit cuts a string to the length of its column, as 1C does a value given
// to an attribute of limited length: a predefined item's name, its
// description here, may be longer than the catalog's descriptions
// (Справочник.ВидыРабочегоВремени of УНФ keeps two characters).
func fit(v any, t sqlgen.ColumnType) any {
	if s, ok := v.(string); ok && t.Kind == sqlgen.VarChar && t.Length > 0 {
		if r := []rune(s); len(r) > t.Length {
			return string(r[:t.Length])
		}
	}
	return v
}

// emptyValue is 1C's empty value of a column: never NULL.
func emptyValue(t sqlgen.ColumnType) any {
	switch t.Kind {
	case sqlgen.UUID:
		return sqlgen.EmptyRef
	case sqlgen.Decimal:
		return sqlgen.DecimalText("0")
	case sqlgen.Integer:
		return int64(0)
	case sqlgen.Bool:
		return false
	case sqlgen.Timestamp:
		return time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	case sqlgen.Bytes:
		return []byte{}
	}
	return ""
}

package infobase

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"dostup/metadata"
	"dostup/metadata/vocab"
	"dostup/sqlgen"
)

// Object is a catalog item, document, chart or exchange plan node, business
// process or task as read: its reference, version, deletion mark and every
// other attribute.
//
// Values hold every attribute, own and standard, under its Russian name
// (Наименование, Код, Родитель, Номер, Дата, Проведен, ...), except Ссылка,
// ВерсияДанных and ПометкаУдаления, which are the fields Ref, Version and
// DeletionMark. Values are the Go values the query API gives: string, bool,
// time.Time, Number for numbers, Ref for references (with the referenced
// object's presentation: Наименование, Номер, or an enumeration value's
// name), and TypedValue for a composite type (its reference without a
// presentation), nil for Неопределено.
//
// Sections hold the rows of each tabular section by its name, each row with
// НомерСтроки (1..n) and the section's attributes.
type Object struct {
	FullName     string
	Ref          string
	Version      int64
	DeletionMark bool
	Values       map[string]any
	Sections     map[string][]map[string]any
}

// TypedValue is a value of a composite type with the type it has: Type is a
// reference type (Справочник.Контрагенты, Catalog.Контрагенты) or a
// primitive (Строка, Число, Булево, Дата). A bare Go value is enough where
// its type is unambiguous (a string where the composite allows one string
// type, a reference where the id tells the object).
type TypedValue struct {
	Type  string
	Value any
}

// RecordSet is the movements a document makes in one register: each record
// maps the register's dimensions, resources and attributes (and Период,
// ВидДвижения, Активность) to values.
type RecordSet struct {
	Register string
	Records  []map[string]any
}

// ErrVersionConflict is returned (wrapped with the object's name) when an
// object changed since it was read: its ВерсияДанных is no longer the one
// the update carries.
var ErrVersionConflict = errors.New("the object was changed by someone else since it was read: read it again and repeat the change")

// NotFoundError is returned when no object of a reference exists.
type NotFoundError struct {
	Object string // full name, Справочник.Контрагенты
	Ref    string
}

// Error says that the deletion may be why, so a caller holding an old
// reference knows what happened.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s: no object with the reference %s (it was deleted or never existed)", e.Object, e.Ref)
}

// ValidationError is a value the metadata does not allow, or a rule of the
// platform a write breaks (a code that is not unique, a parent that is not a
// folder). Section and Line name a tabular section's row or a register's
// record when the value is in one.
type ValidationError struct {
	Object    string // full name, Справочник.Контрагенты
	Section   string // a tabular section or register, if the value is in a row of it
	Line      int    // the row's number, 1-based
	Attribute string // the attribute, in the name the configuration gives it (or as the caller wrote it when unknown)
	Msg       string // what is wrong, naming the attribute
}

// Error puts the place first, as a compiler does, so a message about a
// row of a section says which row.
func (e *ValidationError) Error() string {
	place := e.Object
	if e.Section != "" {
		place += fmt.Sprintf(", %s, line %d", e.Section, e.Line)
	}
	return place + ": " + e.Msg
}

// create writes a new object of a reference kind (catalog, document, chart
// of characteristic types, exchange plan, business process, task) with the
// values and the rows of its tabular sections, and returns its reference.
// Attributes not given get their empty values (empty reference, "", 0,
// false, 0001-01-01), as in 1C. A catalog with a code gets the next free code
// when none is given, a document the next free number and Дата now; codes
// and numbers are unique (within the owner for a subordinate catalog).
// Everything is one transaction.
func (ib *Infobase) create(ctx context.Context, s *Session, fullName string, values map[string]any, sections map[string][]map[string]any) (string, error) {
	om, err := ib.objectMap(fullName)
	if err != nil {
		return "", err
	}
	if err := s.mayWrite(om, vocab.Insert); err != nil {
		return "", err
	}
	id, err := newUUID()
	if err != nil {
		return "", err
	}
	err = ib.inTx(ctx, func(tx *sql.Tx) error {
		rec, err := ib.header(ctx, tx, om, id, values, nil)
		if err != nil {
			return err
		}
		rec.cols["_id"] = id
		rec.cols[om.Fields["версияданных"].Column] = int64(1)
		return ib.write(ctx, tx, s, &writeOp{
			Right: vocab.Insert, Object: om, Ref: id, After: rec.values,
			apply: func(ctx context.Context, tx *sql.Tx) error {
				if err := ib.insert(ctx, tx, om.Table, rec.cols); err != nil {
					return err
				}
				return ib.putSections(ctx, tx, om, id, sections)
			},
		})
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// read reads an object by its reference; a missing one is *NotFoundError.
func (ib *Infobase) read(ctx context.Context, s *Session, fullName, ref string) (*Object, error) {
	om, id, err := ib.target(fullName, ref)
	if err != nil {
		return nil, err
	}
	var obj *Object
	err = ib.readTx(ctx, func(tx *sql.Tx) error {
		if obj, err = ib.readObject(ctx, tx, om, id); err != nil {
			return err
		}
		if err := ib.allowed(ctx, tx, s, om, vocab.Read, id); err != nil {
			return err
		}
		return s.hideForbidden(ctx, tx, om, obj)
	})
	if err != nil {
		return nil, err
	}
	return obj, nil
}

// update writes an object read before: the attributes in obj.Values (those
// left out keep their stored values), the deletion mark, and the tabular
// sections in obj.Sections, each replaced by the rows given (sections left
// out keep their rows). It fails with ErrVersionConflict when the object
// changed since it was read, and changes nothing then; on success
// obj.Version is the new version.
func (ib *Infobase) update(ctx context.Context, s *Session, obj *Object) error {
	om, err := ib.objectMap(obj.FullName)
	if err != nil {
		return err
	}
	name := om.Object.FullName(false)
	id, ok := normalizeUUID(obj.Ref)
	if !ok {
		return &NotFoundError{Object: name, Ref: obj.Ref}
	}
	if err := s.mayWrite(om, vocab.Update); err != nil {
		return err
	}
	err = ib.inTx(ctx, func(tx *sql.Tx) error {
		old, err := ib.readObject(ctx, tx, om, id)
		if err != nil {
			return err
		}
		if old.Version != obj.Version {
			return fmt.Errorf("%s %s: %w", name, id, ErrVersionConflict)
		}
		values := map[string]any{}
		for k, v := range obj.Values {
			values[k] = v
		}
		for _, fixed := range []struct {
			name string
			v    any
		}{{"ВерсияДанных", obj.Version}, {"Ссылка", id}} {
			if v, ok := lookupValue(values, fixed.name, om.Object); ok {
				if fmt.Sprint(refID(v)) != fmt.Sprint(fixed.v) {
					return &ValidationError{Object: name, Attribute: fixed.name, Msg: fmt.Sprintf("%s is kept by the infobase and cannot be changed", fixed.name)}
				}
				deleteValue(values, fixed.name, om.Object)
			}
		}
		if v, ok := lookupValue(values, "ПометкаУдаления", om.Object); ok {
			if b, isBool := v.(bool); !isBool || b != obj.DeletionMark {
				return &ValidationError{Object: name, Attribute: "ПометкаУдаления", Msg: "ПометкаУдаления differs from Object.DeletionMark: set the field"}
			}
		}
		deleteValue(values, "ПометкаУдаления", om.Object)
		values["ПометкаУдаления"] = obj.DeletionMark
		unposts := unpostedByMark(om, old, obj.DeletionMark)
		if unposts {
			// Проведен is the platform's: the mark unposts, as below.
			deleteValue(values, "Проведен", om.Object)
		}
		rec, err := ib.header(ctx, tx, om, id, values, old)
		if err != nil {
			return err
		}
		after := map[string]any{}
		for k, v := range old.Values {
			after[k] = v
		}
		for k, v := range rec.values {
			after[k] = v
		}
		if unposts {
			rec.cols[om.Fields["проведен"].Column] = false
			after["Проведен"] = false
		}
		return ib.write(ctx, tx, s, &writeOp{
			Right: vocab.Update, Object: om, Ref: id, Before: old.Values, After: after, Unposts: unposts,
			apply: func(ctx context.Context, tx *sql.Tx) error {
				if unposts {
					if err := ib.deleteMovements(ctx, tx, id); err != nil {
						return err
					}
				}
				if err := ib.updateRow(ctx, tx, om, id, obj.Version, rec.cols); err != nil {
					return err
				}
				for sname, rows := range obj.Sections {
					sm := om.Sections[strings.ToLower(sname)]
					if sm == nil {
						return &ValidationError{Object: name, Attribute: sname, Msg: "no tabular section " + sname}
					}
					if err := ib.exec(ctx, tx, fmt.Sprintf("DELETE FROM %s WHERE %s = %s", ib.q(sm.Table.Name), ib.q(sm.Fields["ссылка"].Column), ib.p(1)), id); err != nil {
						return err
					}
					if err := ib.putRows(ctx, tx, om, sm, id, rows); err != nil {
						return err
					}
				}
				return nil
			},
		})
	})
	if err != nil {
		return err
	}
	obj.Version++
	return nil
}

// deleteObject deletes an object and the rows of its tabular sections at once (not
// a deletion mark); a document's movements go with it. References to it
// elsewhere are not checked: they become broken references, as in 1C.
func (ib *Infobase) deleteObject(ctx context.Context, s *Session, fullName, ref string) error {
	om, id, err := ib.target(fullName, ref)
	if err != nil {
		return err
	}
	if err := s.mayWrite(om, vocab.Delete); err != nil {
		return err
	}
	return ib.inTx(ctx, func(tx *sql.Tx) error {
		old, err := ib.readObject(ctx, tx, om, id)
		if err != nil {
			return err
		}
		return ib.write(ctx, tx, s, &writeOp{
			Right: vocab.Delete, Object: om, Ref: id, Before: old.Values,
			apply: func(ctx context.Context, tx *sql.Tx) error {
				for _, sm := range sortedSections(om) {
					if err := ib.exec(ctx, tx, fmt.Sprintf("DELETE FROM %s WHERE %s = %s", ib.q(sm.Table.Name), ib.q(sm.Fields["ссылка"].Column), ib.p(1)), id); err != nil {
						return err
					}
				}
				if om.Object.Kind == metadata.Document {
					if err := ib.deleteMovements(ctx, tx, id); err != nil {
						return err
					}
				}
				return ib.exec(ctx, tx, fmt.Sprintf("DELETE FROM %s WHERE %s = %s", ib.q(om.Table.Name), ib.q("_id"), ib.p(1)), id)
			},
		})
	})
}

// setDeletionMark sets or clears an object's deletion mark, a change of the
// object that bumps its version. Marking a posted document unposts it (its
// movements are deleted), as 1C does.
func (ib *Infobase) setDeletionMark(ctx context.Context, s *Session, fullName, ref string, mark bool) error {
	om, id, err := ib.target(fullName, ref)
	if err != nil {
		return err
	}
	if err := s.mayWrite(om, vocab.Update); err != nil {
		return err
	}
	return ib.inTx(ctx, func(tx *sql.Tx) error {
		old, err := ib.readObject(ctx, tx, om, id)
		if err != nil {
			return err
		}
		cols := map[string]any{om.Fields["пометкаудаления"].Column: mark}
		after := copyValues(old.Values)
		after["ПометкаУдаления"] = mark
		unpost := unpostedByMark(om, old, mark)
		if unpost {
			cols[om.Fields["проведен"].Column] = false
			after["Проведен"] = false
		}
		return ib.write(ctx, tx, s, &writeOp{
			Right: vocab.Update, Object: om, Ref: id, Before: old.Values, After: after, Unposts: unpost,
			apply: func(ctx context.Context, tx *sql.Tx) error {
				if unpost {
					if err := ib.deleteMovements(ctx, tx, id); err != nil {
						return err
					}
				}
				return ib.updateRow(ctx, tx, om, id, old.Version, cols)
			},
		})
	})
}

// unpostedByMark reports whether setting an object's deletion mark to mark
// unposts it: marking a posted document for deletion, which 1C writes in
// the undo-posting mode (its movements go, and the ОтменаПроведения right
// is needed besides Изменение).
func unpostedByMark(om *sqlgen.ObjectMap, old *Object, mark bool) bool {
	posted, _ := old.Values["Проведен"].(bool)
	return om.Object.Kind == metadata.Document && mark && !old.DeletionMark && posted
}

// writeOp is one change to one object, or to the record set of one
// register that a document records: the unit access checks will judge.
type writeOp struct {
	// Right is the 1C right the change needs: Insert (Добавление), Update,
	// Delete, Posting, UndoPosting.
	Right  vocab.Right
	Object *sqlgen.ObjectMap
	Ref    string // the object's reference, or the recorder's for a record set
	// Before is the stored record (nil for a new object), After the record
	// as it will be (nil for a deletion): attribute values by Russian name.
	Before, After map[string]any
	// Records are a record set's new records (posting), by attribute name.
	Records []map[string]any
	// Unposts: the change also unposts a posted document (a deletion
	// mark set on it), which needs ОтменаПроведения too.
	Unposts bool
	apply   func(ctx context.Context, tx *sql.Tx) error
}

// inTx runs fn in one write transaction (DB.Writer: in turn with the
// other writers on SQLite), committed when fn succeeds and rolled back
// otherwise, so a failed operation changes nothing.
func (ib *Infobase) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := ib.DB.Writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// readTx runs fn in a transaction that only reads, on one snapshot
// (REPEATABLE READ on PostgreSQL; SQLite's read transactions are
// snapshots), without waiting for writers.
func (ib *Infobase) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true, Isolation: ib.DB.Dialect.SnapshotIsolation()}
	tx, err := ib.DB.SQL.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// objectMap finds a writable object of a reference kind.
func (ib *Infobase) objectMap(fullName string) (*sqlgen.ObjectMap, error) {
	om := ib.Schema.Object(ib.Config, fullName)
	if om == nil {
		return nil, fmt.Errorf("%s is not in the configuration", fullName)
	}
	if om.Object.Kind == metadata.DocumentJournal {
		return nil, fmt.Errorf("%s is a document journal: it lists documents and is only read; write the documents themselves", om.Object.FullName(false))
	}
	if !om.Object.Kind.IsReference() || om.Object.Kind == metadata.Enum {
		return nil, fmt.Errorf("%s is not an object with references: write its records as a document's movements", om.Object.FullName(false))
	}
	return om, nil
}

// queryer is a database or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (ib *Infobase) q(ident string) string { return ib.DB.Dialect.Quote(ident) }
func (ib *Infobase) p(n int) string        { return ib.DB.Dialect.Placeholder(n) }

// exec runs a statement with Go values as arguments, through the dialect.
func (ib *Infobase) exec(ctx context.Context, tx *sql.Tx, stmt string, args ...any) error {
	_, err := ib.execResult(ctx, tx, stmt, args...)
	return err
}

func (ib *Infobase) execResult(ctx context.Context, tx *sql.Tx, stmt string, args ...any) (sql.Result, error) {
	for i, a := range args {
		args[i] = ib.DB.Dialect.Arg(a)
	}
	return tx.ExecContext(ctx, stmt, args...)
}

// insert writes a row of columns to a table.
func (ib *Infobase) insert(ctx context.Context, tx *sql.Tx, t *sqlgen.Table, cols map[string]any) error {
	names := sortedKeys(cols)
	quoted := make([]string, len(names))
	marks := make([]string, len(names))
	args := make([]any, len(names))
	for i, c := range names {
		quoted[i], marks[i], args[i] = ib.q(c), ib.p(i+1), cols[c]
	}
	err := ib.exec(ctx, tx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", ib.q(t.Name), strings.Join(quoted, ", "), strings.Join(marks, ", ")), args...)
	if err != nil {
		return fmt.Errorf("%s: writing: %w", t.Object, err)
	}
	return nil
}

// updateRow writes columns of an object's row and bumps its version, if the
// version is still the one read: the optimistic lock of ВерсияДанных.
func (ib *Infobase) updateRow(ctx context.Context, tx *sql.Tx, om *sqlgen.ObjectMap, id string, version int64, cols map[string]any) error {
	names := sortedKeys(cols)
	ver := ib.q(om.Fields["версияданных"].Column)
	sets := make([]string, 0, len(names)+1)
	args := make([]any, 0, len(names)+2)
	for i, c := range names {
		sets = append(sets, ib.q(c)+" = "+ib.p(i+1))
		args = append(args, cols[c])
	}
	sets = append(sets, ver+" = "+ver+" + 1")
	n := len(args)
	res, err := ib.execResult(ctx, tx, fmt.Sprintf("UPDATE %s SET %s WHERE %s = %s AND %s = %s",
		ib.q(om.Table.Name), strings.Join(sets, ", "), ib.q("_id"), ib.p(n+1), ver, ib.p(n+2)), append(args, id, version)...)
	if err != nil {
		return fmt.Errorf("%s: writing: %w", om.Object.FullName(false), err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return err
	} else if k == 0 {
		return fmt.Errorf("%s %s: %w", om.Object.FullName(false), id, ErrVersionConflict)
	}
	return nil
}

// putSections writes the rows of the tabular sections of a new object.
func (ib *Infobase) putSections(ctx context.Context, tx *sql.Tx, om *sqlgen.ObjectMap, id string, sections map[string][]map[string]any) error {
	names := sortedKeys(sections)
	for _, name := range names {
		sm := om.Sections[strings.ToLower(name)]
		if sm == nil {
			return &ValidationError{Object: om.Object.FullName(false), Attribute: name, Msg: "no tabular section " + name}
		}
		if err := ib.putRows(ctx, tx, om, sm, id, sections[name]); err != nil {
			return err
		}
	}
	return nil
}

// putRows validates and writes rows of a tabular section, numbered 1..n.
// Each row is checked as it is written, so a bad row fails the transaction
// after the rows before it are written: the rollback takes them back.
func (ib *Infobase) putRows(ctx context.Context, tx *sql.Tx, om *sqlgen.ObjectMap, sm *sqlgen.SectionMap, id string, rows []map[string]any) error {
	for i, row := range rows {
		at := &place{object: om.Object.FullName(false), section: "tabular section " + sm.Section.Name, line: i + 1}
		cols := map[string]any{sm.Fields["ссылка"].Column: id, sm.Fields["номерстроки"].Column: int64(i + 1)}
		given := map[string]bool{}
		for k, v := range row {
			a := sectionAttribute(sm.Section, k)
			if a == nil {
				if strings.EqualFold(k, "НомерСтроки") || strings.EqualFold(k, "LineNumber") || strings.EqualFold(k, "Ссылка") || strings.EqualFold(k, "Ref") {
					continue // numbered here; the owner is the object
				}
				return at.errorf(k, "no attribute %s", k)
			}
			given[strings.ToLower(a.Name)] = true
			vc, _, err := ib.encode(ctx, tx, at, a, a.Type, sm.Fields[strings.ToLower(a.Name)], v, nil)
			if err != nil {
				return err
			}
			for c, x := range vc {
				cols[c] = x
			}
		}
		for _, a := range sm.Section.Attributes {
			if !given[strings.ToLower(a.Name)] {
				vc, _, _ := ib.encode(ctx, tx, at, a, a.Type, sm.Fields[strings.ToLower(a.Name)], nil, nil)
				for c, x := range vc {
					cols[c] = x
				}
			}
		}
		if err := ib.insert(ctx, tx, sm.Table, cols); err != nil {
			return err
		}
	}
	return nil
}

func sectionAttribute(ts *metadata.TabularSection, name string) *metadata.Attribute {
	for _, a := range ts.Attributes {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

func sortedSections(om *sqlgen.ObjectMap) []*sqlgen.SectionMap {
	var out []*sqlgen.SectionMap
	for _, k := range sortedKeys(om.Sections) {
		out = append(out, om.Sections[k])
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func copyValues(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// newUUID is a random (version 4) UUID.
func newUUID() (string, error) {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		return "", err
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]), nil
}

// normalizeUUID checks the canonical form of a UUID and lower-cases it, as
// SQLite compares ids as text.
func normalizeUUID(s string) (string, bool) {
	if len(s) != 36 {
		return "", false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return "", false
			}
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return "", false
		}
	}
	return strings.ToLower(s), true
}

// emptyDate is 1C's empty date, 0001-01-01 00:00:00.
func emptyDate() time.Time { return time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC) }

// target resolves the object an operation names: its map and its reference
// in canonical form; a reference that is no UUID names nothing.
func (ib *Infobase) target(fullName, ref string) (*sqlgen.ObjectMap, string, error) {
	om, err := ib.objectMap(fullName)
	if err != nil {
		return nil, "", err
	}
	id, ok := normalizeUUID(ref)
	if !ok {
		return nil, "", &NotFoundError{Object: om.Object.FullName(false), Ref: ref}
	}
	return om, id, nil
}

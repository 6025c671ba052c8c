package infobase

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dostup/metadata"
	"dostup/sqlgen"
)

// record is an object's row being written: the columns and the values as
// Read gives them back, by Russian attribute name.
type record struct {
	cols   map[string]any
	values map[string]any
}

// header checks the attribute values of an object being created (old is
// nil) or updated, and applies the platform's rules: codes and numbers,
// the date of a new document, parent and owner. On an update only the
// attributes given are written.
func (ib *Infobase) header(ctx context.Context, tx *sql.Tx, om *sqlgen.ObjectMap, id string, values map[string]any, old *Object) (*record, error) {
	o := om.Object
	at := &place{object: o.FullName(false)}
	creating := old == nil
	given := map[string]any{}
	givenAs := map[string]string{}
	for k, v := range values {
		a := o.Attribute(k)
		if a == nil {
			return nil, at.errorf(k, "no attribute %s", k)
		}
		if prev, dup := givenAs[a.Name]; dup {
			return nil, at.errorf(a.Name, "attribute %s is given twice, as %s and as %s", a.Name, prev, k)
		}
		givenAs[a.Name] = k
		given[a.Name] = v
	}
	for name, v := range given {
		var why string
		switch name {
		case "Ссылка", "ВерсияДанных":
			return nil, at.errorf(name, "%s is kept by the infobase and cannot be set", name)
		case "Предопределенный":
			why = "Предопределенный is set by the configuration, not by a write"
		case "Проведен":
			why = "Проведен is set by posting: use Post and Unpost"
		case "ЭтоГруппа":
			if creating {
				continue
			}
			why = "ЭтоГруппа is set when the item is created and cannot change"
		default:
			continue
		}
		stored := false
		if !creating {
			stored, _ = old.Values[name].(bool)
		}
		if b, ok := v.(bool); !ok || b != stored {
			return nil, at.errorf(name, "%s", why)
		}
		delete(given, name)
	}
	rec := &record{cols: map[string]any{}, values: map[string]any{}}
	attrs := append(o.StandardAttributes(), o.Attributes...)
	for _, a := range attrs {
		if a.Name == "Ссылка" || a.Name == "ВерсияДанных" {
			continue
		}
		v, ok := given[a.Name]
		if !ok && !creating {
			continue
		}
		var stored any
		if !creating {
			stored = old.Values[a.Name]
		}
		cols, norm, err := ib.encode(ctx, tx, at, a, storedType(a), om.Fields[strings.ToLower(a.Name)], v, stored)
		if err != nil {
			return nil, err
		}
		for c, x := range cols {
			rec.cols[c] = x
		}
		rec.values[a.Name] = norm
	}
	current := func(name string) any {
		if v, ok := rec.values[name]; ok {
			return v
		}
		if old != nil {
			return old.Values[name]
		}
		return nil
	}
	set := func(name string, col, value any) {
		rec.cols[om.Fields[strings.ToLower(name)].Column] = col
		rec.values[name] = value
	}
	_, ownerGiven := given["Владелец"]
	if len(o.Owners) > 0 && (creating || ownerGiven) {
		if id, _ := refID(current("Владелец")).(string); id == "" || id == sqlgen.EmptyRef {
			return nil, at.errorf("Владелец", "attribute Владелец: an item of a subordinate catalog needs an owner (%s)", strings.Join(o.Owners, ", "))
		}
	}
	if _, ok := given["Родитель"]; ok && o.Hierarchical {
		if parent, _ := refID(current("Родитель")).(string); parent != "" && parent != sqlgen.EmptyRef {
			if err := ib.checkParent(ctx, tx, at, om, id, parent); err != nil {
				return nil, err
			}
		}
	}
	if o.Kind == metadata.Document || o.Kind == metadata.BusinessProcess || o.Kind == metadata.Task {
		if d, _ := rec.values["Дата"].(time.Time); creating && (d.IsZero() || d.Equal(emptyDate())) {
			now := time.Now()
			now = time.Date(now.Year(), now.Month(), now.Day(), now.Hour(), now.Minute(), now.Second(), 0, time.UTC)
			set("Дата", now, now)
		}
	}
	for _, n := range []struct {
		attr     string
		length   int
		isNumber bool
		scoped   bool
	}{
		{"Код", o.CodeLength, o.CodeIsNumber, len(o.Owners) > 0},
		{"Номер", o.NumberLength, o.NumberIsNumber, false},
	} {
		f, ok := om.Fields[strings.ToLower(n.attr)]
		if !ok || n.length == 0 {
			continue
		}
		_, codeGiven := given[n.attr]
		if !creating && !codeGiven && !(n.scoped && ownerGiven) {
			continue
		}
		s := numbering{table: om.Table.Name, column: f.Column, length: n.length, isNumber: n.isNumber, self: id}
		if n.scoped {
			of := om.Fields["владелец"]
			s.scopeColumn = of.Column
			if of.Column == "" {
				s.scopeColumn = of.Parts["ref"]
			}
			s.scopeValue, _ = refID(current("Владелец")).(string)
		}
		if err := ib.lockNumbering(ctx, tx, om.Table.Name); err != nil {
			return nil, err
		}
		code := current(n.attr)
		if isEmptyCode(code) {
			col, norm, err := ib.nextCode(ctx, tx, at, n.attr, s)
			if err != nil {
				return nil, err
			}
			set(n.attr, col, norm)
			continue
		}
		taken, err := ib.codeTaken(ctx, tx, s, rec.cols[f.Column])
		if err != nil {
			return nil, err
		}
		if taken {
			whose := "another item"
			switch {
			case o.Kind == metadata.Document:
				whose = "another document"
			case n.scoped:
				whose = "another item of the same owner"
			}
			return nil, at.errorf(n.attr, "attribute %s: %s is taken by %s", n.attr, asString(code), whose)
		}
	}
	return rec, nil
}

func isEmptyCode(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case Number:
		r, ok := decimalRat(string(x))
		return !ok || r.Sign() == 0
	}
	return false
}

// checkParent checks a new parent: a folder in a hierarchy of folders, and
// never the item itself or one of its descendants.
func (ib *Infobase) checkParent(ctx context.Context, tx *sql.Tx, at *place, om *sqlgen.ObjectMap, id, parent string) error {
	parentCol := om.Fields["родитель"].Column
	folderCol := ""
	if om.Object.FoldersHierarchy {
		folderCol = om.Fields["этогруппа"].Column
	}
	cur := parent
	for depth := 0; cur != "" && cur != sqlgen.EmptyRef && depth < 1000; depth++ {
		if cur == id {
			return at.errorf("Родитель", "attribute Родитель: an item cannot be placed inside itself or its own descendant")
		}
		sel := "t." + ib.q(parentCol)
		if folderCol != "" {
			sel += ", t." + ib.q(folderCol)
		}
		rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s t WHERE t.%s = %s", sel, ib.q(om.Table.Name), ib.q("_id"), ib.p(1)), ib.DB.Dialect.Arg(cur))
		if err != nil {
			return err
		}
		raw := make([]any, strings.Count(sel, ",")+1)
		ptrs := make([]any, len(raw))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		found := rows.Next()
		if found {
			err = rows.Scan(ptrs...)
		}
		rows.Close()
		if err != nil {
			return err
		}
		if !found {
			return nil // the reference check reports a missing parent
		}
		if depth == 0 && folderCol != "" {
			if isFolder, _ := convert(raw[1], metadata.Type{{Primitive: metadata.Boolean}}).(bool); !isFolder {
				// The reference, not the item's name: the user may not be
				// allowed to read the item.
				return at.errorf("Родитель", "attribute Родитель: the parent must be a folder, and %s is an item", cur)
			}
		}
		cur = asString(convert(raw[0], nil))
	}
	return nil
}

// numbering is where codes or numbers of an object live and must be unique.
type numbering struct {
	table, column string
	length        int
	isNumber      bool
	scopeColumn   string // the owner's column of a subordinate catalog: codes are unique per owner
	scopeValue    string
	self          string // the object being written, which may keep its own code
}

func (s numbering) where(ib *Infobase, first int) (string, []any) {
	w := "t." + ib.q("_id") + " <> " + ib.p(first)
	args := []any{s.self}
	if s.scopeColumn != "" {
		w += " AND t." + ib.q(s.scopeColumn) + " = " + ib.p(first+1)
		args = append(args, s.scopeValue)
	}
	return w, args
}

// codeTaken reports whether another object (of the same owner) has a code.
func (ib *Infobase) codeTaken(ctx context.Context, tx *sql.Tx, s numbering, code any) (bool, error) {
	w, args := s.where(ib, 2)
	args = append([]any{code}, args...)
	for i, a := range args {
		args[i] = ib.DB.Dialect.Arg(a)
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT 1 FROM %s t WHERE t.%s = %s AND %s", ib.q(s.table), ib.q(s.column), ib.p(1), w), args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	return rows.Next(), rows.Err()
}

// nextCode is the next free code or number: one more than the greatest; a
// string code keeps the prefix and width of the code it continues
// (РТ-0004 → РТ-0005) and the first one fills the length with zeros
// (000000001), as 1C numbers them. It reads every code of the scope: fine for
// catalogs and journals of ordinary size, inside the transaction.
func (ib *Infobase) nextCode(ctx context.Context, tx *sql.Tx, at *place, attr string, s numbering) (any, any, error) {
	w, args := s.where(ib, 1)
	for i, a := range args {
		args[i] = ib.DB.Dialect.Arg(a)
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT t.%s FROM %s t WHERE %s", ib.q(s.column), ib.q(s.table), w), args...)
	if err != nil {
		return nil, nil, err
	}
	var (
		best   uint64
		prefix string
		width  = s.length
		seen   bool
	)
	for rows.Next() {
		var raw any
		if err := rows.Scan(&raw); err != nil {
			rows.Close()
			return nil, nil, err
		}
		code := asString(convert(raw, metadata.Type{{Primitive: metadata.Number}}))
		if !s.isNumber {
			code = asString(convert(raw, nil))
		}
		p, digits := splitCode(code)
		n, err := strconv.ParseUint(digits, 10, 64)
		if err != nil || s.isNumber && p != "" {
			continue
		}
		if !seen || n > best {
			best, prefix, width, seen = n, p, len(digits), true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for range 1000 {
		best++
		var col, norm any
		text := strconv.FormatUint(best, 10)
		if s.isNumber {
			if len(text) > s.length {
				return nil, nil, at.errorf(attr, "attribute %s: every %d-digit number is taken", attr, s.length)
			}
			col, norm = sqlgen.DecimalText(text), Number(text)
		} else {
			for len(text) < width {
				text = "0" + text
			}
			text = prefix + text
			if utf8.RuneCountInString(text) > s.length {
				return nil, nil, at.errorf(attr, "attribute %s: no free code of %d characters follows %s%0*d", attr, s.length, prefix, width, best-1)
			}
			col, norm = text, text
		}
		taken, err := ib.codeTaken(ctx, tx, s, col)
		if err != nil {
			return nil, nil, err
		}
		if !taken {
			return col, norm, nil
		}
	}
	return nil, nil, at.errorf(attr, "attribute %s: no free value found", attr)
}

// splitCode splits a code into its prefix and its trailing digits.
func splitCode(code string) (string, string) {
	i := len(code)
	for i > 0 && code[i-1] >= '0' && code[i-1] <= '9' {
		i--
	}
	return code[:i], code[i:]
}

// lockNumbering serialises code and number generation per table for the
// rest of the transaction, so two writers cannot take the same code. Where
// writers run together (PostgreSQL) that is an advisory lock; a
// single-writer database (SQLite) has one writer at a time already (a
// second one that read before the first wrote fails rather than
// duplicating a code).
func (ib *Infobase) lockNumbering(ctx context.Context, tx *sql.Tx, table string) error {
	lock := ib.DB.Dialect.AdvisoryLock(ib.p(1))
	if lock == "" {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte("dostup numbering " + table))
	_, err := tx.ExecContext(ctx, lock, int64(h.Sum64()))
	return err
}

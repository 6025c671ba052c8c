package oracle

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"dostup/metadata"
)

// Row is one record as the oracle keeps it: each field by its lower-cased
// Russian name (standard ones included) with a normalised value: nil,
// string (strings and references, a reference as its lower-case UUID),
// *big.Rat, bool or time.Time.
type Row map[string]any

// Dataset holds the rows of a configuration's catalogs and documents and
// of their tabular sections.
type Dataset struct {
	cfg    *metadata.Configuration
	tables map[string]*table // by lower-cased full name: справочник.x, документ.y.товары
}

// table is one object's rows, or one tabular section's.
type table struct {
	name   string // full name as the configuration spells it
	obj    *metadata.Object
	sec    *metadata.TabularSection // a tabular section's table; obj is its owner
	fields []*metadata.Attribute
	rows   []Row
	byID   map[string]Row   // objects: by Ссылка
	lines  map[string][]Row // sections: by owner's Ссылка
}

// NewDataset returns an empty dataset for cfg.
func NewDataset(cfg *metadata.Configuration) *Dataset {
	return &Dataset{cfg: cfg, tables: map[string]*table{}}
}

// table finds (making it on first use) the table of a full name:
// Справочник.X, Документ.Y or Документ.Y.Секция, in either language.
func (d *Dataset) table(name string) (*table, error) {
	parts := strings.Split(name, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return nil, fmt.Errorf("%s is not the full name of a table", name)
	}
	obj := d.cfg.Object(parts[0] + "." + parts[1])
	if obj == nil {
		return nil, fmt.Errorf("%s is not in the configuration", name)
	}
	if !obj.Kind.IsReference() || obj.Kind == metadata.Enum {
		return nil, fmt.Errorf("%s: the oracle holds catalogs, documents and their tabular sections only", name)
	}
	k := strings.ToLower(obj.FullName(false))
	full := obj.FullName(false)
	var sec *metadata.TabularSection
	if len(parts) == 3 {
		sec = obj.TabularSection(parts[2])
		if sec == nil {
			return nil, fmt.Errorf("%s has no tabular section %s", obj.FullName(false), parts[2])
		}
		k += "." + strings.ToLower(sec.Name)
		full += "." + sec.Name
	}
	if t, ok := d.tables[k]; ok {
		return t, nil
	}
	t := &table{name: full, obj: obj, sec: sec}
	if sec != nil {
		t.fields = append(sec.StandardAttributes(obj), sec.Attributes...)
		t.lines = map[string][]Row{}
	} else {
		t.fields = append(obj.StandardAttributes(), obj.Attributes...)
		t.byID = map[string]Row{}
	}
	d.tables[k] = t
	return t, nil
}

// field returns the field of a name (Russian or English, any case).
func (t *table) field(name string) *metadata.Attribute {
	for _, a := range t.fields {
		if strings.EqualFold(a.Name, name) || (a.English != "" && strings.EqualFold(a.English, name)) {
			return a
		}
	}
	return nil
}

// Add adds a row to a table (Справочник.X, Документ.Y, or a tabular section
// Документ.Y.Товары) and returns it normalised. values maps field names to
// Go values: string, bool, int, int64, float64, a decimal text or *big.Rat
// for numbers, time.Time, a UUID string (or Ref) for references. A field
// left out gets its type's empty value (as a new object in 1C has): "",
// 0, false, 0001-01-01, the empty reference; an explicit nil is NULL.
// An object row needs its Ссылка; a tabular section's row needs the owner's
// Ссылка and gets the next НомерСтроки when none is given.
func (d *Dataset) Add(name string, values map[string]any) (Row, error) {
	t, err := d.table(name)
	if err != nil {
		return nil, err
	}
	row := Row{}
	for n, v := range values {
		a := t.field(n)
		if a == nil {
			return nil, fmt.Errorf("%s has no field %s", t.name, n)
		}
		nv, err := normalize(a.Type, v)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.name, a.Name, err)
		}
		row[strings.ToLower(a.Name)] = nv
	}
	for _, a := range t.fields {
		k := strings.ToLower(a.Name)
		if _, ok := row[k]; !ok {
			row[k] = emptyValue(a.Type)
		}
	}
	id, _ := row["ссылка"].(string)
	if id == "" || id == EmptyRef {
		return nil, fmt.Errorf("%s: a row needs a Ссылка", t.name)
	}
	if t.sec != nil {
		if row["номерстроки"] == nil || row["номерстроки"].(*big.Rat).Sign() == 0 {
			row["номерстроки"] = new(big.Rat).SetInt64(int64(len(t.lines[id]) + 1))
		}
		t.lines[id] = append(t.lines[id], row)
	} else {
		if _, dup := t.byID[id]; dup {
			return nil, fmt.Errorf("%s: a row with the reference %s is already there", t.name, id)
		}
		t.byID[id] = row
	}
	t.rows = append(t.rows, row)
	return row, nil
}

// Rows returns the rows of a table in the order they were added.
func (d *Dataset) Rows(name string) ([]Row, error) {
	t, err := d.table(name)
	if err != nil {
		return nil, err
	}
	return t.rows, nil
}

// Tables lists the full names of the tables holding rows, sorted.
func (d *Dataset) Tables() []string {
	var out []string
	for _, t := range d.tables {
		if len(t.rows) > 0 {
			out = append(out, t.name)
		}
	}
	sort.Strings(out)
	return out
}

func normalize(typ metadata.Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if len(typ) != 1 {
		return nil, fmt.Errorf("fields of composite types are not supported by the oracle")
	}
	switch typ[0].Primitive {
	case metadata.String:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case metadata.Number:
		if r, ok := ratOf(v); ok {
			return r, nil
		}
	case metadata.Boolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case metadata.Date:
		if tm, ok := v.(time.Time); ok {
			return tm.UTC(), nil
		}
	case metadata.Ref:
		switch x := v.(type) {
		case string:
			return strings.ToLower(x), nil
		case Ref:
			return strings.ToLower(x.ID), nil
		}
	}
	return nil, fmt.Errorf("a value %v (%T) does not fit the type %s", v, v, typ)
}

func emptyValue(typ metadata.Type) any {
	if len(typ) != 1 {
		return nil
	}
	switch typ[0].Primitive {
	case metadata.String:
		return ""
	case metadata.Number:
		return new(big.Rat)
	case metadata.Boolean:
		return false
	case metadata.Date:
		return time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	case metadata.Ref:
		return EmptyRef
	}
	return nil
}

package sqlgen

import (
	"sort"
	"strings"
	"sync"

	"dostup/metadata"
)

// Column is a column of a table.
type Column struct {
	Name string     `json:"name"`
	Type ColumnType `json:"type"`
}

// Table is a table of the schema.
type Table struct {
	Name       string   `json:"name"`
	Columns    []Column `json:"columns"`
	PrimaryKey []string `json:"primary_key,omitempty"`
	// Object is the full name of the object (with the tabular section for
	// its table) the table stores, for messages.
	Object string `json:"object"`
	// union is set for a document journal, which has no table: its rows
	// are its documents' rows, one SELECT per document (journal.go).
	union []unionPart
}

// Column returns the column of a name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

// Field is where one attribute's value lives: a single column, or for a
// composite type a tag column naming the value's type and one column per
// kind of value it may hold.
type Field struct {
	Column string            // a single-typed value; empty for a composite one
	Tag    string            // composite: the type tag column
	Parts  map[string]string // composite: column by kind ("string", "number", "bool", "date", "ref", "bytes")
}

// ObjectMap is where an object's data lives.
type ObjectMap struct {
	Object *metadata.Object
	Table  *Table
	Fields map[string]Field // by lower-cased attribute name, standard ones in Russian and English
	// Tabular sections by lower-cased name.
	Sections map[string]*SectionMap
}

// SectionMap is where a tabular section's rows live.
type SectionMap struct {
	Owner   *metadata.Object
	Section *metadata.TabularSection
	Table   *Table
	Fields  map[string]Field
}

// Schema is the tables of a configuration and where each object lives.
// SchemaOf settles every table's name at once (names are deduplicated in
// the configuration's order, so they never depend on which objects were
// looked at first) and lays out an object's columns the first time it is
// asked for: opening an infobase of a big application reads only what its
// queries name. A Schema is safe for concurrent use.
type Schema struct {
	mu      sync.Mutex
	plans   []*tablePlan          // in the configuration's order
	byName  map[string]*tablePlan // by lower-cased Russian full name (справочник.контрагенты)
	objects map[string]*ObjectMap // laid out so far, by the same key
	tables  []*Table              // every table, sorted; nil until Tables is called
}

// tablePlan is an object's place in the schema before its columns are laid
// out: the names of its table and of its tabular sections' tables.
type tablePlan struct {
	obj      *metadata.Object
	table    string
	sections []string
}

// Object returns the map of an object by full name in either language.
func (s *Schema) Object(cfg *metadata.Configuration, fullName string) *ObjectMap {
	o := cfg.Object(fullName)
	if o == nil {
		return nil
	}
	return s.objectByKey(strings.ToLower(o.FullName(false)))
}

// objectByKey returns the map of an object by its lower-cased Russian full
// name, laying it out if no one has asked for it yet.
func (s *Schema) objectByKey(key string) *ObjectMap {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.objectLocked(key)
}

func (s *Schema) objectLocked(key string) *ObjectMap {
	if om, ok := s.objects[key]; ok {
		return om
	}
	p := s.byName[key]
	if p == nil {
		return nil
	}
	var om *ObjectMap
	if p.obj.Kind == metadata.DocumentJournal {
		om = journalMap(s, p.obj)
	} else {
		om = layOut(p)
	}
	s.objects[key] = om
	return om
}

// Tables returns every table of the schema, sorted by name; a document
// journal has none (queries read it as a derived table over its
// documents' tables).
func (s *Schema) Tables() []*Table {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tables == nil {
		tables := []*Table{}
		for _, p := range s.plans {
			if p.obj.Kind == metadata.DocumentJournal {
				continue
			}
			om := s.objectLocked(strings.ToLower(p.obj.FullName(false)))
			tables = append(tables, om.Table)
			for _, ts := range p.obj.TabularSections {
				tables = append(tables, om.Sections[strings.ToLower(ts.Name)].Table)
			}
		}
		sort.SliceStable(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
		s.tables = tables
	}
	return s.tables
}

var tablePrefix = map[metadata.Kind]string{
	metadata.Catalog: "cat_", metadata.Document: "doc_", metadata.InformationRegister: "ireg_",
	metadata.AccumulationRegister: "areg_", metadata.Constant: "const_", metadata.Enum: "enum_",
	metadata.ChartOfCharacteristicTypes: "cct_", metadata.ExchangePlan: "xp_",
	metadata.BusinessProcess: "bp_", metadata.Task: "task_",
	metadata.ChartOfAccounts: "coa_", metadata.AccountingRegister: "acreg_", metadata.ChartOfCalculationTypes: "calc_",
}

// standardColumns names the columns of standard attributes; the leading _
// keeps them apart from the columns of the configuration's own attributes.
var standardColumns = map[string]string{
	"Ссылка": "_id", "ВерсияДанных": "_version", "ПометкаУдаления": "_deleted", "Предопределенный": "_predefined",
	"Код": "_code", "Наименование": "_description", "Родитель": "_parent", "ЭтоГруппа": "_is_folder",
	"Владелец": "_owner", "Номер": "_number", "Дата": "_date", "Проведен": "_posted", "Период": "_period",
	"Регистратор": "_recorder", "НомерСтроки": "_line", "Активность": "_active", "ВидДвижения": "_record_type",
	"Значение": "_value", "Порядок": "_order", "ТипЗначения": "_value_type", "НомерОтправленного": "_sent_no",
	"НомерПринятого": "_received_no", "ЭтотУзел": "_this_node", "Стартован": "_started", "Завершен": "_completed",
	"ВедущаяЗадача": "_head_task", "Выполнена": "_executed", "БизнесПроцесс": "_business_process",
	"ТочкаМаршрута": "_route_point", "Тип": "_type", "Вид": "_kind", "Забалансовый": "_off_balance",
	"ПериодДействияБазовый": "_action_period_basic", "Счет": "_account", "СчетДт": "_account_dr", "СчетКт": "_account_cr",
}

// standardColumn names the column of a standard attribute; the subconto of
// an accounting register are numbered (Субконто1, ВидСубконтоДт2 ...).
func standardColumn(a *metadata.Attribute) string {
	if c, ok := standardColumns[a.Name]; ok {
		return c
	}
	return "_" + translit(strings.ToLower(a.English))
}

// integerStandard are the standard attributes kept as integers: counters and
// line numbers, whatever their declared precision.
var integerStandard = map[string]bool{
	"ВерсияДанных": true, "НомерСтроки": true, "Порядок": true, "НомерОтправленного": true, "НомерПринятого": true,
}

// SchemaOf maps a configuration to tables. The mapping is deterministic: the
// same configuration always gives the same names, so a database initialised
// once keeps working. Objects and attributes that declare a table or column
// use it. A document journal gets an ObjectMap whose table is not in Tables:
// queries read it as a derived table over its documents' tables.
func SchemaOf(cfg *metadata.Configuration) *Schema {
	s := &Schema{byName: map[string]*tablePlan{}, objects: map[string]*ObjectMap{}}
	tables := namer{"_dostup_meta": true}
	for _, o := range cfg.Objects {
		p := &tablePlan{obj: o}
		if o.Kind != metadata.DocumentJournal {
			name := o.Table
			if name == "" {
				name = tablePrefix[o.Kind] + translit(o.Name)
			}
			p.table = tables.take(name)
			for _, ts := range o.TabularSections {
				tname := ts.Table
				if tname == "" {
					tname = p.table + "__" + translit(ts.Name)
				}
				p.sections = append(p.sections, tables.take(tname))
			}
		}
		s.plans = append(s.plans, p)
		s.byName[strings.ToLower(o.FullName(false))] = p
	}
	return s
}

// layOut lays out the columns of an object's table and of its tabular
// sections' tables.
func layOut(p *tablePlan) *ObjectMap {
	o := p.obj
	t := &Table{Name: p.table, Object: o.FullName(false)}
	om := &ObjectMap{Object: o, Table: t, Fields: map[string]Field{}, Sections: map[string]*SectionMap{}}
	cols := namer{}
	for _, a := range o.StandardAttributes() {
		// An account's Порядок is a string; an enumeration's an integer.
		if integerStandard[a.Name] && !(o.Kind == metadata.ChartOfAccounts && a.Name == "Порядок") {
			name := cols.take(standardColumns[a.Name])
			t.Columns = append(t.Columns, Column{Name: name, Type: ColumnType{Kind: Integer}})
			om.Fields[strings.ToLower(a.Name)] = Field{Column: name}
			om.Fields[strings.ToLower(a.English)] = Field{Column: name}
			continue
		}
		typ := a.Type
		switch a.Name {
		case "Регистратор":
			typ = metadata.Type{{Primitive: metadata.Ref}}
		case "ТипЗначения":
			typ = metadata.Type{{Primitive: metadata.String}}
		case "ВедущаяЗадача", "БизнесПроцесс", "ТочкаМаршрута":
			typ = metadata.Type{{Primitive: metadata.Ref}}
		}
		f := addField(t, cols, standardColumn(a), typ)
		om.Fields[strings.ToLower(a.Name)] = f
		om.Fields[strings.ToLower(a.English)] = f
	}
	if o.Kind == metadata.Enum {
		om.Fields["_name"] = addField(t, cols, "_name", metadata.Type{{Primitive: metadata.String, Length: 150}})
	}
	for _, a := range o.Attributes {
		col := a.Column
		if col == "" {
			col = translit(a.Name)
		}
		om.Fields[strings.ToLower(a.Name)] = addField(t, cols, col, a.Type)
	}
	switch {
	case o.Kind.IsReference():
		t.PrimaryKey = []string{"_id"}
	case o.Kind == metadata.InformationRegister && o.Recorder, o.Kind == metadata.AccumulationRegister, o.Kind == metadata.AccountingRegister:
		// Record sets of a recorder: the recorder's reference and the
		// line; references are unique across types, so the tag is not
		// part of the key.
		t.PrimaryKey = []string{om.Fields["регистратор"].Parts["ref"], om.Fields["номерстроки"].Column}
	}
	for i, ts := range o.TabularSections {
		tt := &Table{Name: p.sections[i], Object: o.FullName(false) + "." + ts.Name, PrimaryKey: []string{"_owner_id", "_line"}}
		sm := &SectionMap{Owner: o, Section: ts, Table: tt, Fields: map[string]Field{}}
		tcols := namer{}
		sm.Fields["ссылка"] = addField(tt, tcols, "_owner_id", metadata.Type{{Primitive: metadata.Ref, Object: o.FullName(false)}})
		sm.Fields["ref"] = sm.Fields["ссылка"]
		line := tcols.take("_line")
		tt.Columns = append(tt.Columns, Column{Name: line, Type: ColumnType{Kind: Integer}})
		sm.Fields["номерстроки"] = Field{Column: line}
		sm.Fields["linenumber"] = sm.Fields["номерстроки"]
		for _, a := range ts.Attributes {
			col := a.Column
			if col == "" {
				col = translit(a.Name)
			}
			sm.Fields[strings.ToLower(a.Name)] = addField(tt, tcols, col, a.Type)
			if a.English != "" {
				sm.Fields[strings.ToLower(a.English)] = sm.Fields[strings.ToLower(a.Name)]
			}
		}
		om.Sections[strings.ToLower(ts.Name)] = sm
		if ts.English != "" {
			om.Sections[strings.ToLower(ts.English)] = sm
		}
	}
	return om
}

// addField adds the columns of a value of type t named base.
func addField(t *Table, cols namer, base string, typ metadata.Type) Field {
	if len(typ) == 1 && !(typ[0].Primitive == metadata.Ref && typ[0].Object == "") {
		name := cols.take(base)
		t.Columns = append(t.Columns, Column{Name: name, Type: columnType(typ[0])})
		return Field{Column: name}
	}
	// Composite (or any reference): a tag naming the value's type, then a
	// column per kind of value, as 1C stores them.
	f := Field{Tag: cols.take(base + "_t"), Parts: map[string]string{}}
	t.Columns = append(t.Columns, Column{Name: f.Tag, Type: ColumnType{Kind: Text}})
	kinds := map[string]ColumnType{}
	for _, spec := range typ {
		k := partKind(spec)
		ct := columnType(spec)
		if prev, ok := kinds[k]; ok {
			ct = widen(prev, ct)
		}
		kinds[k] = ct
	}
	if len(typ) == 0 {
		kinds["ref"] = ColumnType{Kind: UUID}
	}
	for _, k := range compositeKinds {
		if ct, ok := kinds[k]; ok {
			name := cols.take(base + "_" + k[:1])
			t.Columns = append(t.Columns, Column{Name: name, Type: ct})
			f.Parts[k] = name
		}
	}
	return f
}

// widen gives a column type that holds values of both.
func widen(a, b ColumnType) ColumnType {
	switch {
	case a.Kind == Text || b.Kind == Text:
		return ColumnType{Kind: Text}
	case a.Kind == VarChar:
		return ColumnType{Kind: VarChar, Length: max(a.Length, b.Length)}
	case a.Kind == Decimal:
		ints := max(a.Precision-a.Scale, b.Precision-b.Scale)
		scale := max(a.Scale, b.Scale)
		return ColumnType{Kind: Decimal, Precision: min(ints+scale, metadata.MaxPrecision), Scale: scale}
	}
	return a
}

func columnType(s metadata.TypeSpec) ColumnType {
	switch s.Primitive {
	case metadata.String:
		if s.Length == 0 {
			return ColumnType{Kind: Text}
		}
		return ColumnType{Kind: VarChar, Length: s.Length}
	case metadata.Number:
		return ColumnType{Kind: Decimal, Precision: s.Precision, Scale: s.Scale}
	case metadata.Boolean:
		return ColumnType{Kind: Bool}
	case metadata.Date:
		return ColumnType{Kind: Timestamp}
	case metadata.ValueStorage:
		return ColumnType{Kind: Bytes}
	}
	return ColumnType{Kind: UUID}
}

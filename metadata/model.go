package metadata

import (
	"slices"
	"strings"

	"dostup/metadata/vocab"
	"dostup/sdbl/source"
)

// Configuration is a loaded, validated configuration.
type Configuration struct {
	Name string
	// English tells the language of names in query and restriction texts:
	// Справочник.X (false) or Catalog.X (true).
	English           bool
	Objects           []*Object
	SessionParameters []*SessionParameter
	FunctionalOptions []*FunctionalOption
	Roles             []*Role
	Users             []*User

	byName map[string]*Object // key: lower-cased "Справочник.Имя"
}

// Object returns the object of a full name in either language (Справочник.X
// or Catalog.X), in any letter case, or nil.
func (c *Configuration) Object(fullName string) *Object {
	prefix, name, ok := strings.Cut(fullName, ".")
	if !ok {
		return nil
	}
	k, ok := KindByPrefix(prefix)
	if !ok {
		return nil
	}
	return c.byName[key(k, name)]
}

func key(k Kind, name string) string { return strings.ToLower(k.Prefix(false) + "." + name) }

// Role returns the role of a name, in any letter case, or nil.
func (c *Configuration) Role(name string) *Role {
	for _, r := range c.Roles {
		if strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// Restrictions counts the restrictions of all roles.
func (c *Configuration) Restrictions() int {
	n := 0
	for _, r := range c.Roles {
		for _, o := range r.Objects {
			n += len(o.Restrictions)
		}
	}
	return n
}

// Periodicity is how an information register keeps history.
type Periodicity string

// Periodicities of information registers.
const (
	NotPeriodic     Periodicity = ""
	PerSecond       Periodicity = "second"
	PerDay          Periodicity = "day"
	PerMonth        Periodicity = "month"
	PerQuarter      Periodicity = "quarter"
	PerYear         Periodicity = "year"
	PerRecorderTime Periodicity = "recorder" // the period is the recorder's date
)

// Object is a metadata object: a catalog, document, register, constant,
// enumeration or document journal.
type Object struct {
	Kind    Kind
	Name    string
	Synonym string
	Pos     source.Position
	// Table is the SQL table the object maps to when it governs an existing
	// schema; empty means dostup names it.
	Table string

	// Attributes are the object's own attributes; for registers, the
	// dimensions, resources and attributes, told apart by Attribute.Role.
	Attributes      []*Attribute
	TabularSections []*TabularSection

	// Catalogs.
	Hierarchical      bool
	FoldersHierarchy  bool     // hierarchy of folders and items (ЭтоГруппа), not of items
	Owners            []string // full names of owner catalogs (subordinate catalog)
	CodeLength        int      // 0: no code
	CodeIsNumber      bool
	DescriptionLength int // 0: no description

	// Documents.
	NumberLength   int
	NumberIsNumber bool
	// RegisterRecords are the full names of the registers a document posts
	// to; Recorders, for a register, the documents that post to it, which
	// make the type of its Регистратор (any reference when none is named).
	RegisterRecords []string
	Recorders       []string

	// Registers.
	Periodicity Periodicity // information registers
	Recorder    bool        // subordinate to a recorder (always for accumulation registers)
	Turnovers   bool        // accumulation register of turnovers (not balances)

	// Constants.
	Type Type

	// Enumerations.
	Values []string

	// Predefined items of catalogs, charts of characteristic types,
	// accounts and calculation types and exchange plans, by name
	// (ЗНАЧЕНИЕ(Справочник.X.Имя) names them). PredefinedItems holds, in
	// the same order, what the configuration says of each beyond its
	// name: code, description, parent, an account's kind and flags.
	Predefined      []string
	PredefinedItems []*PredefinedItem

	// Charts of accounts: the chart of characteristic types whose items
	// are the kinds of subconto (ВидыСубконто) and how many an account
	// has at most; the accounting flags (признаки учета) each account
	// has as a boolean, and those each of its subconto rows has; the
	// length of Порядок. An accounting register has its chart's
	// ExtDimensionTypes, the type of its ВидСубконто.
	ExtDimensionTypes           string
	MaxExtDimensions            int
	AccountingFlags             []string
	ExtDimensionAccountingFlags []string
	OrderLength                 int

	// Accounting registers: the chart of accounts and whether a record
	// holds both sides (СчетДт and СчетКт) or one (Счет and ВидДвижения).
	// ExtDimensions and ExtDimensionType come from the chart: how many
	// subconto a record has on each side and the type of their values.
	ChartOfAccounts  string
	Correspondence   bool
	ExtDimensions    int
	ExtDimensionType Type

	// Charts of calculation types: whether a calculation type has an
	// action period (ПериодДействияБазовый, ВытесняющиеВидыРасчета) and
	// depends on base calculation types (БазовыеВидыРасчета).
	ActionPeriod  bool
	DependsOnBase bool

	// Document journals: the documents they register (full Russian names);
	// their columns (графы) are Attributes with References. NumberType is
	// the type of the journal's Номер, made of its documents' numbers.
	Documents  []string
	NumberType Type
}

// FullName is the object's name with its kind prefix in the given language.
func (o *Object) FullName(english bool) string { return o.Kind.Prefix(english) + "." + o.Name }

// Attribute returns the attribute (own or standard) of a name in either
// language, or nil.
func (o *Object) Attribute(name string) *Attribute {
	for _, a := range o.Attributes {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	for _, a := range o.StandardAttributes() {
		if strings.EqualFold(a.Name, name) || strings.EqualFold(a.English, name) {
			return a
		}
	}
	return nil
}

// TabularSection returns the tabular section of a name, or nil.
func (o *Object) TabularSection(name string) *TabularSection {
	for _, t := range o.TabularSections {
		if strings.EqualFold(t.Name, name) || t.English != "" && strings.EqualFold(t.English, name) {
			return t
		}
	}
	return nil
}

// PredefinedItem is what the configuration says of a predefined item
// (Ext/Predefined.xml) beyond its name.
type PredefinedItem struct {
	Name        string
	Code        string
	Description string
	Parent      string // the name of the predefined item it is under; "" at the top
	IsFolder    bool
	// Accounts: Вид (a value of ВидСчета: Активный, Пассивный,
	// АктивноПассивный), Забалансовый, and the accounting flags set.
	AccountType string
	OffBalance  bool
	Flags       []string
}

// AttributeRole tells what an attribute is in its object.
type AttributeRole int

// Roles of attributes.
const (
	PlainAttribute AttributeRole = iota
	Dimension
	Resource
	StandardAttribute
)

// Attribute is a typed field of an object or tabular section.
type Attribute struct {
	Name    string
	English string // standard attributes: the English name (Ref, Code, ...)
	Type    Type
	Role    AttributeRole
	Column  string // SQL column when mapping an existing schema; empty: dostup names it
	Pos     source.Position
	// References are, for a column of a document journal, the attribute
	// of each registered document the column shows; its Type is theirs
	// together, as 1C derives it.
	References []ColumnReference
	// NonBalance marks a dimension or resource of an accounting register
	// that is not balanced (Балансовый unset): a register with
	// correspondence keeps it for each side, as two attributes XДт and
	// XКт whose Base is X and Side "Дт" or "Кт".
	NonBalance bool
	Base, Side string
}

// ColumnReference is the attribute of one registered document that a
// journal column shows.
type ColumnReference struct {
	Document  string // the document's full Russian name
	Attribute string // an attribute of the document (own or standard)
	Pos       source.Position
}

// TabularSection is a nested table of a catalog or document.
type TabularSection struct {
	Name       string
	English    string // a standard tabular section's English name (ExtDimensionTypes)
	Table      string
	Attributes []*Attribute
	Pos        source.Position
}

// SessionParameter is a value computed when a session starts.
type SessionParameter struct {
	Name string
	Type Type
	// Query, in the 1C query language, obtains the value in privileged mode
	// with &ИмяПользователя (&UserName) set; empty means the embedding
	// program sets the value.
	Query *source.File
	Pos   source.Position
}

// FunctionalOption switches a function on or off through a constant.
type FunctionalOption struct {
	Name       string
	Constant   string // full name of the constant that stores it
	Privileged bool   // read in privileged mode
	Pos        source.Position
}

// Role grants rights on objects and global rights.
type Role struct {
	Name string
	Pos  source.Position
	// GlobalRights are the global rights the role grants (English names),
	// those set_for_new_objects grants included.
	GlobalRights []string
	// Objects are the role's rights on objects. A role with
	// SetForNewObjects has an entry for every object of the configuration
	// once loaded: those it does not list are Implicit.
	Objects   []*ObjectRights
	Templates []*Template
	// SecondFactor: the role is active in a session only after an OTP
	// check (step-up, §5).
	SecondFactor bool

	// The role editor's flags, as the YAML format's keys of the same names
	// say. SetForNewObjects is already applied to GlobalRights and
	// Objects; the other two decide FieldRight.
	SetForNewObjects                bool
	SetForAttributesByDefault       bool
	IndependentRightsOfChildObjects bool
	// Withheld are the global rights a role with SetForNewObjects does
	// not grant (English names), as its file lists them.
	Withheld []string

	// byObject indexes Objects: a role granting everything has thousands
	// of entries, and every access asks for one of them.
	byObject map[*Object]*ObjectRights
}

// ObjectRights are a role's rights on one object.
type ObjectRights struct {
	Object string // full name as written
	// Rights are the rights granted (English names), set_for_new_objects'
	// included.
	Rights       []string
	Restrictions []*Restriction
	Pos          source.Position
	// Withheld are the rights a role with set_for_new_objects withholds
	// on the object, as its file lists them.
	Withheld []string
	// Fields are the field entries the file lists: where a field's rights
	// differ from the role's default for fields.
	Fields []*FieldRights
	// Implicit: the file does not name the object; set_for_new_objects
	// grants every right of its kind.
	Implicit bool
}

// FieldRights are a role's Просмотр and Редактирование (View, Edit) of one
// field of an object, as its file lists them.
type FieldRights struct {
	// Field is an attribute, standard attribute, dimension, resource or
	// tabular section of the object, or ТЧ.Реквизит for an attribute of a
	// tabular section, as the configuration spells it.
	Field    string
	Rights   []string // granted (English names)
	Withheld []string // withheld (English names)
	Pos      source.Position
}

// Has reports whether the rights include right (any language, any case).
func (o *ObjectRights) Has(right string) bool {
	if r, ok := vocab.ParseRight(right); ok {
		// Loaded rights are English names: compared as they are, a role
		// granting every right answers without parsing each of them.
		if slices.Contains(o.Rights, string(r)) {
			return true
		}
	}
	for _, r := range o.Rights {
		if sameRight(r, right) {
			return true
		}
	}
	return false
}

// field returns the entry of a field (any letter case), or nil.
func (o *ObjectRights) field(name string) *FieldRights {
	for _, f := range o.Fields {
		if strings.EqualFold(f.Field, name) {
			return f
		}
	}
	return nil
}

// Restriction is a record-level restriction of a right: a condition for the
// listed fields, or for every other field when Fields is empty.
type Restriction struct {
	Right     string
	Fields    []string
	Condition *source.File
	Pos       source.Position
	// Origin is where an imported restriction was written in the dump
	// (Roles/<Role>/Ext/Rights.xml:line:col), or "".
	Origin string
}

// Template is a restriction template of a role. Name may carry a parameter
// list: ДляРегистра(Регистр, Поле1).
type Template struct {
	Name      string
	Condition *source.File
	Pos       source.Position
}

// User is an infobase user and the roles it holds.
type User struct {
	Name     string
	FullName string
	Roles    []string
	OSUser   string // the operating-system account mapped to the user, or ""
	Email    string // where delivered second-factor codes go, or ""
	Pos      source.Position
}

// User returns the user of a name, in any letter case, or nil.
func (c *Configuration) User(name string) *User {
	for _, u := range c.Users {
		if strings.EqualFold(u.Name, name) {
			return u
		}
	}
	return nil
}

// UserByOSAccount returns the user mapped to an operating-system account
// (user, or DOMAIN\user matched whole or by its user part), or nil.
func (c *Configuration) UserByOSAccount(account string) *User {
	short := account
	if i := strings.LastIndexAny(account, `\/`); i >= 0 {
		short = account[i+1:]
	}
	for _, u := range c.Users {
		if u.OSUser != "" && (strings.EqualFold(u.OSUser, account) || strings.EqualFold(u.OSUser, short)) {
			return u
		}
	}
	return nil
}

// ObjectRights returns the role's rights on an object (full name in either
// language), or nil when it grants none.
func (r *Role) ObjectRights(cfg *Configuration, object string) *ObjectRights {
	o := cfg.Object(object)
	if o == nil {
		return nil
	}
	if r.byObject != nil {
		return r.byObject[o]
	}
	for _, or := range r.Objects {
		if ro := cfg.Object(or.Object); ro == o {
			return or
		}
	}
	return nil
}

// HasGlobalRight reports whether the role grants a global right such as
// Администрирование (either language).
func (r *Role) HasGlobalRight(right string) bool {
	for _, g := range r.GlobalRights {
		if sameRight(g, right) {
			return true
		}
	}
	return false
}

// RestrictionsOf returns the restrictions of one right (either language).
func (o *ObjectRights) RestrictionsOf(right string) []*Restriction {
	var out []*Restriction
	for _, r := range o.Restrictions {
		if sameRight(r.Right, right) {
			out = append(out, r)
		}
	}
	return out
}

// FieldRight reports whether the role grants Просмотр or Редактирование
// (View or Edit, either language) of a field of an object, as 1C decides
// it: the field's entry if the file lists one for the right, else the
// role's default for fields (set_for_attributes_by_default); and unless the
// role has independent_rights_of_child_objects, the same right on what
// holds the field too (the object, or the tabular section of ТЧ.Реквизит).
// Any other right, or a field the object lacks, is not granted.
func (r *Role) FieldRight(cfg *Configuration, object, field, right string) bool {
	rt, ok := vocab.ParseRight(right)
	if !ok || !slices.Contains(fieldRights, rt) {
		return false
	}
	o := cfg.Object(object)
	if o == nil || !o.hasField(field) {
		return false
	}
	or := r.ObjectRights(cfg, object)
	granted := r.SetForAttributesByDefault
	if or != nil {
		if f := or.field(field); f != nil {
			switch {
			case slices.Contains(f.Rights, string(rt)):
				granted = true
			case slices.Contains(f.Withheld, string(rt)):
				granted = false
			}
		}
	}
	if !granted || r.IndependentRightsOfChildObjects {
		return granted
	}
	if section, _, nested := strings.Cut(field, "."); nested {
		return r.FieldRight(cfg, object, section, right)
	}
	return or != nil && or.Has(string(rt))
}

// hasField reports whether the object has a field of a name as FieldRights
// names it: an attribute (own or standard), a tabular section, or
// ТЧ.Реквизит.
func (o *Object) hasField(name string) bool {
	section, attr, nested := strings.Cut(name, ".")
	if !nested {
		return o.Attribute(name) != nil || o.TabularSection(name) != nil
	}
	ts := o.TabularSection(section)
	if ts == nil {
		return false
	}
	if strings.EqualFold(attr, "НомерСтроки") || strings.EqualFold(attr, "LineNumber") ||
		strings.EqualFold(attr, "Ссылка") || strings.EqualFold(attr, "Ref") {
		return true
	}
	for _, a := range ts.Attributes {
		if strings.EqualFold(a.Name, attr) {
			return true
		}
	}
	return false
}

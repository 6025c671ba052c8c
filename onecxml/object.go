package onecxml

import (
	"encoding/xml"
	"os"
	"strconv"
	"strings"

	"dostup/sdbl/source"
)

// Namespaces that type names in <v8:Type> texts are written in. The dump
// declares them on the root element as xs, v8 and cfg; a file may bind other
// prefixes to them, so names are rewritten to these prefixes.
const (
	xsNamespace  = "http://www.w3.org/2001/XMLSchema"
	v8Namespace  = "http://v8.1c.ru/8.1/data/core"
	cfgNamespace = "http://v8.1c.ru/8.1/data/enterprise/current-config"
	entNamespace = "http://v8.1c.ru/8.1/data/enterprise"
)

var canonicalPrefix = map[string]string{
	xsNamespace:  "xs",
	v8Namespace:  "v8",
	cfgNamespace: "cfg",
	entNamespace: "ent",
}

// TypeDesc is a 1C type description as the dump writes it.
type TypeDesc struct {
	// Types are the <v8:Type> values as written, prefix kept: "xs:string",
	// "xs:decimal", "xs:boolean", "xs:dateTime", "cfg:CatalogRef.Пользователи",
	// "v8:ValueStorage", "v8:UUID", "v8:FixedArray", "cfg:AnyRef"... A prefix
	// bound to a well-known namespace under another name is rewritten to
	// xs, v8, cfg or ent.
	Types []string
	// TypeSets are the <v8:TypeSet> values: "cfg:DefinedType.X",
	// "cfg:Characteristic.X", "cfg:AnyRef"...
	TypeSets []string

	StringLength int  // 0 = unlimited
	FixedLength  bool // AllowedLength Fixed: the string is padded to StringLength

	Digits, FractionDigits int
	NonNegative            bool // AllowedSign Nonnegative

	DateFractions string // "Date", "Time", "DateTime" or ""
}

// IsEmpty reports whether the description names no type at all.
func (t TypeDesc) IsEmpty() bool { return len(t.Types) == 0 && len(t.TypeSets) == 0 }

// MDAttribute is an attribute, dimension, resource, addressing attribute or
// journal column of an object, or an attribute of a tabular section.
type MDAttribute struct {
	Name, Synonym string
	Type          TypeDesc
	Pos           source.Position // of the element's start tag (<Attribute>, <Dimension>...)

	// References are the attributes a document journal column shows
	// ("Document.X.Attribute.Автор"); a column has no type of its own.
	References []string
	// Balance is an accounting register's dimension's or resource's
	// <Balance> (Балансовый); nil where the element has none.
	Balance *bool
}

// MDTabular is a tabular section with its attributes.
type MDTabular struct {
	Name       string
	Attributes []MDAttribute
	Pos        source.Position
}

// CommonAttributeUse is one entry of a common attribute's content: an object
// and whether the attribute is in it.
type CommonAttributeUse struct {
	Metadata string // e.g. "Catalog.X"
	Use      string // "Use", "DontUse", "Auto"
}

// MDObject is one metadata object file of a dump: <Folder>/<Name>.xml. Only
// what access control and queries need is kept; fields that do not apply to
// the object's kind are left zero.
type MDObject struct {
	// Kind is the element name: "Catalog", "Document", "InformationRegister",
	// "AccumulationRegister", "ChartOfCharacteristicTypes", "ExchangePlan",
	// "BusinessProcess", "Task", "Enum", "Constant", "SessionParameter",
	// "FunctionalOption", "FunctionalOptionsParameter", "DefinedType",
	// "CommonAttribute", "DocumentJournal".
	Kind string
	Name string
	// Synonym is the object's synonym in Russian when it has one, else in
	// the first language it is written in.
	Synonym string
	Path    string
	Pos     source.Position // of the object's element (<Catalog>...)

	Hierarchical  bool
	HierarchyType string   // "HierarchyFoldersAndItems" | "HierarchyOfItems"
	Owners        []string // "Catalog.X" as written in <Owners><xr:Item>

	CodeLength        int
	CodeType          string // "String" | "Number"
	DescriptionLength int
	NumberLength      int
	NumberType        string

	// Periodicity is an information register's periodicity: "Nonperiodical",
	// "Second", "Day", "Month", "Quarter", "Year", "RecorderPosition".
	Periodicity  string
	WriteMode    string // "Independent" | "RecorderSubordinate"
	RegisterType string // accumulation register: "Balance" | "Turnovers"

	// Type is the value type of a Constant, SessionParameter, DefinedType,
	// CommonAttribute or ChartOfCharacteristicTypes; nil for other kinds.
	Type *TypeDesc

	Values []string // enum values, in order

	// Attributes include a task's addressing attributes, after its own.
	Attributes, Dimensions, Resources []MDAttribute
	TabularSections                   []MDTabular
	// Columns are a document journal's columns; their References say
	// which documents' attributes each one shows.
	Columns []MDAttribute

	// Functional option.
	Location          string // e.g. "Constant.X" or "InformationRegister.X.Resource.Y"
	PrivilegedGetMode bool
	OptionContent     []string // the objects the option governs: <Content><xr:Object>

	// Functional options parameter: what it is used for (<Use><xr:Item>),
	// e.g. "InformationRegister.X.Dimension.Y".
	ParameterUse []string

	// Common attribute.
	Content []CommonAttributeUse
	AutoUse string // "Use" | "DontUse"

	// Chart of accounts: the chart of characteristic types of its
	// subconto kinds (<ExtDimensionTypes>), how many an account has
	// (<MaxExtDimensionCount>), the length of Порядок, and the names of
	// its <AccountingFlag> and <ExtDimensionAccountingFlag> children.
	ExtDimensionTypes           string
	MaxExtDimensionCount        int
	OrderLength                 int
	AccountingFlags             []string
	ExtDimensionAccountingFlags []string
	// Accounting register: its <ChartOfAccounts> and <Correspondence>.
	ChartOfAccounts string
	Correspondence  bool
	// Chart of calculation types: <ActionPeriodUse> and
	// <DependenceOnCalculationTypes> ("DontUse", "OnActionPeriod", ...).
	ActionPeriodUse              bool
	DependenceOnCalculationTypes string

	RegisteredDocuments []string // document journal: "Document.X"
	RegisterRecords     []string // document: the registers it posts to, "AccumulationRegister.X"
	Predefined          []string // names of predefined items (Ext/Predefined.xml), nested ones included
	// PredefinedItems are the same items with what Predefined.xml says of
	// each: code, description, parent, an account's kind and flags.
	PredefinedItems []PredefinedItem
	// PredefinedRead tells that the dump has the object's Ext/Predefined.xml:
	// without it the dump does not say which predefined items exist.
	PredefinedRead bool
}

// FullName returns the name Rights.xml and Configuration.xml use for the
// object: "Catalog.X".
func (o *MDObject) FullName() string { return o.Kind + "." + o.Name }

// Attribute returns the attribute, dimension or resource of the given name,
// compared without regard to case as 1C does, or nil.
func (o *MDObject) Attribute(name string) *MDAttribute {
	for _, list := range [][]MDAttribute{o.Attributes, o.Dimensions, o.Resources} {
		for i := range list {
			if strings.EqualFold(list[i].Name, name) {
				return &list[i]
			}
		}
	}
	return nil
}

// TabularSection returns the tabular section of the given name, or nil.
func (o *MDObject) TabularSection(name string) *MDTabular {
	for i := range o.TabularSections {
		if strings.EqualFold(o.TabularSections[i].Name, name) {
			return &o.TabularSections[i]
		}
	}
	return nil
}

// objectKinds are the kinds ReadObject reads. ReadDump follows the order of
// Configuration.xml, so the order here matters only for messages.
var objectKinds = []string{
	"Catalog", "Document", "DocumentJournal", "InformationRegister", "AccumulationRegister",
	"ChartOfCharacteristicTypes", "ExchangePlan", "BusinessProcess", "Task", "Enum",
	"Constant", "SessionParameter", "FunctionalOption", "FunctionalOptionsParameter",
	"DefinedType", "CommonAttribute", "ChartOfAccounts", "AccountingRegister", "ChartOfCalculationTypes",
}

// IsObjectKind reports whether ReadObject and ReadDump read objects of the
// kind (its English name, as Configuration.xml writes it).
func IsObjectKind(kind string) bool {
	for _, k := range objectKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// ReadObject reads the metadata object file of a dump (Catalogs/X.xml,
// InformationRegisters/Y.xml...). Malformed XML and values that make no sense
// (a length that is not a number, an object without a name) are reported as
// *Error with the file's line and column. Elements it does not need,
// including ones that newer platform versions add, are skipped.
func ReadObject(path string) (*MDObject, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseObject(path, data)
}

// objectReader is an xmlReader that also knows the namespace prefixes of the
// root element, which the texts of <v8:Type> use.
type objectReader struct {
	*xmlReader
	ns map[string]string // prefix → namespace
}

func parseObject(path string, data []byte) (*MDObject, error) {
	r := &objectReader{xmlReader: newXMLReader(path, data)}
	root, rootOff, err := r.root()
	if err != nil {
		return nil, err
	}
	if root.Name.Local != "MetaDataObject" || (root.Name.Space != MDClassesNamespace && root.Name.Space != "") {
		return nil, r.errorf(rootOff, "root element is <%s> in namespace %q; an object file has <MetaDataObject> in %q", root.Name.Local, root.Name.Space, MDClassesNamespace)
	}
	r.ns = declare(nil, root)
	var o *MDObject
	err = r.children(func(se xml.StartElement, off int) error {
		if o != nil {
			return r.errorf(off, "a second object <%s> after %s %s; an object file holds one object", se.Name.Local, o.Kind, o.Name)
		}
		if se.Name.Local == "Configuration" {
			return r.errorf(off, "<Configuration> is not an object; read Configuration.xml with ReadConfiguration")
		}
		if !IsObjectKind(se.Name.Local) {
			return r.errorf(off, "<%s> is not a kind of object this reader knows (%s)", se.Name.Local, strings.Join(objectKinds, ", "))
		}
		o = &MDObject{Kind: se.Name.Local, Path: path, Pos: r.position(off)}
		return r.object(o)
	})
	if err != nil {
		return nil, err
	}
	if err := r.finish(); err != nil {
		return nil, err
	}
	if o == nil {
		return nil, r.errorf(rootOff, "<MetaDataObject> without an object")
	}
	if o.Name == "" {
		return nil, &Error{Loc: source.At(o.Pos), Msg: "<" + o.Kind + "> without a <Name>"}
	}
	return o, nil
}

// declare returns the prefix bindings of ns extended with those se declares;
// ns itself is not changed.
func declare(ns map[string]string, se xml.StartElement) map[string]string {
	var out map[string]string
	for _, a := range se.Attr {
		if a.Name.Space != "xmlns" {
			continue
		}
		if out == nil {
			out = make(map[string]string, len(ns)+1)
			for k, v := range ns {
				out[k] = v
			}
		}
		out[a.Name.Local] = a.Value
	}
	if out == nil {
		return ns
	}
	return out
}

func (r *objectReader) object(o *MDObject) error {
	return r.children(func(se xml.StartElement, off int) error {
		switch se.Name.Local {
		case "Properties":
			return r.objectProperties(o)
		case "ChildObjects":
			return r.childObjects(o)
		}
		return r.skip()
	})
}

func (r *objectReader) objectProperties(o *MDObject) error {
	return r.children(func(se xml.StartElement, off int) error {
		var err error
		switch se.Name.Local {
		case "Name":
			o.Name, err = r.name(se, off)
		case "Synonym":
			o.Synonym, err = r.synonym()
		case "Hierarchical":
			o.Hierarchical, err = r.boolText(se, off)
		case "HierarchyType":
			o.HierarchyType, err = r.word(se)
		case "Owners":
			o.Owners, err = r.items("Item")
		case "CodeLength":
			o.CodeLength, err = r.intText(se, off)
		case "CodeType":
			o.CodeType, err = r.word(se)
		case "DescriptionLength":
			o.DescriptionLength, err = r.intText(se, off)
		case "NumberLength":
			o.NumberLength, err = r.intText(se, off)
		case "NumberType":
			o.NumberType, err = r.word(se)
		case "InformationRegisterPeriodicity":
			o.Periodicity, err = r.word(se)
		case "WriteMode":
			o.WriteMode, err = r.word(se)
		case "RegisterType":
			o.RegisterType, err = r.word(se)
		case "Type":
			if o.Type != nil {
				return r.errorf(off, "a second <Type> in the properties of %s %s", o.Kind, o.Name)
			}
			var t TypeDesc
			t, err = r.typeDesc(se, off)
			o.Type = &t
		case "Location":
			o.Location, err = r.word(se)
		case "PrivilegedGetMode":
			o.PrivilegedGetMode, err = r.boolText(se, off)
		case "Content":
			err = r.content(o)
		case "AutoUse":
			o.AutoUse, err = r.word(se)
		case "Use":
			// Only a functional options parameter has a list here; other
			// kinds may one day have a word.
			if o.Kind != "FunctionalOptionsParameter" {
				return r.skip()
			}
			o.ParameterUse, err = r.items("Item")
		case "RegisteredDocuments":
			o.RegisteredDocuments, err = r.items("Item")
		case "ExtDimensionTypes":
			o.ExtDimensionTypes, err = r.word(se)
		case "MaxExtDimensionCount":
			o.MaxExtDimensionCount, err = r.intText(se, off)
		case "OrderLength":
			o.OrderLength, err = r.intText(se, off)
		case "ChartOfAccounts":
			o.ChartOfAccounts, err = r.word(se)
		case "Correspondence":
			o.Correspondence, err = r.boolText(se, off)
		case "ActionPeriodUse":
			o.ActionPeriodUse, err = r.boolText(se, off)
		case "DependenceOnCalculationTypes":
			o.DependenceOnCalculationTypes, err = r.word(se)
		case "RegisterRecords":
			o.RegisterRecords, err = r.items("Item")
		default:
			err = r.skip()
		}
		return err
	})
}

// content reads <Content>: a common attribute's list of <xr:Item> with
// <xr:Metadata> and <xr:Use>, or a functional option's list of <xr:Object>.
func (r *objectReader) content(o *MDObject) error {
	return r.children(func(se xml.StartElement, off int) error {
		switch se.Name.Local {
		case "Object":
			s, err := r.word(se)
			if err == nil && s == "" {
				err = r.errorf(off, "empty <%s> in <Content>", se.Name.Local)
			}
			o.OptionContent = append(o.OptionContent, s)
			return err
		case "Item":
			var u CommonAttributeUse
			err := r.children(func(se xml.StartElement, off int) error {
				var err error
				switch se.Name.Local {
				case "Metadata":
					u.Metadata, err = r.word(se)
				case "Use":
					u.Use, err = r.word(se)
				default:
					err = r.skip()
				}
				return err
			})
			if err == nil && u.Metadata == "" {
				err = r.errorf(off, "<Content> item without <Metadata>")
			}
			o.Content = append(o.Content, u)
			return err
		}
		return r.skip()
	})
}

func (r *objectReader) childObjects(o *MDObject) error {
	return r.children(func(se xml.StartElement, off int) error {
		var err error
		switch se.Name.Local {
		case "Attribute", "AddressingAttribute":
			var a MDAttribute
			a, err = r.attribute(se, off)
			o.Attributes = append(o.Attributes, a)
		case "Dimension":
			var a MDAttribute
			a, err = r.attribute(se, off)
			o.Dimensions = append(o.Dimensions, a)
		case "Resource":
			var a MDAttribute
			a, err = r.attribute(se, off)
			o.Resources = append(o.Resources, a)
		case "Column":
			var a MDAttribute
			a, err = r.attribute(se, off)
			o.Columns = append(o.Columns, a)
		case "TabularSection":
			var ts MDTabular
			ts, err = r.tabular(off)
			o.TabularSections = append(o.TabularSections, ts)
		case "EnumValue":
			var a MDAttribute
			a, err = r.attribute(se, off)
			o.Values = append(o.Values, a.Name)
		case "AccountingFlag":
			var a MDAttribute
			a, err = r.attribute(se, off)
			o.AccountingFlags = append(o.AccountingFlags, a.Name)
		case "ExtDimensionAccountingFlag":
			var a MDAttribute
			a, err = r.attribute(se, off)
			o.ExtDimensionAccountingFlags = append(o.ExtDimensionAccountingFlags, a.Name)
		default:
			// Forms, commands and templates: <Form>Name</Form>.
			err = r.skip()
		}
		return err
	})
}

// attribute reads an element whose <Properties> has a <Name>, a <Synonym>
// and perhaps a <Type> or <References>.
func (r *objectReader) attribute(start xml.StartElement, startOff int) (MDAttribute, error) {
	a := MDAttribute{Pos: r.position(startOff)}
	typed := false
	err := r.children(func(se xml.StartElement, off int) error {
		if se.Name.Local != "Properties" {
			return r.skip()
		}
		return r.children(func(se xml.StartElement, off int) error {
			var err error
			switch se.Name.Local {
			case "Name":
				a.Name, err = r.name(se, off)
			case "Synonym":
				a.Synonym, err = r.synonym()
			case "Type":
				if typed {
					return r.errorf(off, "a second <Type> in <%s>", start.Name.Local)
				}
				typed = true
				a.Type, err = r.typeDesc(se, off)
			case "References":
				a.References, err = r.items("Item")
			case "Balance":
				var b bool
				b, err = r.boolText(se, off)
				a.Balance = &b
			default:
				err = r.skip()
			}
			return err
		})
	})
	if err == nil && a.Name == "" {
		err = r.errorf(startOff, "<%s> without a <Name>", start.Name.Local)
	}
	return a, err
}

func (r *objectReader) tabular(startOff int) (MDTabular, error) {
	ts := MDTabular{Pos: r.position(startOff)}
	err := r.children(func(se xml.StartElement, off int) error {
		switch se.Name.Local {
		case "Properties":
			return r.children(func(se xml.StartElement, off int) error {
				if se.Name.Local != "Name" {
					return r.skip()
				}
				var err error
				ts.Name, err = r.name(se, off)
				return err
			})
		case "ChildObjects":
			return r.children(func(se xml.StartElement, off int) error {
				if se.Name.Local != "Attribute" {
					return r.skip()
				}
				a, err := r.attribute(se, off)
				ts.Attributes = append(ts.Attributes, a)
				return err
			})
		}
		return r.skip()
	})
	if err == nil && ts.Name == "" {
		err = r.errorf(startOff, "<TabularSection> without a <Name>")
	}
	return ts, err
}

// typeDesc reads a <Type> element of properties.
func (r *objectReader) typeDesc(typeElem xml.StartElement, typeOff int) (TypeDesc, error) {
	var t TypeDesc
	ns := declare(r.ns, typeElem)
	err := r.children(func(se xml.StartElement, off int) error {
		switch se.Name.Local {
		case "Type", "TypeSet":
			s, err := r.word(se)
			if err != nil {
				return err
			}
			if s == "" {
				return r.errorf(off, "empty <v8:%s>", se.Name.Local)
			}
			s = canonicalType(declare(ns, se), s)
			if se.Name.Local == "Type" {
				t.Types = append(t.Types, s)
			} else {
				t.TypeSets = append(t.TypeSets, s)
			}
			return nil
		case "StringQualifiers":
			return r.children(func(se xml.StartElement, off int) error {
				var err error
				switch se.Name.Local {
				case "Length":
					t.StringLength, err = r.intText(se, off)
				case "AllowedLength":
					var s string
					s, err = r.word(se)
					t.FixedLength = s == "Fixed"
				default:
					err = r.skip()
				}
				return err
			})
		case "NumberQualifiers":
			return r.children(func(se xml.StartElement, off int) error {
				var err error
				switch se.Name.Local {
				case "Digits":
					t.Digits, err = r.intText(se, off)
				case "FractionDigits":
					t.FractionDigits, err = r.intText(se, off)
				case "AllowedSign":
					var s string
					s, err = r.word(se)
					t.NonNegative = s == "Nonnegative"
				default:
					err = r.skip()
				}
				return err
			})
		case "DateQualifiers":
			return r.children(func(se xml.StartElement, off int) error {
				var err error
				if se.Name.Local == "DateFractions" {
					t.DateFractions, err = r.word(se)
				} else {
					err = r.skip()
				}
				return err
			})
		}
		return r.skip()
	})
	if err == nil && t.FractionDigits > t.Digits && t.Digits > 0 {
		err = r.errorf(typeOff, "a number type with %d fraction digits out of %d", t.FractionDigits, t.Digits)
	}
	return t, err
}

// canonicalType rewrites the prefix of a type name to the one the dump
// normally uses for its namespace, so that "d5p1:CatalogRef.X" with d5p1
// bound to the configuration's namespace reads "cfg:CatalogRef.X". Names
// with an unknown or undeclared prefix are kept as written.
func canonicalType(ns map[string]string, s string) string {
	prefix, local, ok := strings.Cut(s, ":")
	if !ok {
		return s
	}
	if p, ok := canonicalPrefix[ns[prefix]]; ok && p != prefix {
		return p + ":" + local
	}
	return s
}

// word reads a simple element and trims the white space around its text.
func (r *objectReader) word(se xml.StartElement) (string, error) {
	s, err := r.text(se)
	return strings.TrimSpace(s), err
}

// name reads a <Name>, which must not be empty.
func (r *objectReader) name(se xml.StartElement, off int) (string, error) {
	s, err := r.word(se)
	if err == nil && s == "" {
		err = r.errorf(off, "empty <Name>")
	}
	return s, err
}

// intText reads an element holding a number that is not negative, such as
// a length.
func (r *objectReader) intText(se xml.StartElement, off int) (int, error) {
	s, err := r.word(se)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, r.errorf(off, "<%s> holds %q; want a number of 0 or more", se.Name.Local, s)
	}
	return n, nil
}

// items reads a list such as <Owners> of child elements named local
// (<xr:Item>) and returns their texts.
func (r *objectReader) items(local string) ([]string, error) {
	var out []string
	err := r.children(func(se xml.StartElement, off int) error {
		if se.Name.Local != local {
			return r.skip()
		}
		s, err := r.word(se)
		if err == nil && s == "" {
			err = r.errorf(off, "empty <%s>", se.Name.Local)
		}
		out = append(out, s)
		return err
	})
	return out, err
}

// synonym reads a <Synonym> (<v8:item> with <v8:lang> and <v8:content>) and
// returns the Russian text if there is one, else the first.
func (r *objectReader) synonym() (string, error) {
	var first, ru string
	n, hasRU := 0, false
	err := r.children(func(se xml.StartElement, off int) error {
		if se.Name.Local != "item" {
			return r.skip()
		}
		var lang, content string
		err := r.children(func(se xml.StartElement, off int) error {
			var err error
			switch se.Name.Local {
			case "lang":
				lang, err = r.word(se)
			case "content":
				content, err = r.text(se)
			default:
				err = r.skip()
			}
			return err
		})
		if n == 0 {
			first = content
		}
		n++
		if lang == "ru" && !hasRU {
			ru, hasRU = content, true
		}
		return err
	})
	if hasRU {
		return ru, err
	}
	return first, err
}

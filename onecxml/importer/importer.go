package importer

import (
	"dostup/sdbl/source"
	"dostup/sdbl/template"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"dostup/metadata"
	"dostup/onecxml"
)

// Result is a dump turned into dostup's configuration format: one file for
// the configuration's own settings, one per kind of object, one per role.
type Result struct {
	Files map[string]*metadata.FileFormat // by file name relative to the output folder
	// Warnings are what the format cannot hold yet and was left out or
	// approximated, each naming the object.
	Warnings []string
	// Counts of what was imported.
	Objects, Roles, Restrictions int
}

// modelKind finds the model's kind of a dump's object kind, given by its
// English name exactly as the dump writes it. Document journals are not
// among metadata.Kinds: they are built over documents and converted apart.
func modelKind(dumpKind string) (metadata.Kind, bool) {
	for _, k := range metadata.Kinds() {
		if k.Prefix(true) == dumpKind {
			return k, true
		}
	}
	return 0, false
}

// converter holds what type conversion needs across objects.
type converter struct {
	dump    *onecxml.Dump
	defined map[string]*onecxml.MDObject // DefinedType and ChartOfCharacteristicTypes by lower-cased name
	charts  map[string]*onecxml.MDObject
	// objects indexes the dump's objects by lower-cased full name
	// (Catalog.X): roles name them tens of thousands of times.
	objects  map[string]*onecxml.MDObject
	warnings []string
}

// lookup is onecxml.Dump.Object through the converter's index: types and
// texts name objects hundreds of thousands of times, and the dump's own
// lookup walks every object for each.
func (c *converter) lookup(fullName string) *onecxml.MDObject {
	return c.objects[strings.ToLower(onecxml.TableName(fullName, false))]
}

func (c *converter) warnf(format string, args ...any) {
	c.warnings = append(c.warnings, fmt.Sprintf(format, args...))
}

// Convert turns a dump into the configuration format. It reports what the
// format cannot express as warnings; the result loads with metadata.Load.
// origin names a place of the dump relative to its root, with forward
// slashes, as a restriction's origin keeps it: the same wherever the dump
// is unpacked.
func (c *converter) origin(p source.Position) string {
	name := p.Filename
	if rel, err := filepath.Rel(c.dump.Root, name); err == nil && !strings.HasPrefix(rel, "..") {
		name = rel
	}
	p.Filename = filepath.ToSlash(name)
	return p.String()
}

func Convert(d *onecxml.Dump) (*Result, error) {
	c := &converter{dump: d, defined: map[string]*onecxml.MDObject{}, charts: map[string]*onecxml.MDObject{}, objects: map[string]*onecxml.MDObject{}}
	for _, o := range d.Objects {
		if key := strings.ToLower(o.FullName()); c.objects[key] == nil {
			c.objects[key] = o
		}
		switch o.Kind {
		case "DefinedType":
			c.defined[strings.ToLower(o.Name)] = o
		case "ChartOfCharacteristicTypes":
			c.charts[strings.ToLower(o.Name)] = o
		}
	}
	english := d.Configuration != nil && !d.Configuration.Russian()
	lang := "ru"
	if english {
		lang = "en"
	}
	out := &Result{Files: map[string]*metadata.FileFormat{}}
	main := &metadata.FileFormat{Configuration: &metadata.ConfigFormat{Name: d.Configuration.Name, Language: lang}}
	out.Files["configuration.yaml"] = main
	objects := &metadata.FileFormat{}
	out.Files["objects.yaml"] = objects
	common := c.commonAttributes()
	var rights []*onecxml.Rights
	for _, path := range d.Rights {
		r, err := onecxml.ReadRights(path)
		if err != nil {
			return nil, err
		}
		rights = append(rights, r)
	}
	predefined := c.namedPredefined(rights)
	for _, o := range d.Objects {
		k, ok := modelKind(o.Kind)
		if !ok {
			switch o.Kind {
			case "SessionParameter":
				main.SessionParameters = append(main.SessionParameters, metadata.SessionParameterFormat{Name: o.Name, Type: c.typeOf(o.FullName(), derefType(o.Type))})
			case "FunctionalOption":
				if loc := o.Location; strings.HasPrefix(loc, "Constant.") && strings.Count(loc, ".") == 1 {
					main.FunctionalOptions = append(main.FunctionalOptions, metadata.FunctionalOptionFormat{
						Name: o.Name, Constant: onecxml.TableName(loc, true), Privileged: o.PrivilegedGetMode})
				} else {
					c.warnf("functional option %s is stored in %s: only options stored in constants are imported", o.Name, loc)
				}
			case "DocumentJournal":
				if j, ok := c.journal(o); ok {
					objects.DocumentJournals = append(objects.DocumentJournals, j)
					out.Objects++
				}
			}
			continue
		}
		f := c.object(k, o, common[strings.ToLower(o.FullName())])
		if names := predefined[strings.ToLower(o.FullName())]; len(names) > 0 && !o.PredefinedRead {
			f.Predefined = nil
			for _, name := range names {
				f.Predefined = append(f.Predefined, metadata.PredefinedFormat{Name: name})
			}
			c.warnf("%s: the dump has no Ext/Predefined.xml; its predefined items %s are taken from the restrictions that name them", o.FullName(), strings.Join(names, ", "))
		}
		list := objects.List(k)
		*list = append(*list, f)
		out.Objects++
	}
	for _, r := range rights {
		role, n := c.role(r)
		out.Files[filepath.Join("roles", role.Name+".yaml")] = &metadata.FileFormat{Roles: []metadata.RoleFormat{role}}
		out.Roles++
		out.Restrictions += n
	}
	out.Warnings = c.warnings
	return out, nil
}

func derefType(t *onecxml.TypeDesc) onecxml.TypeDesc {
	if t == nil {
		return onecxml.TypeDesc{}
	}
	return *t
}

// commonAttributes lists, for each object (lower-cased full name), the
// common attributes that apply to it: those whose content uses it, and
// those used automatically (AutoUse) by every object of the kinds a common
// attribute can belong to that the content does not list, as the
// Configurator writes only the objects whose use differs from Auto (the
// Standard Subsystems Library's separators ОбластьДанныхОсновныеДанные and
// ОбластьДанныхВспомогательныеДанные are of these).
func (c *converter) commonAttributes() map[string][]*onecxml.MDObject {
	out := map[string][]*onecxml.MDObject{}
	for _, o := range c.dump.Objects {
		if o.Kind != "CommonAttribute" {
			continue
		}
		listed := map[string]bool{}
		for _, use := range o.Content {
			key := strings.ToLower(use.Metadata)
			listed[key] = true
			if use.Use == "Use" || use.Use == "Auto" && o.AutoUse == "Use" {
				out[key] = append(out[key], o)
			}
		}
		if o.AutoUse != "Use" {
			continue
		}
		for _, obj := range c.dump.Objects {
			key := strings.ToLower(obj.FullName())
			if commonAttributeKinds[obj.Kind] && !listed[key] {
				out[key] = append(out[key], o)
			}
		}
	}
	return out
}

// commonAttributeKinds are the kinds of objects of the model a common
// attribute used automatically belongs to (1C's constants, sequences and
// journals take separators too, and the model gives them no fields).
var commonAttributeKinds = map[string]bool{
	"Catalog": true, "Document": true, "ChartOfCharacteristicTypes": true, "ChartOfAccounts": true,
	"ChartOfCalculationTypes": true, "InformationRegister": true, "AccumulationRegister": true,
	"AccountingRegister": true, "BusinessProcess": true, "Task": true, "ExchangePlan": true,
}

func (c *converter) object(k metadata.Kind, o *onecxml.MDObject, common []*onecxml.MDObject) metadata.ObjectFormat {
	f := metadata.ObjectFormat{Name: o.Name, Synonym: o.Synonym}
	switch k {
	case metadata.Catalog, metadata.ChartOfCharacteristicTypes, metadata.ExchangePlan, metadata.ChartOfAccounts, metadata.ChartOfCalculationTypes:
		f.Hierarchical = o.Hierarchical && (k == metadata.Catalog || k == metadata.ChartOfCharacteristicTypes)
		if f.Hierarchical {
			f.Hierarchy = "items"
			if o.HierarchyType == "" || o.HierarchyType == "HierarchyFoldersAndItems" {
				f.Hierarchy = "folders"
			}
		}
		for _, owner := range o.Owners {
			f.Owners = append(f.Owners, onecxml.TableName(owner, true))
		}
		f.Code = numbering(o.CodeLength, o.CodeType)
		dl := o.DescriptionLength
		f.DescriptionLength = &dl
		f.Predefined = c.predefined(k, o, f)
		switch k {
		case metadata.ChartOfAccounts:
			c.chartOfAccounts(o, &f)
		case metadata.ChartOfCalculationTypes:
			f.ActionPeriod = o.ActionPeriodUse
			f.DependsOnBase = o.DependenceOnCalculationTypes != "" && o.DependenceOnCalculationTypes != "DontUse"
		}
		if k == metadata.ChartOfCharacteristicTypes {
			f.Type = c.typeOf(o.FullName(), derefType(o.Type))
		}
	case metadata.Document, metadata.BusinessProcess, metadata.Task:
		f.Number = numbering(o.NumberLength, o.NumberType)
		for _, reg := range o.RegisterRecords {
			// Only the registers the model has: a document posting to an
			// accounting register keeps its other movements.
			if r := c.lookup(reg); r == nil || !registerModelled(r) {
				continue
			}
			f.RegisterRecords = append(f.RegisterRecords, onecxml.TableName(reg, true))
		}
		if k == metadata.Task && o.DescriptionLength > 0 {
			dl := o.DescriptionLength
			f.DescriptionLength = &dl
		}
	case metadata.InformationRegister:
		switch o.Periodicity {
		case "", "Nonperiodical":
		case "RecorderPosition":
			f.Periodicity = "recorder"
		default:
			f.Periodicity = strings.ToLower(o.Periodicity)
		}
		f.Recorder = o.WriteMode == "RecorderSubordinate"
		if f.Periodicity == "recorder" && !f.Recorder {
			f.Periodicity = ""
			c.warnf("%s: periodicity by recorder without a recorder; imported as not periodic", o.FullName())
		}
	case metadata.AccumulationRegister:
		if o.RegisterType == "Turnovers" {
			f.RegisterKind = "turnovers"
		}
	case metadata.AccountingRegister:
		if chart := c.lookup(o.ChartOfAccounts); chart != nil && chart.Kind == "ChartOfAccounts" {
			f.ChartOfAccounts = onecxml.TableName(o.ChartOfAccounts, true)
		} else {
			c.warnf("%s: its chart of accounts %q is not in the dump", o.FullName(), o.ChartOfAccounts)
		}
		f.Correspondence = o.Correspondence
	case metadata.Constant:
		f.Type = c.typeOf(o.FullName(), derefType(o.Type))
	case metadata.Enum:
		f.Values = o.Values
	}
	seen := map[string]bool{}
	attrs := func(list []onecxml.MDAttribute, owner string) []metadata.AttributeFormat {
		var out []metadata.AttributeFormat
		for _, a := range list {
			if seen[strings.ToLower(a.Name)] {
				c.warnf("%s: attribute %s is declared twice; the second is left out", owner, a.Name)
				continue
			}
			seen[strings.ToLower(a.Name)] = true
			af := metadata.AttributeFormat{Name: a.Name, Type: c.typeOf(owner+"."+a.Name, a.Type)}
			if k == metadata.AccountingRegister && a.Balance != nil && !*a.Balance {
				af.Balance = a.Balance
			}
			out = append(out, af)
		}
		return out
	}
	f.Dimensions = attrs(o.Dimensions, o.FullName())
	f.Resources = attrs(o.Resources, o.FullName())
	if k == metadata.AccumulationRegister || k == metadata.AccountingRegister {
		for i, r := range f.Resources {
			if len(r.Type) != 1 || !strings.HasPrefix(r.Type[0], "Число") {
				c.warnf("%s: resource %s is not a number; imported as Число(15, 2)", o.FullName(), r.Name)
				f.Resources[i].Type = metadata.TypeFormat{"Число(15, 2)"}
			}
		}
	}
	f.Attributes = attrs(o.Attributes, o.FullName())
	for _, ca := range common {
		if k == metadata.Constant || k == metadata.Enum {
			continue
		}
		if seen[strings.ToLower(ca.Name)] {
			continue
		}
		seen[strings.ToLower(ca.Name)] = true
		f.Attributes = append(f.Attributes, metadata.AttributeFormat{Name: ca.Name, Type: c.typeOf("common attribute "+ca.Name, derefType(ca.Type))})
	}
	if k == metadata.Constant || k == metadata.Enum || k.IsRegister() {
		return f
	}
	for _, ts := range o.TabularSections {
		seen = map[string]bool{"ссылка": true, "номерстроки": true}
		f.TabularSections = append(f.TabularSections, metadata.TabularFormat{Name: ts.Name, Attributes: attrs(ts.Attributes, o.FullName()+"."+ts.Name)})
	}
	return f
}

// chartOfAccounts converts what a chart of accounts says of its accounts:
// the chart of its subconto kinds, how many, the accounting flags, the
// length of Порядок.
func (c *converter) chartOfAccounts(o *onecxml.MDObject, f *metadata.ObjectFormat) {
	if o.ExtDimensionTypes != "" {
		if cct := c.lookup(o.ExtDimensionTypes); cct != nil && cct.Kind == "ChartOfCharacteristicTypes" {
			f.ExtDimensionTypes = onecxml.TableName(o.ExtDimensionTypes, true)
			f.MaxExtDimensions = o.MaxExtDimensionCount
		} else {
			c.warnf("%s: its subconto kinds %q are not a chart of characteristic types of the dump; imported without subconto", o.FullName(), o.ExtDimensionTypes)
		}
	}
	f.AccountingFlags = o.AccountingFlags
	f.ExtDimensionAccountingFlags = o.ExtDimensionAccountingFlags
	f.OrderLength = o.OrderLength
}

// accountTypes are the words Predefined.xml writes an account's kind in.
var accountTypes = map[string]string{"Active": "Активный", "Passive": "Пассивный", "ActivePassive": "АктивноПассивный"}

// predefined converts the predefined items of an object with what the dump
// says of each: a code that fits the object's codes, the description, the
// parent, and an account's kind, off-balance mark and accounting flags.
func (c *converter) predefined(k metadata.Kind, o *onecxml.MDObject, f metadata.ObjectFormat) []metadata.PredefinedFormat {
	if len(o.PredefinedItems) == 0 {
		var out []metadata.PredefinedFormat
		for _, name := range o.Predefined {
			out = append(out, metadata.PredefinedFormat{Name: name})
		}
		return out
	}
	folders := f.Hierarchical && f.Hierarchy == "folders"
	var out []metadata.PredefinedFormat
	for _, it := range o.PredefinedItems {
		p := metadata.PredefinedFormat{Name: it.Name, Description: it.Description, Parent: it.Parent, Folder: it.IsFolder && folders}
		if p.Description == it.Name {
			p.Description = ""
		}
		if code := it.Code; code != "" && len([]rune(code)) <= o.CodeLength {
			if _, err := strconv.Atoi(code); err == nil || o.CodeType != "Number" {
				p.Code = code
			}
		}
		if k == metadata.ChartOfAccounts {
			p.AccountType = accountTypes[it.AccountType]
			p.OffBalance = it.OffBalance
			p.Flags = it.Flags
		}
		if !f.Hierarchical && k != metadata.ChartOfAccounts {
			p.Parent = ""
		}
		out = append(out, p)
	}
	return out
}

// journalStandard are the names of a journal's standard attributes, which
// no column may take.
var journalStandard = map[string]bool{
	"ссылка": true, "ref": true, "дата": true, "date": true, "номер": true, "number": true,
	"пометкаудаления": true, "deletionmark": true, "проведен": true, "posted": true, "тип": true, "type": true,
}

// journal converts a document journal: its registered documents and its
// columns, each with the attribute it shows of each document
// (Document.X.Attribute.Y, or Document.X.StandardAttribute.Number). What
// the dump does not have is left out with a warning at its place; a journal
// left with no documents is left out.
func (c *converter) journal(o *onecxml.MDObject) (metadata.JournalFormat, bool) {
	j := metadata.JournalFormat{Name: o.Name, Synonym: o.Synonym}
	registered := map[string]bool{}
	for _, name := range o.RegisteredDocuments {
		kind, _, _ := strings.Cut(name, ".")
		if kind != "Document" || c.lookup(name) == nil {
			c.warnf("%s: %s registers %s, which is not a document of the dump; left out", o.Pos, o.FullName(), name)
			continue
		}
		registered[strings.ToLower(name)] = true
		j.Documents = append(j.Documents, onecxml.TableName(name, true))
	}
	if len(j.Documents) == 0 {
		c.warnf("%s: %s registers no document of the dump; the journal is left out", o.Pos, o.FullName())
		return j, false
	}
	for _, col := range o.Columns {
		if journalStandard[strings.ToLower(col.Name)] {
			c.warnf("%s: %s: column %s has the name of a standard attribute of journals; left out", col.Pos, o.FullName(), col.Name)
			continue
		}
		f := metadata.JournalColumnFormat{Name: col.Name}
		for _, ref := range col.References {
			parts := strings.Split(ref, ".")
			doc := strings.Join(parts[:min(2, len(parts))], ".")
			switch {
			case len(parts) != 4 || parts[2] != "Attribute" && parts[2] != "StandardAttribute":
				c.warnf("%s: %s: column %s shows %s, which is not an attribute of a document; left out", col.Pos, o.FullName(), col.Name, ref)
				continue
			case !registered[strings.ToLower(doc)]:
				c.warnf("%s: %s: column %s shows %s of %s, which the journal does not register; left out", col.Pos, o.FullName(), col.Name, parts[3], doc)
				continue
			case parts[2] == "Attribute" && c.lookup(doc).Attribute(parts[3]) == nil:
				c.warnf("%s: %s: column %s shows %s, which %s does not have; left out", col.Pos, o.FullName(), col.Name, parts[3], doc)
				continue
			}
			f.References = append(f.References, onecxml.TableName(doc, true)+"."+parts[3])
		}
		if len(f.References) == 0 {
			c.warnf("%s: %s: column %s shows no attribute the dump has; left out", col.Pos, o.FullName(), col.Name)
			continue
		}
		j.Columns = append(j.Columns, f)
	}
	return j, true
}

func numbering(length int, typ string) *metadata.NumberingFormat {
	n := &metadata.NumberingFormat{Length: length, Type: "string"}
	if typ == "Number" {
		n.Type = "number"
	}
	return n
}

// refKind turns a reference type prefix of the dump (CatalogRef) into the
// query-language prefix of the referenced kind (Справочник), or "" when the
// model has no references of that kind.
func refKind(dumpPrefix string) string {
	base, isRef := strings.CutSuffix(dumpPrefix, "Ref")
	k, ok := modelKind(base)
	if !isRef || !ok || !k.IsReference() {
		return ""
	}
	return k.Prefix(false)
}

// typeOf converts a type description, expanding defined types and
// characteristics; types the model does not have become warnings.
func (c *converter) typeOf(owner string, t onecxml.TypeDesc) metadata.TypeFormat {
	var out metadata.TypeFormat
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	var walk func(t onecxml.TypeDesc, depth int)
	walk = func(t onecxml.TypeDesc, depth int) {
		for _, name := range t.Types {
			prefix, rest, _ := strings.Cut(name, ":")
			kind, obj, _ := strings.Cut(rest, ".")
			switch {
			case name == "xs:string":
				if t.StringLength == 0 {
					add("Строка")
				} else {
					add(fmt.Sprintf("Строка(%d)", min(t.StringLength, metadata.MaxStringLength)))
				}
			case name == "xs:decimal":
				digits := t.Digits
				if digits == 0 {
					digits = metadata.MaxPrecision
				}
				if t.FractionDigits > 0 {
					add(fmt.Sprintf("Число(%d, %d)", digits, t.FractionDigits))
				} else {
					add(fmt.Sprintf("Число(%d)", digits))
				}
			case name == "xs:boolean":
				add("Булево")
			case name == "xs:dateTime":
				add("Дата")
			case name == "v8:ValueStorage":
				add("ХранилищеЗначения")
			case name == "v8:UUID":
				add("УникальныйИдентификатор")
			case name == "v8:FixedArray":
				add("ФиксированныйМассив")
			case name == "v8:FixedStructure":
				add("ФиксированнаяСтруктура")
			case name == "v8:FixedMap":
				add("ФиксированноеСоответствие")
			case name == "cfg:AnyRef":
				add("ЛюбаяСсылка")
			case prefix == "cfg" && refKind(kind) != "" && obj != "":
				full := refKind(kind) + "." + obj
				if c.lookup(full) == nil {
					c.warnf("%s: type %s refers to an object the dump does not have; left out", owner, name)
					continue
				}
				add(full)
			default:
				c.warnf("%s: type %s is not modelled yet; left out", owner, name)
			}
		}
		for _, set := range t.TypeSets {
			_, rest, _ := strings.Cut(set, ":")
			kind, obj, _ := strings.Cut(rest, ".")
			switch {
			case depth > 8:
				c.warnf("%s: type set %s nests too deeply", owner, set)
			case kind == "DefinedType" && c.defined[strings.ToLower(obj)] != nil:
				walk(derefType(c.defined[strings.ToLower(obj)].Type), depth+1)
			case kind == "Characteristic" && c.charts[strings.ToLower(obj)] != nil:
				walk(derefType(c.charts[strings.ToLower(obj)].Type), depth+1)
			case kind == "AnyRef" || kind == "AnyIBRef":
				add("ЛюбаяСсылка")
			case strings.HasSuffix(kind, "Ref") && obj == "":
				// Every reference of a kind (all catalogs): the model has no
				// such type; any reference is the nearest.
				add("ЛюбаяСсылка")
			default:
				c.warnf("%s: type set %s is not modelled yet; left out", owner, set)
			}
		}
	}
	walk(t, 0)
	if len(out) == 0 {
		c.warnf("%s: no type the model has; imported as ХранилищеЗначения", owner)
		out = metadata.TypeFormat{"ХранилищеЗначения"}
	}
	return out
}

// role converts one Rights.xml. The file lists each right that differs
// from the role's default (granted on every object with setForNewObjects,
// on every field with setForAttributesByDefault, withheld otherwise), so
// the role keeps the flags and, like the file, only what differs: the
// rights granted where the default withholds and those withheld where it
// grants.
func (c *converter) role(r *onecxml.Rights) (metadata.RoleFormat, int) {
	role := metadata.RoleFormat{Name: r.Role, SetForNewObjects: r.SetForNewObjects,
		IndependentRightsOfChildObjects: r.IndependentRightsOfChildObjects}
	if !r.SetForAttributesByDefault {
		role.SetForAttributesByDefault = &r.SetForAttributesByDefault
	}
	// differs reports whether a right of the file says something the
	// default does not, and sorts it into granted or withheld.
	differs := func(value, byDefault bool, name string, granted, withheld *[]string) {
		switch {
		case value && !byDefault:
			*granted = append(*granted, name)
		case !value && byDefault:
			*withheld = append(*withheld, name)
		}
	}
	n := 0
	byObject := map[string]*metadata.ObjectRightsFormat{}
	var order []string
	entry := func(name string) *metadata.ObjectRightsFormat {
		key := strings.ToLower(name)
		if e := byObject[key]; e != nil {
			return e
		}
		e := &metadata.ObjectRightsFormat{Object: onecxml.TableName(name, true)}
		byObject[key] = e
		order = append(order, key)
		return e
	}
	standard := 0
	for _, o := range r.Objects {
		parts := strings.Split(o.Name, ".")
		kind := parts[0]
		if kind == "Configuration" {
			for _, right := range o.Rights {
				if metadata.IsGlobalRight(right.Name) {
					differs(right.Value, r.SetForNewObjects, right.Name, &role.Rights, &role.Withheld)
				}
			}
			continue
		}
		mk, modelled := modelKind(kind)
		if kind == "DocumentJournal" {
			mk, modelled = metadata.DocumentJournal, true
		}
		if !modelled || len(parts) < 2 {
			for _, right := range o.Rights {
				if len(right.Restrictions) > 0 {
					c.warnf("role %s: restrictions on %s are not imported: its kind is not modelled yet", r.Role, o.Name)
					break
				}
			}
			continue
		}
		owner := c.objects[strings.ToLower(parts[0]+"."+parts[1])]
		if owner == nil {
			if len(parts) == 2 {
				c.warnf("role %s: %s is not in the dump; its rights are left out", r.Role, o.Name)
			}
			continue
		}
		if len(parts) > 2 {
			field, ok := c.field(mk, owner, parts[2:])
			if !ok {
				if parts[2] == "StandardAttribute" {
					standard++
				}
				continue // commands, forms and the like: no data of their own
			}
			fr := metadata.FieldRightsFormat{Field: field}
			for _, right := range o.Rights {
				if right.Name == "View" || right.Name == "Edit" {
					differs(right.Value, r.SetForAttributesByDefault, right.Name, &fr.Rights, &fr.Withheld)
				}
			}
			if len(fr.Rights)+len(fr.Withheld) > 0 {
				e := entry(owner.FullName())
				e.Fields = append(e.Fields, fr)
			}
			continue
		}
		e := entry(o.Name)
		for _, right := range o.Rights {
			if !metadata.IsObjectRight(right.Name) || !metadata.RightApplies(mk, right.Name) {
				continue
			}
			differs(right.Value, r.SetForNewObjects, right.Name, &e.Rights, &e.Withheld)
			if !right.Value {
				continue
			}
			for _, restr := range right.Restrictions {
				e.Restrictions = append(e.Restrictions, metadata.RestrictionFormat{Right: right.Name, Fields: restr.Fields, Condition: restr.Condition.Text, Origin: c.origin(restr.Condition.Position(0))})
				n++
			}
		}
	}
	if standard > 0 {
		c.warnf("role %s: the rights of %d standard attributes are left out: the model has no such fields of their objects to check them against", r.Role, standard)
	}
	for _, key := range order {
		e := byObject[key]
		if len(e.Rights)+len(e.Withheld)+len(e.Restrictions)+len(e.Fields) > 0 {
			role.Objects = append(role.Objects, *e)
		}
	}
	sort.SliceStable(role.Objects, func(i, j int) bool { return role.Objects[i].Object < role.Objects[j].Object })
	for _, t := range r.Templates {
		role.Templates = append(role.Templates, metadata.TemplateFormat{Name: t.Name, Condition: t.Condition.Text})
	}
	return role, n
}

// field names a field of an object's rights entry (Attribute.X,
// Dimension.X, Resource.X, TabularSection.T, TabularSection.T.Attribute.X)
// as the configuration format does (X, T, T.X), when the import keeps that
// field of the object.
func (c *converter) field(k metadata.Kind, o *onecxml.MDObject, path []string) (string, bool) {
	sections := k != metadata.Constant && k != metadata.Enum && !k.IsRegister()
	switch {
	case len(path) == 2 && (path[0] == "Attribute" || path[0] == "Dimension" || path[0] == "Resource"):
		if a := o.Attribute(path[1]); a != nil {
			return a.Name, true
		}
	case len(path) == 2 && path[0] == "TabularSection" && sections:
		if ts := o.TabularSection(path[1]); ts != nil {
			return ts.Name, true
		}
	case len(path) == 4 && path[0] == "TabularSection" && path[2] == "Attribute" && sections:
		if ts := o.TabularSection(path[1]); ts != nil {
			for _, a := range ts.Attributes {
				if strings.EqualFold(a.Name, path[3]) {
					return ts.Name + "." + a.Name, true
				}
			}
		}
	}
	return "", false
}

// Write writes an import's files under dir, creating folders.
func Write(imp *Result, dir string) error {
	names := make([]string, 0, len(imp.Files))
	for name := range imp.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := metadata.WriteFile(path, imp.Files[name]); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return nil
}

// valueRefs finds ЗНАЧЕНИЕ(Kind.Object.Item) / VALUE(...) in a restriction
// text and returns the three names of each, in the order of the text. It
// reads as the regular expression
//
//	(?i)(?:ЗНАЧЕНИЕ|VALUE)\s*\(\s*(ident)\s*\.\s*(ident)\s*\.\s*(ident)\s*\)
//
// with ident [\p{L}_][\p{L}\p{N}_]* would match (a test holds them equal
// over the corpus), but by hand: the case-insensitive expression has no
// literal to look for first, and ran at a few megabytes a second over the
// templates that every role of a big application repeats.
func valueRefs(text string) [][3]string {
	var out [][3]string
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '(')
		if j < 0 {
			break
		}
		open := i + j
		i = open + 1
		head := strings.TrimRight(text[:open], " \t\n\f\r")
		if !hasFoldSuffix(head, "ЗНАЧЕНИЕ") && !hasFoldSuffix(head, "VALUE") {
			continue
		}
		var names [3]string
		p, ok := open+1, true
		for k := range names {
			if k > 0 {
				if p = skipSpace(text, p); p >= len(text) || text[p] != '.' {
					ok = false
					break
				}
				p++
			}
			p = skipSpace(text, p)
			end := identEnd(text, p)
			if end == p {
				ok = false
				break
			}
			names[k], p = text[p:end], end
		}
		if !ok {
			continue
		}
		if p = skipSpace(text, p); p < len(text) && text[p] == ')' {
			out = append(out, names)
			i = p + 1
		}
	}
	return out
}

// hasFoldSuffix reports whether s ends with suffix, letter case aside. The
// letters of both keywords have no case variants of another length in
// UTF-8, so comparing the same number of bytes is enough.
func hasFoldSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// skipSpace skips what \s matches in Go's regular expressions.
func skipSpace(s string, i int) int {
	for i < len(s) && strings.IndexByte(" \t\n\f\r", s[i]) >= 0 {
		i++
	}
	return i
}

// identEnd returns the end of the name [\p{L}_][\p{L}\p{N}_]* starting at
// i, or i when none starts there.
func identEnd(s string, i int) int {
	start := i
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !(r == '_' || unicode.IsLetter(r) || i > start && unicode.IsNumber(r)) {
			break
		}
		i += n
	}
	return i
}

// namedPredefined lists, by object (lower-cased full name as the dump
// names it), the predefined items the roles' restrictions and templates
// name. A dump cut down to metadata and roles lacks the objects'
// Ext/Predefined.xml, yet its restrictions compare with those items; taking
// their names from the texts (with a warning) keeps the restrictions
// usable, while a dump that has the file keeps exactly what it declares.
func (c *converter) namedPredefined(rights []*onecxml.Rights) map[string][]string {
	seen := map[string]map[string]bool{}
	out := map[string][]string{}
	// Every role repeats the library's templates, and their expansions
	// repeat across roles: a text is scanned once.
	scanned := map[string]bool{}
	scan := func(text string) {
		if scanned[text] {
			return
		}
		scanned[text] = true
		for _, m := range valueRefs(text) {
			k, ok := onecxml.LookupKind(m[0])
			if !ok {
				continue
			}
			kind, ok := modelKind(k.EN)
			if !ok || kind != metadata.Catalog && kind != metadata.ChartOfCharacteristicTypes {
				continue // enumeration values and the like are not predefined items
			}
			item := m[2]
			if strings.EqualFold(item, "ПустаяСсылка") || strings.EqualFold(item, "EmptyRef") {
				continue
			}
			o := c.lookup(k.EN + "." + m[1])
			if o == nil {
				continue
			}
			key := strings.ToLower(o.FullName())
			if seen[key] == nil {
				seen[key] = map[string]bool{}
			}
			if !seen[key][strings.ToLower(item)] {
				seen[key][strings.ToLower(item)] = true
				out[key] = append(out[key], item)
			}
		}
	}
	russian := c.dump.Configuration == nil || c.dump.Configuration.Russian()
	for _, r := range rights {
		// Items are often named through template parameters
		// (#ДляРегистра("ИдентификаторыОбъектовМетаданных.РегистрСведенийX", ...)),
		// so the texts are scanned as expanded for their table and right.
		var list []*template.Template
		for _, t := range r.Templates {
			scan(t.Condition.Text)
			if tt, err := template.New(t.Name, t.Condition); err == nil {
				list = append(list, tt)
			}
		}
		set, _ := template.NewSet(list...)
		for _, o := range r.Objects {
			for _, right := range o.Rights {
				for _, restr := range right.Restrictions {
					scan(restr.Condition.Text)
					if set == nil {
						continue
					}
					ctx := template.Context{Table: onecxml.TableName(o.Name, russian), Right: onecxml.RightName(right.Name, russian)}
					if expanded, _ := template.Expand(source.FromFile(restr.Condition), set, ctx); expanded.Body != "" {
						scan(expanded.Body)
					}
				}
			}
		}
	}
	for _, names := range out {
		sort.Strings(names)
	}
	return out
}

// registerModelled reports whether a register the dump names is one a
// document's Регистратор can point at in the model: an accumulation
// register, or an information register subordinate to a recorder.
func registerModelled(r *onecxml.MDObject) bool {
	switch r.Kind {
	case "AccumulationRegister", "AccountingRegister":
		return true
	case "InformationRegister":
		return r.WriteMode == "RecorderSubordinate"
	}
	return false
}

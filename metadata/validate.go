package metadata

import (
	"fmt"
	ytoken "github.com/goccy/go-yaml/token"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"dostup/metadata/vocab"
	"dostup/sdbl/source"
	"dostup/sdbl/template"
)

// errCode is the Code of configuration errors.
const errCode = "configuration"

// builder turns decoded files into a Configuration, collecting every problem.
type builder struct {
	cfg  *Configuration
	errs source.ErrorList
	// where each object was declared, for "declared twice" messages
	objectAt map[string]source.Position
	tables   map[string]source.Position
	// type references to check once every object is known
	refs []pendingRef
	// the registers documents post to, resolved once every object is known
	posts []pendingPost
	// the charts of accounts of accounting registers, likewise
	charts []pendingChart
}

type pendingChart struct {
	register *Object
	chart    string
	at       source.Position
}

type pendingPost struct {
	doc      *Object
	register string
	at       source.Position
}

type pendingRef struct {
	object string
	at     source.Position
}

func (b *builder) errorf(at source.Position, format string, args ...any) {
	b.errs.Add(source.Location{File: positionFile(at.Filename, at.Line, at.Column)}, errCode, fmt.Sprintf(format, args...))
}

func build(files []*yamlFile) (*Configuration, error) {
	b := &builder{cfg: &Configuration{byName: map[string]*Object{}}, objectAt: map[string]source.Position{}, tables: map[string]source.Position{}}
	var cfgAt source.Position
	for _, f := range files {
		if c := f.raw.Configuration; c != nil {
			at := f.pos("$.configuration")
			if cfgAt.IsValid() {
				b.errorf(at, "the configuration is declared twice (first at %s)", cfgAt)
				continue
			}
			cfgAt = at
			b.cfg.Name = c.Name
			switch strings.ToLower(c.Language) {
			case "", "ru", "russian", "русский":
			case "en", "english":
				b.cfg.English = true
			default:
				b.errorf(f.pos("$.configuration.language"), "language must be ru or en, not %q", c.Language)
			}
		}
	}
	for _, f := range files {
		for _, k := range Kinds() {
			for i, raw := range *f.raw.List(k) {
				b.object(f, fmt.Sprintf("$.%s[%d]", kinds[k].key, i), k, raw)
			}
		}
	}
	for _, r := range b.refs {
		if b.cfg.Object(r.object) == nil {
			b.errorf(r.at, "%s is not in the configuration", r.object)
		}
	}
	b.recorders()
	b.accountingRegisters()
	for _, f := range files {
		for i, raw := range f.raw.DocumentJournals {
			b.journal(f, fmt.Sprintf("$.document_journals[%d]", i), raw)
		}
	}
	for _, f := range files {
		for i, raw := range f.raw.SessionParameters {
			b.sessionParameter(f, fmt.Sprintf("$.session_parameters[%d]", i), raw)
		}
		for i, raw := range f.raw.FunctionalOptions {
			b.functionalOption(f, fmt.Sprintf("$.functional_options[%d]", i), raw)
		}
	}
	for _, f := range files {
		for i, raw := range f.raw.Roles {
			b.role(f, fmt.Sprintf("$.roles[%d]", i), raw)
		}
	}
	for _, f := range files {
		for i, raw := range f.raw.Users {
			b.user(f, fmt.Sprintf("$.users[%d]", i), raw)
		}
	}
	b.administrators()
	if len(b.errs) > 0 {
		b.errs.Sort()
		return nil, b.errs
	}
	return b.cfg, nil
}

// isName reports whether s is a 1C name: a letter or _ first, then letters,
// digits and _.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

var sqlName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

func (b *builder) name(f *yamlFile, path, what, name string) bool {
	switch {
	case name == "":
		b.errorf(f.pos(path), "%s without a name", what)
		return false
	case !isName(name):
		b.errorf(f.pos(path+".name"), "%q is not a valid name for a %s: use letters, digits and _, starting with a letter", name, what)
		return false
	}
	return true
}

func (b *builder) sqlTable(f *yamlFile, path, table string) {
	if table == "" {
		return
	}
	at := f.pos(path)
	if !sqlName.MatchString(table) {
		b.errorf(at, "table %q is not a plain SQL name: use Latin letters, digits and _ (at most 63)", table)
		return
	}
	if first, dup := b.tables[strings.ToLower(table)]; dup {
		b.errorf(at, "table %q is already used (at %s)", table, first)
		return
	}
	b.tables[strings.ToLower(table)] = at
}

func (b *builder) typeOf(f *yamlFile, path string, raw TypeFormat) Type {
	var t Type
	for i, s := range raw {
		p := path
		if len(raw) > 1 {
			p = fmt.Sprintf("%s[%d]", path, i)
		}
		spec, err := ParseTypeSpec(s)
		if err != nil {
			b.errorf(f.pos(p), "%v", err)
			continue
		}
		if spec.Primitive == Ref && spec.Object != "" {
			b.refs = append(b.refs, pendingRef{object: spec.Object, at: f.pos(p)})
		}
		t = append(t, spec)
	}
	return t
}

func (b *builder) attributes(f *yamlFile, path string, raws []AttributeFormat, role AttributeRole, seen map[string]source.Position) []*Attribute {
	var out []*Attribute
	for i, raw := range raws {
		p := fmt.Sprintf("%s[%d]", path, i)
		if !b.name(f, p, "attribute", raw.Name) {
			continue
		}
		at := f.pos(p + ".name")
		if first, dup := seen[strings.ToLower(raw.Name)]; dup {
			b.errorf(at, "attribute %s is declared twice (first at %s)", raw.Name, first)
			continue
		}
		seen[strings.ToLower(raw.Name)] = at
		if len(raw.Type) == 0 {
			b.errorf(f.pos(p), "attribute %s has no type", raw.Name)
			continue
		}
		if raw.Column != "" && !sqlName.MatchString(raw.Column) {
			b.errorf(f.pos(p+".column"), "column %q is not a plain SQL name: use Latin letters, digits and _ (at most 63)", raw.Column)
		}
		t := b.typeOf(f, p+".type", raw.Type)
		for _, spec := range t {
			if !spec.Storable() {
				b.errorf(f.pos(p+".type"), "attribute %s: %s can only be the type of a session parameter", raw.Name, spec)
			}
		}
		out = append(out, &Attribute{Name: raw.Name, Type: t, Role: role, Column: raw.Column, Pos: at})
	}
	return out
}

func (b *builder) numbering(f *yamlFile, path string, raw *NumberingFormat, defaultLength int) (int, bool) {
	if raw == nil {
		return defaultLength, false
	}
	isNumber := false
	switch strings.ToLower(raw.Type) {
	case "", "string", "строка":
	case "number", "число":
		isNumber = true
	default:
		b.errorf(f.pos(path+".type"), "type must be string or number, not %q", raw.Type)
	}
	if raw.Length < 0 || raw.Length > 50 {
		b.errorf(f.pos(path+".length"), "length must be 0 (none) to 50, not %d", raw.Length)
	}
	return raw.Length, isNumber
}

func (b *builder) object(f *yamlFile, path string, kind Kind, raw ObjectFormat) {
	what := strings.ToLower(kind.Prefix(true))
	if !b.name(f, path, what, raw.Name) {
		return
	}
	at := f.pos(path + ".name")
	k := key(kind, raw.Name)
	if first, dup := b.objectAt[k]; dup {
		b.errorf(at, "%s.%s is declared twice (first at %s)", kind.Prefix(false), raw.Name, first)
		return
	}
	b.objectAt[k] = at
	o := &Object{Kind: kind, Name: raw.Name, Synonym: raw.Synonym, Table: raw.Table, Pos: at}
	if len(raw.RegisterRecords) > 0 && kind != Document {
		b.errorf(f.pos(path+".register_records"), "only a document posts to registers: %s.%s has no register_records", kind.Prefix(false), raw.Name)
	}
	for i, name := range raw.RegisterRecords {
		if kind == Document {
			b.posts = append(b.posts, pendingPost{doc: o, register: name, at: f.pos(fmt.Sprintf("%s.register_records[%d]", path, i))})
		}
	}
	b.sqlTable(f, path+".table", raw.Table)
	notFor := func(field string, set bool) {
		if set {
			b.errorf(f.pos(path+"."+field), "%s does not apply to a %s", field, what)
		}
	}
	notFor("hierarchical", raw.Hierarchical && kind != Catalog && kind != ChartOfCharacteristicTypes)
	notFor("hierarchy", raw.Hierarchy != "" && kind != Catalog && kind != ChartOfCharacteristicTypes)
	notFor("owners", len(raw.Owners) > 0 && kind != Catalog && kind != ChartOfCharacteristicTypes)
	notFor("code", raw.Code != nil && !kind.catalogLike())
	notFor("description_length", raw.DescriptionLength != nil && !kind.catalogLike() && kind != Task)
	notFor("number", raw.Number != nil && !kind.documentLike())
	notFor("periodicity", raw.Periodicity != "" && kind != InformationRegister)
	notFor("recorder", raw.Recorder && kind != InformationRegister)
	notFor("register_kind", raw.RegisterKind != "" && kind != AccumulationRegister)
	notFor("type", len(raw.Type) > 0 && kind != Constant && kind != ChartOfCharacteristicTypes)
	notFor("values", len(raw.Values) > 0 && kind != Enum)
	notFor("predefined", len(raw.Predefined) > 0 && !kind.catalogLike())
	notFor("ext_dimension_types", raw.ExtDimensionTypes != "" && kind != ChartOfAccounts)
	notFor("max_ext_dimensions", raw.MaxExtDimensions != 0 && kind != ChartOfAccounts)
	notFor("accounting_flags", len(raw.AccountingFlags) > 0 && kind != ChartOfAccounts)
	notFor("ext_dimension_accounting_flags", len(raw.ExtDimensionAccountingFlags) > 0 && kind != ChartOfAccounts)
	notFor("order_length", raw.OrderLength != 0 && kind != ChartOfAccounts)
	notFor("chart_of_accounts", raw.ChartOfAccounts != "" && kind != AccountingRegister)
	notFor("correspondence", raw.Correspondence && kind != AccountingRegister)
	notFor("action_period", raw.ActionPeriod && kind != ChartOfCalculationTypes)
	notFor("depends_on_base", raw.DependsOnBase && kind != ChartOfCalculationTypes)
	notFor("dimensions", len(raw.Dimensions) > 0 && !kind.IsRegister())
	notFor("resources", len(raw.Resources) > 0 && !kind.IsRegister())
	notFor("attributes", len(raw.Attributes) > 0 && (kind == Constant || kind == Enum))
	notFor("tabular_sections", len(raw.TabularSections) > 0 && (kind == Constant || kind == Enum || kind.IsRegister()))

	seen := map[string]source.Position{}
	for _, std := range o.StandardAttributes() {
		seen[strings.ToLower(std.Name)] = at
		seen[strings.ToLower(std.English)] = at
	}
	switch kind {
	case Catalog, ChartOfCharacteristicTypes, ExchangePlan, ChartOfAccounts, ChartOfCalculationTypes:
		if kind == ChartOfAccounts {
			b.chartOfAccounts(f, path, o, raw)
		}
		o.ActionPeriod, o.DependsOnBase = raw.ActionPeriod, raw.DependsOnBase
		if kind == ChartOfCharacteristicTypes {
			o.Type = b.typeOf(f, path+".type", raw.Type)
		}
		o.Hierarchical = raw.Hierarchical || kind == ChartOfAccounts // accounts always have subaccounts
		switch strings.ToLower(raw.Hierarchy) {
		case "":
			o.FoldersHierarchy = raw.Hierarchical
		case "folders":
			o.FoldersHierarchy = true
		case "items":
		default:
			b.errorf(f.pos(path+".hierarchy"), "hierarchy must be folders or items, not %q", raw.Hierarchy)
		}
		if raw.Hierarchy != "" && !raw.Hierarchical {
			b.errorf(f.pos(path+".hierarchy"), "hierarchy is set but the catalog is not hierarchical: add hierarchical: true")
		}
		for i, owner := range raw.Owners {
			spec, err := ParseTypeSpec(owner)
			op := fmt.Sprintf("%s.owners[%d]", path, i)
			ownerKind := Kind(0)
			if err == nil && spec.Primitive == Ref && spec.Object != "" {
				ownerKind, _ = KindByPrefix(strings.SplitN(spec.Object, ".", 2)[0])
			}
			if !ownerKind.catalogLike() {
				b.errorf(f.pos(op), "owner %q must be a catalog, chart of characteristic types or exchange plan, as Справочник.Организации", owner)
				continue
			}
			o.Owners = append(o.Owners, spec.Object)
			b.refs = append(b.refs, pendingRef{object: spec.Object, at: f.pos(op)})
		}
		o.CodeLength, o.CodeIsNumber = b.numbering(f, path+".code", raw.Code, 9)
		if kind == ChartOfAccounts && o.OrderLength == 0 {
			o.OrderLength = o.CodeLength
		}
		o.DescriptionLength = 25
		if raw.DescriptionLength != nil {
			o.DescriptionLength = *raw.DescriptionLength
			if o.DescriptionLength < 0 || o.DescriptionLength > MaxStringLength {
				b.errorf(f.pos(path+".description_length"), "description_length must be 0 to %d", MaxStringLength)
			}
		}
	case Document, BusinessProcess, Task:
		o.NumberLength, o.NumberIsNumber = b.numbering(f, path+".number", raw.Number, 11)
		if raw.DescriptionLength != nil {
			o.DescriptionLength = *raw.DescriptionLength
		}
	case InformationRegister:
		switch p := Periodicity(strings.ToLower(raw.Periodicity)); p {
		case NotPeriodic, PerSecond, PerDay, PerMonth, PerQuarter, PerYear, PerRecorderTime:
			o.Periodicity = p
		default:
			b.errorf(f.pos(path+".periodicity"), "periodicity must be second, day, month, quarter, year or recorder, not %q", raw.Periodicity)
		}
		o.Recorder = raw.Recorder
		if o.Periodicity == PerRecorderTime && !o.Recorder {
			b.errorf(f.pos(path+".periodicity"), "periodicity recorder needs recorder: true")
		}
	case AccumulationRegister:
		o.Recorder = true
		switch strings.ToLower(raw.RegisterKind) {
		case "", "balance", "остатки":
		case "turnovers", "обороты":
			o.Turnovers = true
		default:
			b.errorf(f.pos(path+".register_kind"), "register_kind must be balance or turnovers, not %q", raw.RegisterKind)
		}
		if len(raw.Resources) == 0 {
			b.errorf(at, "accumulation register %s has no resources: it needs at least one number to accumulate", raw.Name)
		}
	case AccountingRegister:
		o.Recorder = true
		o.Correspondence = raw.Correspondence
		if raw.ChartOfAccounts == "" {
			b.errorf(at, "accounting register %s has no chart_of_accounts: name the chart its records post to, as ПланСчетов.Хозрасчетный", raw.Name)
		} else {
			b.charts = append(b.charts, pendingChart{register: o, chart: raw.ChartOfAccounts, at: f.pos(path + ".chart_of_accounts")})
		}
		if len(raw.Resources) == 0 {
			b.errorf(at, "accounting register %s has no resources: it needs at least one number to post", raw.Name)
		}
	case Constant:
		if len(raw.Type) == 0 {
			b.errorf(at, "constant %s has no type", raw.Name)
		}
		o.Type = b.typeOf(f, path+".type", raw.Type)
	case Enum:
		o.Values = b.names(f, path+".values", "enumeration value", raw.Values)
	}
	if kind.catalogLike() {
		b.predefined(f, path+".predefined", o, raw.Predefined)
	}
	// Standard attributes now that the settings are known.
	for _, std := range o.StandardAttributes() {
		seen[strings.ToLower(std.Name)] = at
		seen[strings.ToLower(std.English)] = at
	}
	o.Attributes = append(o.Attributes, b.attributes(f, path+".dimensions", raw.Dimensions, Dimension, seen)...)
	resources := b.attributes(f, path+".resources", raw.Resources, Resource, seen)
	if kind == AccumulationRegister || kind == AccountingRegister {
		for _, r := range resources {
			if len(r.Type) != 1 || r.Type[0].Primitive != Number {
				what := "an accumulation register"
				if kind == AccountingRegister {
					what = "an accounting register"
				}
				b.errorf(r.Pos, "resource %s of %s must be a number", r.Name, what)
			}
		}
	}
	o.Attributes = append(o.Attributes, resources...)
	b.balanceFlags(f, path, o, raw)
	for _, flag := range o.AccountingFlags {
		// An account's accounting flag is a boolean of the account.
		if first, dup := seen[strings.ToLower(flag)]; dup {
			b.errorf(f.pos(path+".accounting_flags"), "accounting flag %s is already a name of %s (at %s)", flag, o.FullName(false), first)
			continue
		}
		seen[strings.ToLower(flag)] = at
		o.Attributes = append(o.Attributes, &Attribute{Name: flag, Type: Type{{Primitive: Boolean}}, Pos: at})
	}
	o.Attributes = append(o.Attributes, b.attributes(f, path+".attributes", raw.Attributes, PlainAttribute, seen)...)
	tseen := map[string]bool{}
	for i, rt := range raw.TabularSections {
		tp := fmt.Sprintf("%s.tabular_sections[%d]", path, i)
		if !b.name(f, tp, "tabular section", rt.Name) {
			continue
		}
		if tseen[strings.ToLower(rt.Name)] || seen[strings.ToLower(rt.Name)].IsValid() {
			b.errorf(f.pos(tp+".name"), "%s is already a name of %s", rt.Name, o.FullName(false))
			continue
		}
		tseen[strings.ToLower(rt.Name)] = true
		b.sqlTable(f, tp+".table", rt.Table)
		ts := &TabularSection{Name: rt.Name, Table: rt.Table, Pos: f.pos(tp + ".name")}
		rowSeen := map[string]source.Position{"ссылка": ts.Pos, "ref": ts.Pos, "номерстроки": ts.Pos, "linenumber": ts.Pos}
		ts.Attributes = b.attributes(f, tp+".attributes", rt.Attributes, PlainAttribute, rowSeen)
		o.TabularSections = append(o.TabularSections, ts)
	}
	for _, ts := range o.standardSections() {
		if tseen[strings.ToLower(ts.Name)] || seen[strings.ToLower(ts.Name)].IsValid() {
			b.errorf(at, "%s is the name of a standard tabular section of %s: choose another name", ts.Name, o.FullName(false))
			continue
		}
		ts.Pos = at
		o.TabularSections = append(o.TabularSections, ts)
	}
	b.cfg.Objects = append(b.cfg.Objects, o)
	b.cfg.byName[k] = o
}

func (b *builder) sessionParameter(f *yamlFile, path string, raw SessionParameterFormat) {
	if !b.name(f, path, "session parameter", raw.Name) {
		return
	}
	at := f.pos(path + ".name")
	for _, other := range b.cfg.SessionParameters {
		if strings.EqualFold(other.Name, raw.Name) {
			b.errorf(at, "session parameter %s is declared twice (first at %s)", raw.Name, other.Pos)
			return
		}
	}
	if len(raw.Type) == 0 {
		b.errorf(f.pos(path), "session parameter %s has no type", raw.Name)
	}
	sp := &SessionParameter{Name: raw.Name, Type: b.typeOf(f, path+".type", raw.Type), Pos: at}
	for _, r := range sp.Type {
		if r.Primitive == Ref && r.Object != "" && b.cfg.Object(r.Object) == nil {
			b.errorf(f.pos(path+".type"), "%s is not in the configuration", r.Object)
		}
	}
	if raw.Query != "" {
		sp.Query = b.text(f, path+".query", raw.Query)
	}
	b.cfg.SessionParameters = append(b.cfg.SessionParameters, sp)
}

func (b *builder) functionalOption(f *yamlFile, path string, raw FunctionalOptionFormat) {
	if !b.name(f, path, "functional option", raw.Name) {
		return
	}
	at := f.pos(path + ".name")
	c := b.cfg.Object(raw.Constant)
	switch {
	case raw.Constant == "":
		b.errorf(f.pos(path), "functional option %s names no constant to store it", raw.Name)
	case c == nil || c.Kind != Constant:
		b.errorf(f.pos(path+".constant"), "%s is not a constant of the configuration", raw.Constant)
	}
	for _, other := range b.cfg.FunctionalOptions {
		if strings.EqualFold(other.Name, raw.Name) {
			b.errorf(at, "functional option %s is declared twice (first at %s)", raw.Name, other.Pos)
			return
		}
	}
	b.cfg.FunctionalOptions = append(b.cfg.FunctionalOptions, &FunctionalOption{Name: raw.Name, Constant: raw.Constant, Privileged: raw.Privileged, Pos: at})
}

func (b *builder) role(f *yamlFile, path string, raw RoleFormat) {
	if !b.name(f, path, "role", raw.Name) {
		return
	}
	at := f.pos(path + ".name")
	if other := b.cfg.Role(raw.Name); other != nil {
		b.errorf(at, "role %s is declared twice (first at %s)", raw.Name, other.Pos)
		return
	}
	r := &Role{Name: raw.Name, Pos: at, SecondFactor: raw.SecondFactor,
		SetForNewObjects: raw.SetForNewObjects, SetForAttributesByDefault: raw.SetForAttributesByDefault == nil || *raw.SetForAttributesByDefault,
		IndependentRightsOfChildObjects: raw.IndependentRightsOfChildObjects}
	for i, g := range raw.Rights {
		right, ok := findRight(globalRights, g)
		if !ok {
			b.errorf(f.pos(fmt.Sprintf("%s.rights[%d]", path, i)), "%q is not a global right (Администрирование/Administration, ВнешнееСоединение/ExternalConnection, ...)", g)
			continue
		}
		r.GlobalRights = append(r.GlobalRights, right.English())
	}
	r.Withheld = b.withheld(f, path, raw.Withheld, r.GlobalRights, r.SetForNewObjects, "set_for_new_objects", func(name string) (vocab.Right, string) {
		right, ok := findRight(globalRights, name)
		if !ok {
			return "", fmt.Sprintf("%q is not a global right (Администрирование/Administration, ВнешнееСоединение/ExternalConnection, ...)", name)
		}
		return right, ""
	})
	if r.SetForNewObjects {
		r.GlobalRights = grantAll(r.GlobalRights, implicitGlobalRights(), r.Withheld)
	}
	listed := map[*Object]bool{}
	for i, ro := range raw.Objects {
		op := fmt.Sprintf("%s.objects[%d]", path, i)
		obj := b.cfg.Object(ro.Object)
		if obj == nil {
			b.errorf(f.pos(op+".object"), "%s is not in the configuration", ro.Object)
			continue
		}
		listed[obj] = true
		or := &ObjectRights{Object: obj.FullName(false), Pos: f.pos(op + ".object")}
		for j, name := range ro.Rights {
			right, msg := objectRight(obj, name)
			if msg != "" {
				b.errorf(f.pos(fmt.Sprintf("%s.rights[%d]", op, j)), "%s", msg)
				continue
			}
			or.Rights = append(or.Rights, right.English())
		}
		or.Withheld = b.withheld(f, op, ro.Withheld, or.Rights, r.SetForNewObjects, "set_for_new_objects", func(name string) (vocab.Right, string) {
			return objectRight(obj, name)
		})
		if r.SetForNewObjects {
			or.Rights = grantAll(or.Rights, kindRights[obj.Kind], or.Withheld)
		}
		otherFields := map[string]bool{}
		for j, rr := range ro.Restrictions {
			rp := fmt.Sprintf("%s.restrictions[%d]", op, j)
			right := RightName(rr.Right, true)
			switch {
			case !IsRestrictable(rr.Right):
				b.errorf(f.pos(rp+".right"), "restrictions apply to Чтение, Добавление, Изменение and Удаление (Read, Insert, Update, Delete), not %q", rr.Right)
				continue
			case !or.Has(right):
				b.errorf(f.pos(rp+".right"), "role %s restricts %s on %s but does not grant it", r.Name, right, ro.Object)
				continue
			case len(rr.Fields) > 0 && right != vocab.Read.English():
				b.errorf(f.pos(rp+".fields"), "only Чтение (Read) restrictions may name fields; %s applies to all fields", right)
				continue
			}
			if len(rr.Fields) == 0 {
				if otherFields[right] {
					b.errorf(f.pos(rp), "%s on %s is restricted twice for the other fields", right, ro.Object)
					continue
				}
				otherFields[right] = true
			}
			for k, field := range rr.Fields {
				if obj.Attribute(field) == nil && obj.TabularSection(field) == nil {
					b.errorf(f.pos(fmt.Sprintf("%s.fields[%d]", rp, k)), "%s has no field %s", ro.Object, field)
				}
			}
			or.Restrictions = append(or.Restrictions, &Restriction{Right: right, Fields: rr.Fields, Condition: b.text(f, rp+".condition", rr.Condition), Pos: f.pos(rp), Origin: rr.Origin})
		}
		for j, fr := range ro.Fields {
			fp := fmt.Sprintf("%s.fields[%d]", op, j)
			if !obj.hasField(fr.Field) {
				b.errorf(f.pos(fp+".field"), "%s has no field %s (an attribute, tabular section or ТабличнаяЧасть.Реквизит)", ro.Object, fr.Field)
				continue
			}
			fieldRight := func(name string) (vocab.Right, string) {
				right, ok := findRight(fieldRights, name)
				if !ok {
					return "", fmt.Sprintf("a field has the rights Просмотр (View) and Редактирование (Edit), not %q", name)
				}
				return right, ""
			}
			e := &FieldRights{Field: fr.Field, Pos: f.pos(fp + ".field")}
			for k, name := range fr.Rights {
				right, msg := fieldRight(name)
				if msg != "" {
					b.errorf(f.pos(fmt.Sprintf("%s.rights[%d]", fp, k)), "%s", msg)
					continue
				}
				e.Rights = append(e.Rights, right.English())
			}
			e.Withheld = b.withheld(f, fp, fr.Withheld, e.Rights, r.SetForAttributesByDefault, "set_for_attributes_by_default", fieldRight)
			or.Fields = append(or.Fields, e)
		}
		r.Objects = append(r.Objects, or)
	}
	if r.SetForNewObjects {
		// Every object the file does not name gets every right of its
		// kind, as 1C gives a role with the flag each object added to the
		// configuration.
		// Entries of one kind share their list of rights: nothing changes
		// a loaded configuration, and a big one has thousands of them.
		shared := map[Kind][]string{}
		for _, obj := range b.cfg.Objects {
			if listed[obj] {
				continue
			}
			if shared[obj.Kind] == nil {
				shared[obj.Kind] = slices.Clip(grantAll(nil, kindRights[obj.Kind], nil))
			}
			r.Objects = append(r.Objects, &ObjectRights{Object: obj.FullName(false), Rights: shared[obj.Kind], Pos: at, Implicit: true})
		}
	}
	r.byObject = make(map[*Object]*ObjectRights, len(r.Objects))
	for _, or := range r.Objects {
		if obj := b.cfg.Object(or.Object); obj != nil && r.byObject[obj] == nil {
			r.byObject[obj] = or
		}
	}
	for i, t := range raw.Templates {
		tp := fmt.Sprintf("%s.templates[%d]", path, i)
		if _, _, err := template.ParseHeader(t.Name); err != nil {
			b.errorf(f.pos(tp+".name"), "%v", err)
			continue
		}
		r.Templates = append(r.Templates, &Template{Name: t.Name, Condition: b.text(f, tp+".condition", t.Condition), Pos: f.pos(tp + ".name")})
	}
	b.cfg.Roles = append(b.cfg.Roles, r)
}

// objectRight parses a right granted or withheld on obj: a right on
// objects, and one of obj's kind. The rights the model had first keep
// their old, looser check (legacyObjectRights says why).
func objectRight(obj *Object, name string) (vocab.Right, string) {
	return kindRight(obj.Kind, obj.FullName(false), name)
}

func kindRight(k Kind, object, name string) (vocab.Right, string) {
	right, ok := findRight(objectRights, name)
	switch {
	case !ok:
		return "", fmt.Sprintf("%q is not a right on objects (Чтение/Read, Добавление/Insert, Изменение/Update, Удаление/Delete, ...)", name)
	case (right == vocab.Posting || right == vocab.UndoPosting) && k != Document:
		return "", fmt.Sprintf("%s applies to documents only", name)
	case k == DocumentJournal && right != vocab.Read && right != vocab.View:
		// A journal stores nothing: its documents are written through
		// their own rights.
		return "", fmt.Sprintf("a document journal has only the rights Чтение (Read) and Просмотр (View), not %s", name)
	case slices.Index(objectRights, right) >= legacyObjectRights && !slices.Contains(kindRights[k], right):
		return "", fmt.Sprintf("%s is not a right of %s: its kind has no such right", name, object)
	}
	return right, ""
}

// RightApplies reports whether a configuration may grant or withhold the
// right (either language) on objects of the kind: what an importer asks
// before writing a right the file names.
func RightApplies(k Kind, right string) bool {
	_, msg := kindRight(k, k.Prefix(false), right)
	return msg == ""
}

// withheld reads a list of withheld rights at path+".withheld". Withholding
// means something only where the role grants by default (the flag named
// by flag), and a right both granted and withheld is a contradiction; both
// are errors rather than guesses.
func (b *builder) withheld(f *yamlFile, path string, names, granted []string, byDefault bool, flag string, parse func(string) (vocab.Right, string)) []string {
	var out []string
	for i, name := range names {
		at := f.pos(fmt.Sprintf("%s.withheld[%d]", path, i))
		right, msg := parse(name)
		switch {
		case msg != "":
			b.errorf(at, "%s", msg)
			continue
		case !byDefault:
			b.errorf(at, "%s is withheld, but the role grants nothing by default: withheld rights mean something only with %s: true", name, flag)
			continue
		case slices.Contains(granted, right.English()):
			b.errorf(at, "%s is both granted and withheld", name)
			continue
		}
		out = append(out, right.English())
	}
	return out
}

// grantAll adds to granted every right of all that withheld does not list.
func grantAll(granted []string, all []vocab.Right, withheld []string) []string {
	out := slices.Clone(granted)
	for _, r := range all {
		if !slices.Contains(withheld, string(r)) && !slices.Contains(out, string(r)) {
			out = append(out, string(r))
		}
	}
	return out
}

func (b *builder) user(f *yamlFile, path string, raw UserFormat) {
	if raw.Name == "" {
		b.errorf(f.pos(path), "user without a name")
		return
	}
	at := f.pos(path + ".name")
	for _, other := range b.cfg.Users {
		if strings.EqualFold(other.Name, raw.Name) {
			b.errorf(at, "user %s is declared twice (first at %s)", raw.Name, other.Pos)
			return
		}
	}
	u := &User{Name: raw.Name, FullName: raw.FullName, OSUser: raw.OSUser, Email: raw.Email, Pos: at}
	for _, other := range b.cfg.Users {
		if raw.OSUser != "" && strings.EqualFold(other.OSUser, raw.OSUser) {
			b.errorf(f.pos(path+".os_user"), "OS user %s is mapped to users %s and %s: map it to one", raw.OSUser, other.Name, raw.Name)
		}
	}
	for i, role := range raw.Roles {
		if b.cfg.Role(role) == nil {
			b.errorf(f.pos(fmt.Sprintf("%s.roles[%d]", path, i)), "role %s is not in the configuration", role)
			continue
		}
		u.Roles = append(u.Roles, role)
	}
	b.cfg.Users = append(b.cfg.Users, u)
}

// names reads a list of names (enumeration values, predefined items): each a
// valid name, none twice.
func (b *builder) names(f *yamlFile, path, what string, list []string) []string {
	seen := map[string]bool{}
	var out []string
	for i, v := range list {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !isName(v):
			b.errorf(f.pos(p), "%q is not a valid %s name", v, what)
			continue
		case seen[strings.ToLower(v)]:
			b.errorf(f.pos(p), "%s %s is listed twice", what, v)
			continue
		}
		seen[strings.ToLower(v)] = true
		out = append(out, v)
	}
	return out
}

// administrators checks the platform's rule: once any user exists, at least
// one holds Администрирование [004].
func (b *builder) administrators() {
	if len(b.cfg.Users) == 0 {
		return
	}
	for _, u := range b.cfg.Users {
		for _, name := range u.Roles {
			if r := b.cfg.Role(name); r != nil {
				for _, g := range r.GlobalRights {
					if g == "Administration" {
						return
					}
				}
			}
		}
	}
	b.errorf(b.cfg.Users[0].Pos, "no user holds a role with Администрирование (Administration): at least one must once users exist")
}

// text is a restriction, template or query text at path. A plain (unquoted)
// YAML scalar ends at " #", which YAML reads as a comment: a 1C text such as
// ГДЕ Организация = &Организация #Параметр(1) would lose its template call
// without a word, so it is an error that says how to write it.
func (b *builder) text(f *yamlFile, path, value string) *source.File {
	if node := f.node(path); node != nil && node.GetToken() != nil && node.GetToken().Type == ytoken.StringType {
		tok := node.GetToken()
		if l, ok := f.line(tok.Position.Line - 1); ok {
			line := []rune(l)
			from := tok.Position.Column - 1 + len([]rune(tok.Value))
			if from >= 0 && from < len(line) {
				if k := strings.Index(string(line[from:]), "#"); k >= 0 {
					col := from + len([]rune(string(line[from:])[:k])) + 1
					b.errorf(source.Position{Filename: f.path, Line: tok.Position.Line, Column: col},
						"YAML reads the rest of this line from # as a comment, so the text stops before it: quote the whole text ('...') or write it as a block (|)")
				}
			}
		}
	}
	return f.text(path, value)
}

// recorders resolves the registers each document posts to and gives each
// register the documents that post to it, in the order they are declared:
// the type of its Регистратор.
func (b *builder) recorders() {
	for _, p := range b.posts {
		r := b.cfg.Object(p.register)
		switch {
		case r == nil:
			b.errorf(p.at, "%s is not in the configuration", p.register)
			continue
		case r.Kind != AccumulationRegister && r.Kind != AccountingRegister && r.Kind != InformationRegister:
			b.errorf(p.at, "%s is not a register: a document posts to accumulation and accounting registers and to information registers subordinate to a recorder", p.register)
			continue
		case r.Kind == InformationRegister && !r.Recorder:
			b.errorf(p.at, "%s has no recorder: a document posts to accumulation registers and to information registers subordinate to a recorder", p.register)
			continue
		}
		doc := p.doc.FullName(false)
		if slices.Contains(r.Recorders, doc) {
			b.errorf(p.at, "%s lists %s twice", doc, p.register)
			continue
		}
		p.doc.RegisterRecords = append(p.doc.RegisterRecords, r.FullName(false))
		r.Recorders = append(r.Recorders, doc)
	}
}

package metadata

import (
	"fmt"
	"strconv"
	"strings"
)

// Charts of accounts, accounting registers and charts of calculation types:
// what the platform derives from their settings (the standard tabular
// sections, the sides of a register with correspondence) and the checks
// of their YAML keys.

// chartOfAccounts reads the keys of a chart of accounts.
func (b *builder) chartOfAccounts(f *yamlFile, path string, o *Object, raw ObjectFormat) {
	if raw.ExtDimensionTypes != "" {
		spec, err := ParseTypeSpec(raw.ExtDimensionTypes)
		if err != nil || spec.Primitive != Ref || !strings.HasPrefix(spec.Object, ChartOfCharacteristicTypes.Prefix(false)+".") {
			b.errorf(f.pos(path+".ext_dimension_types"), "ext_dimension_types must name a chart of characteristic types, as ПланВидовХарактеристик.ВидыСубконто, not %q", raw.ExtDimensionTypes)
		} else {
			o.ExtDimensionTypes = spec.Object
			b.refs = append(b.refs, pendingRef{object: spec.Object, at: f.pos(path + ".ext_dimension_types")})
		}
	}
	switch {
	case raw.MaxExtDimensions < 0 || raw.MaxExtDimensions > maxExtDimensions:
		b.errorf(f.pos(path+".max_ext_dimensions"), "max_ext_dimensions must be 0 to %d, not %d", maxExtDimensions, raw.MaxExtDimensions)
	case raw.MaxExtDimensions > 0 && o.ExtDimensionTypes == "":
		b.errorf(f.pos(path+".max_ext_dimensions"), "max_ext_dimensions is %d but ext_dimension_types is not set: subconto need a chart of characteristic types for their kinds", raw.MaxExtDimensions)
	default:
		o.MaxExtDimensions = raw.MaxExtDimensions
	}
	o.AccountingFlags = b.names(f, path+".accounting_flags", "accounting flag", raw.AccountingFlags)
	o.ExtDimensionAccountingFlags = b.names(f, path+".ext_dimension_accounting_flags", "accounting flag of subconto", raw.ExtDimensionAccountingFlags)
	if raw.OrderLength < 0 || raw.OrderLength > MaxStringLength {
		b.errorf(f.pos(path+".order_length"), "order_length must be 0 to %d", MaxStringLength)
	}
	o.OrderLength = raw.OrderLength
}

// maxExtDimensions is how many subconto an account may have at most.
const maxExtDimensions = 10

// balanceFlags applies balance: false of an accounting register's
// dimensions and resources; elsewhere the key is an error.
func (b *builder) balanceFlags(f *yamlFile, path string, o *Object, raw ObjectFormat) {
	for _, list := range []struct {
		key  string
		raws []AttributeFormat
	}{{"dimensions", raw.Dimensions}, {"resources", raw.Resources}, {"attributes", raw.Attributes}} {
		for i, ra := range list.raws {
			if ra.Balance == nil {
				continue
			}
			p := fmt.Sprintf("%s.%s[%d].balance", path, list.key, i)
			if o.Kind != AccountingRegister || list.key == "attributes" {
				b.errorf(f.pos(p), "balance applies to dimensions and resources of an accounting register only")
				continue
			}
			if a := o.ownAttribute(ra.Name); a != nil {
				a.NonBalance = !*ra.Balance
			}
		}
	}
}

func (o *Object) ownAttribute(name string) *Attribute {
	for _, a := range o.Attributes {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

// predefined reads the predefined items of an object: names, and what
// else each says.
func (b *builder) predefined(f *yamlFile, path string, o *Object, raws []PredefinedFormat) {
	names := make([]string, len(raws))
	for i, r := range raws {
		names[i] = r.Name
	}
	o.Predefined = b.names(f, path, "predefined item", names)
	if len(o.Predefined) != len(raws) {
		return // the names are wrong: what else they say can wait
	}
	known := map[string]bool{}
	for _, n := range o.Predefined {
		known[strings.ToLower(n)] = true
	}
	for i, r := range raws {
		p := fmt.Sprintf("%s[%d]", path, i)
		item := &PredefinedItem{Name: r.Name, Code: r.Code, Description: r.Description, Parent: r.Parent,
			IsFolder: r.Folder, OffBalance: r.OffBalance}
		if r.Parent != "" && !known[strings.ToLower(r.Parent)] {
			b.errorf(f.pos(p+".parent"), "parent %s of predefined item %s is not a predefined item of %s", r.Parent, r.Name, o.FullName(false))
		}
		if r.Folder && !o.FoldersHierarchy {
			b.errorf(f.pos(p+".folder"), "predefined item %s is a folder, but %s has no folders", r.Name, o.FullName(false))
		}
		if r.AccountType != "" || r.OffBalance || len(r.Flags) > 0 {
			if o.Kind != ChartOfAccounts {
				b.errorf(f.pos(p), "account_type, off_balance and accounting_flags apply to predefined accounts of a chart of accounts only")
			}
		}
		if r.AccountType != "" {
			v, ok := SystemEnumNamed(AccountTypeEnum).Value(r.AccountType)
			if !ok {
				b.errorf(f.pos(p+".account_type"), "account_type must be Активный, Пассивный or АктивноПассивный (Active, Passive, ActivePassive), not %q", r.AccountType)
			}
			item.AccountType = v
		}
		for j, flag := range r.Flags {
			if !containsFold(o.AccountingFlags, flag) {
				b.errorf(f.pos(fmt.Sprintf("%s.accounting_flags[%d]", p, j)), "%s is not an accounting flag of %s", flag, o.FullName(false))
				continue
			}
			item.Flags = append(item.Flags, flag)
		}
		if r.Code != "" && o.CodeLength > 0 && len([]rune(r.Code)) > o.CodeLength {
			b.errorf(f.pos(p+".code"), "code %q of predefined item %s is longer than the codes of %s (%d)", r.Code, r.Name, o.FullName(false), o.CodeLength)
		}
		if r.Code != "" && o.CodeIsNumber {
			if _, err := strconv.Atoi(r.Code); err != nil {
				b.errorf(f.pos(p+".code"), "code %q of predefined item %s is not a number, and the codes of %s are", r.Code, r.Name, o.FullName(false))
			}
		}
		o.PredefinedItems = append(o.PredefinedItems, item)
	}
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// standardSections are the tabular sections the platform gives an object
// of its kind: a chart of accounts' ВидыСубконто, a chart of calculation
// types' ведущие, базовые and вытесняющие виды расчета.
func (o *Object) standardSections() []*TabularSection {
	boolean := Type{{Primitive: Boolean}}
	std := func(ru, en string, t Type) *Attribute {
		return &Attribute{Name: ru, English: en, Type: t, Role: StandardAttribute}
	}
	switch o.Kind {
	case ChartOfAccounts:
		if o.ExtDimensionTypes == "" || o.MaxExtDimensions == 0 {
			return nil
		}
		ts := &TabularSection{Name: "ВидыСубконто", English: "ExtDimensionTypes", Attributes: []*Attribute{
			std("ВидСубконто", "ExtDimensionType", Type{{Primitive: Ref, Object: o.ExtDimensionTypes}}),
			std("ТолькоОбороты", "TurnoversOnly", boolean),
			std("Предопределенное", "Predefined", boolean),
		}}
		for _, flag := range o.ExtDimensionAccountingFlags {
			ts.Attributes = append(ts.Attributes, &Attribute{Name: flag, Type: boolean})
		}
		return []*TabularSection{ts}
	case ChartOfCalculationTypes:
		self := Type{{Primitive: Ref, Object: o.FullName(false)}}
		section := func(ru, en string) *TabularSection {
			return &TabularSection{Name: ru, English: en, Attributes: []*Attribute{std("ВидРасчета", "CalculationType", self)}}
		}
		out := []*TabularSection{section("ВедущиеВидыРасчета", "LeadingCalculationTypes")}
		if o.DependsOnBase {
			out = append(out, section("БазовыеВидыРасчета", "BaseCalculationTypes"))
		}
		if o.ActionPeriod {
			out = append(out, section("ВытесняющиеВидыРасчета", "DisplacingCalculationTypes"))
		}
		return out
	}
	return nil
}

// accountingRegisters resolves each accounting register's chart of
// accounts, takes its subconto from it and, for a register with
// correspondence, splits every dimension and resource that is not
// balanced into its two sides, the fields a record has.
func (b *builder) accountingRegisters() {
	for _, p := range b.charts {
		chart := b.cfg.Object(p.chart)
		if chart == nil || chart.Kind != ChartOfAccounts {
			if chart == nil {
				b.errorf(p.at, "%s is not in the configuration", p.chart)
			} else {
				b.errorf(p.at, "%s is not a chart of accounts", p.chart)
			}
			continue
		}
		r := p.register
		r.ChartOfAccounts = chart.FullName(false)
		r.ExtDimensions = chart.MaxExtDimensions
		r.ExtDimensionTypes = chart.ExtDimensionTypes
		if cct := b.cfg.Object(chart.ExtDimensionTypes); cct != nil {
			r.ExtDimensionType = cct.Type
		}
		if !r.Correspondence {
			continue
		}
		var attrs []*Attribute
		for _, a := range r.Attributes {
			if !a.NonBalance {
				attrs = append(attrs, a)
				continue
			}
			for _, side := range []string{"Дт", "Кт"} {
				c := *a
				c.Name, c.Base, c.Side = a.Name+side, a.Name, side
				if a.Column != "" {
					c.Column = a.Column + map[string]string{"Дт": "_dr", "Кт": "_cr"}[side]
				}
				attrs = append(attrs, &c)
			}
		}
		r.Attributes = attrs
	}
}

// accountingStandard are the standard attributes of an accounting
// register's record: the account (one, or both sides) and the subconto.
func (o *Object) accountingStandard(std func(ru, en string, t Type) *Attribute) []*Attribute {
	account := Type{{Primitive: Ref, Object: o.ChartOfAccounts}}
	kinds := Type{{Primitive: Ref, Object: o.ExtDimensionTypes}}
	var out []*Attribute
	sides := []struct{ ru, en string }{{"", ""}}
	if o.Correspondence {
		sides = []struct{ ru, en string }{{"Дт", "Dr"}, {"Кт", "Cr"}}
	}
	for _, s := range sides {
		out = append(out, std("Счет"+s.ru, "Account"+s.en, account))
	}
	if !o.Correspondence {
		out = append(out, std("ВидДвижения", "RecordType", Type{{Primitive: Ref, Object: AccountingRecordTypeEnum}}))
	}
	for _, s := range sides {
		for i := 1; i <= o.ExtDimensions; i++ {
			out = append(out,
				std(fmt.Sprintf("ВидСубконто%s%d", s.ru, i), fmt.Sprintf("ExtDimensionType%s%d", s.en, i), kinds),
				std(fmt.Sprintf("Субконто%s%d", s.ru, i), fmt.Sprintf("ExtDimension%s%d", s.en, i), o.ExtDimensionType))
		}
	}
	return out
}

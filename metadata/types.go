package metadata

import (
	"fmt"
	"strconv"
	"strings"
)

// Primitive is the base of a type.
type Primitive int

// The primitive types of 1C, and references to objects.
const (
	String Primitive = iota + 1
	Number
	Boolean
	Date
	Ref          // Object names the referenced object; empty Object is ЛюбаяСсылка (any reference)
	ValueStorage // ХранилищеЗначения: any serialized value, stored as bytes
	UUID         // УникальныйИдентификатор
	// Fixed collections exist only as session parameter values.
	FixedArray
	FixedStructure
	FixedMap
)

// TypeSpec is one type: a primitive with its qualifiers, or a reference.
type TypeSpec struct {
	Primitive Primitive
	Length    int    // String: characters, 0 for unlimited
	Precision int    // Number: total digits
	Scale     int    // Number: digits after the point
	Object    string // Ref: the full name of the referenced object, as written (Справочник.Контрагенты)
}

// Type is a value type; more than one spec makes a composite type, stored the
// way 1C does (a type tag plus a column per kind of value).
type Type []TypeSpec

// Composite reports whether the type allows values of several kinds.
func (t Type) Composite() bool { return len(t) > 1 }

// String prints the type as it is written in the configuration.
func (t Type) String() string {
	parts := make([]string, len(t))
	for i, s := range t {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

// String prints the spec in Russian: Строка(12), Число(15, 2), Справочник.X.
func (s TypeSpec) String() string {
	switch s.Primitive {
	case String:
		if s.Length == 0 {
			return "Строка"
		}
		return fmt.Sprintf("Строка(%d)", s.Length)
	case Number:
		if s.Scale == 0 {
			return fmt.Sprintf("Число(%d)", s.Precision)
		}
		return fmt.Sprintf("Число(%d, %d)", s.Precision, s.Scale)
	case Boolean:
		return "Булево"
	case Date:
		return "Дата"
	case Ref:
		if s.Object == "" {
			return "ЛюбаяСсылка"
		}
		return s.Object
	case ValueStorage:
		return "ХранилищеЗначения"
	case UUID:
		return "УникальныйИдентификатор"
	case FixedArray:
		return "ФиксированныйМассив"
	case FixedStructure:
		return "ФиксированнаяСтруктура"
	case FixedMap:
		return "ФиксированноеСоответствие"
	}
	return "?"
}

// Limits of the qualifiers, as 1C has them.
const (
	MaxStringLength = 1024
	MaxPrecision    = 38
)

var primitiveNames = map[string]Primitive{
	"строка": String, "string": String,
	"число": Number, "number": Number,
	"булево": Boolean, "boolean": Boolean,
	"дата": Date, "date": Date, "датавремя": Date, "datetime": Date,
	"хранилищезначения": ValueStorage, "valuestorage": ValueStorage,
	"уникальныйидентификатор": UUID, "uuid": UUID,
	"фиксированныймассив": FixedArray, "fixedarray": FixedArray,
	"фиксированнаяструктура": FixedStructure, "fixedstructure": FixedStructure,
	"фиксированноесоответствие": FixedMap, "fixedmap": FixedMap,
	"любаяссылка": Ref, "anyref": Ref,
}

// refPrefixes are the ways 1C writes a reference type: Справочник.X as in
// query texts, СправочникСсылка.X as in the Designer and in XML dumps.
var refPrefixes = map[string]Kind{
	"справочник": Catalog, "catalog": Catalog, "справочникссылка": Catalog, "catalogref": Catalog,
	"документ": Document, "document": Document, "документссылка": Document, "documentref": Document,
	"перечисление": Enum, "enum": Enum, "перечислениессылка": Enum, "enumref": Enum,
	"планвидовхарактеристик": ChartOfCharacteristicTypes, "chartofcharacteristictypes": ChartOfCharacteristicTypes,
	"планвидовхарактеристикссылка": ChartOfCharacteristicTypes, "chartofcharacteristictypesref": ChartOfCharacteristicTypes,
	"планобмена": ExchangePlan, "exchangeplan": ExchangePlan, "планобменассылка": ExchangePlan, "exchangeplanref": ExchangePlan,
	"бизнеспроцесс": BusinessProcess, "businessprocess": BusinessProcess, "бизнеспроцессссылка": BusinessProcess, "businessprocessref": BusinessProcess,
	"задача": Task, "task": Task, "задачассылка": Task, "taskref": Task,
	"плансчетов": ChartOfAccounts, "chartofaccounts": ChartOfAccounts, "плансчетовссылка": ChartOfAccounts, "chartofaccountsref": ChartOfAccounts,
	"планвидоврасчета": ChartOfCalculationTypes, "chartofcalculationtypes": ChartOfCalculationTypes,
	"планвидоврасчетассылка": ChartOfCalculationTypes, "chartofcalculationtypesref": ChartOfCalculationTypes,
}

// Storable reports whether values of the spec can be kept in a table column
// (fixed collections live only in session parameters).
func (s TypeSpec) Storable() bool {
	return s.Primitive != FixedArray && s.Primitive != FixedStructure && s.Primitive != FixedMap
}

// ParseTypeSpec reads one type as written in a configuration:
// Строка(12), String, Число(15, 2), Булево, Дата, Справочник.Контрагенты,
// СправочникСсылка.Контрагенты, Document.Реализация.
func ParseTypeSpec(s string) (TypeSpec, error) {
	s = strings.TrimSpace(s)
	name, args, hasArgs := strings.Cut(s, "(")
	name = strings.TrimSpace(name)
	var nums []int
	if hasArgs {
		body, ok := strings.CutSuffix(strings.TrimSpace(args), ")")
		if !ok {
			return TypeSpec{}, fmt.Errorf("type %q: ')' is missing", s)
		}
		for _, a := range strings.Split(body, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(a))
			if err != nil || n < 0 {
				return TypeSpec{}, fmt.Errorf("type %q: %q is not a whole number", s, strings.TrimSpace(a))
			}
			nums = append(nums, n)
		}
	}
	if p, ok := primitiveNames[strings.ToLower(name)]; ok {
		spec := TypeSpec{Primitive: p}
		switch p {
		case String:
			if len(nums) > 1 {
				return spec, fmt.Errorf("type %q: a string takes one qualifier, its length", s)
			}
			if len(nums) == 1 {
				if nums[0] > MaxStringLength {
					return spec, fmt.Errorf("type %q: a string of fixed length holds at most %d characters; write Строка for unlimited", s, MaxStringLength)
				}
				spec.Length = nums[0]
			}
		case Number:
			switch len(nums) {
			case 0:
				spec.Precision = 10
			case 1:
				spec.Precision = nums[0]
			case 2:
				spec.Precision, spec.Scale = nums[0], nums[1]
			default:
				return spec, fmt.Errorf("type %q: a number takes at most two qualifiers, digits and digits after the point", s)
			}
			if spec.Precision < 1 || spec.Precision > MaxPrecision {
				return spec, fmt.Errorf("type %q: a number has 1 to %d digits", s, MaxPrecision)
			}
			if spec.Scale > spec.Precision {
				return spec, fmt.Errorf("type %q: more digits after the point than in all", s)
			}
		default:
			if hasArgs {
				return spec, fmt.Errorf("type %q: %s takes no qualifiers", s, name)
			}
		}
		return spec, nil
	}
	if prefix, obj, ok := strings.Cut(name, "."); ok && !hasArgs && obj != "" && !strings.Contains(obj, ".") {
		if k, ok := refPrefixes[strings.ToLower(prefix)]; ok {
			return TypeSpec{Primitive: Ref, Object: k.Prefix(false) + "." + obj}, nil
		}
	}
	return TypeSpec{}, fmt.Errorf("unknown type %q: expected Строка(n), Число(p, s), Булево, Дата or a reference such as Справочник.Контрагенты", s)
}

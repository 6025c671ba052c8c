package onecxml

import (
	"strings"

	"dostup/metadata/vocab"
)

// Kind is a class of metadata object with its names in both script
// variants. Rights.xml and Configuration.xml always use the English name
// (EN); restriction and query texts of a Russian configuration use RU. The
// names come from metadata/vocab, the one list of them; Kind keeps them as
// fields for the reader's callers.
type Kind struct {
	EN     string // "Catalog": prefix in Rights.xml, element in Configuration.xml
	RU     string // "Справочник": prefix in Russian texts
	Folder string // "Catalogs": the dump folder holding the objects' files
	// Data is true for kinds whose objects are tables that record-level
	// restrictions apply to.
	Data bool
}

// kindOf copies the vocabulary's words for k into the reader's Kind.
func kindOf(k vocab.Kind) Kind {
	return Kind{EN: k.English(), RU: k.Russian(), Folder: k.Folder(), Data: k.Restrictable()}
}

// Kinds returns every kind, tables that restrictions apply to first. The
// slice is new each time, so no caller can change it for everyone.
func Kinds() []Kind {
	var out []Kind
	for _, k := range vocab.Kinds() {
		out = append(out, kindOf(k))
	}
	return out
}

// LookupKind finds a kind by its English or Russian name, without regard to
// case, since 1C names are case-insensitive.
func LookupKind(name string) (Kind, bool) {
	k, ok := vocab.ParseKind(name)
	if !ok {
		return Kind{}, false
	}
	return kindOf(k), true
}

// parts are the class words inside a full name of a sub-object
// ("InformationRegister.X.Command.Y"), in English and Russian.
var parts = [][2]string{
	{"Attribute", "Реквизит"},
	{"TabularSection", "ТабличнаяЧасть"},
	{"Dimension", "Измерение"},
	{"Resource", "Ресурс"},
	{"Command", "Команда"},
	{"Form", "Форма"},
	{"Template", "Макет"},
	{"Operation", "Операция"},
	{"Parameter", "Параметр"},
	{"Subsystem", "Подсистема"},
	{"Table", "Таблица"},
	{"Cube", "Куб"},
	{"DimensionTable", "ТаблицаИзмерения"},
	{"Field", "Поле"},
	{"EnumValue", "ЗначениеПеречисления"},
	{"AccountingFlag", "ПризнакУчета"},
	{"ExtDimensionAccountingFlag", "ПризнакУчетаСубконто"},
	{"AddressingAttribute", "РеквизитАдресации"},
	{"Recalculation", "Перерасчет"},
	{"URLTemplate", "ШаблонURL"},
	{"Method", "Метод"},
	{"Channel", "Канал"},
	{"Column", "Графа"},
	{"StandardAttribute", "СтандартныйРеквизит"},
}

// TableName gives a full object name as the restriction texts of a
// configuration of the given script variant see it: "Catalog.Контрагенты"
// becomes "Справочник.Контрагенты" when russian is true and stays as it is
// otherwise; a Russian name is turned into English the same way. Class words
// of sub-objects ("Command", "Команда") are translated too. Names that are
// not known are left alone, so a typo shows up unchanged in messages.
func TableName(objectName string, russian bool) string {
	segs := strings.Split(objectName, ".")
	if k, ok := vocab.ParseKind(segs[0]); ok {
		segs[0] = k.Name(!russian)
	}
	// Sub-object class words stand at even positions: Kind.Name.Class.Name...
	for i := 2; i < len(segs); i += 2 {
		for _, p := range parts {
			if strings.EqualFold(segs[i], p[0]) || strings.EqualFold(segs[i], p[1]) {
				segs[i] = pick(p[0], p[1], russian)
				break
			}
		}
	}
	return strings.Join(segs, ".")
}

func pick(en, ru string, russian bool) string {
	if russian {
		return ru
	}
	return en
}

// IsDataTable reports whether record-level restrictions can apply to the
// object of the full name (English or Russian): a catalog, document,
// register, chart, exchange plan, business process, task or document
// journal, or a table or cube of an external data source. Sub-objects such
// as commands and forms are not tables.
func IsDataTable(objectName string) bool {
	segs := strings.Split(objectName, ".")
	k, ok := vocab.ParseKind(segs[0])
	if !ok || !k.Restrictable() {
		return false
	}
	for _, s := range segs {
		if s == "" {
			return false
		}
	}
	if k == vocab.ExternalDataSource {
		return len(segs) == 4 && (strings.EqualFold(segs[2], "Table") || strings.EqualFold(segs[2], "Таблица") ||
			strings.EqualFold(segs[2], "Cube") || strings.EqualFold(segs[2], "Куб"))
	}
	return len(segs) == 2
}

// RightName gives a right's name in the script variant wanted, from either
// its English or its Russian name ("Read" ↔ "Чтение"). A name that is no
// right of vocab.Rights is returned unchanged, so that a right of a newer
// platform still shows in messages.
func RightName(right string, russian bool) string {
	r, ok := vocab.ParseRight(right)
	if !ok {
		return right
	}
	return r.Name(!russian)
}

// IsRLSRight reports whether the right (English or Russian name) is one of
// the four that may carry record-level restrictions: Read, Insert, Update,
// Delete.
func IsRLSRight(right string) bool {
	r, ok := vocab.ParseRight(right)
	return ok && r.Restrictable()
}

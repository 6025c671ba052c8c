package metadata

import "strings"

// Kind is a kind of metadata object.
type Kind int

// The kinds an infobase stores.
const (
	Catalog Kind = iota + 1
	Document
	InformationRegister
	AccumulationRegister
	Constant
	Enum
	ChartOfCharacteristicTypes
	ExchangePlan
	BusinessProcess
	Task
	// DocumentJournal lists the documents of several kinds as one table;
	// it stores nothing of its own.
	DocumentJournal
)

type kindInfo struct {
	ru, en string // name prefixes in query texts
	key    string // key of the list in the YAML format
}

var kinds = map[Kind]kindInfo{
	Catalog:                    {"Справочник", "Catalog", "catalogs"},
	Document:                   {"Документ", "Document", "documents"},
	InformationRegister:        {"РегистрСведений", "InformationRegister", "information_registers"},
	AccumulationRegister:       {"РегистрНакопления", "AccumulationRegister", "accumulation_registers"},
	Constant:                   {"Константа", "Constant", "constants"},
	Enum:                       {"Перечисление", "Enum", "enums"},
	ChartOfCharacteristicTypes: {"ПланВидовХарактеристик", "ChartOfCharacteristicTypes", "charts_of_characteristic_types"},
	ExchangePlan:               {"ПланОбмена", "ExchangePlan", "exchange_plans"},
	BusinessProcess:            {"БизнесПроцесс", "BusinessProcess", "business_processes"},
	Task:                       {"Задача", "Task", "tasks"},
	DocumentJournal:            {"ЖурналДокументов", "DocumentJournal", "document_journals"},
}

// Kinds lists the kinds whose objects the configuration format declares
// as ObjectFormat lists, in the order configurations list them. Document
// journals are declared apart (FileFormat.DocumentJournals): they are built
// over documents, so they come after every object.
func Kinds() []Kind {
	return []Kind{Catalog, Document, InformationRegister, AccumulationRegister, Constant, Enum,
		ChartOfCharacteristicTypes, ExchangePlan, BusinessProcess, Task}
}

// YAMLKey is the key of the kind's list in the configuration format.
func (k Kind) YAMLKey() string { return kinds[k].key }

// Prefix returns the kind's name prefix in Russian (Справочник) or English (Catalog).
func (k Kind) Prefix(english bool) string {
	if english {
		return kinds[k].en
	}
	return kinds[k].ru
}

// String returns the Russian prefix.
func (k Kind) String() string { return kinds[k].ru }

// KindByPrefix finds a kind by its Russian or English prefix, in any case.
func KindByPrefix(prefix string) (Kind, bool) {
	for k, info := range kinds {
		if strings.EqualFold(prefix, info.ru) || strings.EqualFold(prefix, info.en) {
			return k, true
		}
	}
	return 0, false
}

// IsReference reports whether objects of the kind are referenced by a Ссылка
// of their own. A journal's Ссылка is the reference of a registered
// document, so a journal is not one.
func (k Kind) IsReference() bool {
	return k != InformationRegister && k != AccumulationRegister && k != Constant && k != DocumentJournal
}

// catalogLike kinds have codes, descriptions and optional hierarchy.
func (k Kind) catalogLike() bool {
	return k == Catalog || k == ChartOfCharacteristicTypes || k == ExchangePlan
}

// documentLike kinds have numbers and dates.
func (k Kind) documentLike() bool { return k == Document || k == BusinessProcess || k == Task }

// IsRegister reports whether the kind is a register.
func (k Kind) IsRegister() bool { return k == InformationRegister || k == AccumulationRegister }

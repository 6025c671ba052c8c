package metadata

import "dostup/metadata/vocab"

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
	ChartOfAccounts
	AccountingRegister
	ChartOfCalculationTypes
)

// kindInfo ties a kind of the model to its words in the vocabulary and to
// the key of its list in the YAML format, which only the model has.
type kindInfo struct {
	name vocab.Kind
	key  string
}

var kinds = map[Kind]kindInfo{
	Catalog:                    {vocab.Catalog, "catalogs"},
	Document:                   {vocab.Document, "documents"},
	InformationRegister:        {vocab.InformationRegister, "information_registers"},
	AccumulationRegister:       {vocab.AccumulationRegister, "accumulation_registers"},
	Constant:                   {vocab.Constant, "constants"},
	Enum:                       {vocab.Enum, "enums"},
	ChartOfCharacteristicTypes: {vocab.ChartOfCharacteristicTypes, "charts_of_characteristic_types"},
	ExchangePlan:               {vocab.ExchangePlan, "exchange_plans"},
	BusinessProcess:            {vocab.BusinessProcess, "business_processes"},
	Task:                       {vocab.Task, "tasks"},
	DocumentJournal:            {vocab.DocumentJournal, "document_journals"},
	ChartOfAccounts:            {vocab.ChartOfAccounts, "charts_of_accounts"},
	AccountingRegister:         {vocab.AccountingRegister, "accounting_registers"},
	ChartOfCalculationTypes:    {vocab.ChartOfCalculationTypes, "charts_of_calculation_types"},
}

// Kinds lists the kinds whose objects the configuration format declares
// as ObjectFormat lists, in the order configurations list them. Document
// journals are declared apart (FileFormat.DocumentJournals): they are built
// over documents, so they come after every object.
func Kinds() []Kind {
	return []Kind{Catalog, Document, InformationRegister, AccumulationRegister, Constant, Enum,
		ChartOfCharacteristicTypes, ExchangePlan, BusinessProcess, Task,
		ChartOfAccounts, AccountingRegister, ChartOfCalculationTypes}
}

// YAMLKey is the key of the kind's list in the configuration format.
func (k Kind) YAMLKey() string { return kinds[k].key }

// Prefix returns the kind's name prefix in Russian (Справочник) or English (Catalog).
func (k Kind) Prefix(english bool) string { return kinds[k].name.Name(english) }

// String returns the Russian prefix.
func (k Kind) String() string { return k.Prefix(false) }

// KindByPrefix finds a kind by its Russian or English prefix, in any case.
func KindByPrefix(prefix string) (Kind, bool) {
	name, ok := vocab.ParseKind(prefix)
	if !ok {
		return 0, false
	}
	for k, info := range kinds {
		if info.name == name {
			return k, true
		}
	}
	return 0, false
}

// IsReference reports whether objects of the kind are referenced by a Ссылка
// of their own. A journal's Ссылка is the reference of a registered
// document, so a journal is not one.
func (k Kind) IsReference() bool {
	return k != InformationRegister && k != AccumulationRegister && k != AccountingRegister && k != Constant && k != DocumentJournal
}

// catalogLike kinds have codes, descriptions and predefined items.
func (k Kind) catalogLike() bool {
	return k == Catalog || k == ChartOfCharacteristicTypes || k == ExchangePlan || k == ChartOfAccounts || k == ChartOfCalculationTypes
}

// documentLike kinds have numbers and dates.
func (k Kind) documentLike() bool { return k == Document || k == BusinessProcess || k == Task }

// IsRegister reports whether the kind is a register.
func (k Kind) IsRegister() bool {
	return k == InformationRegister || k == AccumulationRegister || k == AccountingRegister
}

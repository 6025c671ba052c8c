package vocab

// Kind is a kind of metadata object, held as its English name (Catalog):
// the element of Configuration.xml and the prefix of full names in Rights.xml
// and in English texts.
type Kind string

// The kinds of metadata objects 1C dumps. The model (metadata) has only some
// of them; the dump reader meets all.
const (
	Catalog                    Kind = "Catalog"
	Document                   Kind = "Document"
	DocumentJournal            Kind = "DocumentJournal"
	InformationRegister        Kind = "InformationRegister"
	AccumulationRegister       Kind = "AccumulationRegister"
	AccountingRegister         Kind = "AccountingRegister"
	CalculationRegister        Kind = "CalculationRegister"
	ChartOfCharacteristicTypes Kind = "ChartOfCharacteristicTypes"
	ChartOfAccounts            Kind = "ChartOfAccounts"
	ChartOfCalculationTypes    Kind = "ChartOfCalculationTypes"
	ExchangePlan               Kind = "ExchangePlan"
	BusinessProcess            Kind = "BusinessProcess"
	Task                       Kind = "Task"
	ExternalDataSource         Kind = "ExternalDataSource"
	Enum                       Kind = "Enum"
	Constant                   Kind = "Constant"
	Sequence                   Kind = "Sequence"
	FilterCriterion            Kind = "FilterCriterion"
	Configuration              Kind = "Configuration"
	Report                     Kind = "Report"
	DataProcessor              Kind = "DataProcessor"
	CommonForm                 Kind = "CommonForm"
	CommonCommand              Kind = "CommonCommand"
	CommandGroup               Kind = "CommandGroup"
	Subsystem                  Kind = "Subsystem"
	SessionParameter           Kind = "SessionParameter"
	CommonAttribute            Kind = "CommonAttribute"
	WebService                 Kind = "WebService"
	HTTPService                Kind = "HTTPService"
	IntegrationService         Kind = "IntegrationService"
	Role                       Kind = "Role"
	CommonModule               Kind = "CommonModule"
	CommonTemplate             Kind = "CommonTemplate"
	CommonPicture              Kind = "CommonPicture"
	FunctionalOption           Kind = "FunctionalOption"
	FunctionalOptionsParameter Kind = "FunctionalOptionsParameter"
	DefinedType                Kind = "DefinedType"
	Language                   Kind = "Language"
	ScheduledJob               Kind = "ScheduledJob"
	EventSubscription          Kind = "EventSubscription"
	SettingsStorage            Kind = "SettingsStorage"
	StyleItem                  Kind = "StyleItem"
	Style                      Kind = "Style"
	XDTOPackage                Kind = "XDTOPackage"
	WSReference                Kind = "WSReference"
	DocumentNumerator          Kind = "DocumentNumerator"
	Interface                  Kind = "Interface"
	Bot                        Kind = "Bot"
)

// kindInfo is what 1C calls a kind besides its English name.
type kindInfo struct {
	en     Kind
	ru     string // "Справочник": the prefix in Russian texts
	folder string // "Catalogs": the dump folder holding the objects' files
	// data is true for kinds whose objects are tables that record-level
	// restrictions apply to.
	data bool
}

func (k kindInfo) names() (string, string) { return string(k.en), k.ru }

// kinds is in the order Kinds lists them: tables restrictions apply to
// first, then the rest.
var kinds = []kindInfo{
	{Catalog, "Справочник", "Catalogs", true},
	{Document, "Документ", "Documents", true},
	{DocumentJournal, "ЖурналДокументов", "DocumentJournals", true},
	{InformationRegister, "РегистрСведений", "InformationRegisters", true},
	{AccumulationRegister, "РегистрНакопления", "AccumulationRegisters", true},
	{AccountingRegister, "РегистрБухгалтерии", "AccountingRegisters", true},
	{CalculationRegister, "РегистрРасчета", "CalculationRegisters", true},
	{ChartOfCharacteristicTypes, "ПланВидовХарактеристик", "ChartsOfCharacteristicTypes", true},
	{ChartOfAccounts, "ПланСчетов", "ChartsOfAccounts", true},
	{ChartOfCalculationTypes, "ПланВидовРасчета", "ChartsOfCalculationTypes", true},
	{ExchangePlan, "ПланОбмена", "ExchangePlans", true},
	{BusinessProcess, "БизнесПроцесс", "BusinessProcesses", true},
	{Task, "Задача", "Tasks", true},
	// External data sources are restricted per table, not per source.
	{ExternalDataSource, "ВнешнийИсточникДанных", "ExternalDataSources", true},

	// Objects that hold data but that record-level restrictions do not
	// apply to.
	{Enum, "Перечисление", "Enums", false},
	{Constant, "Константа", "Constants", false},
	{Sequence, "Последовательность", "Sequences", false},
	{FilterCriterion, "КритерийОтбора", "FilterCriteria", false},

	// Objects that appear in Rights.xml or Configuration.xml without being
	// tables. The configuration itself has no folder: its file is the
	// dump's root.
	{Configuration, "Конфигурация", "", false},
	{Report, "Отчет", "Reports", false},
	{DataProcessor, "Обработка", "DataProcessors", false},
	{CommonForm, "ОбщаяФорма", "CommonForms", false},
	{CommonCommand, "ОбщаяКоманда", "CommonCommands", false},
	{CommandGroup, "ГруппаКоманд", "CommandGroups", false},
	{Subsystem, "Подсистема", "Subsystems", false},
	{SessionParameter, "ПараметрСеанса", "SessionParameters", false},
	{CommonAttribute, "ОбщийРеквизит", "CommonAttributes", false},
	{WebService, "WebСервис", "WebServices", false},
	{HTTPService, "HTTPСервис", "HTTPServices", false},
	{IntegrationService, "СервисИнтеграции", "IntegrationServices", false},
	{Role, "Роль", "Roles", false},
	{CommonModule, "ОбщийМодуль", "CommonModules", false},
	{CommonTemplate, "ОбщийМакет", "CommonTemplates", false},
	{CommonPicture, "ОбщаяКартинка", "CommonPictures", false},
	{FunctionalOption, "ФункциональнаяОпция", "FunctionalOptions", false},
	{FunctionalOptionsParameter, "ПараметрФункциональныхОпций", "FunctionalOptionsParameters", false},
	{DefinedType, "ОпределяемыйТип", "DefinedTypes", false},
	{Language, "Язык", "Languages", false},
	{ScheduledJob, "РегламентноеЗадание", "ScheduledJobs", false},
	{EventSubscription, "ПодпискаНаСобытие", "EventSubscriptions", false},
	{SettingsStorage, "ХранилищеНастроек", "SettingsStorages", false},
	{StyleItem, "ЭлементСтиля", "StyleItems", false},
	{Style, "Стиль", "Styles", false},
	{XDTOPackage, "ПакетXDTO", "XDTOPackages", false},
	{WSReference, "WSСсылка", "WSReferences", false},
	{DocumentNumerator, "НумераторДокументов", "DocumentNumerators", false},
	{Interface, "Интерфейс", "Interfaces", false},
	{Bot, "Бот", "Bots", false},
}

// Kinds lists every kind, tables that record-level restrictions apply to
// first, in a new slice each time.
func Kinds() []Kind { return words[Kind](kinds) }

// ParseKind finds a kind by its English or Russian name in any letter case:
// "справочник" and "CATALOG" are both Catalog.
func ParseKind(name string) (Kind, bool) { return parse[Kind](kinds, name) }

// Folder returns the folder of a Configurator dump holding the kind's object
// files (Catalogs), or "" for the configuration itself.
func (k Kind) Folder() string {
	i, _ := exact(kinds, string(k))
	return i.folder
}

// Restrictable reports whether the kind's objects are tables that
// record-level restrictions apply to: catalogs, documents, journals,
// registers, charts, exchange plans, business processes, tasks and the
// tables of external data sources, as 1C allows them; not enumerations,
// constants or sequences.
func (k Kind) Restrictable() bool {
	i, _ := exact(kinds, string(k))
	return i.data
}

// English returns the kind's English name (Catalog), the one Rights.xml and
// Configuration.xml use.
func (k Kind) English() string { return string(k) }

// Russian returns the kind's Russian name (Справочник), the prefix of full
// names in texts of a Russian configuration; a value that is no kind comes
// back as it is.
func (k Kind) Russian() string { return russian(kinds, string(k)) }

// Name returns the English or the Russian name: callers mostly hold a flag
// for the configuration's language rather than a choice of method.
func (k Kind) Name(english bool) string { return pick(english, k.English(), k.Russian()) }

package onecxml

import "strings"

// Kind is a class of metadata object with its names in both script
// variants. Rights.xml and Configuration.xml always use the English name
// (EN); restriction and query texts of a Russian configuration use RU.
type Kind struct {
	EN     string // "Catalog": prefix in Rights.xml, element in Configuration.xml
	RU     string // "Справочник": prefix in Russian texts
	Folder string // "Catalogs": the dump folder holding the objects' files
	// Data is true for kinds whose objects are tables that record-level
	// restrictions apply to.
	Data bool
}

// kinds is the kind table. It is unexported and copied out by Kinds so that
// no caller can change it for everyone.
var kinds = []Kind{
	{"Catalog", "Справочник", "Catalogs", true},
	{"Document", "Документ", "Documents", true},
	{"DocumentJournal", "ЖурналДокументов", "DocumentJournals", true},
	{"InformationRegister", "РегистрСведений", "InformationRegisters", true},
	{"AccumulationRegister", "РегистрНакопления", "AccumulationRegisters", true},
	{"AccountingRegister", "РегистрБухгалтерии", "AccountingRegisters", true},
	{"CalculationRegister", "РегистрРасчета", "CalculationRegisters", true},
	{"ChartOfCharacteristicTypes", "ПланВидовХарактеристик", "ChartsOfCharacteristicTypes", true},
	{"ChartOfAccounts", "ПланСчетов", "ChartsOfAccounts", true},
	{"ChartOfCalculationTypes", "ПланВидовРасчета", "ChartsOfCalculationTypes", true},
	{"ExchangePlan", "ПланОбмена", "ExchangePlans", true},
	{"BusinessProcess", "БизнесПроцесс", "BusinessProcesses", true},
	{"Task", "Задача", "Tasks", true},
	// External data sources are restricted per table, not per source; see
	// IsDataTable.
	{"ExternalDataSource", "ВнешнийИсточникДанных", "ExternalDataSources", true},

	// Objects that hold data but that record-level restrictions do not
	// apply to.
	{"Enum", "Перечисление", "Enums", false},
	{"Constant", "Константа", "Constants", false},
	{"Sequence", "Последовательность", "Sequences", false},
	{"FilterCriterion", "КритерийОтбора", "FilterCriteria", false},

	// Objects that appear in Rights.xml or Configuration.xml without being
	// tables.
	{"Configuration", "Конфигурация", "", false},
	{"Report", "Отчет", "Reports", false},
	{"DataProcessor", "Обработка", "DataProcessors", false},
	{"CommonForm", "ОбщаяФорма", "CommonForms", false},
	{"CommonCommand", "ОбщаяКоманда", "CommonCommands", false},
	{"CommandGroup", "ГруппаКоманд", "CommandGroups", false},
	{"Subsystem", "Подсистема", "Subsystems", false},
	{"SessionParameter", "ПараметрСеанса", "SessionParameters", false},
	{"CommonAttribute", "ОбщийРеквизит", "CommonAttributes", false},
	{"WebService", "WebСервис", "WebServices", false},
	{"HTTPService", "HTTPСервис", "HTTPServices", false},
	{"IntegrationService", "СервисИнтеграции", "IntegrationServices", false},
	{"Role", "Роль", "Roles", false},
	{"CommonModule", "ОбщийМодуль", "CommonModules", false},
	{"CommonTemplate", "ОбщийМакет", "CommonTemplates", false},
	{"CommonPicture", "ОбщаяКартинка", "CommonPictures", false},
	{"FunctionalOption", "ФункциональнаяОпция", "FunctionalOptions", false},
	{"FunctionalOptionsParameter", "ПараметрФункциональныхОпций", "FunctionalOptionsParameters", false},
	{"DefinedType", "ОпределяемыйТип", "DefinedTypes", false},
	{"Language", "Язык", "Languages", false},
	{"ScheduledJob", "РегламентноеЗадание", "ScheduledJobs", false},
	{"EventSubscription", "ПодпискаНаСобытие", "EventSubscriptions", false},
	{"SettingsStorage", "ХранилищеНастроек", "SettingsStorages", false},
	{"StyleItem", "ЭлементСтиля", "StyleItems", false},
	{"Style", "Стиль", "Styles", false},
	{"XDTOPackage", "ПакетXDTO", "XDTOPackages", false},
	{"WSReference", "WSСсылка", "WSReferences", false},
	{"DocumentNumerator", "НумераторДокументов", "DocumentNumerators", false},
	{"Interface", "Интерфейс", "Interfaces", false},
	{"Bot", "Бот", "Bots", false},
}

// Kinds returns a copy of the kind table.
func Kinds() []Kind { return append([]Kind(nil), kinds...) }

// LookupKind finds a kind by its English or Russian name, without regard to
// case, since 1C names are case-insensitive.
func LookupKind(name string) (Kind, bool) {
	for _, k := range kinds {
		if strings.EqualFold(k.EN, name) || strings.EqualFold(k.RU, name) {
			return k, true
		}
	}
	return Kind{}, false
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
	if k, ok := LookupKind(segs[0]); ok {
		segs[0] = pick(k.EN, k.RU, russian)
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
	k, ok := LookupKind(segs[0])
	if !ok || !k.Data {
		return false
	}
	for _, s := range segs {
		if s == "" {
			return false
		}
	}
	if k.EN == "ExternalDataSource" {
		return len(segs) == 4 && (strings.EqualFold(segs[2], "Table") || strings.EqualFold(segs[2], "Таблица") ||
			strings.EqualFold(segs[2], "Cube") || strings.EqualFold(segs[2], "Куб"))
	}
	return len(segs) == 2
}

// rights pairs the English right names of Rights.xml with the Russian names
// 1C shows and #ИмяТекущегоПраваДоступа yields in a Russian configuration.
var rights = [][2]string{
	{"Read", "Чтение"},
	{"Insert", "Добавление"},
	{"Update", "Изменение"},
	{"Delete", "Удаление"},
	{"View", "Просмотр"},
	{"Edit", "Редактирование"},
	{"InputByString", "ВводПоСтроке"},
	{"InteractiveInsert", "ИнтерактивноеДобавление"},
	{"InteractiveDelete", "ИнтерактивноеУдаление"},
	{"InteractiveSetDeletionMark", "ИнтерактивнаяПометкаУдаления"},
	{"InteractiveClearDeletionMark", "ИнтерактивноеСнятиеПометкиУдаления"},
	{"InteractiveDeleteMarked", "ИнтерактивноеУдалениеПомеченных"},
	{"Posting", "Проведение"},
	{"UndoPosting", "ОтменаПроведения"},
	{"InteractivePosting", "ИнтерактивноеПроведение"},
	{"InteractivePostingRegular", "ИнтерактивноеПроведениеНеОперативное"},
	{"InteractiveUndoPosting", "ИнтерактивнаяОтменаПроведения"},
	{"InteractiveChangeOfPosted", "ИнтерактивноеИзменениеПроведенных"},
	{"TotalsControl", "УправлениеИтогами"},
	{"Use", "Использование"},
	{"Get", "Получение"},
	{"Set", "Установка"},
	{"Start", "Старт"},
	{"InteractiveStart", "ИнтерактивныйСтарт"},
	{"Execute", "Выполнение"},
	{"InteractiveExecute", "ИнтерактивноеВыполнение"},
	{"InteractiveActivate", "ИнтерактивнаяАктивация"},
	{"Administration", "Администрирование"},
	{"DataAdministration", "АдминистрированиеДанных"},
	{"UpdateDataBaseConfiguration", "ОбновлениеКонфигурацииБазыДанных"},
	{"ExclusiveMode", "МонопольныйРежим"},
	{"ActiveUsers", "АктивныеПользователи"},
	{"EventLog", "ЖурналРегистрации"},
	{"ThinClient", "ТонкийКлиент"},
	{"WebClient", "ВебКлиент"},
	{"ThickClient", "ТолстыйКлиент"},
	{"MobileClient", "МобильныйКлиент"},
	{"ExternalConnection", "ВнешнееСоединение"},
	{"SaveUserData", "СохранениеДанныхПользователя"},
	{"Output", "Вывод"},
	{"InteractiveOpenExtDataProcessors", "ИнтерактивноеОткрытиеВнешнихОбработок"},
	{"InteractiveOpenExtReports", "ИнтерактивноеОткрытиеВнешнихОтчетов"},
	{"ReadDataHistory", "ЧтениеИсторииДанных"},
	{"ViewDataHistory", "ПросмотрИсторииДанных"},
	{"UpdateDataHistory", "ИзменениеИсторииДанных"},
}

// RightName gives a right's name in the script variant wanted, from either
// its English or its Russian name ("Read" ↔ "Чтение"). A name the table
// does not know is returned unchanged.
func RightName(right string, russian bool) string {
	for _, r := range rights {
		if strings.EqualFold(right, r[0]) || strings.EqualFold(right, r[1]) {
			return pick(r[0], r[1], russian)
		}
	}
	return right
}

// IsRLSRight reports whether the right (English or Russian name) is one of
// the four that may carry record-level restrictions: Read, Insert, Update,
// Delete.
func IsRLSRight(right string) bool {
	switch RightName(right, false) {
	case "Read", "Insert", "Update", "Delete":
		return true
	}
	return false
}

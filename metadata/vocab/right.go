package vocab

// Right is an access right, held as its English name (Read): the name
// Rights.xml stores and the form the model keeps after loading.
type Right string

// Rights on objects. The first four may carry record-level restrictions.
const (
	Read                         Right = "Read"
	Insert                       Right = "Insert"
	Update                       Right = "Update"
	Delete                       Right = "Delete"
	View                         Right = "View"
	Edit                         Right = "Edit"
	InputByString                Right = "InputByString"
	InteractiveInsert            Right = "InteractiveInsert"
	InteractiveDelete            Right = "InteractiveDelete"
	InteractiveSetDeletionMark   Right = "InteractiveSetDeletionMark"
	InteractiveClearDeletionMark Right = "InteractiveClearDeletionMark"
	InteractiveDeleteMarked      Right = "InteractiveDeleteMarked"
	Posting                      Right = "Posting"
	UndoPosting                  Right = "UndoPosting"
	InteractivePosting           Right = "InteractivePosting"
	InteractivePostingRegular    Right = "InteractivePostingRegular"
	InteractiveUndoPosting       Right = "InteractiveUndoPosting"
	InteractiveChangeOfPosted    Right = "InteractiveChangeOfPosted"
	TotalsControl                Right = "TotalsControl"
	ReadDataHistory              Right = "ReadDataHistory"
	ViewDataHistory              Right = "ViewDataHistory"
	UpdateDataHistory            Right = "UpdateDataHistory"
	// The predefined-data rights: interactive deletion and deletion marks
	// of predefined items, apart from those of other items.
	InteractiveDeletePredefinedData            Right = "InteractiveDeletePredefinedData"
	InteractiveSetDeletionMarkPredefinedData   Right = "InteractiveSetDeletionMarkPredefinedData"
	InteractiveClearDeletionMarkPredefinedData Right = "InteractiveClearDeletionMarkPredefinedData"
	InteractiveDeleteMarkedPredefinedData      Right = "InteractiveDeleteMarkedPredefinedData"
	// The rest of the data-history rights.
	ReadDataHistoryOfMissingData    Right = "ReadDataHistoryOfMissingData"
	UpdateDataHistoryOfMissingData  Right = "UpdateDataHistoryOfMissingData"
	UpdateDataHistorySettings       Right = "UpdateDataHistorySettings"
	UpdateDataHistoryVersionComment Right = "UpdateDataHistoryVersionComment"
	EditDataHistoryVersionComment   Right = "EditDataHistoryVersionComment"
	SwitchToDataHistoryVersion      Right = "SwitchToDataHistoryVersion"
	// Rights on objects that are not tables: data processors and reports
	// (Use), session parameters (Get, Set), business processes (Start),
	// web and HTTP services and commands.
	Use                 Right = "Use"
	Get                 Right = "Get"
	Set                 Right = "Set"
	Start               Right = "Start"
	InteractiveStart    Right = "InteractiveStart"
	Execute             Right = "Execute"
	InteractiveExecute  Right = "InteractiveExecute"
	InteractiveActivate Right = "InteractiveActivate"
)

// Global rights: rights of the configuration as a whole, which Rights.xml
// lists under the object Configuration.
const (
	Administration                   Right = "Administration"
	DataAdministration               Right = "DataAdministration"
	UpdateDataBaseConfiguration      Right = "UpdateDataBaseConfiguration"
	ExclusiveMode                    Right = "ExclusiveMode"
	ActiveUsers                      Right = "ActiveUsers"
	EventLog                         Right = "EventLog"
	ThinClient                       Right = "ThinClient"
	WebClient                        Right = "WebClient"
	ThickClient                      Right = "ThickClient"
	MobileClient                     Right = "MobileClient"
	ExternalConnection               Right = "ExternalConnection"
	Automation                       Right = "Automation"
	SaveUserData                     Right = "SaveUserData"
	Output                           Right = "Output"
	InteractiveOpenExtDataProcessors Right = "InteractiveOpenExtDataProcessors"
	InteractiveOpenExtReports        Right = "InteractiveOpenExtReports"

	ConfigurationExtensionsAdministration   Right = "ConfigurationExtensionsAdministration"
	TechnicalSpecialistMode                 Right = "TechnicalSpecialistMode"
	AnalyticsSystemClient                   Right = "AnalyticsSystemClient"
	CollaborationSystemInfoBaseRegistration Right = "CollaborationSystemInfoBaseRegistration"
	ExclusiveModeTerminationAtSessionStart  Right = "ExclusiveModeTerminationAtSessionStart"
	StandardAuthenticationChange            Right = "StandardAuthenticationChange"
	SessionStandardAuthenticationChange     Right = "SessionStandardAuthenticationChange"
	SessionOSAuthenticationChange           Right = "SessionOSAuthenticationChange"
	MainWindowModeNormal                    Right = "MainWindowModeNormal"
	MainWindowModeWorkplace                 Right = "MainWindowModeWorkplace"
	MainWindowModeEmbeddedWorkplace         Right = "MainWindowModeEmbeddedWorkplace"
	MainWindowModeFullscreenWorkplace       Right = "MainWindowModeFullscreenWorkplace"
	MainWindowModeKiosk                     Right = "MainWindowModeKiosk"
	AllFunctionsMode                        Right = "AllFunctionsMode"
)

// rightInfo is what 1C calls a right besides its English name.
type rightInfo struct {
	en     Right
	ru     string // "Чтение": what 1C shows and #ИмяТекущегоПраваДоступа yields in a Russian configuration
	global bool
}

func (r rightInfo) names() (string, string) { return string(r.en), r.ru }

var rights = []rightInfo{
	{Read, "Чтение", false},
	{Insert, "Добавление", false},
	{Update, "Изменение", false},
	{Delete, "Удаление", false},
	{View, "Просмотр", false},
	{Edit, "Редактирование", false},
	{InputByString, "ВводПоСтроке", false},
	{InteractiveInsert, "ИнтерактивноеДобавление", false},
	{InteractiveDelete, "ИнтерактивноеУдаление", false},
	{InteractiveSetDeletionMark, "ИнтерактивнаяПометкаУдаления", false},
	{InteractiveClearDeletionMark, "ИнтерактивноеСнятиеПометкиУдаления", false},
	{InteractiveDeleteMarked, "ИнтерактивноеУдалениеПомеченных", false},
	{Posting, "Проведение", false},
	{UndoPosting, "ОтменаПроведения", false},
	{InteractivePosting, "ИнтерактивноеПроведение", false},
	{InteractivePostingRegular, "ИнтерактивноеПроведениеНеОперативное", false},
	{InteractiveUndoPosting, "ИнтерактивнаяОтменаПроведения", false},
	{InteractiveChangeOfPosted, "ИнтерактивноеИзменениеПроведенных", false},
	{TotalsControl, "УправлениеИтогами", false},
	{ReadDataHistory, "ЧтениеИсторииДанных", false},
	{ViewDataHistory, "ПросмотрИсторииДанных", false},
	{UpdateDataHistory, "ИзменениеИсторииДанных", false},
	{InteractiveDeletePredefinedData, "ИнтерактивноеУдалениеПредопределенныхДанных", false},
	{InteractiveSetDeletionMarkPredefinedData, "ИнтерактивнаяПометкаУдаленияПредопределенныхДанных", false},
	{InteractiveClearDeletionMarkPredefinedData, "ИнтерактивноеСнятиеПометкиУдаленияПредопределенныхДанных", false},
	{InteractiveDeleteMarkedPredefinedData, "ИнтерактивноеУдалениеПомеченныхПредопределенныхДанных", false},
	// "Отсутстсвующих" is the platform's own spelling of the name, which
	// ПравоДоступа accepts; the correct spelling would name nothing.
	{ReadDataHistoryOfMissingData, "ЧтениеИсторииДанныхОтсутстсвующихДанных", false},
	{UpdateDataHistoryOfMissingData, "ИзменениеИсторииДанныхОтсутствующихДанных", false},
	{UpdateDataHistorySettings, "ИзменениеНастроекИсторииДанных", false},
	{UpdateDataHistoryVersionComment, "ИзменениеКомментарияВерсииИсторииДанных", false},
	{EditDataHistoryVersionComment, "РедактированиеКомментарияВерсииИсторииДанных", false},
	{SwitchToDataHistoryVersion, "ПереходНаВерсиюИсторииДанных", false},
	{Use, "Использование", false},
	{Get, "Получение", false},
	{Set, "Установка", false},
	{Start, "Старт", false},
	{InteractiveStart, "ИнтерактивныйСтарт", false},
	{Execute, "Выполнение", false},
	{InteractiveExecute, "ИнтерактивноеВыполнение", false},
	{InteractiveActivate, "ИнтерактивнаяАктивация", false},

	{Administration, "Администрирование", true},
	{DataAdministration, "АдминистрированиеДанных", true},
	{UpdateDataBaseConfiguration, "ОбновлениеКонфигурацииБазыДанных", true},
	{ExclusiveMode, "МонопольныйРежим", true},
	{ActiveUsers, "АктивныеПользователи", true},
	{EventLog, "ЖурналРегистрации", true},
	{ThinClient, "ТонкийКлиент", true},
	{WebClient, "ВебКлиент", true},
	{ThickClient, "ТолстыйКлиент", true},
	{MobileClient, "МобильныйКлиент", true},
	{ExternalConnection, "ВнешнееСоединение", true},
	// 1C gives this right no Russian name of its own.
	{Automation, "Automation", true},
	{SaveUserData, "СохранениеДанныхПользователя", true},
	{Output, "Вывод", true},
	{InteractiveOpenExtDataProcessors, "ИнтерактивноеОткрытиеВнешнихОбработок", true},
	{InteractiveOpenExtReports, "ИнтерактивноеОткрытиеВнешнихОтчетов", true},
	{ConfigurationExtensionsAdministration, "АдминистрированиеРасширенийКонфигурации", true},
	{TechnicalSpecialistMode, "РежимТехническогоСпециалиста", true},
	{AnalyticsSystemClient, "КлиентСистемыАналитики", true},
	{CollaborationSystemInfoBaseRegistration, "РегистрацияИнформационнойБазыСистемыВзаимодействия", true},
	{ExclusiveModeTerminationAtSessionStart, "ЗавершениеМонопольногоРежимаПриНачалеСеанса", true},
	{StandardAuthenticationChange, "ИзменениеСтандартнойАутентификации", true},
	{SessionStandardAuthenticationChange, "ИзменениеСтандартнойАутентификацииСеанса", true},
	{SessionOSAuthenticationChange, "ИзменениеАутентификацииОССеанса", true},
	{MainWindowModeNormal, "РежимОсновногоОкнаОбычный", true},
	{MainWindowModeWorkplace, "РежимОсновногоОкнаРабочееМесто", true},
	{MainWindowModeEmbeddedWorkplace, "РежимОсновногоОкнаВстроенноеРабочееМесто", true},
	{MainWindowModeFullscreenWorkplace, "РежимОсновногоОкнаПолноэкранноеРабочееМесто", true},
	{MainWindowModeKiosk, "РежимОсновногоОкнаКиоск", true},
	{AllFunctionsMode, "РежимВсеФункции", true},
}

// Rights lists every right, those on objects first, then the global ones,
// in a new slice each time.
func Rights() []Right { return words[Right](rights) }

// ParseRight finds a right by its English or Russian name in any letter
// case: "чтение" and "READ" are both Read.
func ParseRight(name string) (Right, bool) { return parse[Right](rights, name) }

// Restrictable reports whether the right may carry record-level
// restrictions: only reading and writing records (Read, Insert, Update,
// Delete) go through a query the restriction can join; posting is checked
// through Update's restriction.
func (r Right) Restrictable() bool {
	return r == Read || r == Insert || r == Update || r == Delete
}

// Global reports whether the right belongs to the configuration as a whole
// (Administration, ThinClient) rather than to an object.
func (r Right) Global() bool {
	i, _ := exact(rights, string(r))
	return i.global
}

// English returns the right's English name (Read), the one Rights.xml uses.
func (r Right) English() string { return string(r) }

// Russian returns the right's Russian name (Чтение), what 1C shows and what
// templates of a Russian configuration compare #ИмяТекущегоПраваДоступа
// with; a value that is no right comes back as it is.
func (r Right) Russian() string { return russian(rights, string(r)) }

// Name returns the right's name in the configuration's language, the form
// template.Context.Right and messages want.
func (r Right) Name(english bool) string { return pick(english, r.English(), r.Russian()) }

package metadata

import "strings"

// right is a right's Russian and English names.
type right struct{ ru, en string }

// objectRights lists the rights a role may grant on an object [004]; the
// first four may carry record-level restrictions.
var objectRights = []right{
	{"Чтение", "Read"}, {"Добавление", "Insert"}, {"Изменение", "Update"}, {"Удаление", "Delete"},
	{"Просмотр", "View"}, {"Редактирование", "Edit"}, {"ИнтерактивноеДобавление", "InteractiveInsert"},
	{"ИнтерактивноеУдаление", "InteractiveDelete"}, {"ИнтерактивнаяПометкаУдаления", "InteractiveSetDeletionMark"},
	{"ИнтерактивноеСнятиеПометкиУдаления", "InteractiveClearDeletionMark"},
	{"ИнтерактивноеУдалениеПомеченных", "InteractiveDeleteMarked"}, {"ВводПоСтроке", "InputByString"},
	{"Проведение", "Posting"}, {"ОтменаПроведения", "UndoPosting"},
	{"ИнтерактивноеПроведение", "InteractivePosting"}, {"ИнтерактивнаяОтменаПроведения", "InteractiveUndoPosting"},
	{"ИнтерактивноеИзменениеПроведенных", "InteractiveChangeOfPosted"},
	{"УправлениеИтогами", "TotalsControl"}, {"ЧтениеИсторииДанных", "ReadDataHistory"},
	{"ИзменениеИсторииДанных", "UpdateDataHistory"}, {"ПросмотрИсторииДанных", "ViewDataHistory"},
}

// globalRights are the rights of the configuration as a whole.
var globalRights = []right{
	{"Администрирование", "Administration"}, {"АдминистрированиеДанных", "DataAdministration"},
	{"ОбновлениеКонфигурацииБазыДанных", "UpdateDataBaseConfiguration"}, {"МонопольныйРежим", "ExclusiveMode"},
	{"АктивныеПользователи", "ActiveUsers"}, {"ЖурналРегистрации", "EventLog"}, {"ТонкийКлиент", "ThinClient"},
	{"ВебКлиент", "WebClient"}, {"ТолстыйКлиент", "ThickClient"}, {"ВнешнееСоединение", "ExternalConnection"},
	{"Automation", "Automation"}, {"ИнтерактивноеОткрытиеВнешнихОбработок", "InteractiveOpenExtDataProcessors"},
	{"ИнтерактивноеОткрытиеВнешнихОтчетов", "InteractiveOpenExtReports"}, {"Вывод", "Output"},
	{"СохранениеДанныхПользователя", "SaveUserData"},
}

func findRight(list []right, name string) (right, bool) {
	for _, r := range list {
		if strings.EqualFold(r.ru, name) || strings.EqualFold(r.en, name) {
			return r, true
		}
	}
	return right{}, false
}

// sameRight compares right names in either language.
func sameRight(a, b string) bool {
	ra, ok := findRight(objectRights, a)
	if !ok {
		ra, ok = findRight(globalRights, a)
	}
	if !ok {
		return strings.EqualFold(a, b)
	}
	return strings.EqualFold(ra.ru, b) || strings.EqualFold(ra.en, b)
}

// RightName returns a right's name in English (Read) or Russian (Чтение);
// an unknown name comes back unchanged.
func RightName(name string, english bool) string {
	r, ok := findRight(objectRights, name)
	if !ok {
		r, ok = findRight(globalRights, name)
	}
	switch {
	case !ok:
		return name
	case english:
		return r.en
	}
	return r.ru
}

// IsRestrictable reports whether a right may carry record-level
// restrictions: Read, Insert, Update and Delete.
func IsRestrictable(name string) bool {
	for _, r := range objectRights[:4] {
		if strings.EqualFold(r.ru, name) || strings.EqualFold(r.en, name) {
			return true
		}
	}
	return false
}

// IsObjectRight reports whether name is a right on objects the model knows.
func IsObjectRight(name string) bool {
	_, ok := findRight(objectRights, name)
	return ok
}

// IsGlobalRight reports whether name is a global right the model knows.
func IsGlobalRight(name string) bool {
	_, ok := findRight(globalRights, name)
	return ok
}

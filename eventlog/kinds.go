package eventlog

import "strings"

// Level of an event, as 1C's УровеньЖурналаРегистрации.
type Level string

// The levels. An event appended without a level is Information, as in 1C.
const (
	Information Level = "Information"
	Warning     Level = "Warning"
	Error       Level = "Error"
	Note        Level = "Note"
)

// levelRU are the Russian names of the levels, accepted wherever a level is,
// since administrators of 1C infobases know them by these names.
var levelRU = map[Level]string{
	Information: "Информация",
	Warning:     "Предупреждение",
	Error:       "Ошибка",
	Note:        "Примечание",
}

// canonical returns the level spelled as the constants are, for a level
// given in any letter case in English or Russian.
func (l Level) canonical() (Level, bool) {
	for _, c := range []Level{Information, Warning, Error, Note} {
		if strings.EqualFold(string(l), string(c)) || strings.EqualFold(string(l), levelRU[c]) {
			return c, true
		}
	}
	return "", false
}

// Kind is an event kind: a 1C-style name ("_$Session$_.Authentication")
// with Russian and English presentations. The name is what is stored, so
// a log reads the same whatever the language of the console that shows it.
type Kind struct{ Name, RU, EN string }

// The kinds dostup writes. They are untyped string constants so that they
// go straight into Event.Kind.
const (
	SessionStart         = "_$Session$_.Start"
	SessionFinish        = "_$Session$_.Finish"
	Authentication       = "_$Session$_.Authentication"
	AuthenticationError  = "_$Session$_.AuthenticationError"
	SecondFactor         = "_$Session$_.SecondFactor" // an OTP checked; Data says whether it passed
	StepUpRequired       = "_$Session$_.StepUpRequired"
	SessionRevoked       = "_$Session$_.Revoked"
	PrivilegedModeOn     = "_$Session$_.PrivilegedModeOn"
	PrivilegedModeOff    = "_$Session$_.PrivilegedModeOff"
	AccessDenied         = "_$Access$_.AccessDenied" // Data: table, right, mode
	AuthenticationLock   = "_$User$_.AuthenticationLock"
	AuthenticationUnlock = "_$User$_.AuthenticationUnlock"
	UserNew              = "_$User$_.New"
	UserUpdate           = "_$User$_.Update"
	UserDelete           = "_$User$_.Delete"
	PasswordChange       = "_$User$_.PasswordChange"
	DataNew              = "_$Data$_.New"
	DataUpdate           = "_$Data$_.Update"
	DataDelete           = "_$Data$_.Delete"
	DataPost             = "_$Data$_.Post"
	DataUnpost           = "_$Data$_.Unpost"
	ConfigUpdate         = "_$InfoBase$_.ConfigUpdate" // roles or restrictions changed
	RulesOrder           = "_$Rules$_.Order"
	PolicyUpdate         = "_$InfoBase$_.PolicyUpdate" // password, lockout or retention policy
	RetentionPurge       = "_$InfoBase$_.EventLogPurge"
)

// kinds is the table behind KindOf and Kinds, grouped as 1C's event log
// filter groups them. It is never modified: Kinds hands out copies.
var kinds = []Kind{
	{SessionStart, "Сеанс. Начало", "Session. Start"},
	{SessionFinish, "Сеанс. Завершение", "Session. Finish"},
	{Authentication, "Сеанс. Аутентификация", "Session. Authentication"},
	{AuthenticationError, "Сеанс. Ошибка аутентификации", "Session. Authentication error"},
	{SecondFactor, "Сеанс. Второй фактор", "Session. Second factor"},
	{StepUpRequired, "Сеанс. Требуется повышение прав", "Session. Step-up required"},
	{SessionRevoked, "Сеанс. Отзыв", "Session. Revoked"},
	{PrivilegedModeOn, "Сеанс. Установка привилегированного режима", "Session. Privileged mode on"},
	{PrivilegedModeOff, "Сеанс. Отключение привилегированного режима", "Session. Privileged mode off"},
	{AccessDenied, "Доступ. Отказ в доступе", "Access. Access denied"},
	{AuthenticationLock, "Пользователи. Блокировка аутентификации", "Users. Authentication lock"},
	{AuthenticationUnlock, "Пользователи. Разблокировка аутентификации", "Users. Authentication unlock"},
	{UserNew, "Пользователи. Добавление", "Users. New"},
	{UserUpdate, "Пользователи. Изменение", "Users. Update"},
	{UserDelete, "Пользователи. Удаление", "Users. Delete"},
	{PasswordChange, "Пользователи. Смена пароля", "Users. Password change"},
	{DataNew, "Данные. Добавление", "Data. New"},
	{DataUpdate, "Данные. Изменение", "Data. Update"},
	{DataDelete, "Данные. Удаление", "Data. Delete"},
	{DataPost, "Данные. Проведение", "Data. Post"},
	{DataUnpost, "Данные. Отмена проведения", "Data. Unpost"},
	{ConfigUpdate, "Информационная база. Изменение конфигурации", "Infobase. Configuration update"},
	{RulesOrder, "Регистр правил. Приказ", "Rules. Order"},
	{PolicyUpdate, "Информационная база. Изменение политики", "Infobase. Policy update"},
	{RetentionPurge, "Информационная база. Очистка журнала", "Infobase. Event log purge"},
}

// KindOf finds a kind by its name or by its Russian or English
// presentation, in any letter case, so that a filter typed in a console in
// either language finds the same events.
func KindOf(name string) (Kind, bool) {
	for _, k := range kinds {
		if strings.EqualFold(name, k.Name) || strings.EqualFold(name, k.RU) || strings.EqualFold(name, k.EN) {
			return k, true
		}
	}
	return Kind{}, false
}

// Kinds returns every kind dostup writes, grouped (sessions, access, users,
// data, infobase), in an order that does not change between calls.
func Kinds() []Kind {
	return append([]Kind(nil), kinds...)
}

// presentation returns the kind named name, or for a kind of the caller's
// own a Kind whose presentations are its name, as 1C shows custom events.
func presentation(name string) Kind {
	if k, ok := KindOf(name); ok {
		return k
	}
	return Kind{Name: name, RU: name, EN: name}
}

// group returns the names of the known kinds whose name or presentation
// starts with prefix in any letter case: "Сеанс." and "_$session$_." both
// give the session kinds.
func group(prefix string) []string {
	p := strings.ToLower(prefix)
	var out []string
	for _, k := range kinds {
		for _, s := range []string{k.Name, k.RU, k.EN} {
			if strings.HasPrefix(strings.ToLower(s), p) {
				out = append(out, k.Name)
				break
			}
		}
	}
	return out
}

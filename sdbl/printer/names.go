package printer

import (
	"strings"

	"dostup/metadata/vocab"
)

// A vocabulary maps the lower-cased Russian and English spellings of the
// names of one category to their canonical pair. Categories are kept apart
// because each applies only in its own position: a period unit is translated
// as an argument of НАЧАЛОПЕРИОДА, never as a table name.
type vocabulary map[string][2]string

func newVocabulary(pairs ...[2]string) vocabulary {
	v := make(vocabulary, 2*len(pairs))
	for _, p := range pairs {
		v[strings.ToLower(p[0])] = p
		v[strings.ToLower(p[1])] = p
	}
	return v
}

// spell returns name in the chosen language, or name itself when the
// category does not know it.
func (v vocabulary) spell(name string, english bool) (string, bool) {
	p, ok := v[strings.ToLower(name)]
	if !ok {
		return name, false
	}
	if english {
		return p[1], true
	}
	return p[0], true
}

func (v vocabulary) has(name string) bool {
	_, ok := v[strings.ToLower(name)]
	return ok
}

// functions are the built-in functions, written upper-case as 1C prints them.
var functions = newVocabulary(
	[2]string{"КОЛИЧЕСТВО", "COUNT"}, [2]string{"СУММА", "SUM"}, [2]string{"МАКСИМУМ", "MAX"},
	[2]string{"МИНИМУМ", "MIN"}, [2]string{"СРЕДНЕЕ", "AVG"}, [2]string{"ЕСТЬNULL", "ISNULL"},
	[2]string{"ПОДСТРОКА", "SUBSTRING"}, [2]string{"НАЧАЛОПЕРИОДА", "BEGINOFPERIOD"},
	[2]string{"КОНЕЦПЕРИОДА", "ENDOFPERIOD"}, [2]string{"РАЗНОСТЬДАТ", "DATEDIFF"},
	[2]string{"ДОБАВИТЬКДАТЕ", "DATEADD"}, [2]string{"ГОД", "YEAR"}, [2]string{"КВАРТАЛ", "QUARTER"},
	[2]string{"МЕСЯЦ", "MONTH"}, [2]string{"ДЕНЬГОДА", "DAYOFYEAR"}, [2]string{"ДЕНЬ", "DAY"},
	[2]string{"НЕДЕЛЯ", "WEEK"}, [2]string{"ДЕНЬНЕДЕЛИ", "WEEKDAY"}, [2]string{"ЧАС", "HOUR"},
	[2]string{"МИНУТА", "MINUTE"}, [2]string{"СЕКУНДА", "SECOND"},
	[2]string{"ПРЕДСТАВЛЕНИЕ", "PRESENTATION"}, [2]string{"ПРЕДСТАВЛЕНИЕССЫЛКИ", "REFPRESENTATION"},
	[2]string{"ТИПЗНАЧЕНИЯ", "VALUETYPE"}, [2]string{"ДАТАВРЕМЯ", "DATETIME"},
)

// periodUnits are the units НАЧАЛОПЕРИОДА, РАЗНОСТЬДАТ, ДОБАВИТЬКДАТЕ and
// ПЕРИОДАМИ take; there a bare name is a unit, not a field.
var periodUnits = newVocabulary(
	[2]string{"СЕКУНДА", "SECOND"}, [2]string{"МИНУТА", "MINUTE"}, [2]string{"ЧАС", "HOUR"},
	[2]string{"ДЕНЬ", "DAY"}, [2]string{"НЕДЕЛЯ", "WEEK"}, [2]string{"ДЕКАДА", "TENDAYS"},
	[2]string{"МЕСЯЦ", "MONTH"}, [2]string{"КВАРТАЛ", "QUARTER"}, [2]string{"ПОЛУГОДИЕ", "HALFYEAR"},
	[2]string{"ГОД", "YEAR"},
)

// periodArg gives, for a function taking a period unit, the index of that argument.
var periodArg = map[string]int{
	"началопериода": 1, "beginofperiod": 1, "конецпериода": 1, "endofperiod": 1,
	"добавитькдате": 1, "dateadd": 1, "разностьдат": 2, "datediff": 2,
}

// registerKinds are the metadata kinds whose tables have virtual tables.
var registerKinds = []vocab.Kind{
	vocab.InformationRegister, vocab.AccumulationRegister, vocab.AccountingRegister, vocab.CalculationRegister,
}

// metaKinds are the first parts of table names and metadata paths: the kinds
// the query language has tables of, not every kind of the vocabulary, so
// that a field named Роль or Стиль is not taken for a kind.
var metaKinds = kindVocabulary(append([]vocab.Kind{
	vocab.Catalog, vocab.Document, vocab.ChartOfCharacteristicTypes, vocab.ChartOfAccounts,
	vocab.ChartOfCalculationTypes, vocab.ExchangePlan, vocab.BusinessProcess, vocab.Task,
	vocab.Enum, vocab.Constant, vocab.DocumentJournal, vocab.Sequence,
}, registerKinds...)...)

var registers = kindVocabulary(registerKinds...)

// kindVocabulary takes the names of kinds from metadata/vocab, their one list.
func kindVocabulary(kinds ...vocab.Kind) vocabulary {
	pairs := make([][2]string, len(kinds))
	for i, k := range kinds {
		pairs[i] = [2]string{k.Russian(), k.English()}
	}
	return newVocabulary(pairs...)
}

// virtualTables are the parameterised tables of registers.
var virtualTables = newVocabulary(
	[2]string{"СрезПоследних", "SliceLast"}, [2]string{"СрезПервых", "SliceFirst"},
	[2]string{"Остатки", "Balance"}, [2]string{"Обороты", "Turnovers"},
	[2]string{"ОстаткиИОбороты", "BalanceAndTurnovers"},
)

// primitiveTypes are the one-word types of ВЫРАЗИТЬ and ТИП.
var primitiveTypes = newVocabulary(
	[2]string{"Строка", "String"}, [2]string{"Число", "Number"}, [2]string{"Дата", "Date"},
	[2]string{"Булево", "Boolean"},
)

// emptyRef is the last part of ЗНАЧЕНИЕ(Справочник.X.ПустаяСсылка).
var emptyRef = newVocabulary([2]string{"ПустаяСсылка", "EmptyRef"})

// currentTable names the restricted table in restriction texts.
var currentTable = newVocabulary([2]string{"ТекущаяТаблица", "CurrentTable"})

var vocabularies = []vocabulary{functions, periodUnits, metaKinds, virtualTables, primitiveTypes, emptyRef, currentTable}

// Spell returns a name the language defines (a built-in function, a metadata
// kind, a virtual table, a primitive type, a period unit, ПустаяСсылка,
// ТекущаяТаблица) in its canonical spelling in the chosen language, and
// whether the name is one. Later stages use it to accept Справочник and
// Catalog alike; tests use it to compare trees printed in different
// languages.
func Spell(name string, english bool) (string, bool) {
	for _, v := range vocabularies {
		if s, ok := v.spell(name, english); ok {
			return s, true
		}
	}
	return name, false
}

package metadata

import "strings"

// RecordTypeEnum is the system enumeration of accumulation movements
// (ВидДвиженияНакопления, AccumulationRecordType): the type of a balance
// register's ВидДвижения. It has no table of its own; its two values,
// Приход and Расход, have name-based ids (sqlgen.RecordTypeID).
const RecordTypeEnum = "Перечисление.ВидДвиженияНакопления"

// AccountingRecordTypeEnum is the system enumeration of accounting
// movements (ВидДвиженияБухгалтерии, AccountingRecordType): Дебет and
// Кредит, the ВидДвижения of an accounting register without
// correspondence.
const AccountingRecordTypeEnum = "Перечисление.ВидДвиженияБухгалтерии"

// AccountTypeEnum is the system enumeration of account kinds (ВидСчета,
// AccountType): the Вид of an account of a chart of accounts, which
// decides on which side its balance shows.
const AccountTypeEnum = "Перечисление.ВидСчета"

// SystemEnum is an enumeration the platform has without a table: its
// values have name-based ids.
type SystemEnum struct {
	Name    string // its full Russian name, as types name it (Перечисление.ВидСчета)
	English string // its English name without the kind (AccountType)
	// Values are the Russian names of its values, in order; EnglishValues
	// the same values in English.
	Values        []string
	EnglishValues []string
}

// systemEnums are the platform's enumerations queries and attributes use.
var systemEnums = []SystemEnum{
	{Name: RecordTypeEnum, English: "AccumulationRecordType", Values: []string{"Приход", "Расход"}, EnglishValues: []string{"Receipt", "Expense"}},
	{Name: AccountingRecordTypeEnum, English: "AccountingRecordType", Values: []string{"Дебет", "Кредит"}, EnglishValues: []string{"Debit", "Credit"}},
	{Name: AccountTypeEnum, English: "AccountType", Values: []string{"Активный", "Пассивный", "АктивноПассивный"}, EnglishValues: []string{"Active", "Passive", "ActivePassive"}},
}

// SystemEnumNamed finds a system enumeration by its full name or by its
// name without the kind, in either language and any letter case
// (Перечисление.ВидСчета, ВидСчета, AccountType), or nil.
func SystemEnumNamed(name string) *SystemEnum {
	short := name
	if _, rest, ok := strings.Cut(name, "."); ok {
		short = rest
	}
	for i := range systemEnums {
		e := &systemEnums[i]
		if strings.EqualFold(e.Name, name) || strings.EqualFold(e.Name[len("Перечисление."):], short) || strings.EqualFold(e.English, short) {
			return e
		}
	}
	return nil
}

// Value names a value of the enumeration written in either language, any
// letter case, by its Russian name; ok is false for any other name.
func (e *SystemEnum) Value(name string) (value string, ok bool) {
	for i, v := range e.Values {
		if strings.EqualFold(v, name) || strings.EqualFold(e.EnglishValues[i], name) {
			return v, true
		}
	}
	return "", false
}

// ShortName is the enumeration's Russian name without its kind (ВидСчета).
func (e *SystemEnum) ShortName() string { return e.Name[len("Перечисление."):] }

// RecordTypeValue names a value of ВидДвиженияНакопления written in
// either language (Приход, Receipt, Расход, Expense, any case) by its
// Russian name; ok is false for any other name.
func RecordTypeValue(name string) (value string, ok bool) {
	return SystemEnumNamed(RecordTypeEnum).Value(name)
}

// IsRecordTypeEnum reports whether a type name, or the enumeration's name
// without its kind (ВидДвиженияНакопления, AccumulationRecordType), is the
// system enumeration of movements.
func IsRecordTypeEnum(name string) bool {
	e := SystemEnumNamed(name)
	return e != nil && e.Name == RecordTypeEnum
}

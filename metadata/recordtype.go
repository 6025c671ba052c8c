package metadata

import "strings"

// RecordTypeEnum is the system enumeration of accumulation movements
// (ВидДвиженияНакопления, AccumulationRecordType): the type of a balance
// register's ВидДвижения. It has no table of its own; its two values,
// Приход and Расход, have name-based ids (sqlgen.RecordTypeID).
const RecordTypeEnum = "Перечисление.ВидДвиженияНакопления"

// RecordTypeValue names a value of ВидДвиженияНакопления written in
// either language (Приход, Receipt, Расход, Expense, any case) by its
// Russian name; ok is false for any other name.
func RecordTypeValue(name string) (value string, ok bool) {
	switch strings.ToLower(name) {
	case "приход", "receipt":
		return "Приход", true
	case "расход", "expense":
		return "Расход", true
	}
	return "", false
}

// IsRecordTypeEnum reports whether a type name, or the enumeration's name
// without its kind (ВидДвиженияНакопления, AccumulationRecordType), is the
// system enumeration of movements.
func IsRecordTypeEnum(name string) bool {
	return strings.EqualFold(name, RecordTypeEnum) || strings.EqualFold(name, "ВидДвиженияНакопления") ||
		strings.EqualFold(name, "AccumulationRecordType")
}

// Package demo creates the demo infobase of issue 4: the configuration in
// demo/config (embedded here) and exactly its data — two organisations, four
// users, counterparties in two folders, goods, four posted sales documents, a
// price register and a stock register. `dostup demo` runs it; tests, the
// README and scripts rely on its contents, so they are fixed, and every
// reference has a deterministic id (see ID).
//
// Encodings the data chooses where the schema leaves a choice:
//
//   - Reference ids are version-5 (SHA-1, name-based) UUIDs of
//     "<full object name>/<name>" in sqlgen.Namespace: ID("Справочник.Контрагенты",
//     "Кирпичный завод"). Documents are named by number
//     (ID("Документ.РеализацияТоваров", "РТ-0001")).
//   - ВидДвижения of an accumulation register is a reference to the system
//     enumeration ВидДвиженияНакопления, stored in a uuid column (_record_type);
//     its values are ReceiptID and ExpenseID, the same name-based UUIDs of
//     "Перечисление.ВидДвиженияНакопления/Приход" and ".../Расход".
//   - A reference with no value (admin's Организация, a folder's Родитель)
//     is sqlgen.EmptyRef, the all-zero UUID, not NULL, as 1C keeps ПустаяСсылка.
//   - Dates are fixed wall-clock times in 2024 without a time zone (1C's Дата
//     has none); they are written as UTC.
//   - Catalog codes are zero-padded strings of the catalog's code length, one
//     sequence per catalog in the order the items are listed, folders included.
package demo

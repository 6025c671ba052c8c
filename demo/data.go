package demo

import (
	"time"

	"dostup/metadata"
)

// The demo's data as issue 4 fixes it. It is built by functions, not held in
// package variables, so nothing global can be changed by a caller.

// Names of the objects the data fills.
const (
	organizations = "Справочник.Организации"
	users         = "Справочник.Пользователи"
	counterparts  = "Справочник.Контрагенты"
	goods         = "Справочник.Номенклатура"
	sales         = "Документ.РеализацияТоваров"
	prices        = "РегистрСведений.ЦеныНоменклатуры"
	stock         = "РегистрНакопления.ОстаткиТоваров"
	recordTypes   = metadata.RecordTypeEnum
)

// ReceiptID and ExpenseID are the ids of ВидДвиженияНакопления.Приход and
// .Расход, the values of an accumulation register's ВидДвижения (column
// _record_type, a uuid): name-based like every other reference, since the
// system enumeration has no table of its own to draw ids from. They are
// constants (a test checks them against ID) so no caller can change them.
const (
	ReceiptID = "367379c0-897b-55a6-aea0-f7057589e285" // ID("Перечисление.ВидДвиженияНакопления", "Приход")
	ExpenseID = "0c351939-ea95-5dd1-8e21-8e671da88b11" // ID("Перечисление.ВидДвиженияНакопления", "Расход")
)

type user struct{ name, org string }

type counterparty struct {
	name, folder, org, inn, manager string
	products                        []string
}

type sale struct {
	number            string
	date              time.Time
	org, counterparty string
	lines             []saleLine
}

type saleLine struct {
	item     string
	quantity int64 // whole units: every demo quantity is
	price    int64 // kopecks, so sums are exact
}

// amount is the line's sum in kopecks.
func (l saleLine) amount() int64 { return l.quantity * l.price }

// total is СуммаДокумента: the sum of the lines, computed rather than
// written down so the two cannot disagree.
func (s sale) total() int64 {
	var t int64
	for _, l := range s.lines {
		t += l.amount()
	}
	return t
}

// openingStock is a receipt into ОстаткиТоваров before the first sale.
type openingStock struct {
	org, item string
	quantity  int64
}

// day is a wall-clock time of 2024; the demo's dates have no zone, as 1C's.
func day(month time.Month, d, hour, minute int) time.Time {
	return time.Date(2024, month, d, hour, minute, 0, 0, time.UTC)
}

// Where the opening stock is dated and which document records it: the
// configuration has no receipt document, and a movement needs a recorder
// (it is part of the register's key), so each organisation's first sale
// records the stock it starts with, dated at the start of the year. Every
// recorder is then a real document and Остатки has non-zero balances.
func openingDate() time.Time { return day(time.January, 1, 0, 0) }

func organizationNames() []string { return []string{"ООО Ромашка", "ООО Лютик"} }

func userList() []user {
	return []user{{"admin", ""}, {"ivanov", "ООО Ромашка"}, {"petrov", "ООО Лютик"}, {"sidorova", "ООО Ромашка"}}
}

func folderNames() []string { return []string{"Покупатели", "Поставщики"} }

// counterpartyList: the ИНН are invented but valid 10-digit ones (the
// check digit of a legal entity's ИНН is right), so validation code that
// checks them accepts the demo.
func counterpartyList() []counterparty {
	return []counterparty{
		{"Кирпичный завод", "Покупатели", "ООО Ромашка", "7701234560", "ivanov", []string{"Кирпич красный", "Кирпич белый"}},
		{"Стройторг", "Покупатели", "ООО Ромашка", "7702987655", "ivanov", nil},
		{"Лесопилка", "Поставщики", "ООО Ромашка", "5003123458", "ivanov", nil},
		{"Хлебозавод", "Покупатели", "ООО Лютик", "7810456789", "petrov", nil},
		{"Молокозавод", "Покупатели", "ООО Лютик", "7821567890", "petrov", nil},
		{"Фермер Петров", "Поставщики", "ООО Лютик", "4702345677", "petrov", nil},
	}
}

func goodsNames() []string {
	return []string{"Кирпич красный", "Кирпич белый", "Молоко", "Хлеб"}
}

func saleList() []sale {
	return []sale{
		{"РТ-0001", day(time.January, 15, 10, 0), "ООО Ромашка", "Кирпичный завод",
			[]saleLine{{"Кирпич красный", 1000, 1250}, {"Кирпич белый", 500, 1400}}},
		{"РТ-0002", day(time.January, 22, 11, 30), "ООО Ромашка", "Стройторг",
			[]saleLine{{"Кирпич красный", 200, 1250}}},
		{"РТ-0003", day(time.February, 5, 9, 0), "ООО Лютик", "Хлебозавод",
			[]saleLine{{"Молоко", 100, 8000}}},
		{"РТ-0004", day(time.February, 12, 14, 15), "ООО Лютик", "Молокозавод",
			[]saleLine{{"Хлеб", 50, 4500}}},
	}
}

// priceDate is the day ЦеныНоменклатуры's prices take effect.
func priceDate() time.Time { return day(time.January, 1, 0, 0) }

// priceList is ЦеныНоменклатуры in kopecks: the prices the sales use.
func priceList() map[string]int64 {
	return map[string]int64{"Кирпич красный": 1250, "Кирпич белый": 1400, "Молоко": 8000, "Хлеб": 4500}
}

// openingStockList: what each organisation has before it sells; after the
// sales Ромашка has 3800 red and 1500 white bricks, Лютик 200 milk and 150
// bread.
func openingStockList() []openingStock {
	return []openingStock{
		{"ООО Ромашка", "Кирпич красный", 5000}, {"ООО Ромашка", "Кирпич белый", 2000},
		{"ООО Лютик", "Молоко", 300}, {"ООО Лютик", "Хлеб", 200},
	}
}

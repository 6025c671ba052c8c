package infobase_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dostup/demo"
	"dostup/infobase"
	"dostup/internal/testdb"
)

const (
	orgs         = "Справочник.Организации"
	counterparts = "Справочник.Контрагенты"
	goods        = "Справочник.Номенклатура"
	sales        = "Документ.РеализацияТоваров"
	stock        = "РегистрНакопления.ОстаткиТоваров"
)

// TestObjects runs the objects API on one demo infobase per backend; each
// subtest changes objects no other subtest looks at.
func TestObjects(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ib := openDemo(t, backend)
			for _, tc := range []struct {
				name string
				run  func(*testing.T, *infobase.Infobase)
			}{
				{"round trip", testRoundTrip},
				{"codes", testCodes},
				{"parent", testParent},
				{"version conflict", testVersionConflict},
				{"deletion mark and delete", testDelete},
				{"document and posting", testPosting},
				{"validation", testValidation},
				{"failed writes change nothing", testAtomic},
			} {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, ib) })
			}
		})
	}
}

func mustRead(t *testing.T, ib *infobase.Infobase, object, ref string) *infobase.Object {
	t.Helper()
	obj, err := ib.Read(context.Background(), object, ref)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

func scalar(t *testing.T, ib *infobase.Infobase, query string, params map[string]any) string {
	t.Helper()
	res, err := ib.Query(context.Background(), query, params)
	if err != nil {
		t.Fatal(err)
	}
	return rowsJSON(res)
}

func testRoundTrip(t *testing.T, ib *infobase.Infobase) {
	ctx := context.Background()
	ref, err := ib.Create(ctx, counterparts, map[string]any{
		"Наименование":     "Кирпичный двор",
		"Родитель":         demo.ID(counterparts, "Покупатели"),
		"Организация":      infobase.Ref{ID: demo.ID(orgs, "ООО Ромашка")},
		"ИНН":              "7701234567",
		"ОсновнойМенеджер": demo.ID("Справочник.Пользователи", "ivanov"),
	}, map[string][]map[string]any{
		"Продукция": {{"Наименование": "Кирпич силикатный"}, {"Наименование": "Плитка"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	obj := mustRead(t, ib, counterparts, ref)
	if obj.Ref != ref || obj.Version != 1 || obj.DeletionMark || obj.FullName != counterparts {
		t.Errorf("got %+v", obj)
	}
	for attr, want := range map[string]any{
		"Наименование":     "Кирпичный двор",
		"ИНН":              "7701234567",
		"ЭтоГруппа":        false,
		"Предопределенный": false,
		"Родитель":         infobase.Ref{ID: demo.ID(counterparts, "Покупатели"), Presentation: "Покупатели"},
		"Организация":      infobase.Ref{ID: demo.ID(orgs, "ООО Ромашка"), Presentation: "ООО Ромашка"},
		"ОсновнойМенеджер": infobase.Ref{ID: demo.ID("Справочник.Пользователи", "ivanov"), Presentation: "ivanov"},
	} {
		if got := obj.Values[attr]; got != want {
			t.Errorf("%s: got %#v, want %#v", attr, got, want)
		}
	}
	rows := obj.Sections["Продукция"]
	if len(rows) != 2 || rows[0]["НомерСтроки"] != infobase.Number("1") || rows[1]["НомерСтроки"] != infobase.Number("2") ||
		rows[0]["Наименование"] != "Кирпич силикатный" || rows[1]["Наименование"] != "Плитка" {
		t.Errorf("Продукция: %v", rows)
	}
	// The query API sees it, in the folder.
	got := scalar(t, ib, "ВЫБРАТЬ К.Родитель, К.Организация, П.НомерСтроки, П.Наименование ИЗ Справочник.Контрагенты.Продукция КАК П ВНУТРЕННЕЕ СОЕДИНЕНИЕ Справочник.Контрагенты КАК К ПО П.Ссылка = К.Ссылка ГДЕ К.Ссылка = &Р УПОРЯДОЧИТЬ ПО П.НомерСтроки", map[string]any{"Р": ref})
	if want := `[["Покупатели","ООО Ромашка","1","Кирпич силикатный"],["Покупатели","ООО Ромашка","2","Плитка"]]`; got != want {
		t.Errorf("query: got %s, want %s", got, want)
	}

	// Update: a changed name and a replaced tabular section.
	obj.Values["Наименование"] = "Кирпичный двор (опт)"
	obj.Sections["Продукция"] = []map[string]any{{"Наименование": "Плитка"}}
	if err := ib.Update(ctx, obj); err != nil {
		t.Fatal(err)
	}
	if obj.Version != 2 {
		t.Errorf("version after update: %d", obj.Version)
	}
	again := mustRead(t, ib, counterparts, ref)
	if again.Version != 2 || again.Values["Наименование"] != "Кирпичный двор (опт)" || len(again.Sections["Продукция"]) != 1 || again.Sections["Продукция"][0]["НомерСтроки"] != infobase.Number("1") {
		t.Errorf("after update: %+v", again)
	}

	// A missing object is NotFoundError.
	_, err = ib.Read(ctx, counterparts, "11111111-2222-4333-8444-555555555555")
	var nf *infobase.NotFoundError
	if !errors.As(err, &nf) || nf.Object != counterparts || err.Error() != "Справочник.Контрагенты: no object with the reference 11111111-2222-4333-8444-555555555555 (it was deleted or never existed)" {
		t.Errorf("got %v", err)
	}
}

func testCodes(t *testing.T, ib *infobase.Infobase) {
	ctx := context.Background()
	// The demo gives its two organisations 000000001 and 000000002.
	for _, want := range []string{"000000003", "000000004"} {
		ref, err := ib.Create(ctx, orgs, map[string]any{"Наименование": "ООО " + want}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := mustRead(t, ib, orgs, ref).Values["Код"]; got != want {
			t.Errorf("code: got %v, want %s", got, want)
		}
	}
	ref, err := ib.Create(ctx, orgs, map[string]any{"Description": "ООО Свой код", "code": "A-7"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustRead(t, ib, orgs, ref).Values["Код"]; got != "A-7" {
		t.Errorf("given code: got %v", got)
	}
	_, err = ib.Create(ctx, orgs, map[string]any{"Наименование": "ООО Двойник", "Код": "000000001"}, nil)
	var ve *infobase.ValidationError
	if !errors.As(err, &ve) || ve.Attribute != "Код" || err.Error() != "Справочник.Организации: attribute Код: 000000001 is taken by another item" {
		t.Errorf("duplicate code: %v", err)
	}
	// Updating to a taken code fails too; keeping one's own code does not.
	obj := mustRead(t, ib, orgs, ref)
	if err := ib.Update(ctx, obj); err != nil {
		t.Errorf("keeping the code: %v", err)
	}
	obj.Values["Код"] = "000000002"
	if err := ib.Update(ctx, obj); err == nil || !strings.Contains(err.Error(), "000000002 is taken by another item") {
		t.Errorf("update to a taken code: %v", err)
	}
}

func testParent(t *testing.T, ib *infobase.Infobase) {
	ctx := context.Background()
	_, err := ib.Create(ctx, counterparts, map[string]any{"Наименование": "Дочка", "Родитель": demo.ID(counterparts, "Кирпичный завод")}, nil)
	// The message names the parent by its reference: its user may not be
	// allowed to read the item's name.
	if err == nil || err.Error() != "Справочник.Контрагенты: attribute Родитель: the parent must be a folder, and "+demo.ID(counterparts, "Кирпичный завод")+" is an item" {
		t.Errorf("got %v", err)
	}
	folder, err := ib.Create(ctx, counterparts, map[string]any{"Наименование": "Оптовики", "ЭтоГруппа": true, "Родитель": demo.ID(counterparts, "Покупатели")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A folder cannot move into itself, nor stop being a folder.
	obj := mustRead(t, ib, counterparts, folder)
	obj.Values["Родитель"] = folder
	if err := ib.Update(ctx, obj); err == nil || err.Error() != "Справочник.Контрагенты: attribute Родитель: an item cannot be placed inside itself or its own descendant" {
		t.Errorf("cycle: %v", err)
	}
	obj = mustRead(t, ib, counterparts, folder)
	obj.Values["ЭтоГруппа"] = false
	if err := ib.Update(ctx, obj); err == nil || err.Error() != "Справочник.Контрагенты: ЭтоГруппа is set when the item is created and cannot change" {
		t.Errorf("ЭтоГруппа: %v", err)
	}
	if _, err := ib.Create(ctx, counterparts, map[string]any{"Наименование": "Оптовик", "Родитель": folder}, nil); err != nil {
		t.Errorf("an item in the new folder: %v", err)
	}
}

func testVersionConflict(t *testing.T, ib *infobase.Infobase) {
	ctx := context.Background()
	ref := demo.ID(counterparts, "Стройторг")
	a := mustRead(t, ib, counterparts, ref)
	b := mustRead(t, ib, counterparts, ref)
	a.Values["ИНН"] = "111111111111"
	if err := ib.Update(ctx, a); err != nil {
		t.Fatal(err)
	}
	b.Values["ИНН"] = "222222222222"
	err := ib.Update(ctx, b)
	if !errors.Is(err, infobase.ErrVersionConflict) || !strings.HasPrefix(err.Error(), "Справочник.Контрагенты "+ref+": ") {
		t.Errorf("got %v", err)
	}
	var nf *infobase.NotFoundError
	if errors.As(err, &nf) || b.Version != 1 {
		t.Errorf("a conflict is not a missing object, and keeps the version: %v, %d", err, b.Version)
	}
	if got := mustRead(t, ib, counterparts, ref); got.Values["ИНН"] != "111111111111" || got.Version != 2 {
		t.Errorf("after the conflict: %v, version %d", got.Values["ИНН"], got.Version)
	}
	// Updating a deleted object is not a conflict.
	gone := &infobase.Object{FullName: counterparts, Ref: "11111111-2222-4333-8444-555555555555", Version: 1, Values: map[string]any{}}
	if err := ib.Update(ctx, gone); !errors.As(err, &nf) {
		t.Errorf("update of a missing object: %v", err)
	}
}

func testDelete(t *testing.T, ib *infobase.Infobase) {
	ctx := context.Background()
	ref := demo.ID(counterparts, "Лесопилка")
	if err := ib.SetDeletionMark(ctx, counterparts, ref, true); err != nil {
		t.Fatal(err)
	}
	if obj := mustRead(t, ib, counterparts, ref); !obj.DeletionMark || obj.Version != 2 {
		t.Errorf("after marking: %v, version %d", obj.DeletionMark, obj.Version)
	}
	if got := scalar(t, ib, "ВЫБРАТЬ ПометкаУдаления ИЗ Справочник.Контрагенты ГДЕ Ссылка = &Р", map[string]any{"Р": ref}); got != `[[true]]` {
		t.Errorf("query: %s", got)
	}
	if err := ib.SetDeletionMark(ctx, counterparts, ref, false); err != nil {
		t.Fatal(err)
	}
	if obj := mustRead(t, ib, counterparts, ref); obj.DeletionMark || obj.Version != 3 {
		t.Errorf("after unmarking: %v, version %d", obj.DeletionMark, obj.Version)
	}
	// Deleting takes the tabular section's rows with it.
	kz := demo.ID(counterparts, "Кирпичный завод")
	if err := ib.Delete(ctx, counterparts, kz); err != nil {
		t.Fatal(err)
	}
	var nf *infobase.NotFoundError
	if _, err := ib.Read(ctx, counterparts, kz); !errors.As(err, &nf) || nf.Ref != kz {
		t.Errorf("read after delete: %v", err)
	}
	if got := scalar(t, ib, "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты.Продукция ГДЕ Ссылка = &Р", map[string]any{"Р": kz}); got != `[["0"]]` {
		t.Errorf("rows left: %s", got)
	}
	if err := ib.Delete(ctx, counterparts, kz); !errors.As(err, &nf) {
		t.Errorf("second delete: %v", err)
	}
	if err := ib.SetDeletionMark(ctx, counterparts, kz, true); !errors.As(err, &nf) {
		t.Errorf("marking a deleted object: %v", err)
	}
}

const balanceQuery = "ВЫБРАТЬ КоличествоОстаток ИЗ РегистрНакопления.ОстаткиТоваров.Остатки(, Организация = &О И Номенклатура = &Н)"

func balance(t *testing.T, ib *infobase.Infobase, org, item string) string {
	t.Helper()
	return scalar(t, ib, balanceQuery, map[string]any{"О": demo.ID(orgs, org), "Н": demo.ID(goods, item)})
}

func testPosting(t *testing.T, ib *infobase.Infobase) {
	ctx := context.Background()
	before := time.Now().UTC().Add(-time.Second)
	ref, err := ib.Create(ctx, sales, map[string]any{
		"Организация":    demo.ID(orgs, "ООО Лютик"),
		"Контрагент":     demo.ID(counterparts, "Хлебозавод"),
		"СуммаДокумента": 1250,
	}, map[string][]map[string]any{"Товары": {
		{"Номенклатура": demo.ID(goods, "Молоко"), "Количество": 10, "Цена": 80.5, "Сумма": infobase.Number("805")},
		{"Номенклатура": demo.ID(goods, "Хлеб"), "Количество": 0.5, "Цена": 45, "Сумма": 22.5},
	}})
	if err != nil {
		t.Fatal(err)
	}
	doc := mustRead(t, ib, sales, ref)
	date, _ := doc.Values["Дата"].(time.Time)
	if doc.Values["Номер"] != "РТ-0005" || doc.Values["Проведен"] != false || date.Before(before) || date.After(time.Now().UTC().Add(time.Second)) {
		t.Errorf("new document: %v %v %v", doc.Values["Номер"], doc.Values["Проведен"], date)
	}
	if doc.Values["СуммаДокумента"] != infobase.Number("1250.00") || doc.Sections["Товары"][1]["Количество"] != infobase.Number("0.500") || doc.Sections["Товары"][0]["Цена"] != infobase.Number("80.50") {
		t.Errorf("numbers: %v %v", doc.Values["СуммаДокумента"], doc.Sections["Товары"])
	}
	if want := `[["200.000"]]`; balance(t, ib, "ООО Лютик", "Молоко") != want {
		t.Fatalf("the demo's balance of Молоко is not %s", want)
	}
	post := []infobase.RecordSet{{Register: stock, Records: []map[string]any{
		{"ВидДвижения": "Расход", "Организация": demo.ID(orgs, "ООО Лютик"), "Номенклатура": demo.ID(goods, "Молоко"), "Количество": 10},
		{"ВидДвижения": "Расход", "Организация": demo.ID(orgs, "ООО Лютик"), "Номенклатура": demo.ID(goods, "Хлеб"), "Количество": 0.5},
	}}}
	if err := ib.Post(ctx, sales, ref, post); err != nil {
		t.Fatal(err)
	}
	if got := balance(t, ib, "ООО Лютик", "Молоко"); got != `[["190.000"]]` {
		t.Errorf("after posting: %s", got)
	}
	if got := balance(t, ib, "ООО Лютик", "Хлеб"); got != `[["149.500"]]` {
		t.Errorf("after posting: %s", got)
	}
	// The movements the document recorded: ВидДвижения reads as its name.
	got := scalar(t, ib, "ВЫБРАТЬ НомерСтроки, Период, Активность, ВидДвижения ИЗ РегистрНакопления.ОстаткиТоваров ГДЕ Регистратор = &Р УПОРЯДОЧИТЬ ПО НомерСтроки", map[string]any{"Р": ref})
	stamp := `"` + date.Format(time.RFC3339) + `"`
	if want := `[["1",` + stamp + `,true,"Расход"],["2",` + stamp + `,true,"Расход"]]`; got != want {
		t.Errorf("movements: got %s, want %s", got, want)
	}
	doc = mustRead(t, ib, sales, ref)
	if doc.Values["Проведен"] != true || doc.Version != 2 {
		t.Errorf("posted: %v, version %d", doc.Values["Проведен"], doc.Version)
	}
	// Posting again replaces the record set.
	if err := ib.Post(ctx, sales, ref, post[:1]); err != nil {
		t.Fatal(err)
	}
	if got := balance(t, ib, "ООО Лютик", "Молоко"); got != `[["190.000"]]` {
		t.Errorf("after posting again: %s", got)
	}
	if err := ib.Unpost(ctx, sales, ref); err != nil {
		t.Fatal(err)
	}
	if got := balance(t, ib, "ООО Лютик", "Молоко"); got != `[["200.000"]]` {
		t.Errorf("after unposting: %s", got)
	}
	if doc := mustRead(t, ib, sales, ref); doc.Values["Проведен"] != false {
		t.Errorf("unposted: %v", doc.Values["Проведен"])
	}
	// A second document continues the numbers; deleting a posted one
	// deletes its movements.
	ref2, err := ib.Create(ctx, sales, map[string]any{"Организация": demo.ID(orgs, "ООО Лютик"), "Дата": time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if doc := mustRead(t, ib, sales, ref2); doc.Values["Номер"] != "РТ-0006" || doc.Values["Дата"] != time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC) {
		t.Errorf("second document: %v %v", doc.Values["Номер"], doc.Values["Дата"])
	}
	if err := ib.Post(ctx, sales, ref2, post[:1]); err != nil {
		t.Fatal(err)
	}
	if got := balance(t, ib, "ООО Лютик", "Молоко"); got != `[["190.000"]]` {
		t.Errorf("after posting the second: %s", got)
	}
	if err := ib.Delete(ctx, sales, ref2); err != nil {
		t.Fatal(err)
	}
	if got := balance(t, ib, "ООО Лютик", "Молоко"); got != `[["200.000"]]` {
		t.Errorf("after deleting the second: %s", got)
	}
	if _, err := ib.Create(ctx, sales, map[string]any{"Номер": "РТ-0001"}, nil); err == nil || err.Error() != "Документ.РеализацияТоваров: attribute Номер: РТ-0001 is taken by another document" {
		t.Errorf("duplicate number: %v", err)
	}
	// Movements without a record type, and marked documents, are refused.
	err = ib.Post(ctx, sales, ref, []infobase.RecordSet{{Register: stock, Records: []map[string]any{{"Количество": 1}}}})
	if err == nil || err.Error() != "Документ.РеализацияТоваров, РегистрНакопления.ОстаткиТоваров, line 1: attribute ВидДвижения: a movement of a balance register is Приход or Расход" {
		t.Errorf("no record type: %v", err)
	}
	if err := ib.SetDeletionMark(ctx, sales, ref, true); err != nil {
		t.Fatal(err)
	}
	if err := ib.Post(ctx, sales, ref, post); err == nil || err.Error() != "Документ.РеализацияТоваров: a document marked for deletion cannot be posted: clear the mark first" {
		t.Errorf("marked: %v", err)
	}
}

func testValidation(t *testing.T, ib *infobase.Infobase) {
	ctx := context.Background()
	for _, tc := range []struct {
		object   string
		values   map[string]any
		sections map[string][]map[string]any
		attr     string
		want     string
	}{
		{counterparts, map[string]any{"ИНН": "1234567890123"}, nil, "ИНН",
			"Справочник.Контрагенты: attribute ИНН is Строка(12): a string of 13 characters does not fit"},
		{counterparts, map[string]any{"Телефон": "123"}, nil, "Телефон",
			"Справочник.Контрагенты: no attribute Телефон"},
		{counterparts, map[string]any{"Организация": demo.ID(goods, "Молоко")}, nil, "Организация",
			"Справочник.Контрагенты: attribute Организация is Справочник.Организации: a reference to Справочник.Номенклатура does not fit"},
		{counterparts, map[string]any{"Организация": "11111111-2222-4333-8444-555555555555"}, nil, "Организация",
			"Справочник.Контрагенты: attribute Организация is Справочник.Организации: there is no object with the reference 11111111-2222-4333-8444-555555555555"},
		{counterparts, map[string]any{"Организация": "ООО Ромашка"}, nil, "Организация",
			`Справочник.Контрагенты: attribute Организация is Справочник.Организации: "ООО Ромашка" is not a reference (a UUID)`},
		{counterparts, map[string]any{"ИНН": 7701234567}, nil, "ИНН",
			"Справочник.Контрагенты: attribute ИНН is Строка(12): a value of Go type int does not fit"},
		{counterparts, map[string]any{"ЭтоГруппа": "да"}, nil, "ЭтоГруппа",
			"Справочник.Контрагенты: attribute ЭтоГруппа is Булево: a value of Go type string does not fit"},
		{counterparts, map[string]any{"Наименование": "X", "description": "Y"}, nil, "Наименование",
			""},
		{counterparts, map[string]any{"Проведен": true}, nil, "Проведен",
			"Справочник.Контрагенты: no attribute Проведен"},
		{counterparts, nil, map[string][]map[string]any{"Продукция": {{"Наименование": "ok"}, {"Наименование": strings.Repeat("я", 101)}}}, "Наименование",
			"Справочник.Контрагенты, tabular section Продукция, line 2: attribute Наименование is Строка(100): a string of 101 characters does not fit"},
		{counterparts, nil, map[string][]map[string]any{"Товары": {{}}}, "Товары",
			"Справочник.Контрагенты: no tabular section Товары"},
		{sales, map[string]any{"СуммаДокумента": 1.234}, nil, "СуммаДокумента",
			"Документ.РеализацияТоваров: attribute СуммаДокумента is Число(15, 2): 1.234 has more than 2 digits after the point"},
		{sales, map[string]any{"СуммаДокумента": infobase.Number("12345678901234")}, nil, "СуммаДокумента",
			"Документ.РеализацияТоваров: attribute СуммаДокумента is Число(15, 2): 12345678901234 has more than 13 digits before the point"},
		{sales, map[string]any{"Дата": "вчера"}, nil, "Дата",
			`Документ.РеализацияТоваров: attribute Дата is Дата: "вчера" is not a date (write 2006-01-02 15:04:05)`},
		{sales, map[string]any{"Проведен": true}, nil, "Проведен",
			"Документ.РеализацияТоваров: Проведен is set by posting: use Post and Unpost"},
		{sales, map[string]any{"Ссылка": demo.ID(sales, "РТ-0001")}, nil, "Ссылка",
			"Документ.РеализацияТоваров: Ссылка is kept by the infobase and cannot be set"},
	} {
		_, err := ib.Create(ctx, tc.object, tc.values, tc.sections)
		var ve *infobase.ValidationError
		if !errors.As(err, &ve) || ve.Attribute != tc.attr || (tc.want != "" && err.Error() != tc.want) {
			t.Errorf("%v %v:\ngot  %v\nwant %s (attribute %s)", tc.values, tc.sections, err, tc.want, tc.attr)
		}
	}
	if _, err := ib.Create(ctx, "РегистрНакопления.ОстаткиТоваров", nil, nil); err == nil {
		t.Error("a register has no objects to create")
	}
	if _, err := ib.Create(ctx, "Справочник.Нет", nil, nil); err == nil || err.Error() != "Справочник.Нет is not in the configuration" {
		t.Errorf("unknown object: %v", err)
	}
	if got := scalar(t, ib, "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ Наименование = \"\"", nil); got != `[["0"]]` {
		t.Errorf("a failed create left rows: %s", got)
	}
}

// testAtomic: a write that fails half-way (after the header and the first
// rows are written) changes nothing.
func testAtomic(t *testing.T, ib *infobase.Infobase) {
	ctx := context.Background()
	ref := demo.ID(counterparts, "Хлебозавод")
	obj := mustRead(t, ib, counterparts, ref)
	obj.Values["Наименование"] = "Хлебокомбинат"
	obj.Sections["Продукция"] = []map[string]any{{"Наименование": "Батон"}, {"Наименование": strings.Repeat("х", 101)}}
	if err := ib.Update(ctx, obj); err == nil {
		t.Fatal("the update succeeded")
	}
	after := mustRead(t, ib, counterparts, ref)
	if after.Values["Наименование"] != "Хлебозавод" || after.Version != 1 || len(after.Sections["Продукция"]) != 0 {
		t.Errorf("the failed update changed the object: %+v", after)
	}
	// Posting with a bad second record: the document stays as it was, its
	// movements too.
	doc := demo.ID(sales, "РТ-0003")
	was := balance(t, ib, "ООО Лютик", "Молоко")
	err := ib.Post(ctx, sales, doc, []infobase.RecordSet{{Register: stock, Records: []map[string]any{
		{"ВидДвижения": "Приход", "Организация": demo.ID(orgs, "ООО Лютик"), "Номенклатура": demo.ID(goods, "Молоко"), "Количество": 1},
		{"ВидДвижения": "Приход", "Организация": demo.ID(orgs, "ООО Лютик"), "Номенклатура": demo.ID(goods, "Молоко"), "Количество": "много"},
	}}})
	if err == nil || err.Error() != "Документ.РеализацияТоваров, РегистрНакопления.ОстаткиТоваров, line 2: attribute Количество is Число(15, 3): a value of Go type string does not fit" {
		t.Errorf("got %v", err)
	}
	if got := balance(t, ib, "ООО Лютик", "Молоко"); got != was {
		t.Errorf("balance changed: %s, was %s", got, was)
	}
	if d := mustRead(t, ib, sales, doc); d.Version != 1 || d.Values["Проведен"] != true {
		t.Errorf("the document changed: version %d", d.Version)
	}
}

// composites is a configuration with what the demo lacks: several owner
// types, number codes, composite attributes and an enumeration.
const composites = `
configuration: {name: Составные, language: ru}
enums:
  - {name: Цвета, values: [Красный, Синий]}
catalogs:
  - {name: Фирмы, description_length: 50}
  - {name: Люди, description_length: 50}
  - name: Счета
    owners: [Справочник.Фирмы, Справочник.Люди]
    code: {length: 5, type: number}
    description_length: 50
    attributes:
      - name: Значение
        type: [Строка(10), "Число(5, 1)", Справочник.Фирмы, Дата]
      - {name: Цвет, type: Перечисление.Цвета}
`

func TestObjectsComposite(t *testing.T) {
	ctx := context.Background()
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := testdb.DSN(t, backend)
			db, err := infobase.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := infobase.Init(ctx, db, load(t, composites), infobase.InitOptions{Sources: map[string][]byte{"c.yaml": []byte(composites)}}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer ib.Close()
			firm, err := ib.Create(ctx, "Справочник.Фирмы", map[string]any{"Наименование": "Фирма"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			person, err := ib.Create(ctx, "Catalog.Люди", map[string]any{"Description": "Человек"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
			for i, tc := range []struct {
				values    map[string]any
				owner     any
				value     any
				code      infobase.Number
				wantError string
			}{
				{values: map[string]any{"Владелец": firm, "Значение": "текст", "Цвет": "Синий"},
					owner: infobase.TypedValue{Type: "Справочник.Фирмы", Value: infobase.Ref{ID: firm}}, value: infobase.TypedValue{Type: "Строка", Value: "текст"}, code: "1"},
				{values: map[string]any{"Владелец": infobase.Ref{ID: person}, "Значение": 12.5},
					owner: infobase.TypedValue{Type: "Справочник.Люди", Value: infobase.Ref{ID: person}}, value: infobase.TypedValue{Type: "Число", Value: infobase.Number("12.5")}, code: "1"},
				{values: map[string]any{"Владелец": infobase.TypedValue{Type: "Справочник.Фирмы", Value: firm}, "Значение": infobase.TypedValue{Type: "СправочникСсылка.Фирмы", Value: firm}},
					owner: infobase.TypedValue{Type: "Справочник.Фирмы", Value: infobase.Ref{ID: firm}}, value: infobase.TypedValue{Type: "Справочник.Фирмы", Value: infobase.Ref{ID: firm}}, code: "2"},
				{values: map[string]any{"Владелец": firm, "Значение": day},
					owner: infobase.TypedValue{Type: "Справочник.Фирмы", Value: infobase.Ref{ID: firm}}, value: infobase.TypedValue{Type: "Дата", Value: day}, code: "3"},
				{values: map[string]any{"Владелец": firm},
					owner: infobase.TypedValue{Type: "Справочник.Фирмы", Value: infobase.Ref{ID: firm}}, value: nil, code: "4"},
				{values: map[string]any{"Значение": "x"}, wantError: "Справочник.Счета: attribute Владелец: an item of a subordinate catalog needs an owner (Справочник.Фирмы, Справочник.Люди)"},
				{values: map[string]any{"Владелец": firm, "Код": 1}, wantError: "Справочник.Счета: attribute Код: 1 is taken by another item of the same owner"},
				{values: map[string]any{"Владелец": firm, "Значение": true}, wantError: "Справочник.Счета: attribute Значение is Строка(10), Число(5, 1), Справочник.Фирмы, Дата: a value of Go type bool does not fit"},
				{values: map[string]any{"Владелец": firm, "Значение": infobase.TypedValue{Type: "Справочник.Люди", Value: person}}, wantError: "Справочник.Счета: attribute Значение is Строка(10), Число(5, 1), Справочник.Фирмы, Дата: a value of type Справочник.Люди does not fit"},
				{values: map[string]any{"Владелец": firm, "Значение": "слишком длинный"}, wantError: "Справочник.Счета: attribute Значение is Строка(10), Число(5, 1), Справочник.Фирмы, Дата: a string of 15 characters does not fit"},
				{values: map[string]any{"Владелец": firm, "Цвет": "Зелёный"}, wantError: `Справочник.Счета: attribute Цвет is Перечисление.Цвета: "Зелёный" is not a reference (a UUID)`},
			} {
				ref, err := ib.Create(ctx, "Справочник.Счета", tc.values, nil)
				if tc.wantError != "" {
					if err == nil || err.Error() != tc.wantError {
						t.Errorf("%d: got %v, want %s", i, err, tc.wantError)
					}
					continue
				}
				if err != nil {
					t.Errorf("%d: %v", i, err)
					continue
				}
				obj := mustRead(t, ib, "Справочник.Счета", ref)
				if obj.Values["Владелец"] != tc.owner || obj.Values["Значение"] != tc.value || obj.Values["Код"] != tc.code {
					t.Errorf("%d: got %#v %#v %#v", i, obj.Values["Владелец"], obj.Values["Значение"], obj.Values["Код"])
				}
				if i == 0 {
					if c := obj.Values["Цвет"].(infobase.Ref); c.Presentation != "Синий" {
						t.Errorf("enumeration value: %#v", c)
					}
					// Read values write back unchanged.
					if err := ib.Update(ctx, obj); err != nil {
						t.Errorf("round trip: %v", err)
					}
				}
			}
		})
	}
}

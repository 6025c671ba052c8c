package infobase_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"dostup/demo"
	"dostup/eventlog"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/internal/testdemo"
	"dostup/rls"
)

// TestDemoAccess is issue 5's bar on the demo, on both backends.
func TestDemoAccess(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ib := openDemo(t, backend)
			ctx := context.Background()
			cases := []struct {
				user, query string
				want        string // JSON rows; "" with denied
				denied      bool
			}{
				{user: "ivanov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты УПОРЯДОЧИТЬ ПО Наименование",
					want: `[["Кирпичный завод"],["Лесопилка"],["Покупатели"],["Поставщики"],["Стройторг"]]`},
				{user: "ivanov", query: "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты", denied: true},
				{user: "ivanov", query: "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ Организация.Наименование = \"ООО Ромашка\"", want: `[["3"]]`},
				{user: "ivanov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Номер", want: `[["РТ-0001"],["РТ-0002"]]`},
				{user: "ivanov", query: "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Организация.Наименование = \"ООО Ромашка\" УПОРЯДОЧИТЬ ПО Наименование",
					want: `[["Кирпичный завод"],["Лесопилка"],["Стройторг"]]`},
				{user: "ivanov", query: "ВЫБРАТЬ Номер ИЗ Документ.РеализацияТоваров", denied: true},
				{user: "petrov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты ГДЕ НЕ ЭтоГруппа УПОРЯДОЧИТЬ ПО Наименование",
					want: `[["Молокозавод"],["Фермер Петров"],["Хлебозавод"]]`},
				{user: "petrov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Номер", want: `[["РТ-0003"],["РТ-0004"]]`},
				// A document of another organisation's counterparty reads
				// its counterparty as absent in РАЗРЕШЕННЫЕ.
				{user: "ivanov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Д.Номер, Д.Контрагент.ИНН ЕСТЬ NULL КАК Скрыт ИЗ Документ.РеализацияТоваров КАК Д УПОРЯДОЧИТЬ ПО Д.Номер",
					want: `[["РТ-0001",false],["РТ-0002",false]]`},
				{user: "ivanov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Т.Ссылка.Номер КАК Номер, Т.Сумма ИЗ Документ.РеализацияТоваров.Товары КАК Т УПОРЯДОЧИТЬ ПО Номер, Т.Сумма",
					want: `[["РТ-0001","7000.00"],["РТ-0001","12500.00"],["РТ-0002","2500.00"]]`},
				{user: "ivanov", query: "ВЫБРАТЬ Т.Сумма ИЗ Документ.РеализацияТоваров.Товары КАК Т", denied: true},
				{user: "ivanov", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты ГДЕ Ссылка В (ВЫБРАТЬ Контрагент ИЗ Документ.РеализацияТоваров) УПОРЯДОЧИТЬ ПО Наименование",
					want: `[["Кирпичный завод"],["Стройторг"]]`},
				{user: "sidorova", query: "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ НЕ ЭтоГруппа УПОРЯДОЧИТЬ ПО Наименование",
					want: `[["Кирпичный завод"],["Лесопилка"],["Молокозавод"],["Стройторг"],["Фермер Петров"],["Хлебозавод"]]`},
				{user: "sidorova", query: "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты", want: `[["8"]]`},
				{user: "admin", query: "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты", want: `[["8"]]`},
			}
			for _, c := range cases {
				s, err := ib.NewSession(ctx, c.user, infobase.SessionOptions{})
				if err != nil {
					t.Fatal(err)
				}
				res, err := s.Query(ctx, c.query, nil)
				var ae *rls.AccessError
				if c.denied {
					if !errors.As(err, &ae) {
						t.Errorf("%s: %s: want access denied, got %v", c.user, c.query, err)
					}
					continue
				}
				if err != nil {
					stmts, _ := s.Compile(c.query)
					for _, st := range stmts {
						t.Log(st.SQL)
					}
					t.Errorf("%s: %s: %v", c.user, c.query, err)
					continue
				}
				if got := rowsJSON(res); got != c.want {
					t.Errorf("%s: %s:\n got %s\nwant %s", c.user, c.query, got, c.want)
				}
			}
		})
	}
}

// TestDemoWrites: record-level security on writes (§3.3), on both backends.
func TestDemoWrites(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ib := openDemo(t, backend)
			ctx := context.Background()
			session := func(user string) *infobase.Session {
				s, err := ib.NewSession(ctx, user, infobase.SessionOptions{})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			ivanov, sidorova := session("ivanov"), session("sidorova")
			romashka := demo.ID("Справочник.Организации", "ООО Ромашка")
			lyutik := demo.ID("Справочник.Организации", "ООО Лютик")
			count := func() string {
				res, err := ib.Query(ctx, "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты", nil)
				if err != nil {
					t.Fatal(err)
				}
				return rowsJSON(res)
			}
			denied := func(what string, err error) {
				t.Helper()
				var ae *rls.AccessError
				if !errors.As(err, &ae) {
					t.Fatalf("%s: want access denied, got %v", what, err)
				}
				if ae.User == "" || ae.Object != "Справочник.Контрагенты" {
					t.Errorf("%s: the error names user %q and table %q", what, ae.User, ae.Object)
				}
			}

			ref, err := ivanov.Create(ctx, "Справочник.Контрагенты", map[string]any{"Наименование": "Новый Ромашки", "Организация": romashka}, nil)
			if err != nil {
				t.Fatalf("ivanov creates a counterparty of Ромашка: %v", err)
			}
			if got := count(); got != `[["9"]]` {
				t.Fatalf("after the allowed insert: %s counterparties", got)
			}
			_, err = ivanov.Create(ctx, "Справочник.Контрагенты", map[string]any{"Наименование": "Чужой", "Организация": lyutik}, nil)
			denied("ivanov creates one of Лютик", err)
			_, err = sidorova.Create(ctx, "Справочник.Контрагенты", map[string]any{"Наименование": "Бухгалтерский"}, nil)
			denied("sidorova creates one", err)
			if got := count(); got != `[["9"]]` {
				t.Fatalf("refused inserts wrote something: %s counterparties", got)
			}

			obj, err := ivanov.Read(ctx, "Справочник.Контрагенты", ref)
			if err != nil {
				t.Fatal(err)
			}
			obj.Values["Организация"] = lyutik
			denied("ivanov moves his counterparty to Лютик", ivanov.Update(ctx, obj))
			stored, err := ib.Read(ctx, "Справочник.Контрагенты", ref)
			if err != nil {
				t.Fatal(err)
			}
			if r, _ := stored.Values["Организация"].(infobase.Ref); r.ID != romashka || stored.Version != obj.Version {
				t.Errorf("the refused update changed the record: %v, version %d", stored.Values["Организация"], stored.Version)
			}
			obj.Values["Организация"] = romashka
			obj.Values["ИНН"] = "7701000000"
			if err := ivanov.Update(ctx, obj); err != nil {
				t.Errorf("ivanov edits his own counterparty: %v", err)
			}

			alien := demo.ID("Справочник.Контрагенты", "Хлебозавод")
			_, err = ivanov.Read(ctx, "Справочник.Контрагенты", alien)
			denied("ivanov reads one of Лютик", err)
			denied("ivanov deletes his counterparty (no Удаление right)", ivanov.Delete(ctx, "Справочник.Контрагенты", ref))
			admin := session("admin")
			if err := admin.Delete(ctx, "Справочник.Контрагенты", ref); err != nil {
				t.Errorf("admin deletes: %v", err)
			}

			// Posting: the document's restriction and the register's, on
			// every record of the new set.
			const sales, stock = "Документ.РеализацияТоваров", "РегистрНакопления.ОстаткиТоваров"
			brick := demo.ID("Справочник.Номенклатура", "Кирпич красный")
			doc, err := ivanov.Create(ctx, sales, map[string]any{"Организация": romashka, "Контрагент": demo.ID("Справочник.Контрагенты", "Стройторг")}, nil)
			if err != nil {
				t.Fatal(err)
			}
			movement := func(org string) []infobase.RecordSet {
				return []infobase.RecordSet{{Register: stock, Records: []map[string]any{
					{"ВидДвижения": "Расход", "Организация": romashka, "Номенклатура": brick, "Количество": 1},
					{"ВидДвижения": "Расход", "Организация": org, "Номенклатура": brick, "Количество": 1},
				}}}
			}
			var ae *rls.AccessError
			if err := ivanov.Post(ctx, sales, doc, movement(lyutik)); !errors.As(err, &ae) || ae.Object != stock {
				t.Errorf("ivanov posts a movement of Лютик: %v", err)
			}
			if d, _ := ib.Read(ctx, sales, doc); d.Values["Проведен"] != false {
				t.Error("the refused posting left the document posted")
			}
			if err := ivanov.Post(ctx, sales, doc, movement(romashka)); err != nil {
				t.Errorf("ivanov posts his own: %v", err)
			}
			alienDoc := demo.ID(sales, "РТ-0003")
			if err := ivanov.Unpost(ctx, sales, alienDoc); !errors.As(err, &ae) {
				t.Errorf("ivanov unposts Лютик's document: %v", err)
			}
		})
	}
}

// TestSessionModes: privileged mode with nesting and scopes, safe mode,
// privileged sessions, AccessRight and IsInRole (§2, §3.8).
func TestSessionModes(t *testing.T) {
	ib := openDemo(t, "sqlite")
	ctx := context.Background()
	ivanov, err := ib.NewSession(ctx, "ivanov", infobase.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := "ВЫБРАТЬ РАЗРЕШЕННЫЕ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ НЕ ЭтоГруппа"
	count := func(s *infobase.Session) string {
		t.Helper()
		res, err := s.Query(ctx, all, nil)
		if err != nil {
			return "denied"
		}
		return rowsJSON(res)
	}
	if got := count(ivanov); got != `[["3"]]` {
		t.Errorf("ivanov counts %s", got)
	}
	if err := ivanov.SetPrivilegedMode(false); err == nil {
		t.Error("more disables than enables is not an error")
	}
	err = ivanov.Scope(func() error {
		if err := ivanov.SetPrivilegedMode(true); err != nil {
			return err
		}
		if err := ivanov.SetPrivilegedMode(true); err != nil {
			return err
		}
		if err := ivanov.SetPrivilegedMode(false); err != nil {
			return err
		}
		if !ivanov.PrivilegedMode() {
			t.Error("one enable left, but not privileged")
		}
		if got := count(ivanov); got != `[["6"]]` {
			t.Errorf("privileged ivanov counts %s", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ivanov.PrivilegedMode() {
		t.Error("leaving the scope did not undo its enable")
	}
	if got := count(ivanov); got != `[["3"]]` {
		t.Errorf("after the scope ivanov counts %s", got)
	}

	if err := ivanov.SetPrivilegedMode(true); err != nil {
		t.Fatal(err)
	}
	if err := ivanov.SetSafeMode(true); err != nil {
		t.Fatal(err)
	}
	if ivanov.PrivilegedMode() || count(ivanov) != `[["3"]]` {
		t.Error("safe mode does not ignore privileged mode")
	}
	if err := ivanov.SetPrivilegedMode(true); !errors.Is(err, infobase.ErrSafeMode) {
		t.Errorf("enabling privileged mode in safe mode: %v", err)
	}

	if _, err := ib.NewSession(ctx, "ivanov", infobase.SessionOptions{Privileged: true}); !errors.Is(err, infobase.ErrNotAdministrator) {
		t.Errorf("a privileged session for ivanov: %v", err)
	}
	admin, err := ib.NewSession(ctx, "admin", infobase.SessionOptions{Privileged: true})
	if err != nil {
		t.Fatal(err)
	}
	if !admin.PrivilegedMode() || admin.SetSafeMode(true) == nil {
		t.Error("a privileged session is not privileged for good")
	}
	if !ivanov.IsInRole("менеджер") || ivanov.IsInRole("Администратор") {
		t.Error("IsInRole")
	}

	rights := []struct {
		right, object, who string
		want               bool
	}{
		{"Чтение", "Справочник.Контрагенты", "ivanov", true},
		{"Insert", "Catalog.Контрагенты", "ivanov", true},
		{"Удаление", "Справочник.Контрагенты", "ivanov", false},
		{"Добавление", "Справочник.Контрагенты", "sidorova", false},
		{"Добавление", "Справочник.Контрагенты", "Администратор", true},
		{"Проведение", "Документ.РеализацияТоваров", "Менеджер", true},
		{"Администрирование", "", "admin", true},
		{"Администрирование", "", "petrov", false},
	}
	for _, r := range rights {
		got, err := ib.AccessRight(ctx, r.right, r.object, r.who)
		if err != nil || got != r.want {
			t.Errorf("AccessRight(%s, %s, %s) = %v, %v; want %v", r.right, r.object, r.who, got, err, r.want)
		}
	}
	for _, bad := range [][3]string{{"Полет", "", "admin"}, {"Чтение", "", "admin"}, {"Чтение", "Справочник.Нет", "admin"}, {"Чтение", "Справочник.Контрагенты", "никто"}} {
		if _, err := ib.AccessRight(ctx, bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("AccessRight%q: no error", bad)
		}
	}
}

// TestSessionParameterMissing: a user the session parameters' queries do
// not find cannot start a session (§1).
func TestSessionParameterMissing(t *testing.T) {
	for _, backend := range testdb.Backends {
		ib := openDemo(t, backend)
		ctx := context.Background()
		if err := ib.Delete(ctx, "Справочник.Пользователи", demo.ID("Справочник.Пользователи", "petrov")); err != nil {
			t.Fatal(err)
		}
		_, err := ib.NewSession(ctx, "petrov", infobase.SessionOptions{})
		if err == nil || !strings.Contains(err.Error(), "session parameter ТекущийПользователь") || !strings.Contains(err.Error(), "finds nothing for user petrov") {
			t.Errorf("%s: %v", backend, err)
		}
		if _, err := ib.NewSession(ctx, "petrov", infobase.SessionOptions{Params: map[string]any{"Нет": 1}}); err == nil {
			t.Errorf("%s: an unknown session parameter is accepted", backend)
		}
	}
}

// TestHostileSessionValues: values of session parameters reach SQL only as
// bound arguments.
func TestHostileSessionValues(t *testing.T) {
	for _, backend := range testdb.Backends {
		ib := openDemo(t, backend)
		ctx := context.Background()
		for _, v := range []string{`x' OR 1=1 --`, `'); DROP TABLE cat_kontragenty; --`, `" OR ЭтоГруппа = ЛОЖЬ`, "\x00"} {
			s, err := ib.NewSession(ctx, "ivanov", infobase.SessionOptions{Params: map[string]any{"Организация": v}})
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Query(ctx, "ВЫБРАТЬ РАЗРЕШЕННЫЕ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты", nil)
			if err != nil {
				// PostgreSQL refuses a string where a UUID is compared:
				// an error, never a wider result.
				if backend == "postgres" {
					continue
				}
				t.Fatalf("%s %q: %v", backend, v, err)
			}
			if got := rowsJSON(res); got != `[["2"]]` {
				t.Errorf("%s %q: ivanov sees %s counterparties, want the 2 folders", backend, v, got)
			}
		}
		res, err := ib.Query(ctx, "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты", nil)
		if err != nil || rowsJSON(res) != `[["8"]]` {
			t.Errorf("%s: the table changed: %v %v", backend, res, err)
		}
	}
}

// TestEventsOfSessions: Init logs the configuration it set, and a session
// logs its access denials (table, right, mode) and privileged-mode
// switches in the event log (§6).
func TestEventsOfSessions(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			ib := testdemo.Open(t, backend)
			log, err := ib.EventLog(ctx)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := log.Query(ctx, eventlog.Filter{Kind: eventlog.ConfigUpdate})
			if err != nil || len(cfg) != 1 || cfg[0].Object != "Демо" {
				t.Fatalf("configuration events: %v %v", cfg, err)
			}
			s, err := ib.NewSession(ctx, "ivanov", infobase.SessionOptions{ID: "s-1", Source: "10.0.0.7"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Query(ctx, "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты", nil); !rls.IsAccessDenied(err) {
				t.Fatalf("all mode: %v", err)
			}
			if _, err := s.Query(ctx, "ВЫБРАТЬ РАЗРЕШЕННЫЕ Цена ИЗ РегистрСведений.ЦеныНоменклатуры", nil); !rls.IsAccessDenied(err) {
				t.Fatalf("no right: %v", err)
			}
			if err := s.SetPrivilegedMode(true); err != nil {
				t.Fatal(err)
			}
			if err := s.SetPrivilegedMode(false); err != nil {
				t.Fatal(err)
			}
			events, err := log.Query(ctx, eventlog.Filter{User: "ivanov"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range events {
				if e.Session != "s-1" || e.Source != "10.0.0.7" {
					t.Errorf("event without the session: %+v", e)
				}
				got = append(got, fmt.Sprintf("%s %v %v %v", e.Kind, e.Data["table"], e.Data["right"], e.Data["mode"]))
			}
			want := []string{
				"_$Access$_.AccessDenied Справочник.Контрагенты Чтение all",
				"_$Access$_.AccessDenied РегистрСведений.ЦеныНоменклатуры Чтение allowed",
				"_$Session$_.PrivilegedModeOn <nil> <nil> <nil>",
				"_$Session$_.PrivilegedModeOff <nil> <nil> <nil>",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

package infobase_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"dostup/demo"
	"dostup/eventlog"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/metadata/vocab"
	"dostup/rls"
)

// A record the user may not read shows nothing of itself through an
// object the user may read: its reference stays, its presentation is
// empty, and an error about it names its reference, not its fields.
func TestPresentationsOfForbiddenRecords(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			ib := openDemo(t, backend)
			alien := demo.ID(counterparts, "Хлебозавод") // ООО Лютик's: ivanov may not read it
			doc, err := ib.Create(ctx, sales, map[string]any{"Организация": demo.ID(orgs, "ООО Ромашка"), "Контрагент": alien},
				map[string][]map[string]any{"Товары": {{"Номенклатура": demo.ID(goods, "Молоко"), "Количество": 1}}})
			if err != nil {
				t.Fatal(err)
			}
			ivanov, err := ib.NewSession(ctx, "ivanov", infobase.SessionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			obj, err := ivanov.Read(ctx, sales, doc)
			if err != nil {
				t.Fatalf("ivanov reads a document of his organisation: %v", err)
			}
			if r, _ := obj.Values["Контрагент"].(infobase.Ref); r.ID != alien || r.Presentation != "" {
				t.Errorf("the forbidden counterparty reads as %+v; want its reference without a presentation", obj.Values["Контрагент"])
			}
			if r, _ := obj.Values["Организация"].(infobase.Ref); r.Presentation != "ООО Ромашка" {
				t.Errorf("a readable reference lost its presentation: %+v", obj.Values["Организация"])
			}
			if r, _ := obj.Sections["Товары"][0]["Номенклатура"].(infobase.Ref); r.Presentation != "Молоко" {
				t.Errorf("a readable reference in a row lost its presentation: %+v", obj.Sections["Товары"][0])
			}
			full, err := ib.Read(ctx, sales, doc)
			if err != nil {
				t.Fatal(err)
			}
			if r, _ := full.Values["Контрагент"].(infobase.Ref); r.Presentation != "Хлебозавод" {
				t.Errorf("with full rights the counterparty reads as %+v", full.Values["Контрагент"])
			}
			// The parent check runs with full rights: its message must not
			// tell ivanov the name of a record he may not read.
			_, err = ivanov.Create(ctx, counterparts, map[string]any{"Наименование": "Дочка", "Организация": demo.ID(orgs, "ООО Ромашка"), "Родитель": alien}, nil)
			if err == nil || strings.Contains(err.Error(), "Хлебозавод") || !strings.Contains(err.Error(), alien) {
				t.Errorf("an error about a forbidden parent: %v", err)
			}
		})
	}
}

// Marking a posted document for deletion unposts it, through the checks of
// unposting, whichever way the mark is set.
func TestDeletionMarkUnposts(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			ib := openDemo(t, backend)
			session := func(user string) *infobase.Session {
				s, err := ib.NewSession(ctx, user, infobase.SessionOptions{})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			ivanov, admin := session("ivanov"), session("admin")
			romashka := demo.ID(orgs, "ООО Ромашка")
			movements := func(doc string) string {
				return scalar(t, ib, "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ РегистрНакопления.ОстаткиТоваров ГДЕ Регистратор = &Д", map[string]any{"Д": doc})
			}
			posted := func(user *infobase.Session) string {
				doc, err := user.Create(ctx, sales, map[string]any{"Организация": romashka, "Контрагент": demo.ID(counterparts, "Стройторг")}, nil)
				if err != nil {
					t.Fatal(err)
				}
				err = user.Post(ctx, sales, doc, []infobase.RecordSet{{Register: stock, Records: []map[string]any{
					{"ВидДвижения": "Расход", "Организация": romashka, "Номенклатура": demo.ID(goods, "Кирпич красный"), "Количество": 1}}}})
				if err != nil {
					t.Fatal(err)
				}
				if got := movements(doc); got != `[["1"]]` {
					t.Fatalf("posted: %s movements", got)
				}
				return doc
			}
			for _, how := range []string{"Update", "SetDeletionMark"} {
				mark := func(s *infobase.Session, doc string) error {
					if how == "SetDeletionMark" {
						return s.SetDeletionMark(ctx, sales, doc, true)
					}
					obj, err := s.Read(ctx, sales, doc)
					if err != nil {
						return err
					}
					obj.DeletionMark = true
					return s.Update(ctx, obj)
				}
				// Менеджер may post but not unpost: the mark is refused and
				// changes nothing.
				doc := posted(ivanov)
				var ae *rls.AccessError
				if err := mark(ivanov, doc); !errors.As(err, &ae) || ae.Right != vocab.UndoPosting {
					t.Errorf("%s: ivanov marks his posted document: %v; want ОтменаПроведения refused", how, err)
				}
				if d := mustRead(t, ib, sales, doc); d.DeletionMark || d.Values["Проведен"] != true || movements(doc) != `[["1"]]` {
					t.Errorf("%s: the refused mark changed the document: mark %v, posted %v, %s movements", how, d.DeletionMark, d.Values["Проведен"], movements(doc))
				}
				if err := mark(admin, doc); err != nil {
					t.Fatalf("%s: admin marks: %v", how, err)
				}
				if d := mustRead(t, ib, sales, doc); !d.DeletionMark || d.Values["Проведен"] != false || movements(doc) != `[["0"]]` {
					t.Errorf("%s: marked: mark %v, posted %v, %s movements; want unposted with no movements", how, d.DeletionMark, d.Values["Проведен"], movements(doc))
				}
			}
		})
	}
}

// A refusal is logged with the right and the mode refused, and asking for
// a privileged session is logged whether it is granted or not.
func TestAccessDeniedModes(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			ib := openDemo(t, backend)
			ivanov, err := ib.NewSession(ctx, "ivanov", infobase.SessionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			alien := demo.ID(counterparts, "Хлебозавод")
			_, _ = ivanov.Read(ctx, counterparts, alien)
			_ = ivanov.Delete(ctx, counterparts, demo.ID(counterparts, "Стройторг"))
			_, _ = ivanov.Create(ctx, goods, map[string]any{"Наименование": "Гвозди"}, nil)
			if _, err := ib.NewSession(ctx, "ivanov", infobase.SessionOptions{Privileged: true}); !errors.Is(err, infobase.ErrNotAdministrator) {
				t.Errorf("ivanov's privileged session: %v", err)
			}
			if _, err := ib.NewSession(ctx, "admin", infobase.SessionOptions{Privileged: true}); err != nil {
				t.Fatal(err)
			}
			log, err := ib.EventLog(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, user := range []string{"ivanov", "admin"} {
				events, err := log.Query(ctx, eventlog.Filter{User: user})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range events {
					got = append(got, fmt.Sprintf("%s %s %v %v %v", user, e.Kind, e.Data["table"], e.Data["right"], e.Data["mode"]))
				}
			}
			want := []string{
				"ivanov _$Access$_.AccessDenied Справочник.Контрагенты Чтение read",
				"ivanov _$Access$_.AccessDenied Справочник.Контрагенты Удаление write",
				"ivanov _$Access$_.AccessDenied Справочник.Номенклатура Добавление write",
				"ivanov _$Access$_.AccessDenied <nil> Администрирование privileged",
				"admin _$Session$_.PrivilegedModeOn <nil> <nil> <nil>",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// Concurrent writers queue: on SQLite as on PostgreSQL, 8 writers of 50
// objects each all succeed, refused writes among them are each refused and
// logged, and two updates of one version give one success and one version
// conflict, never a "database is locked".
func TestConcurrentWrites(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			ib := openDemo(t, backend)
			ivanov, err := ib.NewSession(ctx, "ivanov", infobase.SessionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			romashka := demo.ID(orgs, "ООО Ромашка")
			const writers, each, refused = 8, 50, 10
			var wg sync.WaitGroup
			errs := make(chan error, writers*each+2*refused)
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; i < each; i++ {
						_, err := ivanov.Create(ctx, counterparts, map[string]any{"Наименование": fmt.Sprintf("Писатель %d-%d", w, i), "Организация": romashka}, nil)
						if err != nil {
							errs <- fmt.Errorf("writer %d, object %d: %w", w, i, err)
						}
					}
				}(w)
			}
			var deniedCount sync.WaitGroup
			denials := make(chan error, 2*refused)
			for g := 0; g < 2; g++ {
				deniedCount.Add(1)
				go func() {
					defer deniedCount.Done()
					for i := 0; i < refused; i++ {
						_, err := ivanov.Create(ctx, goods, map[string]any{"Наименование": "Гвозди"}, nil)
						denials <- err
					}
				}()
			}
			wg.Wait()
			deniedCount.Wait()
			close(errs)
			close(denials)
			for err := range errs {
				t.Error(err)
			}
			for err := range denials {
				var ae *rls.AccessError
				if !errors.As(err, &ae) {
					t.Errorf("a refused write under load: %v; want access denied", err)
				}
			}
			if got := scalar(t, ib, `ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ Наименование ПОДОБНО "Писатель %"`, nil); got != fmt.Sprintf(`[["%d"]]`, writers*each) {
				t.Errorf("%s objects written; want %d", got, writers*each)
			}
			log, err := ib.EventLog(ctx)
			if err != nil {
				t.Fatal(err)
			}
			events, err := log.Query(ctx, eventlog.Filter{User: "ivanov", Kind: eventlog.AccessDenied})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 2*refused {
				t.Errorf("%d refusals logged; want %d", len(events), 2*refused)
			}

			// One version, two concurrent updates: one wins, one conflicts.
			ref := demo.ID(counterparts, "Стройторг")
			for round := 0; round < 10; round++ {
				a, b := mustRead(t, ib, counterparts, ref), mustRead(t, ib, counterparts, ref)
				a.Values["ИНН"], b.Values["ИНН"] = fmt.Sprintf("77%08d", round), fmt.Sprintf("78%08d", round)
				results := make(chan error, 2)
				for _, obj := range []*infobase.Object{a, b} {
					go func(obj *infobase.Object) { results <- ivanov.Update(ctx, obj) }(obj)
				}
				first, second := <-results, <-results
				ok, conflicts := 0, 0
				for _, err := range []error{first, second} {
					switch {
					case err == nil:
						ok++
					case errors.Is(err, infobase.ErrVersionConflict):
						conflicts++
					default:
						t.Errorf("round %d: %v", round, err)
					}
				}
				if ok != 1 || conflicts != 1 {
					t.Errorf("round %d: %d successes and %d conflicts; want 1 and 1", round, ok, conflicts)
				}
			}
		})
	}
}

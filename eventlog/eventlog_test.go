package eventlog_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dostup/eventlog"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/sqlgen/sqlite"
)

// open opens a fresh event log on the backend.
func open(t *testing.T, backend string) (*eventlog.Log, *infobase.DB) {
	t.Helper()
	db := testdb.Open(t, backend)
	l, err := eventlog.Open(context.Background(), db.SQL, db.Dialect)
	if err != nil {
		t.Fatal(err)
	}
	return l, db
}

// onBackends runs the test on every backend.
func onBackends(t *testing.T, test func(t *testing.T, backend string)) {
	for _, b := range testdb.Backends {
		t.Run(b, func(t *testing.T) { test(t, b) })
	}
}

// comments are the events' comments, which the tests use as their names.
func comments(events []eventlog.Event) []string {
	out := []string{}
	for _, e := range events {
		out = append(out, e.Comment)
	}
	return out
}

var t0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"_$Session$_.Start", eventlog.SessionStart},
		{"_$SESSION$_.start", eventlog.SessionStart},
		{"Сеанс. Начало", eventlog.SessionStart},
		{"сеанс. НАЧАЛО", eventlog.SessionStart},
		{"Session. Start", eventlog.SessionStart},
		{"users. authentication lock", eventlog.AuthenticationLock},
		{"Доступ. Отказ в доступе", eventlog.AccessDenied},
		{"Данные. Отмена проведения", eventlog.DataUnpost},
		{"Infobase. Event log purge", eventlog.RetentionPurge},
		{"_$InfoBase$_.EventLogPurge", eventlog.RetentionPurge},
		{"Сеанс.", ""},
		{"Session. Start ", ""},
		{"", ""},
	} {
		k, ok := eventlog.KindOf(tc.in)
		if ok != (tc.want != "") || k.Name != tc.want {
			t.Errorf("KindOf(%q) = %q, %v; want %q", tc.in, k.Name, ok, tc.want)
		}
	}

	all := eventlog.Kinds()
	if len(all) != 25 {
		t.Errorf("Kinds() has %d kinds, want 25", len(all))
	}
	seen := map[string]bool{}
	for _, k := range all {
		for _, s := range []string{k.Name, k.RU, k.EN} {
			if s == "" || seen[strings.ToLower(s)] {
				t.Errorf("kind %+v: empty or repeated name or presentation %q", k, s)
			}
			seen[strings.ToLower(s)] = true
		}
		if got, ok := eventlog.KindOf(k.Name); !ok || got != k {
			t.Errorf("KindOf(%q) = %+v, %v", k.Name, got, ok)
		}
	}
	all[0].Name = "changed"
	if !reflect.DeepEqual(eventlog.Kinds(), append([]eventlog.Kind{{eventlog.SessionStart, "Сеанс. Начало", "Session. Start"}}, all[1:]...)) {
		t.Error("Kinds() shares its table with callers or changes order between calls")
	}
}

// seed is the log the filter tests read: comments name the events.
var seed = []eventlog.Event{
	{Time: t0, Kind: eventlog.SessionStart, User: "ivanov", Session: "s1", Application: "console", Source: "10.0.0.1", Comment: "ivanov-start"},
	{Time: t0.Add(time.Microsecond), Kind: eventlog.Authentication, User: "ivanov", Session: "s1", Comment: "ivanov-auth"},
	{Time: t0.Add(time.Minute), Level: eventlog.Warning, Kind: eventlog.AuthenticationError, User: "petrov", Source: "10.0.0.2", Comment: "petrov-fail"},
	{Time: t0.Add(2 * time.Minute), Level: eventlog.Error, Kind: eventlog.AccessDenied, User: "ivanov", Session: "s1", Object: "Справочник.Контрагенты",
		Data: map[string]any{"table": "Справочник.Контрагенты", "right": "Чтение", "mode": "all"}, Comment: "ivanov-denied"},
	{Time: t0.Add(time.Hour), Kind: eventlog.AuthenticationLock, Object: "petrov", Comment: "petrov-locked"},
	{Time: t0.Add(time.Hour + time.Second), Kind: "Пользователи. Смена пароля", User: "admin", Object: "ivanov", Comment: "admin-password"},
	{Time: t0.Add(24 * time.Hour), Level: eventlog.Note, Kind: "My.Custom", User: "admin", Comment: "custom"},
	{Time: t0.Add(25 * time.Hour), Kind: eventlog.SessionFinish, User: "ivanov", Session: "s1", Comment: "ivanov-finish"},
}

func TestQueryFilters(t *testing.T) {
	onBackends(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		l, _ := open(t, backend)
		if err := l.Append(ctx, seed...); err != nil {
			t.Fatal(err)
		}
		all, err := l.Query(ctx, eventlog.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != len(seed) {
			t.Fatalf("%d events, want %d", len(all), len(seed))
		}
		for i, e := range all {
			if i > 0 && e.ID <= all[i-1].ID {
				t.Errorf("ids not increasing: %d after %d", e.ID, all[i-1].ID)
			}
		}
		third := all[2].ID

		for _, tc := range []struct {
			name string
			f    eventlog.Filter
			want []string
		}{
			{"all", eventlog.Filter{}, comments(seed)},
			{"user", eventlog.Filter{User: "ivanov"}, []string{"ivanov-start", "ivanov-auth", "ivanov-denied", "ivanov-finish"}},
			{"user is exact", eventlog.Filter{User: "Ivanov"}, []string{}},
			{"session", eventlog.Filter{Session: "s1"}, []string{"ivanov-start", "ivanov-auth", "ivanov-denied", "ivanov-finish"}},
			{"object", eventlog.Filter{Object: "petrov"}, []string{"petrov-locked"}},
			{"object in Cyrillic", eventlog.Filter{Object: "Справочник.Контрагенты"}, []string{"ivanov-denied"}},
			{"level", eventlog.Filter{Level: eventlog.Warning}, []string{"petrov-fail"}},
			{"level in lower case", eventlog.Filter{Level: "error"}, []string{"ivanov-denied"}},
			{"level in Russian", eventlog.Filter{Level: "Примечание"}, []string{"custom"}},
			{"level defaults to information", eventlog.Filter{Level: eventlog.Information}, []string{"ivanov-start", "ivanov-auth", "petrov-locked", "admin-password", "ivanov-finish"}},
			{"kind by name", eventlog.Filter{Kind: eventlog.AuthenticationError}, []string{"petrov-fail"}},
			{"kind by name, any case", eventlog.Filter{Kind: "_$session$_.authenticationerror"}, []string{"petrov-fail"}},
			{"kind by RU", eventlog.Filter{Kind: "Сеанс. Начало"}, []string{"ivanov-start"}},
			{"kind by RU, any case", eventlog.Filter{Kind: "СЕАНС. ЗАВЕРШЕНИЕ"}, []string{"ivanov-finish"}},
			{"kind by EN", eventlog.Filter{Kind: "access. access denied"}, []string{"ivanov-denied"}},
			{"kind stored from a presentation", eventlog.Filter{Kind: eventlog.PasswordChange}, []string{"admin-password"}},
			{"kind is not a prefix", eventlog.Filter{Kind: "_$Session$_.Auth"}, []string{}},
			{"group by name", eventlog.Filter{Kind: "_$Session$_."}, []string{"ivanov-start", "ivanov-auth", "petrov-fail", "ivanov-finish"}},
			{"group by name, any case", eventlog.Filter{Kind: "_$user$_."}, []string{"petrov-locked", "admin-password"}},
			{"group by RU", eventlog.Filter{Kind: "Сеанс."}, []string{"ivanov-start", "ivanov-auth", "petrov-fail", "ivanov-finish"}},
			{"group by RU, any case", eventlog.Filter{Kind: "пользователи."}, []string{"petrov-locked", "admin-password"}},
			{"group by EN", eventlog.Filter{Kind: "Access."}, []string{"ivanov-denied"}},
			{"group of longer prefix", eventlog.Filter{Kind: "Session. Authentication."}, []string{}},
			{"custom kind", eventlog.Filter{Kind: "My.Custom"}, []string{"custom"}},
			{"custom group", eventlog.Filter{Kind: "My."}, []string{"custom"}},
			{"custom kind is exact", eventlog.Filter{Kind: "my.custom"}, []string{}},
			{"unknown group", eventlog.Filter{Kind: "Nothing."}, []string{}},
			{"from", eventlog.Filter{From: t0.Add(time.Hour)}, []string{"petrov-locked", "admin-password", "custom", "ivanov-finish"}},
			{"to is exclusive", eventlog.Filter{To: t0.Add(time.Minute)}, []string{"ivanov-start", "ivanov-auth"}},
			{"from and to", eventlog.Filter{From: t0.Add(time.Minute), To: t0.Add(time.Hour + time.Second)}, []string{"petrov-fail", "ivanov-denied", "petrov-locked"}},
			{"from is inclusive to the microsecond", eventlog.Filter{From: t0.Add(time.Microsecond)}, comments(seed[1:])},
			{"from between microseconds", eventlog.Filter{From: t0.Add(time.Nanosecond)}, comments(seed[1:])},
			{"to between microseconds", eventlog.Filter{To: t0.Add(time.Nanosecond)}, []string{"ivanov-start"}},
			{"to a microsecond on", eventlog.Filter{To: t0.Add(time.Microsecond)}, []string{"ivanov-start"}},
			{"from in another zone", eventlog.Filter{From: t0.Add(24 * time.Hour).In(time.FixedZone("MSK", 3*3600))}, []string{"custom", "ivanov-finish"}},
			{"empty range", eventlog.Filter{From: t0.Add(time.Hour), To: t0}, []string{}},
			{"from before year 1", eventlog.Filter{From: time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)}, comments(seed)},
			{"to after year 9999", eventlog.Filter{To: time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)}, comments(seed)},
			{"from after year 9999", eventlog.Filter{From: time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)}, []string{}},
			{"after id", eventlog.Filter{AfterID: third}, comments(seed[3:])},
			{"limit", eventlog.Filter{Limit: 3}, comments(seed[:3])},
			{"after id and limit: the next page", eventlog.Filter{AfterID: third, Limit: 2}, comments(seed[3:5])},
			{"together", eventlog.Filter{User: "ivanov", Kind: "Сеанс.", From: t0.Add(time.Microsecond), To: t0.Add(48 * time.Hour), Limit: 1}, []string{"ivanov-auth"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := l.Query(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if c := comments(got); !slices.Equal(c, tc.want) {
					t.Errorf("Query = %q, want %q", c, tc.want)
				}
				n, err := l.Count(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if n != int64(len(tc.want)) {
					t.Errorf("Count = %d, want %d", n, len(tc.want))
				}
			})
		}

		if _, err := l.Query(ctx, eventlog.Filter{Level: "Critical"}); err == nil || !strings.Contains(err.Error(), `unknown level "Critical"`) {
			t.Errorf("a filter with an unknown level: %v", err)
		}
	})
}

func TestAppendStoresEvents(t *testing.T) {
	onBackends(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		l, _ := open(t, backend)
		msk := time.FixedZone("MSK", 3*3600)
		before := time.Now().UTC().Truncate(time.Microsecond)
		err := l.Append(ctx,
			eventlog.Event{Kind: eventlog.SessionStart, User: "ivanov"},
			eventlog.Event{Time: time.Date(2024, 3, 1, 15, 0, 0, 123456789, msk), Level: "warning", Kind: "session. revoked",
				Data: map[string]any{"by": "admin", "n": 3, "ok": true, "list": []string{"a", "<b>"}, "nested": map[string]int{"x": 1}}})
		if err != nil {
			t.Fatal(err)
		}
		after := time.Now().UTC()
		got, err := l.Query(ctx, eventlog.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("%d events, want 2", len(got))
		}
		now := got[0]
		if now.Time.Before(before) || now.Time.After(after) || now.Time.Location() != time.UTC || now.Time.Nanosecond()%1000 != 0 {
			t.Errorf("a zero time became %v, want the current UTC time in microseconds", now.Time)
		}
		if now.Level != eventlog.Information || now.Data != nil {
			t.Errorf("defaults: level %q, data %v", now.Level, now.Data)
		}
		want := eventlog.Event{
			ID: got[1].ID, Time: time.Date(2024, 3, 1, 12, 0, 0, 123456000, time.UTC), Level: eventlog.Warning,
			Kind: eventlog.SessionRevoked,
			Data: map[string]any{"by": "admin", "n": 3.0, "ok": true, "list": []any{"a", "<b>"}, "nested": map[string]any{"x": 1.0}},
		}
		if !reflect.DeepEqual(got[1], want) {
			t.Errorf("stored\n%#v\nwant\n%#v", got[1], want)
		}
		if got[1].ID <= got[0].ID {
			t.Errorf("ids %d then %d", got[0].ID, got[1].ID)
		}
	})
}

func TestAppendRefusesBadEvents(t *testing.T) {
	onBackends(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		l, _ := open(t, backend)
		good := eventlog.Event{Kind: eventlog.SessionStart}
		for _, tc := range []struct {
			name string
			bad  eventlog.Event
			want string
		}{
			{"no kind", eventlog.Event{User: "x"}, "event 2 of 2: an event needs a kind"},
			{"unknown level", eventlog.Event{Kind: eventlog.SessionStart, Level: "Fatal"}, `event 2 of 2: unknown level "Fatal"`},
			{"time too late", eventlog.Event{Kind: eventlog.SessionStart, Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "outside the years 1 to 9999"},
			{"data not JSON", eventlog.Event{Kind: eventlog.SessionStart, Data: map[string]any{"f": func() {}}}, "data of event _$Session$_.Start"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := l.Append(ctx, good, tc.bad)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("Append = %v, want an error containing %q", err, tc.want)
				}
				if n, err := l.Count(ctx, eventlog.Filter{}); err != nil || n != 0 {
					t.Errorf("after a refused batch the log holds %d events (%v), want none", n, err)
				}
			})
		}
		if err := l.Append(ctx); err != nil {
			t.Errorf("appending nothing: %v", err)
		}
	})
}

func TestAppendTx(t *testing.T) {
	onBackends(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		l, db := open(t, backend)
		for _, commit := range []bool{false, true} {
			tx, err := db.SQL.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := l.AppendTx(ctx, tx, eventlog.Event{Kind: eventlog.DataNew, Object: "Документ.Заказ", Comment: fmt.Sprint(commit)}); err != nil {
				t.Fatal(err)
			}
			if commit {
				err = tx.Commit()
			} else {
				err = tx.Rollback()
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		got, err := l.Query(ctx, eventlog.Filter{Kind: "Данные."})
		if err != nil {
			t.Fatal(err)
		}
		if c := comments(got); !slices.Equal(c, []string{"true"}) {
			t.Errorf("after a rolled back and a committed transaction: %q", c)
		}
		if err := l.AppendTx(ctx, nil, eventlog.Event{}); err == nil {
			t.Error("AppendTx of an event without a kind succeeded")
		}
	})
}

func TestEachStops(t *testing.T) {
	onBackends(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		l, _ := open(t, backend)
		if err := l.Append(ctx, seed...); err != nil {
			t.Fatal(err)
		}
		stop := errors.New("enough")
		n := 0
		err := l.Each(ctx, eventlog.Filter{}, func(eventlog.Event) error {
			n++
			if n == 3 {
				return stop
			}
			return nil
		})
		if err != stop || n != 3 {
			t.Errorf("Each = %v after %d events, want the callback's error after 3", err, n)
		}
	})
}

func TestRetention(t *testing.T) {
	// The log holds d0…d4, a day apart from t0, then the PolicyUpdate
	// event SetRetention writes (at the current time, so newer than all of
	// them and than the purge's now, t0 + 4 days); Purge keeps MaxEvents-1
	// besides its own event.
	day := 24 * time.Hour
	for _, tc := range []struct {
		name       string
		r          eventlog.Retention
		deleted    int64
		left       []string // comments of the d events that stay
		policyKept bool
	}{
		{"forever", eventlog.Retention{}, 0, []string{"d0", "d1", "d2", "d3", "d4"}, true},
		{"by age", eventlog.Retention{MaxAge: 2 * day}, 2, []string{"d2", "d3", "d4"}, true},
		{"by age, the boundary kept", eventlog.Retention{MaxAge: 3 * day}, 1, []string{"d1", "d2", "d3", "d4"}, true},
		{"by count", eventlog.Retention{MaxEvents: 3}, 4, []string{"d4"}, true},
		{"by count, room for all", eventlog.Retention{MaxEvents: 7}, 0, []string{"d0", "d1", "d2", "d3", "d4"}, true},
		{"by count, one to go", eventlog.Retention{MaxEvents: 6}, 1, []string{"d1", "d2", "d3", "d4"}, true},
		{"by count of one", eventlog.Retention{MaxEvents: 1}, 6, []string{}, false},
		{"both, age stricter", eventlog.Retention{MaxAge: 36 * time.Hour, MaxEvents: 5}, 3, []string{"d3", "d4"}, true},
		{"both, each deletes", eventlog.Retention{MaxAge: 3 * day, MaxEvents: 3}, 4, []string{"d4"}, true},
		{"both, count stricter", eventlog.Retention{MaxAge: 10 * day, MaxEvents: 2}, 5, []string{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			onBackends(t, func(t *testing.T, backend string) {
				ctx := context.Background()
				l, _ := open(t, backend)
				now := t0.Add(4 * day)
				if r, err := l.Retention(ctx); err != nil || r != (eventlog.Retention{}) {
					t.Fatalf("retention of a new log: %+v, %v", r, err)
				}
				var events []eventlog.Event
				for i := range 5 {
					events = append(events, eventlog.Event{Time: t0.Add(time.Duration(i) * day), Kind: eventlog.DataUpdate, Comment: fmt.Sprintf("d%d", i)})
				}
				if err := l.Append(ctx, events...); err != nil {
					t.Fatal(err)
				}
				if err := l.SetRetention(ctx, tc.r); err != nil {
					t.Fatal(err)
				}
				if r, err := l.Retention(ctx); err != nil || r != tc.r {
					t.Fatalf("Retention = %+v, %v; want %+v", r, err, tc.r)
				}
				policy, err := l.Query(ctx, eventlog.Filter{Kind: eventlog.PolicyUpdate})
				if err != nil || len(policy) != 1 {
					t.Fatalf("PolicyUpdate events: %v, %v", policy, err)
				}
				if p := policy[0]; p.Object != "EventLog" || p.Data["max_age"] != tc.r.MaxAge.String() || p.Data["max_events"] != float64(tc.r.MaxEvents) {
					t.Errorf("PolicyUpdate event: %+v", p)
				}

				n, err := l.Purge(ctx, now)
				if err != nil {
					t.Fatal(err)
				}
				if n != tc.deleted {
					t.Errorf("Purge deleted %d, want %d", n, tc.deleted)
				}
				if total, _ := l.Count(ctx, eventlog.Filter{}); tc.r.MaxEvents > 0 && total > tc.r.MaxEvents {
					t.Errorf("after Purge %d events, want at most %d", total, tc.r.MaxEvents)
				}
				got, err := l.Query(ctx, eventlog.Filter{Kind: "Data."})
				if err != nil {
					t.Fatal(err)
				}
				if c := comments(got); !slices.Equal(c, tc.left) {
					t.Errorf("left %q, want %q", c, tc.left)
				}
				if n, err := l.Count(ctx, eventlog.Filter{Kind: eventlog.PolicyUpdate}); err != nil || (n == 1) != tc.policyKept {
					t.Errorf("policy events after Purge: %d, %v; want kept %v", n, err, tc.policyKept)
				}
				purges, err := l.Query(ctx, eventlog.Filter{Kind: "Infobase. Event log purge"})
				if err != nil || len(purges) != 1 {
					t.Fatalf("purge events: %v, %v", purges, err)
				}
				p := purges[0]
				if p.Data["deleted"] != float64(n) || !p.Time.Equal(now) || p.Kind != eventlog.RetentionPurge || p.Level != eventlog.Information {
					t.Errorf("purge event %+v, want %d deleted at %v", p, n, now)
				}
			})
		})
	}
}

func TestSetRetentionRefusesNegative(t *testing.T) {
	l, _ := open(t, "sqlite")
	ctx := context.Background()
	for _, r := range []eventlog.Retention{{MaxAge: -time.Hour}, {MaxEvents: -1}} {
		if err := l.SetRetention(ctx, r); err == nil {
			t.Errorf("SetRetention(%+v) succeeded", r)
		}
	}
	if n, _ := l.Count(ctx, eventlog.Filter{}); n != 0 {
		t.Errorf("refused settings wrote %d events", n)
	}
}

func TestPurgeTwice(t *testing.T) {
	onBackends(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		l, _ := open(t, backend)
		if err := l.Append(ctx, seed...); err != nil {
			t.Fatal(err)
		}
		if err := l.SetRetention(ctx, eventlog.Retention{MaxEvents: 4}); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := l.Purge(ctx, time.Time{}); err != nil {
				t.Fatal(err)
			}
			if n, _ := l.Count(ctx, eventlog.Filter{}); n != 4 {
				t.Errorf("after Purge %d events, want 4", n)
			}
		}
		// Ids of purged events are never given again.
		last, _ := l.Query(ctx, eventlog.Filter{})
		if err := l.SetRetention(ctx, eventlog.Retention{MaxEvents: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Purge(ctx, time.Time{}); err != nil {
			t.Fatal(err)
		}
		now, _ := l.Query(ctx, eventlog.Filter{})
		if len(now) != 1 || now[0].ID <= last[len(last)-1].ID+1 {
			t.Errorf("after purging to one event: %+v (the last id before was %d)", now, last[len(last)-1].ID)
		}
	})
}

func TestWriteJSONLines(t *testing.T) {
	events := []eventlog.Event{
		{ID: 1, Time: t0, Level: eventlog.Error, Kind: eventlog.AccessDenied, User: "ivanov", Object: "Справочник.Контрагенты",
			Data: map[string]any{"table": "Справочник.Контрагенты", "right": "Чтение", "mode": "<all>"}},
		{ID: 2, Time: t0.Add(time.Microsecond), Level: eventlog.Note, Kind: "My.Custom", Comment: "line\nbreak"},
	}
	var b bytes.Buffer
	if err := eventlog.WriteJSONLines(&b, events); err != nil {
		t.Fatal(err)
	}
	want := `{"id":1,"time":"2024-03-01T12:00:00Z","level":"Error","event":"_$Access$_.AccessDenied","event_ru":"Доступ. Отказ в доступе","event_en":"Access. Access denied","user":"ivanov","object":"Справочник.Контрагенты","data":{"mode":"<all>","right":"Чтение","table":"Справочник.Контрагенты"}}
{"id":2,"time":"2024-03-01T12:00:00.000001Z","level":"Note","event":"My.Custom","event_ru":"My.Custom","event_en":"My.Custom","comment":"line\nbreak"}
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	// Each line decodes back into the event.
	sc := bufio.NewScanner(&b)
	for i := 0; sc.Scan(); i++ {
		var e eventlog.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if e.ID != events[i].ID || !e.Time.Equal(events[i].Time) || e.Kind != events[i].Kind || e.Comment != events[i].Comment {
			t.Errorf("line %d decodes as %+v", i+1, e)
		}
	}
	// An Event inside another value carries its presentations too.
	out, err := json.Marshal(map[string]eventlog.Event{"e": events[0]})
	if err != nil || !strings.Contains(string(out), `"event_en":"Access. Access denied"`) {
		t.Errorf("json.Marshal of an event: %s, %v", out, err)
	}
}

// hostile are strings an attacker controls (a user name at login, a client
// address header): they must be stored and found as they are, never run.
var hostile = []string{
	`'; DROP TABLE _dostup_eventlog; --`,
	`" OR 1=1 --`,
	`ivanov' OR '1'='1`,
	`%`, `_`, `\`, `\'`, `$1`, `?`, `) OR (1=1`,
	"admin\x00hidden",
	"bad \xff\xfe utf-8",
	"Иванов 🙂 <script>alert(1)</script>",
	strings.Repeat("x", 10000),
}

func TestHostileStrings(t *testing.T) {
	onBackends(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		l, _ := open(t, backend)
		for _, s := range hostile {
			err := l.Append(ctx, eventlog.Event{Kind: s, User: s, Session: s, Application: s, Source: s, Object: s, Comment: s,
				Data: map[string]any{s: s}})
			if err != nil {
				t.Fatalf("appending %q: %v", s, err)
			}
			if err := l.Append(ctx, eventlog.Event{Kind: s + ".", User: s + "x"}); err != nil {
				t.Fatalf("appending %q: %v", s, err)
			}
		}
		if _, err := l.Query(ctx, eventlog.Filter{Level: eventlog.Level(hostile[0])}); err == nil {
			t.Error("a hostile level in a filter was accepted")
		}
		if n, err := l.Count(ctx, eventlog.Filter{}); err != nil || n != int64(2*len(hostile)) {
			t.Fatalf("the log holds %d events (%v), want %d", n, err, 2*len(hostile))
		}
		for _, s := range hostile {
			stored := strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
			for _, f := range []eventlog.Filter{{User: s}, {Kind: s}, {Session: s}, {Object: s}, {User: s, Kind: s, Session: s, Object: s}} {
				got, err := l.Query(ctx, f)
				if err != nil {
					t.Fatalf("filter %+v: %v", f, err)
				}
				if len(got) != 1 {
					t.Fatalf("filter by %q found %d events, want 1", s, len(got))
				}
				e := got[0]
				// Data goes through encoding/json, which has its own way
				// with such strings (NUL escaped, each bad byte replaced).
				var data map[string]any
				b, _ := json.Marshal(map[string]any{s: s})
				_ = json.Unmarshal(b, &data)
				if e.User != stored || e.Kind != stored || e.Source != stored || e.Comment != stored || !reflect.DeepEqual(e.Data, data) {
					t.Errorf("%q stored as %+v", s, e)
				}
			}
			// A group whose prefix is the hostile string finds only its own event.
			got, err := l.Query(ctx, eventlog.Filter{Kind: s + "."})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].User != stored+"x" {
				t.Errorf("group %q found %q", s+".", comments(got))
			}
		}
	})
}

func TestOpenConcurrently(t *testing.T) {
	onBackends(t, func(t *testing.T, backend string) {
		db := testdb.Open(t, backend)
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				l, err := eventlog.Open(context.Background(), db.SQL, db.Dialect)
				if err == nil {
					err = l.Append(context.Background(), eventlog.Event{Kind: eventlog.SessionStart})
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		l, err := eventlog.Open(context.Background(), db.SQL, db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := l.Count(context.Background(), eventlog.Filter{}); err != nil || n != 4 {
			t.Errorf("after opening the log four times at once: %d events, %v", n, err)
		}
	})
}

// Another process holding SQLite's write lock past the busy timeout delays
// an append; it does not lose it.
func TestAppendOutlastsALockedSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "infobase.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(100)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	l, err := eventlog.Open(ctx, db, sqlite.New())
	if err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	released := make(chan error, 1)
	go func() {
		time.Sleep(400 * time.Millisecond)
		_, err := conn.ExecContext(ctx, "COMMIT")
		released <- err
	}()
	if err := l.Append(ctx, eventlog.Event{Kind: eventlog.AuthenticationError, User: "x"}); err != nil {
		t.Fatalf("Append while another connection writes: %v", err)
	}
	if err := <-released; err != nil {
		t.Fatal(err)
	}
	if n, err := l.Count(ctx, eventlog.Filter{}); err != nil || n != 1 {
		t.Errorf("%d events, %v", n, err)
	}

	// A caller that cannot wait says so with its context.
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := l.Append(short, eventlog.Event{Kind: eventlog.SessionStart}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Append past its deadline: %v", err)
	}
}

func TestConcurrentAppends(t *testing.T) {
	onBackends(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		l, _ := open(t, backend)
		const workers, each = 8, 200
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					err := l.Append(ctx, eventlog.Event{Kind: eventlog.Authentication, User: fmt.Sprintf("u%d", w), Comment: fmt.Sprint(i)})
					if err != nil {
						errs <- fmt.Errorf("worker %d, event %d: %w", w, i, err)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if n, err := l.Count(ctx, eventlog.Filter{}); err != nil || n != workers*each {
			t.Fatalf("the log holds %d events (%v), want %d", n, err, workers*each)
		}
		for w := range workers {
			got, err := l.Query(ctx, eventlog.Filter{User: fmt.Sprintf("u%d", w)})
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range got {
				if e.Comment != fmt.Sprint(i) {
					t.Fatalf("worker %d: event %d is %q: order of one writer's events lost", w, i, e.Comment)
				}
			}
		}
	})
}

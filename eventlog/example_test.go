package eventlog_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver an infobase uses

	"dostup/eventlog"
	"dostup/sqlgen/sqlite"
)

// A session of ivanov's, a refused read in it, then a look at the log as
// an administrator would take it: by group of kinds, and as an export.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "eventlog")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", filepath.Join(dir, "infobase.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	l, err := eventlog.Open(ctx, db, sqlite.New())
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	err = l.Append(ctx,
		eventlog.Event{Time: at, Kind: eventlog.SessionStart, User: "ivanov", Session: "7", Source: "10.0.0.5"},
		eventlog.Event{Time: at.Add(time.Minute), Level: eventlog.Error, Kind: eventlog.AccessDenied, User: "ivanov", Session: "7",
			Object: "Справочник.Контрагенты", Data: map[string]any{"table": "Справочник.Контрагенты", "right": "Чтение", "mode": "all"}},
		eventlog.Event{Time: at.Add(2 * time.Minute), Kind: eventlog.SessionFinish, User: "ivanov", Session: "7"},
	)
	if err != nil {
		log.Fatal(err)
	}

	// The group "Сеанс." selects every session kind, as 1C's filter does.
	sessions, err := l.Query(ctx, eventlog.Filter{User: "ivanov", Kind: "Сеанс."})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range sessions {
		k, _ := eventlog.KindOf(e.Kind)
		fmt.Println(e.ID, e.Time.Format(time.TimeOnly), k.RU)
	}

	// Refusals, exported as JSON lines with the kind's presentations.
	denied, err := l.Query(ctx, eventlog.Filter{Kind: "Access. Access denied"})
	if err != nil {
		log.Fatal(err)
	}
	if err := eventlog.WriteJSONLines(os.Stdout, denied); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 1 09:00:00 Сеанс. Начало
	// 3 09:02:00 Сеанс. Завершение
	// {"id":2,"time":"2024-03-01T09:01:00Z","level":"Error","event":"_$Access$_.AccessDenied","event_ru":"Доступ. Отказ в доступе","event_en":"Access. Access denied","user":"ivanov","session":"7","object":"Справочник.Контрагенты","data":{"mode":"all","right":"Чтение","table":"Справочник.Контрагенты"}}
}

// A kind is found by its name or either presentation, in any letter case.
func ExampleKindOf() {
	for _, s := range []string{"_$User$_.AuthenticationLock", "пользователи. блокировка аутентификации", "USERS. AUTHENTICATION LOCK"} {
		k, ok := eventlog.KindOf(s)
		fmt.Println(ok, k.Name, "|", k.RU, "|", k.EN)
	}
	// Output:
	// true _$User$_.AuthenticationLock | Пользователи. Блокировка аутентификации | Users. Authentication lock
	// true _$User$_.AuthenticationLock | Пользователи. Блокировка аутентификации | Users. Authentication lock
	// true _$User$_.AuthenticationLock | Пользователи. Блокировка аутентификации | Users. Authentication lock
}

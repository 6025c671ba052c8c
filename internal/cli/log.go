package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"dostup/eventlog"
	"dostup/infobase"
)

// The log commands read the event log (SPEC §6) and keep its size.

func newLogCmd(e *env) *cobra.Command {
	var dsn, from, to, user, event, session, object, level, format string
	var limit int
	cmd := &cobra.Command{
		Use:   "log --db DB [--from T] [--to T] [--user U] [--event KIND] [--session ID] [--object O] [--level L] [--limit N] [--format table|json]",
		Short: "Read and export the event log",
		Long: `log prints the events of the infobase's event log (ЖурналРегистрации) that
the filters select, oldest first: sessions, logins and their failures, locks,
refused accesses, privileged mode, changes of users, roles, policies and data.

Filters: --from (inclusive) and --to (exclusive; a date alone includes that
whole day) take RFC 3339 (2024-05-01T10:00:00Z), 2024-05-01,
"2024-05-01 10:00:05" or 01.05.2024 [10:00:05], the last three in local time.
--event is a kind by its name (_$User$_.AuthenticationLock) or its Russian or
English presentation ("Пользователи. Блокировка аутентификации"), in any
letter case, or a group ending in "." (_$User$_., Пользователи., Users.).
--user, --session and --object match exactly. --level is Information,
Warning, Error or Note (or Информация, Предупреждение, Ошибка, Примечание).

--format table shows time (local), event (in the configuration's language),
user, source, object and data; --format json exports JSON lines, one event a
line with its presentations in both languages, streamed so that a log of any
size exports without being held in memory.

  dostup log --db demo.db --event Пользователи. --from 2024-05-01
  dostup log --db demo.db --format json > events.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			if limit < 0 {
				return usageError(fmt.Errorf("--limit %d: give a number from 0 (no limit)", limit))
			}
			f := eventlog.Filter{User: user, Kind: event, Session: session, Object: object, Level: eventlog.Level(level), Limit: limit}
			var err error
			if f.From, err = parseLogTime("--from", from, false); err != nil {
				return err
			}
			if f.To, err = parseLogTime("--to", to, true); err != nil {
				return err
			}
			ctx := cmd.Context()
			ib, l, err := openLog(ctx, dsn)
			if err != nil {
				return err
			}
			defer ib.Close()
			if level != "" {
				// eventlog knows the level names in both languages; a filter
				// that can match nothing (after the last possible time)
				// checks the name without reading the log.
				check := eventlog.Filter{Level: f.Level, From: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
				if _, err := l.Count(ctx, check); err != nil {
					return usageError(fmt.Errorf("--level %q: use Information, Warning, Error or Note (or Информация, Предупреждение, Ошибка, Примечание)", level))
				}
			}
			if format == "json" {
				w := bufio.NewWriter(e.stdout)
				err := l.Each(ctx, f, func(ev eventlog.Event) error {
					return eventlog.WriteJSONLines(w, []eventlog.Event{ev})
				})
				if ferr := w.Flush(); err == nil {
					err = ferr
				}
				if err != nil {
					return failure(err)
				}
				return nil
			}
			return writeEvents(ctx, e, l, f, !ib.Config.English)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "events at or after this time")
	cmd.Flags().StringVar(&to, "to", "", "events before this time (a date alone: up to the end of that day)")
	cmd.Flags().StringVar(&user, "user", "", "events of this user")
	cmd.Flags().StringVar(&event, "event", "", "events of this kind or group (name or presentation; a group ends in \".\")")
	cmd.Flags().StringVar(&session, "session", "", "events of this session id")
	cmd.Flags().StringVar(&object, "object", "", "events about this object or user")
	cmd.Flags().StringVar(&level, "level", "", "events of this level: Information, Warning, Error or Note")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many events, the oldest first (0: all)")
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json (JSON lines)")
	return dbGroup(e, cmd, &dsn, newLogRetentionCmd, newLogPurgeCmd)
}

// openLog opens the infobase and its event log; the caller closes the
// infobase.
func openLog(ctx context.Context, dsn string) (*infobase.Infobase, *eventlog.Log, error) {
	ib, err := openInfobase(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	l, err := ib.EventLog(ctx)
	if err != nil {
		ib.Close()
		return nil, nil, failure(err)
	}
	return ib, l, nil
}

// logTimeLayouts are the forms --from and --to take besides RFC 3339: ISO
// dates and times, and the DD.MM.YYYY that 1C administrators type.
var logTimeLayouts = []struct {
	layout string
	date   bool // a date alone
}{
	{"2006-01-02 15:04:05", false}, {"2006-01-02T15:04:05", false}, {"2006-01-02 15:04", false}, {"2006-01-02", true},
	{"02.01.2006 15:04:05", false}, {"02.01.2006 15:04", false}, {"02.01.2006", true},
}

// parseLogTime reads a time of a filter; a date alone given as the end of
// a range means the end of that day, as a person reading "to 1 May" means.
func parseLogTime(flag, s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, l := range logTimeLayouts {
		t, err := time.ParseInLocation(l.layout, s, time.Local)
		if err != nil {
			continue
		}
		if l.date && end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	return time.Time{}, usageError(fmt.Errorf("%s %q: want RFC 3339 (2024-05-01T10:00:00Z), 2024-05-01, \"2024-05-01 10:00:05\" or 01.05.2024 (local time)", flag, s))
}

// tableBlock is how many events the table aligns at a time: the columns of
// a log of any size cannot be measured before printing without holding it
// all, so they are measured per block.
const tableBlock = 1000

// maxDataCell bounds the data column, which can hold whole settings.
const maxDataCell = 160

// writeEvents prints the events as a table, presentations in Russian or
// English.
func writeEvents(ctx context.Context, e *env, l *eventlog.Log, f eventlog.Filter, russian bool) error {
	t := newTable(e.stdout, "TIME", "EVENT", "USER", "SOURCE", "OBJECT", "DATA")
	n := 0
	err := l.Each(ctx, f, func(ev eventlog.Event) error {
		kind := ev.Kind
		if k, ok := eventlog.KindOf(ev.Kind); ok {
			kind = k.EN
			if russian {
				kind = k.RU
			}
		}
		data := ""
		if len(ev.Data) > 0 {
			data = compactJSON(ev.Data)
		}
		if ev.Comment != "" {
			data = strings.TrimSpace(data + " " + ev.Comment)
		}
		if utf8.RuneCountInString(data) > maxDataCell {
			data = string([]rune(data)[:maxDataCell-1]) + "…"
		}
		t.row(ev.Time.Local().Format("2006-01-02 15:04:05"), kind, ev.User, ev.Source, ev.Object, data)
		if n++; n%tableBlock == 0 {
			return t.flush()
		}
		return nil
	})
	if ferr := t.flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return failure(err)
	}
	return nil
}

// compactJSON is an event's data on one line, with < > & as they are.
func compactJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSpace(b.String())
}

func newLogRetentionCmd(e *env, dsn *string) *cobra.Command {
	var maxAge time.Duration
	var maxEvents int64
	cmd := &cobra.Command{
		Use:   "retention [--max-age 90d] [--max-events N]",
		Short: "Show or set how long the event log keeps events",
		Long: `retention prints how long the event log keeps events; with flags it changes
them (the other stays) and logs the change (_$InfoBase$_.PolicyUpdate).
--max-age is a duration (90d, 12h; 0 keeps events of any age), --max-events a
count (0 keeps any number). Events leave the log only through dostup log purge.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if maxEvents < 0 {
				return usageError(fmt.Errorf("--max-events %d: give a number from 0 (no limit)", maxEvents))
			}
			ctx := cmd.Context()
			ib, l, err := openLog(ctx, *dsn)
			if err != nil {
				return err
			}
			defer ib.Close()
			r, err := l.Retention(ctx)
			if err != nil {
				return failure(err)
			}
			if cmd.Flags().Changed("max-age") || cmd.Flags().Changed("max-events") {
				if cmd.Flags().Changed("max-age") {
					r.MaxAge = maxAge
				}
				if cmd.Flags().Changed("max-events") {
					r.MaxEvents = maxEvents
				}
				if err := l.SetRetention(ctx, r); err != nil {
					return failure(err)
				}
			}
			age, count := formatDays(r.MaxAge), strconv.FormatInt(r.MaxEvents, 10)
			if r.MaxAge == 0 {
				age += " (any age)"
			}
			if r.MaxEvents == 0 {
				count += " (any number)"
			}
			return writeFields(e.stdout, [][2]string{{"max-age", age}, {"max-events", count}})
		},
	}
	cmd.Flags().Var(daysFlag{&maxAge}, "max-age", "keep events this long (0: any age)")
	cmd.Flags().Int64Var(&maxEvents, "max-events", 0, "keep at most this many events (0: any number)")
	return cmd
}

func newLogPurgeCmd(e *env, dsn *string) *cobra.Command {
	return &cobra.Command{
		Use:   "purge",
		Short: "Delete the events the retention no longer keeps",
		Long: `purge deletes the events older than the retention's maximum age and the
oldest beyond its maximum count (dostup log retention), and records itself
as an event (_$InfoBase$_.EventLogPurge) with the count. With no retention
set it deletes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ib, l, err := openLog(ctx, *dsn)
			if err != nil {
				return err
			}
			defer ib.Close()
			n, err := l.Purge(ctx, time.Time{})
			if err != nil {
				return failure(err)
			}
			fmt.Fprintf(e.stdout, "deleted %s\n", plural(int(n), "event", "events"))
			return nil
		},
	}
}

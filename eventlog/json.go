package eventlog

import (
	"bufio"
	"io"
	"time"
)

// record is an event as exported: the kind's presentations come right
// after its name, so a line reads naturally in either language.
type record struct {
	ID          int64          `json:"id"`
	Time        time.Time      `json:"time"`
	Level       Level          `json:"level"`
	Kind        string         `json:"event"`
	RU          string         `json:"event_ru"`
	EN          string         `json:"event_en"`
	User        string         `json:"user,omitempty"`
	Session     string         `json:"session,omitempty"`
	Application string         `json:"application,omitempty"`
	Source      string         `json:"source,omitempty"`
	Object      string         `json:"object,omitempty"`
	Data        map[string]any `json:"data,omitempty"`
	Comment     string         `json:"comment,omitempty"`
}

// MarshalJSON writes the event with its kind's presentations beside the
// name ("event_ru", "event_en"), so an exported log reads without the
// kinds table. Decoding into an Event ignores them.
func (e Event) MarshalJSON() ([]byte, error) {
	k := presentation(e.Kind)
	return marshal(record{
		ID: e.ID, Time: e.Time, Level: e.Level, Kind: e.Kind, RU: k.RU, EN: k.EN,
		User: e.User, Session: e.Session, Application: e.Application, Source: e.Source,
		Object: e.Object, Data: e.Data, Comment: e.Comment,
	})
}

// WriteJSONLines writes the events one JSON object per line, with
// presentations: the export format of the log, which line-oriented tools
// (jq, grep, log shippers) read one event at a time.
func WriteJSONLines(w io.Writer, events []Event) error {
	bw := bufio.NewWriter(w)
	for _, e := range events {
		b, err := e.MarshalJSON()
		if err != nil {
			return err
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

package server

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"dostup/eventlog"
	"dostup/wire"
)

// The log endpoint reads the event log for an administrator, with the
// filters dostup log takes.

func eventLog(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	q := r.URL.Query()
	f := eventlog.Filter{User: q.Get("user"), Kind: q.Get("event"), Session: q.Get("session"), Object: q.Get("object"), Level: eventlog.Level(q.Get("level")), Limit: 1000}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return apiErr(http.StatusBadRequest, "invalid", name+": give a time as RFC 3339, such as 2026-11-23T10:00:00Z")
			}
			*dst = t
		}
	}
	for name, dst := range map[string]*int64{"after": &f.AfterID} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return apiErr(http.StatusBadRequest, "invalid", name+": give a non-negative event id")
			}
			*dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return apiErr(http.StatusBadRequest, "invalid", "limit: give 1 to 10000")
		}
		f.Limit = n
	}
	events, err := a.Auth.EventLog().Query(r.Context(), f)
	if err != nil {
		return apiErr(http.StatusBadRequest, "invalid", err.Error())
	}
	if events == nil {
		events = []eventlog.Event{}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].ID < events[j].ID })
	return writeJSON(w, http.StatusOK, events)
}

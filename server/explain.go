package server

import (
	"errors"
	"net/http"

	"dostup/explain"
	"dostup/infobase"
	"dostup/wire"
)

// explainAccess answers an administrator what dostup explain prints as
// JSON: why a user may or may not exercise a right on an object or one
// record of it.
func explainAccess(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	q := r.URL.Query()
	req := explain.Request{User: q.Get("user"), Right: q.Get("right"), Object: q.Get("object"), Record: q.Get("record")}
	if req.User == "" || req.Right == "" || req.Object == "" {
		return apiErr(http.StatusBadRequest, "invalid", "user, right and object are required (record is optional)")
	}
	ib := a.Auth.Infobase()
	if _, err := ib.User(r.Context(), req.User); err != nil {
		return apiErr(http.StatusNotFound, "not_found", "user: "+err.Error())
	}
	if req.Record != "" {
		id, err := explain.ResolveRecord(r.Context(), ib, req.Object, req.Record)
		if err != nil {
			return apiErr(http.StatusBadRequest, "invalid", "record: "+err.Error())
		}
		req.Record = id
	}
	x, err := explain.Explain(r.Context(), ib, req)
	switch {
	case errors.Is(err, infobase.ErrNoRecord):
		return apiErr(http.StatusNotFound, "not_found", "record: "+err.Error())
	case err != nil:
		return apiErr(http.StatusBadRequest, "invalid", err.Error())
	}
	return writeJSON(w, http.StatusOK, x)
}

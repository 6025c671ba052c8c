package server

import (
	"net/http"

	"dostup/wire"
)

// The sessions endpoints let an administrator see who is logged in and end
// a session, as dostup users sessions and revoke do.

func listSessions(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	list, err := a.Sessions(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list)
}

func revokeSession(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	// authn has no sentinel for an unknown session, so every refusal is
	// answered as one.
	if err := a.Auth.Revoke(r.Context(), r.PathValue("id"), a.By); err != nil {
		return apiErr(http.StatusNotFound, "not_found", err.Error())
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

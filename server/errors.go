package server

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"dostup/authn"
	"dostup/infobase"
	"dostup/rls"
	"dostup/sdbl/source"
)

// writeError answers an error: its own status for an *apiError, one
// chosen by kind for the engine's errors. A database failure is a 500 with
// no details (they go to the server log); input the engine refuses is a
// 400 with the engine's message, which names the place and the problem.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = s.classify(err)
	}
	id := requestID(r.Context())
	if ae.status >= 500 {
		// The answer says nothing of the fault; the id finds it in the log.
		ae.body["request_id"] = id
	}
	if ae.status >= 500 && !errors.Is(err, authn.ErrBusy) { // busy is load, not a fault
		s.log.Error("failed", "request_id", id, "method", r.Method, "path", r.URL.Path, "error", err.Error())
	}
	if stmt := (*infobase.StatementError)(nil); errors.As(err, &stmt) {
		// Bad input, but also what a compiler that let the query through
		// should have refused at its place: worth a look.
		s.log.Warn("query refused by the database", "request_id", id, "path", r.URL.Path, "error", err.Error())
	}
	if errors.Is(err, authn.ErrBusy) || errors.Is(err, authn.ErrTooManyAttempts) {
		// Nothing was checked: a moment later the attempt is welcome.
		w.Header().Set("Retry-After", "1")
	}
	_ = writeJSON(w, ae.status, ae.body)
}

func (s *Server) classify(err error) *apiError {
	var (
		access   *rls.AccessError
		notFound *infobase.NotFoundError
		locked   *authn.LockedError
		policy   *authn.PolicyError
		badName  *infobase.UserNameError
		param    *infobase.ParamError
		stmt     *infobase.StatementError
		list     source.ErrorList
		pgErr    *pgconn.PgError
		liteErr  *sqlite.Error
	)
	switch {
	case errors.As(err, &access):
		e := apiErr(http.StatusForbidden, "access_denied", access.Error())
		e.body["table"], e.body["right"] = access.Object, access.Right.Russian()
		return e
	case errors.Is(err, authn.ErrSessionInvalid):
		return apiErr(http.StatusUnauthorized, "unauthorized", err.Error())
	case errors.Is(err, authn.ErrBadCredentials):
		return apiErr(http.StatusUnauthorized, "bad_credentials", err.Error())
	case errors.Is(err, authn.ErrBusy):
		return apiErr(http.StatusServiceUnavailable, "busy", err.Error())
	case errors.Is(err, authn.ErrTooManyAttempts):
		return apiErr(http.StatusTooManyRequests, "too_many_attempts", err.Error())
	case errors.As(err, &badName):
		return apiErr(http.StatusBadRequest, "invalid", badName.Error())
	case errors.As(err, &locked):
		e := apiErr(http.StatusLocked, "locked", locked.Error())
		e.body["until"] = locked.Until
		return e
	case errors.As(err, &policy):
		e := apiErr(http.StatusBadRequest, "password_policy", policy.Error())
		e.body["violations"] = policy.Violations
		return e
	case errors.Is(err, authn.ErrCannotChangePassword):
		return apiErr(http.StatusForbidden, "cannot_change_password", err.Error())
	case errors.Is(err, authn.ErrNoSecondFactor):
		return apiErr(http.StatusConflict, "no_second_factor", err.Error())
	case errors.As(err, &notFound), errors.Is(err, infobase.ErrNoUser):
		return apiErr(http.StatusNotFound, "not_found", err.Error())
	case errors.Is(err, infobase.ErrVersionConflict):
		return apiErr(http.StatusConflict, "version_conflict", err.Error())
	case errors.Is(err, infobase.ErrLastAdministrator):
		return apiErr(http.StatusConflict, "last_administrator", err.Error())
	case errors.Is(err, infobase.ErrUserExists):
		return apiErr(http.StatusConflict, "exists", err.Error())
	case errors.Is(err, infobase.ErrNotAdministrator), errors.Is(err, infobase.ErrSafeMode):
		return apiErr(http.StatusForbidden, "access_denied", err.Error())
	case errors.As(err, &list):
		e := apiErr(http.StatusBadRequest, "syntax", err.Error())
		// Each error in source.Error's shape (file, line, col, code,
		// message), with "column" kept beside "col" for clients written
		// before the shapes were one.
		var errs []map[string]any
		for _, x := range list {
			item := map[string]any{"message": x.Msg, "code": x.Code}
			if x.Loc.File != nil {
				pos := x.Loc.Position()
				item["file"], item["line"], item["col"], item["column"] = pos.Filename, pos.Line, pos.Column, pos.Column
			}
			errs = append(errs, item)
		}
		e.body["errors"] = errs
		return e
	case errors.As(err, &param):
		e := apiErr(http.StatusBadRequest, "invalid", param.Error())
		e.body["param"] = param.Name
		return e
	case errors.As(err, &stmt):
		return apiErr(http.StatusBadRequest, "query_refused", stmt.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return apiErr(http.StatusServiceUnavailable, "timeout", "the request took too long")
	case errors.Is(err, context.Canceled):
		return apiErr(499, "canceled", "the client went away")
	case errors.As(err, &pgErr), errors.As(err, &liteErr), isFault(err):
		return apiErr(http.StatusInternalServerError, "internal", "internal error")
	}
	return apiErr(http.StatusBadRequest, "invalid", err.Error())
}

// isFault reports an error of the machinery under the engine, which no
// input causes and no client can mend: a database closed or gone, a
// connection lost, the network failing.
func isFault(err error) bool {
	var netErr net.Error
	var connErr *pgconn.ConnectError
	switch {
	case errors.Is(err, sql.ErrConnDone), errors.Is(err, sql.ErrTxDone), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &netErr), errors.As(err, &connErr):
		return true
	}
	// database/sql's own error for a closed pool is not exported.
	return strings.Contains(err.Error(), "sql: database is closed")
}

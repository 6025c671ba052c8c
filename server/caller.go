package server

import (
	"errors"
	"net/http"
	"strings"

	"dostup/authn"
	"dostup/eventlog"
	"dostup/infobase"
	"dostup/metadata/vocab"
	"dostup/rls"
	"dostup/wire"
)

// Who a request acts as: its bearer token's authenticated session, the
// infobase session run with that session's roles, an administrator for the
// admin endpoints, and the step-up asked when a further step would give
// the right a request lacks.

// session authenticates the request's bearer token.
func (s *Server) session(r *http.Request) (*authn.Session, error) {
	tok := bearer(r)
	if tok == "" {
		return nil, apiErr(http.StatusUnauthorized, "unauthorized", "send Authorization: Bearer <token> (POST /api/v1/auth/app or /api/v1/auth/login gives one)")
	}
	return s.auth.Authenticate(r.Context(), tok)
}

func (s *Server) currentSession(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.session(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sess)
}

// userSession is the infobase session a request runs in: the
// authenticated session's user with its active roles. Sessions are kept
// per authenticated session and role set, as starting one computes the
// session parameters.
func (s *Server) userSession(r *http.Request) (*authn.Session, *infobase.Session, error) {
	sess, err := s.session(r)
	if err != nil {
		return nil, nil, err
	}
	if sess.User == "" {
		return sess, nil, s.stepUp(r, sess, &rls.AccessError{Right: vocab.Read})
	}
	if sess.PasswordChangeRequired {
		return sess, nil, apiErr(http.StatusForbidden, "password_change_required", "the password must be changed first: POST /api/v1/auth/password")
	}
	key := sess.ID + "\x00" + strings.Join(sess.Roles, "\x00")
	s.mu.Lock()
	is := s.sessions[key]
	s.mu.Unlock()
	if is != nil {
		return sess, is, nil
	}
	u, err := s.ib.User(r.Context(), sess.User)
	if err != nil {
		return nil, nil, err
	}
	var own, app []string
	for _, role := range sess.Roles {
		if u.HasRole(role) {
			own = append(own, role)
		} else {
			app = append(app, role)
		}
	}
	if own == nil {
		own = []string{}
	}
	is, err = s.ib.NewSession(r.Context(), u.Name, infobase.SessionOptions{Roles: own, AppRoles: app, ID: sess.ID, Source: sess.Source, Application: sess.Application})
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	if len(s.sessions) >= 4096 {
		s.sessions = map[string]*infobase.Session{}
	}
	s.sessions[key] = is
	s.mu.Unlock()
	return sess, is, nil
}

// stepUp turns an access refusal into step_up_required when a further
// step would give the session a role with the right, and logs it.
func (s *Server) stepUp(r *http.Request, sess *authn.Session, denied error) error {
	var ae *rls.AccessError
	if !errors.As(denied, &ae) || ae.Records {
		return denied
	}
	up, err := s.auth.StepUpFor(r.Context(), sess, ae.Right.Russian(), ae.Object)
	if err != nil {
		return err
	}
	if up == nil {
		return denied
	}
	return s.stepUpReply(r, sess, up, ae.Object, ae.Right.Russian())
}

// stepUpReply logs a step-up asked of a session and makes its answer.
func (s *Server) stepUpReply(r *http.Request, sess *authn.Session, up *authn.StepUp, object, right string) error {
	if err := s.auth.EventLog().Append(r.Context(), eventlog.Event{Kind: eventlog.StepUpRequired, User: sess.User, Session: sess.ID,
		Application: sess.Application, Source: clientAddr(r), Object: object,
		Data: map[string]any{"required_role": up.RequiredRole, "next": up.Next, "right": right}}); err != nil {
		return err
	}
	return &apiError{status: http.StatusForbidden, body: map[string]any{"error": up.Error, "required_role": up.RequiredRole, "next": up.Next, "message": up.Message}}
}

// run runs an operation in the request's infobase session; an access
// refusal a further step would lift becomes step_up_required.
func (s *Server) run(r *http.Request, op func(*infobase.Session) error) error {
	sess, is, err := s.userSession(r)
	if err != nil {
		return err
	}
	if err := op(is); err != nil {
		return s.stepUp(r, sess, err)
	}
	return nil
}

// adminHandler is the handler of an administrator's endpoint: it gets the
// administrator's operations, acting as the request's session.
type adminHandler func(w http.ResponseWriter, r *http.Request, a wire.Admin) error

// asAdmin makes h answer only an administrator (admin), before it reads
// anything of the request.
func (s *Server) asAdmin(h adminHandler) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.admin(r)
		if err != nil {
			return err
		}
		return h(w, r, a)
	}
}

// admin authenticates an administrator: a session whose active roles
// grant Администрирование; one whose user could get it by a second factor
// is asked to step up.
func (s *Server) admin(r *http.Request) (wire.Admin, error) {
	sess, err := s.session(r)
	if err != nil {
		return wire.Admin{}, err
	}
	ok, err := s.ib.RolesHaveRight(sess.Roles, "Администрирование", "")
	if err != nil {
		return wire.Admin{}, err
	}
	if !ok {
		denied := apiErr(http.StatusForbidden, "access_denied", "administering users, sessions, the authentication policy and the event log needs the Администрирование (Administration) right")
		up, err := s.auth.StepUpFor(r.Context(), sess, "Администрирование", "")
		if err != nil {
			return wire.Admin{}, err
		}
		if up == nil {
			return wire.Admin{}, denied
		}
		return wire.Admin{}, s.stepUpReply(r, sess, up, "", "Администрирование")
	}
	return wire.Admin{Auth: s.auth, By: authn.Actor{User: sess.User, Session: sess.ID, Source: clientAddr(r)}}, nil
}

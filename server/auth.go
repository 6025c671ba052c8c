package server

import (
	"net/http"

	"dostup/authn"
)

// The auth endpoints are the steps of authentication (seed 002): an
// application's secret, then a user's password, then a second factor when
// a role needs one, and a user's own change of password. Each answers the
// session as it stands, so a client knows which step comes next.

// tokenReply is the answer of each authentication step.
type tokenReply struct {
	Token   string         `json:"token,omitempty"`
	Session *authn.Session `json:"session"`
}

func (s *Server) appLogin(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		App    string `json:"app"`
		Secret string `json:"secret"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.App == "" || in.Secret == "" {
		return apiErr(http.StatusBadRequest, "invalid", "give app and secret")
	}
	token, sess, err := s.auth.AppLogin(r.Context(), in.App, in.Secret, clientAddr(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tokenReply{Token: token, Session: sess})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.User == "" {
		return apiErr(http.StatusBadRequest, "invalid", "give user and password")
	}
	token, sess, err := s.auth.Login(r.Context(), authn.LoginRequest{Token: bearer(r), User: in.User, Password: in.Password, Source: clientAddr(r)})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tokenReply{Token: token, Session: sess})
}

func (s *Server) sendCode(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Device string `json:"device"`
	}
	if err := readOptionalJSON(r, &in); err != nil {
		return err
	}
	sess, err := s.auth.SendCode(r.Context(), bearer(r), in.Device)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"sent": true, "session": sess})
}

func (s *Server) verifyOTP(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Code string `json:"code"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.Code == "" || len(in.Code) > 64 {
		return apiErr(http.StatusBadRequest, "invalid", "give the code")
	}
	sess, err := s.auth.VerifyOTP(r.Context(), bearer(r), in.Code, clientAddr(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tokenReply{Session: sess})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.auth.Logout(r.Context(), bearer(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		User        string `json:"user"`
		OldPassword string `json:"old_password"`
		NewPassword string `json:"new_password"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.User == "" || in.NewPassword == "" {
		return apiErr(http.StatusBadRequest, "invalid", "give user, old_password and new_password")
	}
	// The session the change is made from, if any, stays; the user's
	// others end.
	change := authn.PasswordChange{User: in.User, Old: in.OldPassword, New: in.NewPassword, Source: clientAddr(r), Token: bearer(r)}
	if err := s.auth.ChangePassword(r.Context(), change); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

package server

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"dostup/authn"
	"dostup/eventlog"
	"dostup/infobase"
	"dostup/sqlgen"
	"dostup/wire"
)

//go:embed openapi.json
var openAPI []byte

func (s *Server) routeTable() []route {
	return []route{
		{"GET", "/api/openapi.json", s.openAPI},
		{"GET", "/api/v1/health", s.health},
		{"POST", "/api/v1/auth/app", s.appLogin},
		{"POST", "/api/v1/auth/login", s.login},
		{"POST", "/api/v1/auth/otp/send", s.sendCode},
		{"POST", "/api/v1/auth/otp", s.verifyOTP},
		{"POST", "/api/v1/auth/logout", s.logout},
		{"POST", "/api/v1/auth/password", s.changePassword},
		{"GET", "/api/v1/session", s.currentSession},
		{"POST", "/api/v1/query", s.query},
		{"POST", "/api/v1/objects/{type}", s.createObject},
		{"GET", "/api/v1/objects/{type}/{ref}", s.readObject},
		{"PUT", "/api/v1/objects/{type}/{ref}", s.updateObject},
		{"DELETE", "/api/v1/objects/{type}/{ref}", s.deleteObject},
		{"POST", "/api/v1/objects/{type}/{ref}/post", s.postObject},
		{"POST", "/api/v1/objects/{type}/{ref}/unpost", s.unpostObject},
		{"GET", "/api/v1/users", s.listUsers},
		{"POST", "/api/v1/users", s.addUser},
		{"GET", "/api/v1/users/{name}", s.showUser},
		{"PATCH", "/api/v1/users/{name}", s.patchUser},
		{"DELETE", "/api/v1/users/{name}", s.deleteUser},
		{"POST", "/api/v1/users/{name}/password", s.setPassword},
		{"POST", "/api/v1/users/{name}/lock", s.lockUser},
		{"POST", "/api/v1/users/{name}/unlock", s.unlockUser},
		{"GET", "/api/v1/policy", s.getPolicy},
		{"PUT", "/api/v1/policy", s.putPolicy},
		{"GET", "/api/v1/sessions", s.listSessions},
		{"DELETE", "/api/v1/sessions/{id}", s.revokeSession},
		{"GET", "/api/v1/log", s.eventLog},
	}
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(openAPI)
	return err
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

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
		return sess, nil, s.stepUp(r, sess, &sqlgen.AccessError{Right: "Чтение"})
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
	var ae *sqlgen.AccessError
	if !errors.As(denied, &ae) || ae.Records {
		return denied
	}
	up, err := s.auth.StepUpFor(r.Context(), sess, ae.Right, ae.Object)
	if err != nil {
		return err
	}
	if up == nil {
		return denied
	}
	return s.stepUpReply(r, sess, up, ae.Object, ae.Right)
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

func (s *Server) query(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Text   string         `json:"text"`
		Params map[string]any `json:"params"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Text) == "" {
		return apiErr(http.StatusBadRequest, "invalid", "give the query text")
	}
	params, err := queryParams(in.Params)
	if err != nil {
		return err
	}
	var res *infobase.Result
	if err := s.run(r, func(is *infobase.Session) error {
		var err error
		res, err = is.Query(r.Context(), in.Text, params)
		return err
	}); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, wire.Result(res))
}

// queryParams turns JSON parameter values into query values: numbers
// exact, strings, booleans, null; a date is a string the query compares
// as a date where its type says so.
func queryParams(in map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range in {
		name := strings.TrimPrefix(strings.TrimSpace(k), "&")
		if name == "" {
			return nil, apiErr(http.StatusBadRequest, "invalid", "a parameter without a name")
		}
		switch v := v.(type) {
		case json.Number:
			out[name] = infobase.Number(v.String())
		case string, bool, nil:
			out[name] = v
		case []any:
			list := make([]any, len(v))
			for i, x := range v {
				if n, ok := x.(json.Number); ok {
					x = infobase.Number(n.String())
				}
				list[i] = x
			}
			out[name] = list
		default:
			return nil, apiErr(http.StatusBadRequest, "invalid", "parameter "+name+": give a string, number, boolean, null or a list of them")
		}
	}
	return out, nil
}

// objectType checks the {type} of a path: a full object name of the
// configuration.
func (s *Server) objectType(r *http.Request) (string, error) {
	t := r.PathValue("type")
	o := s.ib.Config.Object(t)
	if o == nil {
		return "", apiErr(http.StatusNotFound, "not_found", "no object type "+strconv.Quote(t)+" in the configuration (give a full name such as Справочник.Контрагенты)")
	}
	return o.FullName(false), nil
}

func (s *Server) objectRef(r *http.Request) (string, string, error) {
	t, err := s.objectType(r)
	if err != nil {
		return "", "", err
	}
	ref := r.PathValue("ref")
	if !isUUID(ref) {
		return "", "", apiErr(http.StatusBadRequest, "invalid", "the reference "+strconv.Quote(ref)+" is not a UUID")
	}
	return t, ref, nil
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'):
			return false
		}
	}
	return true
}

func writeObject(w http.ResponseWriter, status int, o *infobase.Object) error {
	w.WriteHeader(status)
	_, err := w.Write(append(wire.Object(o), '\n'))
	return err
}

func (s *Server) putObject(w http.ResponseWriter, r *http.Request, t, ref string) error {
	var values map[string]any
	if err := readJSON(r, &values); err != nil {
		return err
	}
	if values == nil {
		return apiErr(http.StatusBadRequest, "invalid", "send the object's values as a JSON object")
	}
	// The path names the object written: a reference in the body (Ссылка
	// or Ref, in any letter case) may only repeat it.
	for k, given := range values {
		if !strings.EqualFold(k, "Ссылка") && !strings.EqualFold(k, "Ref") {
			continue
		}
		if ref == "" {
			return apiErr(http.StatusBadRequest, "invalid", "a new object has no "+k+": PUT /api/v1/objects/{type}/{ref} updates one")
		}
		if id, ok := given.(string); !ok || !strings.EqualFold(id, ref) {
			return apiErr(http.StatusBadRequest, "invalid", fmt.Sprintf("%s in the body (%v) differs from the reference in the path (%s): the path names the object written", k, given, ref))
		}
		delete(values, k)
	}
	if ref != "" {
		values["Ссылка"] = ref
	}
	numbers(values)
	var obj *infobase.Object
	err := s.run(r, func(is *infobase.Session) error {
		id, err := wire.PutObject(r.Context(), is, s.ib.Config.Object(t), values)
		if err != nil {
			return err
		}
		obj, err = is.Read(r.Context(), t, id)
		return err
	})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if ref == "" {
		status = http.StatusCreated
	}
	return writeObject(w, status, obj)
}

// numbers turns json.Number values (bodies are decoded with UseNumber so
// no digit is lost) into the infobase's exact numbers.
func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		return infobase.Number(x.String())
	case map[string]any:
		for k, e := range x {
			x[k] = numbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbers(e)
		}
	}
	return v
}

func (s *Server) createObject(w http.ResponseWriter, r *http.Request) error {
	t, err := s.objectType(r)
	if err != nil {
		return err
	}
	return s.putObject(w, r, t, "")
}

func (s *Server) updateObject(w http.ResponseWriter, r *http.Request) error {
	t, ref, err := s.objectRef(r)
	if err != nil {
		return err
	}
	return s.putObject(w, r, t, ref)
}

// onObject runs an operation on the object the path names, in the
// request's session, and answers with the object it returns.
func (s *Server) onObject(w http.ResponseWriter, r *http.Request, op func(is *infobase.Session, t, ref string) (*infobase.Object, error)) error {
	t, ref, err := s.objectRef(r)
	if err != nil {
		return err
	}
	var obj *infobase.Object
	if err := s.run(r, func(is *infobase.Session) error {
		var err error
		obj, err = op(is, t, ref)
		return err
	}); err != nil {
		return err
	}
	return writeObject(w, http.StatusOK, obj)
}

func (s *Server) readObject(w http.ResponseWriter, r *http.Request) error {
	return s.onObject(w, r, func(is *infobase.Session, t, ref string) (*infobase.Object, error) {
		return is.Read(r.Context(), t, ref)
	})
}

// deleteObject answers with the object as it was.
func (s *Server) deleteObject(w http.ResponseWriter, r *http.Request) error {
	return s.onObject(w, r, func(is *infobase.Session, t, ref string) (*infobase.Object, error) {
		obj, err := is.Read(r.Context(), t, ref)
		if err != nil {
			return nil, err
		}
		return obj, is.Delete(r.Context(), t, ref)
	})
}

func (s *Server) postObject(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Movements []struct {
			Register string           `json:"register"`
			Records  []map[string]any `json:"records"`
		} `json:"movements"`
	}
	return s.onObject(w, r, func(is *infobase.Session, t, ref string) (*infobase.Object, error) {
		if err := readOptionalJSON(r, &in); err != nil {
			return nil, err
		}
		var sets []infobase.RecordSet
		for _, m := range in.Movements {
			for _, rec := range m.Records {
				numbers(rec)
			}
			sets = append(sets, infobase.RecordSet{Register: m.Register, Records: m.Records})
		}
		if err := is.Post(r.Context(), t, ref, sets); err != nil {
			return nil, err
		}
		return is.Read(r.Context(), t, ref)
	})
}

func (s *Server) unpostObject(w http.ResponseWriter, r *http.Request) error {
	return s.onObject(w, r, func(is *infobase.Session, t, ref string) (*infobase.Object, error) {
		if err := is.Unpost(r.Context(), t, ref); err != nil {
			return nil, err
		}
		return is.Read(r.Context(), t, ref)
	})
}

// readOptionalJSON is readJSON for a body that may be empty.
func readOptionalJSON(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return readJSON(r, v)
}

// admin authenticates an administrator: a session whose active roles
// grant Администрирование; one whose user could get it by a second factor
// is asked to step up.
func (s *Server) admin(r *http.Request) (authn.Actor, error) {
	sess, err := s.session(r)
	if err != nil {
		return authn.Actor{}, err
	}
	ok, err := s.ib.RolesHaveRight(sess.Roles, "Администрирование", "")
	if err != nil {
		return authn.Actor{}, err
	}
	if !ok {
		denied := apiErr(http.StatusForbidden, "access_denied", "administering users, sessions, the authentication policy and the event log needs the Администрирование (Administration) right")
		up, err := s.auth.StepUpFor(r.Context(), sess, "Администрирование", "")
		if err != nil {
			return authn.Actor{}, err
		}
		if up == nil {
			return authn.Actor{}, denied
		}
		return authn.Actor{}, s.stepUpReply(r, sess, up, "", "Администрирование")
	}
	return authn.Actor{User: sess.User, Session: sess.ID, Source: clientAddr(r)}, nil
}

// userView is a user as the API shows it: never a hash or a secret.
type userView struct {
	Name                 string    `json:"name"`
	FullName             string    `json:"full_name,omitempty"`
	Email                string    `json:"email,omitempty"`
	Roles                []string  `json:"roles"`
	OSUser               string    `json:"os_user,omitempty"`
	ShowInList           bool      `json:"show_in_list"`
	CannotChangePassword bool      `json:"cannot_change_password"`
	PasswordAuth         bool      `json:"password_auth"`
	HasPassword          bool      `json:"has_password"`
	PasswordSetAt        time.Time `json:"password_set_at,omitzero"`
	MustChangePassword   bool      `json:"must_change_password"`
	TOTP                 bool      `json:"totp"`
	Devices              []string  `json:"devices,omitempty"`
	RecoveryCodes        int       `json:"recovery_codes"`
}

func viewOf(u *infobase.User) userView {
	return userView{Name: u.Name, FullName: u.FullName, Email: u.Email, Roles: u.Roles, OSUser: u.OSUser, ShowInList: u.ShowInList,
		CannotChangePassword: u.CannotChangePassword, PasswordAuth: u.PasswordAuth, HasPassword: u.PasswordHash != "",
		PasswordSetAt: u.PasswordSetAt, MustChangePassword: u.MustChangePassword, TOTP: u.SecondFactor.TOTPSecret != "",
		Devices: u.SecondFactor.Devices, RecoveryCodes: len(u.SecondFactor.RecoveryCodes)}
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.admin(r); err != nil {
		return err
	}
	users, err := s.ib.Users(r.Context())
	if err != nil {
		return err
	}
	out := []userView{}
	for _, u := range users {
		out = append(out, viewOf(u))
	}
	return writeJSON(w, http.StatusOK, out)
}

// pathUser is the {name} of a path, normalised as every user name on
// input is (infobase.NormalizeUserName); a name it refuses is a 400.
func pathUser(r *http.Request) (string, error) {
	return infobase.NormalizeUserName(r.PathValue("name"))
}

func (s *Server) showUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.admin(r); err != nil {
		return err
	}
	name, err := pathUser(r)
	if err != nil {
		return err
	}
	u, err := s.ib.User(r.Context(), name)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewOf(u))
}

// userInput are the fields a client may set on a user; absent ones stay.
type userInput struct {
	Name                 *string   `json:"name"`
	FullName             *string   `json:"full_name"`
	Email                *string   `json:"email"`
	Roles                *[]string `json:"roles"`
	OSUser               *string   `json:"os_user"`
	ShowInList           *bool     `json:"show_in_list"`
	CannotChangePassword *bool     `json:"cannot_change_password"`
	PasswordAuth         *bool     `json:"password_auth"`
	MustChangePassword   *bool     `json:"must_change_password"`
	Devices              *[]string `json:"devices"`
	Password             *string   `json:"password"`
}

func (in *userInput) apply(u *infobase.User) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	setb := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	set(&u.FullName, in.FullName)
	set(&u.Email, in.Email)
	set(&u.OSUser, in.OSUser)
	setb(&u.ShowInList, in.ShowInList)
	setb(&u.CannotChangePassword, in.CannotChangePassword)
	setb(&u.PasswordAuth, in.PasswordAuth)
	setb(&u.MustChangePassword, in.MustChangePassword)
	if in.Roles != nil {
		u.Roles = append([]string{}, *in.Roles...)
	}
	if in.Devices != nil {
		u.SecondFactor.Devices = append([]string(nil), *in.Devices...)
	}
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request) error {
	by, err := s.admin(r)
	if err != nil {
		return err
	}
	var in userInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.Name == nil {
		return apiErr(http.StatusBadRequest, "invalid", "a new user needs a name")
	}
	name, err := infobase.NormalizeUserName(*in.Name)
	if err != nil {
		return err
	}
	u := &infobase.User{Name: name, ShowInList: true, PasswordAuth: true}
	in.apply(u)
	password := ""
	if in.Password != nil {
		password = *in.Password
	}
	if err := s.auth.AddUser(r.Context(), u, password, by); err != nil {
		return err
	}
	stored, err := s.ib.User(r.Context(), u.Name)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, viewOf(stored))
}

func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) error {
	by, err := s.admin(r)
	if err != nil {
		return err
	}
	var in userInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.Password != nil {
		return apiErr(http.StatusBadRequest, "invalid", "set a password with POST /api/v1/users/{name}/password")
	}
	name, err := pathUser(r)
	if err != nil {
		return err
	}
	if in.Name != nil {
		if given, err := infobase.NormalizeUserName(*in.Name); err != nil || !strings.EqualFold(given, name) {
			return apiErr(http.StatusBadRequest, "invalid", "a user's name cannot be changed")
		}
	}
	u, err := s.auth.UpdateUser(r.Context(), name, func(u *infobase.User) error {
		in.apply(u)
		return nil
	}, by)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewOf(u))
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) error {
	by, err := s.admin(r)
	if err != nil {
		return err
	}
	name, err := pathUser(r)
	if err != nil {
		return err
	}
	if strings.EqualFold(by.User, name) {
		return apiErr(http.StatusConflict, "invalid", "an administrator cannot delete the user it is logged in as")
	}
	if err := s.auth.DeleteUser(r.Context(), name, by); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) error {
	by, err := s.admin(r)
	if err != nil {
		return err
	}
	var in struct {
		Password   string `json:"password"`
		MustChange bool   `json:"must_change"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	name, err := pathUser(r)
	if err != nil {
		return err
	}
	// The user's sessions end with the old password.
	if _, err := s.auth.SetPassword(r.Context(), name, in.Password, in.MustChange, by); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) lockUser(w http.ResponseWriter, r *http.Request) error {
	by, err := s.admin(r)
	if err != nil {
		return err
	}
	name, err := pathUser(r)
	if err != nil {
		return err
	}
	// Lock ends the user's sessions with it.
	if _, err := s.auth.Lock(r.Context(), name, by); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) unlockUser(w http.ResponseWriter, r *http.Request) error {
	by, err := s.admin(r)
	if err != nil {
		return err
	}
	name, err := pathUser(r)
	if err != nil {
		return err
	}
	if err := s.auth.Unlock(r.Context(), name, "", by); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listSessions(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.admin(r); err != nil {
		return err
	}
	list, err := s.auth.Sessions(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []*authn.Session{}
	}
	return writeJSON(w, http.StatusOK, list)
}

func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request) error {
	by, err := s.admin(r)
	if err != nil {
		return err
	}
	if err := s.auth.Revoke(r.Context(), r.PathValue("id"), by); err != nil {
		return apiErr(http.StatusNotFound, "not_found", err.Error())
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) eventLog(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.admin(r); err != nil {
		return err
	}
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
	events, err := s.auth.EventLog().Query(r.Context(), f)
	if err != nil {
		return apiErr(http.StatusBadRequest, "invalid", err.Error())
	}
	if events == nil {
		events = []eventlog.Event{}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].ID < events[j].ID })
	return writeJSON(w, http.StatusOK, events)
}

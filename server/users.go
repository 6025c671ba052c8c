package server

import (
	"net/http"
	"strings"

	"dostup/infobase"
	"dostup/wire"
)

// The users endpoints are the administrator's console over HTTP: every
// operation is wire.Admin's, the one dostup users runs too, and a user is
// answered as wire.User in the API's form.

// apiUser is a user as the API answers it (wire.User.MarshalAPI).
type apiUser wire.User

// MarshalJSON writes the API's form of the user.
func (u apiUser) MarshalJSON() ([]byte, error) { return wire.User(u).MarshalAPI() }

// userInput is the body of POST and PATCH /api/v1/users: the change, and
// beside it the name (a new user's, or the path's repeated) and a new
// user's password.
type userInput struct {
	Name *string `json:"name"`
	wire.UserChange
	Password *string `json:"password"`
}

func listUsers(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	users, err := a.Users(r.Context())
	if err != nil {
		return err
	}
	out := make([]apiUser, len(users))
	for i, u := range users {
		out[i] = apiUser(u)
	}
	return writeJSON(w, http.StatusOK, out)
}

func showUser(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	u, err := a.User(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, apiUser(u))
}

// readUserInput reads the body of POST /api/v1/users (isNew: a name is
// needed) or of PATCH, where a password is refused: it has an endpoint of
// its own, which ends the user's sessions.
func readUserInput(r *http.Request, isNew bool) (userInput, error) {
	var in userInput
	if err := readJSON(r, &in); err != nil {
		return in, err
	}
	switch {
	case isNew && in.Name == nil:
		return in, apiErr(http.StatusBadRequest, "invalid", "a new user needs a name")
	case !isNew && in.Password != nil:
		return in, apiErr(http.StatusBadRequest, "invalid", "set a password with POST /api/v1/users/{name}/password")
	}
	return in, nil
}

func addUser(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	in, err := readUserInput(r, true)
	if err != nil {
		return err
	}
	password := ""
	if in.Password != nil {
		password = *in.Password
	}
	u, err := a.AddUser(r.Context(), *in.Name, in.UserChange, password)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, apiUser(u))
}

func patchUser(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
	in, err := readUserInput(r, false)
	if err != nil {
		return err
	}
	name, err := infobase.NormalizeUserName(r.PathValue("name"))
	if err != nil {
		return err
	}
	// The path names the user; a name in the body may only repeat it.
	if in.Name != nil {
		if given, err := infobase.NormalizeUserName(*in.Name); err != nil || !strings.EqualFold(given, name) {
			return apiErr(http.StatusBadRequest, "invalid", "a user's name cannot be changed")
		}
	}
	u, err := a.ChangeUser(r.Context(), name, in.UserChange)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, apiUser(u))
}

// onUser makes the handler of an administrator's operation on the user the
// path names (as given: the operation normalises it), answered 204 No
// Content.
func onUser(op func(r *http.Request, a wire.Admin, name string) error) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, a wire.Admin) error {
		if err := op(r, a, r.PathValue("name")); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func deleteUser(r *http.Request, a wire.Admin, name string) error {
	n, err := infobase.NormalizeUserName(name)
	if err != nil {
		return err
	}
	if strings.EqualFold(a.By.User, n) {
		return apiErr(http.StatusConflict, "invalid", "an administrator cannot delete the user it is logged in as")
	}
	_, err = a.DeleteUser(r.Context(), n)
	return err
}

func setPassword(r *http.Request, a wire.Admin, name string) error {
	var in struct {
		Password   string `json:"password"`
		MustChange bool   `json:"must_change"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	_, err := a.SetPassword(r.Context(), name, in.Password, in.MustChange)
	return err
}

func lockUser(r *http.Request, a wire.Admin, name string) error {
	_, err := a.Lock(r.Context(), name)
	return err
}

func unlockUser(r *http.Request, a wire.Admin, name string) error {
	return a.Unlock(r.Context(), name, "")
}

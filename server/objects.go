package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"dostup/infobase"
	"dostup/wire"
)

// The objects endpoints read, write, delete, post and unpost objects as
// the request's user, in the JSON form the CLI's object commands use
// (wire.Object, wire.PutObject).

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

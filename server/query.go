package server

import (
	"encoding/json"
	"net/http"
	"strings"

	"dostup/infobase"
	"dostup/wire"
)

// The query endpoint runs a query in the 1C query language as the
// request's user, through rights and record-level security, and answers
// the result as the CLI's --format json prints it (wire.Result).

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

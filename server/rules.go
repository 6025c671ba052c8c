package server

import (
	"errors"
	"net/http"
	"time"

	"dostup/rules"
	"dostup/wire"
)

// The rules endpoints decide requests against the rules register the
// server was given (dostup serve --rules DIR) and apply orders to it. The
// orders live in the infobase (rules/store), so every server process on
// one database decides by an order from its next decision.

// errNoRules answers a server started without a rules register.
var errNoRules = apiErr(http.StatusNotFound, "not_found", "this server has no rules register (start it with dostup serve --rules DIR)")

// rulesDecide decides a request for any authenticated caller: the values
// of the register's properties, at a moment (default now).
func (s *Server) rulesDecide(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.session(r); err != nil {
		return err
	}
	if s.cfg.Rules == nil {
		return errNoRules
	}
	var in struct {
		Values map[string]any `json:"values"`
		At     string         `json:"at"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	var at time.Time
	if in.At != "" {
		var err error
		if at, err = parseMoment(in.At); err != nil {
			return apiErr(http.StatusBadRequest, "invalid", "at: "+err.Error())
		}
	}
	// The register as the database has it now: an order another process
	// committed is in it.
	reg, err := s.cfg.Rules.Register(r.Context())
	if err != nil {
		return err
	}
	if at.IsZero() {
		at = time.Now()
	}
	set, err := reg.At(at)
	if err != nil {
		return apiErr(http.StatusBadRequest, "invalid", "at: "+err.Error())
	}
	d, err := set.Decide(r.Context(), &rules.Request{Values: in.Values})
	if err != nil {
		// An unknown property, a value that does not fit its property.
		return apiErr(http.StatusBadRequest, "invalid", err.Error())
	}
	return writeJSON(w, http.StatusOK, d)
}

// parseMoment reads a moment as RFC 3339 or a date (2006-01-02).
func parseMoment(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New("give a date (2026-12-31) or a moment in RFC 3339 (2026-12-31T15:04:05+03:00)")
}

// rulesOrders lists the register's orders, by date and number.
func (s *Server) rulesOrders(w http.ResponseWriter, r *http.Request, _ wire.Admin) error {
	if s.cfg.Rules == nil {
		return errNoRules
	}
	reg, err := s.cfg.Rules.Register(r.Context())
	if err != nil {
		return err
	}
	orders := reg.Orders
	if orders == nil {
		orders = []*rules.Order{}
	}
	return writeJSON(w, http.StatusOK, orders)
}

// applyOrder commits an order, given as the YAML text dostup rules order
// apply reads from a file, checked against the register in force.
func (s *Server) applyOrder(w http.ResponseWriter, r *http.Request, _ wire.Admin) error {
	if s.cfg.Rules == nil {
		return errNoRules
	}
	var in struct {
		Text string `json:"text"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.Text == "" {
		return apiErr(http.StatusBadRequest, "invalid", "text: give the order as YAML (order: number, date, author, reason, add, remove)")
	}
	reg, err := s.cfg.Rules.Register(r.Context())
	if err != nil {
		return err
	}
	o, err := rules.ParseOrder(reg.Config, "order", []byte(in.Text))
	if err != nil {
		return apiErr(http.StatusBadRequest, "invalid", err.Error())
	}
	applied, err := s.cfg.Rules.Apply(r.Context(), o)
	if err != nil {
		return apiErr(http.StatusConflict, "conflict", err.Error())
	}
	return writeJSON(w, http.StatusCreated, applied)
}

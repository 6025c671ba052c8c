package authn

import (
	"context"
	"sort"
)

// StepUp tells a client which role an operation needs and the next step
// that would give it to the session: "login" (name and password) or "otp"
// (the second factor).
type StepUp struct {
	Error        string `json:"error"` // always "step_up_required"
	RequiredRole string `json:"required_role,omitempty"`
	Next         string `json:"next"`
	Message      string `json:"message"`
}

// StepUpFor says whether a session refused a right (on object, or a
// global right when object is "") could get it by a further step, and
// which. It is nil when no step would help: the refusal stands.
func (s *Service) StepUpFor(ctx context.Context, sess *Session, right, object string) (*StepUp, error) {
	if sess.User == "" {
		// Any role granting the right is held by users, not applications:
		// name one so the client can tell the user why a login is asked.
		var names []string
		for _, r := range s.ib.Config.Roles {
			names = append(names, r.Name)
		}
		sort.Strings(names)
		for _, r := range names {
			ok, err := s.ib.RolesHaveRight([]string{r}, right, object)
			if err != nil {
				return nil, err
			}
			if ok {
				return &StepUp{Error: "step_up_required", RequiredRole: r, Next: "login", Message: "log in with a user name and password"}, nil
			}
		}
		return &StepUp{Error: "step_up_required", Next: "login", Message: "log in with a user name and password"}, nil
	}
	u, err := s.ib.User(ctx, sess.User)
	if err != nil {
		return nil, err
	}
	for _, r := range u.Roles {
		if sess.Has(r) || !s.roleNeedsSecondFactor(r) {
			continue
		}
		ok, err := s.ib.RolesHaveRight([]string{r}, right, object)
		if err != nil {
			return nil, err
		}
		if ok {
			return &StepUp{Error: "step_up_required", RequiredRole: r, Next: "otp", Message: "role " + r + " needs a second factor: send an OTP code"}, nil
		}
	}
	return nil, nil
}

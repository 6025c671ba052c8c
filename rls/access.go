package rls

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"dostup/metadata"
	"dostup/metadata/vocab"
	"dostup/sdbl/parser"
	"dostup/sdbl/preproc"
	"dostup/sdbl/source"
	"dostup/sdbl/template"
)

// Policy holds the roles of a configuration prepared for sessions: each
// role's templates parsed once, each restriction expanded and its
// preprocessor directives parsed once per table, on first use and shared
// by every session.
// It is safe for concurrent use.
type Policy struct {
	cfg   *metadata.Configuration
	roles map[string]*rolePolicy // by lower-cased name

	mu       sync.Mutex
	programs map[*metadata.Restriction]*preparedRestriction
}

type rolePolicy struct {
	role *metadata.Role
	// The role's templates are built on the first restriction of the role
	// a session needs: a big application copies the same templates into
	// hundreds of roles (unf30: 890 of them, 125 MB), and a session holds
	// a few roles.
	once      sync.Once
	templates *template.Set
	err       error // the role's templates do not build
}

// build makes the role's templates, once.
func (rp *rolePolicy) build() (*template.Set, error) {
	rp.once.Do(func() {
		var list []*template.Template
		for _, t := range rp.role.Templates {
			tt, err := template.New(t.Name, t.Condition)
			if err != nil {
				rp.err = err
				return
			}
			list = append(list, tt)
		}
		rp.templates, rp.err = template.NewSet(list...)
	})
	return rp.templates, rp.err
}

// preparedRestriction is a restriction with its templates expanded: the
// preprocessor program every session evaluates with its own parameters.
type preparedRestriction struct {
	prog *preproc.Program
	err  error
}

// NewPolicy prepares the roles of a configuration. A role's templates are
// built when a session first needs a restriction of the role, and
// templates that do not build are reported then.
func NewPolicy(cfg *metadata.Configuration) *Policy {
	p := &Policy{cfg: cfg, roles: map[string]*rolePolicy{}, programs: map[*metadata.Restriction]*preparedRestriction{}}
	for _, r := range cfg.Roles {
		p.roles[strings.ToLower(r.Name)] = &rolePolicy{role: r}
	}
	return p
}

// Config is the configuration the policy was made for.
func (p *Policy) Config() *metadata.Configuration { return p.cfg }

// prepare expands a restriction's templates for its table and right and
// parses its preprocessor directives, once.
func (p *Policy) prepare(rp *rolePolicy, obj *metadata.Object, right vocab.Right, r *metadata.Restriction) (*preproc.Program, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pr, ok := p.programs[r]; ok {
		return pr.prog, pr.err
	}
	pr := &preparedRestriction{}
	if templates, err := rp.build(); err != nil {
		pr.err = err
	} else {
		ctx := template.Context{Table: obj.FullName(p.cfg.English), Right: right.Name(p.cfg.English)}
		expanded, err := template.Expand(source.FromFile(r.Condition), templates, ctx)
		if err == nil {
			pr.prog, err = preproc.Parse(expanded)
		}
		pr.err = err
	}
	p.programs[r] = pr
	return pr.prog, pr.err
}

// Session is the access of one session: its roles and the values of its
// session parameters and functional options, which choose the branches of
// the preprocessor. It is the sqlgen.Access the query compiler asks for
// plans, and caches what it prepares; it is safe for concurrent use.
type Session struct {
	policy *Policy
	roles  []*rolePolicy
	params preproc.Params
	key    string

	mu    sync.Mutex
	cache map[string]grantsResult
}

type grantsResult struct {
	grants []grant
	err    error
}

// Session makes the access of a session holding roles (unknown names are
// an error) with parameter values as the preprocessor compares them
// (string, bool, float64, preproc.Ref, nil).
func (p *Policy) Session(roles []string, params preproc.Params) (*Session, error) {
	s := &Session{policy: p, params: params, cache: map[string]grantsResult{}}
	names := make([]string, 0, len(roles))
	for _, name := range roles {
		rp := p.roles[strings.ToLower(name)]
		if rp == nil {
			return nil, fmt.Errorf("no role %s in the configuration", name)
		}
		s.roles = append(s.roles, rp)
		names = append(names, rp.role.Name)
	}
	sort.Strings(names)
	var pk []string
	for k, v := range params {
		pk = append(pk, fmt.Sprintf("%s=%T:%v", strings.ToLower(k), v, v))
	}
	sort.Strings(pk)
	s.key = strings.Join(names, ",") + "|" + strings.Join(pk, "|")
	return s, nil
}

// Key identifies what the session's access depends on (its roles and
// parameter values): sessions with equal keys compile queries alike.
func (s *Session) Key() string { return s.key }

// Plan decides the records of object (its full Russian name,
// Справочник.Контрагенты) the session may use with right (Read, Insert,
// Update, Delete, Posting, UndoPosting) when the operation reads fields: the §3.2 semantics of AND within a role and OR
// across roles, field restrictions and message variants.
func (s *Session) Plan(object string, right vocab.Right, fields Fields) (Plan, error) {
	grants, err := s.cachedGrants(object, right)
	if err != nil {
		return Plan{}, err
	}
	return plan(grants, fields), nil
}

// RoleGrant is one role's grant of a right on an object as a session
// sees it: the role's restrictions of the right, prepared for the session
// (templates expanded, the preprocessor evaluated with its parameters).
// No condition means the role grants every record.
type RoleGrant struct {
	Role       string
	Conditions []Condition
}

// Grants lists the session's roles that grant right on object, with their
// restrictions as the session reads them: what an audit or an explanation
// shows, where Plan only decides.
func (s *Session) Grants(object string, right vocab.Right) ([]RoleGrant, error) {
	grants, err := s.cachedGrants(object, right)
	if err != nil {
		return nil, err
	}
	out := make([]RoleGrant, len(grants))
	for i, g := range grants {
		out[i] = RoleGrant{Role: g.role, Conditions: g.restrictions}
	}
	return out, nil
}

// cachedGrants are the session's roles that grant right on object, with
// their restrictions of it evaluated for the session, prepared once.
func (s *Session) cachedGrants(object string, right vocab.Right) ([]grant, error) {
	key := strings.ToLower(object) + "\x00" + string(right)
	s.mu.Lock()
	if r, ok := s.cache[key]; ok {
		s.mu.Unlock()
		return r.grants, r.err
	}
	s.mu.Unlock()
	grants, err := s.grants(object, right)
	s.mu.Lock()
	s.cache[key] = grantsResult{grants, err}
	s.mu.Unlock()
	return grants, err
}

func (s *Session) grants(object string, right vocab.Right) ([]grant, error) {
	cfg := s.policy.cfg
	obj := cfg.Object(object)
	if obj == nil {
		return nil, fmt.Errorf("%s is not in the configuration", object)
	}
	var out []grant
	for _, rp := range s.roles {
		or := rp.role.ObjectRights(cfg, object)
		if or == nil || !or.Has(string(right)) {
			continue
		}
		g := grant{role: rp.role.Name}
		if right.Restrictable() {
			for _, r := range or.RestrictionsOf(string(right)) {
				c, err := s.condition(rp, obj, right, r)
				if err != nil {
					return nil, fmt.Errorf("role %s, %s, %s: %w", rp.role.Name, obj.FullName(cfg.English), right.Name(cfg.English), err)
				}
				g.restrictions = append(g.restrictions, c)
			}
		}
		out = append(out, g)
	}
	return out, nil
}

// condition is a restriction as this session reads it.
func (s *Session) condition(rp *rolePolicy, obj *metadata.Object, right vocab.Right, r *metadata.Restriction) (Condition, error) {
	prog, err := s.policy.prepare(rp, obj, right, r)
	if err != nil {
		return Condition{}, err
	}
	text, err := prog.Eval(s.params)
	if err != nil {
		return Condition{}, err
	}
	c := Condition{Fields: r.Fields, Text: text}
	if msg, ok := MessageOf(text.Body); ok {
		c.Message = msg
		return c, nil
	}
	c.Tree, err = parser.ParseRestriction(text)
	if err != nil {
		return Condition{}, err
	}
	return c, nil
}

// HasRight reports whether any of the roles grants right on object, or the
// global right when object is "".
func (p *Policy) HasRight(roles []string, right, object string) (bool, error) {
	for _, name := range roles {
		rp := p.roles[strings.ToLower(name)]
		if rp == nil {
			return false, fmt.Errorf("no role %s in the configuration", name)
		}
		if object == "" {
			if rp.role.HasGlobalRight(right) {
				return true, nil
			}
			continue
		}
		if p.cfg.Object(object) == nil {
			return false, fmt.Errorf("%s is not in the configuration", object)
		}
		if or := rp.role.ObjectRights(p.cfg, object); or != nil && or.Has(right) {
			return true, nil
		}
	}
	return false, nil
}

// HasFieldRight reports whether any of the roles grants Просмотр or
// Редактирование (View, Edit) of a field of object: an attribute, tabular
// section or ТЧ.Реквизит, decided as metadata.Role.FieldRight says (the
// field's own entry, the role's default for fields, and the object's right
// unless the role's child objects have independent rights). It is
// ПравоДоступа asked of a field.
func (p *Policy) HasFieldRight(roles []string, right, object, field string) (bool, error) {
	if p.cfg.Object(object) == nil {
		return false, fmt.Errorf("%s is not in the configuration", object)
	}
	for _, name := range roles {
		rp := p.roles[strings.ToLower(name)]
		if rp == nil {
			return false, fmt.Errorf("no role %s in the configuration", name)
		}
		if rp.role.FieldRight(p.cfg, object, field, right) {
			return true, nil
		}
	}
	return false, nil
}

package rules

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Provider computes a property of a context when a rule needs it and the
// caller did not give it: the days from the actuality point, the goods of a
// document. It may read the values the caller gave (req.Values). The engine
// calls it at most once per decision, and only when a rule still in the
// running has a condition on the property.
type Provider func(ctx context.Context, req *Request) (any, error)

// Property is one declared property of contexts.
type Property struct {
	Name     string   // the Russian name, as rules write it (Роль)
	EN       string   // the English name (Role); either names the property
	Type     Type     // kind of values, and whether a list
	Provider Provider // computes the property when a decision is not given it; may be nil
	// Query, when set, is a query in the 1C query language that computes
	// the property (Config.UseQueries turns it into the Provider).
	Query string
	Doc   string // what the property means, for reports
	index int
}

// Config declares the properties of contexts and the groups and synonyms of
// their values. It is shared by every rule set built from it and must not
// change once rules are compiled against it.
type Config struct {
	Properties []*Property
	byName     map[string]*Property // lower-cased RU and EN names
	exact      map[string]*Property // names as declared: the common case, without lower-casing
	dicts      []*dictionary        // by property index
}

// dictionary holds the groups and synonyms of one property's values.
type dictionary struct {
	parents  map[string][]string         // member → groups that list it directly
	synonyms map[string][]string         // value → its other names
	up       map[string]map[string]Level // value → every term that matches it and how (not itself)
	values   []string                    // every value named in groups and synonyms, sorted
}

// NewConfig checks the properties and builds the lookup by RU and EN name
// (case-insensitive, as 1C names are).
func NewConfig(props []*Property) (*Config, error) {
	c := &Config{byName: map[string]*Property{}, exact: map[string]*Property{}}
	for i, p := range props {
		if p.Name == "" {
			return nil, fmt.Errorf("property %d has no name", i+1)
		}
		for _, n := range []string{p.Name, p.EN} {
			if n == "" {
				continue
			}
			key := strings.ToLower(n)
			if q, dup := c.byName[key]; dup && q != p {
				return nil, fmt.Errorf("property %s is declared twice", n)
			}
			c.byName[key] = p
			c.exact[n] = p
		}
		p.index = i
		c.Properties = append(c.Properties, p)
		c.dicts = append(c.dicts, &dictionary{parents: map[string][]string{}, synonyms: map[string][]string{}})
	}
	return c, nil
}

// Property finds a property by its Russian or English name.
func (c *Config) Property(name string) (*Property, bool) {
	if p, ok := c.exact[name]; ok {
		return p, true
	}
	p, ok := c.byName[strings.ToLower(strings.TrimSpace(name))]
	return p, ok
}

// Names lists the properties as "Роль (Role)" for messages.
func (c *Config) Names() string {
	var b []string
	for _, p := range c.Properties {
		if p.EN != "" {
			b = append(b, p.Name+" ("+p.EN+")")
		} else {
			b = append(b, p.Name)
		}
	}
	return strings.Join(b, ", ")
}

// AddGroup says that group contains the members (values or other groups)
// of a property's values: Роль Менеджер contains Стажер; Товары Алкоголь
// contains Водка and Коньяк. A value may belong to several groups.
func (c *Config) AddGroup(property, group string, members ...string) error {
	p, ok := c.Property(property)
	if !ok {
		return fmt.Errorf("groups of an unknown property %s (declared: %s)", property, c.Names())
	}
	if p.Type.Kind.ordered() {
		return fmt.Errorf("groups apply to strings and references; %s holds %ss (use a range)", p.Name, p.Type.Kind)
	}
	d := c.dicts[p.index]
	for _, m := range members {
		if m == group {
			return fmt.Errorf("group %s of %s lists itself", group, p.Name)
		}
		d.parents[m] = append(d.parents[m], group)
	}
	d.up = nil
	return nil
}

// AddSynonyms says that the values are names of one thing: rules written
// for any of them apply to all (Иванов = Петров).
func (c *Config) AddSynonyms(property string, values ...string) error {
	p, ok := c.Property(property)
	if !ok {
		return fmt.Errorf("synonyms of an unknown property %s (declared: %s)", property, c.Names())
	}
	if p.Type.Kind.ordered() {
		return fmt.Errorf("synonyms apply to strings and references; %s holds %ss", p.Name, p.Type.Kind)
	}
	d := c.dicts[p.index]
	for _, a := range values {
		for _, b := range values {
			if a != b {
				d.synonyms[a] = append(d.synonyms[a], b)
			}
		}
	}
	d.up = nil
	return nil
}

// Prepare computes, for every value, the terms that match it and how
// (itself is exact; its synonyms are Similar; every group above it or above
// a synonym is Group). Compile calls it; a cycle of groups is an error.
func (c *Config) Prepare() error {
	for i, d := range c.dicts {
		if d.up != nil {
			continue
		}
		if err := d.prepare(c.Properties[i].Name); err != nil {
			return err
		}
	}
	return nil
}

func (d *dictionary) prepare(prop string) error {
	seen := map[string]bool{}
	for m, gs := range d.parents {
		seen[m] = true
		for _, g := range gs {
			seen[g] = true
		}
	}
	for s := range d.synonyms {
		seen[s] = true
	}
	d.values = d.values[:0]
	for v := range seen {
		d.values = append(d.values, v)
	}
	sort.Strings(d.values)
	// Cycles: a depth-first walk up the parents.
	state := map[string]int{}
	var visit func(v string, path []string) error
	visit = func(v string, path []string) error {
		switch state[v] {
		case 1:
			return fmt.Errorf("groups of %s form a cycle: %s", prop, strings.Join(append(path, v), " ∈ "))
		case 2:
			return nil
		}
		state[v] = 1
		for _, g := range d.parents[v] {
			if err := visit(g, append(path, v)); err != nil {
				return err
			}
		}
		state[v] = 2
		return nil
	}
	for _, v := range d.values {
		if err := visit(v, nil); err != nil {
			return err
		}
	}
	d.up = map[string]map[string]Level{}
	for _, v := range d.values {
		m := map[string]Level{}
		var ancestors func(x string)
		ancestors = func(x string) {
			for _, g := range d.parents[x] {
				if _, done := m[g]; !done || m[g] < Group {
					if g != v {
						m[g] = Group
					}
					ancestors(g)
				}
			}
		}
		for _, s := range d.synonyms[v] {
			m[s] = Similar
		}
		ancestors(v)
		for _, s := range d.synonyms[v] {
			ancestors(s)
		}
		for _, s := range d.synonyms[v] {
			m[s] = Similar
		}
		delete(m, v)
		if len(m) > 0 {
			d.up[v] = m
		}
	}
	return nil
}

// Values lists the values of a property that its groups and synonyms name,
// sorted; reports enumerate them.
func (c *Config) Values(p *Property) []string { return c.dicts[p.index].values }

// IsGroup reports whether a value of a property is a group with members.
func (c *Config) IsGroup(p *Property, v string) bool {
	d := c.dicts[p.index]
	for _, gs := range d.parents {
		for _, g := range gs {
			if g == v {
				return true
			}
		}
	}
	return false
}

// Members lists the values a group of a property contains, directly or
// through nested groups, and their synonyms.
func (c *Config) Members(p *Property, group string) []string {
	d := c.dicts[p.index]
	var out []string
	for _, v := range d.values {
		if _, ok := d.up[v][group]; ok {
			out = append(out, v)
		}
	}
	return out
}

// match tells how a context value matches a term value of a string or
// reference property; ok is false when it does not.
func (d *dictionary) match(ctxValue, term string) (Level, bool) {
	if ctxValue == term {
		return Exact, true
	}
	l, ok := d.up[ctxValue][term]
	return l, ok
}

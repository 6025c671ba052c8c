package lint

import (
	"strings"

	"dostup/audit"
	"dostup/metadata/vocab"
	"dostup/onecxml"
	"dostup/rls/rlscheck"
	"dostup/sdbl/source"
)

// place is where a finding points: a file and a line and column in it.
type place struct {
	File      string
	Line, Col int
}

func placeOf(p source.Position) place { return place{File: p.Filename, Line: p.Line, Col: p.Column} }

// places finds the place of what a finding is about in the files the user
// wrote: for a Configurator dump, the Rights.xml of each role (the model
// imported in memory names files that are nowhere on disk); for a dostup
// configuration, its YAML files.
type places struct {
	roles map[string]*rolePlaces // by lower-cased role name
}

// rolePlaces are the places in one role's file, by lower-cased names:
// objects by their Russian full name, rights as object + "\x00" + the
// English right.
type rolePlaces struct {
	file         place
	objects      map[string]place
	restrictions map[string]place
	templates    map[string]place
}

func newRolePlaces(file place) *rolePlaces {
	return &rolePlaces{file: file, objects: map[string]place{}, restrictions: map[string]place{}, templates: map[string]place{}}
}

// placesOf reads the places of a target's roles.
func placesOf(t *rlscheck.Target) (*places, error) {
	p := &places{roles: map[string]*rolePlaces{}}
	if t.Rights == nil {
		for _, role := range t.Config.Roles {
			rp := newRolePlaces(placeOf(role.Pos))
			for _, or := range role.Objects {
				if or.Implicit {
					continue
				}
				name := strings.ToLower(or.Object)
				if o := t.Config.Object(or.Object); o != nil {
					name = strings.ToLower(o.FullName(false))
				}
				rp.objects[name] = placeOf(or.Pos)
				for _, x := range or.Restrictions {
					k := name + "\x00" + strings.ToLower(x.Right)
					if _, ok := rp.restrictions[k]; !ok {
						rp.restrictions[k] = placeOf(x.Condition.Position(0))
						if at, ok := originPlace(x.Origin); ok {
							// Imported: where its author wrote it.
							rp.restrictions[k] = at
						}
					}
				}
			}
			for _, tp := range role.Templates {
				rp.templates[templateName(tp.Name)] = placeOf(tp.Pos)
			}
			p.roles[strings.ToLower(role.Name)] = rp
		}
		return p, nil
	}
	for _, path := range t.Rights {
		rights, err := onecxml.ReadRights(path)
		if err != nil {
			return nil, err
		}
		rp := newRolePlaces(place{File: path, Line: 1, Col: 1})
		for _, obj := range rights.Objects {
			name := strings.ToLower(onecxml.TableName(obj.Name, true))
			rp.objects[name] = placeOf(obj.Pos)
			for _, r := range obj.Rights {
				for _, x := range r.Restrictions {
					k := name + "\x00" + strings.ToLower(r.Name)
					if _, ok := rp.restrictions[k]; !ok {
						rp.restrictions[k] = placeOf(x.Condition.Position(0))
					}
				}
			}
		}
		for _, tp := range rights.Templates {
			rp.templates[templateName(tp.Name)] = placeOf(tp.Pos)
		}
		p.roles[strings.ToLower(rights.Role)] = rp
	}
	return p, nil
}

// originPlace reads a restriction's origin (file:line:col).
func originPlace(origin string) (place, bool) {
	p, ok := source.ParsePosition(origin)
	return placeOf(p), ok
}

// role is the place of a role's file.
func (p *places) role(role string) place {
	if rp, ok := p.roles[strings.ToLower(role)]; ok {
		return rp.file
	}
	return place{}
}

// object is the place of a role's entry for an object, else of the role.
func (p *places) object(role, object string) place {
	rp, ok := p.roles[strings.ToLower(role)]
	if !ok {
		return place{}
	}
	if at, ok := rp.objects[strings.ToLower(russianName(object))]; ok {
		return at
	}
	return rp.file
}

// restriction is the place of a role's restriction of a right (English
// name) on an object, else of its entry for the object.
func (p *places) restriction(role, object, right string) place {
	if rp, ok := p.roles[strings.ToLower(role)]; ok {
		if at, ok := rp.restrictions[strings.ToLower(russianName(object))+"\x00"+strings.ToLower(right)]; ok {
			return at
		}
	}
	return p.object(role, object)
}

// template is the place of a role's template, by lower-cased name.
func (p *places) template(role, name string) place {
	if rp, ok := p.roles[strings.ToLower(role)]; ok {
		if at, ok := rp.templates[name]; ok {
			return at
		}
		return rp.file
	}
	return place{}
}

// about places an audit finding: its restriction, object or role.
func (p *places) about(role, object, right string) place {
	switch {
	case role == "":
		return place{}
	case object == "" || object == audit.ConfigurationObject:
		return p.role(role)
	case right != "":
		return p.restriction(role, object, englishRight(right))
	}
	return p.object(role, object)
}

// englishRight is the English name of a right as the model keeps it.
func englishRight(right string) string {
	if r, ok := vocab.ParseRight(right); ok {
		return string(r)
	}
	return right
}

// russianName is an object's full name with the Russian kind prefix.
func russianName(object string) string {
	return onecxml.TableName(object, true)
}

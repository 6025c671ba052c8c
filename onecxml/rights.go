package onecxml

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"

	"dostup/sdbl/source"
)

// RolesNamespace is the XML namespace of Roles/<Role>/Ext/Rights.xml.
const RolesNamespace = "http://v8.1c.ru/8.2/roles"

// Rights is one role's Rights.xml: the rights it grants on each object, the
// record-level restrictions of those rights, and the role's templates.
type Rights struct {
	Path string // the file as it was named to ReadRights
	Role string // the role's name: the folder Roles/<Role>

	// The three flags of the role editor. They are kept because they change
	// what a missing <object> means (SetForNewObjects grants rights on
	// objects the file does not list).
	SetForNewObjects                bool
	SetForAttributesByDefault       bool
	IndependentRightsOfChildObjects bool

	Objects   []Object
	Templates []Template
}

// Object is the rights of a role on one metadata object, named as Rights.xml
// names it: always with the English kind prefix ("Catalog.Контрагенты",
// "InformationRegister.X.Command.Y", "Configuration.БСП").
type Object struct {
	Name   string
	Pos    source.Position // of the <object> start tag
	Rights []Right
}

// Right is one right of an object ("Read", "Update", "View"...), as English
// names are what Rights.xml uses; see RightName for the Russian ones.
type Right struct {
	Name         string
	Value        bool
	Pos          source.Position // of the <right> start tag
	Restrictions []Restriction
}

// Restriction is a record-level restriction of a right: a condition in the
// 1C restriction language that applies to the listed fields, or, when Fields
// is empty, to every field no other restriction of the right names
// (ПрочиеПоля / OtherFields).
type Restriction struct {
	Fields    []string
	Condition *source.File // decoded text; positions are those of the XML file
	Pos       source.Position
}

// OtherFields reports whether the restriction is the one for "other fields",
// which Rights.xml writes as a restriction without <field> elements.
func (r Restriction) OtherFields() bool { return len(r.Fields) == 0 }

// Template is a restriction template of the role. Name is kept raw, with its
// parameter list ("ДляРегистра(Регистр, Поле1, Поле2)"), because parsing it
// is the template expander's job and its errors should point at this text.
type Template struct {
	Name      string
	Pos       source.Position // of the <restrictionTemplate> start tag
	Condition *source.File
}

// Object returns the object of the given name, comparing names without
// regard to case as 1C does, or nil.
func (r *Rights) Object(name string) *Object {
	for i := range r.Objects {
		if strings.EqualFold(r.Objects[i].Name, name) {
			return &r.Objects[i]
		}
	}
	return nil
}

// Right returns the right of the given English name, or nil.
func (o *Object) Right(name string) *Right {
	for i := range o.Rights {
		if strings.EqualFold(o.Rights[i].Name, name) {
			return &o.Rights[i]
		}
	}
	return nil
}

// HasRestrictions reports whether the role restricts any right at record
// level, which is what makes a role matter to RLS.
func (r *Rights) HasRestrictions() bool {
	for _, o := range r.Objects {
		for _, rt := range o.Rights {
			if len(rt.Restrictions) > 0 {
				return true
			}
		}
	}
	return false
}

// ReadRights reads Roles/<Role>/Ext/Rights.xml. Malformed XML and values
// that make no sense are reported as *Error with the file's line and column.
func ReadRights(path string) (*Rights, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseRights(path, data, false)
}

// roleName takes the role's name from Roles/<Role>/Ext/Rights.xml, where the
// dump keeps it; the file itself does not say it.
func roleName(path string) string {
	dir := filepath.Dir(filepath.Clean(path))
	if strings.EqualFold(filepath.Base(dir), "Ext") {
		dir = filepath.Dir(dir)
	}
	return filepath.Base(dir)
}

func parseRights(path string, data []byte, strict bool) (*Rights, error) {
	r := newXMLReader(path, data)
	r.strict = strict
	root, off, err := r.root()
	if err != nil {
		return nil, err
	}
	if root.Name.Local != "Rights" || (root.Name.Space != RolesNamespace && root.Name.Space != "") {
		return nil, r.errorf(off, "root element is <%s> in namespace %q; a role's Rights.xml has <Rights> in %q", root.Name.Local, root.Name.Space, RolesNamespace)
	}
	rs := &Rights{Path: path, Role: roleName(path)}
	err = r.children(func(se xml.StartElement, off int) error {
		var err error
		switch se.Name.Local {
		case "setForNewObjects":
			rs.SetForNewObjects, err = r.boolText(se, off)
		case "setForAttributesByDefault":
			rs.SetForAttributesByDefault, err = r.boolText(se, off)
		case "independentRightsOfChildObjects":
			rs.IndependentRightsOfChildObjects, err = r.boolText(se, off)
		case "object":
			var o Object
			o, err = r.object(off)
			rs.Objects = append(rs.Objects, o)
		case "restrictionTemplate":
			var t Template
			t, err = r.template(off)
			rs.Templates = append(rs.Templates, t)
		default:
			err = r.skip()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := r.finish(); err != nil {
		return nil, err
	}
	return rs, nil
}

func (r *xmlReader) object(start int) (Object, error) {
	o := Object{Pos: r.position(start)}
	named := false
	err := r.children(func(se xml.StartElement, off int) error {
		var err error
		switch se.Name.Local {
		case "name":
			o.Name, err = r.text(se)
			o.Name = strings.TrimSpace(o.Name)
			named = true
		case "right":
			var rt Right
			rt, err = r.right(off)
			o.Rights = append(o.Rights, rt)
		default:
			err = r.skip()
		}
		return err
	})
	if err == nil && (!named || o.Name == "") {
		err = r.errorf(start, "<object> without a <name>")
	}
	return o, err
}

func (r *xmlReader) right(start int) (Right, error) {
	rt := Right{Pos: r.position(start)}
	named, valued := false, false
	err := r.children(func(se xml.StartElement, off int) error {
		var err error
		switch se.Name.Local {
		case "name":
			rt.Name, err = r.text(se)
			rt.Name = strings.TrimSpace(rt.Name)
			named = true
		case "value":
			rt.Value, err = r.boolText(se, off)
			valued = true
		case "restrictionByCondition":
			var rc Restriction
			rc, err = r.restriction(off)
			rt.Restrictions = append(rt.Restrictions, rc)
		default:
			err = r.skip()
		}
		return err
	})
	switch {
	case err != nil:
	case !named || rt.Name == "":
		err = r.errorf(start, "<right> without a <name>")
	case !valued:
		err = r.errorf(start, "right %s without a <value>", rt.Name)
	}
	return rt, err
}

func (r *xmlReader) restriction(start int) (Restriction, error) {
	rc := Restriction{Pos: r.position(start)}
	err := r.children(func(se xml.StartElement, off int) error {
		switch se.Name.Local {
		case "field":
			f, err := r.text(se)
			if f = strings.TrimSpace(f); f == "" && err == nil {
				return r.errorf(off, "empty <field> in a restriction")
			}
			rc.Fields = append(rc.Fields, f)
			return err
		case "condition":
			if rc.Condition != nil {
				return r.errorf(off, "a restriction with two <condition> elements")
			}
			var err error
			rc.Condition, err = r.embeddedText(se)
			return err
		}
		return r.skip()
	})
	if err == nil && rc.Condition == nil {
		// Without a condition the restriction would mean nothing; say so
		// rather than invent WHERE TRUE.
		err = r.errorf(start, "<restrictionByCondition> without a <condition>")
	}
	return rc, err
}

func (r *xmlReader) template(start int) (Template, error) {
	t := Template{Pos: r.position(start)}
	named := false
	err := r.children(func(se xml.StartElement, off int) error {
		var err error
		switch se.Name.Local {
		case "name":
			t.Name, err = r.text(se)
			t.Name = strings.TrimSpace(t.Name)
			named = true
		case "condition":
			if t.Condition != nil {
				return r.errorf(off, "a template with two <condition> elements")
			}
			t.Condition, err = r.embeddedText(se)
		default:
			err = r.skip()
		}
		return err
	})
	switch {
	case err != nil:
	case !named || t.Name == "":
		err = r.errorf(start, "<restrictionTemplate> without a <name>")
	case t.Condition == nil:
		err = r.errorf(start, "template %s without a <condition>", t.Name)
	}
	return t, err
}

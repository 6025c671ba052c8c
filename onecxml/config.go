package onecxml

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"dostup/sdbl/source"
)

// MDClassesNamespace is the XML namespace of Configuration.xml and of the
// object files of a Configurator dump.
const MDClassesNamespace = "http://v8.1c.ru/8.3/MDClasses"

// Configuration is what is cheap to read from Configuration.xml: enough to
// know the language of restriction texts and which objects exist, without
// opening the thousands of object files.
type Configuration struct {
	Path string
	Name string
	// ScriptVariant is "Russian" or "English": the language of the names
	// restriction texts see (#ИмяТекущейТаблицы gives Справочник.X or
	// Catalog.X) whatever the language Rights.xml is written in.
	ScriptVariant   string
	DefaultLanguage string // e.g. "Language.Русский"
	Objects         []ConfigObject
	// objectPos holds where each of Objects is listed, so that ReadDump can
	// point at the entry of an object whose file is missing.
	objectPos []source.Position
}

// ConfigObject is one entry of the configuration's object list.
type ConfigObject struct {
	Kind string // the element name: "Catalog", "InformationRegister", "Role"...
	Name string
}

// FullName returns the name Rights.xml uses for the object: "Catalog.X".
func (o ConfigObject) FullName() string { return o.Kind + "." + o.Name }

// Russian reports whether restriction texts of the configuration use Russian
// names. 1C's own default script variant is Russian, so an empty one is too.
func (c *Configuration) Russian() bool { return !strings.EqualFold(c.ScriptVariant, "English") }

// Has reports whether the configuration declares the object of the full name
// ("Catalog.X", or "Справочник.X"), comparing without regard to case.
func (c *Configuration) Has(fullName string) bool {
	want := TableName(fullName, false)
	for _, o := range c.Objects {
		if strings.EqualFold(o.FullName(), want) {
			return true
		}
	}
	return false
}

// ReadConfiguration reads the properties and object list of Configuration.xml
// and skips everything else in it.
func ReadConfiguration(path string) (*Configuration, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseConfiguration(path, data)
}

func parseConfiguration(path string, data []byte) (*Configuration, error) {
	r := newXMLReader(path, data)
	root, off, err := r.root()
	if err != nil {
		return nil, err
	}
	if root.Name.Local != "MetaDataObject" || (root.Name.Space != MDClassesNamespace && root.Name.Space != "") {
		return nil, r.errorf(off, "root element is <%s> in namespace %q; Configuration.xml has <MetaDataObject> in %q", root.Name.Local, root.Name.Space, MDClassesNamespace)
	}
	c := &Configuration{Path: path}
	found := false
	err = r.children(func(se xml.StartElement, off int) error {
		if se.Name.Local != "Configuration" {
			return r.skip()
		}
		found = true
		return r.children(func(se xml.StartElement, off int) error {
			switch se.Name.Local {
			case "Properties":
				return r.children(func(se xml.StartElement, off int) error {
					var err error
					switch se.Name.Local {
					case "Name":
						c.Name, err = r.text(se)
					case "ScriptVariant":
						c.ScriptVariant, err = r.text(se)
					case "DefaultLanguage":
						c.DefaultLanguage, err = r.text(se)
					default:
						err = r.skip()
					}
					return err
				})
			case "ChildObjects":
				return r.children(func(se xml.StartElement, off int) error {
					name, err := r.text(se)
					if err != nil {
						return err
					}
					c.Objects = append(c.Objects, ConfigObject{Kind: se.Name.Local, Name: strings.TrimSpace(name)})
					c.objectPos = append(c.objectPos, r.position(off))
					return nil
				})
			}
			return r.skip()
		})
	})
	if err != nil {
		return nil, err
	}
	if err := r.finish(); err != nil {
		return nil, err
	}
	if !found {
		return nil, r.errorf(off, "<MetaDataObject> without a <Configuration>; is this an object file rather than Configuration.xml?")
	}
	c.Name = strings.TrimSpace(c.Name)
	c.ScriptVariant = strings.TrimSpace(c.ScriptVariant)
	c.DefaultLanguage = strings.TrimSpace(c.DefaultLanguage)
	return c, nil
}

// FindConfiguration finds the Configuration.xml of the dump a Rights.xml, a
// Roles folder, a role folder or a dump root belongs to, by walking up the
// folders of the dump layout (Roles/<R>/Ext/Rights.xml is three folders
// below it). It does not walk further, so an unrelated Configuration.xml
// higher up is never taken.
func FindConfiguration(rightsPath string) (string, bool) {
	dir, err := filepath.Abs(rightsPath)
	if err != nil {
		return "", false
	}
	if fi, err := os.Stat(dir); err != nil {
		return "", false
	} else if !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	for range 4 {
		if p := filepath.Join(dir, "Configuration.xml"); isFile(p) {
			return p, true
		}
		up := filepath.Dir(dir)
		if up == dir {
			break
		}
		dir = up
	}
	return "", false
}

// FindRights returns the Rights.xml files named by paths, sorted and without
// duplicates. Each path is a dump root (a folder holding Roles/), a Roles
// folder, one role's folder, or a Rights.xml file; a path that does not exist
// or holds no Rights.xml is an error that names it, because a typo in a path
// should not look like a configuration without roles.
func FindRights(paths ...string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		found, err := findRights(p)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func findRights(p string) ([]string, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("find rights: %w", err)
	}
	if !fi.IsDir() {
		return []string{filepath.Clean(p)}, nil
	}
	// Try the layouts from the most specific: a role folder, a Roles
	// folder, a dump root. Folders are listed rather than globbed, as a
	// path may hold glob metacharacters.
	if f := filepath.Join(p, "Ext", "Rights.xml"); isFile(f) {
		return []string{f}, nil
	}
	for _, roles := range []string{p, filepath.Join(p, "Roles")} {
		entries, err := os.ReadDir(roles)
		if err != nil {
			continue
		}
		var files []string
		for _, e := range entries {
			if f := filepath.Join(roles, e.Name(), "Ext", "Rights.xml"); e.IsDir() && isFile(f) {
				files = append(files, f)
			}
		}
		if len(files) > 0 {
			return files, nil
		}
	}
	return nil, fmt.Errorf("find rights: %s holds no Roles/<Role>/Ext/Rights.xml; give a configuration dump folder, its Roles folder or a Rights.xml file", p)
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

package onecxml

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"dostup/sdbl/source"
)

// Dump is a whole Configurator dump: its configuration and every object file
// found for the objects Configuration.xml lists.
type Dump struct {
	Root          string
	Configuration *Configuration
	// Objects are the objects of the kinds ReadObject reads (IsObjectKind),
	// in Configuration.xml order.
	Objects []*MDObject
	// Rights are the Roles/<Role>/Ext/Rights.xml files of the roles
	// Configuration.xml lists, in its order.
	Rights []string
}

// Object returns the object of the full name ("Catalog.X"; a Russian kind
// such as "Справочник.X" works too), compared without regard to case, or nil.
func (d *Dump) Object(fullName string) *MDObject {
	want := TableName(fullName, false)
	for _, o := range d.Objects {
		if strings.EqualFold(o.FullName(), want) {
			return o
		}
	}
	return nil
}

// maxDumpErrors is how many problems ReadDump reports before it stops: enough
// to see a pattern, not a screenful per broken file.
const maxDumpErrors = 10

// ReadDump reads root/Configuration.xml and the file of every object it lists
// whose kind ReadObject reads (<Folder>/<Name>.xml, the folder from Kinds),
// and finds the Rights.xml of every role it lists. Objects of other kinds
// (reports, data processors, common modules...) are skipped. An object or
// role listed without its file is an error at its entry in Configuration.xml,
// and a file that holds another object than its name says is an error too.
// ReadDump goes on after a problem and returns up to ten of them joined
// (errors.Join, each an *Error), with a nil *Dump.
func ReadDump(root string) (*Dump, error) {
	cfg, err := ReadConfiguration(filepath.Join(root, "Configuration.xml"))
	if err != nil {
		return nil, err
	}
	d := &Dump{Root: root, Configuration: cfg}
	var errs []error
	add := func(err error) bool {
		errs = append(errs, err)
		return len(errs) < maxDumpErrors
	}
	for i, co := range cfg.Objects {
		listed := func(format string, args ...any) error {
			at := source.Position{Filename: cfg.Path}
			if i < len(cfg.objectPos) {
				at = cfg.objectPos[i]
			}
			return &Error{Loc: source.At(at), Msg: fmt.Sprintf(format, args...)}
		}
		if co.Kind == "Role" {
			path := filepath.Join(root, "Roles", co.Name, "Ext", "Rights.xml")
			if !isFile(path) {
				if !add(listed("Configuration.xml lists Role.%s, but %s does not exist", co.Name, path)) {
					break
				}
				continue
			}
			d.Rights = append(d.Rights, path)
			continue
		}
		if !IsObjectKind(co.Kind) {
			continue
		}
		k, _ := LookupKind(co.Kind)
		path := filepath.Join(root, k.Folder, co.Name+".xml")
		if !isFile(path) {
			if !add(listed("Configuration.xml lists %s, but %s does not exist", co.FullName(), path)) {
				break
			}
			continue
		}
		o, err := ReadObject(path)
		if err == nil && (o.Kind != co.Kind || o.Name != co.Name) {
			err = &Error{Loc: source.At(o.Pos), Msg: fmt.Sprintf("the file of %s holds %s", co.FullName(), o.FullName())}
		}
		if err != nil {
			if !add(err) {
				break
			}
			continue
		}
		// Predefined items live beside the object: <Kind>/<Name>/Ext/Predefined.xml.
		pre := filepath.Join(root, k.Folder, co.Name, "Ext", "Predefined.xml")
		if _, statErr := os.Stat(pre); statErr == nil {
			items, err := ReadPredefinedItems(pre)
			if err != nil {
				if !add(err) {
					break
				}
				continue
			}
			o.PredefinedItems = items
			for _, it := range items {
				o.Predefined = append(o.Predefined, it.Name)
			}
			o.PredefinedRead = true
		}
		d.Objects = append(d.Objects, o)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return d, nil
}

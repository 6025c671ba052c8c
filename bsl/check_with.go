package bsl

import (
	"os"
	"path/filepath"
	"strings"
)

// CheckWith checks mods as Check does, with the modules of context (the
// common modules of the dumps the checked modules belong to, from
// LoadCommonModules) indexed for their calls but not checked themselves; a
// context module with the path of a checked one is the checked one.
func CheckWith(mods, context []*Module) []Finding {
	all := append([]*Module(nil), mods...)
	checked := make(map[string]bool, len(mods))
	for _, m := range mods {
		if m != nil {
			checked[absPath(m.Path)] = true
		}
	}
	for _, m := range context {
		if m != nil && !checked[absPath(m.Path)] {
			all = append(all, m)
		}
	}
	syntaxes := make([]*Syntax, len(all))
	parallel(len(all), func(i int) {
		if all[i] != nil {
			syntaxes[i] = Parse(all[i])
		}
	})
	idx := indexCommonModules(syntaxes)
	found := make([][]Finding, len(mods))
	parallel(len(mods), func(i int) {
		if syntaxes[i] != nil {
			found[i] = checkSyntax(syntaxes[i], idx)
		}
	})
	var out []Finding
	for _, f := range found {
		out = append(out, f...)
	}
	sortFindings(out)
	return out
}

// DumpRoot is the folder at or above path that holds a Configurator dump's
// Configuration.xml; "" when none does.
func DumpRoot(path string) string {
	dir, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, "Configuration.xml")); err == nil && !st.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// LoadCommonModules loads every common module of the dump at root for
// CheckWith: its flags from CommonModules/<Name>.xml and its code when the
// dump holds it (a module without code has an empty Source, and calls of
// it are checked against its flags alone). The Path of each is that of
// its code file, present or not.
func LoadCommonModules(root string) ([]*Module, error) {
	xmls, err := filepath.Glob(filepath.Join(root, "CommonModules", "*.xml"))
	if err != nil {
		return nil, err
	}
	var l Loader
	var out []*Module
	for _, x := range xmls {
		code := filepath.Join(strings.TrimSuffix(x, filepath.Ext(x)), "Ext", "Module.bsl")
		if _, err := os.Stat(code); err == nil {
			m, err := l.Load(code)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
			continue
		}
		flags, err := ReadCommonModuleFlags(x)
		if err != nil {
			return nil, err
		}
		p, _ := placeOf(code)
		cfg, err := l.config(root)
		if err != nil {
			return nil, err
		}
		m := &Module{Path: code, Kind: KindCommon, Common: flags, Russian: cfg == nil || cfg.russian}
		m.Object = p.objectName(m.Russian)
		out = append(out, m)
	}
	return out, nil
}

// absPath is path made absolute, or cleaned when that fails.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

package bsl

import (
	"os"
	"path/filepath"
)

// CheckWith checks mods as Check does, with the modules of context (the
// common modules of the dump a single checked module belongs to) indexed
// for its calls but not checked themselves.
func CheckWith(mods, context []*Module) []Finding {
	all := append(append([]*Module(nil), mods...), context...)
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

// CommonModulePaths lists the code files of a dump's common modules.
func CommonModulePaths(root string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(root, "CommonModules", "*", "Ext", "Module.bsl"))
	if err != nil {
		return nil, err
	}
	return paths, nil
}

package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"dostup/metadata"
)

// configFS holds the demo configuration, docs/configuration.md's complete
// example; embedding it lets `dostup demo` work from the binary alone.
//
//go:embed config/*.yaml
var configFS embed.FS

// Config returns the demo configuration and its files (name → content) for
// infobase.InitOptions.Sources.
func Config() (*metadata.Configuration, map[string][]byte, error) {
	sources := map[string][]byte{}
	entries, err := fs.ReadDir(configFS, "config")
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		data, err := configFS.ReadFile("config/" + e.Name())
		if err != nil {
			return nil, nil, err
		}
		sources[e.Name()] = data
	}
	// metadata loads from a folder, so the files go to a temporary one for
	// the load; positions in the configuration then name files that are gone,
	// which only matters for messages, and the embedded files are valid.
	dir, err := os.MkdirTemp("", "dostup-demo-config-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	for name, data := range sources {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return nil, nil, err
		}
	}
	cfg, err := metadata.Load(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("the embedded demo configuration does not load: %w", err)
	}
	return cfg, sources, nil
}

package metadata

import (
	"os"

	"github.com/goccy/go-yaml"
)

// WriteFile writes one file of the YAML format. Multi-line texts (conditions,
// queries) are written as literal blocks, so they read as they were written
// and Load maps positions in them exactly.
func WriteFile(path string, f *FileFormat) error {
	data, err := Marshal(f)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// Marshal returns one file of the YAML format as WriteFile writes it.
func Marshal(f *FileFormat) ([]byte, error) {
	return yaml.MarshalWithOptions(f, yaml.UseLiteralStyleIfMultiline(true), yaml.Indent(2), yaml.IndentSequence(true))
}

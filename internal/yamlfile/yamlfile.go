// Package yamlfile reads the small YAML files users write for dostup's
// tools (an audit policy, an inventory, lint.yaml), with mistakes placed at
// file:line:col.
package yamlfile

import (
	"errors"
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Decode decodes the YAML text of the file path into v, refusing
// fields v does not have, and returns a function that places a node of the
// text (a go-yaml path such as $.list[2].name) as path:line:col for the
// caller's own checks. An empty text is the error empty names.
func Decode(path string, data []byte, v any, empty string) (at func(yamlPath string) string, err error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(path, err)
	}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return nil, fmt.Errorf("%s: %s", path, empty)
	}
	if err := yaml.NodeToValue(file.Docs[0].Body, v, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlError(path, err)
	}
	return func(yamlPath string) string {
		if pp, err := yaml.PathString(yamlPath); err == nil {
			if n, err := pp.FilterFile(file); err == nil && n != nil {
				tok := n.GetToken()
				// A mapping is placed at its first key, where a reader's
				// eye finds the entry, not at the first colon.
				if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 {
					tok = m.Values[0].Key.GetToken()
				}
				pos := tok.Position
				return fmt.Sprintf("%s:%d:%d", path, pos.Line, pos.Column)
			}
		}
		return path
	}, nil
}

// yamlError places a go-yaml error at its line and column.
func yamlError(path string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		return fmt.Errorf("%s:%d:%d: %s", path, pos.Line, pos.Column, ye.GetMessage())
	}
	return fmt.Errorf("%s: %w", path, err)
}

package metadata

import (
	"errors"
	"strings"

	"dostup/sdbl/source"
)

// errorLines prints every error of a list, one a line.
func errorLines(err error) string {
	var list source.ErrorList
	if !errors.As(err, &list) {
		return err.Error()
	}
	lines := make([]string, len(list))
	for i, e := range list {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

package onecxml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"dostup/sdbl/source"
)

// ReadPredefined reads the names of an object's predefined items from its
// Ext/Predefined.xml: every <Item>'s <Name>, items inside <ChildItems>
// (folders of a hierarchy) included.
func ReadPredefined(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(strings.NewReader(strings.TrimPrefix(string(data), "\uFEFF")))
	var names []string
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, col := dec.InputPos()
			return nil, &Error{Pos: source.Position{Filename: path, Line: line, Column: col}, Msg: fmt.Sprintf("reading predefined items: %v", err)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "Name" && len(stack) > 0 && stack[len(stack)-1] == "Item" {
				var name string
				if err := dec.DecodeElement(&name, &t); err != nil {
					line, col := dec.InputPos()
					return nil, &Error{Pos: source.Position{Filename: path, Line: line, Column: col}, Msg: fmt.Sprintf("reading predefined items: %v", err)}
				}
				if name = strings.TrimSpace(name); name != "" {
					names = append(names, name)
				}
				continue
			}
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	return names, nil
}

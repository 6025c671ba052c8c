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
	// failed places a decoding error where the decoder stopped.
	failed := func(err error) error {
		line, col := dec.InputPos()
		at := source.Position{Filename: path, Line: line, Column: col}
		return &Error{Loc: source.At(at), Msg: fmt.Sprintf("reading predefined items: %v", err)}
	}
	var names []string
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, failed(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "Name" && len(stack) > 0 && stack[len(stack)-1] == "Item" {
				var name string
				if err := dec.DecodeElement(&name, &t); err != nil {
					return nil, failed(err)
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

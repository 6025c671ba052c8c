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

// PredefinedItem is one <Item> of an object's Ext/Predefined.xml: its name
// and what the file says of it. Parent is the name of the item whose
// <ChildItems> hold it.
type PredefinedItem struct {
	Name        string
	Code        string
	Description string
	IsFolder    bool
	Parent      string
	// Charts of accounts: <AccountType> (Active, Passive, ActivePassive),
	// <OffBalance>, and the accounting flags set true (the names of
	// <AccountingFlags><Flag ref="ChartOfAccounts.X.AccountingFlag.Имя">).
	AccountType string
	OffBalance  bool
	Flags       []string
}

// ReadPredefined reads the names of an object's predefined items from its
// Ext/Predefined.xml: every <Item>'s <Name>, items inside <ChildItems>
// (folders of a hierarchy) included.
func ReadPredefined(path string) ([]string, error) {
	items, err := ReadPredefinedItems(path)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.Name
	}
	return names, nil
}

// predefinedXML is an <Item> as the file writes it.
type predefinedXML struct {
	Name        string `xml:"Name"`
	Code        string `xml:"Code"`
	Description string `xml:"Description"`
	IsFolder    bool   `xml:"IsFolder"`
	AccountType string `xml:"AccountType"`
	OffBalance  bool   `xml:"OffBalance"`
	Flags       []struct {
		Ref   string `xml:"ref,attr"`
		Value bool   `xml:",chardata"`
	} `xml:"AccountingFlags>Flag"`
	Children []predefinedXML `xml:"ChildItems>Item"`
}

// ReadPredefinedItems reads every predefined item of an object's
// Ext/Predefined.xml, each followed by the items under it, in the file's
// order. Items without a name are left out.
func ReadPredefinedItems(path string) ([]PredefinedItem, error) {
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
	var out []PredefinedItem
	var add func(x predefinedXML, parent string)
	add = func(x predefinedXML, parent string) {
		name := strings.TrimSpace(x.Name)
		if name == "" {
			return
		}
		it := PredefinedItem{Name: name, Code: strings.TrimSpace(x.Code), Description: strings.TrimSpace(x.Description),
			IsFolder: x.IsFolder, Parent: parent, AccountType: strings.TrimSpace(x.AccountType), OffBalance: x.OffBalance}
		for _, f := range x.Flags {
			if f.Value {
				it.Flags = append(it.Flags, f.Ref[strings.LastIndexByte(f.Ref, '.')+1:])
			}
		}
		out = append(out, it)
		for _, c := range x.Children {
			add(c, name)
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, failed(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Item" {
			var x predefinedXML
			if err := dec.DecodeElement(&x, &se); err != nil {
				return nil, failed(err)
			}
			add(x, "")
		}
	}
	return out, nil
}

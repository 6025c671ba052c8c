package metadata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	yast "github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	ytoken "github.com/goccy/go-yaml/token"

	"dostup/sdbl/source"
)

// The YAML format (docs/configuration.md). Keys are English; names of
// objects, attributes and roles are as the configuration writes them.
type rawFile struct {
	Configuration         *rawConfig            `yaml:"configuration"`
	Catalogs              []rawObject           `yaml:"catalogs"`
	Documents             []rawObject           `yaml:"documents"`
	InformationRegisters  []rawObject           `yaml:"information_registers"`
	AccumulationRegisters []rawObject           `yaml:"accumulation_registers"`
	Constants             []rawObject           `yaml:"constants"`
	Enums                 []rawObject           `yaml:"enums"`
	SessionParameters     []rawSessionParameter `yaml:"session_parameters"`
	FunctionalOptions     []rawFunctionalOption `yaml:"functional_options"`
	Roles                 []rawRole             `yaml:"roles"`
	Users                 []rawUser             `yaml:"users"`
}

type rawConfig struct {
	Name     string `yaml:"name"`
	Language string `yaml:"language"`
}

type rawObject struct {
	Name              string         `yaml:"name"`
	Synonym           string         `yaml:"synonym"`
	Table             string         `yaml:"table"`
	Hierarchical      bool           `yaml:"hierarchical"`
	Hierarchy         string         `yaml:"hierarchy"`
	Owners            []string       `yaml:"owners"`
	Code              *rawNumbering  `yaml:"code"`
	DescriptionLength *int           `yaml:"description_length"`
	Number            *rawNumbering  `yaml:"number"`
	Periodicity       string         `yaml:"periodicity"`
	Recorder          bool           `yaml:"recorder"`
	RegisterKind      string         `yaml:"register_kind"`
	Type              rawType        `yaml:"type"`
	Values            []string       `yaml:"values"`
	Attributes        []rawAttribute `yaml:"attributes"`
	Dimensions        []rawAttribute `yaml:"dimensions"`
	Resources         []rawAttribute `yaml:"resources"`
	TabularSections   []rawTabular   `yaml:"tabular_sections"`
}

type rawNumbering struct {
	Length int    `yaml:"length"`
	Type   string `yaml:"type"`
}

type rawAttribute struct {
	Name   string  `yaml:"name"`
	Type   rawType `yaml:"type"`
	Column string  `yaml:"column"`
}

// rawType is one type (Строка(10)) or a list of them (a composite type).
type rawType []string

// UnmarshalYAML accepts a string or a list of strings.
func (t *rawType) UnmarshalYAML(b []byte) error {
	var list []string
	if err := yaml.Unmarshal(b, &list); err == nil {
		*t = list
		return nil
	}
	var one string
	if err := yaml.Unmarshal(b, &one); err != nil {
		return errors.New("a type is a string such as Строка(10) or a list of them")
	}
	if one != "" {
		*t = rawType{one}
	}
	return nil
}

type rawTabular struct {
	Name       string         `yaml:"name"`
	Table      string         `yaml:"table"`
	Attributes []rawAttribute `yaml:"attributes"`
}

type rawSessionParameter struct {
	Name  string  `yaml:"name"`
	Type  rawType `yaml:"type"`
	Query string  `yaml:"query"`
}

type rawFunctionalOption struct {
	Name       string `yaml:"name"`
	Constant   string `yaml:"constant"`
	Privileged bool   `yaml:"privileged"`
}

type rawRole struct {
	Name      string            `yaml:"name"`
	Rights    []string          `yaml:"rights"`
	Objects   []rawObjectRights `yaml:"objects"`
	Templates []rawTemplate     `yaml:"templates"`
}

type rawObjectRights struct {
	Object       string           `yaml:"object"`
	Rights       []string         `yaml:"rights"`
	Restrictions []rawRestriction `yaml:"restrictions"`
}

type rawRestriction struct {
	Right     string   `yaml:"right"`
	Fields    []string `yaml:"fields"`
	Condition string   `yaml:"condition"`
}

type rawTemplate struct {
	Name      string `yaml:"name"`
	Condition string `yaml:"condition"`
}

type rawUser struct {
	Name     string   `yaml:"name"`
	FullName string   `yaml:"full_name"`
	Roles    []string `yaml:"roles"`
}

// yamlFile is one parsed file: its decoded content and its syntax tree,
// which gives the positions of values for messages.
type yamlFile struct {
	path string
	src  []byte
	ast  *yast.File
	raw  rawFile
}

// pos returns the position of the value at a YAML path such as
// $.catalogs[0].attributes[2].type, or of the nearest enclosing value found.
func (f *yamlFile) pos(path string) source.Position {
	for p := path; p != "$" && p != ""; p = parentPath(p) {
		if node := f.node(p); node != nil {
			t := node.GetToken()
			if t != nil {
				return source.Position{Filename: f.path, Line: t.Position.Line, Column: t.Position.Column}
			}
		}
	}
	return source.Position{Filename: f.path, Line: 1, Column: 1}
}

func (f *yamlFile) node(path string) yast.Node {
	p, err := yaml.PathString(path)
	if err != nil {
		return nil
	}
	n, err := p.FilterFile(f.ast)
	if err != nil {
		return nil
	}
	return n
}

// parentPath drops the last step of a YAML path.
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i > 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i > 0 {
		return p[:i]
	}
	return "$"
}

// text returns the string at path as a source.File whose positions are those
// of the YAML file: a block scalar (|) maps line by line, a one-line scalar
// from its first character.
func (f *yamlFile) text(path, value string) *source.File {
	node := f.node(path)
	if node == nil || node.GetToken() == nil {
		return source.NewEmbeddedFile(f.path, value, []source.Anchor{{Offset: 0, Line: 1, Col: 1}})
	}
	tok := node.GetToken()
	if _, ok := node.(*yast.LiteralNode); ok {
		// The text's lines are the block's lines less the block's
		// indentation, which its first line shows.
		lines := strings.Split(string(f.src), "\n")
		indent := 0
		if first := tok.Position.Line; first < len(lines) {
			l := lines[first]
			indent = len([]rune(l)) - len([]rune(strings.TrimLeft(l, " ")))
		}
		var anchors []source.Anchor
		off := 0
		for i, line := range strings.Split(value, "\n") {
			anchors = append(anchors, source.Anchor{Offset: off, Line: tok.Position.Line + 1 + i, Col: indent + 1})
			off += len(line) + 1
		}
		return source.NewEmbeddedFile(f.path, value, anchors)
	}
	col := tok.Position.Column
	if tok.Type == ytoken.DoubleQuoteType || tok.Type == ytoken.SingleQuoteType {
		col++ // the text starts after the opening quote
	}
	return source.NewEmbeddedFile(f.path, value, []source.Anchor{{Offset: 0, Line: tok.Position.Line, Col: col}})
}

// Load reads every *.yaml and *.yml file of dir (not its subfolders' files
// unless they are under dir/roles or other folders: all folders are read,
// in name order) and returns the validated configuration. On problems it
// returns nil and a source.ErrorList with every problem found.
func Load(dir string) (*Configuration, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no configuration files (*.yaml) found", dir)
	}
	sort.Strings(paths)
	var errs source.ErrorList
	var files []*yamlFile
	for _, p := range paths {
		f, err := readYAML(p)
		if err != nil {
			var list source.ErrorList
			if errors.As(err, &list) {
				errs = append(errs, list...)
				continue
			}
			return nil, err
		}
		files = append(files, f)
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return build(files)
}

// LoadFiles is Load for an explicit list of files.
func LoadFiles(paths ...string) (*Configuration, error) {
	var errs source.ErrorList
	var files []*yamlFile
	for _, p := range paths {
		f, err := readYAML(p)
		if err != nil {
			var list source.ErrorList
			if errors.As(err, &list) {
				errs = append(errs, list...)
				continue
			}
			return nil, err
		}
		files = append(files, f)
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return build(files)
}

// readYAML parses and decodes one file; YAML mistakes (syntax, unknown keys,
// wrong value types) come back as a positioned ErrorList.
func readYAML(path string) (*yamlFile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f := &yamlFile{path: path, src: src}
	tree, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, yamlError(path, err)
	}
	f.ast = tree
	for _, doc := range tree.Docs {
		if doc.Body == nil {
			continue
		}
		var raw rawFile
		if err := yaml.NodeToValue(doc.Body, &raw, yaml.DisallowUnknownField()); err != nil {
			return nil, yamlError(path, err)
		}
		f.raw = merge(f.raw, raw)
	}
	return f, nil
}

func merge(a, b rawFile) rawFile {
	if b.Configuration != nil {
		a.Configuration = b.Configuration
	}
	a.Catalogs = append(a.Catalogs, b.Catalogs...)
	a.Documents = append(a.Documents, b.Documents...)
	a.InformationRegisters = append(a.InformationRegisters, b.InformationRegisters...)
	a.AccumulationRegisters = append(a.AccumulationRegisters, b.AccumulationRegisters...)
	a.Constants = append(a.Constants, b.Constants...)
	a.Enums = append(a.Enums, b.Enums...)
	a.SessionParameters = append(a.SessionParameters, b.SessionParameters...)
	a.FunctionalOptions = append(a.FunctionalOptions, b.FunctionalOptions...)
	a.Roles = append(a.Roles, b.Roles...)
	a.Users = append(a.Users, b.Users...)
	return a
}

// yamlError turns a go-yaml error into a positioned error.
func yamlError(path string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		t := ye.GetToken()
		var list source.ErrorList
		list.Add(source.Location{File: positionFile(path, t.Position.Line, t.Position.Column)}, errCode, ye.GetMessage())
		return list
	}
	return fmt.Errorf("%s: %w", path, err)
}

// positionFile makes a Location that prints as path:line:col: an empty text
// anchored there.
func positionFile(path string, line, col int) *source.File {
	return source.NewEmbeddedFile(path, "", []source.Anchor{{Offset: 0, Line: line, Col: col}})
}

package metadata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	yast "github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	ytoken "github.com/goccy/go-yaml/token"

	"dostup/sdbl/source"
)

// FileFormat is one file of the YAML format (docs/configuration.md), as
// decoded; importers build it and WriteFile writes it. Keys are English;
// names of objects, attributes and roles are as the configuration writes
// them. The *Format types below are its parts.
type FileFormat struct {
	Configuration         *ConfigFormat            `yaml:"configuration,omitempty"`
	Catalogs              []ObjectFormat           `yaml:"catalogs,omitempty"`
	Documents             []ObjectFormat           `yaml:"documents,omitempty"`
	InformationRegisters  []ObjectFormat           `yaml:"information_registers,omitempty"`
	AccumulationRegisters []ObjectFormat           `yaml:"accumulation_registers,omitempty"`
	Constants             []ObjectFormat           `yaml:"constants,omitempty"`
	Enums                 []ObjectFormat           `yaml:"enums,omitempty"`
	Charts                []ObjectFormat           `yaml:"charts_of_characteristic_types,omitempty"`
	ExchangePlans         []ObjectFormat           `yaml:"exchange_plans,omitempty"`
	BusinessProcesses     []ObjectFormat           `yaml:"business_processes,omitempty"`
	Tasks                 []ObjectFormat           `yaml:"tasks,omitempty"`
	ChartsOfAccounts      []ObjectFormat           `yaml:"charts_of_accounts,omitempty"`
	AccountingRegisters   []ObjectFormat           `yaml:"accounting_registers,omitempty"`
	ChartsOfCalculation   []ObjectFormat           `yaml:"charts_of_calculation_types,omitempty"`
	DocumentJournals      []JournalFormat          `yaml:"document_journals,omitempty"`
	SessionParameters     []SessionParameterFormat `yaml:"session_parameters,omitempty"`
	FunctionalOptions     []FunctionalOptionFormat `yaml:"functional_options,omitempty"`
	Roles                 []RoleFormat             `yaml:"roles,omitempty"`
	Users                 []UserFormat             `yaml:"users,omitempty"`
}

// List returns the list of objects of a kind in the file, for the kinds
// Kinds lists; document journals have a format of their own
// (DocumentJournals).
func (f *FileFormat) List(k Kind) *[]ObjectFormat {
	switch k {
	case Catalog:
		return &f.Catalogs
	case Document:
		return &f.Documents
	case InformationRegister:
		return &f.InformationRegisters
	case AccumulationRegister:
		return &f.AccumulationRegisters
	case Constant:
		return &f.Constants
	case Enum:
		return &f.Enums
	case ChartOfCharacteristicTypes:
		return &f.Charts
	case ExchangePlan:
		return &f.ExchangePlans
	case BusinessProcess:
		return &f.BusinessProcesses
	case ChartOfAccounts:
		return &f.ChartsOfAccounts
	case AccountingRegister:
		return &f.AccountingRegisters
	case ChartOfCalculationTypes:
		return &f.ChartsOfCalculation
	}
	return &f.Tasks
}

// ConfigFormat is the configuration: its name and language.
type ConfigFormat struct {
	Name     string `yaml:"name,omitempty"`
	Language string `yaml:"language,omitempty"`
}

// ObjectFormat is an object of any kind; keys that do not apply to its kind are errors.
type ObjectFormat struct {
	Name              string           `yaml:"name,omitempty"`
	Synonym           string           `yaml:"synonym,omitempty"`
	Table             string           `yaml:"table,omitempty"`
	Hierarchical      bool             `yaml:"hierarchical,omitempty"`
	Hierarchy         string           `yaml:"hierarchy,omitempty"`
	Owners            []string         `yaml:"owners,omitempty"`
	Code              *NumberingFormat `yaml:"code,omitempty"`
	DescriptionLength *int             `yaml:"description_length,omitempty"`
	Number            *NumberingFormat `yaml:"number,omitempty"`
	Periodicity       string           `yaml:"periodicity,omitempty"`
	Recorder          bool             `yaml:"recorder,omitempty"`
	// RegisterRecords are, for a document, the registers it posts to
	// (Движения): their Регистратор holds its references.
	RegisterRecords []string           `yaml:"register_records,omitempty"`
	RegisterKind    string             `yaml:"register_kind,omitempty"`
	Type            TypeFormat         `yaml:"type,omitempty"`
	Values          []string           `yaml:"values,omitempty"`
	Predefined      []PredefinedFormat `yaml:"predefined,omitempty"`
	// Charts of accounts.
	ExtDimensionTypes           string   `yaml:"ext_dimension_types,omitempty"`
	MaxExtDimensions            int      `yaml:"max_ext_dimensions,omitempty"`
	AccountingFlags             []string `yaml:"accounting_flags,omitempty"`
	ExtDimensionAccountingFlags []string `yaml:"ext_dimension_accounting_flags,omitempty"`
	OrderLength                 int      `yaml:"order_length,omitempty"`
	// Accounting registers.
	ChartOfAccounts string `yaml:"chart_of_accounts,omitempty"`
	Correspondence  bool   `yaml:"correspondence,omitempty"`
	// Charts of calculation types.
	ActionPeriod    bool              `yaml:"action_period,omitempty"`
	DependsOnBase   bool              `yaml:"depends_on_base,omitempty"`
	Attributes      []AttributeFormat `yaml:"attributes,omitempty"`
	Dimensions      []AttributeFormat `yaml:"dimensions,omitempty"`
	Resources       []AttributeFormat `yaml:"resources,omitempty"`
	TabularSections []TabularFormat   `yaml:"tabular_sections,omitempty"`
}

// NumberingFormat is a code or number: length and type (string or number).
type NumberingFormat struct {
	Length int    `yaml:"length,omitempty"`
	Type   string `yaml:"type,omitempty"`
}

// AttributeFormat is an attribute, dimension or resource.
type AttributeFormat struct {
	Name   string     `yaml:"name,omitempty"`
	Type   TypeFormat `yaml:"type,omitempty"`
	Column string     `yaml:"column,omitempty"`
	// Balance is false for a dimension or resource of an accounting
	// register that is not balanced (Балансовый); left out, it is.
	Balance *bool `yaml:"balance,omitempty"`
}

// PredefinedFormat is a predefined item: its name alone, or a mapping
// with what else the configuration says of it.
type PredefinedFormat struct {
	Name        string   `yaml:"name,omitempty"`
	Code        string   `yaml:"code,omitempty"`
	Description string   `yaml:"description,omitempty"`
	Parent      string   `yaml:"parent,omitempty"`
	Folder      bool     `yaml:"folder,omitempty"`
	AccountType string   `yaml:"account_type,omitempty"`
	OffBalance  bool     `yaml:"off_balance,omitempty"`
	Flags       []string `yaml:"accounting_flags,omitempty"`
}

// predefinedFields is PredefinedFormat without its methods, to decode a
// mapping with.
type predefinedFields PredefinedFormat

// MarshalYAML writes an item with nothing but a name as the name.
func (p PredefinedFormat) MarshalYAML() (any, error) {
	if (PredefinedFormat{Name: p.Name}).equal(p) {
		return p.Name, nil
	}
	return predefinedFields(p), nil
}

func (p PredefinedFormat) equal(q PredefinedFormat) bool {
	return p.Name == q.Name && p.Code == q.Code && p.Description == q.Description && p.Parent == q.Parent &&
		p.Folder == q.Folder && p.AccountType == q.AccountType && p.OffBalance == q.OffBalance && slices.Equal(p.Flags, q.Flags)
}

// UnmarshalYAML accepts a name or a mapping.
func (p *PredefinedFormat) UnmarshalYAML(node yast.Node) error {
	if m, ok := node.(*yast.MappingNode); ok {
		var f predefinedFields
		if err := yaml.NodeToValue(m, &f, yaml.DisallowUnknownField()); err != nil {
			return err
		}
		*p = PredefinedFormat(f)
		return nil
	}
	s, ok := scalarString(node)
	if !ok {
		return errors.New("a predefined item is its name or a mapping with name, code, description and parent")
	}
	*p = PredefinedFormat{Name: s}
	return nil
}

// TypeFormat is one type (Строка(10)) or a list of them (a composite type).
type TypeFormat []string

// MarshalYAML writes one type as a string and a composite type as a list.
func (t TypeFormat) MarshalYAML() (any, error) {
	if len(t) == 1 {
		return t[0], nil
	}
	return []string(t), nil
}

// UnmarshalYAML accepts a string or a list of strings. It reads the node
// itself: go-yaml hands a byte-level unmarshaler a re-formatted copy of the
// document, which costs time in proportion to the document for every type.
func (t *TypeFormat) UnmarshalYAML(node yast.Node) error {
	switch n := node.(type) {
	case *yast.SequenceNode:
		list := make([]string, 0, len(n.Values))
		for _, v := range n.Values {
			s, ok := scalarString(v)
			if !ok {
				return errors.New("a type is a string such as Строка(10) or a list of them")
			}
			list = append(list, s)
		}
		*t = list
		return nil
	case *yast.NullNode:
		*t = nil
		return nil
	}
	s, ok := scalarString(node)
	if !ok {
		return errors.New("a type is a string such as Строка(10) or a list of them")
	}
	if s != "" {
		*t = TypeFormat{s}
	}
	return nil
}

// scalarString returns the text of a scalar node.
func scalarString(n yast.Node) (string, bool) {
	switch n := n.(type) {
	case *yast.StringNode:
		return n.Value, true
	case *yast.LiteralNode:
		return n.Value.Value, true
	case yast.ScalarNode:
		return fmt.Sprint(n.GetValue()), true
	}
	return "", false
}

// TabularFormat is a tabular section.
type TabularFormat struct {
	Name       string            `yaml:"name,omitempty"`
	Table      string            `yaml:"table,omitempty"`
	Attributes []AttributeFormat `yaml:"attributes,omitempty"`
}

// JournalFormat is a document journal: the documents it registers and its
// columns (графы).
type JournalFormat struct {
	Name      string                `yaml:"name,omitempty"`
	Synonym   string                `yaml:"synonym,omitempty"`
	Documents []string              `yaml:"documents,omitempty"`
	Columns   []JournalColumnFormat `yaml:"columns,omitempty"`
}

// JournalColumnFormat is a column of a journal: for each document it shows,
// the attribute it shows (Документ.Встреча.Организация). Its type is theirs.
type JournalColumnFormat struct {
	Name       string   `yaml:"name,omitempty"`
	References []string `yaml:"references,omitempty"`
}

// SessionParameterFormat is a session parameter.
type SessionParameterFormat struct {
	Name  string     `yaml:"name,omitempty"`
	Type  TypeFormat `yaml:"type,omitempty"`
	Query string     `yaml:"query,omitempty"`
}

// FunctionalOptionFormat is a functional option.
type FunctionalOptionFormat struct {
	Name       string `yaml:"name,omitempty"`
	Constant   string `yaml:"constant,omitempty"`
	Privileged bool   `yaml:"privileged,omitempty"`
}

// RoleFormat is a role.
type RoleFormat struct {
	Name string `yaml:"name,omitempty"`
	// SetForNewObjects is the role editor's flag "Устанавливать права для
	// новых объектов": the role grants every right of every object it does
	// not list, every right of the objects it lists but does not withhold,
	// and every global right but those in Withheld. The file then lists
	// what is withheld, as Rights.xml does.
	SetForNewObjects bool `yaml:"set_for_new_objects,omitempty"`
	// SetForAttributesByDefault is "Устанавливать права для реквизитов и
	// табличных частей по умолчанию": a field's Просмотр and
	// Редактирование, when its entry does not say, are granted (true, the
	// default, as for a new role in 1C) or withheld (false).
	SetForAttributesByDefault *bool `yaml:"set_for_attributes_by_default,omitempty"`
	// IndependentRightsOfChildObjects is "Независимые права подчиненных
	// объектов": a field's right stands on its own instead of needing the
	// same right on its object (or tabular section).
	IndependentRightsOfChildObjects bool `yaml:"independent_rights_of_child_objects,omitempty"`
	// Rights are the global rights granted; Withheld, in a role with
	// set_for_new_objects, those it does not grant.
	Rights    []string             `yaml:"rights,omitempty"`
	Withheld  []string             `yaml:"withheld,omitempty"`
	Objects   []ObjectRightsFormat `yaml:"objects,omitempty"`
	Templates []TemplateFormat     `yaml:"templates,omitempty"`
	// SecondFactor marks a role that becomes active in a session only
	// after a second factor (an OTP) is checked: the step-up of §5.
	SecondFactor bool `yaml:"second_factor,omitempty"`
}

// ObjectRightsFormat is a role's rights on one object: those granted and,
// in a role with set_for_new_objects, those withheld.
type ObjectRightsFormat struct {
	Object       string              `yaml:"object,omitempty"`
	Rights       []string            `yaml:"rights,omitempty"`
	Withheld     []string            `yaml:"withheld,omitempty"`
	Restrictions []RestrictionFormat `yaml:"restrictions,omitempty"`
	Fields       []FieldRightsFormat `yaml:"fields,omitempty"`
}

// FieldRightsFormat is a role's Просмотр and Редактирование of one field
// of an object (an attribute, standard attribute, dimension, resource,
// tabular section, or a tabular section's attribute as ТЧ.Реквизит) where
// they differ from the role's default for fields.
type FieldRightsFormat struct {
	Field    string   `yaml:"field,omitempty"`
	Rights   []string `yaml:"rights,omitempty"`
	Withheld []string `yaml:"withheld,omitempty"`
}

// RestrictionFormat is a record-level restriction.
type RestrictionFormat struct {
	Right     string   `yaml:"right,omitempty"`
	Fields    []string `yaml:"fields,omitempty"`
	Condition string   `yaml:"condition,omitempty"`
	// Origin is where the restriction was written before dostup import
	// converted it: the dump's Roles/<Role>/Ext/Rights.xml:line:col.
	Origin string `yaml:"origin,omitempty"`
}

// TemplateFormat is a restriction template.
type TemplateFormat struct {
	Name      string `yaml:"name,omitempty"`
	Condition string `yaml:"condition,omitempty"`
}

// UserFormat is a user.
type UserFormat struct {
	Name     string   `yaml:"name,omitempty"`
	FullName string   `yaml:"full_name,omitempty"`
	Roles    []string `yaml:"roles,omitempty"`
	// OSUser maps an operating-system account (user or DOMAIN\user) to
	// the user, for commands run without --user, as 1C's OS authentication.
	OSUser string `yaml:"os_user,omitempty"`
	// Email is where codes of the second factor may be sent.
	Email string `yaml:"email,omitempty"`
}

// yamlFile is one parsed file: its decoded content and its syntax tree,
// which gives the positions of values for messages.
type yamlFile struct {
	path  string
	src   []byte
	ast   *yast.File
	raw   FileFormat
	index map[string]yast.Node // values by YAML path, built on first use
	lines []string             // src split into lines, on first use
}

// line returns the i-th line (from 0) of the file's text. The lines are
// split once: texts ask for them one by one, and splitting the whole file
// for each made loading a big role file quadratic.
func (f *yamlFile) line(i int) (string, bool) {
	if f.lines == nil {
		f.lines = strings.Split(string(f.src), "\n")
	}
	if i < 0 || i >= len(f.lines) {
		return "", false
	}
	return f.lines[i], true
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

// node returns the value at a YAML path. The file's values are indexed by
// path once: looking each up through go-yaml's path filter would walk the
// tree for every message and every text, which is quadratic in big files.
func (f *yamlFile) node(path string) yast.Node {
	if f.ast == nil {
		return nil // decoded without YAML text (LoadFormats): no positions
	}
	if f.index == nil {
		f.index = map[string]yast.Node{}
		for _, doc := range f.ast.Docs {
			if doc.Body != nil {
				f.indexNode("$", doc.Body)
			}
		}
	}
	return f.index[path]
}

func (f *yamlFile) indexNode(path string, n yast.Node) {
	if _, dup := f.index[path]; !dup {
		f.index[path] = n
	}
	switch n := n.(type) {
	case *yast.MappingNode:
		for _, mv := range n.Values {
			f.indexNode(path+"."+mapKey(mv), mv.Value)
		}
	case *yast.MappingValueNode:
		f.indexNode(path+"."+mapKey(n), n.Value)
	case *yast.SequenceNode:
		for i, v := range n.Values {
			f.indexNode(fmt.Sprintf("%s[%d]", path, i), v)
		}
	case *yast.TagNode:
		f.indexNode(path, n.Value)
	case *yast.AnchorNode:
		f.indexNode(path, n.Value)
	}
}

func mapKey(mv *yast.MappingValueNode) string {
	if t := mv.Key.GetToken(); t != nil {
		return t.Value
	}
	return mv.Key.String()
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
		indent := 0
		if l, ok := f.line(tok.Position.Line); ok {
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
	return LoadFiles(paths...)
}

// LoadFiles is Load for an explicit list of files.
func LoadFiles(paths ...string) (*Configuration, error) {
	return loadAll(paths, readYAML)
}

// loadAll reads each named file with read, gathering every positioned
// problem before giving up, then builds the configuration.
func loadAll(names []string, read func(string) (*yamlFile, error)) (*Configuration, error) {
	// Files parse on their own, one per CPU at once: the YAML of a big
	// application is a thousand files and most of the time of a load.
	parsed := make([]*yamlFile, len(names))
	failed := make([]error, len(names))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				parsed[i], failed[i] = read(names[i])
			}
		}()
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	var errs source.ErrorList
	var files []*yamlFile
	for i, f := range parsed {
		if err := failed[i]; err != nil {
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

// LoadSources loads a configuration from files held in memory (name →
// content), as an infobase stores them; names stand for paths in messages.
func LoadSources(sources map[string][]byte) (*Configuration, error) {
	names := make([]string, 0, len(sources))
	for name := range sources {
		names = append(names, name)
	}
	sort.Strings(names)
	return loadAll(names, func(name string) (*yamlFile, error) { return parseYAML(name, sources[name]) })
}

// LoadFormats builds and validates a configuration from files as decoded
// (name → content, names as LoadSources takes them), without writing and
// parsing their YAML: what an importer that has just built them asks. The
// model has no positions inside the files (every one is line 1 of its
// file), so a caller that shows messages loads the written files instead
// when it fails.
func LoadFormats(files map[string]*FileFormat) (*Configuration, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	return loadAll(names, func(name string) (*yamlFile, error) {
		return &yamlFile{path: name, raw: *files[name]}, nil
	})
}

// readYAML parses and decodes one file; YAML mistakes (syntax, unknown keys,
// wrong value types) come back as a positioned ErrorList.
func readYAML(path string) (*yamlFile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseYAML(path, src)
}

func parseYAML(path string, src []byte) (*yamlFile, error) {
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
		var raw FileFormat
		if err := yaml.NodeToValue(doc.Body, &raw, yaml.DisallowUnknownField()); err != nil {
			return nil, yamlError(path, err)
		}
		f.raw = merge(f.raw, raw)
	}
	return f, nil
}

func merge(a, b FileFormat) FileFormat {
	if b.Configuration != nil {
		a.Configuration = b.Configuration
	}
	a.Catalogs = append(a.Catalogs, b.Catalogs...)
	a.Documents = append(a.Documents, b.Documents...)
	a.InformationRegisters = append(a.InformationRegisters, b.InformationRegisters...)
	a.AccumulationRegisters = append(a.AccumulationRegisters, b.AccumulationRegisters...)
	a.Constants = append(a.Constants, b.Constants...)
	a.Enums = append(a.Enums, b.Enums...)
	a.Charts = append(a.Charts, b.Charts...)
	a.ExchangePlans = append(a.ExchangePlans, b.ExchangePlans...)
	a.BusinessProcesses = append(a.BusinessProcesses, b.BusinessProcesses...)
	a.Tasks = append(a.Tasks, b.Tasks...)
	a.ChartsOfAccounts = append(a.ChartsOfAccounts, b.ChartsOfAccounts...)
	a.AccountingRegisters = append(a.AccountingRegisters, b.AccountingRegisters...)
	a.ChartsOfCalculation = append(a.ChartsOfCalculation, b.ChartsOfCalculation...)
	a.DocumentJournals = append(a.DocumentJournals, b.DocumentJournals...)
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

package bsl

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"dostup/metadata/vocab"
)

// ModuleKind is what a module is for, as the Configurator dump lays it out:
// the kind decides in which contexts 1C compiles the module and which checks
// apply to it. The value is the kind's stable name, which JSON output and
// command lines use.
type ModuleKind string

// The module kinds. The file names are those of `Выгрузить конфигурацию в
// файлы`; <Kind> is a dump folder such as Catalogs.
const (
	KindObject              ModuleKind = "object"               // <Kind>/<Name>/Ext/ObjectModule.bsl
	KindManager             ModuleKind = "manager"              // <Kind>/<Name>/Ext/ManagerModule.bsl
	KindRecordSet           ModuleKind = "record-set"           // <Kind>/<Name>/Ext/RecordSetModule.bsl
	KindValueManager        ModuleKind = "value-manager"        // Constants/<Name>/Ext/ValueManagerModule.bsl
	KindCommand             ModuleKind = "command"              // <Kind>/<Name>/Commands/<Cmd>/Ext/CommandModule.bsl, CommonCommands/<Name>/Ext/CommandModule.bsl
	KindManagedForm         ModuleKind = "managed-form"         // .../Forms/<Form>/Ext/Form/Module.bsl, CommonForms/<Form>/Ext/Form/Module.bsl
	KindOrdinaryForm        ModuleKind = "ordinary-form"        // the same paths, for a form whose FormType is Ordinary
	KindCommon              ModuleKind = "common"               // CommonModules/<Name>/Ext/Module.bsl
	KindSession             ModuleKind = "session"              // Ext/SessionModule.bsl
	KindManagedApplication  ModuleKind = "managed-application"  // Ext/ManagedApplicationModule.bsl
	KindOrdinaryApplication ModuleKind = "ordinary-application" // Ext/OrdinaryApplicationModule.bsl
	KindExternalConnection  ModuleKind = "external-connection"  // Ext/ExternalConnectionModule.bsl
	KindHTTPService         ModuleKind = "http-service"         // HTTPServices/<Name>/Ext/Module.bsl
	KindWebService          ModuleKind = "web-service"          // WebServices/<Name>/Ext/Module.bsl
	KindIntegrationService  ModuleKind = "integration-service"  // IntegrationServices/<Name>/Ext/Module.bsl
	KindBot                 ModuleKind = "bot"                  // Bots/<Name>/Ext/Module.bsl
)

// ModuleKinds lists every module kind, in the order of the constants.
func ModuleKinds() []ModuleKind {
	return []ModuleKind{
		KindObject, KindManager, KindRecordSet, KindValueManager, KindCommand,
		KindManagedForm, KindOrdinaryForm, KindCommon, KindSession,
		KindManagedApplication, KindOrdinaryApplication, KindExternalConnection,
		KindHTTPService, KindWebService, KindIntegrationService, KindBot,
	}
}

// String is the kind's stable name.
func (k ModuleKind) String() string { return string(k) }

// IsForm reports whether the kind is a form module, managed or ordinary.
func (k ModuleKind) IsForm() bool { return k == KindManagedForm || k == KindOrdinaryForm }

// IsObjectModule reports whether the kind is one of the four modules of a
// metadata object that 1C compiles in every context, clients of a managed
// application included, which is why standard 680 asks for the
// `#Если Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение`
// wrap in them.
func (k ModuleKind) IsObjectModule() bool {
	switch k {
	case KindObject, KindManager, KindRecordSet, KindValueManager:
		return true
	}
	return false
}

// CommonModuleFlags are a common module's properties that decide where it
// is compiled and how it is called, as CommonModules/<Name>.xml holds them.
type CommonModuleFlags struct {
	Global                    bool // Глобальный: its exported methods are called without the module's name
	ClientManagedApplication  bool // КлиентУправляемоеПриложение
	Server                    bool // Сервер
	ExternalConnection        bool // ВнешнееСоединение
	ClientOrdinaryApplication bool // КлиентОбычноеПриложение
	ServerCall                bool // ВызовСервера: clients may call its exported methods
	Privileged                bool // Привилегированный: runs without access checks
	// ReturnValuesReuse is ПовторноеИспользованиеВозвращаемыхЗначений as
	// the dump spells it: DontUse, DuringRequest or DuringSession.
	ReturnValuesReuse string
}

// Contexts are the contexts in which 1C compiles a common module with these
// flags. A module with ServerCall or Privileged is a server module even if
// its Server flag is off, since the platform allows those flags only on
// server modules.
func (f CommonModuleFlags) Contexts() ContextSet {
	var s ContextSet
	if f.Server || f.ServerCall || f.Privileged {
		s |= dumpServerContexts
	}
	if f.ClientManagedApplication {
		s |= dumpManagedClients
	}
	if f.ClientOrdinaryApplication {
		s |= SetOf(ThickClientOrdinaryApplication)
	}
	if f.ExternalConnection {
		s |= SetOf(ExternalConnection)
	}
	return s
}

// dumpServerContexts are the contexts where Сервер is true, all of them
// for every kind of server module: the mobile platform's servers compile
// server common modules and forms' server methods alike, so counting them
// for one kind and not another would make calls between the two look
// unavailable there.
const dumpServerContexts = ContextSet(1<<Server | 1<<MobileAppServer | 1<<MobileStandaloneServer)

// dumpManagedClients are the clients of a managed application: where
// КлиентУправляемоеПриложение modules, managed forms and the managed
// application module are compiled. The mobile platform's client runs a
// managed application too, with the same modules.
const dumpManagedClients = ContextSet(1<<ThinClient | 1<<WebClient | 1<<MobileClient | 1<<ThickClientManagedApplication | 1<<MobileAppClient)

// Module is one BSL module of a dump with what its place in the dump says
// about it.
type Module struct {
	Path string     // the file, as given to LoadModule
	Kind ModuleKind // from the dump layout, and for forms their XML
	// Object is the full name of the metadata object that owns the module,
	// in the configuration's language, as 1C's ПолноеИмя() gives it:
	// Справочник.Контрагенты, Справочник.Контрагенты.Форма.ФормаЭлемента,
	// ОбщийМодуль.ОбщегоНазначения (Catalog.X, Catalog.X.Form.Y,
	// CommonModule.X in an English one). It is empty for the
	// configuration's own modules (session, application, external
	// connection) and for a module outside a known dump folder.
	Object string
	// Common holds a common module's flags; nil for other kinds.
	Common *CommonModuleFlags
	// Russian is the configuration's ScriptVariant (Russian unless
	// Configuration.xml says English): the language of the module's
	// keywords and of the messages about it.
	Russian bool
	// Source is the module's text as the file holds it, byte-order mark
	// included, so that offsets are those of the file; Lex skips the mark.
	Source string

	// managedFormsInOrdinary and ordinaryFormsInManaged are the
	// configuration's UseManagedFormInOrdinaryApplication and
	// UseOrdinaryFormInManagedApplication, which let forms of one kind open
	// in the other application's thick client.
	managedFormsInOrdinary bool
	ordinaryFormsInManaged bool
}

// Contexts are the contexts in which 1C compiles the module before the
// preprocessor and compilation directives narrow them down:
//
//   - object, manager, record-set and value-manager modules: every context;
//   - common modules: by their flags (see CommonModuleFlags.Contexts);
//   - managed forms and commands: the clients of a managed application and
//     the servers (directives decide per method), and the ordinary
//     application's thick client when the configuration lets managed forms
//     open there;
//   - ordinary forms: the ordinary application's thick client, and the
//     managed application's when the configuration lets ordinary forms open
//     there;
//   - session module and HTTP, web and integration services, bots: the
//     servers;
//   - managed application module: the clients of a managed application;
//     ordinary application module: the ordinary application's thick client;
//   - external connection module: the external connection.
//
// "The servers" are Server, MobileAppServer and MobileStandaloneServer, and
// the clients of a managed application are ThinClient, WebClient,
// MobileClient, ThickClientManagedApplication and MobileAppClient.
func (m *Module) Contexts() ContextSet {
	switch m.Kind {
	case KindObject, KindManager, KindRecordSet, KindValueManager:
		return AllContexts
	case KindCommon:
		if m.Common == nil {
			return 0
		}
		return m.Common.Contexts()
	case KindManagedForm, KindCommand:
		s := dumpManagedClients | dumpServerContexts
		if m.managedFormsInOrdinary {
			s |= SetOf(ThickClientOrdinaryApplication)
		}
		return s
	case KindOrdinaryForm:
		s := SetOf(ThickClientOrdinaryApplication)
		if m.ordinaryFormsInManaged {
			s |= SetOf(ThickClientManagedApplication)
		}
		return s
	case KindSession, KindHTTPService, KindWebService, KindIntegrationService, KindBot:
		return dumpServerContexts
	case KindManagedApplication:
		return dumpManagedClients
	case KindOrdinaryApplication:
		return SetOf(ThickClientOrdinaryApplication)
	case KindExternalConnection:
		return SetOf(ExternalConnection)
	}
	return 0
}

// moduleFiles are the file names of modules whose kind the name alone
// tells, with whether the file sits in the configuration's own Ext folder
// (rootLevel) rather than an object's.
var moduleFiles = []struct {
	file      string
	kind      ModuleKind
	rootLevel bool
}{
	{"ObjectModule.bsl", KindObject, false},
	{"ManagerModule.bsl", KindManager, false},
	{"RecordSetModule.bsl", KindRecordSet, false},
	{"ValueManagerModule.bsl", KindValueManager, false},
	{"CommandModule.bsl", KindCommand, false},
	{"SessionModule.bsl", KindSession, true},
	{"ManagedApplicationModule.bsl", KindManagedApplication, true},
	{"OrdinaryApplicationModule.bsl", KindOrdinaryApplication, true},
	{"ExternalConnectionModule.bsl", KindExternalConnection, true},
}

// moduleFolders are the dump folders whose objects have a plain
// Ext/Module.bsl, and the kind of that module.
var moduleFolders = []struct {
	folder string
	kind   ModuleKind
}{
	{"CommonModules", KindCommon},
	{"HTTPServices", KindHTTPService},
	{"WebServices", KindWebService},
	{"IntegrationServices", KindIntegrationService},
	{"Bots", KindBot},
}

// modulePlace is what a module's path says: its kind by the layout and the
// segments that name its owner.
type modulePlace struct {
	kind ModuleKind
	// segs are the path's segments, slash-separated and cleaned.
	segs []string
	// owner is the index in segs of the owning object's folder
	// (<Kind>/<Name>/Ext/...: the index of <Name>), or -1 for the
	// configuration's own modules.
	owner int
	// form is the form's folder (.../Forms/<Form> or CommonForms/<Form>)
	// for a form module, whose XML says managed or ordinary.
	form string
}

// placeOf reads a module's kind off its path alone; a form module is
// KindManagedForm here until its XML has been read.
func placeOf(path string) (modulePlace, bool) {
	segs := strings.Split(filepath.ToSlash(filepath.Clean(path)), "/")
	n := len(segs)
	name := segs[n-1]
	at := func(i int, want string) bool { return i >= 0 && strings.EqualFold(segs[i], want) }
	if !strings.EqualFold(filepath.Ext(name), ".bsl") || n < 2 {
		return modulePlace{}, false
	}
	// .../<Form>/Ext/Form/Module.bsl
	if strings.EqualFold(name, "Module.bsl") && at(n-2, "Form") && at(n-3, "Ext") && n >= 4 {
		form := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Clean(path))))
		return modulePlace{kind: KindManagedForm, segs: segs, owner: n - 4, form: form}, true
	}
	if !at(n-2, "Ext") {
		return modulePlace{}, false
	}
	if strings.EqualFold(name, "Module.bsl") {
		if n < 4 {
			return modulePlace{}, false
		}
		for _, f := range moduleFolders {
			if at(n-4, f.folder) {
				return modulePlace{kind: f.kind, segs: segs, owner: n - 3}, true
			}
		}
		return modulePlace{}, false
	}
	for _, f := range moduleFiles {
		if !strings.EqualFold(name, f.file) {
			continue
		}
		if f.rootLevel {
			return modulePlace{kind: f.kind, segs: segs, owner: -1}, true
		}
		if n < 3 {
			return modulePlace{}, false
		}
		return modulePlace{kind: f.kind, segs: segs, owner: n - 3}, true
	}
	return modulePlace{}, false
}

// objectName is the owner's full name in the configuration's language, or
// "" when the folders above the module are not those of a dump.
func (p modulePlace) objectName(russian bool) string {
	if p.owner < 1 {
		return ""
	}
	segs, i := p.segs, p.owner
	word := func(en, ru string) string {
		if russian {
			return ru
		}
		return en
	}
	// A sub-object: <Kind>/<Name>/Commands/<Cmd> or <Kind>/<Name>/Forms/<Form>.
	var sub string
	if i >= 3 {
		switch {
		case strings.EqualFold(segs[i-1], "Commands"):
			sub = "." + word("Command", "Команда") + "." + segs[i]
		case strings.EqualFold(segs[i-1], "Forms"):
			sub = "." + word("Form", "Форма") + "." + segs[i]
		}
		if sub != "" {
			if k, ok := kindOfFolder(segs[i-3]); ok {
				return k.Name(!russian) + "." + segs[i-2] + sub
			}
			return ""
		}
	}
	if k, ok := kindOfFolder(segs[i-1]); ok {
		return k.Name(!russian) + "." + segs[i]
	}
	return ""
}

// kindOfFolder finds the kind of metadata object whose dump folder is
// folder (Catalogs → Catalog).
func kindOfFolder(folder string) (vocab.Kind, bool) {
	for _, k := range vocab.Kinds() {
		if f := k.Folder(); f != "" && strings.EqualFold(f, folder) {
			return k, true
		}
	}
	return "", false
}

// KindOf tells a module's kind from its path inside a dump. The path alone
// decides, except for form modules: .../Ext/Form/Module.bsl is an ordinary
// form's when the form's XML (.../Forms/<Form>.xml, CommonForms/<Form>.xml)
// has FormType Ordinary, and a managed one's otherwise. Without that XML a
// form with Ext/Form.bin and no Ext/Form.xml is taken as ordinary, since
// only managed forms are dumped as Form.xml. ok is false for a file that is
// not a module of a Configurator dump.
func KindOf(path string) (kind ModuleKind, ok bool) {
	p, ok := placeOf(path)
	if !ok {
		return "", false
	}
	if p.form != "" {
		k, _ := formKind(p.form)
		return k, true
	}
	return p.kind, true
}

// formKind reads whether the form in folder formDir is managed or
// ordinary. It returns KindManagedForm with the error when the form's XML
// exists but cannot be read.
func formKind(formDir string) (ModuleKind, error) {
	xmlPath := formDir + ".xml"
	props, err := readMDProperties(xmlPath, "Form", "CommonForm")
	switch {
	case err == nil:
		if strings.EqualFold(props["FormType"], "Ordinary") {
			return KindOrdinaryForm, nil
		}
		return KindManagedForm, nil
	case errors.Is(err, fs.ErrNotExist):
		_, errXML := os.Stat(filepath.Join(formDir, "Ext", "Form.xml"))
		_, errBin := os.Stat(filepath.Join(formDir, "Ext", "Form.bin"))
		if errXML != nil && errBin == nil {
			return KindOrdinaryForm, nil
		}
		return KindManagedForm, nil
	}
	return KindManagedForm, err
}

// LoadModule reads a module inside a dump: its text, its kind and owner,
// the configuration's language from Configuration.xml (found by walking up
// from the module; a module with none above it is taken as Russian, 1C's
// default) and, for a common module, its flags. Errors name the file.
// Loading many modules is cheaper with one Loader.
func LoadModule(path string) (*Module, error) {
	return new(Loader).Load(path)
}

// Loader loads the modules of dumps, reading each dump's Configuration.xml
// once. Its zero value is ready; it is safe for concurrent use, so workers
// checking a dump can share one.
type Loader struct {
	mu      sync.Mutex
	roots   map[string]string      // folder → the dump root above it ("" for none)
	configs map[string]*dumpConfig // dump root → what its Configuration.xml says
}

// dumpConfig is what modules need from Configuration.xml.
type dumpConfig struct {
	russian                bool
	managedFormsInOrdinary bool
	ordinaryFormsInManaged bool
	err                    error
}

// Load reads one module; see LoadModule.
func (l *Loader) Load(path string) (*Module, error) {
	p, ok := placeOf(path)
	if !ok {
		return nil, fmt.Errorf("%s: not a module of a Configurator dump: expected <Kind>/<Name>/Ext/ObjectModule.bsl, ManagerModule.bsl, .../Ext/Form/Module.bsl, CommonModules/<Name>/Ext/Module.bsl or the like", path)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *fs.PathError names the file
	}
	m := &Module{Path: path, Kind: p.kind, Source: string(src), Russian: true}
	cfg, err := l.config(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	if cfg != nil {
		m.Russian = cfg.russian
		m.managedFormsInOrdinary = cfg.managedFormsInOrdinary
		m.ordinaryFormsInManaged = cfg.ordinaryFormsInManaged
	}
	m.Object = p.objectName(m.Russian)
	switch {
	case p.form != "":
		if m.Kind, err = formKind(p.form); err != nil {
			return nil, fmt.Errorf("form of module %s: %w", path, err)
		}
	case p.kind == KindCommon:
		// CommonModules/<Name>/Ext/Module.bsl → CommonModules/<Name>.xml
		xmlPath := filepath.Dir(filepath.Dir(filepath.Clean(path))) + ".xml"
		flags, err := ReadCommonModuleFlags(xmlPath)
		if err != nil {
			return nil, fmt.Errorf("flags of common module %s: %w", path, err)
		}
		m.Common = flags
	}
	return m, nil
}

// config finds the dump root at or above dir and reads its
// Configuration.xml, remembering both; nil when no folder above holds one.
func (l *Loader) config(dir string) (*dumpConfig, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.roots == nil {
		l.roots = map[string]string{}
		l.configs = map[string]*dumpConfig{}
	}
	root, known := l.roots[dir]
	if !known {
		var walked []string
		for d := dir; ; {
			if r, ok := l.roots[d]; ok {
				root = r
				break
			}
			walked = append(walked, d)
			if st, err := os.Stat(filepath.Join(d, "Configuration.xml")); err == nil && !st.IsDir() {
				root = d
				break
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
		for _, d := range walked {
			l.roots[d] = root
		}
	}
	if root == "" {
		return nil, nil
	}
	cfg, ok := l.configs[root]
	if !ok {
		cfg = readDumpConfig(filepath.Join(root, "Configuration.xml"))
		l.configs[root] = cfg
	}
	return cfg, cfg.err
}

func readDumpConfig(path string) *dumpConfig {
	props, err := readMDProperties(path, "Configuration")
	if err != nil {
		return &dumpConfig{err: err}
	}
	cfg := &dumpConfig{russian: !strings.EqualFold(props["ScriptVariant"], "English")}
	for _, b := range []struct {
		name string
		dst  *bool
	}{
		{"UseManagedFormInOrdinaryApplication", &cfg.managedFormsInOrdinary},
		{"UseOrdinaryFormInManagedApplication", &cfg.ordinaryFormsInManaged},
	} {
		v, err := parseXMLBool(path, b.name, props)
		if err != nil {
			return &dumpConfig{err: err}
		}
		*b.dst = v
	}
	return cfg
}

// ReadCommonModuleFlags reads a common module's flags from its
// CommonModules/<Name>.xml. LoadModule does this for a module it loads;
// this is for callers that need the flags of modules whose code they do not
// load, such as the modules a checked module calls.
func ReadCommonModuleFlags(path string) (*CommonModuleFlags, error) {
	props, err := readMDProperties(path, "CommonModule")
	if err != nil {
		return nil, err
	}
	f := &CommonModuleFlags{ReturnValuesReuse: props["ReturnValuesReuse"]}
	for _, b := range []struct {
		name string
		dst  *bool
	}{
		{"Global", &f.Global},
		{"ClientManagedApplication", &f.ClientManagedApplication},
		{"Server", &f.Server},
		{"ExternalConnection", &f.ExternalConnection},
		{"ClientOrdinaryApplication", &f.ClientOrdinaryApplication},
		{"ServerCall", &f.ServerCall},
		{"Privileged", &f.Privileged},
	} {
		v, err := parseXMLBool(path, b.name, props)
		if err != nil {
			return nil, err
		}
		*b.dst = v
	}
	return f, nil
}

// parseXMLBool reads a property written as true or false; a missing one is
// false, as the Configurator omits nothing but older dumps may.
func parseXMLBool(path, name string, props map[string]string) (bool, error) {
	switch v := props[name]; v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, fmt.Errorf("%s: <%s> is %q; expected true or false", path, name, v)
	}
}

// readMDProperties reads the simple properties (elements holding only
// text) of a metadata object's XML file: <MetaDataObject><Class><Properties>.
// It stops at the end of <Properties>, so the long child-object list of
// Configuration.xml is never read. classes are the element names the file
// may hold under <MetaDataObject>.
func readMDProperties(path string, classes ...string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	props, err := decodeMDProperties(bufio.NewReader(f), classes)
	if err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s:%d: %s", path, se.Line, se.Msg)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return props, nil
}

// xmlBOM is the byte-order mark the Configurator writes at the start of
// every file; encoding/xml would take it for text before the declaration.
var xmlBOM = []byte{0xEF, 0xBB, 0xBF}

func decodeMDProperties(r *bufio.Reader, classes []string) (map[string]string, error) {
	if head, err := r.Peek(len(xmlBOM)); err == nil && bytes.Equal(head, xmlBOM) {
		if _, err := r.Discard(len(xmlBOM)); err != nil {
			return nil, err
		}
	}
	d := xml.NewDecoder(r)
	// path holds the names of the open elements; properties are the
	// elements at depth 4: MetaDataObject/Class/Properties/Name.
	var path []string
	var text strings.Builder
	props := map[string]string{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil, errors.New("no <Properties> element: not a metadata object's file of a Configurator dump")
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			switch len(path) {
			case 0:
				if name != "MetaDataObject" {
					return nil, fmt.Errorf("root element is <%s>; a Configurator dump file has <MetaDataObject>", name)
				}
			case 1:
				if !anyEqualFold(classes, name) {
					return nil, fmt.Errorf("<MetaDataObject> holds <%s>; expected <%s>", name, strings.Join(classes, "> or <"))
				}
			}
			path = append(path, name)
			text.Reset()
		case xml.CharData:
			if len(path) == 4 && path[2] == "Properties" {
				text.Write(t)
			}
		case xml.EndElement:
			switch {
			case len(path) == 4 && path[2] == "Properties":
				props[path[3]] = strings.TrimSpace(text.String())
			case len(path) == 3 && path[2] == "Properties":
				return props, nil
			}
			path = path[:len(path)-1]
		}
	}
}

func anyEqualFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// FindModules lists every .bsl file under root (a dump root, any folder in
// it, or a single module file), sorted. Folders whose names start with a dot
// (.git and the like) are skipped: they hold no configuration.
func FindModules(root string) ([]string, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		if !strings.EqualFold(filepath.Ext(root), ".bsl") {
			return nil, fmt.Errorf("%s: not a .bsl module nor a folder", root)
		}
		return []string{root}, nil
	}
	var out []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.EqualFold(filepath.Ext(p), ".bsl") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

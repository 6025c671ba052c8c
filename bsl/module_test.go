package bsl_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"dostup/bsl"
)

func TestModuleKindOf(t *testing.T) {
	tests := []struct {
		path string
		kind bsl.ModuleKind
		ok   bool
	}{
		{"Catalogs/Контрагенты/Ext/ObjectModule.bsl", bsl.KindObject, true},
		{"/dump/Documents/Заказ/Ext/ManagerModule.bsl", bsl.KindManager, true},
		{"InformationRegisters/Цены/Ext/RecordSetModule.bsl", bsl.KindRecordSet, true},
		{"Constants/ОсновнаяВалюта/Ext/ValueManagerModule.bsl", bsl.KindValueManager, true},
		{"Catalogs/Контрагенты/Commands/Открыть/Ext/CommandModule.bsl", bsl.KindCommand, true},
		{"CommonCommands/Печать/Ext/CommandModule.bsl", bsl.KindCommand, true},
		{"CommonModules/ОбщегоНазначения/Ext/Module.bsl", bsl.KindCommon, true},
		{"HTTPServices/API/Ext/Module.bsl", bsl.KindHTTPService, true},
		{"WebServices/Обмен/Ext/Module.bsl", bsl.KindWebService, true},
		{"IntegrationServices/Шина/Ext/Module.bsl", bsl.KindIntegrationService, true},
		{"Bots/Помощник/Ext/Module.bsl", bsl.KindBot, true},
		{"Ext/SessionModule.bsl", bsl.KindSession, true},
		{"/dump/Ext/ManagedApplicationModule.bsl", bsl.KindManagedApplication, true},
		{"Ext/OrdinaryApplicationModule.bsl", bsl.KindOrdinaryApplication, true},
		{"Ext/ExternalConnectionModule.bsl", bsl.KindExternalConnection, true},
		// A form without files to read is taken as managed.
		{"Catalogs/Контрагенты/Forms/ФормаЭлемента/Ext/Form/Module.bsl", bsl.KindManagedForm, true},
		{"CommonForms/Вопрос/Ext/Form/Module.bsl", bsl.KindManagedForm, true},
		// 1C's names are case-insensitive, and so are Windows file names.
		{"catalogs/x/ext/objectmodule.bsl", bsl.KindObject, true},

		{"Catalogs/Контрагенты/Ext/Predefined.xml", "", false},
		{"Catalogs/Контрагенты/ObjectModule.bsl", "", false},
		{"Catalogs/Контрагенты/Ext/Module.bsl", "", false},
		{"Catalogs/Контрагенты/Ext/Другой.bsl", "", false},
		{"Module.bsl", "", false},
		{"ObjectModule.bsl", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		kind, ok := bsl.KindOf(tt.path)
		if kind != tt.kind || ok != tt.ok {
			t.Errorf("KindOf(%q) = %q, %v; want %q, %v", tt.path, kind, ok, tt.kind, tt.ok)
		}
	}
}

func TestModuleKindNames(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range bsl.ModuleKinds() {
		name := k.String()
		if name == "" || strings.ToLower(name) != name || strings.ContainsAny(name, " _") {
			t.Errorf("kind %q: names are lower-case words joined by '-'", name)
		}
		if seen[name] {
			t.Errorf("kind %q listed twice", name)
		}
		seen[name] = true
	}
	for _, k := range []bsl.ModuleKind{bsl.KindObject, bsl.KindManager, bsl.KindRecordSet, bsl.KindValueManager} {
		if !k.IsObjectModule() || k.IsForm() {
			t.Errorf("%s: want an object module, not a form", k)
		}
	}
	for _, k := range []bsl.ModuleKind{bsl.KindManagedForm, bsl.KindOrdinaryForm} {
		if !k.IsForm() || k.IsObjectModule() {
			t.Errorf("%s: want a form", k)
		}
	}
}

// xmlHead is how the Configurator starts every XML file: a byte-order mark,
// the declaration and <MetaDataObject>.
const xmlHead = "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
	`<MetaDataObject xmlns="http://v8.1c.ru/8.3/MDClasses" xmlns:v8="http://v8.1c.ru/8.1/data/core" version="2.18">` + "\n"

func configurationXML(scriptVariant string, managedFormsInOrdinary bool) string {
	return xmlHead + `	<Configuration uuid="de29c81d-d880-419b-8f65-cc49813f0e9a">
		<InternalInfo/>
		<Properties>
			<Name>Тест</Name>
			<Synonym><v8:item><v8:lang>ru</v8:lang><v8:content>Тест</v8:content></v8:item></Synonym>
			<ScriptVariant>` + scriptVariant + `</ScriptVariant>
			<UseManagedFormInOrdinaryApplication>` + fmt.Sprint(managedFormsInOrdinary) + `</UseManagedFormInOrdinaryApplication>
			<UseOrdinaryFormInManagedApplication>false</UseOrdinaryFormInManagedApplication>
		</Properties>
		<ChildObjects>
			<Catalog>Контрагенты</Catalog>
		</ChildObjects>
	</Configuration>
</MetaDataObject>`
}

// commonModuleXML is CommonModules/<Name>.xml with the flags named true.
func commonModuleXML(name string, flags ...string) string {
	var b strings.Builder
	b.WriteString(xmlHead + "\t<CommonModule uuid=\"6fea83e4-5cab-40d5-970c-ffe1c6000ec0\">\n\t\t<Properties>\n")
	fmt.Fprintf(&b, "\t\t\t<Name>%s</Name>\n\t\t\t<Synonym/>\n\t\t\t<Comment/>\n", name)
	for _, f := range []string{"Global", "ClientManagedApplication", "Server", "ExternalConnection", "ClientOrdinaryApplication", "ServerCall", "Privileged"} {
		fmt.Fprintf(&b, "\t\t\t<%s>%v</%s>\n", f, slices.Contains(flags, f), f)
	}
	b.WriteString("\t\t\t<ReturnValuesReuse>DontUse</ReturnValuesReuse>\n\t\t</Properties>\n\t</CommonModule>\n</MetaDataObject>")
	return b.String()
}

func formXML(class, name, formType string) string {
	return xmlHead + "\t<" + class + " uuid=\"175b035e-ee35-4fdf-a8b4-c30ce49dee62\">\n\t\t<Properties>\n\t\t\t<Name>" + name +
		"</Name>\n\t\t\t<FormType>" + formType + "</FormType>\n\t\t</Properties>\n\t</" + class + ">\n</MetaDataObject>"
}

// writeFiles lays out files (slash-separated paths) under a new folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const moduleText = "\uFEFFПроцедура Тест() Экспорт\nКонецПроцедуры\n"

// russianDump is a small Russian dump with one module of each kind.
func russianDump(t *testing.T, managedFormsInOrdinary bool) string {
	return writeFiles(t, map[string]string{
		"Configuration.xml":                                                   configurationXML("Russian", managedFormsInOrdinary),
		"Catalogs/Контрагенты.xml":                                            xmlHead + "<Catalog/></MetaDataObject>",
		"Catalogs/Контрагенты/Ext/ObjectModule.bsl":                           moduleText,
		"Catalogs/Контрагенты/Ext/ManagerModule.bsl":                          moduleText,
		"Catalogs/Контрагенты/Commands/Открыть/Ext/CommandModule.bsl":         moduleText,
		"Catalogs/Контрагенты/Forms/ФормаЭлемента.xml":                        formXML("Form", "ФормаЭлемента", "Managed"),
		"Catalogs/Контрагенты/Forms/ФормаЭлемента/Ext/Form.xml":               "<Form/>",
		"Catalogs/Контрагенты/Forms/ФормаЭлемента/Ext/Form/Module.bsl":        moduleText,
		"Catalogs/Контрагенты/Forms/ФормаОбычная.xml":                         formXML("Form", "ФормаОбычная", "Ordinary"),
		"Catalogs/Контрагенты/Forms/ФормаОбычная/Ext/Form/Module.bsl":         moduleText,
		"Catalogs/Контрагенты/Forms/ФормаБезОписания/Ext/Form.bin":            "binary",
		"Catalogs/Контрагенты/Forms/ФормаБезОписания/Ext/Form/Module.bsl":     moduleText,
		"InformationRegisters/Цены/Ext/RecordSetModule.bsl":                   moduleText,
		"Constants/ОсновнаяВалюта/Ext/ValueManagerModule.bsl":                 moduleText,
		"CommonForms/Вопрос.xml":                                              formXML("CommonForm", "Вопрос", "Managed"),
		"CommonForms/Вопрос/Ext/Form/Module.bsl":                              moduleText,
		"CommonCommands/Печать/Ext/CommandModule.bsl":                         moduleText,
		"CommonModules/ОбщегоНазначения.xml":                                  commonModuleXML("ОбщегоНазначения", "Server", "ExternalConnection", "ClientOrdinaryApplication"),
		"CommonModules/ОбщегоНазначения/Ext/Module.bsl":                       moduleText,
		"CommonModules/ОбщегоНазначенияВызовСервера.xml":                      commonModuleXML("ОбщегоНазначенияВызовСервера", "Server", "ServerCall"),
		"CommonModules/ОбщегоНазначенияВызовСервера/Ext/Module.bsl":           moduleText,
		"CommonModules/ОбщегоНазначенияКлиент.xml":                            commonModuleXML("ОбщегоНазначенияКлиент", "ClientManagedApplication", "ClientOrdinaryApplication", "Global"),
		"CommonModules/ОбщегоНазначенияКлиент/Ext/Module.bsl":                 moduleText,
		"HTTPServices/API/Ext/Module.bsl":                                     moduleText,
		"Ext/SessionModule.bsl":                                               moduleText,
		"Ext/ManagedApplicationModule.bsl":                                    moduleText,
		"Ext/OrdinaryApplicationModule.bsl":                                   moduleText,
		"Ext/ExternalConnectionModule.bsl":                                    moduleText,
		".git/hooks/pre-commit.bsl":                                           "not a module",
		"Catalogs/Контрагенты/Templates/Макет/Ext/Template.xml":               "<x/>",
		"DataProcessors/Загрузка/Forms/Форма/Ext/Form/Items/ignored-file.txt": "",
	})
}

var (
	servers         = bsl.SetOf(bsl.Server, bsl.MobileAppServer, bsl.MobileStandaloneServer)
	managedClients  = bsl.SetOf(bsl.ThinClient, bsl.WebClient, bsl.MobileClient, bsl.ThickClientManagedApplication, bsl.MobileAppClient)
	ordinaryClient  = bsl.SetOf(bsl.ThickClientOrdinaryApplication)
	externalConnect = bsl.SetOf(bsl.ExternalConnection)
)

func TestLoadModule(t *testing.T) {
	root := russianDump(t, false)
	tests := []struct {
		path     string
		kind     bsl.ModuleKind
		object   string
		contexts bsl.ContextSet
		common   *bsl.CommonModuleFlags
	}{
		{"Catalogs/Контрагенты/Ext/ObjectModule.bsl", bsl.KindObject, "Справочник.Контрагенты", bsl.AllContexts, nil},
		{"Catalogs/Контрагенты/Ext/ManagerModule.bsl", bsl.KindManager, "Справочник.Контрагенты", bsl.AllContexts, nil},
		{"InformationRegisters/Цены/Ext/RecordSetModule.bsl", bsl.KindRecordSet, "РегистрСведений.Цены", bsl.AllContexts, nil},
		{"Constants/ОсновнаяВалюта/Ext/ValueManagerModule.bsl", bsl.KindValueManager, "Константа.ОсновнаяВалюта", bsl.AllContexts, nil},
		{"Catalogs/Контрагенты/Commands/Открыть/Ext/CommandModule.bsl", bsl.KindCommand, "Справочник.Контрагенты.Команда.Открыть", managedClients | servers, nil},
		{"CommonCommands/Печать/Ext/CommandModule.bsl", bsl.KindCommand, "ОбщаяКоманда.Печать", managedClients | servers, nil},
		{"Catalogs/Контрагенты/Forms/ФормаЭлемента/Ext/Form/Module.bsl", bsl.KindManagedForm, "Справочник.Контрагенты.Форма.ФормаЭлемента", managedClients | servers, nil},
		{"Catalogs/Контрагенты/Forms/ФормаОбычная/Ext/Form/Module.bsl", bsl.KindOrdinaryForm, "Справочник.Контрагенты.Форма.ФормаОбычная", ordinaryClient, nil},
		{"Catalogs/Контрагенты/Forms/ФормаБезОписания/Ext/Form/Module.bsl", bsl.KindOrdinaryForm, "Справочник.Контрагенты.Форма.ФормаБезОписания", ordinaryClient, nil},
		{"CommonForms/Вопрос/Ext/Form/Module.bsl", bsl.KindManagedForm, "ОбщаяФорма.Вопрос", managedClients | servers, nil},
		{"CommonModules/ОбщегоНазначения/Ext/Module.bsl", bsl.KindCommon, "ОбщийМодуль.ОбщегоНазначения", servers | externalConnect | ordinaryClient,
			&bsl.CommonModuleFlags{Server: true, ExternalConnection: true, ClientOrdinaryApplication: true, ReturnValuesReuse: "DontUse"}},
		{"CommonModules/ОбщегоНазначенияВызовСервера/Ext/Module.bsl", bsl.KindCommon, "ОбщийМодуль.ОбщегоНазначенияВызовСервера", servers,
			&bsl.CommonModuleFlags{Server: true, ServerCall: true, ReturnValuesReuse: "DontUse"}},
		{"CommonModules/ОбщегоНазначенияКлиент/Ext/Module.bsl", bsl.KindCommon, "ОбщийМодуль.ОбщегоНазначенияКлиент", managedClients | ordinaryClient,
			&bsl.CommonModuleFlags{Global: true, ClientManagedApplication: true, ClientOrdinaryApplication: true, ReturnValuesReuse: "DontUse"}},
		{"HTTPServices/API/Ext/Module.bsl", bsl.KindHTTPService, "HTTPСервис.API", servers, nil},
		{"Ext/SessionModule.bsl", bsl.KindSession, "", servers, nil},
		{"Ext/ManagedApplicationModule.bsl", bsl.KindManagedApplication, "", managedClients, nil},
		{"Ext/OrdinaryApplicationModule.bsl", bsl.KindOrdinaryApplication, "", ordinaryClient, nil},
		{"Ext/ExternalConnectionModule.bsl", bsl.KindExternalConnection, "", externalConnect, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			path := filepath.Join(root, filepath.FromSlash(tt.path))
			m, err := bsl.LoadModule(path)
			if err != nil {
				t.Fatal(err)
			}
			if m.Path != path || m.Kind != tt.kind || m.Object != tt.object || !m.Russian || m.Source != moduleText {
				t.Errorf("got Path %q Kind %q Object %q Russian %v Source %q;\nwant %q %q %q true %q", m.Path, m.Kind, m.Object, m.Russian, m.Source, path, tt.kind, tt.object, moduleText)
			}
			if got := m.Contexts(); got != tt.contexts {
				t.Errorf("Contexts() = %v; want %v", got.Names(true), tt.contexts.Names(true))
			}
			if !reflect.DeepEqual(m.Common, tt.common) {
				t.Errorf("Common = %+v; want %+v", m.Common, tt.common)
			}
			if kind, ok := bsl.KindOf(path); !ok || kind != tt.kind {
				t.Errorf("KindOf = %q, %v; want %q as LoadModule says", kind, ok, tt.kind)
			}
		})
	}
}

// TestLoadModuleManagedFormsInOrdinaryApplication: a configuration that lets
// managed forms open in the ordinary application's thick client compiles
// their modules and command modules there too.
func TestLoadModuleManagedFormsInOrdinaryApplication(t *testing.T) {
	root := russianDump(t, true)
	for _, p := range []string{
		"Catalogs/Контрагенты/Forms/ФормаЭлемента/Ext/Form/Module.bsl",
		"CommonCommands/Печать/Ext/CommandModule.bsl",
	} {
		m, err := bsl.LoadModule(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		if want := managedClients | servers | ordinaryClient; m.Contexts() != want {
			t.Errorf("%s: Contexts() = %v; want %v", p, m.Contexts().Names(true), want.Names(true))
		}
	}
}

func TestLoadModuleEnglish(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"Configuration.xml":                                      configurationXML("English", false),
		"Catalogs/Counterparties/Ext/ObjectModule.bsl":           moduleText,
		"Catalogs/Counterparties/Forms/Item/Ext/Form/Module.bsl": moduleText,
		"CommonModules/Common.xml":                               commonModuleXML("Common", "Server"),
		"CommonModules/Common/Ext/Module.bsl":                    moduleText,
		"Documents/Order/Commands/Print/Ext/CommandModule.bsl":   moduleText,
	})
	for path, object := range map[string]string{
		"Catalogs/Counterparties/Ext/ObjectModule.bsl":           "Catalog.Counterparties",
		"Catalogs/Counterparties/Forms/Item/Ext/Form/Module.bsl": "Catalog.Counterparties.Form.Item",
		"CommonModules/Common/Ext/Module.bsl":                    "CommonModule.Common",
		"Documents/Order/Commands/Print/Ext/CommandModule.bsl":   "Document.Order.Command.Print",
	} {
		m, err := bsl.LoadModule(filepath.Join(root, filepath.FromSlash(path)))
		if err != nil {
			t.Fatal(err)
		}
		if m.Russian || m.Object != object {
			t.Errorf("%s: Russian %v, Object %q; want false, %q", path, m.Russian, m.Object, object)
		}
	}
}

// TestLoadModuleOutsideDump: a module with no Configuration.xml above it
// (an external data processor's dump, a file copied out) is Russian, 1C's
// default, and its owner is unknown.
func TestLoadModuleOutsideDump(t *testing.T) {
	root := writeFiles(t, map[string]string{"Загрузка/Ext/ObjectModule.bsl": moduleText})
	m, err := bsl.LoadModule(filepath.Join(root, "Загрузка", "Ext", "ObjectModule.bsl"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != bsl.KindObject || !m.Russian || m.Object != "" || m.Contexts() != bsl.AllContexts {
		t.Errorf("got %+v", m)
	}
}

func TestLoadModuleErrors(t *testing.T) {
	const mod = "CommonModules/М/Ext/Module.bsl"
	tests := []struct {
		name  string
		files map[string]string
		path  string
		want  []string // substrings of the error
	}{
		{"not a module", map[string]string{"Catalogs/X/Ext/Help.bsl": ""}, "Catalogs/X/Ext/Help.bsl",
			[]string{"Help.bsl", "not a module of a Configurator dump"}},
		{"missing file", map[string]string{}, "Catalogs/X/Ext/ObjectModule.bsl",
			[]string{"ObjectModule.bsl"}},
		{"no common module XML", map[string]string{mod: moduleText}, mod,
			[]string{filepath.Join("CommonModules", "М.xml"), "flags of common module"}},
		{"malformed common module XML", map[string]string{mod: moduleText,
			"CommonModules/М.xml": xmlHead + "<CommonModule><Properties>\n<Server>true</Serv>"}, mod,
			[]string{filepath.Join("CommonModules", "М.xml") + ":4:", "Serv"}},
		{"flag not a boolean", map[string]string{mod: moduleText,
			"CommonModules/М.xml": strings.Replace(commonModuleXML("М"), "<Server>false", "<Server>да", 1)}, mod,
			[]string{filepath.Join("CommonModules", "М.xml"), "<Server>", `"да"`}},
		{"another object's XML", map[string]string{mod: moduleText,
			"CommonModules/М.xml": xmlHead + "<Catalog><Properties/></Catalog></MetaDataObject>"}, mod,
			[]string{filepath.Join("CommonModules", "М.xml"), "<Catalog>", "<CommonModule>"}},
		{"no properties", map[string]string{mod: moduleText,
			"CommonModules/М.xml": xmlHead + "<CommonModule/></MetaDataObject>"}, mod,
			[]string{filepath.Join("CommonModules", "М.xml"), "no <Properties>"}},
		{"not a dump file", map[string]string{mod: moduleText,
			"CommonModules/М.xml": "<html/>"}, mod,
			[]string{filepath.Join("CommonModules", "М.xml"), "<html>", "<MetaDataObject>"}},
		{"malformed Configuration.xml", map[string]string{"Ext/SessionModule.bsl": moduleText,
			"Configuration.xml": xmlHead + "<Configuration><Properties><ScriptVariant>Russian"}, "Ext/SessionModule.bsl",
			[]string{"Configuration.xml:", "unexpected EOF"}},
		{"malformed form XML", map[string]string{"CommonForms/Ф/Ext/Form/Module.bsl": moduleText,
			"CommonForms/Ф.xml": xmlHead + "<CommonForm><Properties><FormType>Managed</Form>"}, "CommonForms/Ф/Ext/Form/Module.bsl",
			[]string{"Module.bsl", filepath.Join("CommonForms", "Ф.xml") + ":3:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeFiles(t, tt.files)
			m, err := bsl.LoadModule(filepath.Join(root, filepath.FromSlash(tt.path)))
			if err == nil {
				t.Fatalf("no error; got %+v", m)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestFindModules(t *testing.T) {
	root := russianDump(t, false)
	got, err := bsl.FindModules(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 18 {
		t.Errorf("found %d modules; want 18:\n%s", len(got), strings.Join(got, "\n"))
	}
	if !slices.IsSorted(got) {
		t.Errorf("not sorted:\n%s", strings.Join(got, "\n"))
	}
	for _, p := range got {
		if strings.Contains(p, ".git") {
			t.Errorf("%s: hidden folders hold no modules", p)
		}
		if _, ok := bsl.KindOf(p); !ok {
			t.Errorf("%s: kind not recognised", p)
		}
	}

	sub, err := bsl.FindModules(filepath.Join(root, "CommonModules"))
	if err != nil || len(sub) != 3 {
		t.Errorf("FindModules(CommonModules) = %d modules, %v; want 3", len(sub), err)
	}
	one := filepath.Join(root, "Ext", "SessionModule.bsl")
	if got, err := bsl.FindModules(one); err != nil || !slices.Equal(got, []string{one}) {
		t.Errorf("FindModules(a module) = %q, %v; want the module", got, err)
	}
	if _, err := bsl.FindModules(filepath.Join(root, "Configuration.xml")); err == nil || !strings.Contains(err.Error(), "Configuration.xml") {
		t.Errorf("FindModules(an XML file) = %v; want an error naming it", err)
	}
	if _, err := bsl.FindModules(filepath.Join(root, "нет")); err == nil || !strings.Contains(err.Error(), "нет") {
		t.Errorf("FindModules(a missing folder) = %v; want an error naming it", err)
	}
}

func TestCommonModuleFlagsContexts(t *testing.T) {
	tests := []struct {
		flags bsl.CommonModuleFlags
		want  bsl.ContextSet
	}{
		{bsl.CommonModuleFlags{}, 0},
		{bsl.CommonModuleFlags{Server: true}, servers},
		{bsl.CommonModuleFlags{ServerCall: true}, servers},
		{bsl.CommonModuleFlags{Privileged: true}, servers},
		{bsl.CommonModuleFlags{ClientManagedApplication: true}, managedClients},
		{bsl.CommonModuleFlags{ClientOrdinaryApplication: true}, ordinaryClient},
		{bsl.CommonModuleFlags{ExternalConnection: true}, externalConnect},
		{bsl.CommonModuleFlags{Global: true, ClientManagedApplication: true}, managedClients},
		{bsl.CommonModuleFlags{Server: true, ClientManagedApplication: true, ClientOrdinaryApplication: true, ExternalConnection: true}, bsl.AllContexts},
	}
	for _, tt := range tests {
		if got := tt.flags.Contexts(); got != tt.want {
			t.Errorf("%+v: Contexts() = %v; want %v", tt.flags, got.Names(true), tt.want.Names(true))
		}
	}
}

// TestModuleContextsEveryKind: every kind is compiled somewhere, and a kind
// added without a context set fails here.
func TestModuleContextsEveryKind(t *testing.T) {
	for _, k := range bsl.ModuleKinds() {
		m := &bsl.Module{Kind: k}
		if k == bsl.KindCommon {
			m.Common = &bsl.CommonModuleFlags{Server: true}
		}
		if m.Contexts() == 0 {
			t.Errorf("%s: compiled in no context", k)
		}
	}
	if got := (&bsl.Module{Kind: bsl.KindCommon}).Contexts(); got != 0 {
		t.Errorf("common module without flags: Contexts() = %v; want none", got.Names(true))
	}
}

// TestModuleLoaderConcurrent: workers share one Loader.
func TestModuleLoaderConcurrent(t *testing.T) {
	root := russianDump(t, false)
	paths, err := bsl.FindModules(root)
	if err != nil {
		t.Fatal(err)
	}
	var l bsl.Loader
	var wg sync.WaitGroup
	errs := make([]error, len(paths))
	for i, p := range paths {
		wg.Go(func() {
			_, errs[i] = l.Load(p)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("%s: %v", paths[i], err)
		}
	}
}

func ExampleKindOf() {
	for _, p := range []string{
		"Catalogs/Контрагенты/Ext/ObjectModule.bsl",
		"Documents/Заказ/Commands/Печать/Ext/CommandModule.bsl",
		"CommonModules/ОбщегоНазначения/Ext/Module.bsl",
		"Ext/SessionModule.bsl",
		"Catalogs/Контрагенты/Ext/Predefined.xml",
	} {
		kind, ok := bsl.KindOf(p)
		fmt.Println(kind, ok)
	}
	// Output:
	// object true
	// command true
	// common true
	// session true
	//  false
}

func ExampleCommonModuleFlags_Contexts() {
	flags := bsl.CommonModuleFlags{Server: true, ServerCall: true}
	fmt.Println(flags.Contexts().Names(false))
	// Output:
	// [Сервер МобильноеПриложениеСервер МобильныйАвтономныйСервер]
}

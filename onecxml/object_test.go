package onecxml

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"dostup/sdbl/source"
)

// stripPos returns a copy of o without paths and positions, so that tests
// can compare what was read with a literal.
func stripPos(o *MDObject) MDObject {
	c := *o
	c.Path, c.Pos = "", source.Position{}
	strip := func(as []MDAttribute) []MDAttribute {
		if as == nil {
			return nil
		}
		out := make([]MDAttribute, len(as))
		for i, a := range as {
			a.Pos = source.Position{}
			out[i] = a
		}
		return out
	}
	c.Attributes, c.Dimensions, c.Resources, c.Columns = strip(c.Attributes), strip(c.Dimensions), strip(c.Resources), strip(c.Columns)
	if c.TabularSections != nil {
		c.TabularSections = make([]MDTabular, len(o.TabularSections))
		for i, ts := range o.TabularSections {
			ts.Pos = source.Position{}
			ts.Attributes = strip(ts.Attributes)
			c.TabularSections[i] = ts
		}
	}
	return c
}

var yes, no = true, false

func str(n int) TypeDesc { return TypeDesc{Types: []string{"xs:string"}, StringLength: n} }
func ref(t ...string) TypeDesc {
	return TypeDesc{Types: t}
}
func num(d, f int, nonNeg bool) TypeDesc {
	return TypeDesc{Types: []string{"xs:decimal"}, Digits: d, FractionDigits: f, NonNegative: nonNeg}
}

// TestReadDumpObjects reads a hand-written dump with one object of each kind
// and compares every object with what its file says.
func TestReadDumpObjects(t *testing.T) {
	root := filepath.Join("testdata", "objects")
	d, err := ReadDump(root)
	if err != nil {
		t.Fatal(err)
	}
	if d.Root != root || d.Configuration.Name != "Объекты" {
		t.Errorf("root %q, configuration %q", d.Root, d.Configuration.Name)
	}
	if want := []string{filepath.Join(root, "Roles", "Reader", "Ext", "Rights.xml")}; !reflect.DeepEqual(d.Rights, want) {
		t.Errorf("rights %v", d.Rights)
	}
	var names []string
	for _, o := range d.Objects {
		names = append(names, o.FullName())
		if want := filepath.Join(root, kindFolder(t, o.Kind), o.Name+".xml"); o.Path != want {
			t.Errorf("%s: path %q, want %q", o.FullName(), o.Path, want)
		}
		if o.Pos.Filename != o.Path || o.Pos.Line != 3 || o.Pos.Column != 2 {
			t.Errorf("%s: position %v", o.FullName(), o.Pos)
		}
	}
	// Configuration.xml order; the common module, report and data processor
	// are skipped although they have no files.
	wantNames := []string{
		"Catalog.Контрагенты", "Document.Заказ", "DocumentJournal.Журнал", "InformationRegister.ДатыЗапрета",
		"AccumulationRegister.Остатки", "ChartOfCharacteristicTypes.Свойства", "ExchangePlan.Обмен",
		"BusinessProcess.Задание", "Task.ЗадачаИсполнителя", "Enum.Статусы", "Constant.ВалютаУчета",
		"SessionParameter.ТекущийПользователь", "FunctionalOption.ИспользоватьОбмен",
		"FunctionalOptionsParameter.Организация", "DefinedType.Организация", "CommonAttribute.ОбластьДанных",
		"ChartOfAccounts.Основной", "AccountingRegister.Хозрасчетный", "ChartOfCalculationTypes.Начисления",
	}
	if !reflect.DeepEqual(names, wantNames) {
		t.Fatalf("objects %v", names)
	}
	if len(wantNames) != len(objectKinds) {
		t.Errorf("the test dump has %d kinds, the reader reads %d", len(wantNames), len(objectKinds))
	}

	want := map[string]MDObject{
		"Catalog.Контрагенты": {
			Kind: "Catalog", Name: "Контрагенты", Synonym: "Контрагенты",
			Hierarchical: true, HierarchyType: "HierarchyOfItems",
			Owners:     []string{"Catalog.Организации", "ExchangePlan.Обмен"},
			CodeLength: 9, CodeType: "Number", DescriptionLength: 150,
			Attributes: []MDAttribute{
				{Name: "ИНН", Synonym: "ИНН", Type: TypeDesc{Types: []string{"xs:string"}, StringLength: 12, FixedLength: true}},
				{Name: "Комментарий", Type: str(0)},
				{Name: "КредитныйЛимит", Synonym: "Кредитный лимит", Type: num(15, 2, true)},
				{Name: "Сальдо", Type: num(10, 0, false)},
				{Name: "ДатаРегистрации", Type: TypeDesc{Types: []string{"xs:dateTime"}, DateFractions: "Date"}},
				{Name: "ВремяЗвонка", Type: TypeDesc{Types: []string{"xs:dateTime"}, DateFractions: "Time"}},
				{Name: "Недействителен", Type: ref("xs:boolean")},
				{Name: "Ответственный", Type: ref("cfg:CatalogRef.Пользователи")},
				{Name: "Данные", Type: ref("v8:ValueStorage")},
				{Name: "Идентификатор", Type: ref("v8:UUID")},
				{Name: "Основание", Type: TypeDesc{
					Types: []string{"cfg:DocumentRef.Заказ", "cfg:EnumRef.Статусы", "cfg:ChartOfCharacteristicTypesRef.Свойства",
						"cfg:BusinessProcessRef.Задание", "cfg:TaskRef.ЗадачаИсполнителя", "cfg:ExchangePlanRef.Обмен", "xs:string"},
					TypeSets:     []string{"cfg:DefinedType.Организация"},
					StringLength: 50,
				}},
				{Name: "Значение", Type: TypeDesc{TypeSets: []string{"cfg:Characteristic.Свойства"}}},
				{Name: "ЛюбаяСсылка", Type: TypeDesc{TypeSets: []string{"cfg:AnyRef"}}},
			},
			TabularSections: []MDTabular{{Name: "КонтактнаяИнформация", Attributes: []MDAttribute{
				{Name: "Вид", Type: ref("cfg:CatalogRef.ВидыКонтактнойИнформации")},
				{Name: "Представление", Type: str(500)},
			}}},
		},
		"Document.Заказ": {
			Kind: "Document", Name: "Заказ", Synonym: "Заказ покупателя",
			NumberLength: 11, NumberType: "String",
			Attributes: []MDAttribute{
				{Name: "Контрагент", Type: ref("cfg:CatalogRef.Контрагенты")},
				{Name: "Сумма", Type: num(15, 2, false)},
			},
			TabularSections: []MDTabular{
				{Name: "Товары", Attributes: []MDAttribute{
					{Name: "Номенклатура", Type: ref("cfg:CatalogRef.Номенклатура")},
					{Name: "Количество", Type: num(10, 3, true)},
				}},
				{Name: "Пусто"},
			},
		},
		"DocumentJournal.Журнал": {
			Kind: "DocumentJournal", Name: "Журнал", Synonym: "Журнал",
			RegisteredDocuments: []string{"Document.Заказ", "Document.Счет"},
			Columns: []MDAttribute{{Name: "Контрагент", Synonym: "Контрагент",
				References: []string{"Document.Заказ.Attribute.Контрагент", "Document.Счет.Attribute.Контрагент"}}},
		},
		"InformationRegister.ДатыЗапрета": {
			Kind: "InformationRegister", Name: "ДатыЗапрета", Synonym: "Даты запрета",
			Periodicity: "Month", WriteMode: "RecorderSubordinate",
			Resources:  []MDAttribute{{Name: "ДатаЗапрета", Type: TypeDesc{Types: []string{"xs:dateTime"}, DateFractions: "DateTime"}}},
			Attributes: []MDAttribute{{Name: "Комментарий", Type: str(100)}},
			Dimensions: []MDAttribute{
				{Name: "Раздел", Type: ref("cfg:ChartOfCharacteristicTypesRef.Свойства")},
				{Name: "Объект", Type: TypeDesc{TypeSets: []string{"cfg:AnyRef"}}},
			},
		},
		"AccumulationRegister.Остатки": {
			Kind: "AccumulationRegister", Name: "Остатки", Synonym: "Остатки товаров", RegisterType: "Balance",
			Dimensions: []MDAttribute{{Name: "Номенклатура", Type: ref("cfg:CatalogRef.Номенклатура")}},
			Resources:  []MDAttribute{{Name: "Количество", Type: num(15, 3, false)}},
			Attributes: []MDAttribute{{Name: "Заказ", Type: ref("cfg:DocumentRef.Заказ")}},
		},
		"ChartOfCharacteristicTypes.Свойства": {
			Kind: "ChartOfCharacteristicTypes", Name: "Свойства", Synonym: "Свойства",
			Type: &TypeDesc{
				Types:        []string{"xs:boolean", "xs:string", "xs:dateTime", "xs:decimal", "cfg:CatalogRef.ЗначенияСвойств"},
				StringLength: 1024, Digits: 15, FractionDigits: 3, DateFractions: "DateTime",
			},
			Hierarchical: true, CodeLength: 9, DescriptionLength: 100,
			Attributes: []MDAttribute{{Name: "Заголовок", Type: str(0)}},
		},
		"ExchangePlan.Обмен": {
			Kind: "ExchangePlan", Name: "Обмен", Synonym: "Обмен", CodeLength: 9, DescriptionLength: 25,
			Attributes: []MDAttribute{{Name: "Адрес", Type: str(256)}},
		},
		"BusinessProcess.Задание": {
			Kind: "BusinessProcess", Name: "Задание", Synonym: "Задание", NumberType: "Number", NumberLength: 9,
			Attributes: []MDAttribute{{Name: "Автор", Type: ref("cfg:CatalogRef.Пользователи")}},
		},
		"Task.ЗадачаИсполнителя": {
			Kind: "Task", Name: "ЗадачаИсполнителя", Synonym: "Задача исполнителя",
			NumberType: "String", NumberLength: 14, DescriptionLength: 150,
			Attributes: []MDAttribute{
				{Name: "БизнесПроцесс", Type: ref("cfg:BusinessProcessRef.Задание")},
				{Name: "Исполнитель", Type: ref("cfg:CatalogRef.Пользователи")},
				{Name: "ОбъектАдресации", Type: TypeDesc{TypeSets: []string{"cfg:Characteristic.Свойства"}}},
			},
		},
		"Enum.Статусы": {Kind: "Enum", Name: "Статусы", Synonym: "Статусы", Values: []string{"Новый", "Закрыт"}},
		"Constant.ВалютаУчета": {
			Kind: "Constant", Name: "ВалютаУчета", Synonym: "Валюта учета",
			Type: &TypeDesc{Types: []string{"cfg:CatalogRef.Валюты"}},
		},
		"SessionParameter.ТекущийПользователь": {
			Kind: "SessionParameter", Name: "ТекущийПользователь", Synonym: "Текущий пользователь",
			Type: &TypeDesc{Types: []string{"cfg:CatalogRef.Пользователи", "cfg:CatalogRef.ВнешниеПользователи",
				"v8:FixedArray", "v8:FixedStructure", "v8:FixedMap"}},
		},
		"FunctionalOption.ИспользоватьОбмен": {
			Kind: "FunctionalOption", Name: "ИспользоватьОбмен", Synonym: "Использовать обмен",
			Location: "Constant.ИспользоватьОбмен", PrivilegedGetMode: true,
			OptionContent: []string{"ExchangePlan.Обмен", "Catalog.Контрагенты.Attribute.ИНН"},
		},
		"FunctionalOptionsParameter.Организация": {
			Kind: "FunctionalOptionsParameter", Name: "Организация", Synonym: "Организация",
			ParameterUse: []string{"InformationRegister.НастройкиОрганизаций.Dimension.Организация"},
		},
		"DefinedType.Организация": {
			Kind: "DefinedType", Name: "Организация", Synonym: "Организация",
			// Prefixes bound to well-known namespaces are rewritten;
			// an undeclared one is kept.
			Type: &TypeDesc{Types: []string{"cfg:CatalogRef.Организации", "xs:string", "unknown:Thing"}, StringLength: 10},
		},
		"CommonAttribute.ОбластьДанных": {
			Kind: "CommonAttribute", Name: "ОбластьДанных", Synonym: "Область данных",
			Type: &TypeDesc{Types: []string{"xs:decimal"}, Digits: 7, NonNegative: true},
			Content: []CommonAttributeUse{
				{Metadata: "Catalog.Контрагенты", Use: "Use"},
				{Metadata: "InformationRegister.ДатыЗапрета", Use: "DontUse"},
			},
			AutoUse: "Use",
		},
		"ChartOfAccounts.Основной": {
			Kind: "ChartOfAccounts", Name: "Основной", CodeLength: 8, DescriptionLength: 120, OrderLength: 9,
			ExtDimensionTypes: "ChartOfCharacteristicTypes.Свойства", MaxExtDimensionCount: 3,
			Attributes:      []MDAttribute{{Name: "Комментарий", Type: str(50)}},
			AccountingFlags: []string{"Валютный"}, ExtDimensionAccountingFlags: []string{"Суммовой"},
			Predefined: []string{"Расчеты", "Авансы", "Бланки"},
			PredefinedItems: []PredefinedItem{
				{Name: "Расчеты", Code: "60", Description: "Расчеты с поставщиками", AccountType: "Passive", Flags: []string{"Валютный"}},
				{Name: "Авансы", Code: "60.02", Description: "Авансы выданные", AccountType: "ActivePassive", Parent: "Расчеты"},
				{Name: "Бланки", Code: "006", Description: "Бланки строгой отчетности", AccountType: "Active", OffBalance: true},
			},
			PredefinedRead: true,
		},
		"AccountingRegister.Хозрасчетный": {
			Kind: "AccountingRegister", Name: "Хозрасчетный", ChartOfAccounts: "ChartOfAccounts.Основной", Correspondence: true,
			Dimensions: []MDAttribute{{Name: "Валюта", Type: ref("cfg:CatalogRef.Валюты"), Balance: &no}},
			Resources:  []MDAttribute{{Name: "Сумма", Type: num(15, 2, false), Balance: &yes}},
		},
		"ChartOfCalculationTypes.Начисления": {
			Kind: "ChartOfCalculationTypes", Name: "Начисления", CodeLength: 5, CodeType: "String", DescriptionLength: 100,
			DependenceOnCalculationTypes: "OnActionPeriod", ActionPeriodUse: true,
		},
	}
	for _, o := range d.Objects {
		w, ok := want[o.FullName()]
		if !ok {
			t.Errorf("no expectation for %s", o.FullName())
			continue
		}
		if got := stripPos(o); !reflect.DeepEqual(got, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", o.FullName(), got, w)
		}
	}

	// Positions of parts, and the lookups.
	c := d.Object("Справочник.контрагенты")
	if c == nil || d.Object("Catalog.Нет") != nil {
		t.Fatal("Dump.Object")
	}
	if a := c.Attribute("инн"); a == nil || a.Pos.Line != 50 || a.Pos.Column != 4 {
		t.Errorf("attribute ИНН at %v", a)
	}
	if ts := c.TabularSection("КонтактнаяИнформация"); ts == nil || ts.Pos.Line != 195 || ts.Attributes[1].Pos.Line != 220 {
		t.Errorf("tabular section at %+v", ts)
	}
	if c.Attribute("Нет") != nil || c.TabularSection("Нет") != nil {
		t.Error("lookup of missing parts")
	}
	if r := d.Object("InformationRegister.ДатыЗапрета"); r.Attribute("Раздел") != &r.Dimensions[0] || r.Attribute("ДатаЗапрета") != &r.Resources[0] {
		t.Error("Attribute does not find dimensions and resources")
	}
	if (TypeDesc{}).IsEmpty() != true || str(1).IsEmpty() {
		t.Error("IsEmpty")
	}
}

func kindFolder(t *testing.T, kind string) string {
	t.Helper()
	k, ok := LookupKind(kind)
	if !ok || k.Folder == "" {
		t.Fatalf("no folder for %s", kind)
	}
	return k.Folder
}

func TestReadDumpMissing(t *testing.T) {
	root := filepath.Join("testdata", "missing")
	d, err := ReadDump(root)
	if d != nil || err == nil {
		t.Fatalf("got %v, %v", d, err)
	}
	cfg := filepath.Join(root, "Configuration.xml")
	want := []string{
		cfg + ":9:4: Configuration.xml lists Catalog.Нет, but " + filepath.Join(root, "Catalogs", "Нет.xml") + " does not exist",
		cfg + ":10:4: Configuration.xml lists Role.НетПрав, but " + filepath.Join(root, "Roles", "НетПрав", "Ext", "Rights.xml") + " does not exist",
		filepath.Join(root, "Catalogs", "Чужой.xml") + ":3:2: the file of Catalog.Чужой holds Catalog.Другой",
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	var e *Error
	if !errors.As(err, &e) || e.Loc.Position().Line != 9 {
		t.Errorf("errors.As: %v", e)
	}
	if _, err := ReadDump(filepath.Join("testdata", "nowhere")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing dump: %v", err)
	}
}

func TestReadObjectErrors(t *testing.T) {
	const head = `<MetaDataObject xmlns="http://v8.1c.ru/8.3/MDClasses" xmlns:v8="http://v8.1c.ru/8.1/data/core">`
	for doc, want := range map[string]string{
		`<Rights xmlns="http://v8.1c.ru/8.2/roles"/>`:                                                   "o.xml:1:1: root element is <Rights>",
		head + `</MetaDataObject>`:                                                                      "o.xml:1:1: <MetaDataObject> without an object",
		head + "\n<Report><Properties><Name>X</Name></Properties></Report>":                             "o.xml:2:1: <Report> is not a kind of object this reader knows",
		head + "\n<Configuration/>":                                                                     "o.xml:2:1: <Configuration> is not an object",
		head + "<Catalog><Properties><Name>A</Name></Properties></Catalog>\n<Catalog/>":                 "o.xml:2:1: a second object <Catalog> after Catalog A",
		head + "\n <Catalog><Properties/></Catalog></MetaDataObject>":                                   "o.xml:2:2: <Catalog> without a <Name>",
		head + "<Catalog><Properties>\n<Name> </Name>":                                                  "o.xml:2:1: empty <Name>",
		head + "<Catalog><Properties>\n\t<CodeLength>девять</CodeLength>":                               `o.xml:2:2: <CodeLength> holds "девять"; want a number of 0 or more`,
		head + "<Catalog><Properties>\n<DescriptionLength>-1</DescriptionLength>":                       `o.xml:2:1: <DescriptionLength> holds "-1"`,
		head + "<Catalog><Properties>\n<Hierarchical>yes</Hierarchical>":                                `o.xml:2:1: <Hierarchical> holds "yes"; want true or false`,
		head + "<Catalog><Properties><Owners>\n<Item> </Item>":                                          "o.xml:2:1: empty <Item>",
		head + "<Catalog><ChildObjects>\n<Attribute><Properties><Type>\n<v8:Type/>":                     "o.xml:3:1: empty <v8:Type>",
		head + "<Catalog><ChildObjects>\n<Attribute><Properties><Type></Type></Properties></Attribute>": "o.xml:2:1: <Attribute> without a <Name>",
		head + "<Catalog><ChildObjects>\n<TabularSection><Properties/></TabularSection>":                "o.xml:2:1: <TabularSection> without a <Name>",
		head + "<Catalog><ChildObjects>\n<Attribute><Properties><Type/>\n<Type/>":                       "o.xml:3:1: a second <Type> in <Attribute>",
		head + "<Constant><Properties><Type/>\n<Type/>":                                                 "o.xml:2:1: a second <Type> in the properties of Constant",
		head + "<Constant><Properties>\n<Type><v8:StringQualifiers><v8:Length>x</v8:Length>":            `o.xml:2:28: <Length> holds "x"`,
		head + "<Constant><Properties>\n<Type><v8:NumberQualifiers><v8:Digits>2</v8:Digits><v8:FractionDigits>3</v8:FractionDigits></v8:NumberQualifiers></Type>": "o.xml:2:1: a number type with 3 fraction digits out of 2",
		head + "<Constant><Properties>\n<Type><v8:Type>a<b/></v8:Type>":                                                                                           "o.xml:2:17: unexpected element <b> inside <Type>",
		head + "<CommonAttribute><Properties><Content>\n<Item><Use>Use</Use></Item>":                                                                              "o.xml:2:1: <Content> item without <Metadata>",
		head + "<FunctionalOption><Properties><Content>\n<Object/>":                                                                                               "o.xml:2:1: empty <Object> in <Content>",
		head + "<Enum><ChildObjects>\n<EnumValue><Properties/></EnumValue>":                                                                                       "o.xml:2:1: <EnumValue> without a <Name>",
		head + "<Catalog><Properties><Name>A</Nam>":                                                                                                               "o.xml:1:124: malformed XML: element <Name> closed by </Nam>",
		head + "<Catalog><Properties><Name>A</Name></Properties></Catalog></MetaDataObject>\ntext":                                                                "o.xml:1:171: malformed XML: text after the root element",
		"": "o.xml:1:1: malformed XML: no root element",
	} {
		_, err := parseObject("o.xml", []byte(doc))
		var e *Error
		if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.As(err, &e) {
			t.Errorf("%q:\n got %v\nwant %s", doc, err, want)
		}
	}
	if _, err := ReadObject(filepath.Join("testdata", "objects", "Catalogs", "Нет.xml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestReadObjectLenient checks what the reader lets through: elements it does
// not know, a Synonym without Russian, a <Use> word of another kind, CRLF
// line ends and a BOM.
// TestXMLErrorShape: a mistake in an XML file is a source.Error, so it
// marshals as restriction-text mistakes do, and still unwraps to the
// decoder's own error.
func TestXMLErrorShape(t *testing.T) {
	_, err := parseObject("o.xml", []byte("<MetaDataObject><Catalog></Catalo>"))
	var e *source.Error
	var se *xml.SyntaxError
	if !errors.As(err, &e) || !errors.As(err, &se) {
		t.Fatalf("%T %v: want a *source.Error wrapping an *xml.SyntaxError", err, err)
	}
	data, _ := json.Marshal(err)
	if want := `{"file":"o.xml","line":1,"col":26,"code":"","message":"malformed XML: element \u003cCatalog\u003e closed by \u003c/Catalo\u003e"}`; string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
}

func TestReadObjectLenient(t *testing.T) {
	doc := "\xEF\xBB\xBF<?xml version=\"1.0\"?>\r\n<MetaDataObject xmlns=\"http://v8.1c.ru/8.3/MDClasses\" xmlns:v8=\"http://v8.1c.ru/8.1/data/core\">\r\n" +
		"<Catalog><NewThing><x/></NewThing><Properties><Name> X </Name><Use>ForItem</Use><Future a=\"1\"><Type/></Future>" +
		"<Synonym><v8:item><v8:lang>en</v8:lang><v8:content>Ex</v8:content></v8:item><v8:item><v8:lang>de</v8:lang><v8:content>Iks</v8:content></v8:item></Synonym>" +
		"</Properties>\r\n<ChildObjects><Attribute><Properties><Name>A</Name></Properties></Attribute><Unknown/></ChildObjects></Catalog></MetaDataObject>\r\n"
	o, err := parseObject("o.xml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if o.Name != "X" || o.Synonym != "Ex" || o.Type != nil || len(o.Attributes) != 1 || !o.Attributes[0].Type.IsEmpty() || o.Pos.Line != 3 || o.Attributes[0].Pos.Line != 4 {
		t.Errorf("%+v", o)
	}
}

func FuzzReadObject(f *testing.F) {
	for _, pattern := range []string{
		filepath.Join("testdata", "objects", "*", "*.xml"),
		filepath.Join("testdata", "missing", "*", "*.xml"),
	} {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`<MetaDataObject><Enum><ChildObjects><EnumValue><Properties><Name>A</Name></Properties></EnumValue></ChildObjects><Properties><Name>E</Name></Properties></Enum></MetaDataObject>`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "Object.xml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		o, err := ReadObject(path)
		if err != nil {
			if e, ok := err.(*Error); !ok || !e.Loc.Position().IsValid() || e.Loc.Position().Filename != path {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if o.Name == "" || !IsObjectKind(o.Kind) || !o.Pos.IsValid() || o.Path != path {
			t.Fatalf("accepted %+v", o)
		}
		for _, list := range [][]MDAttribute{o.Attributes, o.Dimensions, o.Resources, o.Columns} {
			for _, a := range list {
				if a.Name == "" || !a.Pos.IsValid() {
					t.Fatalf("attribute %+v", a)
				}
			}
		}
	})
}

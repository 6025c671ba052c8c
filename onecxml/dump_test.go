package onecxml

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestCorpusDump reads both real dumps whole. The figures were counted from
// the XML with a separate script (every <Type> of properties, every
// <Attribute> including those of tabular sections...), so that a reader that
// drops or invents elements fails here.
func TestCorpusDump(t *testing.T) {
	corpus := corpusDir(t)
	tests := []struct {
		dir    string
		kinds  map[string]int
		rights int
		// Totals over all objects.
		typeDescs, types, typeSets                                   int
		attributes, dimensions, resources, tabulars, values, columns int
	}{
		{
			dir: "ssl31",
			kinds: map[string]int{
				"Catalog": 74, "Document": 11, "DocumentJournal": 2, "InformationRegister": 192,
				"ChartOfCharacteristicTypes": 4, "ExchangePlan": 1, "BusinessProcess": 1, "Task": 1,
				"Enum": 104, "Constant": 173, "SessionParameter": 62, "FunctionalOption": 76,
				"FunctionalOptionsParameter": 4, "DefinedType": 72, "CommonAttribute": 7,
			},
			rights:    107,
			typeDescs: 3001, types: 3211, typeSets: 384,
			attributes: 1765 + 4, dimensions: 401, resources: 513, tabulars: 122, values: 443, columns: 22,
		},
		{
			dir: "ssl31en",
			kinds: map[string]int{
				"Catalog": 68, "Document": 8, "DocumentJournal": 1, "InformationRegister": 162,
				"ChartOfCharacteristicTypes": 4, "ExchangePlan": 1, "BusinessProcess": 1, "Task": 1,
				"Enum": 90, "Constant": 162, "SessionParameter": 59, "FunctionalOption": 71,
				"FunctionalOptionsParameter": 4, "DefinedType": 67, "CommonAttribute": 7,
			},
			rights:    94,
			typeDescs: 2609, types: 2823, typeSets: 355,
			attributes: 1516 + 4, dimensions: 334, resources: 456, tabulars: 109, values: 373, columns: 15,
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			d, err := ReadDump(filepath.Join(corpus, tt.dir))
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]int{}
			var typeDescs, types, typeSets, attributes, dimensions, resources, tabulars, values, columns int
			countType := func(td TypeDesc) {
				typeDescs++
				types += len(td.Types)
				typeSets += len(td.TypeSets)
				if td.IsEmpty() {
					t.Errorf("an empty type")
				}
			}
			countAttrs := func(o *MDObject, as []MDAttribute) {
				for _, a := range as {
					countType(a.Type)
					if !a.Pos.IsValid() || a.Pos.Filename != o.Path {
						t.Errorf("%s.%s: position %v", o.FullName(), a.Name, a.Pos)
					}
				}
			}
			for _, o := range d.Objects {
				kinds[o.Kind]++
				if o.Type != nil {
					countType(*o.Type)
				}
				countAttrs(o, o.Attributes)
				countAttrs(o, o.Dimensions)
				countAttrs(o, o.Resources)
				attributes += len(o.Attributes)
				dimensions += len(o.Dimensions)
				resources += len(o.Resources)
				tabulars += len(o.TabularSections)
				values += len(o.Values)
				columns += len(o.Columns)
				for _, ts := range o.TabularSections {
					countAttrs(o, ts.Attributes)
					attributes += len(ts.Attributes)
				}
				for _, c := range o.Columns {
					if len(c.References) == 0 || !c.Type.IsEmpty() {
						t.Errorf("%s: column %+v", o.FullName(), c)
					}
				}
			}
			if !reflect.DeepEqual(kinds, tt.kinds) {
				t.Errorf("objects per kind %v\nwant %v", kinds, tt.kinds)
			}
			if len(d.Rights) != tt.rights {
				t.Errorf("%d Rights.xml, want %d", len(d.Rights), tt.rights)
			}
			got := []int{typeDescs, types, typeSets, attributes, dimensions, resources, tabulars, values, columns}
			want := []int{tt.typeDescs, tt.types, tt.typeSets, tt.attributes, tt.dimensions, tt.resources, tt.tabulars, tt.values, tt.columns}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("type descriptions, types, type sets, attributes, dimensions, resources, tabular sections, enum values, columns:\n got %v\nwant %v", got, want)
			}
			// Rights.xml are those FindRights finds, in another order.
			found, err := FindRights(filepath.Join(corpus, tt.dir))
			if err != nil || len(found) != len(d.Rights) {
				t.Errorf("FindRights: %d files, %v", len(found), err)
			}
		})
	}
}

// TestCorpusObjectsEnglish spot-checks the English dump: names and
// synonyms are English, kinds and type prefixes are the same.
func TestCorpusObjectsEnglish(t *testing.T) {
	d, err := ReadDump(filepath.Join(corpusDir(t), "ssl31en"))
	if err != nil {
		t.Fatal(err)
	}
	users := d.Object("Catalog.Users")
	if users == nil || users.Synonym != "Users" || users.Attribute("Invalid") == nil ||
		!reflect.DeepEqual(users.Attribute("Invalid").Type, TypeDesc{Types: []string{"xs:boolean"}}) {
		t.Fatalf("Users: %+v", users)
	}
	if o := d.Object("SessionParameter.CurrentUser"); o == nil || o.Type == nil || !reflect.DeepEqual(o.Type.Types, []string{"cfg:CatalogRef.Users"}) {
		t.Errorf("CurrentUser: %+v", o)
	}
}

// TestCorpusObjects spot-checks real objects of the Russian dump.
func TestCorpusObjects(t *testing.T) {
	d, err := ReadDump(filepath.Join(corpusDir(t), "ssl31"))
	if err != nil {
		t.Fatal(err)
	}
	obj := func(name string) *MDObject {
		t.Helper()
		o := d.Object(name)
		if o == nil {
			t.Fatalf("no %s", name)
		}
		return o
	}
	attr := func(o *MDObject, name string) TypeDesc {
		t.Helper()
		a := o.Attribute(name)
		if a == nil {
			t.Fatalf("%s has no %s", o.FullName(), name)
		}
		return a.Type
	}

	users := obj("Catalog.Пользователи")
	if users.Synonym != "Пользователи" || users.Hierarchical || users.HierarchyType != "HierarchyFoldersAndItems" ||
		users.CodeLength != 0 || users.CodeType != "String" || users.DescriptionLength != 100 || len(users.Owners) != 0 ||
		users.Pos.Line != 3 || users.Pos.Column != 2 {
		t.Errorf("Пользователи: %+v", users)
	}
	if got := attr(users, "Недействителен"); !reflect.DeepEqual(got, TypeDesc{Types: []string{"xs:boolean"}}) {
		t.Errorf("Недействителен: %+v", got)
	}
	if got := attr(users, "Подразделение"); !reflect.DeepEqual(got, TypeDesc{TypeSets: []string{"cfg:DefinedType.Подразделение"}}) {
		t.Errorf("Подразделение: %+v", got)
	}
	if a := users.Attribute("Недействителен"); a.Pos.Line != 422 || a.Synonym != "Недействителен" {
		t.Errorf("Недействителен at %v", a.Pos)
	}
	var names []string
	for _, ts := range users.TabularSections {
		names = append(names, ts.Name)
	}
	if !reflect.DeepEqual(names, []string{"ДополнительныеРеквизиты", "КонтактнаяИнформация"}) {
		t.Errorf("tabular sections %v", names)
	}
	if len(users.Attributes) != 10 {
		t.Errorf("%d attributes", len(users.Attributes))
	}

	// A subordinate catalog.
	if o := obj("Catalog.ВерсииФайлов"); !reflect.DeepEqual(o.Owners, []string{"Catalog.Файлы"}) {
		t.Errorf("ВерсииФайлов owners %v", o.Owners)
	}

	dates := obj("InformationRegister.ДатыЗапретаИзменения")
	if dates.Periodicity != "Nonperiodical" || dates.WriteMode != "Independent" || len(dates.Dimensions) != 3 {
		t.Errorf("ДатыЗапретаИзменения: %+v", dates)
	}
	if got := dates.Dimensions[0]; got.Name != "Раздел" || !reflect.DeepEqual(got.Type.Types, []string{"cfg:ChartOfCharacteristicTypesRef.РазделыДатЗапретаИзменения"}) {
		t.Errorf("first dimension %+v", got)
	}

	for name, want := range map[string]string{
		"FunctionalOption.АктуальнаяДатаОбновленияПовторноИспользуемыхЗначенийМРО": "Constant.ДатаОбновленияПовторноИспользуемыхЗначенийМРО",
	} {
		if o := obj(name); o.Location != want || !o.PrivilegedGetMode {
			t.Errorf("%s: location %q, privileged %v", name, o.Location, o.PrivilegedGetMode)
		}
	}

	if o := obj("SessionParameter.ТекущийПользователь"); o.Type == nil || !reflect.DeepEqual(*o.Type, TypeDesc{Types: []string{"cfg:CatalogRef.Пользователи"}}) {
		t.Errorf("ТекущийПользователь: %+v", o.Type)
	}
	rates := obj("InformationRegister.КурсыВалют")
	if rates.Periodicity != "Day" || len(rates.Dimensions) != 1 || rates.Dimensions[0].Name != "Валюта" ||
		len(rates.Resources) != 2 || !reflect.DeepEqual(rates.Resources[0].Type.TypeSets, []string{"cfg:DefinedType.КурсВалюты"}) {
		t.Errorf("КурсыВалют: %+v", rates)
	}
	if o := obj("Enum.ВажностьПроблемыУчета"); !reflect.DeepEqual(o.Values, []string{"Ошибка", "Предупреждение", "ВажнаяИнформация", "Информация", "ПолезныйСовет"}) {
		t.Errorf("ВажностьПроблемыУчета values %v", o.Values)
	}

	journal := obj("DocumentJournal.Взаимодействия")
	if len(journal.RegisteredDocuments) != 6 || journal.RegisteredDocuments[0] != "Document.Встреча" {
		t.Errorf("Взаимодействия documents %v", journal.RegisteredDocuments)
	}
	if len(journal.Columns) != 15 || journal.Columns[1].Name != "Входящий" ||
		!reflect.DeepEqual(journal.Columns[1].References, []string{"Document.ТелефонныйЗвонок.Attribute.Входящий"}) || journal.Columns[1].Pos.Line == 0 {
		t.Errorf("Взаимодействия columns %+v", journal.Columns)
	}
	task := obj("Task.ЗадачаИсполнителя")
	if a := task.Attribute("Исполнитель"); a == nil || !reflect.DeepEqual(a.Type.Types, []string{"cfg:CatalogRef.ВнешниеПользователи", "cfg:CatalogRef.Пользователи"}) {
		t.Errorf("Исполнитель: %+v", a)
	}
	if task.NumberType != "String" || task.NumberLength != 14 || task.DescriptionLength != 150 {
		t.Errorf("task %+v", task)
	}
	common := obj("CommonAttribute.КомментарийЯзык1")
	if common.Type == nil || !reflect.DeepEqual(*common.Type, TypeDesc{Types: []string{"xs:string"}}) || common.AutoUse != "DontUse" ||
		len(common.Content) == 0 || common.Content[0] != (CommonAttributeUse{"Catalog.РолиИсполнителей", "Use"}) {
		t.Errorf("КомментарийЯзык1: %+v", common)
	}
	if o := obj("FunctionalOptionsParameter.ДополнительныеОтчетыИОбработкиОбъектНазначения"); !reflect.DeepEqual(o.ParameterUse,
		[]string{"InformationRegister.НазначениеДополнительныхОбработок.Dimension.ОбъектНазначения"}) {
		t.Errorf("parameter use %v", o.ParameterUse)
	}
}

package onecxml

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"dostup/sdbl/source"
)

func TestTableName(t *testing.T) {
	tests := []struct{ in, ru, en string }{
		{"Catalog.Контрагенты", "Справочник.Контрагенты", "Catalog.Контрагенты"},
		{"Справочник.Контрагенты", "Справочник.Контрагенты", "Catalog.Контрагенты"},
		{"InformationRegister.X.Command.Y", "РегистрСведений.X.Команда.Y", "InformationRegister.X.Command.Y"},
		{"AccumulationRegister.Остатки", "РегистрНакопления.Остатки", "AccumulationRegister.Остатки"},
		{"ChartOfCharacteristicTypes.Виды", "ПланВидовХарактеристик.Виды", "ChartOfCharacteristicTypes.Виды"},
		{"ExchangePlan.Обмен", "ПланОбмена.Обмен", "ExchangePlan.Обмен"},
		{"Subsystem.A.Subsystem.B", "Подсистема.A.Подсистема.B", "Subsystem.A.Subsystem.B"},
		{"WebService.S.Operation.Op", "WebСервис.S.Операция.Op", "WebService.S.Operation.Op"},
		{"catalog.x", "Справочник.x", "Catalog.x"},
		{"Unknown.X", "Unknown.X", "Unknown.X"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := TableName(tt.in, true); got != tt.ru {
			t.Errorf("TableName(%q, true) = %q, want %q", tt.in, got, tt.ru)
		}
		if got := TableName(tt.in, false); got != tt.en {
			t.Errorf("TableName(%q, false) = %q, want %q", tt.in, got, tt.en)
		}
	}
}

func TestKinds(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds() {
		for _, n := range []string{strings.ToLower(k.EN), strings.ToLower(k.RU)} {
			if n == "" || seen[n] {
				t.Errorf("kind name %q empty or repeated", n)
			}
			seen[n] = true
		}
	}
	k, ok := LookupKind("РЕГИСТРСВЕДЕНИЙ")
	if !ok || k.EN != "InformationRegister" || k.Folder != "InformationRegisters" || !k.Data {
		t.Errorf("LookupKind: %+v %v", k, ok)
	}
	ks := Kinds()
	ks[0].EN = "changed"
	if Kinds()[0].EN == "changed" {
		t.Error("Kinds returns the table itself")
	}
}

func TestIsDataTable(t *testing.T) {
	for name, want := range map[string]bool{
		"Catalog.X":                       true,
		"Справочник.X":                    true,
		"Document.X":                      true,
		"DocumentJournal.X":               true,
		"InformationRegister.X":           true,
		"AccountingRegister.X":            true,
		"CalculationRegister.X":           true,
		"ChartOfAccounts.X":               true,
		"ChartOfCalculationTypes.X":       true,
		"BusinessProcess.X":               true,
		"Task.X":                          true,
		"ExchangePlan.X":                  true,
		"ExternalDataSource.S.Table.T":    true,
		"ExternalDataSource.S":            false,
		"InformationRegister.X.Command.Y": false,
		"Catalog.":                        false,
		"Catalog":                         false,
		"Enum.X":                          false,
		"Constant.X":                      false,
		"Report.X":                        false,
		"DataProcessor.X":                 false,
		"Configuration.X":                 false,
		"SessionParameter.X":              false,
		"CommonForm.X":                    false,
		"Unknown.X":                       false,
		"ExternalDataSource.S.Таблица.T":  true,
		"ExternalDataSource.S.Cube.C":     true,
		"ExternalDataSource.S.Function.F": false,
		"Catalog.X.TabularSection.Товары": false,
		"Справочник.X.ТабличнаяЧасть.Т":    false,
		"AccumulationRegister.Остатки.Foo": false,
	} {
		if got := IsDataTable(name); got != want {
			t.Errorf("IsDataTable(%q) = %v", name, got)
		}
	}
}

func TestRightName(t *testing.T) {
	for en, ru := range map[string]string{"Read": "Чтение", "Insert": "Добавление", "Update": "Изменение", "Delete": "Удаление", "View": "Просмотр", "Posting": "Проведение"} {
		if got := RightName(en, true); got != ru {
			t.Errorf("RightName(%q, true) = %q", en, got)
		}
		if got := RightName(ru, false); got != en {
			t.Errorf("RightName(%q, false) = %q", ru, got)
		}
		if got := RightName(strings.ToLower(en), false); got != en {
			t.Errorf("RightName(%q, false) = %q", strings.ToLower(en), got)
		}
	}
	if got := RightName("SomethingNew", true); got != "SomethingNew" {
		t.Errorf("unknown right became %q", got)
	}
	for right, want := range map[string]bool{"Read": true, "чтение": true, "Delete": true, "Изменение": true, "View": false, "Posting": false, "": false} {
		if got := IsRLSRight(right); got != want {
			t.Errorf("IsRLSRight(%q) = %v", right, got)
		}
	}
}

func ExampleReadRights() {
	rs, err := ReadRights(filepath.Join("testdata", "dump", "Roles", "Reader", "Ext", "Rights.xml"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range rs.Objects {
		for _, r := range o.Rights {
			for _, rc := range r.Restrictions {
				fields := "other fields"
				if !rc.OtherFields() {
					fields = strings.Join(rc.Fields, ", ")
				}
				fmt.Printf("%s %s (%s) at line %d: %q\n", TableName(o.Name, true), RightName(r.Name, true),
					fields, rc.Condition.Position(0).Line, rc.Condition.Text)
			}
		}
	}
	// Output:
	// Справочник.Контрагенты Чтение (ИНН, КПП) at line 14: "ГДЕ ЛОЖЬ"
	// Справочник.Контрагенты Чтение (other fields) at line 17: "#ДляОбъекта(\"\")"
	// РегистрСведений.ДатыЗапрета Изменение (other fields) at line 38: ""
}

// FuzzReadRights feeds arbitrary bytes through ReadRights: it must never
// panic, and whatever it accepts must decode conditions exactly as
// encoding/xml does and map each of their characters to the place in the
// file that holds it.
func FuzzReadRights(f *testing.F) {
	f.Add([]byte(positionDoc))
	for _, p := range []string{
		filepath.Join("testdata", "dump", "Roles", "Reader", "Ext", "Rights.xml"),
		filepath.Join("testdata", "malformed", "Roles", "Broken", "Ext", "Rights.xml"),
	} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("<Rights><restrictionTemplate><name>T</name><condition>a\r&#13;\n&#xD800;<![CDATA[]]]]>\r</condition></restrictionTemplate></Rights>"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "Rights.xml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadRights(path); err != nil {
			if e, ok := err.(*Error); !ok || !e.Loc.Position().IsValid() {
				t.Fatalf("error without a position: %v", err)
			}
		}
		rs, err := parseRights(path, data, true)
		if err != nil {
			if strings.Contains(err.Error(), errTextMismatch.Error()) {
				t.Fatal(err)
			}
			return
		}
		for _, o := range rs.Objects {
			for _, r := range o.Rights {
				for _, rc := range r.Restrictions {
					checkMapping(t, data, rc.Condition)
				}
			}
		}
		for _, tp := range rs.Templates {
			checkMapping(t, data, tp.Condition)
		}
		plainTextFast = false
		slow, err := parseRights(path, data, true)
		plainTextFast = true
		if err != nil {
			t.Fatalf("encoding/xml alone refuses what the fast path read: %v", err)
		}
		if !reflect.DeepEqual(conditionTexts(rs), conditionTexts(slow)) {
			t.Fatalf("fast path read %q, encoding/xml %q", conditionTexts(rs), conditionTexts(slow))
		}
	})
}

// conditionTexts lists the texts of a role's templates and restrictions
// with the file position of each of their characters.
func conditionTexts(rs *Rights) []string {
	var out []string
	add := func(f *source.File) {
		var b strings.Builder
		b.WriteString(f.Text)
		for off := range f.Text {
			b.WriteString(" " + f.Position(off).String())
		}
		out = append(out, b.String())
	}
	for _, o := range rs.Objects {
		for _, r := range o.Rights {
			for _, rc := range r.Restrictions {
				add(rc.Condition)
			}
		}
	}
	for _, tp := range rs.Templates {
		add(tp.Condition)
	}
	return out
}

package onecxml

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadPredefined(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Predefined.xml")
	doc := "\uFEFF" + `<?xml version="1.0" encoding="UTF-8"?>
<PredefinedData xmlns="http://v8.1c.ru/8.3/xcf/predef" version="2.20">
	<Item id="1">
		<Name>Администраторы</Name>
		<Code/>
		<Description>Администраторы</Description>
		<IsFolder>false</IsFolder>
	</Item>
	<Item id="2">
		<Name>Группы</Name>
		<IsFolder>true</IsFolder>
		<ChildItems>
			<Item id="3">
				<Name>Вложенный</Name>
			</Item>
		</ChildItems>
	</Item>
</PredefinedData>`
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPredefined(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Администраторы", "Группы", "Вложенный"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if err := os.WriteFile(path, []byte("<PredefinedData><Item><Name>x</Item>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPredefined(path); err == nil || !strings.Contains(err.Error(), "Predefined.xml:1:") {
		t.Errorf("malformed: %v", err)
	}
}

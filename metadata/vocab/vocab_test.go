package vocab_test

import (
	"fmt"
	"strings"
	"testing"

	"dostup/metadata/vocab"
)

// TestNamesAreUnique guards the promise of ParseKind and ParseRight: a name
// in either language, in any case, means one thing.
func TestNamesAreUnique(t *testing.T) {
	var kinds, rights [][2]string
	for _, k := range vocab.Kinds() {
		kinds = append(kinds, [2]string{k.English(), k.Russian()})
	}
	for _, r := range vocab.Rights() {
		rights = append(rights, [2]string{r.English(), r.Russian()})
	}
	for _, table := range [][][2]string{kinds, rights} {
		owner := map[string]string{}
		for _, words := range table {
			for _, name := range words {
				prev, dup := owner[strings.ToLower(name)]
				if name == "" || dup && prev != words[0] {
					t.Errorf("%q (of %s) is empty or names %s too", name, words[0], prev)
				}
				owner[strings.ToLower(name)] = words[0]
			}
		}
	}
}

func TestParse(t *testing.T) {
	for _, k := range vocab.Kinds() {
		for _, name := range []string{k.English(), strings.ToUpper(k.Russian()), strings.ToLower(k.English())} {
			if got, ok := vocab.ParseKind(name); !ok || got != k {
				t.Errorf("ParseKind(%q) = %q, %v; want %q", name, got, ok, k)
			}
		}
	}
	for _, r := range vocab.Rights() {
		for _, name := range []string{r.English(), strings.ToUpper(r.Russian()), strings.ToLower(r.English())} {
			if got, ok := vocab.ParseRight(name); !ok || got != r {
				t.Errorf("ParseRight(%q) = %q, %v; want %q", name, got, ok, r)
			}
		}
	}
	if _, ok := vocab.ParseRight("Справочник"); ok {
		t.Error("a kind parsed as a right")
	}
	if _, ok := vocab.ParseKind(""); ok {
		t.Error("the empty name parsed as a kind")
	}
}

func TestRights(t *testing.T) {
	for r, want := range map[vocab.Right]string{
		vocab.Read: "Чтение", vocab.Insert: "Добавление", vocab.Update: "Изменение", vocab.Delete: "Удаление",
		vocab.Posting: "Проведение", vocab.UndoPosting: "ОтменаПроведения", vocab.Administration: "Администрирование",
	} {
		if r.Russian() != want || r.Name(false) != want || r.Name(true) != string(r) {
			t.Errorf("%s: Russian %q, Name %q/%q", r, r.Russian(), r.Name(false), r.Name(true))
		}
	}
	var restrictable, global int
	for _, r := range vocab.Rights() {
		if r.Restrictable() {
			restrictable++
			if r.Global() {
				t.Errorf("%s is global and restrictable", r)
			}
		}
		if r.Global() {
			global++
		}
	}
	if restrictable != 4 || global == 0 || !vocab.ThinClient.Global() || vocab.Read.Global() {
		t.Errorf("%d restrictable rights, %d global", restrictable, global)
	}
	if r := vocab.Right("НовоеПраво"); r.Russian() != "НовоеПраво" || r.Global() || r.Restrictable() {
		t.Error("an unknown right must come back as written and grant nothing")
	}
}

func TestKinds(t *testing.T) {
	if vocab.Catalog.Russian() != "Справочник" || vocab.Catalog.Folder() != "Catalogs" || !vocab.Catalog.Restrictable() {
		t.Errorf("Catalog: %q %q %v", vocab.Catalog.Russian(), vocab.Catalog.Folder(), vocab.Catalog.Restrictable())
	}
	if vocab.Enum.Restrictable() || vocab.Configuration.Folder() != "" {
		t.Error("enumerations take no restrictions; the configuration has no folder")
	}
	ks := vocab.Kinds()
	ks[0] = "changed"
	if vocab.Kinds()[0] == "changed" {
		t.Error("Kinds returns the table itself")
	}
}

// A restriction text of a Russian configuration names the right as 1C shows
// it; Rights.xml stores the English name.
func ExampleParseRight() {
	r, _ := vocab.ParseRight("изменение")
	fmt.Println(r, r.Russian(), r.Restrictable())
	// Output: Update Изменение true
}

func ExampleKind_Folder() {
	k, _ := vocab.ParseKind("РегистрСведений")
	fmt.Println(k.Name(true), k.Name(false), k.Folder())
	// Output: InformationRegister РегистрСведений InformationRegisters
}

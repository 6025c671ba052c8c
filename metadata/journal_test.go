package metadata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadJournal: a journal may be declared before the documents it
// registers (another file, read first); its columns take their documents'
// types together, its standard attributes are a journal's.
func TestLoadJournal(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a_journals.yaml": `
document_journals:
  - name: Журнал
    synonym: Все документы
    documents: [Документ.Приход, Document.Расход]
    columns:
      - name: Контрагент
        references: [Документ.Приход.Поставщик, Документ.Расход.Покупатель]
      - name: Сумма
        references: [Документ.Приход.Сумма, Документ.Расход.Сумма]
      - name: Комментарий
        references: [Документ.Расход.Комментарий]
roles:
  - name: Читатель
    objects:
      - object: ЖурналДокументов.Журнал
        rights: [Чтение, Просмотр]
        restrictions:
          - {right: Чтение, fields: [Сумма], condition: ГДЕ Сумма < 1000}
`,
		"b_documents.yaml": `
catalogs:
  - name: Поставщики
  - name: Покупатели
documents:
  - name: Приход
    number: {length: 5, type: number}
    attributes:
      - {name: Поставщик, type: Справочник.Поставщики}
      - {name: Сумма, type: "Число(10, 2)"}
  - name: Расход
    attributes:
      - {name: Покупатель, type: Справочник.Покупатели}
      - {name: Сумма, type: "Число(15, 3)"}
      - {name: Комментарий, type: Строка}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(errorLines(err))
	}
	j := cfg.Object("DocumentJournal.журнал")
	if j == nil || j.Kind != DocumentJournal || j.Synonym != "Все документы" || j.FullName(true) != "DocumentJournal.Журнал" {
		t.Fatalf("journal: %+v", j)
	}
	if j.Kind.IsReference() {
		t.Error("a journal has no references of its own")
	}
	if got := strings.Join(j.Documents, ", "); got != "Документ.Приход, Документ.Расход" {
		t.Errorf("documents: %s", got)
	}
	for name, want := range map[string]string{
		"Ссылка": "Документ.Приход, Документ.Расход", "Номер": "Число(5), Строка(11)", "Type": "Строка",
		"Дата": "Дата", "ПометкаУдаления": "Булево", "Posted": "Булево",
		"Контрагент": "Справочник.Поставщики, Справочник.Покупатели", "Сумма": "Число(15, 3)", "Комментарий": "Строка",
	} {
		if a := j.Attribute(name); a == nil || a.Type.String() != want {
			t.Errorf("%s: %+v, want %s", name, a, want)
		}
	}
	if r := j.Attribute("Контрагент").References; len(r) != 2 || r[1] != (ColumnReference{Document: "Документ.Расход", Attribute: "Покупатель", Pos: r[1].Pos}) || r[1].Pos.Line != 8 {
		t.Errorf("references: %+v", r)
	}
	if or := cfg.Role("Читатель").ObjectRights(cfg, "DocumentJournal.Журнал"); or == nil || len(or.RestrictionsOf("Read")) != 1 {
		t.Errorf("rights: %+v", or)
	}
}

func TestLoadJournalErrors(t *testing.T) {
	const yaml = `
catalogs:
  - name: К
documents:
  - name: Д
    attributes:
      - {name: А, type: Булево}
  - name: Е
document_journals:
  - name: Ж
    documents:
      - Документ.Д
      - Справочник.К
      - Документ.Нет
      - Документ.д
    columns:
      - name: Дата
        references: [Документ.Д.А]
      - name: Пусто
      - name: А
        references:
          - Документ.Д.А
          - Документ.Д.Дата
          - Документ.Е.А
          - Документ.Д
      - name: Б
        references: [Документ.Д.Нет]
  - name: Пустой
roles:
  - name: Р
    objects:
      - object: ЖурналДокументов.Ж
        rights: [Чтение, Изменение]
`
	want := []string{
		"c.yaml:13:9: Справочник.К is not a document: a journal registers documents only",
		"c.yaml:14:9: Документ.Нет is not in the configuration",
		"c.yaml:15:9: Документ.д is registered in journal Ж twice",
		"c.yaml:17:15: Дата is a standard attribute of every journal: name the column otherwise",
		"c.yaml:19:15: column Пусто of journal Ж shows no attribute: list under references the attribute of each document it shows (Документ.Имя.Реквизит)",
		"c.yaml:23:13: column А already shows an attribute of Документ.Д: a column shows one attribute per document",
		"c.yaml:24:13: Документ.Е is not registered in journal Ж: add it to documents",
		"c.yaml:25:13: \"Документ.Д\" is not an attribute of a document: write Документ.Имя.Реквизит",
		"c.yaml:27:22: Документ.Д has no attribute Нет",
		"c.yaml:28:11: document journal Пустой registers no documents: list them under documents (Документ.Имя)",
		"c.yaml:33:26: a document journal has only the rights Чтение (Read) and Просмотр (View), not Изменение",
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	if err == nil {
		t.Fatal("loaded")
	}
	got := strings.Split(strings.ReplaceAll(errorLines(err), dir+string(filepath.Separator), ""), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

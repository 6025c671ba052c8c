package rls_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/infobase"
	"dostup/internal/testcorpus"
	"dostup/internal/testdb"
	"dostup/rls"
	"dostup/sqlgen/sqlite"
)

// knownFailure is a restriction of the corpus that does not compile for a
// reason outside the compiler.
type knownFailure struct {
	object, message string
}

var corpusFailures = map[string][]knownFailure{
	"ssl31": {
		// Document journals are not modelled: the importer leaves them out.
		{"DocumentJournal.Взаимодействия", "is not in the imported configuration"},
		// Branches of ПоЗначениям for an access value table that has
		// groups of values (Т.ГруппаДоступа, or the tabular section
		// ГруппыДоступа), met when a session's ВидыДоступаБезГрупп... does
		// not list the table's access kind; the library's sessions always
		// do for these tables, which have no groups.
		{"Catalog.ДополнительныеОтчетыИОбработки", "has no field ГруппаДоступа"},
		{"Catalog.УчетныеЗаписиЭлектроннойПочты", "has no field ГруппаДоступа"},
		{"ChartOfCharacteristicTypes.ДополнительныеРеквизитыИСведения", "has no field ГруппаДоступа"},
		{"Catalog.ДополнительныеОтчетыИОбработки", "has no tabular section ГруппыДоступа"},
		{"Catalog.УчетныеЗаписиЭлектроннойПочты", "has no tabular section ГруппыДоступа"},
		{"ChartOfCharacteristicTypes.ДополнительныеРеквизитыИСведения", "has no tabular section ГруппыДоступа"},
		// ДляОбъекта's branch for a reference object, ТекущаяТаблица.Ссылка,
		// met by a register when the session lists it as keyed by itself.
		{"InformationRegister.ДанныеБизнесПроцессов", "has no field Ссылка"},
	},
	"ssl31en": {
		{"DocumentJournal.Interactions", "is not in the imported configuration"},
		{"InformationRegister.BusinessProcessesData", "has no field Ref"},
		// Machine translation: the attribute Пользовательский is Custom in
		// the metadata but User in the restriction text.
		{"Catalog.ReportsOptions", "has no field User"},
		// CASE WHERE / CASE THEN: syntax errors of the translation (see
		// TestCheckCorpus).
		{"Catalog.AccessGroups", "after ВЫБОР (CASE)"},
		{"Catalog.AccessGroupProfiles", "after ВЫБОР (CASE)"},
		{"Catalog.AccessGroupProfiles", "closing the nested query"},
	},
}

// TestCompileCorpus compiles every variant of every restriction of the
// corpus and runs it on both backends.
func TestCompileCorpus(t *testing.T) {
	cases := []struct {
		corpus       string
		restrictions int
		failed       int
		backends     []string
	}{
		{"ssl31", 152, 6, testdb.Backends},
		{"ssl31en", 137, 8, []string{"sqlite"}},
	}
	for _, c := range cases {
		for _, backend := range c.backends {
			t.Run(c.corpus+"/"+backend, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				path := testcorpus.Dir(t, c.corpus)
				target, err := rls.LoadTarget(path)
				if err != nil {
					t.Fatal(err)
				}
				db := testdb.Open(t, backend)
				if _, err := infobase.Init(ctx, db, target.Config, infobase.InitOptions{}); err != nil {
					t.Fatal(err)
				}
				r, err := rls.Compile(ctx, target, rls.CompileOptions{Dialect: db.Dialect, DB: db.SQL})
				if err != nil {
					t.Fatal(err)
				}
				failedObjects := map[string]bool{}
				for _, f := range r.Failures {
					known := false
					for _, k := range corpusFailures[c.corpus] {
						if f.Object == k.object && strings.Contains(f.Message, k.message) {
							known = true
						}
					}
					if !known {
						t.Errorf("%s\n%s", f, f.SQL)
					}
					if f.Line == 0 || !strings.HasSuffix(f.File, "Rights.xml") {
						t.Errorf("not placed in Rights.xml: %s", f)
					}
					failedObjects[f.Role+"|"+f.Object+"|"+f.Right] = true
				}
				if r.Restrictions != c.restrictions || r.Failed != c.failed || r.OK != c.restrictions-c.failed || len(failedObjects) != c.failed {
					t.Errorf("%s; %d restrictions with failures", r.Summary(), len(failedObjects))
				}
				t.Log(r.Summary())
			})
		}
	}
}

// writeConfig writes a small dostup configuration with one role whose
// restrictions of Справочник.Контрагенты are conditions.
func writeConfig(t *testing.T, conditions ...string) string {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`configuration:
  name: Тест
  language: ru
catalogs:
  - name: Организации
  - name: Контрагенты
    attributes:
      - {name: Организация, type: Справочник.Организации}
      - {name: ИНН, type: Строка(12)}
session_parameters:
  - name: Организация
    type: Справочник.Организации
roles:
  - name: Роль
    objects:
      - object: Справочник.Контрагенты
        rights: [Чтение, Добавление, Изменение, Удаление]
        restrictions:
`)
	rights := []string{"Чтение", "Добавление", "Изменение", "Удаление"}
	for i, c := range conditions {
		b.WriteString("          - right: " + rights[i] + "\n            condition: |\n")
		for _, line := range strings.Split(c, "\n") {
			b.WriteString("              " + line + "\n")
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCompileFailures(t *testing.T) {
	cases := []struct {
		name       string
		conditions []string
		want       []string // failures as printed, without the folder
	}{
		{"ok", []string{"ГДЕ Организация = &Организация", "ГДЕ ИНН = \"1\" ИЛИ Организация.Наименование ПОДОБНО \"А%\""}, nil},
		{"unknown field", []string{"ГДЕ Организация = &Организация\n  И Нет = 1"},
			[]string{"config.yaml:22:19: role Роль, Справочник.Контрагенты, Read: Нет is neither a table alias nor a field of the query's tables"}},
		{"unknown field through a reference", []string{"ГДЕ Организация.Нет = 1"},
			[]string{"config.yaml:21:31: role Роль, Справочник.Контрагенты, Read: Справочник.Организации has no field Нет"}},
		{"undeclared session parameter", []string{"ГДЕ Организация = &Организация", "ГДЕ Организация = &Нет"},
			[]string{"config.yaml:24:33: role Роль, Справочник.Контрагенты, Insert: &Нет is neither a session parameter nor a functional option of the configuration"}},
		{"in one variant", []string{"#Если &Режим = \"А\" #Тогда\nГДЕ Нет = 1\n#Иначе\nГДЕ ИСТИНА\n#КонецЕсли"},
			[]string{`config.yaml:22:19: role Роль, Справочник.Контрагенты, Read: Нет is neither a table alias nor a field of the query's tables (in the variant where &Режим = "А" = Истина)`}},
		{"syntax", []string{"ГДЕ Организация = "},
			[]string{"config.yaml:22:15: role Роль, Справочник.Контрагенты, Read: expected an expression, found end of text"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeConfig(t, c.conditions...)
			target, err := rls.LoadTarget(dir)
			if err != nil {
				t.Fatal(err)
			}
			r, err := rls.Compile(context.Background(), target, rls.CompileOptions{Dialect: sqlite.New()})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range r.Failures {
				got = append(got, strings.TrimPrefix(f.String(), dir+string(filepath.Separator)))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if r.Restrictions != len(c.conditions) || r.Failed != min(len(c.want), 1) {
				t.Errorf("%s", r.Summary())
			}
		})
	}
}

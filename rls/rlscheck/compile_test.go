package rlscheck_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"dostup/infobase"
	"dostup/internal/testcorpus"
	"dostup/internal/testdb"
	"dostup/rls/rlscheck"
	"dostup/sqlgen/sqlite"
)

// knownFailure is a restriction of the corpus that does not compile for a
// reason outside the compiler.
type knownFailure struct {
	object, message string
}

var corpusFailures = map[string][]knownFailure{
	"ssl31": {},
	"ssl31en": {
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

// corpusUnreachable are the variants of the corpus that only sessions
// contradicting the metadata choose (unreachable.go), by object and the
// field they read; any other is an error, so the rule cannot grow unseen.
var corpusUnreachable = map[string][]knownFailure{
	"ssl31": {
		// Branches of ПоЗначениям for an access value table that has
		// groups of values (Т.ГруппаДоступа, or the tabular section
		// ГруппыДоступа), chosen when a session's
		// ВидыДоступаБезГруппДляЗначенияДоступа does not list the table's
		// access kind; these tables have no groups.
		{"Catalog.ДополнительныеОтчетыИОбработки", "has no field ГруппаДоступа"},
		{"Catalog.УчетныеЗаписиЭлектроннойПочты", "has no field ГруппаДоступа"},
		{"ChartOfCharacteristicTypes.ДополнительныеРеквизитыИСведения", "has no field ГруппаДоступа"},
		{"Catalog.ДополнительныеОтчетыИОбработки", "has no tabular section ГруппыДоступа"},
		{"Catalog.УчетныеЗаписиЭлектроннойПочты", "has no tabular section ГруппыДоступа"},
		{"ChartOfCharacteristicTypes.ДополнительныеРеквизитыИСведения", "has no tabular section ГруппыДоступа"},
		// ДляОбъекта's branch for an object keyed by itself,
		// ТекущаяТаблица.Ссылка, chosen when a session lists a register as
		// "РегистрСведений.X:Владелец;;-".
		{"InformationRegister.ДанныеБизнесПроцессов", "has no field Ссылка"},
	},
	"ssl31en": {
		{"InformationRegister.BusinessProcessesData", "has no field Ref"},
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
		{"ssl31", 152, 0, testdb.Backends},
		{"ssl31en", 137, 6, []string{"sqlite"}},
	}
	for _, c := range cases {
		for _, backend := range c.backends {
			t.Run(c.corpus+"/"+backend, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				path := testcorpus.Dir(t, c.corpus)
				target, err := rlscheck.LoadTarget(path)
				if err != nil {
					t.Fatal(err)
				}
				db := testdb.Open(t, backend)
				if _, err := infobase.Init(ctx, db, target.Config, infobase.InitOptions{}); err != nil {
					t.Fatal(err)
				}
				r, err := rlscheck.Compile(ctx, target, rlscheck.CompileOptions{Dialect: db.Dialect, DB: db.SQL})
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
				seen := map[knownFailure]bool{}
				for _, u := range r.Unreachable {
					known := false
					for _, k := range corpusUnreachable[c.corpus] {
						if u.Object == k.object && strings.Contains(u.Message, k.message) {
							known, seen[k] = true, true
						}
					}
					if !known || u.Line == 0 || !strings.HasSuffix(u.File, "Rights.xml") {
						t.Errorf("unexpected unreachable variant: %s", u)
					}
				}
				if len(seen) != len(corpusUnreachable[c.corpus]) {
					t.Errorf("%d of %d known unreachable variants found", len(seen), len(corpusUnreachable[c.corpus]))
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
			target, err := rlscheck.LoadTarget(dir)
			if err != nil {
				t.Fatal(err)
			}
			r, err := rlscheck.Compile(context.Background(), target, rlscheck.CompileOptions{Dialect: sqlite.New()})
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

// TestCompileUnreachable: a variant that reads a field its table lacks is
// unreachable only when a list question about the table forces it; any
// other such variant is a failure.
func TestCompileUnreachable(t *testing.T) {
	const withGroups = `
#Если СтрСодержит(&БезГрупп, ",#Параметр(1),") #Тогда
ГДЕ ИСТИНА
#ИначеЕсли СтрСодержит(&ОднаГруппа, ",#Параметр(1),") #Тогда
Т ИЗ Т ГДЕ Т.ГруппаДоступа = &Группа
#Иначе
Т ИЗ Т ГДЕ Т.ГруппыДоступа.Группа = &Группа
#КонецЕсли`
	cases := []struct {
		name, condition, template string
		unreachable, failures     []string // messages, without the reasons
	}{
		{"forced by a list of the table's name", `#Если СтрСодержит(&Списки, "Справочник.Контрагенты;") #Тогда
Т ИЗ Т ГДЕ Т.ГруппаДоступа = &Группа
#Иначе
ГДЕ ИСТИНА
#КонецЕсли`, "", []string{"Справочник.Контрагенты has no field ГруппаДоступа"}, nil},
		{"forced by a list of a name the call passes", `#Группы("Контрагенты")`, withGroups,
			[]string{"Справочник.Контрагенты has no field ГруппаДоступа", "Справочник.Контрагенты has no field ГруппыДоступа"}, nil},
		{"a list of other names", `#Если СтрСодержит(&Роли, ",Админ,") #Тогда
ГДЕ ИСТИНА
#Иначе
Т ИЗ Т ГДЕ Т.ГруппаДоступа = &Группа
#КонецЕсли`, "", nil, []string{"Справочник.Контрагенты has no field ГруппаДоступа"}},
		{"not forced: another way reads what the table has", `#Если СтрСодержит(&Списки, "Справочник.Контрагенты;") #Тогда
ГДЕ ИСТИНА
#ИначеЕсли &Режим #Тогда
Т ИЗ Т ГДЕ Т.ГруппаДоступа = &Группа
#Иначе
ГДЕ ЛОЖЬ
#КонецЕсли`, "", nil, []string{"Справочник.Контрагенты has no field ГруппаДоступа"}},
		{"a field of another table", `#Если СтрСодержит(&Списки, "Справочник.Контрагенты;") #Тогда
ГДЕ ИСТИНА
#Иначе
ГДЕ Организация.Нет = 1
#КонецЕсли`, "", nil, []string{"Справочник.Организации has no field Нет"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var b strings.Builder
			b.WriteString(`configuration: {name: Тест, language: ru}
catalogs:
  - name: Организации
  - name: Контрагенты
    attributes:
      - {name: Организация, type: Справочник.Организации}
session_parameters:
  - {name: Списки, type: Строка}
  - {name: Роли, type: Строка}
  - {name: БезГрупп, type: Строка}
  - {name: ОднаГруппа, type: Строка}
  - {name: Режим, type: Булево}
  - {name: Группа, type: Справочник.Организации}
roles:
  - name: Роль
    objects:
      - object: Справочник.Контрагенты
        rights: [Чтение]
        restrictions:
          - right: Чтение
            condition: |
`)
			for _, line := range strings.Split(c.condition, "\n") {
				b.WriteString("              " + line + "\n")
			}
			if c.template != "" {
				b.WriteString("    templates:\n      - name: Группы(Вид)\n        condition: |\n")
				for _, line := range strings.Split(c.template, "\n") {
					b.WriteString("          " + line + "\n")
				}
			}
			if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			target, err := rlscheck.LoadTarget(dir)
			if err != nil {
				t.Fatal(err)
			}
			r, err := rlscheck.Compile(context.Background(), target, rlscheck.CompileOptions{Dialect: sqlite.New()})
			if err != nil {
				t.Fatal(err)
			}
			var unreachable, failures []string
			for _, u := range r.Unreachable {
				msg := strings.TrimPrefix(u.Message, "unreachable: ")
				unreachable = append(unreachable, msg[:strings.Index(msg, ", read only because")])
				if !strings.Contains(u.Message, "so a session whose parameters agree with the metadata answers") {
					t.Errorf("no reason: %s", u)
				}
			}
			for _, f := range r.Failures {
				failures = append(failures, f.Message[:strings.Index(f.Message, " (in ")])
			}
			sort.Strings(unreachable)
			if strings.Join(unreachable, "\n") != strings.Join(c.unreachable, "\n") || strings.Join(failures, "\n") != strings.Join(c.failures, "\n") {
				t.Errorf("unreachable:\n%s\nfailures:\n%s", strings.Join(unreachable, "\n"), strings.Join(failures, "\n"))
			}
			if r.Failed != min(len(c.failures), 1) || r.OK != 1-r.Failed {
				t.Errorf("%s", r.Summary())
			}
		})
	}
}

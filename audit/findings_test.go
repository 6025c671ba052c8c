package audit_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/audit"
	"dostup/internal/testcorpus"
	"dostup/metadata"
	"dostup/onecxml"
)

// stdAllowed is the default policy as the issue states it, written out
// here again so that a change to policy.yaml is a change to this test too.
var stdAllowed = map[string][]string{
	"Администрирование":                       {"Администрирование", "АдминистраторСистемы"},
	"АдминистрированиеДанных":                 {"Администрирование", "ПолныеПрава", "АдминистраторСистемы"},
	"АдминистрированиеРасширенийКонфигурации": {"Администрирование", "АдминистраторСистемы"},
	"ОбновлениеКонфигурацииБазыДанных":        {"ОбновлениеКонфигурацииБазыДанных", "АдминистраторСистемы"},
	"АктивныеПользователи":                    {"Администрирование", "ПолныеПрава", "АдминистраторСистемы"},
	"ЖурналРегистрации":                       {"ПросмотрЖурналаРегистрации", "ПолныеПрава", "АдминистраторСистемы"},
	"МонопольныйРежим":                        {"ПолныеПрава", "АдминистраторСистемы"},
	"РежимВсеФункции":                         {"РежимВсеФункции", "АдминистраторСистемы"},
	"ТолстыйКлиент":                           {"ЗапускТолстогоКлиента", "АдминистраторСистемы"},
	"ВнешнееСоединение":                       {"ЗапускВнешнегоСоединения", "АдминистраторСистемы"},
	"Automation":                              {"ЗапускAutomation", "АдминистраторСистемы"},
	"ИнтерактивноеОткрытиеВнешнихОбработок":   {"ИнтерактивноеОткрытиеВнешнихОтчетовИОбработок"},
	"ИнтерактивноеОткрытиеВнешнихОтчетов":     {"ИнтерактивноеОткрытиеВнешнихОтчетовИОбработок"},
}

// TestDangerousRightsAgainstRoleFiles: audit findings reports every
// dangerous right the role files grant to a role not allowed it, and no
// other.
func TestDangerousRightsAgainstRoleFiles(t *testing.T) {
	if got := len(audit.DefaultPolicy().Dangerous); got != len(stdAllowed) {
		t.Fatalf("the default policy lists %d rights, the standard %d", got, len(stdAllowed))
	}
	for _, tt := range []struct{ name, root string }{
		{"ssl31", testcorpus.Dir(t, "ssl31")},
		{"unf30", testcorpus.Unf30(t)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			target := loadTarget(t, tt.root)
			got := map[string]bool{}
			for _, f := range audit.ConfigurationFindings(target.Config, audit.DefaultPolicy()) {
				if f.Code == audit.CodeDangerousRight {
					if f.Severity != audit.SeverityError || f.Object != audit.ConfigurationObject || f.Message == "" {
						t.Errorf("finding %+v: want severity error on %s with a message", f, audit.ConfigurationObject)
					}
					got[f.Role+"|"+f.Right] = true
				}
			}
			want := map[string]bool{}
			for _, path := range target.Rights {
				file, err := onecxml.ReadRights(path)
				if err != nil {
					t.Fatal(err)
				}
				for _, row := range readRoleFile(target.Config, file) {
					cols := strings.Split(row, "|")
					role, object, right := cols[1], cols[2], cols[3]
					allowed, listed := stdAllowed[right]
					if object == audit.ConfigurationObject && listed && !containsFold(allowed, role) {
						want[role+"|"+right] = true
					}
				}
			}
			diff(t, "dangerous in the files but not reported", want, got)
			diff(t, "reported but not dangerous in the files", got, want)
			t.Logf("%d dangerous rights", len(got))
		})
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// TestConfigurationFindings audits a configuration written for the test:
// each code where it applies, and nothing where it does not.
func TestConfigurationFindings(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("configuration.yaml", "configuration:\n  name: Тест\n")
	write("catalogs.yaml", "catalogs:\n  - name: Контрагенты\n    attributes:\n      - {name: ИНН, type: Строка(12)}\n")
	write("roles.yaml", `roles:
  - name: ПолныеПрава
    set_for_new_objects: true
    objects:
      - object: Справочник.Контрагенты
        restrictions:
          - right: Чтение
            condition: ИНН <> ""
  - name: Менеджер
    rights: [ВнешнееСоединение, ТонкийКлиент]
    objects:
      - object: Справочник.Контрагенты
        rights: [Чтение, ИнтерактивноеУдаление]
  - name: ЗапускВнешнегоСоединения
    rights: [ВнешнееСоединение]
  - name: Всё
    set_for_new_objects: true
`)
	cfg, err := metadata.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range audit.ConfigurationFindings(cfg, audit.DefaultPolicy()) {
		got = append(got, f.Code+" "+f.Role+" "+f.Right+" "+f.Object)
	}
	want := map[string]bool{
		"dangerous-right Менеджер ВнешнееСоединение Конфигурация":                  true,
		"interactive-delete Менеджер ИнтерактивноеУдаление Справочник.Контрагенты": true,
		"rls-in-standard-role ПолныеПрава Чтение Справочник.Контрагенты":           true,
		"set-for-new-objects Всё  ": true,
		"interactive-delete ПолныеПрава ИнтерактивноеУдаление Справочник.Контрагенты":                                 true,
		"interactive-delete Всё ИнтерактивноеУдаление Справочник.Контрагенты":                                         true,
		"interactive-delete ПолныеПрава ИнтерактивноеУдалениеПредопределенныхДанных Справочник.Контрагенты":           true,
		"interactive-delete ПолныеПрава ИнтерактивноеУдалениеПомеченныхПредопределенныхДанных Справочник.Контрагенты": true,
		"interactive-delete Всё ИнтерактивноеУдалениеПредопределенныхДанных Справочник.Контрагенты":                   true,
		"interactive-delete Всё ИнтерактивноеУдалениеПомеченныхПредопределенныхДанных Справочник.Контрагенты":         true,
	}
	for _, g := range got {
		// The roles granting everything hold every right the policy lists
		// but those ПолныеПрава is allowed.
		if right, ok := strings.CutPrefix(g, "dangerous-right ПолныеПрава "); ok {
			right = strings.TrimSuffix(right, " Конфигурация")
			if containsFold(stdAllowed[right], "ПолныеПрава") {
				t.Errorf("ПолныеПрава may hold %s, but it is reported", right)
			}
			continue
		}
		if !want[g] && !strings.HasPrefix(g, "dangerous-right Всё ") {
			t.Errorf("unexpected finding %q", g)
		}
		delete(want, g)
	}
	for w := range want {
		t.Errorf("missing finding %q", w)
	}
}

// TestParsePolicyErrors: a policy's mistakes name their line and column.
func TestParsePolicyErrors(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"dangerous_rights:\n  - right: Чтение\n    roles: [А]\n", `p.yaml:2:12: "Чтение" is not a right of the configuration as a whole`},
		{"dangerous_rights:\n  - right: Администрирование\n", "p.yaml:2:12: Администрирование lists no roles"},
		{"dangerous_right:\n  - right: Администрирование\n", "p.yaml:1:1: unknown field \"dangerous_right\""},
		{"", "p.yaml: empty policy"},
	} {
		_, err := audit.ParsePolicy("p.yaml", []byte(tt.text))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %s...", tt.text, err, tt.want)
		}
	}
	if _, err := audit.ParsePolicy("p.yaml", []byte("dangerous_rights:\n  - right: ExternalConnection\n    roles: []\n")); err != nil {
		t.Errorf("an English right with no role allowed: %v", err)
	}
}

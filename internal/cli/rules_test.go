package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/internal/testdb"
)

const wholesaleDir = "../../examples/wholesale"

func TestRulesDecide(t *testing.T) {
	cases := []struct {
		args []string
		code int
		rule any
	}{
		{[]string{"Роль=Стажер", "Действие=Правка", "ВидОбъекта=Расходная", "Товары=Водка"}, ExitDenied, "стажер-алкоголь"},
		{[]string{"Роль=Стажер", "Действие=Правка", "ВидОбъекта=Расходная", "Товары=Хлеб", "Скидка=500", "ДнейОтТочкиАктуальности=0"}, ExitOK, "менеджер-правка-расходных"},
		{[]string{"Role=Стажер", "Action=Правка", "ObjectKind=Расходная", "Goods=Хлеб,Коньяк"}, ExitDenied, "стажер-алкоголь"},
		{[]string{"Роль=Кладовщик", "Действие=Проведение", "ВидОбъекта=Расходная"}, ExitOK, "кладовщик-проводит"},
		{[]string{"Роль=Директор", "Действие=Правка", "ВидОбъекта=Расходная"}, ExitDenied, nil},
	}
	for _, c := range cases {
		args := append([]string{"rules", "decide", "--json", "--rules", wholesaleDir}, c.args...)
		code, out, errOut := run(t, "", args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (%s)", c.args, code, c.code, errOut)
			continue
		}
		var d struct {
			Effect  string
			Rule    any
			Message string
			Trace   []map[string]any
		}
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, out)
		}
		if d.Rule != c.rule {
			t.Errorf("%v: rule %v, want %v", c.args, d.Rule, c.rule)
		}
		if (d.Effect == "allow") != (c.code == ExitOK) {
			t.Errorf("%v: effect %s", c.args, d.Effect)
		}
	}
	// Before the first order nothing is allowed.
	code, out, _ := run(t, "", "rules", "decide", "--rules", wholesaleDir, "--at", "31.12.2003", "Роль=Администратор", "Действие=Просмотр")
	if code != ExitDenied || !strings.Contains(out, "no rule") {
		t.Errorf("--at before the first order: exit %d, %s", code, out)
	}
	code, _, errOut := run(t, "", "rules", "decide", "--rules", wholesaleDir, "Цвет=Красный")
	if code != ExitUsage || !strings.Contains(errOut, "unknown property Цвет") {
		t.Errorf("unknown property: exit %d, %s", code, errOut)
	}
}

func TestRulesLint(t *testing.T) {
	code, out, errOut := run(t, "", "rules", "lint", wholesaleDir)
	if code != ExitOK || !strings.Contains(out, "0 findings") {
		t.Errorf("lint of the example: exit %d, %s %s", code, out, errOut)
	}
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("register.yaml", "properties:\n  - name: Роль\n  - name: Скидка\n    type: число\nrules:\n  - id: a\n    Роль: Менеджер\n    effect: allow\n  - id: b\n    Скидка: >abc\n    effect: deny\n  - id: c\n    Цвет: x\n    effect: maybe\n")
	code, _, errOut = run(t, "", "rules", "lint", dir)
	for _, want := range []string{"register.yaml:10:14: rule b, Скидка: \"abc\" is not a number", "register.yaml:13:5: rule c: unknown property Цвет", "register.yaml:14:13: unknown effect"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("missing %q in\n%s", want, errOut)
		}
	}
	if code != ExitFailure {
		t.Errorf("exit %d", code)
	}
}

func TestRulesReport(t *testing.T) {
	code, out, _ := run(t, "", "rules", "report", "who", "--rules", wholesaleDir, "Действие=Проведение", "ВидОбъекта=Расходная")
	if code != ExitOK || !strings.Contains(out, "Кладовщик") || strings.Contains(out, "Менеджер ") {
		t.Errorf("who posts: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "rules", "report", "may", "--rules", wholesaleDir, "Роль=Стажер")
	if code != ExitOK || !strings.Contains(out, "стажер-алкоголь") {
		t.Errorf("may Стажер: exit %d\n%s", code, out)
	}
}

func TestRulesOrders(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			db := testdb.DSN(t, backend)
			order := filepath.Join(t.TempDir(), "order.yaml")
			os.WriteFile(order, []byte("order:\n  date: 01.01.2005\n  author: Директор\n  reason: Директор тоже правит\n  add:\n    - id: директор-правит\n      Роль: Директор\n      Действие: Правка\n      effect: allow\n"), 0o644)
			args := []string{"Роль=Директор", "Действие=Правка", "ВидОбъекта=Расходная"}
			code, _, _ := run(t, "", append([]string{"rules", "decide", "--rules", wholesaleDir, "--db", db}, args...)...)
			if code != ExitDenied {
				t.Fatalf("before: exit %d", code)
			}
			code, out, errOut := run(t, "", "rules", "order", "apply", "--rules", wholesaleDir, "--db", db, order)
			if code != ExitOK || !strings.Contains(out, "order 2") {
				t.Fatalf("apply: exit %d %s %s", code, out, errOut)
			}
			code, _, _ = run(t, "", append([]string{"rules", "decide", "--rules", wholesaleDir, "--db", db}, args...)...)
			if code != ExitOK {
				t.Errorf("after: exit %d", code)
			}
			code, _, _ = run(t, "", append([]string{"rules", "decide", "--rules", wholesaleDir, "--db", db, "--at", "31.12.2004"}, args...)...)
			if code != ExitDenied {
				t.Errorf("at a date before the order: exit %d", code)
			}
			code, out, _ = run(t, "", "rules", "order", "list", "--rules", wholesaleDir, "--db", db)
			if code != ExitOK || !strings.Contains(out, "Директор тоже правит") || !strings.Contains(out, "Первоначальные") {
				t.Errorf("list: exit %d\n%s", code, out)
			}
			code, out, _ = run(t, "", "rules", "order", "show", "--rules", wholesaleDir, "--db", db, "2")
			if code != ExitOK || !strings.Contains(out, "+ директор-правит") {
				t.Errorf("show: exit %d\n%s", code, out)
			}
		})
	}
}

// TestRulesQueryProperty: a property computed by a 1C query from the
// infobase given with --db, lazily, on both backends.
func TestRulesQueryProperty(t *testing.T) {
	dir := t.TempDir()
	writeRulesFile(t, filepath.Join(dir, "register.yaml"), `properties:
  - name: Фирма
    type: string
  - name: Действие
    type: string
  - name: Клиенты
    type: list
    query: ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Организация.Наименование = &Фирма
`)
	writeRulesFile(t, filepath.Join(dir, "order.yaml"), `order:
  number: 1
  date: 01.01.2024
  author: admin
  reason: test
  add:
    - id: отгрузка
      Действие: Отгрузка
      effect: allow
    - id: хлеб
      Действие: Отгрузка
      Клиенты: Хлебозавод
      effect: deny
      message: Хлебозаводу не отгружаем
`)
	for _, backend := range testdb.Backends {
		dsn := testdb.DSN(t, backend)
		if code, _, errOut := run(t, "", "demo", "--db", dsn); code != ExitOK {
			t.Fatalf("%s demo: %s", backend, errOut)
		}
		code, out, errOut := run(t, "", "rules", "decide", "--rules", dir, "--db", dsn, "Фирма=ООО Лютик", "Действие=Отгрузка")
		if code != ExitDenied || !strings.Contains(out, "Хлебозаводу не отгружаем") {
			t.Errorf("%s Лютик: exit %d, %q, %q", backend, code, out, errOut)
		}
		code, out, errOut = run(t, "", "rules", "decide", "--rules", dir, "--db", dsn, "Фирма=ООО Ромашка", "Действие=Отгрузка")
		if code != ExitOK {
			t.Errorf("%s Ромашка: exit %d, %q, %q", backend, code, out, errOut)
		}
	}
	code, _, errOut := run(t, "", "rules", "decide", "--rules", dir, "Фирма=ООО Лютик", "Действие=Отгрузка")
	if code == ExitOK || !strings.Contains(errOut, "give --db") {
		t.Errorf("without --db: exit %d, %q", code, errOut)
	}
}

func writeRulesFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

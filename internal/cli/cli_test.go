package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/demo"
	"dostup/infobase"
	"dostup/internal/testcorpus"
	"dostup/internal/testdb"
)

// run executes the command line with stdin and returns exit code, stdout, stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"version", "--help"}, {"fmt", "--help"}, {"rls", "--help"}, {"rls", "check", "--help"}} {
		code, out, _ := run(t, "", args...)
		if code != ExitOK || !strings.Contains(out, "Usage:") {
			t.Errorf("%v: exit %d, output %q", args, code, out)
		}
	}
	code, out, _ := run(t, "", "version")
	if code != ExitOK || !strings.HasPrefix(out, "dostup ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
	code, _, errOut := run(t, "", "no-such-command")
	if code != ExitUsage || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
}

func TestFmt(t *testing.T) {
	cases := []struct {
		name, stdin string
		args        []string
		code        int
		out, err    string
	}{
		{"query ru", "выбрать т.Ссылка из Справочник.Контрагенты как т где т.ИНН подобно \"77%\"", []string{"fmt"}, ExitOK,
			"ВЫБРАТЬ\n\tт.Ссылка\nИЗ\n\tСправочник.Контрагенты КАК т\nГДЕ\n\tт.ИНН ПОДОБНО \"77%\"\n", ""},
		{"query en", "выбрать т.Ссылка из Справочник.Контрагенты как т", []string{"fmt", "--lang", "en"}, ExitOK,
			"SELECT\n\tт.Ссылка\nFROM\n\tCatalog.Контрагенты AS т\n", ""},
		{"restriction", "где Организация = &Организация или ЭтоГруппа", []string{"fmt", "-"}, ExitOK,
			"ГДЕ\n\tОрганизация = &Организация ИЛИ ЭтоГруппа\n", ""},
		{"syntax error", "ВЫБРАТЬ А ИЗ\nГДЕ Б", []string{"fmt"}, ExitFailure, "", "<stdin>:2:1: expected a name, found keyword ГДЕ"},
		{"bad lang", "ГДЕ ИСТИНА", []string{"fmt", "--lang", "de"}, ExitUsage, "", "--lang must be ru or en"},
		{"missing file", "", []string{"fmt", "no-such-file.txt"}, ExitUsage, "", "no-such-file.txt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, c.stdin, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, c.code, errOut)
			}
			if c.out != "" && out != c.out {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, c.out)
			}
			if c.err != "" && !strings.Contains(errOut, c.err) {
				t.Errorf("stderr %q does not contain %q", errOut, c.err)
			}
		})
	}
}

func TestRLSCheck(t *testing.T) {
	root := testcorpus.Dir(t, "ssl31")
	one := filepath.Join(root, "Roles", "ЧтениеДатЗапретаИзменения")

	code, out, _ := run(t, "", "rls", "check", one)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != ExitOK || lines[len(lines)-1] != "1 restrictions: 1 ok, 0 failed (18 variants, 4 message variants)" {
		t.Errorf("text: exit %d, %q", code, out)
	}

	code, out, _ = run(t, "", "rls", "check", "--json", one)
	var got struct {
		Restrictions, OK, Failed, Variants int
		MessageVariants                    int `json:"message_variants"`
		Failures                           []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitOK {
		t.Fatalf("json: exit %d, %v, %q", code, err, out)
	}
	if got.Restrictions != 1 || got.OK != 1 || got.Failed != 0 || got.Failures == nil {
		t.Errorf("json: %+v", got)
	}

	code, _, errOut := run(t, "", "rls", "check", filepath.Join(root, "nowhere"))
	if code != ExitUsage || errOut == "" {
		t.Errorf("missing path: exit %d, %q", code, errOut)
	}
	code, _, _ = run(t, "", "rls", "check")
	if code != ExitUsage {
		t.Errorf("no path: exit %d", code)
	}
	code, _, errOut = run(t, "", "rls", "check", "--param", "=1", one)
	if code != ExitUsage || !strings.Contains(errOut, "Name=Value") {
		t.Errorf("bad --param: exit %d, %q", code, errOut)
	}
}

func TestRLSCheckFailureExitsOne(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "Roles", "Р", "Ext")
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	xml := `<?xml version="1.0" encoding="UTF-8"?>
<Rights xmlns="http://v8.1c.ru/8.2/roles"><object><name>Catalog.К</name><right><name>Read</name><value>true</value>
<restrictionByCondition><condition>ГДЕ Организация = </condition></restrictionByCondition></right></object></Rights>`
	if err := os.WriteFile(filepath.Join(p, "Rights.xml"), []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "", "rls", "check", dir)
	if code != ExitFailure || !strings.Contains(out, "Rights.xml:3:54: role Р, Catalog.К, Read: expected an expression, found end of text") ||
		!strings.HasSuffix(out, "1 restrictions: 0 ok, 1 failed (1 variants, 0 message variants)\n") {
		t.Errorf("exit %d, %q", code, out)
	}
}

func TestParseParams(t *testing.T) {
	got, err := parseParams([]string{"А=true", "&Б=Ложь", "В=Все", "Г="})
	if err != nil {
		t.Fatal(err)
	}
	if got["А"] != true || got["Б"] != false || got["В"] != "Все" || got["Г"] != "" {
		t.Errorf("got %v", got)
	}
	if _, err := parseParams([]string{"novalue"}); err == nil {
		t.Error("want an error for a pair without =")
	}
}

func TestRLSVariants(t *testing.T) {
	root := testcorpus.Dir(t, "ssl31")
	one := filepath.Join(root, "Roles", "ЧтениеДатЗапретаИзменения")
	code, out, errOut := run(t, "", "rls", "variants", "--object", "РегистрСведений.ДатыЗапретаИзменения", "--right", "Чтение",
		"--param", "ОграничениеДоступаНаУровнеЗаписейУниверсально=false", "--param", "ПраваДоступаКДатамЗапрета=,ЧтениеДатЗапретаИзменения,", one)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "== 1. role ЧтениеДатЗапретаИзменения, InformationRegister.ДатыЗапретаИзменения, Read\n" +
		"ГДЕ\n\tТИПЗНАЧЕНИЯ(Пользователь) = ТИП(Справочник.Пользователи) ИЛИ"
	if !strings.HasPrefix(out, want) || strings.Count(out, "== ") != 1 {
		t.Errorf("got:\n%s", out)
	}
	code, _, errOut = run(t, "", "rls", "variants", "--object", "Справочник.НетТакого", one)
	if code != ExitFailure || !strings.Contains(errOut, "no restriction matched") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}

func TestConfigCheck(t *testing.T) {
	code, out, errOut := run(t, "", "config", "check", "../../demo/config")
	if code != ExitOK || out != "7 objects, 4 roles, 8 restrictions: ok\n" {
		t.Errorf("demo: exit %d, %q, %q", code, out, errOut)
	}
	dir := t.TempDir()
	yaml := "catalogs:\n  - name: К\n    attributes:\n      - {name: А, type: Целое}\n" +
		"roles:\n  - name: Р\n    objects:\n      - object: Справочник.К\n        rights: [Чтение]\n        restrictions:\n" +
		"          - right: Чтение\n            condition: |\n              ГДЕ А =\n                И Б\n"
	if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "", "config", "check", dir)
	if code != ExitFailure || !strings.Contains(errOut, "c.yaml:4:25: unknown type \"Целое\"") {
		t.Errorf("bad type: exit %d, %q", code, errOut)
	}
	yaml = strings.Replace(yaml, "Целое", "Булево", 1)
	if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "", "config", "check", dir)
	if code != ExitFailure || !strings.Contains(errOut, "c.yaml:14:17: role Р, Справочник.К, Read: expected an expression, found keyword И") {
		t.Errorf("bad restriction: exit %d, %q", code, errOut)
	}
	code, _, _ = run(t, "", "config", "check", filepath.Join(dir, "nowhere"))
	if code != ExitUsage {
		t.Errorf("missing folder: exit %d", code)
	}
}

func TestImport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ssl31")
	code, stdout, errOut := run(t, "", "import", testcorpus.Dir(t, "ssl31"), "--out", out)
	if code != ExitOK || stdout != "imported БиблиотекаСтандартныхПодсистем: 563 objects, 107 roles, 152 restrictions to "+out+" (9 warnings)\n" {
		t.Fatalf("import: exit %d, %q, %q", code, stdout, errOut)
	}
	if !strings.Contains(errOut, "warning: functional option ВариантыВерсионированияОбъектов is stored in") {
		t.Errorf("warnings: %q", errOut)
	}
	code, stdout, errOut = run(t, "", "config", "check", out)
	if code != ExitOK || stdout != "563 objects, 107 roles, 152 restrictions: ok\n" {
		t.Errorf("config check: exit %d, %q, %q", code, stdout, errOut)
	}
	// The whole library's schema, on both backends, twice: the second run
	// finds nothing to change.
	for _, backend := range testdb.Backends {
		dsn := testdb.DSN(t, backend)
		code, stdout, errOut = run(t, "", "init", "--db", dsn, "--config", out)
		if code != ExitOK || stdout != "683 tables created, 0 columns added, 0 tables and 0 columns dropped\n" {
			t.Errorf("%s init: exit %d, %q, %q", backend, code, stdout, errOut)
		}
		code, stdout, _ = run(t, "", "init", "--db", dsn, "--config", out)
		if code != ExitOK || !strings.Contains(stdout, "is up to date (563 objects)") {
			t.Errorf("%s second init: exit %d, %q", backend, code, stdout)
		}
	}
	code, _, errOut = run(t, "", "import", testcorpus.Dir(t, "ssl31"), "--out", out)
	if code != ExitUsage || !strings.Contains(errOut, "is not empty: use --force") {
		t.Errorf("second import: exit %d, %q", code, errOut)
	}
	code, _, errOut = run(t, "", "import", t.TempDir(), "--out", filepath.Join(t.TempDir(), "x"))
	if code != ExitUsage || errOut == "" {
		t.Errorf("not a dump: exit %d, %q", code, errOut)
	}
}

func TestInitRefusesDrop(t *testing.T) {
	dir := t.TempDir()
	write := func(yaml string) {
		if err := os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, backend := range testdb.Backends {
		dsn := testdb.DSN(t, backend)
		write("catalogs:\n  - name: К\n    attributes:\n      - {name: А, type: Булево}\n")
		if code, _, errOut := run(t, "", "init", "--db", dsn, "--config", dir); code != ExitOK {
			t.Fatalf("%s: %s", backend, errOut)
		}
		write("catalogs:\n  - name: К\n")
		code, _, errOut := run(t, "", "init", "--db", dsn, "--config", dir)
		if code != ExitFailure || !strings.Contains(errOut, "column cat_k.a of Справочник.К is no longer in the configuration") {
			t.Errorf("%s: exit %d, %q", backend, code, errOut)
		}
		code, stdout, _ := run(t, "", "init", "--db", dsn, "--config", dir, "--allow-drop")
		if code != ExitOK || stdout != "0 tables created, 0 columns added, 0 tables and 1 columns dropped\n" {
			t.Errorf("%s --allow-drop: exit %d, %q", backend, code, stdout)
		}
	}
	if code, _, _ := run(t, "", "init", "--config", dir); code != ExitUsage {
		t.Errorf("no --db: exit %d", code)
	}
}

func TestDemo(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			dsn := testdb.DSN(t, backend)
			code, out, errOut := run(t, "", "demo", "--db", dsn)
			if code != ExitOK || !strings.Contains(out, "Справочник.Контрагенты                 8\n") ||
				!strings.Contains(out, `dostup query --db `) || !strings.Contains(out, `--user ivanov "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты"`) {
				t.Fatalf("first run: exit %d, %q, %q", code, out, errOut)
			}
			code, _, errOut = run(t, "", "demo", "--db", dsn)
			if code != ExitUsage || !strings.Contains(errOut, "use --force") {
				t.Errorf("second run: exit %d, %q", code, errOut)
			}
			code, out, errOut = run(t, "", "demo", "--db", dsn, "--force")
			if code != ExitOK || !strings.Contains(out, "created the demo infobase") {
				t.Fatalf("--force: exit %d, %q, %q", code, out, errOut)
			}
			// --force replaced the data rather than adding to it.
			db, err := infobase.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var n int
			if err := db.SQL.QueryRow("SELECT COUNT(*) FROM " + db.Dialect.Quote("cat_kontragenty")).Scan(&n); err != nil || n != 8 {
				t.Errorf("after --force: %d counterparties, %v", n, err)
			}
		})
	}
	code, out, _ := run(t, "", "demo", "--help")
	if code != ExitOK || !strings.Contains(out, "--force") || !strings.Contains(out, "demo.db") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
}

func TestQueryCommand(t *testing.T) {
	for _, backend := range testdb.Backends {
		dsn := testdb.DSN(t, backend)
		if code, _, errOut := run(t, "", "demo", "--db", dsn); code != ExitOK {
			t.Fatalf("%s demo: %s", backend, errOut)
		}
		code, out, errOut := run(t, "", "query", "--db", dsn, "--user", "admin", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты")
		if code != ExitOK || out != "Поле1\n8\n" {
			t.Errorf("%s count: exit %d, %q, %q", backend, code, out, errOut)
		}
		code, out, _ = run(t, "", "query", "--db", dsn, "--user", "admin", "--format", "json", "SELECT SUM(Сумма) FROM Document.РеализацияТоваров.Товары")
		if code != ExitOK || out != "{\"columns\":[\"Поле1\"],\"rows\":[[32250.00]]}\n" {
			t.Errorf("%s sum: exit %d, %q", backend, code, out)
		}
		code, out, _ = run(t, "", "query", "--db", dsn, "--user", "admin", "--format", "json", "--param", "Н=РТ-0002", "ВЫБРАТЬ Контрагент, Дата ИЗ Документ.РеализацияТоваров ГДЕ Номер = &Н")
		if code != ExitOK || out != "{\"columns\":[\"Контрагент\",\"Дата\"],\"rows\":[[{\"ref\":\""+demo.ID("Справочник.Контрагенты", "Стройторг")+"\",\"presentation\":\"Стройторг\"},\"2024-01-22T11:30:00\"]]}\n" {
			t.Errorf("%s ref: exit %d, %q", backend, code, out)
		}
		code, out, _ = run(t, "", "query", "--db", dsn, "--format", "csv", "-", "")
		if code != ExitUsage {
			t.Errorf("%s: two texts: exit %d %q", backend, code, out)
		}
		code, _, errOut = run(t, "", "query", "--db", dsn, "--user", "admin", "ВЫБРАТЬ Т.Нет ИЗ Справочник.Контрагенты КАК Т")
		if code != ExitFailure || !strings.Contains(errOut, "query:1:11: Справочник.Контрагенты has no field Нет") {
			t.Errorf("%s binding error: exit %d, %q", backend, code, errOut)
		}
	}
	code, out, _ := run(t, "ВЫБРАТЬ 1 ИЗ Справочник.Организации ГДЕ Наименование = \"x\"", "query", "--db", "x.db", "--sql", "-")
	if code != ExitUsage || out != "" {
		t.Errorf("missing infobase: exit %d %q", code, out)
	}
}

func TestDemoScaled(t *testing.T) {
	dsn := testdb.DSN(t, "sqlite")
	code, out, errOut := run(t, "", "demo", "--db", dsn, "--counterparties", "10", "--lines", "42")
	if code != ExitOK || !strings.HasPrefix(out, "generated 10 counterparties and 42 document lines for benchmarks\n") {
		t.Fatalf("exit %d, %q, %q", code, out, errOut)
	}
	code, out, _ = run(t, "", "query", "--db", dsn, "--user", "sidorova", "--format", "csv", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Документ.РеализацияТоваров.Товары ОБЪЕДИНИТЬ ВСЕ ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты")
	if code != ExitOK || out != "Поле1\n47\n18\n" {
		t.Errorf("exit %d, %q", code, out)
	}
	if code, _, _ := run(t, "", "demo", "--db", testdb.DSN(t, "sqlite"), "--lines", "-1"); code != ExitUsage {
		t.Errorf("negative --lines: exit %d", code)
	}
}

// TestAccessCommands is issue 5's walk through the CLI on both backends.
func TestAccessCommands(t *testing.T) {
	for _, backend := range testdb.Backends {
		dsn := testdb.DSN(t, backend)
		if code, _, errOut := run(t, "", "demo", "--db", dsn); code != ExitOK {
			t.Fatalf("%s demo: %s", backend, errOut)
		}
		cases := []struct {
			args    []string
			code    int
			out     string // exact stdout, when set
			errPart string // part of stderr, when set
		}{
			{args: []string{"query", "--user", "ivanov", "--format", "csv", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты УПОРЯДОЧИТЬ ПО Наименование"},
				code: ExitOK, out: "Наименование\nКирпичный завод\nЛесопилка\nПокупатели\nПоставщики\nСтройторг\n"},
			{args: []string{"query", "--user", "ivanov", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты"},
				code: ExitDenied, out: "", errPart: "access denied for user ivanov: the Чтение (Read) right on Справочник.Контрагенты"},
			{args: []string{"query", "--user", "ivanov", "--format", "csv", "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Организация.Наименование = \"ООО Ромашка\" УПОРЯДОЧИТЬ ПО Наименование"},
				code: ExitOK, out: "Наименование\nКирпичный завод\nЛесопилка\nСтройторг\n"},
			{args: []string{"query", "--user", "ivanov", "--format", "csv", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Номер"},
				code: ExitOK, out: "Номер\nРТ-0001\nРТ-0002\n"},
			{args: []string{"query", "--user", "petrov", "--format", "csv", "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.РеализацияТоваров УПОРЯДОЧИТЬ ПО Номер"},
				code: ExitOK, out: "Номер\nРТ-0003\nРТ-0004\n"},
			{args: []string{"query", "--user", "sidorova", "--format", "csv", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты"}, code: ExitOK, out: "Поле1\n8\n"},
			{args: []string{"query", "--user", "admin", "--format", "csv", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты"}, code: ExitOK, out: "Поле1\n8\n"},
			{args: []string{"query", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты"}, code: ExitUsage, out: "", errPart: "name the user with --user"},
			{args: []string{"query", "--user", "nobody", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты"}, code: ExitFailure, out: "", errPart: `no user "nobody"`},
			{args: []string{"query", "--user", "ivanov", "--privileged", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты"}, code: ExitDenied, out: "", errPart: "Администрирование"},
			{args: []string{"query", "--user", "admin", "--privileged", "--format", "csv", "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты"}, code: ExitOK, out: "Поле1\n8\n"},
			{args: []string{"object", "put", "--user", "ivanov", "Справочник.Контрагенты", `{"Наименование": "Чужой", "Организация": {"Наименование": "ООО Лютик"}}`},
				code: ExitDenied, out: "", errPart: "Добавление (Insert) right on Справочник.Контрагенты"},
			{args: []string{"object", "put", "--user", "sidorova", "Справочник.Контрагенты", `{"Наименование": "Бухгалтерский"}`},
				code: ExitDenied, out: "", errPart: "no Добавление (Insert) right on Справочник.Контрагенты"},
			{args: []string{"object", "put", "--user", "ivanov", "Справочник.Контрагенты", `{"Наименование": "Свой", "Организация": {"Наименование": "ООО Нет"}}`},
				code: ExitFailure, out: "", errPart: "matches no item of Справочник.Организации"},
			{args: []string{"object", "put", "--user", "ivanov", "Справочник.Контрагенты", `{"Ссылка": "` + demo.ID("Справочник.Контрагенты", "Стройторг") + `", "Организация": {"Наименование": "ООО Лютик"}}`},
				code: ExitDenied, out: "", errPart: "Изменение (Update) right on Справочник.Контрагенты"},
			{args: []string{"object", "put", "--user", "ivanov", "Справочник.Контрагенты", `{"Наименование": "Свой", "Организация": {"Наименование": "ООО Ромашка"}, "Продукция": [{"Наименование": "Кирпич"}]}`},
				code: ExitOK, errPart: ""},
			{args: []string{"object", "delete", "--user", "ivanov", "Справочник.Контрагенты", demo.ID("Справочник.Контрагенты", "Стройторг")},
				code: ExitDenied, out: "", errPart: "no Удаление (Delete) right"},
			{args: []string{"query", "--user", "admin", "--format", "csv", "ВЫБРАТЬ Наименование, Организация.Наименование КАК Орг ИЗ Справочник.Контрагенты ГДЕ НЕ ЭтоГруппа УПОРЯДОЧИТЬ ПО Наименование"},
				code: ExitOK, out: "Наименование,Орг\nКирпичный завод,ООО Ромашка\nЛесопилка,ООО Ромашка\nМолокозавод,ООО Лютик\nСвой,ООО Ромашка\nСтройторг,ООО Ромашка\nФермер Петров,ООО Лютик\nХлебозавод,ООО Лютик\n"},
			{args: []string{"object", "delete", "--user", "admin", "Справочник.Контрагенты", demo.ID("Справочник.Контрагенты", "Хлебозавод")},
				code: ExitOK, errPart: ""},
		}
		for _, c := range cases {
			args := append([]string{c.args[0]}, c.args[1:]...)
			if args[0] == "object" {
				args = append([]string{"object", args[1], "--db", dsn}, args[2:]...)
			} else {
				args = append([]string{"query", "--db", dsn}, args[1:]...)
			}
			code, out, errOut := run(t, "", args...)
			if code != c.code || (c.out != "" || c.code != ExitOK) && out != c.out || !strings.Contains(errOut, c.errPart) {
				t.Errorf("%s %q: exit %d, %q, %q", backend, c.args, code, out, errOut)
			}
		}
	}
}

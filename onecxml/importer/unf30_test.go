package importer_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"dostup/infobase"
	"dostup/internal/testcorpus"
	"dostup/internal/testdb"
	"dostup/metadata"
	"dostup/metadata/vocab"
	"dostup/onecxml"
	"dostup/rls"
	"dostup/rls/rlscheck"
	"dostup/sdbl/preproc"
)

// unf30 is the whole application of the corpus imported once per test
// binary: the import takes most of a minute.
var unf30 struct {
	once   sync.Once
	target *rlscheck.Target
	err    error
}

func loadUnf30(t *testing.T) *rlscheck.Target {
	t.Helper()
	root := testcorpus.Unf30(t)
	unf30.once.Do(func() { unf30.target, unf30.err = rlscheck.LoadTarget(root) })
	if unf30.err != nil {
		t.Fatal(unf30.err)
	}
	return unf30.target
}

// TestUnf30FullRights: the application's full-rights role, whose file has
// setForNewObjects and lists only what it withholds, reads every table but
// those its file withholds Чтение on (the service tables the library keeps
// for privileged code), and has the configuration's rights but those it
// withholds (Администрирование belongs to АдминистраторСистемы).
func TestUnf30FullRights(t *testing.T) {
	target := loadUnf30(t)
	cfg := target.Config
	var file *onecxml.Rights
	for _, path := range target.Rights {
		if filepath.Base(filepath.Dir(filepath.Dir(path))) == "ПолныеПрава" {
			r, err := onecxml.ReadRights(path)
			if err != nil {
				t.Fatal(err)
			}
			file = r
		}
	}
	if file == nil || !file.SetForNewObjects {
		t.Fatal("no ПолныеПрава with setForNewObjects in the dump")
	}
	withheldRead := map[*metadata.Object]bool{}
	for _, o := range file.Objects {
		if rt := o.Right("Read"); rt != nil && !rt.Value && strings.Count(o.Name, ".") == 1 {
			if obj := cfg.Object(onecxml.TableName(o.Name, true)); obj != nil {
				withheldRead[obj] = true
			}
		}
	}
	s, err := rls.NewPolicy(cfg).Session([]string{"ПолныеПрава"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	read, rights := 0, 0
	role := cfg.Role("ПолныеПрава")
	for _, obj := range cfg.Objects {
		plan, err := s.Plan(obj.FullName(false), vocab.Read, rls.Fields{All: true})
		if err != nil {
			t.Fatal(err)
		}
		if want := !withheldRead[obj]; (plan.Decision == rls.Allowed) != want {
			t.Errorf("%s: Чтение decided %v, want allowed %v", obj.FullName(false), plan.Decision, want)
		}
		if plan.Decision == rls.Allowed {
			read++
		}
		if or := role.ObjectRights(cfg, obj.FullName(false)); or != nil {
			rights += len(or.Rights)
		}
	}
	for right, want := range map[string]bool{
		"АдминистрированиеДанных": true, "АктивныеПользователи": true, "ЖурналРегистрации": true,
		"МонопольныйРежим": true, "ТонкийКлиент": true, "ВебКлиент": true, "Вывод": true,
		"СохранениеДанныхПользователя": true, "РежимОсновногоОкнаОбычный": true,
		"Администрирование": false, "ОбновлениеКонфигурацииБазыДанных": false, "ВнешнееСоединение": false,
		"ТолстыйКлиент": false, "АдминистрированиеРасширенийКонфигурации": false,
		"ИнтерактивноеОткрытиеВнешнихОбработок": false, "ИнтерактивноеОткрытиеВнешнихОтчетов": false,
	} {
		if got := role.HasGlobalRight(right); got != want {
			t.Errorf("ПолныеПрава %s: %v, want %v", right, got, want)
		}
	}
	// Rights the file withholds on a catalog, the predefined-data ones
	// among them, and what it leaves granted.
	or := role.ObjectRights(cfg, "Справочник.НастройкиРМК")
	if or == nil || or.Has("ИнтерактивноеУдаление") || or.Has("ИнтерактивноеУдалениеПредопределенныхДанных") ||
		!or.Has("ИнтерактивнаяПометкаУдаления") || !or.Has("Изменение") {
		t.Errorf("Справочник.НастройкиРМК: %+v", or)
	}
	if read+len(withheldRead) != len(cfg.Objects) || len(withheldRead) == 0 {
		t.Errorf("%d tables read, %d withheld, of %d", read, len(withheldRead), len(cfg.Objects))
	}
	t.Logf("ПолныеПрава: Чтение on %d of %d tables (%d withheld by its file), %d object rights, %d global rights",
		read, len(cfg.Objects), len(withheldRead), rights, len(role.GlobalRights))
}

// TestUnf30ConfigCheck is `dostup config check` of the imported
// application: the configuration loads and every restriction checks.
func TestUnf30ConfigCheck(t *testing.T) {
	cfg := loadUnf30(t).Config
	report := rlscheck.CheckConfiguration(cfg, rlscheck.CheckOptions{})
	for i, f := range report.Failures {
		if i == 10 {
			break
		}
		t.Errorf("%s:%d:%d: %s", f.File, f.Line, f.Col, f.Message)
	}
	if len(report.Failures) > 0 {
		t.Errorf("%d failures", len(report.Failures))
	}
}

// TestUnf30Accounting: the application's chart of accounts, accounting
// register and charts of calculation types come through the import with
// what 1C keeps of them: the predefined accounts with their codes, kinds
// and hierarchy, the register's correspondence and its sides.
func TestUnf30Accounting(t *testing.T) {
	cfg := loadUnf30(t).Config
	chart := cfg.Object("ПланСчетов.Управленческий")
	if chart == nil || !chart.Hierarchical || len(chart.Predefined) < 50 {
		t.Fatalf("chart of accounts: %+v", chart)
	}
	kinds := map[string]int{}
	var sub *metadata.PredefinedItem
	for _, it := range chart.PredefinedItems {
		kinds[it.AccountType]++
		if it.Parent != "" && sub == nil {
			sub = it
		}
	}
	if kinds["Активный"] == 0 || kinds["Пассивный"] == 0 || kinds["АктивноПассивный"] == 0 || sub == nil {
		t.Errorf("account kinds %v, a subaccount %+v", kinds, sub)
	}
	if a := chart.Attribute("Валютный"); a == nil || a.Type[0].Primitive != metadata.Boolean {
		t.Errorf("the accounting flag Валютный is not a boolean of the account: %+v", a)
	}
	reg := cfg.Object("РегистрБухгалтерии.Управленческий")
	if reg == nil || !reg.Correspondence || reg.ChartOfAccounts != "ПланСчетов.Управленческий" {
		t.Fatalf("accounting register: %+v", reg)
	}
	for _, name := range []string{"СчетДт", "СчетКт", "Организация", "ВалютаДт", "ВалютаКт", "Сумма", "СуммаВалДт", "СуммаВалКт", "Содержание"} {
		if reg.Attribute(name) == nil {
			t.Errorf("the register has no %s", name)
		}
	}
	if reg.Attribute("Валюта") != nil {
		t.Errorf("Валюта is not balanced: the register keeps it per side")
	}
	for _, name := range []string{"ПланВидовРасчета.Начисления", "ПланВидовРасчета.Удержания"} {
		if o := cfg.Object(name); o == nil || o.TabularSection("ВедущиеВидыРасчета") == nil {
			t.Errorf("%s: %+v", name, o)
		}
	}
}

// unf30LegacyBranchFailures are the restrictions of unf30 that fail, each
// for a field its table does not have (ВладелецФайла.Контрагент of a
// document without Контрагент) read only in the Standard Subsystems
// Library's legacy branch, #Иначе of #Если
// &ОграничениеДоступаНаУровнеЗаписейУниверсально: mistakes of the
// configuration that 1C never compiles, as the library switches the
// universal mode on when it updates the infobase
// (РегистрыСведений.ПараметрыОграниченияДоступа,
// ВключитьОграничениеДоступаНаУровнеЗаписейУниверсально). Two more roles
// (ЧтениеПересортицыЗапасов, ЧтениеСписанияЗапасов) keep the same text on a
// right they do not grant (<value>false</value>): no session applies it,
// and it is compiled neither from the dump nor from its import. Keys are
// role|catalog|right, the catalog named without its kind.
var unf30LegacyBranchFailures = map[string]bool{
	"БазовыеПраваПриложения|ПеремещениеДСПланПрисоединенныеФайлы|Read":                                                          true,
	"ДобавлениеИзменениеДокументовПоПрямымВыплатамПособийСоциальногоСтрахования|СреднийЗаработокСЭДОПрисоединенныеФайлы|Read":   true,
	"ДобавлениеИзменениеДокументовПоПрямымВыплатамПособийСоциальногоСтрахования|СреднийЗаработокСЭДОПрисоединенныеФайлы|Insert": true,
	"ДобавлениеИзменениеДокументовПоПрямымВыплатамПособийСоциальногоСтрахования|СреднийЗаработокСЭДОПрисоединенныеФайлы|Update": true,
	"ДобавлениеИзменениеПеремещенийДСПлан|ПеремещениеДСПланПрисоединенныеФайлы|Read":                                            true,
	"ДобавлениеИзменениеПеремещенийДСПлан|ПеремещениеДСПланПрисоединенныеФайлы|Insert":                                          true,
	"ДобавлениеИзменениеПеремещенийДСПлан|ПеремещениеДСПланПрисоединенныеФайлы|Update":                                          true,
	"ДобавлениеИзменениеПересортицЗапасов|ПересортицаЗапасовПрисоединенныеФайлы|Read":                                           true,
	"ДобавлениеИзменениеПересортицЗапасов|ПересортицаЗапасовПрисоединенныеФайлы|Insert":                                         true,
	"ДобавлениеИзменениеПересортицЗапасов|ПересортицаЗапасовПрисоединенныеФайлы|Update":                                         true,
	"ЧтениеДокументовПоПрямымВыплатамПособийСоциальногоСтрахования|СреднийЗаработокСЭДОПрисоединенныеФайлы|Read":                true,
	"ЧтениеСклада|ПересортицаЗапасовПрисоединенныеФайлы|Read":                                                                   true,
	"ЧтениеСкладскихАктов|ПересортицаЗапасовПрисоединенныеФайлы|Read":                                                           true,
	"ЧтениеСкладскихОрдеров|ПересортицаЗапасовПрисоединенныеФайлы|Read":                                                         true,
}

// TestUnf30RestrictionsExecute is `dostup rls compile --exec` of the whole
// application on each backend: every variant of every restriction
// compiles and its statement runs on the application's schema, but for the
// legacy branch's mistakes above; with the universal mode pinned, as the
// library runs, every restriction compiles and runs.
func TestUnf30RestrictionsExecute(t *testing.T) {
	target := loadUnf30(t)
	run := func(t *testing.T, backend string, params preproc.Params) *rlscheck.CompileReport {
		ctx := context.Background()
		db := testdb.Open(t, backend)
		if _, err := infobase.Init(ctx, db, target.Config, infobase.InitOptions{}); err != nil {
			t.Fatal(err)
		}
		r, err := rlscheck.Compile(ctx, target, rlscheck.CompileOptions{Dialect: db.Dialect, DB: db.SQL, Params: params})
		if err != nil {
			t.Fatal(err)
		}
		t.Log(r.Summary())
		return r
	}
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			r := run(t, backend, nil)
			failed := map[string]bool{}
			for _, f := range r.Failures {
				key := f.Role + "|" + f.Object[strings.LastIndex(f.Object, ".")+1:] + "|" + f.Right
				failed[key] = true
				known := unf30LegacyBranchFailures[key] && (strings.Contains(f.Message, "has no field") || strings.Contains(f.Message, "not known here"))
				if !known {
					t.Errorf("%s:%d:%d: %s\n%s", f.File, f.Line, f.Col, f.Message, f.SQL)
				}
			}
			if r.Restrictions != target.Config.Restrictions() || r.Failed != len(unf30LegacyBranchFailures) || len(failed) != r.Failed || r.OK != r.Restrictions-r.Failed {
				t.Errorf("%s; %d restrictions with failures, %d known", r.Summary(), len(failed), len(unf30LegacyBranchFailures))
			}
		})
	}
	t.Run("sqlite/universal", func(t *testing.T) {
		r := run(t, "sqlite", preproc.Params{"ОграничениеДоступаНаУровнеЗаписейУниверсально": true})
		for i, f := range r.Failures {
			if i < 10 {
				t.Errorf("%s:%d:%d: %s", f.File, f.Line, f.Col, f.Message)
			}
		}
		if r.Failed != 0 || r.Restrictions < 2400 {
			t.Error(r.Summary())
		}
	})
}

// TestUnf30CommonAttributes: the library's separator
// ОбластьДанныхОсновныеДанные is used automatically (AutoUse), so its dump
// lists only the 588 objects that do not take it; every other catalog,
// document, register and exchange plan has the field.
func TestUnf30CommonAttributes(t *testing.T) {
	cfg := loadUnf30(t).Config
	for name, want := range map[string]bool{
		"ПланОбмена.МиграцияПриложений":                         true,
		"Справочник.Контрагенты":                                true,
		"Документ.ЗаказПокупателя":                              true,
		"РегистрНакопления.Запасы":                              true,
		"Справочник.СообщенияОбластейДанных":                    false,
		"Справочник.ОснованияДосрочногоНазначенияПенсииДляСЗВК": false,
	} {
		o := cfg.Object(name)
		if o == nil {
			t.Errorf("%s is not in the configuration", name)
			continue
		}
		if got := o.Attribute("ОбластьДанныхОсновныеДанные") != nil; got != want {
			t.Errorf("%s has ОбластьДанныхОсновныеДанные: %v, want %v", name, got, want)
		}
	}
}

package explain_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"dostup/demo"
	"dostup/explain"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/internal/testdemo"
	"dostup/metadata/vocab"
	"dostup/rls"
)

const counterparties = "Справочник.Контрагенты"

// may is what the user's own session answers, which the explanation must
// agree with: for Чтение, whether a query with РАЗРЕШЕННЫЕ returns the
// record; for the other rights, the session's plan when it decides for
// every record, else the same query, as the demo's roles restrict
// Добавление and Изменение of counterparties with the text of Чтение.
func may(t *testing.T, ib *infobase.Infobase, user, right, id string) bool {
	t.Helper()
	ctx := context.Background()
	s, err := ib.NewSession(ctx, user, infobase.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := vocab.ParseRight(right); r != vocab.Read {
		plan, err := s.Access().Plan(counterparties, r, rls.Fields{All: true})
		if err != nil {
			t.Fatal(err)
		}
		switch plan.Decision {
		case rls.Denied:
			return false
		case rls.Allowed:
			return true
		}
	}
	res, err := s.Query(ctx, "ВЫБРАТЬ РАЗРЕШЕННЫЕ К.Ссылка ИЗ Справочник.Контрагенты КАК К ГДЕ К.Ссылка = &С", map[string]any{"С": id})
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Rows) == 1
}

// TestDemo explains reading each demo counterparty for each user on both
// backends: the answer agrees with the user's own query, a hidden record
// names the part of the restriction it fails with the values compared,
// and a right no role grants says so.
func TestDemo(t *testing.T) {
	ctx := context.Background()
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ib := testdemo.Open(t, backend)
			records := map[string]string{ // a counterparty of each organisation, and a folder
				"Хлебозавод": "ООО Лютик", "Молокозавод": "ООО Лютик", "Покупатели": "",
			}
			res, err := ib.Query(ctx, "ВЫБРАТЬ ПЕРВЫЕ 1 К.Наименование ИЗ Справочник.Контрагенты КАК К ГДЕ К.Организация.Наименование = \"ООО Ромашка\" И НЕ К.ЭтоГруппа", nil)
			if err != nil || len(res.Rows) != 1 {
				t.Fatalf("a counterparty of ООО Ромашка: %v %v", err, res)
			}
			records[res.Rows[0][0].(string)] = "ООО Ромашка"
			for _, user := range []string{"admin", "ivanov", "petrov", "sidorova"} {
				for _, right := range []string{"Чтение", "Добавление", "Изменение"} {
					for name, org := range records {
						id, err := explain.ResolveRecord(ctx, ib, counterparties, name)
						if err != nil {
							t.Fatal(err)
						}
						x, err := explain.Explain(ctx, ib, explain.Request{User: user, Right: right, Object: counterparties, Record: id})
						if err != nil {
							t.Fatal(err)
						}
						if want := may(t, ib, user, right, id); x.Allowed != want {
							t.Errorf("%s, %s of %s: explained %v, the session says %v", user, right, name, x.Allowed, want)
						}
						if x.Trace.Kind != explain.KindDecision || len(x.Trace.Children) == 0 && !strings.HasPrefix(x.Trace.Detail, "none of "+user+"'s roles") {
							t.Errorf("%s, %s of %s: trace %+v", user, right, name, x.Trace)
						}
						if !x.Allowed && org != "" && len(x.Trace.Children) > 0 {
							leaf := find(x.Trace, "Организация = &Организация")
							if leaf == nil || leaf.Value == nil || *leaf.Value {
								t.Errorf("%s, %s of %s: no false Организация = &Организация in %s", user, right, name, dump(x))
								continue
							}
							for _, want := range []string{"the record's Организация is " + org, "&Организация is ООО"} {
								if !strings.Contains(leaf.Detail, want) {
									t.Errorf("%s, %s of %s: %q does not say %q", user, right, name, leaf.Detail, want)
								}
							}
							if !strings.HasPrefix(leaf.Place, "roles.yaml:") {
								t.Errorf("the failing part is placed at %q", leaf.Place)
							}
						}
					}
				}
			}

			// ivanov and ООО Лютик's Хлебозавод, the case of the issue.
			id := demo.ID(counterparties, "Хлебозавод")
			x, err := explain.Explain(ctx, ib, explain.Request{User: "ivanov", Right: "Read", Object: counterparties, Record: id})
			if err != nil {
				t.Fatal(err)
			}
			leaf := find(x.Trace, "Организация = &Организация")
			if x.Allowed || leaf == nil || leaf.Detail != "false: the record's Организация is ООО Лютик, &Организация is ООО Ромашка" {
				t.Errorf("ivanov and Хлебозавод: %s", dump(x))
			}
			if x.Params["Организация"] != "ООО Ромашка" {
				t.Errorf("session parameters shown: %v", x.Params)
			}
			restriction := find(x.Trace, "#КонтрагентыЧтениеИзменение(\"ИЛИ ЭтоГруппа\")")
			if restriction == nil || restriction.Kind != explain.KindRestriction || restriction.Expanded != "ГДЕ Организация = &Организация ИЛИ ЭтоГруппа" ||
				!strings.Contains(restriction.SQL, "SELECT 1 FROM") || restriction.Place != "roles.yaml:22:25" {
				t.Errorf("the restriction as written, expanded and compiled: %+v", restriction)
			}

			// A right no role of ivanov's grants.
			x, err = explain.Explain(ctx, ib, explain.Request{User: "ivanov", Right: "Удаление", Object: counterparties})
			if err != nil {
				t.Fatal(err)
			}
			if x.Allowed || len(x.Trace.Children) != 0 || !strings.Contains(x.Trace.Detail, "none of ivanov's roles (Менеджер) grants Удаление") {
				t.Errorf("ivanov deleting: %s", dump(x))
			}
			// Without a record: the roles and their restrictions.
			x, err = explain.Explain(ctx, ib, explain.Request{User: "ivanov", Right: "Изменение", Object: counterparties})
			if err != nil || !x.Allowed || len(x.Trace.Children) != 1 || x.Trace.Children[0].Value != nil {
				t.Errorf("ivanov changing: %v %s", err, dump(x))
			}

			for _, bad := range []explain.Request{
				{User: "ivanov", Right: "Летать", Object: counterparties},
				{User: "ivanov", Right: "Чтение", Object: "Справочник.НетТакого"},
				{User: "никто", Right: "Чтение", Object: counterparties},
				{User: "ivanov", Right: "Чтение", Object: counterparties, Record: "00000000-0000-0000-0000-000000000000"},
				{User: "admin", Right: "Чтение", Object: counterparties, Record: "00000000-0000-0000-0000-000000000000"},
				{User: "admin", Right: "Чтение", Object: "РегистрСведений.ЦеныНоменклатуры", Record: "00000000-0000-0000-0000-000000000000"},
			} {
				if _, err := explain.Explain(ctx, ib, bad); err == nil {
					t.Errorf("%+v: no error", bad)
				}
			}
		})
	}
}

// find is the first node of the trace whose text is text.
func find(n *explain.Node, text string) *explain.Node {
	if n.Text == text {
		return n
	}
	for _, c := range n.Children {
		if f := find(c, text); f != nil {
			return f
		}
	}
	return nil
}

func dump(x *explain.Explanation) string {
	b, _ := json.MarshalIndent(x, "", " ")
	return string(b)
}

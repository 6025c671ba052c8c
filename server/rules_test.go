package server_test

import (
	"context"
	"path/filepath"
	"testing"

	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/rules"
	"dostup/rules/store"
	"dostup/server"
)

// TestRulesEndpoints: any session decides with the server's register; an
// administrator applies an order and the next decision follows it; a
// manager may not apply one; mistakes are named; a server without a
// register says how to give it one.
func TestRulesEndpoints(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			f := setupWith(t, backend, func(cfg *server.Config, ib *infobase.Infobase) {
				reg, err := rules.Load(filepath.Join("..", "examples", "wholesale"))
				if err != nil {
					t.Fatal(err)
				}
				if cfg.Rules, err = store.Open(context.Background(), ib.DB, reg); err != nil {
					t.Fatal(err)
				}
			})
			ivanov, admin := f.login(t, "ivanov"), f.login(t, "admin")
			values := map[string]any{"Роль": "Стажер", "Действие": "Правка", "ВидОбъекта": "Расходная", "Товары": []string{"Водка"}, "Скидка": 0, "ДнейОтТочкиАктуальности": 0}
			code, out := f.call(t, "POST", "/api/v1/rules/decide", ivanov, map[string]any{"values": values})
			if code != 200 || field(out, "effect") != "deny" || field(out, "rule") != "стажер-алкоголь" || field(out, "trace") == nil {
				t.Fatalf("decide: %d %v", code, out)
			}
			values["Товары"] = []string{"Хлеб"}
			if code, out := f.call(t, "POST", "/api/v1/rules/decide", ivanov, map[string]any{"values": values}); code != 200 || field(out, "effect") != "allow" {
				t.Fatalf("decide bread: %d %v", code, out)
			}
			// Before the first order's date, no rule is in force: deny.
			if code, out := f.call(t, "POST", "/api/v1/rules/decide", ivanov, map[string]any{"values": values, "at": "2003-12-31"}); code != 200 || field(out, "effect") != "deny" || field(out, "rule") != nil {
				t.Errorf("decide before the first order: %d %v", code, out)
			}

			order := "order:\n  date: 01.06.2026\n  author: Директор\n  reason: хлеб кончился\n  add:\n" +
				"    - id: стажер-хлеб\n      Роль: Стажер\n      Действие: Правка\n      ВидОбъекта: Расходная\n      Товары: Хлеб\n      effect: deny\n"
			if code, out := f.call(t, "POST", "/api/v1/rules/orders", ivanov, map[string]string{"text": order}); code != 403 {
				t.Errorf("a manager applies an order: %d %v", code, out)
			}
			code, out = f.call(t, "POST", "/api/v1/rules/orders", admin, map[string]string{"text": order})
			if code != 201 || field(out, "number") != float64(2) {
				t.Fatalf("apply: %d %v", code, out)
			}
			if code, out := f.call(t, "POST", "/api/v1/rules/decide", ivanov, map[string]any{"values": values}); code != 200 || field(out, "rule") != "стажер-хлеб" {
				t.Errorf("decide after the order: %d %v", code, out)
			}
			code, out = f.call(t, "GET", "/api/v1/rules/orders", admin, nil)
			if list, _ := out.([]any); code != 200 || len(list) != 2 {
				t.Errorf("orders: %d %v", code, out)
			}
			for _, tt := range []struct {
				method, path, token string
				body                any
				code                int
				err                 string
			}{
				{"POST", "/api/v1/rules/decide", "", map[string]any{"values": values}, 401, ""},
				{"POST", "/api/v1/rules/decide", ivanov, map[string]any{"values": map[string]any{"Цвет": "синий"}}, 400, "invalid"},
				{"POST", "/api/v1/rules/decide", ivanov, map[string]any{"values": map[string]any{"Скидка": "много"}}, 400, "invalid"},
				{"POST", "/api/v1/rules/decide", ivanov, map[string]any{"values": values, "at": "вчера"}, 400, "invalid"},
				{"POST", "/api/v1/rules/orders", admin, map[string]string{"text": order}, 409, "conflict"},
				{"POST", "/api/v1/rules/orders", admin, map[string]string{"text": "order: ["}, 400, "invalid"},
				{"POST", "/api/v1/rules/orders", admin, map[string]string{}, 400, "invalid"},
				{"GET", "/api/v1/rules/orders", ivanov, nil, 403, "access_denied"},
			} {
				if code, out := f.call(t, tt.method, tt.path, tt.token, tt.body); code != tt.code || tt.err != "" && field(out, "error") != tt.err {
					t.Errorf("%s %s %v: %d %v, want %d %s", tt.method, tt.path, tt.body, code, out, tt.code, tt.err)
				}
			}

			plain := setup(t, backend)
			_, out = plain.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"user": "ivanov", "password": plain.creds.Passwords["ivanov"]})
			token, _ := field(out, "token").(string)
			if code, out := plain.call(t, "POST", "/api/v1/rules/decide", token, map[string]any{"values": values}); code != 404 || field(out, "error") != "not_found" {
				t.Errorf("a server without a register: %d %v", code, out)
			}
		})
	}
}

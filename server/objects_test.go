package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"dostup/demo"
	"dostup/internal/testdb"
)

// The objects API shows nothing of a record the user may not read, writes
// only the object its path names, and queues concurrent writers: no 500,
// one 409 for two updates of one version.
func TestObjectsHardening(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			f := setup(t, backend)
			ctx := context.Background()
			_, out := f.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"user": "ivanov", "password": f.creds.Passwords["ivanov"]})
			ivanov, _ := field(out, "token").(string)
			const sales, counterparts = "Документ.РеализацияТоваров", "Справочник.Контрагенты"
			alien := demo.ID(counterparts, "Хлебозавод")
			doc, err := f.ib.Create(ctx, sales, map[string]any{"Организация": demo.ID("Справочник.Организации", "ООО Ромашка"), "Контрагент": alien}, nil)
			if err != nil {
				t.Fatal(err)
			}
			code, out := f.call(t, "GET", "/api/v1/objects/"+sales+"/"+doc, ivanov, nil)
			if code != 200 || field(field(out, "Контрагент"), "ref") != alien || field(field(out, "Контрагент"), "presentation") != "" {
				t.Errorf("ivanov reads his document with another organisation's counterparty: %d %v", code, out)
			}

			code, out = f.call(t, "POST", "/api/v1/objects/"+counterparts, ivanov, map[string]any{"Наименование": "Свой", "Организация": map[string]any{"Наименование": "ООО Ромашка"}})
			if code != 201 {
				t.Fatalf("create: %d %v", code, out)
			}
			own, _ := field(out, "Ссылка").(string)
			other := demo.ID(counterparts, "Стройторг")
			for _, body := range []map[string]any{
				{"Ref": other, "ИНН": "7700000001"},
				{"ссылка": other, "ИНН": "7700000001"},
				{"Ссылка": own, "Ref": other, "ИНН": "7700000001"},
				{"Ссылка": 5, "ИНН": "7700000001"},
			} {
				code, out := f.call(t, "PUT", "/api/v1/objects/"+counterparts+"/"+own, ivanov, body)
				if code != 400 || field(out, "error") != "invalid" {
					t.Errorf("PUT %v: %d %v; want 400", body, code, out)
				}
			}
			for _, ref := range []string{own, other} {
				if obj, err := f.ib.Read(ctx, counterparts, ref); err != nil || obj.Values["ИНН"] == "7700000001" {
					t.Errorf("a refused PUT wrote %s: %v %v", ref, obj, err)
				}
			}
			code, out = f.call(t, "PUT", "/api/v1/objects/"+counterparts+"/"+own, ivanov, map[string]any{"Ссылка": strings.ToUpper(own), "ИНН": "7700000002"})
			if code != 200 || field(out, "ИНН") != "7700000002" || field(out, "Ссылка") != own {
				t.Errorf("PUT repeating the path's reference: %d %v", code, out)
			}

			const writers, each = 8, 10
			var wg sync.WaitGroup
			statuses := make(chan string, writers*each)
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; i < each; i++ {
						code, out := f.call(t, "POST", "/api/v1/objects/"+counterparts, ivanov,
							map[string]any{"Наименование": fmt.Sprintf("API %d-%d", w, i), "Организация": map[string]any{"Наименование": "ООО Ромашка"}})
						if code != 201 {
							statuses <- fmt.Sprintf("writer %d, object %d: %d %v", w, i, code, out)
						}
					}
				}(w)
			}
			wg.Wait()
			close(statuses)
			for s := range statuses {
				t.Error(s)
			}
			res, err := f.ib.Query(ctx, `ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ Наименование ПОДОБНО "API %"`, nil)
			if err != nil || fmt.Sprint(res.Rows[0][0]) != fmt.Sprint(writers*each) {
				t.Errorf("objects written through the API: %v %v; want %d", res, err, writers*each)
			}

			_, out = f.call(t, "GET", "/api/v1/objects/"+counterparts+"/"+own, ivanov, nil)
			version := field(out, "ВерсияДанных")
			codes := make(chan int, 2)
			for _, inn := range []string{"7700000003", "7700000004"} {
				go func(inn string) {
					code, _ := f.call(t, "PUT", "/api/v1/objects/"+counterparts+"/"+own, ivanov, map[string]any{"ВерсияДанных": version, "ИНН": inn})
					codes <- code
				}(inn)
			}
			if a, b := <-codes, <-codes; a+b != 200+409 {
				t.Errorf("two updates of version %v: %d and %d; want 200 and 409", version, a, b)
			}
		})
	}
}

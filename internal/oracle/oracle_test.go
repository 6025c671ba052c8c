package oracle

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"dostup/metadata"
	"dostup/sdbl/source"
)

const testConfig = `
configuration: {name: Тест}
catalogs:
  - name: Организации
  - name: Пользователи
    attributes:
      - {name: Организация, type: Справочник.Организации}
  - name: Контрагенты
    hierarchical: true
    hierarchy: folders
    attributes:
      - {name: Организация, type: Справочник.Организации}
      - {name: ИНН, type: Строка(12)}
      - {name: Рейтинг, type: "Число(10, 2)"}
      - {name: Менеджер, type: Справочник.Пользователи}
    tabular_sections:
      - name: Продукция
        attributes:
          - {name: Наименование, type: Строка(50)}
          - {name: Количество, type: Число(10)}
documents:
  - name: Заказ
    attributes:
      - {name: Организация, type: Справочник.Организации}
      - {name: Контрагент, type: Справочник.Контрагенты}
    tabular_sections:
      - name: Товары
        attributes:
          - {name: Количество, type: Число(10)}
session_parameters:
  - name: Организация
    type: Справочник.Организации
    query: ВЫБРАТЬ Организация ИЗ Справочник.Пользователи ГДЕ Наименование = &ИмяПользователя
  - name: ТекущийПользователь
    type: Справочник.Пользователи
    query: ВЫБРАТЬ Ссылка ИЗ Справочник.Пользователи ГДЕ Наименование = &ИмяПользователя
roles:
  - name: Админ
    rights: [Администрирование]
    objects:
      - {object: Справочник.Организации, rights: [Чтение]}
      - {object: Справочник.Пользователи, rights: [Чтение]}
      - {object: Справочник.Контрагенты, rights: [Чтение]}
      - {object: Документ.Заказ, rights: [Чтение]}
  - name: Менеджер
    objects:
      - {object: Справочник.Организации, rights: [Чтение]}
      - {object: Справочник.Пользователи, rights: [Чтение]}
      - object: Справочник.Контрагенты
        rights: [Чтение]
        restrictions:
          - {right: Чтение, condition: ГДЕ Организация = &Организация ИЛИ ЭтоГруппа}
      - object: Документ.Заказ
        rights: [Чтение]
        restrictions:
          - {right: Чтение, condition: ГДЕ Организация = &Организация}
  - name: Продукты
    objects:
      - {object: Справочник.Организации, rights: [Чтение]}
      - {object: Справочник.Пользователи, rights: [Чтение]}
      - object: Справочник.Контрагенты
        rights: [Чтение]
        restrictions:
          - {right: Чтение, fields: [ИНН], condition: ГДЕ Рейтинг > 3}
          - {right: Чтение, condition: 'ГДЕ Продукция.Наименование = "Кирпич" И Продукция.Количество > 5'}
  - name: Вложенный
    objects:
      - {object: Справочник.Организации, rights: [Чтение]}
      - object: Справочник.Контрагенты
        rights: [Чтение]
        restrictions:
          - right: Чтение
            condition: К ИЗ Справочник.Контрагенты КАК К ЛЕВОЕ СОЕДИНЕНИЕ Справочник.Пользователи КАК П ПО К.Менеджер = П.Ссылка ГДЕ П.Организация = &Организация
      - object: Документ.Заказ
        rights: [Чтение]
        restrictions:
          - {right: Чтение, condition: ГДЕ Контрагент В (ВЫБРАТЬ Ссылка ИЗ Справочник.Контрагенты ГДЕ Рейтинг > 3)}
  - name: Пусто
    objects:
      - {object: Справочник.Организации, rights: [Чтение]}
users:
  - {name: admin, roles: [Админ]}
  - {name: ivan, roles: [Менеджер]}
  - {name: petr, roles: [Менеджер, Продукты]}
  - {name: olga, roles: [Продукты]}
  - {name: nest, roles: [Вложенный]}
  - {name: none, roles: [Пусто]}
`

func id(n int) string { return fmt.Sprintf("00000000-0000-0000-0000-%012d", n) }

// The dataset of the unit tests; names maps ids back to names for reading.
func testOracle(t *testing.T, opts Options) (*Oracle, map[string]string) {
	t.Helper()
	cfg, err := metadata.LoadSources(map[string][]byte{"config.yaml": []byte(testConfig)})
	if err != nil {
		t.Fatal(err)
	}
	d := NewDataset(cfg)
	names := map[string]string{}
	add := func(table string, n int, name string, vals map[string]any) {
		t.Helper()
		if vals == nil {
			vals = map[string]any{}
		}
		if n > 0 {
			vals["Ссылка"] = id(n)
			names[id(n)] = name
		}
		if name != "" && !strings.HasPrefix(table, "Документ") {
			vals["Наименование"] = name
		}
		if _, err := d.Add(table, vals); err != nil {
			t.Fatal(err)
		}
	}
	add("Справочник.Организации", 1, "Альфа", nil)
	add("Справочник.Организации", 2, "Бета", nil)
	for i, u := range []struct {
		name string
		org  int
	}{{"admin", 0}, {"ivan", 1}, {"petr", 2}, {"olga", 1}, {"nest", 1}, {"none", 1}} {
		org := EmptyRef
		if u.org > 0 {
			org = id(u.org)
		}
		add("Справочник.Пользователи", 10+i, u.name, map[string]any{"Организация": org})
	}
	add("Справочник.Контрагенты", 20, "Папка", map[string]any{"ЭтоГруппа": true})
	add("Справочник.Контрагенты", 21, "Рога", map[string]any{"Организация": id(1), "ИНН": "111", "Рейтинг": "5", "Менеджер": id(11), "Родитель": id(20)})
	add("Справочник.Контрагенты", 22, "Копыта", map[string]any{"Организация": id(2), "ИНН": "222", "Рейтинг": 2, "Менеджер": id(12)})
	add("Справочник.Контрагенты", 23, "Сломан", map[string]any{"Организация": id(1), "Рейтинг": 4.0, "Менеджер": id(999)})
	add("Справочник.Контрагенты.Продукция", 0, "", map[string]any{"Ссылка": id(21), "Наименование": "Кирпич", "Количество": 10})
	add("Справочник.Контрагенты.Продукция", 0, "", map[string]any{"Ссылка": id(21), "Наименование": "Песок", "Количество": 1})
	add("Справочник.Контрагенты.Продукция", 0, "", map[string]any{"Ссылка": id(22), "Наименование": "Кирпич", "Количество": 1})
	add("Справочник.Контрагенты.Продукция", 0, "", map[string]any{"Ссылка": id(22), "Наименование": "Песок", "Количество": 10})
	add("Документ.Заказ", 31, "d1", map[string]any{"Номер": "1", "Организация": id(1), "Контрагент": id(21)})
	add("Документ.Заказ", 32, "d2", map[string]any{"Номер": "2", "Организация": id(2), "Контрагент": id(22)})
	add("Документ.Заказ", 33, "d3", map[string]any{"Номер": "3", "Организация": id(1), "Контрагент": id(22)})
	add("Документ.Заказ", 34, "d4", map[string]any{"Номер": "4", "Организация": id(1), "Контрагент": id(998)})
	add("Документ.Заказ.Товары", 0, "", map[string]any{"Ссылка": id(31), "Количество": 3})
	add("Документ.Заказ.Товары", 0, "", map[string]any{"Ссылка": id(32), "Количество": 7})
	o := New(cfg, d)
	o.Options = opts
	return o, names
}

// show prints a result's rows, sorted, references by name.
func show(res *Result, names map[string]string) string {
	var rows []string
	for _, r := range res.Rows {
		var cells []string
		for _, v := range r {
			switch x := v.(type) {
			case nil:
				cells = append(cells, "NULL")
			case Ref:
				if n, ok := names[x.ID]; ok {
					cells = append(cells, "@"+n)
				} else {
					cells = append(cells, "@"+x.ID)
				}
			default:
				cells = append(cells, fmt.Sprint(x))
			}
		}
		rows = append(rows, strings.Join(cells, ","))
	}
	sort.Strings(rows)
	return strings.Join(rows, "; ")
}

func TestQuery(t *testing.T) {
	cases := []struct {
		user, query string
		want        string // rows sorted, "; "-separated; "denied" for access denied
		opts        Options
	}{
		// Менеджер: Организация = &Организация ИЛИ ЭтоГруппа.
		{user: "ivan", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты", want: "Папка; Рога; Сломан"},
		{user: "ivan", query: "ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты", want: "denied"},
		{user: "ivan", query: `ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ ИНН <> "222"`, want: "Папка; Рога; Сломан"},
		// Fields through a reference to a forbidden or missing record read as NULL.
		{user: "ivan", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер, Контрагент.Наименование ИЗ Документ.Заказ", want: "1,Рога; 3,NULL; 4,NULL"},
		{user: "ivan", query: `ВЫБРАТЬ Контрагент.Наименование ИЗ Документ.Заказ КАК Д ГДЕ Д.Организация.Наименование = "Альфа"`, want: "denied"},
		{user: "ivan", query: `ВЫБРАТЬ Контрагент.Наименование ИЗ Документ.Заказ ГДЕ Номер В ("1", "4")`, want: "NULL; Рога"},
		// A reference itself is not a read of the record it points to.
		{user: "ivan", query: `ВЫБРАТЬ Контрагент ИЗ Документ.Заказ ГДЕ Организация.Наименование = "Альфа"`, want: "@" + id(998) + "; @Копыта; @Рога"},
		// The condition counts only on rows it keeps: a forbidden Копыта behind d3 in WHERE.
		{user: "ivan", query: `ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.Заказ ГДЕ Контрагент.Наименование ЕСТЬ NULL`, want: "3; 4"},
		{user: "ivan", query: `ВЫБРАТЬ Номер ИЗ Документ.Заказ ГДЕ Контрагент.Наименование ЕСТЬ NULL`, want: "4"},
		// Field lists: ИНН alone, other fields alone, both (AND), none (OR of all).
		{user: "olga", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты", want: "Рога"},
		{user: "olga", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ ИНН ИЗ Справочник.Контрагенты", want: "; 111"},
		{user: "olga", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование, ИНН ИЗ Справочник.Контрагенты", want: "Рога,111"},
		{user: "olga", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты", want: "2"},
		{user: "olga", query: "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ Рейтинг >= 4", want: "denied"}, // Рейтинг is another field: Сломан is forbidden
		{user: "olga", query: `ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ ИНН = "111"`, want: "1"},
		{user: "olga", query: "ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ Рейтинг > 1", want: "denied"},
		// Roles add up.
		{user: "petr", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты", want: "Копыта; Папка; Рога"},
		// No role grants Read: denied in both modes.
		{user: "none", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты", want: "denied"},
		// A table reached through a reference without the right: denied in both modes.
		{user: "nest", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Менеджер.Наименование ИЗ Справочник.Контрагенты", want: "denied"},
		{user: "nest", query: `ВЫБРАТЬ Менеджер.Наименование ИЗ Справочник.Контрагенты ГДЕ Наименование = "Рога"`, want: "denied"},
		{user: "nest", query: `ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ Менеджер.Наименование = "x"`, want: "denied"},
		// A tabular section is governed by its owner.
		{user: "ivan", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Ссылка, Количество ИЗ Документ.Заказ.Товары", want: "@d1,3"},
		{user: "ivan", query: "ВЫБРАТЬ Количество ИЗ Документ.Заказ.Товары", want: "denied"},
		{user: "ivan", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Ссылка.Контрагент.Наименование ИЗ Документ.Заказ.Товары", want: "Рога"},
		// Three-valued logic: NULL through empty and broken references.
		{user: "admin", query: `ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ НЕ (Менеджер.Наименование = "ivan")`, want: "Копыта"},
		{user: "admin", query: `ВЫБРАТЬ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты ГДЕ Менеджер.Наименование ЕСТЬ NULL`, want: "2"},
		// A NULL in the list makes В unknown where no item is equal.
		{user: "admin", query: `ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Менеджер.Организация В (ЗНАЧЕНИЕ(Справочник.Организации.ПустаяСсылка), NULL)`, want: ""},
		{user: "admin", query: `ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ НЕ Менеджер.Организация В (ЗНАЧЕНИЕ(Справочник.Организации.ПустаяСсылка), NULL)`, want: ""},
		{user: "admin", query: `ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Менеджер.Организация В (ЗНАЧЕНИЕ(Справочник.Организации.ПустаяСсылка), &Б)`, want: "Копыта"},
		{user: "admin", query: `ВЫБРАТЬ Наименование ИЗ Справочник.Контрагенты ГДЕ Родитель.ЭтоГруппа ИЛИ Рейтинг = 2`, want: "Копыта; Рога"},
		{user: "admin", query: `ВЫБРАТЬ РАЗЛИЧНЫЕ Организация.Наименование ИЗ Справочник.Контрагенты`, want: "NULL; Альфа; Бета"},
		{user: "admin", query: `ВЫБРАТЬ Рейтинг ИЗ Справочник.Контрагенты ГДЕ Рейтинг МЕЖДУ 2 И 4.5`, want: "2; 4"},
		// Restrictions with ИЗ and joins, and nested queries.
		{user: "nest", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Наименование ИЗ Справочник.Контрагенты", want: "Рога"},
		{user: "nest", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер ИЗ Документ.Заказ", want: "1"},
		// No field used: every restriction of every role, by OR.
		{user: "petr", query: "ВЫБРАТЬ РАЗРЕШЕННЫЕ КОЛИЧЕСТВО(*) ИЗ Справочник.Контрагенты", want: "4"},
	}
	for _, c := range cases {
		t.Run(c.user+": "+c.query, func(t *testing.T) {
			o, names := testOracle(t, c.opts)
			s, err := o.NewSession(c.user)
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Query(c.query, map[string]any{"Б": Ref{ID: id(2)}})
			var got string
			var ae *AccessError
			switch {
			case errors.As(err, &ae):
				got = "denied"
			case err != nil:
				t.Fatal(err)
			default:
				got = show(res, names)
			}
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestSessionParameters(t *testing.T) {
	o, _ := testOracle(t, Options{})
	s, err := o.NewSession("ivan")
	if err != nil {
		t.Fatal(err)
	}
	if s.Params["организация"] != id(1) || s.Params["текущийпользователь"] != id(11) {
		t.Errorf("params %v", s.Params)
	}
	if _, err := o.NewSession("nobody"); err == nil {
		t.Error("a user not in the configuration started a session")
	}
}

// A restriction on a tabular section holds when one row satisfies the
// whole condition; a record without rows joins a NULL row unless
// InnerSectionJoin.
func TestSectionRestriction(t *testing.T) {
	for _, c := range []struct {
		cond  string
		inner bool
		want  []string
	}{
		{`ГДЕ Продукция.Наименование = "Кирпич" И Продукция.Количество > 5`, false, []string{"Рога"}},
		{`ГДЕ Продукция.Наименование = "Кирпич" ИЛИ Продукция.Количество > 5`, false, []string{"Копыта", "Рога"}},
		{`ГДЕ Продукция.Наименование = "Кирпич" ИЛИ ЭтоГруппа`, false, []string{"Копыта", "Папка", "Рога"}},
		{`ГДЕ Продукция.Наименование = "Кирпич" ИЛИ ЭтоГруппа`, true, []string{"Копыта", "Рога"}},
		{`ГДЕ Продукция.Наименование ЕСТЬ NULL`, false, []string{"Папка", "Сломан"}},
		{`ГДЕ НЕ Продукция.Наименование = "Кирпич"`, false, []string{"Копыта", "Рога"}},
		{`ГДЕ Контрагенты.Рейтинг > 3`, false, []string{"Рога", "Сломан"}},
		{`Т ГДЕ Т.Рейтинг > 3 И Т.Менеджер.Организация = &Организация`, false, []string{"Рога"}},
		{`ГДЕ Менеджер = &ТекущийПользователь`, false, []string{"Рога"}},
		{`ГДЕ Организация НЕ В (ВЫБРАТЬ Организация ИЗ Справочник.Пользователи ГДЕ Наименование = "petr")`, false, []string{"Папка", "Рога", "Сломан"}},
		{`ГДЕ Менеджер НЕ В (ВЫБРАТЬ Менеджер ИЗ Справочник.Контрагенты ГДЕ Рейтинг = 5)`, false, []string{"Копыта", "Папка", "Сломан"}},
	} {
		t.Run(c.cond, func(t *testing.T) {
			o, names := testOracle(t, Options{InnerSectionJoin: c.inner})
			s, err := o.NewSession("ivan")
			if err != nil {
				t.Fatal(err)
			}
			r := &metadata.Restriction{Right: "Read", Condition: sourceFile(c.cond)}
			tb, _ := o.Data.table("Справочник.Контрагенты")
			var got []string
			for _, row := range tb.rows {
				ok, err := func() (ok bool, err error) {
					defer catch(&err)
					return s.holds(r, tb, row, row["ссылка"].(string)), nil
				}()
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					got = append(got, names[row["ссылка"].(string)])
				}
			}
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestCanonicalNumber(t *testing.T) {
	for in, want := range map[string]Number{"12.50": "12.5", "0.000": "0", "-3": "-3", "007": "7", "1e2": "100", "0.125": "0.125"} {
		if got, ok := CanonicalNumber(in); !ok || got != want {
			t.Errorf("CanonicalNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLike(t *testing.T) {
	for _, c := range []struct {
		s, p string
		want bool
	}{{"Кирпич", "Кир%", true}, {"Кирпич", "_ирпич", true}, {"Кирпич", "кир%", false}, {"abc", "a[a-c]c", true}, {"abc", "a[^b]c", false}, {"", "%", true}} {
		if got := like(c.s, c.p); got != c.want {
			t.Errorf("like(%q, %q) = %v", c.s, c.p, got)
		}
	}
}

func sourceFile(text string) *source.File { return source.NewFile("restriction", text) }

package oracle_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"dostup/internal/oracle"
)

// world is what one seed generates: a configuration, its rows, its users
// and the queries to run.
type world struct {
	yaml    string
	roles   []genRole
	rows    []genRow
	users   []string
	queries []genQuery
}

type genRow struct {
	table  string
	values map[string]any
}

type genRole struct {
	name    string
	objects []genRights
}

type genRights struct {
	object       string
	restrictions []genRestriction
}

type genRestriction struct {
	fields []string
	cond   string
}

// genQuery is a query with the РАЗРЕШЕННЫЕ keyword left to the caller.
type genQuery struct {
	fields, from, where string
	object              string   // the object whose records the query's rows are (owner for a section)
	used                []string // fields of that object the query uses (its restriction's fields)
	refColumn           int      // the column holding the object's Ссылка, or -1
}

func (q genQuery) text(allowed bool) string {
	s := "ВЫБРАТЬ "
	if allowed {
		s += "РАЗРЕШЕННЫЕ "
	}
	s += q.fields + " ИЗ " + q.from
	if q.where != "" {
		s += " ГДЕ " + q.where
	}
	return s
}

func (w *world) restrictionTexts() string {
	var b strings.Builder
	for _, r := range w.roles {
		for _, o := range r.objects {
			if len(o.restrictions) == 0 {
				fmt.Fprintf(&b, "  %s, %s: Read, no restriction\n", r.name, o.object)
			}
			for _, x := range o.restrictions {
				fields := "other fields"
				if len(x.fields) > 0 {
					fields = strings.Join(x.fields, ", ")
				}
				fmt.Fprintf(&b, "  %s, %s, Read [%s]: %s\n", r.name, o.object, fields, x.cond)
			}
		}
	}
	return b.String()
}

const (
	catOrgs    = "Справочник.Организации"
	catUsers   = "Справочник.Пользователи"
	catParties = "Справочник.Контрагенты"
	docOrders  = "Документ.Заказ"
)

var (
	orgNames     = []string{"Орг1", "Орг2", "Орг3", "Орг4"}
	partyNames   = []string{"Альфа", "Бета", "Гамма", "Дельта", "Эпсилон", "Дзета", "Эта", "Тета", "Йота", "Каппа"}
	folderNames  = []string{"Папка1", "Папка2", "Папка3"}
	innPool      = []string{"", "7701", "7702", "7703", "7704"}
	ratingPool   = []string{"0", "1.5", "2", "3.25", "5", "10"}
	productNames = []string{"Кирпич", "Песок", "Цемент", "Щебень"}
	sumPool      = []string{"0", "100", "250.5", "999.99", "1000", "5000"}
	qtyPool      = []string{"0", "1", "2.5", "3", "10.125"}
)

type gen struct {
	r *rand.Rand
	w *world
	// ids by table, for references.
	ids map[string][]string
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }
func (g *gen) chance(p float64) bool     { return g.r.Float64() < p }

func (g *gen) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// ref is a reference into table: usually to a row, sometimes empty,
// sometimes broken (no such row).
func (g *gen) ref(table string, empty, broken float64) string {
	switch x := g.r.Float64(); {
	case x < empty:
		return oracle.EmptyRef
	case x < empty+broken:
		return g.uuid()
	}
	return g.pick(g.ids[table])
}

func generate(seed uint64, nq int) *world {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), w: &world{}, ids: map[string][]string{}}
	g.data()
	g.config()
	for range nq {
		g.w.queries = append(g.w.queries, g.query())
	}
	return g.w
}

// ------------------------------------------------------------ data

func (g *gen) add(table string, values map[string]any) {
	g.w.rows = append(g.w.rows, genRow{table, values})
	if id, ok := values["Ссылка"].(string); ok && strings.Count(table, ".") == 1 {
		g.ids[table] = append(g.ids[table], id)
	}
}

func (g *gen) data() {
	for i, name := range orgNames {
		g.add(catOrgs, map[string]any{"Ссылка": g.uuid(), "Наименование": name, "Код": fmt.Sprintf("%09d", i+1)})
	}
	// The configuration's users, each (almost always) with a row of the
	// users catalog naming it, and some other rows.
	g.w.users = []string{"admin", "u1", "u2", "u3", "u4", "u5"}
	for _, u := range g.w.users {
		if u != "admin" && g.chance(0.05) {
			continue // its session cannot start, on either side
		}
		g.add(catUsers, map[string]any{"Ссылка": g.uuid(), "Наименование": u, "Организация": g.ref(catOrgs, 0.15, 0.05)})
	}
	for i := range 3 {
		g.add(catUsers, map[string]any{"Ссылка": g.uuid(), "Наименование": fmt.Sprintf("x%d", i+1), "Организация": g.ref(catOrgs, 0.2, 0.1)})
	}
	var folders []string
	for _, name := range folderNames {
		id := g.uuid()
		folders = append(folders, id)
		g.add(catParties, map[string]any{"Ссылка": id, "Наименование": name, "ЭтоГруппа": true,
			"Организация": g.ref(catOrgs, 0.6, 0)})
	}
	for range 24 {
		id := g.uuid()
		parent := oracle.EmptyRef
		switch x := g.r.Float64(); {
		case x < 0.6:
			parent = g.pick(folders)
		case x < 0.65:
			parent = g.uuid()
		}
		g.add(catParties, map[string]any{
			"Ссылка": id, "Наименование": g.pick(partyNames), "Родитель": parent,
			"Организация": g.ref(catOrgs, 0.1, 0.05), "ИНН": g.pick(innPool), "Рейтинг": g.pick(ratingPool),
			"Активен": g.chance(0.6), "Менеджер": g.ref(catUsers, 0.15, 0.1),
		})
		for range g.r.IntN(4) {
			g.add(catParties+".Продукция", map[string]any{"Ссылка": id, "Наименование": g.pick(productNames), "Количество": g.r.IntN(11)})
		}
	}
	for i := range 22 {
		id := g.uuid()
		g.add(docOrders, map[string]any{
			"Ссылка": id, "Номер": fmt.Sprintf("%011d", i+1),
			"Дата":        time.Date(2024, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), 0, time.UTC),
			"Организация": g.ref(catOrgs, 0.1, 0.05), "Контрагент": g.ref(catParties, 0.1, 0.1),
			"Сумма": g.pick(sumPool), "Ответственный": g.ref(catUsers, 0.2, 0.05),
		})
		for range g.r.IntN(4) {
			g.add(docOrders+".Товары", map[string]any{"Ссылка": id, "Наименование": g.pick(productNames),
				"Количество": g.pick(qtyPool), "Цена": g.pick(sumPool)})
		}
	}
}

// ------------------------------------------------------------ configuration

const configHead = `configuration: {name: Дифф}
catalogs:
  - name: Организации
    code: {length: 9}
    description_length: 50
  - name: Пользователи
    description_length: 50
    attributes:
      - {name: Организация, type: Справочник.Организации}
  - name: Контрагенты
    hierarchical: true
    hierarchy: folders
    description_length: 50
    attributes:
      - {name: Организация, type: Справочник.Организации}
      - {name: ИНН, type: Строка(12)}
      - {name: Рейтинг, type: "Число(10, 2)"}
      - {name: Активен, type: Булево}
      - {name: Менеджер, type: Справочник.Пользователи}
    tabular_sections:
      - name: Продукция
        attributes:
          - {name: Наименование, type: Строка(50)}
          - {name: Количество, type: Число(10)}
documents:
  - name: Заказ
    number: {length: 11}
    attributes:
      - {name: Организация, type: Справочник.Организации}
      - {name: Контрагент, type: Справочник.Контрагенты}
      - {name: Сумма, type: "Число(15, 2)"}
      - {name: Ответственный, type: Справочник.Пользователи}
    tabular_sections:
      - name: Товары
        attributes:
          - {name: Наименование, type: Строка(50)}
          - {name: Количество, type: "Число(15, 3)"}
          - {name: Цена, type: "Число(15, 2)"}
session_parameters:
  - name: Организация
    type: Справочник.Организации
    query: ВЫБРАТЬ Организация ИЗ Справочник.Пользователи ГДЕ Наименование = &ИмяПользователя
  - name: ТекущийПользователь
    type: Справочник.Пользователи
    query: ВЫБРАТЬ Ссылка ИЗ Справочник.Пользователи ГДЕ Наименование = &ИмяПользователя
`

// restrictable fields of each object, for field lists.
var fieldLists = map[string][]string{
	catOrgs:    {"Наименование", "Код", "Ссылка"},
	catUsers:   {"Наименование", "Организация", "Ссылка"},
	catParties: {"Наименование", "ИНН", "Рейтинг", "Активен", "Организация", "Менеджер", "Родитель", "ЭтоГруппа", "Продукция"},
	docOrders:  {"Номер", "Дата", "Сумма", "Организация", "Контрагент", "Ответственный", "Товары"},
}

var objects = []string{catOrgs, catUsers, catParties, docOrders}

func (g *gen) config() {
	var b strings.Builder
	b.WriteString(configHead)
	b.WriteString("roles:\n  - name: Админ\n    rights: [Администрирование]\n    objects:\n")
	for _, o := range objects {
		fmt.Fprintf(&b, "      - {object: %s, rights: [Чтение]}\n", o)
	}
	nroles := 2 + g.r.IntN(2)
	var names []string
	for i := range nroles {
		role := genRole{name: fmt.Sprintf("Роль%d", i+1)}
		names = append(names, role.name)
		for _, o := range objects {
			p := 0.85
			if o == catParties || o == docOrders {
				p = 0.95
			}
			if !g.chance(p) {
				continue
			}
			rights := genRights{object: o}
			if g.chance(0.35) {
				list := append([]string(nil), fieldLists[o]...)
				g.r.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
				k := 0
				for range 1 + g.r.IntN(2) {
					n := 1 + g.r.IntN(2)
					if k+n > len(list) {
						break
					}
					rights.restrictions = append(rights.restrictions, genRestriction{fields: list[k : k+n], cond: g.restriction(o)})
					k += n
				}
			}
			if g.chance(0.75) {
				rights.restrictions = append(rights.restrictions, genRestriction{cond: g.restriction(o)})
			}
			role.objects = append(role.objects, rights)
		}
		g.w.roles = append(g.w.roles, role)
		fmt.Fprintf(&b, "  - name: %s\n    objects:\n", role.name)
		for _, o := range role.objects {
			fmt.Fprintf(&b, "      - object: %s\n        rights: [Чтение]\n", o.object)
			if len(o.restrictions) > 0 {
				b.WriteString("        restrictions:\n")
			}
			for _, x := range o.restrictions {
				b.WriteString("          - right: Чтение\n")
				if len(x.fields) > 0 {
					fmt.Fprintf(&b, "            fields: [%s]\n", strings.Join(x.fields, ", "))
				}
				fmt.Fprintf(&b, "            condition: |\n              %s\n", x.cond)
			}
		}
	}
	b.WriteString("users:\n  - {name: admin, roles: [Админ]}\n")
	for _, u := range g.w.users[1:] {
		roles := []string{g.pick(names)}
		if g.chance(0.4) {
			if other := g.pick(names); other != roles[0] {
				roles = append(roles, other)
			}
		}
		fmt.Fprintf(&b, "  - {name: %s, roles: [%s]}\n", u, strings.Join(roles, ", "))
	}
	g.w.yaml = b.String()
}

// fill replaces the placeholders of an atom: $ is the qualifier of the
// main table's fields; %org %user %party %folder %inn %rating %product
// %sum %qty are literals from the data's pools.
func (g *gen) fill(atom, qual string) string {
	out := strings.ReplaceAll(atom, "$", qual)
	// Each placeholder draws its own value at each place.
	for _, ph := range []string{"%org", "%user", "%party", "%folder", "%inn", "%rating", "%product", "%sum", "%qty"} {
		for strings.Contains(out, ph) {
			out = strings.Replace(out, ph, g.fill1(ph), 1)
		}
	}
	return out
}

func (g *gen) fill1(ph string) string {
	switch ph {
	case "%org":
		return g.pick(orgNames)
	case "%user":
		return g.pick([]string{"admin", "u1", "u2", "u3", "x1"})
	case "%party":
		return g.pick(partyNames)
	case "%folder":
		return g.pick(folderNames)
	case "%inn":
		return g.pick(innPool)
	case "%rating":
		return g.pick(ratingPool)
	case "%product":
		return g.pick(productNames)
	case "%sum":
		return g.pick(sumPool)
	case "%qty":
		return g.pick(qtyPool)
	}
	return ph
}

// Atoms of conditions per table: fields of the table, through references,
// literals. Restriction atoms add session parameters, nested queries and
// tabular sections.
var queryAtoms = map[string][]string{
	catOrgs: {`$Наименование = "%org"`, `$Код = "000000002"`, `$Код <> "000000001"`, `$Наименование В ("%org", "%org")`},
	catUsers: {`$Наименование = "%user"`, `$Организация.Наименование = "%org"`, `$Организация.Наименование ЕСТЬ NULL`,
		`$Организация = ЗНАЧЕНИЕ(Справочник.Организации.ПустаяСсылка)`, `$Организация.Код = "000000001"`},
	catParties: {`$Рейтинг > %rating`, `$Рейтинг = %rating`, `$Рейтинг <= %rating`, `$ИНН = "%inn"`, `$ИНН <> "%inn"`,
		`$Активен`, `НЕ $Активен`, `$ЭтоГруппа`, `$Наименование = "%party"`, `$Организация.Наименование = "%org"`,
		`$Менеджер.Наименование = "%user"`, `$Менеджер.Организация.Наименование = "%org"`, `$Менеджер.Наименование ЕСТЬ NULL`,
		`$Родитель.Наименование = "%folder"`, `$ИНН В ("%inn", "%inn")`, `$Организация = ЗНАЧЕНИЕ(Справочник.Организации.ПустаяСсылка)`,
		`$Рейтинг МЕЖДУ %rating И %rating`, `$Менеджер.Организация = $Организация`},
	docOrders: {`$Сумма > %sum`, `$Сумма <= %sum`, `$Номер В ("00000000001", "00000000003", "00000000007")`, `$Организация.Наименование = "%org"`,
		`$Контрагент.Наименование = "%party"`, `$Контрагент.Рейтинг > %rating`, `$Контрагент.Активен`, `$Контрагент.Наименование ЕСТЬ NULL`,
		`$Контрагент.Менеджер.Наименование = "%user"`, `$Ответственный.Наименование = "%user"`, `$Контрагент.Организация = $Организация`,
		`$Дата > ДАТАВРЕМЯ(2024, 6, 1)`, `$Контрагент.Родитель.Наименование = "%folder"`},
	docOrders + ".Товары": {`$Наименование = "%product"`, `$Количество > %qty`, `$Цена >= %sum`, `$Ссылка.Сумма > %sum`,
		`$Ссылка.Контрагент.Наименование = "%party"`, `$НомерСтроки = 1`, `$Ссылка.Организация.Наименование = "%org"`},
	catParties + ".Продукция": {`$Наименование = "%product"`, `$Количество > 3`, `$Количество <= 5`, `$Ссылка.Активен`,
		`$Ссылка.Организация.Наименование = "%org"`, `$Ссылка.Рейтинг > %rating`},
}

var restrictionAtoms = map[string][]string{
	catOrgs: {`Ссылка = &Организация`, `Ссылка В (ВЫБРАТЬ П.Организация ИЗ Справочник.Пользователи КАК П ГДЕ П.Ссылка = &ТекущийПользователь)`},
	catUsers: {`Ссылка = &ТекущийПользователь`, `Организация = &Организация`, `Организация.Наименование = "%org"`,
		`Организация В (ВЫБРАТЬ К.Организация ИЗ Справочник.Контрагенты КАК К ГДЕ К.Менеджер = &ТекущийПользователь)`},
	catParties: {`Организация = &Организация`, `Менеджер = &ТекущийПользователь`, `Менеджер.Организация = &Организация`,
		`Продукция.Наименование = "%product"`, `Продукция.Количество > 3`, `Продукция.Наименование = "%product" И Продукция.Количество > 3`,
		`Организация В (&Организация, ЗНАЧЕНИЕ(Справочник.Организации.ПустаяСсылка))`,
		`Менеджер НЕ В (ВЫБРАТЬ П.Ссылка ИЗ Справочник.Пользователи КАК П ГДЕ П.Организация = &Организация)`,
		`Организация В (ВЫБРАТЬ П.Организация ИЗ Справочник.Пользователи КАК П ГДЕ П.Ссылка = &ТекущийПользователь)`},
	docOrders: {`Организация = &Организация`, `Ответственный = &ТекущийПользователь`, `Контрагент.Организация = &Организация`,
		`Контрагент.Менеджер = &ТекущийПользователь`, `Товары.Наименование = "%product"`, `Товары.Количество > 2`,
		`Товары.Наименование = "%product" И Товары.Цена > %sum`,
		`Контрагент В (ВЫБРАТЬ К.Ссылка ИЗ Справочник.Контрагенты КАК К ГДЕ К.Организация = &Организация)`,
		`Контрагент НЕ В (ВЫБРАТЬ К.Ссылка ИЗ Справочник.Контрагенты КАК К ГДЕ К.Активен)`},
}

// fromForms are restrictions with ИЗ (SPEC §3.5): the restricted table under
// an alias, joined with others.
var fromForms = map[string][]string{
	catParties: {
		`К ИЗ Справочник.Контрагенты КАК К ЛЕВОЕ СОЕДИНЕНИЕ Справочник.Пользователи КАК П ПО К.Менеджер = П.Ссылка ГДЕ П.Организация = &Организация`,
		`К ИЗ Справочник.Контрагенты КАК К ВНУТРЕННЕЕ СОЕДИНЕНИЕ Справочник.Пользователи КАК П ПО К.Организация = П.Организация ГДЕ П.Ссылка = &ТекущийПользователь ИЛИ К.ЭтоГруппа`,
		`К ИЗ Справочник.Контрагенты КАК К ЛЕВОЕ СОЕДИНЕНИЕ Справочник.Контрагенты.Продукция КАК П ПО П.Ссылка = К.Ссылка ГДЕ П.Наименование = "%product" ИЛИ К.Рейтинг > %rating`,
	},
	docOrders: {
		`Д ИЗ Документ.Заказ КАК Д ВНУТРЕННЕЕ СОЕДИНЕНИЕ Справочник.Контрагенты КАК К ПО Д.Контрагент = К.Ссылка ГДЕ К.Организация = &Организация ИЛИ Д.Сумма > %sum`,
		`Д ИЗ Документ.Заказ КАК Д ЛЕВОЕ СОЕДИНЕНИЕ Справочник.Пользователи КАК П ПО Д.Ответственный = П.Ссылка ГДЕ П.Организация = Д.Организация`,
	},
}

// cond is a random condition of depth at most depth over atoms.
func (g *gen) cond(atoms []string, qual string, depth int) string {
	if depth == 0 || g.chance(0.45) {
		return g.fill(g.pick(atoms), qual)
	}
	switch g.r.IntN(5) {
	case 0, 1:
		return g.cond(atoms, qual, depth-1) + " И " + g.cond(atoms, qual, depth-1)
	case 2, 3:
		return g.cond(atoms, qual, depth-1) + " ИЛИ " + g.cond(atoms, qual, depth-1)
	}
	return "НЕ (" + g.cond(atoms, qual, depth-1) + ")"
}

func (g *gen) restriction(object string) string {
	atoms := append(append([]string(nil), restrictionAtoms[object]...), queryAtoms[object]...)
	// Session parameters and nested queries are what restrictions are
	// about: weigh them up.
	atoms = append(atoms, restrictionAtoms[object]...)
	text := "ГДЕ " + g.cond(atoms, "", 2)
	if object == catParties && g.chance(0.3) {
		text += " ИЛИ ЭтоГруппа"
	}
	switch x := g.r.Float64(); {
	case x < 0.03:
		text = g.pick([]string{"ГДЕ ИСТИНА", "ГДЕ ЛОЖЬ"})
	case x < 0.08 && fromForms[object] != nil:
		// The restriction as a query of its own: the record joined with
		// other tables, accessible when the join gives a row.
		text = g.fill(g.pick(fromForms[object]), "")
	}
	return text
}

// Fields a query may select per table.
var queryFields = map[string][]string{
	catOrgs:                   {"Ссылка", "Наименование", "Код"},
	catUsers:                  {"Ссылка", "Наименование", "Организация", "Организация.Наименование"},
	catParties:                {"Ссылка", "Наименование", "ИНН", "Рейтинг", "Активен", "ЭтоГруппа", "Организация", "Организация.Наименование", "Менеджер", "Менеджер.Наименование", "Менеджер.Организация.Наименование", "Родитель.Наименование"},
	docOrders:                 {"Ссылка", "Номер", "Дата", "Сумма", "Организация", "Организация.Наименование", "Контрагент", "Контрагент.Наименование", "Контрагент.ИНН", "Контрагент.Менеджер.Наименование", "Ответственный.Наименование"},
	docOrders + ".Товары":     {"Ссылка", "НомерСтроки", "Наименование", "Количество", "Цена", "Ссылка.Номер", "Ссылка.Контрагент.Наименование"},
	catParties + ".Продукция": {"Ссылка", "НомерСтроки", "Наименование", "Количество", "Ссылка.Наименование"},
}

var queryTables = []string{catOrgs, catUsers, catParties, catParties, catParties, docOrders, docOrders, docOrders,
	docOrders + ".Товары", catParties + ".Продукция"}

func (g *gen) query() genQuery {
	table := g.pick(queryTables)
	q := genQuery{from: table, object: table, refColumn: -1}
	section := strings.Count(table, ".") == 2
	if section {
		q.object = table[:strings.LastIndex(table, ".")]
		q.used = []string{table[strings.LastIndex(table, ".")+1:]}
	}
	qual := ""
	if g.chance(0.3) {
		q.from += " КАК Т"
		qual = "Т."
	}
	used := map[string]bool{}
	note := func(path string) {
		if !section {
			used[strings.SplitN(path, ".", 2)[0]] = true
		}
	}
	if g.chance(0.15) {
		q.fields = "КОЛИЧЕСТВО(*)"
	} else if g.chance(0.1) {
		f := g.pick(queryFields[table])
		note(f)
		q.fields = "РАЗЛИЧНЫЕ " + qual + f
	} else {
		list := append([]string(nil), queryFields[table]...)
		g.r.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		n := 1 + g.r.IntN(3)
		var fs []string
		for i, f := range list[:n] {
			if f == "Ссылка" && !section {
				q.refColumn = i
			}
			note(f)
			if qual != "" && g.chance(0.7) {
				f = qual + f
			}
			fs = append(fs, f)
		}
		q.fields = strings.Join(fs, ", ")
	}
	if g.chance(0.7) {
		q.where = g.cond(queryAtoms[table], qual, 2)
		// The fields the condition uses, for the property check: the
		// first part of each field path.
		for _, word := range strings.FieldsFunc(q.where, func(r rune) bool { return r == ' ' || r == '(' || r == ')' || r == ',' }) {
			word = strings.TrimPrefix(word, qual)
			first := strings.SplitN(word, ".", 2)[0]
			for _, f := range append([]string{"Ссылка", "Код"}, fieldLists[q.object]...) {
				if f == first {
					note(word)
				}
			}
		}
	}
	if !section {
		for f := range used {
			q.used = append(q.used, f)
		}
	}
	return q
}

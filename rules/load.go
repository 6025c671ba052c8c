package rules

import (
	sdbl "dostup/sdbl/parser"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	yast "github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	ytoken "github.com/goccy/go-yaml/token"
)

// Load reads a register from a directory of YAML files (every *.yaml and
// *.yml under it, in path order). A file may hold any of these sections,
// each under its English or Russian key:
//
//	properties / свойства    name, en, type, doc of each property
//	groups / группы          property → group → members
//	synonyms / синонимы      property → lists of names of one thing
//	rules / правила          rules in force from the beginning
//	order / приказ           one order: number, date, author, reason, add, remove
//	orders / приказы         several orders
//
// A rule is a mapping of property names to conditions plus id (Код),
// effect (Доступ), priority (Приоритет), message (Сообщение) and comment
// (Комментарий). Every mistake comes back in an ErrorList at file:line:col.
func Load(dir string) (*Register, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if ext := strings.ToLower(filepath.Ext(path)); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no *.yaml files: a rules directory holds the properties, groups, rules and orders of a register", dir)
	}
	sources := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		sources[p] = b
	}
	return LoadSources(sources)
}

// LoadSources reads a register from files held in memory (name → content).
func LoadSources(sources map[string][]byte) (*Register, error) {
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)
	l := &loader{}
	for _, n := range names {
		l.file(n, sources[n])
	}
	// Go on after mistakes in the YAML so that one run reports those in the
	// conditions too.
	cfg, err := NewConfig(l.props)
	if err != nil {
		l.errs.Add(Pos{}, "properties", err.Error())
		return nil, l.errs.Err()
	}
	for _, g := range l.groups {
		if err := cfg.AddGroup(g.prop, g.group, g.members...); err != nil {
			l.errs.Add(g.pos, "groups", err.Error())
		}
	}
	for _, s := range l.syns {
		if err := cfg.AddSynonyms(s.prop, s.values...); err != nil {
			l.errs.Add(s.pos, "synonyms", err.Error())
		}
	}
	if err := cfg.Prepare(); err != nil {
		l.errs.Add(Pos{}, "groups", err.Error())
		return nil, l.errs.Err()
	}
	reg, err := NewRegister(cfg, l.base, l.orders)
	if err != nil {
		var more ErrorList
		if !errors.As(err, &more) {
			more = ErrorList{{Msg: err.Error()}}
		}
		l.errs = append(l.errs, more...)
	}
	if err := l.errs.Err(); err != nil {
		return nil, err
	}
	return reg, nil
}

// ParseOrder reads one order from a YAML file (an order: section, or the
// order's keys at the top) against a configuration; `dostup rules order
// apply` uses it. Conditions are checked against cfg.
func ParseOrder(cfg *Config, name string, src []byte) (*Order, error) {
	l := &loader{}
	l.file(name, src)
	if err := l.errs.Err(); err != nil {
		return nil, err
	}
	if len(l.orders) != 1 || len(l.base) > 0 || len(l.props) > 0 {
		return nil, fmt.Errorf("%s: expected exactly one order (an order: section) and nothing else, found %d orders", name, len(l.orders))
	}
	o := l.orders[0]
	if _, err := Compile(cfg, o.Add); err != nil {
		return nil, err
	}
	return o, nil
}

type loader struct {
	errs   ErrorList
	props  []*Property
	groups []struct {
		prop, group string
		members     []string
		pos         Pos
	}
	syns []struct {
		prop   string
		values []string
		pos    Pos
	}
	base   []*Rule
	orders []*Order
	path   string
	quoted map[int]bool // lines where quoteComparisons added quotes
}

func (l *loader) errorf(n yast.Node, format string, args ...any) {
	l.errs.Add(l.pos(n), "yaml", fmt.Sprintf(format, args...))
}

func (l *loader) pos(n yast.Node) Pos {
	if n == nil || n.GetToken() == nil {
		return Pos{File: l.path}
	}
	p := n.GetToken().Position
	return Pos{File: l.path, Line: p.Line, Col: p.Column}
}

// keyAliases maps every spelling of a key to its English name.
var keyAliases = map[string]string{
	"properties": "properties", "свойства": "properties",
	"groups": "groups", "группы": "groups",
	"synonyms": "synonyms", "синонимы": "synonyms",
	"rules": "rules", "правила": "rules",
	"order": "order", "приказ": "order",
	"orders": "orders", "приказы": "orders",
	// property
	"name": "name", "имя": "name", "en": "en", "type": "type", "тип": "type",
	"doc": "doc", "описание": "doc", "query": "query", "запрос": "query",
	// rule
	"id": "id", "код": "id", "effect": "effect", "доступ": "effect",
	"priority": "priority", "приоритет": "priority",
	"message": "message", "сообщение": "message",
	"comment": "comment", "комментарий": "comment",
	// order
	"number": "number", "номер": "number", "date": "date", "дата": "date",
	"author": "author", "автор": "author",
	"reason": "reason", "основание": "reason", "причина": "reason",
	"add": "add", "добавить": "add", "remove": "remove", "удалить": "remove",
}

func canon(key string) string { return keyAliases[strings.ToLower(strings.TrimSpace(key))] }

// textKeys hold free text, where a YAML block scalar (message: >) is meant.
var textKeys = map[string]bool{"message": true, "comment": true, "reason": true, "doc": true, "author": true, "query": true}

// quoteComparisons quotes plain values that start with > or * in
// conditions: YAML reads `Скидка: >1000` as a folded block and `Роль: *` as
// an alias, while a 1C developer means a comparison and "any".
func quoteComparisons(src []byte, quoted map[int]bool) []byte {
	lines := strings.SplitAfter(string(src), "\n")
	changed := false
	for i, line := range lines {
		body := strings.TrimRight(line, "\r\n")
		colon := strings.Index(body, ": ")
		if colon < 0 {
			continue
		}
		key := strings.TrimSpace(body[:colon])
		key = strings.TrimSpace(strings.TrimPrefix(key, "- "))
		if key == "" || strings.ContainsAny(key, "#\"'") || textKeys[canon(key)] {
			continue
		}
		val := strings.TrimSpace(body[colon+2:])
		if !strings.HasPrefix(val, ">") && val != "*" {
			continue
		}
		comment := ""
		if h := strings.Index(val, " #"); h >= 0 {
			val, comment = strings.TrimSpace(val[:h]), val[h:]
		}
		q := `"` + strings.ReplaceAll(strings.ReplaceAll(val, `\`, `\\`), `"`, `\"`) + `"`
		lines[i] = body[:colon+2] + q + comment + line[len(body):]
		quoted[i+1] = true
		changed = true
	}
	if !changed {
		return src
	}
	return []byte(strings.Join(lines, ""))
}

func (l *loader) file(path string, src []byte) {
	l.path = path
	l.quoted = map[int]bool{}
	tree, err := parser.ParseBytes(quoteComparisons(src, l.quoted), 0)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			p := ye.GetToken().Position
			l.errs.Add(Pos{File: path, Line: p.Line, Col: p.Column}, "yaml", "YAML: "+ye.GetMessage()+" (quote a value that starts with a special character: \"...\")")
			return
		}
		l.errs.Add(Pos{File: path}, "yaml", err.Error())
		return
	}
	for _, doc := range tree.Docs {
		if doc.Body == nil {
			continue
		}
		top, ok := l.mapping(doc.Body)
		if !ok {
			l.errorf(doc.Body, "expected sections (properties:, groups:, rules:, order: ...) at the top of the file")
			continue
		}
		var orderKeys []*yast.MappingValueNode
		for _, kv := range top {
			k := l.key(kv)
			switch canon(k) {
			case "properties":
				l.properties(kv.Value)
			case "groups":
				l.groupsOf(kv.Value)
			case "synonyms":
				l.synonyms(kv.Value)
			case "rules":
				for _, n := range l.seq(kv.Value) {
					if r := l.rule(n); r != nil {
						l.base = append(l.base, r)
					}
				}
			case "order":
				l.order(kv.Value, nil)
			case "orders":
				for _, n := range l.seq(kv.Value) {
					l.order(n, nil)
				}
			case "number", "date", "author", "reason", "add", "remove":
				orderKeys = append(orderKeys, kv)
			default:
				l.errorf(kv.Key, "unknown section %q: a rules file has properties, groups, synonyms, rules, order or orders (свойства, группы, синонимы, правила, приказ, приказы)", k)
			}
		}
		if len(orderKeys) > 0 {
			l.order(doc.Body, orderKeys)
		}
	}
}

func (l *loader) key(kv *yast.MappingValueNode) string {
	s, _ := l.scalar(kv.Key)
	return s
}

func unwrap(n yast.Node) yast.Node {
	for {
		switch v := n.(type) {
		case *yast.AnchorNode:
			n = v.Value
		case *yast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

func (l *loader) mapping(n yast.Node) ([]*yast.MappingValueNode, bool) {
	switch v := unwrap(n).(type) {
	case *yast.MappingNode:
		return v.Values, true
	case *yast.MappingValueNode:
		return []*yast.MappingValueNode{v}, true
	}
	return nil, false
}

func (l *loader) seq(n yast.Node) []yast.Node {
	switch v := unwrap(n).(type) {
	case *yast.SequenceNode:
		return v.Values
	case *yast.NullNode:
		return nil
	}
	l.errorf(n, "expected a list (lines starting with - )")
	return nil
}

// scalar returns a scalar's text as written (numbers and dates unconverted).
func (l *loader) scalar(n yast.Node) (string, bool) {
	switch v := unwrap(n).(type) {
	case nil, *yast.NullNode:
		return "", true
	case *yast.StringNode:
		return v.Value, true
	case *yast.LiteralNode:
		return strings.TrimRight(v.Value.Value, "\n"), true
	case *yast.MappingNode, *yast.MappingValueNode, *yast.SequenceNode:
		return "", false
	case yast.ScalarNode:
		return v.GetToken().Value, true
	}
	return "", false
}

// text is scalar or an error naming what was expected.
func (l *loader) text(n yast.Node, what string) string {
	s, ok := l.scalar(n)
	if !ok {
		l.errorf(n, "%s must be a single value, not a list or mapping", what)
	}
	return s
}

// strings reads a list of values, or one value with comma-separated items.
func (l *loader) strings(n yast.Node, what string) []string {
	if sq, ok := unwrap(n).(*yast.SequenceNode); ok {
		var out []string
		for _, x := range sq.Values {
			if s := l.text(x, what); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return splitList(l.text(n, what))
}

func (l *loader) properties(n yast.Node) {
	for _, item := range l.seq(n) {
		kvs, ok := l.mapping(item)
		if !ok {
			l.errorf(item, "a property is a mapping: - name: Роль, en: Role, type: string")
			continue
		}
		p := &Property{Type: Type{Kind: String}}
		for _, kv := range kvs {
			switch k := l.key(kv); canon(k) {
			case "name":
				p.Name = l.text(kv.Value, "name")
			case "en":
				p.EN = l.text(kv.Value, "en")
			case "type":
				t, err := ParseType(l.text(kv.Value, "type"))
				if err != nil {
					l.errorf(kv.Value, "%v", err)
				}
				p.Type = t
			case "doc":
				p.Doc = l.text(kv.Value, "doc")
			case "query":
				p.Query = l.text(kv.Value, "query")
				if _, err := sdbl.ParseQueryString("property "+p.Name, p.Query); err != nil {
					l.errorf(kv.Value, "the query of property %s: %v", p.Name, err)
				}
			default:
				l.errorf(kv.Key, "unknown key %q of a property: use name (имя), en, type (тип), query (запрос), doc (описание)", k)
			}
		}
		if p.Name == "" {
			l.errorf(item, "a property has no name:")
			continue
		}
		for _, q := range l.props {
			if strings.EqualFold(q.Name, p.Name) || (p.EN != "" && strings.EqualFold(q.EN, p.EN)) {
				l.errorf(item, "property %s is declared twice", p.Name)
			}
		}
		l.props = append(l.props, p)
	}
}

func (l *loader) groupsOf(n yast.Node) {
	props, ok := l.mapping(n)
	if !ok {
		l.errorf(n, "groups: expected property → group → members, e.g. Товары: {Алкоголь: [Водка, Коньяк]}")
		return
	}
	for _, pk := range props {
		gs, ok := l.mapping(pk.Value)
		if !ok {
			l.errorf(pk.Value, "groups of %s: expected group: [members]", l.key(pk))
			continue
		}
		for _, g := range gs {
			l.groups = append(l.groups, struct {
				prop, group string
				members     []string
				pos         Pos
			}{l.key(pk), l.key(g), l.strings(g.Value, "a member"), l.pos(g.Key)})
		}
	}
}

func (l *loader) synonyms(n yast.Node) {
	props, ok := l.mapping(n)
	if !ok {
		l.errorf(n, "synonyms: expected property → lists of names, e.g. Пользователь: [[Иванов, Петров]]")
		return
	}
	for _, pk := range props {
		for _, item := range l.seq(pk.Value) {
			vals := l.strings(item, "a synonym")
			if len(vals) < 2 {
				l.errorf(item, "a synonym needs at least two names of one thing")
				continue
			}
			l.syns = append(l.syns, struct {
				prop   string
				values []string
				pos    Pos
			}{l.key(pk), vals, l.pos(item)})
		}
	}
}

func (l *loader) rule(n yast.Node) *Rule {
	kvs, ok := l.mapping(n)
	if !ok {
		l.errorf(n, "a rule is a mapping: - id: ..., Роль: ..., effect: deny")
		return nil
	}
	r := &Rule{Pos: l.pos(n)}
	if len(kvs) > 0 {
		r.Pos = l.pos(kvs[0].Key)
	}
	hasEffect := false
	for _, kv := range kvs {
		k := l.key(kv)
		switch canon(k) {
		case "id":
			r.ID = l.text(kv.Value, "id")
		case "effect":
			e, err := ParseEffect(l.text(kv.Value, "effect"))
			if err != nil {
				l.errorf(kv.Value, "%v", err)
			}
			r.Effect, hasEffect = e, true
		case "priority":
			s := l.text(kv.Value, "priority")
			if s == "" {
				continue
			}
			p, err := strconv.Atoi(s)
			if err != nil || p < 0 {
				l.errorf(kv.Value, "priority %q is not a whole number 0 or more (0 is the highest)", s)
			}
			r.Priority, r.HasPriority = p, true
		case "message":
			r.Message = l.text(kv.Value, "message")
		case "comment":
			r.Comment = l.text(kv.Value, "comment")
		case "":
			c := Condition{Property: k, Pos: l.pos(kv.Value), KeyPos: l.pos(kv.Key)}
			if sq, ok := unwrap(kv.Value).(*yast.SequenceNode); ok {
				// A YAML list is a list condition: quote each item so commas inside stay.
				var items []string
				for _, x := range sq.Values {
					items = append(items, quoteIfNeeded(l.text(x, "a value")))
				}
				c.Text = strings.Join(items, ", ")
			} else {
				c.Text = l.text(kv.Value, k)
				if tk := unwrap(kv.Value); tk != nil && tk.GetToken() != nil {
					if t := tk.GetToken().Type; (t == ytoken.DoubleQuoteType || t == ytoken.SingleQuoteType) && !l.quoted[c.Pos.Line] {
						c.Pos.Col++
					}
				}
			}
			r.Conditions = append(r.Conditions, c)
		default:
			l.errorf(kv.Key, "%q does not belong in a rule: a rule has id, effect, priority, message, comment and conditions on properties", k)
		}
	}
	if !hasEffect {
		l.errs.Add(r.Pos, "rule", fmt.Sprintf("rule %s has no effect: add effect: allow or effect: deny (Доступ: Разрешить / Запретить)", r.ID))
	}
	return r
}

// order reads an order; kvs, when given, are its keys at the file's top.
func (l *loader) order(n yast.Node, kvs []*yast.MappingValueNode) {
	if kvs == nil {
		var ok bool
		if kvs, ok = l.mapping(n); !ok {
			l.errorf(n, "an order is a mapping: number, date, author, reason, add, remove")
			return
		}
	}
	o := &Order{Pos: l.pos(n)}
	if len(kvs) > 0 {
		o.Pos = l.pos(kvs[0].Key)
	}
	hasDate := false
	for _, kv := range kvs {
		k := l.key(kv)
		switch canon(k) {
		case "number":
			s := l.text(kv.Value, "number")
			num, err := strconv.Atoi(s)
			if err != nil || num <= 0 {
				l.errorf(kv.Value, "order number %q is not a whole number above 0", s)
			}
			o.Number = num
		case "date":
			t, _, err := ParseDate(l.text(kv.Value, "date"))
			if err != nil {
				l.errorf(kv.Value, "%v", err)
			}
			o.Date, hasDate = t, true
		case "author":
			o.Author = l.text(kv.Value, "author")
		case "reason":
			o.Reason = l.text(kv.Value, "reason")
		case "add":
			for _, rn := range l.seq(kv.Value) {
				if r := l.rule(rn); r != nil {
					o.Add = append(o.Add, r)
				}
			}
		case "remove":
			o.Remove = append(o.Remove, l.strings(kv.Value, "a rule id")...)
		default:
			l.errorf(kv.Key, "unknown key %q of an order: use number, date, author, reason, add, remove (номер, дата, автор, основание, добавить, удалить)", k)
		}
	}
	if !hasDate {
		l.errs.Add(o.Pos, "order", "an order has no date: add date: ДД.ММ.ГГГГ, the moment it takes effect")
	}
	if o.Author == "" {
		l.errs.Add(o.Pos, "order", "an order has no author: orders are signed (author: / автор:)")
	}
	l.orders = append(l.orders, o)
}

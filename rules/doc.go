// Package rules is the rules register of SPEC §4: attribute-based decisions
// for operations that object rights cannot express.
//
// A decision is asked about a context, a set of named, typed properties of
// one operation (Роль, Действие, ВидОбъекта, Товары ...). The register holds
// rules, each a row with a condition per property (empty means any), an
// effect, an optional priority and a message. Conditions generalise a value
// by list, group (through the hierarchies of a Config), synonym, range or
// comparison, and NOT; the engine resolves the rules that match in four steps
// (best priority, drop strictly more general rules, deny wins, default deny)
// and returns the decision with a trace of every matching rule.
//
// Where it sits: the register is independent of the query pipeline. Config
// and rules come from a directory of YAML files (Load); rules change through
// orders (приказы), dated batches of additions and removals that Register
// applies up to a moment; package rules/store keeps orders in an infobase
// database so every process sees a committed order at once.
//
// The pieces, in the order a decision meets them:
//
//	value.go    property kinds and values (string, number, date, reference, lists)
//	cond.go     the condition language of one cell (Менеджер, Стажер / >1000 / НЕ Алкоголь)
//	config.go   properties, groups and synonyms
//	set.go      a compiled, indexed rule set and Decide
//	register.go orders and the rules in force at a moment
//	load.go     the YAML directory format with file:line:col errors
//	analyze.go  reports and lint (conflicts, shadowed rules)
package rules

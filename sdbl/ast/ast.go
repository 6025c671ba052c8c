package ast

import (
	"dostup/sdbl/token"
)

// Node is any node of the tree.
type Node interface {
	Pos() token.Pos // first byte of the node
	End() token.Pos // first byte after the node
}

// Expr is an expression.
type Expr interface {
	Node
	exprNode()
}

// Source is an item of a FROM list: a table, a subquery or a join.
type Source interface {
	Node
	sourceNode()
}

// ---------------------------------------------------------------- expressions

// Ident is a name as written.
type Ident struct {
	NamePos token.Pos
	Name    string
}

// Path is a dotted name: a field (Контрагент.Организация.Наименование), an
// alias with a field (Т.Ссылка), or a metadata name (Справочник.Контрагенты).
type Path struct {
	Parts []*Ident
}

// Last returns the last part of the path.
func (p *Path) Last() *Ident { return p.Parts[len(p.Parts)-1] }

// String joins the parts with dots.
func (p *Path) String() string {
	s := ""
	for i, id := range p.Parts {
		if i > 0 {
			s += "."
		}
		s += id.Name
	}
	return s
}

// Literal is a number or a string.
type Literal struct {
	ValuePos token.Pos
	EndPos   token.Pos
	Kind     token.Kind // token.NUMBER or token.STRING
	Value    string     // the number as written, or the string's decoded value
}

// Constant is ИСТИНА, ЛОЖЬ, NULL or НЕОПРЕДЕЛЕНО.
type Constant struct {
	ValuePos token.Pos
	EndPos   token.Pos
	Value    token.Keyword // token.True, False, Null or Undefined
}

// Param is &Name: a query parameter, or in a restriction a session parameter
// or functional option.
type Param struct {
	AmpPos token.Pos
	Name   string
}

// Star is * in SELECT * or COUNT(*), and Alias.* in a field list.
type Star struct {
	Qualifier *Path // nil for a bare *
	StarPos   token.Pos
}

// ParenExpr is an expression in parentheses, kept so the text prints back as written.
type ParenExpr struct {
	Lparen token.Pos
	X      Expr
	Rparen token.Pos
}

// TupleExpr is a list of values in parentheses: (А, Б) В (ВЫБРАТЬ ...), or the
// right side of В (1, 2, 3).
type TupleExpr struct {
	Lparen token.Pos
	List   []Expr
	Rparen token.Pos
}

// SubqueryExpr is a nested query used as a value list: X В (ВЫБРАТЬ ...).
type SubqueryExpr struct {
	Lparen token.Pos
	Query  *Query
	Rparen token.Pos
}

// UnaryExpr is НЕ X, -X or +X.
type UnaryExpr struct {
	OpPos token.Pos
	Op    token.Kind // token.MINUS, token.PLUS, or token.IDENT for НЕ
	Not   bool       // the operator is НЕ
	X     Expr
}

// BinaryExpr is X op Y for arithmetic, comparison, И and ИЛИ.
type BinaryExpr struct {
	X     Expr
	OpPos token.Pos
	Op    token.Kind    // an operator kind; token.IDENT when the operator is a keyword
	Kw    token.Keyword // token.And or token.Or when Op is token.IDENT
	Y     Expr
}

// InExpr is X [НЕ] В [ИЕРАРХИИ] (list or subquery).
type InExpr struct {
	X         Expr
	Not       bool
	Hierarchy bool
	List      Expr // *TupleExpr or *SubqueryExpr
}

// BetweenExpr is X [НЕ] МЕЖДУ Lo И Hi.
type BetweenExpr struct {
	X      Expr
	Not    bool
	Lo, Hi Expr
}

// LikeExpr is X [НЕ] ПОДОБНО Pattern [СПЕЦСИМВОЛ Escape].
type LikeExpr struct {
	X       Expr
	Not     bool
	Pattern Expr
	Escape  Expr // nil without СПЕЦСИМВОЛ
}

// IsNullExpr is X ЕСТЬ [НЕ] NULL.
type IsNullExpr struct {
	X      Expr
	Not    bool
	EndPos token.Pos
}

// RefsExpr is X ССЫЛКА Справочник.Контрагенты.
type RefsExpr struct {
	X     Expr
	Table *Path
}

// CaseExpr is ВЫБОР [Operand] КОГДА ... ТОГДА ... [ИНАЧЕ ...] КОНЕЦ.
type CaseExpr struct {
	CasePos token.Pos
	Operand Expr // nil for the searched form, the only one 1C documents
	Whens   []*When
	Else    Expr // nil without ИНАЧЕ
	EndPos  token.Pos
}

// When is one КОГДА Cond ТОГДА Result branch.
type When struct {
	Cond, Result Expr
}

// CallExpr is a function call: ЕСТЬNULL(А, Б), КОЛИЧЕСТВО(РАЗЛИЧНЫЕ Х),
// КОЛИЧЕСТВО(*), ПОДСТРОКА(...), ДАТАВРЕМЯ(...).
type CallExpr struct {
	Fun      *Ident
	Lparen   token.Pos
	Distinct bool
	Args     []Expr
	Rparen   token.Pos
}

// ValueExpr is ЗНАЧЕНИЕ(Справочник.Валюты.ПустаяСсылка) or
// ЗНАЧЕНИЕ(Перечисление.ВидыОплат.Наличные): a predefined value by name.
type ValueExpr struct {
	FunPos token.Pos
	Name   *Path
	Rparen token.Pos
}

// TypeRef names a type: Строка(10), Число(15, 2), Дата, Справочник.Контрагенты.
type TypeRef struct {
	Name   *Path
	Args   []*Literal // length, precision, scale where given
	Rparen token.Pos  // NoPos without parentheses
}

// TypeExpr is ТИП(Справочник.Контрагенты).
type TypeExpr struct {
	FunPos token.Pos
	Type   *TypeRef
	Rparen token.Pos
}

// CastExpr is ВЫРАЗИТЬ(X КАК Type).
type CastExpr struct {
	FunPos token.Pos
	X      Expr
	Type   *TypeRef
	Rparen token.Pos
}

// NestedFields selects fields of a tabular section into the result:
// Товары.(Номенклатура, Количество).
type NestedFields struct {
	Table  *Path
	Fields []*Field
	Rparen token.Pos
}

// FieldAccess reads fields through a value that is not a plain path: the
// result of ВЫРАЗИТЬ, as in ВЫРАЗИТЬ(Т.Регистратор КАК Документ.Реализация).Номер.
type FieldAccess struct {
	X      Expr
	Fields []*Ident
}

// ------------------------------------------------------------------- sources

// ParamSource is a table passed as a query parameter, as in
// ВЫБРАТЬ * ПОМЕСТИТЬ ВТ ИЗ &Товары КАК Т (a value table from the caller).
type ParamSource struct {
	Param *Param
	Alias *Ident
}

// TableSource is a table of the database (Справочник.Контрагенты, a tabular
// section Документ.Реализация.Товары, a virtual table with parameters
// РегистрСведений.Цены.СрезПоследних(&Дата, ...)) or a temporary table.
type TableSource struct {
	Name      *Path
	Params    []Expr // virtual table parameters; nil elements are skipped ones
	HasParams bool   // parentheses were written, even if empty
	Rparen    token.Pos
	Alias     *Ident // nil without КАК
}

// SubquerySource is (ВЫБРАТЬ ...) КАК Alias in a FROM list.
type SubquerySource struct {
	Lparen token.Pos
	Query  *Query
	Rparen token.Pos
	Alias  *Ident
}

// JoinKind is the kind of a join.
type JoinKind int

// Join kinds.
const (
	InnerJoin JoinKind = iota
	LeftJoin
	RightJoin
	FullJoin
)

// JoinSource is Left [ЛЕВОЕ|ПРАВОЕ|ПОЛНОЕ|ВНУТРЕННЕЕ] СОЕДИНЕНИЕ Right ПО On.
type JoinSource struct {
	Left    Source
	Kind    JoinKind
	KindPos token.Pos
	Outer   bool // ВНЕШНЕЕ was written
	Right   Source
	On      Expr
}

// ------------------------------------------------------------------- queries

// Field is an item of a SELECT list.
type Field struct {
	X     Expr
	Alias *Ident // nil without КАК
}

// OrderItem is an item of УПОРЯДОЧИТЬ ПО.
type OrderItem struct {
	X Expr
	// Hierarchy is УПОРЯДОЧИТЬ ПО Поле ИЕРАРХИЯ: a reference to a
	// hierarchical table ordered as its tree, each group before its items.
	Hierarchy bool
	Desc      bool
	Dir       bool // ВОЗР or УБЫВ was written
	EndPos    token.Pos
}

// Select is one ВЫБРАТЬ ... part of a query (a query is one or more of these
// joined by ОБЪЕДИНИТЬ).
type Select struct {
	SelectPos       token.Pos
	Allowed         bool
	Distinct        bool
	Top             *Literal // nil without ПЕРВЫЕ
	Fields          []*Field
	Into            *Ident   // ПОМЕСТИТЬ: the temporary table created
	From            []Source // nil without ИЗ
	Where           Expr
	GroupBy         []Expr
	Having          Expr
	ForUpdate       bool
	ForUpdateTables []*Path
	IndexBy         []Expr
	EndPos          token.Pos
}

// UnionPart is one further ОБЪЕДИНИТЬ [ВСЕ] ВЫБРАТЬ ... of a query.
type UnionPart struct {
	UnionPos token.Pos
	All      bool
	Select   *Select
}

// TotalsItem is one grouping of ИТОГИ ... ПО: ОБЩИЕ, or an expression with its hierarchy and periods.
type TotalsItem struct {
	Overall       bool
	OverallPos    token.Pos
	X             Expr
	Hierarchy     bool
	OnlyHierarchy bool
	Periods       []Expr // ПЕРИОДАМИ(ДЕНЬ, &Начало, &Конец)
	Alias         *Ident
	EndPos        token.Pos
}

// Totals is the ИТОГИ clause.
type Totals struct {
	TotalsPos token.Pos
	Fields    []*Field
	By        []*TotalsItem
}

// Query is a whole query: a SELECT with its unions, order, totals.
type Query struct {
	Select    *Select
	Unions    []*UnionPart
	OrderBy   []*OrderItem
	Autoorder bool
	Totals    *Totals
	EndPos    token.Pos
}

// DropStatement is УНИЧТОЖИТЬ ВременнаяТаблица in a batch.
type DropStatement struct {
	DropPos token.Pos
	Table   *Ident
}

// Batch is a package of queries separated by ';'. Each statement is a *Query
// or a *DropStatement.
type Batch struct {
	Statements []Node
}

// Restriction is a record-level restriction text:
// [Alias] [ИЗ sources] [ГДЕ condition].
type Restriction struct {
	Alias  *Path // ТекущаяТаблица, an alias, or the table's full name; nil when left out
	From   []Source
	Where  Expr
	EndPos token.Pos
}

package parser_test

import (
	"fmt"

	"dostup/sdbl/ast"
	"dostup/sdbl/parser"
)

// A restriction of seed 001 after its template was expanded: the tree tells
// which fields and session parameters it reads.
func ExampleParseRestrictionString() {
	r, err := parser.ParseRestrictionString("Контрагенты.Чтение", "ГДЕ Организация = &Организация ИЛИ ЭтоГруппа")
	if err != nil {
		fmt.Println(err)
		return
	}
	ast.Inspect(r.Where, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Path:
			fmt.Println("field", n)
		case *ast.Param:
			fmt.Println("session parameter", n.Name)
		}
		return true
	})
	// Output:
	// field Организация
	// session parameter Организация
	// field ЭтоГруппа
}

// Mistakes are reported all at once, each at its line and column.
func ExampleParseQueryString() {
	_, err := parser.ParseQueryString("запрос.txt", "ВЫБРАТЬ Т.Ссылка\nИЗ Справочник.Контрагенты КАК Т\nГДЕ Т.ИНН = И Т.Код = 1\nУПОРЯДОЧИТЬ Т.Код")
	fmt.Println(err)
	// Output:
	// запрос.txt:3:13: expected an expression, found keyword И (and 1 more errors)
}

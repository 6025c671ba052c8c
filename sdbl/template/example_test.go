package template_test

import (
	"fmt"

	"dostup/sdbl/source"
	"dostup/sdbl/template"
)

// A role's template with named parameters, called from a restriction. The
// expanded text keeps its #Если for the preprocessor, and each character
// knows where it was written.
func ExampleExpand() {
	tm, err := template.New("ДляОбъекта(ПолеОбъекта)", source.NewFile("Rights.xml", `#Если #ИмяТекущегоПраваДоступа = "Чтение" #Тогда
ГДЕ #ТекущаяТаблица.#ПолеОбъекта = &ТекущийПользователь
#КонецЕсли`))
	if err != nil {
		panic(err)
	}
	set, err := template.NewSet(tm)
	if err != nil {
		panic(err)
	}
	in := source.FromFile(source.NewFile("restriction", `#ДляОбъекта("Автор")`))
	out, err := template.Expand(in, set, template.Context{Table: "Справочник.Файлы", Right: "Чтение"})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.Body)
	fmt.Println(out.Locate(len(`#Если "Чтение" = "Чтение" #Тогда
ГДЕ Справочник.Файлы.`)))

	_, err = template.Expand(source.FromFile(source.NewFile("restriction", `#ДляОбьекта("Автор")`)), set, template.Context{})
	fmt.Println(err)
	// Output:
	// #Если "Чтение" = "Чтение" #Тогда
	// ГДЕ Справочник.Файлы.Автор = &ТекущийПользователь
	// #КонецЕсли
	// restriction:1:14
	// restriction:1:1: unknown template "ДляОбьекта" (the role has: ДляОбъекта)
}

package bsl_test

import (
	"fmt"

	"dostup/bsl"
)

// objectModule is an object module with standard 680's wrap, one method
// left outside it and one call of Выполнить without safe mode.
const objectModule = `#Если Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение Тогда
Процедура ПередЗаписью(Отказ)
	Выполнить(ТекстАлгоритма);
КонецПроцедуры
#Иначе
ВызватьИсключение НСтр("ru = 'Недопустимый вызов объекта на клиенте.'");
#КонецЕсли
Процедура Снаружи() Экспорт
КонецПроцедуры
`

func ExamplePreprocess() {
	text, findings := bsl.Preprocess(objectModule, bsl.ThinClient)
	fmt.Print(text)
	fmt.Println(len(findings), "findings")
	// Output:
	//
	//
	//
	//
	//
	// ВызватьИсключение НСтр("ru = 'Недопустимый вызов объекта на клиенте.'");
	//
	// Процедура Снаружи() Экспорт
	// КонецПроцедуры
	// 0 findings
}

func ExampleMethods() {
	m := &bsl.Module{Path: "Catalogs/Товары/Ext/ObjectModule.bsl", Kind: bsl.KindObject, Russian: true, Source: objectModule}
	for _, x := range bsl.Methods(m) {
		fmt.Println(x.Line, x.Name, x.Export, x.Contexts.Names(true))
	}
	// Output:
	// 2 ПередЗаписью false [ThickClientOrdinaryApplication Server ExternalConnection MobileAppServer MobileStandaloneServer]
	// 8 Снаружи true [ThinClient WebClient MobileClient ThickClientOrdinaryApplication ThickClientManagedApplication Server ExternalConnection MobileAppClient MobileAppServer MobileStandaloneServer]
}

func ExampleCheck() {
	m := &bsl.Module{Path: "Catalogs/Товары/Ext/ObjectModule.bsl", Kind: bsl.KindObject, Russian: true, Source: objectModule}
	for _, f := range bsl.Check([]*bsl.Module{m}) {
		fmt.Printf("%d:%d %s %s\n", f.Line, f.Col, f.Severity, f.Code)
	}
	// Output:
	// 3:2 error execute-without-safe-mode
	// 8:11 error std680-client-reachable
}

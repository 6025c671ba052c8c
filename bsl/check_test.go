package bsl_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"

	"dostup/bsl"
)

// The cases below state where a code is reported as "line:col" pairs
// (1-based, columns in characters). Sources are built with ckSrc, one
// argument a line, so that a line's number is its place in the list.
// Columns count a leading tab as one character.

// ckCase is one module run through bsl.Check with the modules of extra,
// and the places the table's code must be reported at in it, and nowhere
// else in it.
type ckCase struct {
	name   string
	kind   bsl.ModuleKind // bsl.KindObject when empty
	en     bool           // an English configuration: Module.Russian false
	common *bsl.CommonModuleFlags
	object string // Module.Object
	src    string
	extra  []*bsl.Module
	want   []string
	// msgHas, when set, is text every message of the code must hold.
	msgHas string
}

// ckSrc joins a module's lines.
func ckSrc(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// ckSeverity is the severity issue 14 gives each code.
var ckSeverity = map[string]bsl.Severity{
	bsl.CodeClientReachable:        bsl.SeverityError,
	bsl.CodeClientRaise:            bsl.SeverityWarning,
	bsl.CodePrivilegedMode:         bsl.SeverityWarning,
	bsl.CodePrivilegedUnbalanced:   bsl.SeverityError,
	bsl.CodeExecuteWithoutSafeMode: bsl.SeverityError,
	bsl.CodeSafeModeDisabled:       bsl.SeverityError,
	bsl.CodeExternalCode:           bsl.SeverityWarning,
	bsl.CodeUnknownSymbol:          bsl.SeverityError,
	bsl.CodeRegionUnbalanced:       bsl.SeverityError,
	bsl.CodeDirectiveMissing:       bsl.SeverityWarning,
	bsl.CodeDirectiveNeedless:      bsl.SeverityWarning,
	bsl.CodeUnavailableCall:        bsl.SeverityError,
}

// ckPositions are the "line:col" places of the findings of code in file.
func ckPositions(fs []bsl.Finding, file, code string) []string {
	out := []string{}
	for _, f := range fs {
		if f.File == file && f.Code == code {
			out = append(out, fmt.Sprintf("%d:%d", f.Line, f.Col))
		}
	}
	return out
}

// ckLanguage reports what is wrong with a message for a module of the
// language: a Russian one is mostly Cyrillic, an English one (whose
// sources here name everything in Latin letters) has no Cyrillic at all.
func ckLanguage(msg string, russian bool) string {
	cyr, lat := 0, 0
	for _, r := range msg {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.IsLetter(r) && r < unicode.MaxASCII:
			lat++
		}
	}
	switch {
	case russian && cyr <= lat:
		return "not Russian"
	case !russian && (cyr > 0 || lat == 0):
		return "not English"
	}
	return ""
}

// ckRun checks each case's module and compares the places of code.
func ckRun(t *testing.T, code string, cases []ckCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kind := tc.kind
			if kind == "" {
				kind = bsl.KindObject
			}
			m := &bsl.Module{Path: "Main.bsl", Kind: kind, Russian: !tc.en, Source: tc.src,
				Common: tc.common, Object: tc.object}
			mods := append([]*bsl.Module{m}, tc.extra...)
			fs := bsl.Check(mods)
			got := ckPositions(fs, m.Path, code)
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s at %q; want %q\nall findings:\n%s", code, got, want, ckDump(fs))
			}
			for _, f := range fs {
				if f.Code != code || f.File != m.Path {
					continue
				}
				if f.Severity != ckSeverity[code] {
					t.Errorf("%d:%d severity %q; want %q", f.Line, f.Col, f.Severity, ckSeverity[code])
				}
				if f.EndLine < f.Line || f.EndLine == f.Line && f.EndCol <= f.Col {
					t.Errorf("%d:%d ends at %d:%d", f.Line, f.Col, f.EndLine, f.EndCol)
				}
				if bad := ckLanguage(f.Message, m.Russian); bad != "" {
					t.Errorf("%d:%d message %s: %s", f.Line, f.Col, bad, f.Message)
				}
				if !strings.Contains(f.Message, tc.msgHas) {
					t.Errorf("%d:%d message %q does not say %q", f.Line, f.Col, f.Message, tc.msgHas)
				}
			}
		})
	}
}

func ckDump(fs []bsl.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s:%d:%d-%d %s %s\n", f.File, f.Line, f.Col, f.EndCol, f.Code, f.Message)
	}
	return b.String()
}

// The standard 680 wrap, in both languages.
const (
	ckWrapRU  = "#Если Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение Тогда"
	ckWrapEN  = "#If Server Or ThickClientOrdinaryApplication Or ExternalConnection Then"
	ckRaiseRU = `ВызватьИсключение НСтр("ru = 'Недопустимый вызов объекта на клиенте.'");`
	ckRaiseEN = `Raise NStr("en = 'Invalid object call on the client.'");`
)

func TestCheckClientReachable(t *testing.T) {
	ckRun(t, bsl.CodeClientReachable, []ckCase{
		{name: "ru unwrapped methods and variables", src: ckSrc(
			"Перем Кэш;",
			"Перем А Экспорт, Б;",
			"",
			"Процедура ПередЗаписью(Отказ)",
			"КонецПроцедуры",
			"",
			"Функция Сумма() Экспорт",
			"	Возврат 0;",
			"КонецФункции",
		), want: []string{"1:7", "2:7", "2:18", "4:11", "7:9"}, msgHas: "#Если Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение Тогда"},
		{name: "en unwrapped methods and variables", en: true, src: ckSrc(
			"Var Cache;",
			"Var A Export, B;",
			"",
			"Procedure BeforeWrite(Cancel)",
			"EndProcedure",
			"",
			"Function Total() Export",
			"	Return 0;",
			"EndFunction",
		), want: []string{"1:5", "2:5", "2:15", "4:11", "7:10"}, msgHas: "#If Server Or ThickClientOrdinaryApplication Or ExternalConnection Then"},
		{name: "ru wrapped", src: ckSrc(
			ckWrapRU,
			"Перем Кэш;",
			"Процедура ПередЗаписью(Отказ)",
			"КонецПроцедуры",
			"#Иначе",
			ckRaiseRU,
			"#КонецЕсли",
		)},
		{name: "en wrapped", en: true, src: ckSrc(
			ckWrapEN,
			"Var Cache;",
			"Procedure BeforeWrite(Cancel)",
			"EndProcedure",
			"#Else",
			ckRaiseEN,
			"#EndIf",
		)},
		{name: "ru wrapped in lower case, inside a region", src: ckSrc(
			"#Область ПрограммныйИнтерфейс",
			"#если сервер или толстыйклиентобычноеприложение или внешнеесоединение тогда",
			"Процедура А() Экспорт",
			"КонецПроцедуры",
			"#КонецЕсли",
			"#КонецОбласти",
		)},
		{name: "ru server only is not on the client", src: ckSrc(
			"#Если Сервер Тогда",
			"Процедура А()",
			"КонецПроцедуры",
			"#КонецЕсли",
		)},
		{name: "ru ordinary thick client only", src: ckSrc(
			"#Если ТолстыйКлиентОбычноеПриложение Тогда",
			"Процедура А()",
			"КонецПроцедуры",
			"#КонецЕсли",
		)},
		{name: "ru client branch", src: ckSrc(
			"#Если Клиент Тогда",
			"Процедура НаКлиенте()",
			"КонецПроцедуры",
			"#КонецЕсли",
		), want: []string{"2:11"}},
		{name: "ru not web client still reaches the thin client", src: ckSrc(
			"#Если НЕ ВебКлиент Тогда",
			"Процедура А()",
			"КонецПроцедуры",
			"#КонецЕсли",
		), want: []string{"2:11"}},
		{name: "en the method after the wrap", en: true, src: ckSrc(
			ckWrapEN,
			"Procedure Inside()",
			"EndProcedure",
			"#EndIf",
			"Procedure Outside()",
			"EndProcedure",
		), want: []string{"5:11"}},
		{name: "ru the else branch of the wrap", src: ckSrc(
			ckWrapRU,
			"Процедура А()",
			"КонецПроцедуры",
			"#Иначе",
			"Процедура Б()",
			"КонецПроцедуры",
			"#КонецЕсли",
		), want: []string{"5:11"}},
		{name: "ru a directive does not move an object module's method", src: ckSrc(
			"&НаСервере",
			"Процедура А()",
			"КонецПроцедуры",
		), want: []string{"2:11"}},
		{name: "ru record set", kind: bsl.KindRecordSet, src: ckSrc(
			"Процедура ПередЗаписью(Отказ, Замещение)",
			"КонецПроцедуры",
		), want: []string{"1:11"}},
		{name: "en value manager", kind: bsl.KindValueManager, en: true, src: ckSrc(
			"Procedure OnWrite(Cancel)",
			"EndProcedure",
		), want: []string{"1:11"}},
		{name: "ru manager: presentation handlers exempt", kind: bsl.KindManager, src: ckSrc(
			"Процедура ОбработкаПолученияПредставления(Данные, Представление, СтандартнаяОбработка)",
			"КонецПроцедуры",
			"Процедура ОбработкаПолученияПолейПредставления(Поля, СтандартнаяОбработка)",
			"КонецПроцедуры",
			"Функция ПолучитьДанные() Экспорт",
			"КонецФункции",
		), want: []string{"5:9"}},
		{name: "en manager: presentation handlers exempt", kind: bsl.KindManager, en: true, src: ckSrc(
			"Procedure PresentationGetProcessing(Data, Presentation, StandardProcessing)",
			"EndProcedure",
			"Procedure PresentationFieldsGetProcessing(Fields, StandardProcessing)",
			"EndProcedure",
			"Function GetData() Export",
			"EndFunction",
		), want: []string{"5:10"}},
		{name: "ru manager: handler name in another case", kind: bsl.KindManager, src: ckSrc(
			"Процедура обработкаполученияпредставления(Данные, Представление, СтандартнаяОбработка)",
			"КонецПроцедуры",
		)},
		{name: "ru object module: presentation handler not exempt", src: ckSrc(
			"Процедура ОбработкаПолученияПредставления(Данные, Представление, СтандартнаяОбработка)",
			"КонецПроцедуры",
		), want: []string{"1:11"}},
		{name: "ru manager: extension interceptors", kind: bsl.KindManager, src: ckSrc(
			"&Перед(\"ОбработкаПолученияПредставления\")",
			"Процедура Расш1_ОбработкаПолученияПредставления(Данные, Представление, СтандартнаяОбработка)",
			"КонецПроцедуры",
			"&ИзменениеИКонтроль(\"ОбработкаПолученияПолейПредставления\")",
			"Процедура Расш1_ОбработкаПолученияПолейПредставления(Поля, СтандартнаяОбработка)",
			"КонецПроцедуры",
			"&Вместо(\"ПолучитьДанные\")",
			"Функция Расш1_ПолучитьДанные()",
			"КонецФункции",
			"&Аннотация(\"ОбработкаПолученияПредставления\")",
			"Процедура Другая()",
			"КонецПроцедуры",
		), want: []string{"8:9", "11:11"}},
		{name: "en manager: extension interceptors", kind: bsl.KindManager, en: true, src: ckSrc(
			"&After(\"PresentationGetProcessing\")",
			"Procedure Ext1_PresentationGetProcessing(Data, Presentation, StandardProcessing)",
			"EndProcedure",
			"&Around(\"PresentationFieldsGetProcessing\")",
			"Procedure Ext1_PresentationFieldsGetProcessing(Fields, StandardProcessing)",
			"EndProcedure",
			"&Before(\"BeforeWrite\")",
			"Procedure Ext1_BeforeWrite(Cancel)",
			"EndProcedure",
		), want: []string{"8:11"}},
		{name: "ru object module: interceptor of a presentation handler not exempt", src: ckSrc(
			"&Перед(\"ОбработкаПолученияПредставления\")",
			"Процедура Расш1_ОбработкаПолученияПредставления(Данные, Представление, СтандартнаяОбработка)",
			"КонецПроцедуры",
		), want: []string{"2:11"}},
		{name: "ru suppressed range", src: ckSrc(
			"// АПК:361-выкл объект используется на клиенте",
			"Перем Скрытая;",
			"Процедура Скрытая1()",
			"КонецПроцедуры",
			"// АПК:361-вкл",
			"Процедура Видимая()",
			"КонецПроцедуры",
		), want: []string{"6:11"}},
		{name: "ru suppression open to the end of the module", src: ckSrc(
			"Процедура Видимая()",
			"КонецПроцедуры",
			"// АПК:361-выкл",
			"Процедура Скрытая()",
			"КонецПроцедуры",
			"Функция ТожеСкрытая()",
			"КонецФункции",
		), want: []string{"1:11"}},
		{name: "ru two suppressed ranges", src: ckSrc(
			"//АПК:361-выкл",
			"Процедура А()",
			"КонецПроцедуры",
			"//АПК:361-вкл",
			"Процедура Б()",
			"КонецПроцедуры",
			"//АПК:361-выкл",
			"Процедура В()",
			"КонецПроцедуры",
			"//АПК:361-вкл",
			"Процедура Г()",
			"КонецПроцедуры",
		), want: []string{"5:11", "11:11"}},
		{name: "ru other rule's suppression does not count", src: ckSrc(
			"// АПК:581-выкл",
			"Процедура А()",
			"КонецПроцедуры",
		), want: []string{"2:11"}},
		{name: "en suppressed range", en: true, src: ckSrc(
			"// ACC:361-off",
			"Procedure Hidden()",
			"EndProcedure",
			"// ACC:361-on",
			"Procedure Shown()",
			"EndProcedure",
		), want: []string{"5:11"}},
		{name: "ru common module does not apply", kind: bsl.KindCommon, object: "ОбщийМодуль.Общий",
			common: &bsl.CommonModuleFlags{Server: true, ClientManagedApplication: true}, src: ckSrc(
				"Процедура А() Экспорт",
				"КонецПроцедуры",
			)},
		{name: "ru managed form does not apply", kind: bsl.KindManagedForm, src: ckSrc(
			"&НаКлиенте",
			"Перем А;",
			"&НаКлиенте",
			"Процедура ПриОткрытии(Отказ)",
			"КонецПроцедуры",
		)},
	})
}

func TestCheckClientRaise(t *testing.T) {
	ckRun(t, bsl.CodeClientRaise, []ckCase{
		{name: "ru unwrapped object module", src: ckSrc(
			"// Модуль объекта",
			"",
			"Процедура ПередЗаписью(Отказ)",
			"КонецПроцедуры",
		), want: []string{"3:1"}},
		{name: "en unwrapped object module", en: true, src: ckSrc(
			"	Procedure BeforeWrite(Cancel)",
			"	EndProcedure",
		), want: []string{"1:2"}},
		{name: "ru wrapped with the raise", src: ckSrc(
			ckWrapRU,
			"Процедура ПередЗаписью(Отказ)",
			"КонецПроцедуры",
			"#Иначе",
			ckRaiseRU,
			"#КонецЕсли",
		)},
		{name: "en wrapped with the raise", en: true, src: ckSrc(
			ckWrapEN,
			"Procedure BeforeWrite(Cancel)",
			"EndProcedure",
			"#Else",
			ckRaiseEN,
			"#EndIf",
		)},
		{name: "ru wrapped without the raise", src: ckSrc(
			"// Модуль объекта",
			ckWrapRU,
			"",
			"Процедура ПередЗаписью(Отказ)",
			"КонецПроцедуры",
			"",
			"#КонецЕсли",
		), want: []string{"4:1"}, msgHas: "ВызватьИсключение"},
		{name: "en wrapped without the raise", kind: bsl.KindRecordSet, en: true, src: ckSrc(
			ckWrapEN,
			"Procedure BeforeWrite(Cancel, Replacing)",
			"EndProcedure",
			"#EndIf",
		), want: []string{"2:1"}},
		{name: "ru a variable before the wrap", src: ckSrc(
			"Перем Кэш;",
			ckWrapRU,
			"Процедура ПередЗаписью(Отказ)",
			"КонецПроцедуры",
			"#Иначе",
			ckRaiseRU,
			"#КонецЕсли",
		), want: []string{"1:1"}},
		{name: "ru the else branch runs code before raising", src: ckSrc(
			ckWrapRU,
			"Процедура ПередЗаписью(Отказ)",
			"КонецПроцедуры",
			"#Иначе",
			"Сообщить(1);",
			ckRaiseRU,
			"#КонецЕсли",
		), want: []string{"5:1"}},
		{name: "ru record set unwrapped", kind: bsl.KindRecordSet, src: ckSrc(
			"Процедура ПередЗаписью(Отказ, Замещение)",
			"КонецПроцедуры",
		), want: []string{"1:1"}},
		{name: "en value manager unwrapped", kind: bsl.KindValueManager, en: true, src: ckSrc(
			"Var Cache;",
		), want: []string{"1:1"}},
		{name: "ru manager unwrapped is exempt", kind: bsl.KindManager, src: ckSrc(
			"Процедура ОбработкаПолученияПредставления(Данные, Представление, СтандартнаяОбработка)",
			"КонецПроцедуры",
		)},
		{name: "en manager wrapped without the raise is exempt", kind: bsl.KindManager, en: true, src: ckSrc(
			ckWrapEN,
			"Function GetData() Export",
			"EndFunction",
			"#EndIf",
		)},
		{name: "ru module of comments only", src: ckSrc(
			"// Модуль объекта",
			"#Область Пусто",
			"#КонецОбласти",
		)},
		{name: "ru empty module", src: ""},
		{name: "ru common module does not apply", kind: bsl.KindCommon, object: "ОбщийМодуль.Общий",
			common: &bsl.CommonModuleFlags{ClientManagedApplication: true}, src: ckSrc(
				"Процедура А() Экспорт",
				"КонецПроцедуры",
			)},
	})
}

func TestCheckPrivilegedMode(t *testing.T) {
	ckRun(t, bsl.CodePrivilegedMode, []ckCase{
		{name: "ru", src: ckSrc(
			"Процедура А(Флаг)",
			"	УстановитьПривилегированныйРежим(Истина);",
			"	УстановитьПривилегированныйРежим(Ложь);",
			"	УстановитьПривилегированныйРежим(Флаг);",
			"	установитьпривилегированныйрежим(истина);",
			"	Объект.УстановитьПривилегированныйРежим(Истина);",
			"	// УстановитьПривилегированныйРежим(Истина);",
			"	Текст = \"УстановитьПривилегированныйРежим(Истина)\";",
			"	УстановитьПривилегированныйРежим(НЕ Ложь);",
			"КонецПроцедуры",
		), want: []string{"2:2", "4:2", "5:2", "9:2"}},
		{name: "en", en: true, src: ckSrc(
			"Procedure A(Flag)",
			"	SetPrivilegedMode(True);",
			"	SetPrivilegedMode(False);",
			"	SetPrivilegedMode(Flag);",
			"	Object.SetPrivilegedMode(True);",
			"EndProcedure",
		), want: []string{"2:2", "4:2"}},
		{name: "ru module body and common module", kind: bsl.KindCommon, object: "ОбщийМодуль.Сервер",
			common: &bsl.CommonModuleFlags{Server: true}, src: ckSrc(
				"Процедура А() Экспорт",
				"	Если Истина Тогда УстановитьПривилегированныйРежим(Истина); КонецЕсли;",
				"КонецПроцедуры",
				"УстановитьПривилегированныйРежим(Истина);",
			), want: []string{"2:20", "4:1"}},
		{name: "ru code compiled nowhere", src: ckSrc(
			"Процедура А()",
			"	#Если Клиент И Сервер Тогда",
			"	УстановитьПривилегированныйРежим(Истина);",
			"	#КонецЕсли",
			"КонецПроцедуры",
		)},
		{name: "en only off", en: true, src: ckSrc(
			"Procedure A()",
			"	SetPrivilegedMode(False);",
			"EndProcedure",
		)},
	})
}

func TestCheckPrivilegedModeUnbalanced(t *testing.T) {
	ckRun(t, bsl.CodePrivilegedUnbalanced, []ckCase{
		{name: "ru", src: ckSrc(
			"Процедура ТолькоВключает()",
			"	УстановитьПривилегированныйРежим(Истина);",
			"КонецПроцедуры",
			"",
			"Процедура Сбалансирована()",
			"	УстановитьПривилегированныйРежим(Истина);",
			"	Действие();",
			"	УстановитьПривилегированныйРежим(Ложь);",
			"КонецПроцедуры",
			"",
			"Функция ДваждыВключает()",
			"	УстановитьПривилегированныйРежим(Истина);",
			"	УстановитьПривилегированныйРежим(Истина);",
			"	УстановитьПривилегированныйРежим(Ложь);",
			"КонецФункции",
			"",
			"Процедура ТолькоВыключает()",
			"	УстановитьПривилегированныйРежим(Ложь);",
			"КонецПроцедуры",
			"",
			"Процедура СИсключением()",
			"	УстановитьПривилегированныйРежим(Истина);",
			"	Попытка",
			"		Действие();",
			"	Исключение",
			"		УстановитьПривилегированныйРежим(Ложь);",
			"		ВызватьИсключение;",
			"	КонецПопытки;",
			"	УстановитьПривилегированныйРежим(Ложь);",
			"КонецПроцедуры",
			"",
			"Процедура ВключаетПеременной(Флаг)",
			"	УстановитьПривилегированныйРежим(Флаг);",
			"КонецПроцедуры",
			"",
			"Процедура Действие()",
			"КонецПроцедуры",
			"",
			"УстановитьПривилегированныйРежим(Истина);",
		), want: []string{"1:11", "11:9", "32:11"}},
		{name: "en", en: true, src: ckSrc(
			"Procedure OnlyOn()",
			"	SetPrivilegedMode(True);",
			"EndProcedure",
			"",
			"Procedure Balanced()",
			"	SetPrivilegedMode(True);",
			"	SetPrivilegedMode(False);",
			"EndProcedure",
			"",
			"Function OnTwice()",
			"	SetPrivilegedMode(True);",
			"	SetPrivilegedMode(True);",
			"	SetPrivilegedMode(False);",
			"EndFunction",
		), want: []string{"1:11", "10:10"}},
		{name: "ru member call does not count", src: ckSrc(
			"Процедура А()",
			"	Объект.УстановитьПривилегированныйРежим(Истина);",
			"КонецПроцедуры",
		)},
	})
}

func TestCheckExecuteWithoutSafeMode(t *testing.T) {
	ckRun(t, bsl.CodeExecuteWithoutSafeMode, []ckCase{
		{name: "ru object module", src: ckSrc(
			"Процедура А(Текст, Запрос)",
			"	Выполнить(Текст);",
			"	Выполнить Текст;",
			"	Значение = Вычислить(Текст);",
			"	Запрос.Выполнить();",
			"	Результат = Запрос.Выполнить().Выбрать();",
			"	// Выполнить(Текст);",
			"	Строка = \"Выполнить(Текст)\";",
			"	Объект.Вычислить(Текст);",
			"КонецПроцедуры",
		), want: []string{"2:2", "3:2", "4:13"}},
		{name: "en object module", en: true, src: ckSrc(
			"Procedure A(Text, Query)",
			"	Execute(Text);",
			"	Execute Text;",
			"	Value = Eval(Text);",
			"	Query.Execute();",
			"	Selection = Query.Execute().Select();",
			"EndProcedure",
		), want: []string{"2:2", "3:2", "4:10"}},
		{name: "ru safe mode earlier in the same method", src: ckSrc(
			"Процедура Безопасно(Текст)",
			"	УстановитьБезопасныйРежим(Истина);",
			"	Выполнить(Текст);",
			"	Значение = Вычислить(Текст);",
			"КонецПроцедуры",
			"",
			"Процедура Позже(Текст)",
			"	Выполнить(Текст);",
			"	УстановитьБезопасныйРежим(Истина);",
			"	Выполнить(Текст);",
			"КонецПроцедуры",
			"",
			"Процедура Другая(Текст)",
			"	Выполнить(Текст);",
			"КонецПроцедуры",
		), want: []string{"8:2", "14:2"}},
		{name: "en safe mode in another method", en: true, src: ckSrc(
			"Procedure Prepare()",
			"	SetSafeMode(True);",
			"EndProcedure",
			"",
			"Procedure Run(Text)",
			"	Prepare();",
			"	Execute(Text);",
			"EndProcedure",
		), want: []string{"7:2"}},
		{name: "ru safe mode off does not protect", src: ckSrc(
			"Процедура А(Текст)",
			"	УстановитьБезопасныйРежим(Ложь);",
			"	Выполнить(Текст);",
			"КонецПроцедуры",
		), want: []string{"3:2"}},
		{name: "ru preprocessor: client only, external connection", src: ckSrc(
			"Процедура А(Текст)",
			"	#Если Клиент Тогда",
			"	Выполнить(Текст);",
			"	#КонецЕсли",
			"	#Если ТонкийКлиент Или ВебКлиент Тогда",
			"	Выполнить(Текст);",
			"	#КонецЕсли",
			"	#Если ВнешнееСоединение Тогда",
			"	Выполнить(Текст);",
			"	#КонецЕсли",
			"	#Если Сервер Тогда",
			"	Выполнить(Текст);",
			"	#КонецЕсли",
			"КонецПроцедуры",
		), want: []string{"9:2", "12:2"}},
		{name: "ru managed form by directive", kind: bsl.KindManagedForm, src: ckSrc(
			"&НаКлиенте",
			"Процедура НаКлиенте(Текст)",
			"	Выполнить(Текст);",
			"КонецПроцедуры",
			"",
			"&НаСервере",
			"Процедура НаСервере(Текст)",
			"	Выполнить(Текст);",
			"КонецПроцедуры",
			"",
			"Процедура БезДирективы(Текст)",
			"	Выполнить(Текст);",
			"КонецПроцедуры",
			"",
			"&НаСервереБезКонтекста",
			"Функция БезКонтекста(Текст)",
			"	Возврат Вычислить(Текст);",
			"КонецФункции",
			"",
			"&НаКлиентеНаСервереБезКонтекста",
			"Процедура Везде(Текст)",
			"	Выполнить(Текст);",
			"	#Если Клиент Тогда",
			"	Выполнить(Текст);",
			"	#КонецЕсли",
			"КонецПроцедуры",
		), want: []string{"8:2", "12:2", "17:10", "22:2"}},
		{name: "en command by directive", kind: bsl.KindCommand, en: true, src: ckSrc(
			"&AtClient",
			"Procedure CommandProcessing(CommandParameter, CommandExecuteParameters)",
			"	Execute(CommandParameter);",
			"EndProcedure",
			"",
			"Procedure NoDirective(Text)",
			"	Execute(Text);",
			"EndProcedure",
		), want: []string{"7:2"}},
		{name: "ru client common module", kind: bsl.KindCommon, object: "ОбщийМодуль.Клиент",
			common: &bsl.CommonModuleFlags{ClientManagedApplication: true, ClientOrdinaryApplication: true}, src: ckSrc(
				"Процедура А(Текст) Экспорт",
				"	Выполнить(Текст);",
				"КонецПроцедуры",
			)},
		{name: "en server common module", kind: bsl.KindCommon, en: true, object: "CommonModule.Server",
			common: &bsl.CommonModuleFlags{Server: true}, src: ckSrc(
				"Procedure A(Text) Export",
				"	Execute(Text);",
				"EndProcedure",
			), want: []string{"2:2"}},
		{name: "ru managed application module", kind: bsl.KindManagedApplication, src: ckSrc(
			"Процедура ПередНачаломРаботыСистемы(Отказ)",
			"	Выполнить(\"А = 1\");",
			"КонецПроцедуры",
		)},
		{name: "ru ordinary form", kind: bsl.KindOrdinaryForm, src: ckSrc(
			"Процедура Кнопка(Элемент)",
			"	Выполнить(\"А = 1\");",
			"КонецПроцедуры",
		)},
		{name: "ru session module", kind: bsl.KindSession, src: ckSrc(
			"Процедура УстановкаПараметровСеанса(ИменаПараметров)",
			"	Выполнить(\"А = 1\");",
			"КонецПроцедуры",
		), want: []string{"2:2"}},
		{name: "ru a module method named Вычислить", src: ckSrc(
			"Функция Вычислить(Х)",
			"	Возврат Х;",
			"КонецФункции",
			"Процедура А()",
			"	Б = Вычислить(1);",
			"КонецПроцедуры",
		)},
	})
}

func TestCheckSafeModeDisabled(t *testing.T) {
	ckRun(t, bsl.CodeSafeModeDisabled, []ckCase{
		{name: "ru", src: ckSrc(
			"Процедура А(Режим)",
			"	УстановитьБезопасныйРежим(Истина);",
			"	УстановитьБезопасныйРежим(Ложь);",
			"	УстановитьБезопасныйРежим(Режим);",
			"	УстановитьОтключениеБезопасногоРежима(Ложь);",
			"	УстановитьОтключениеБезопасногоРежима(Истина);",
			"	УстановитьОтключениеБезопасногоРежима(Режим);",
			"	Объект.УстановитьБезопасныйРежим(Ложь);",
			"	// УстановитьБезопасныйРежим(Ложь);",
			"КонецПроцедуры",
		), want: []string{"3:2", "4:2", "6:2", "7:2"}},
		{name: "en", en: true, src: ckSrc(
			"Procedure A(Mode)",
			"	SetSafeMode(True);",
			"	SetSafeMode(False);",
			"	SetSafeModeDisabled(False);",
			"	SetSafeModeDisabled(True);",
			"	x = 1; SetSafeMode(Mode);",
			"EndProcedure",
		), want: []string{"3:2", "5:2", "6:9"}},
		{name: "ru managed form client method", kind: bsl.KindManagedForm, src: ckSrc(
			"&НаКлиенте",
			"Процедура А()",
			"	УстановитьБезопасныйРежим(Ложь);",
			"КонецПроцедуры",
		), want: []string{"3:2"}},
	})
}

func TestCheckExternalCode(t *testing.T) {
	ckRun(t, bsl.CodeExternalCode, []ckCase{
		{name: "ru", src: ckSrc(
			"Процедура А(Адрес, Имя)",
			"	Обработка = ВнешниеОбработки.Создать(Адрес);",
			"	Имя = ВнешниеОбработки.Подключить(Адрес);",
			"	Имя = ВнешниеОтчеты.Подключить(Адрес);",
			"	Отчет = ВнешниеОтчеты.Создать(Имя);",
			"	Расширение = РасширенияКонфигурации.Создать();",
			"	Элемент = Справочники.ВнешниеОбработки.Подключить();",
			"	Список = РасширенияКонфигурации.Получить();",
			"	Форма = ВнешниеОбработки.ПолучитьФорму(Имя);",
			"	Обработка = внешниеобработки.создать(Адрес);",
			"	// ВнешниеОбработки.Создать(Адрес);",
			"КонецПроцедуры",
		), want: []string{"2:14", "3:8", "4:8", "5:10", "6:15", "10:14"}},
		{name: "en", en: true, src: ckSrc(
			"Procedure A(Address, Name)",
			"	DataProcessor = ExternalDataProcessors.Create(Address);",
			"	Name = ExternalReports.Connect(Address);",
			"	Extension = ConfigurationExtensions.Create();",
			"	Item = Catalogs.ExternalDataProcessors.Connect();",
			"	List = ConfigurationExtensions.Get();",
			"	Report = ExternalReports.Create(Name);",
			"EndProcedure",
		), want: []string{"2:18", "3:9", "4:14", "7:11"}},
		{name: "ru client common module too", kind: bsl.KindCommon, object: "ОбщийМодуль.Клиент",
			common: &bsl.CommonModuleFlags{ClientManagedApplication: true}, src: ckSrc(
				"Процедура А(Адрес) Экспорт",
				"	ВнешниеОбработки.Подключить(Адрес);",
				"КонецПроцедуры",
			), want: []string{"2:2"}},
		{name: "en chained call, and a variable with the manager's name", en: true, src: ckSrc(
			"Procedure A()",
			"	ExternalReports.Connect(\"Path\", True).Create(\"Name\");",
			"EndProcedure",
			"Procedure B()",
			"	ExternalDataProcessors = New Structure;",
			"	ExternalDataProcessors.Create(\"Name\");",
			"EndProcedure",
		), want: []string{"2:2"}},
	})
}

// TestCheckFindingSpansCall: a finding about a call spans the call's text,
// from the qualifier to the closing parenthesis, over lines.
func TestCheckFindingSpansCall(t *testing.T) {
	src := ckSrc(
		"Процедура А()",
		"	Имя = ВнешниеОбработки.Подключить(Адрес,",
		"		Ложь);",
		"КонецПроцедуры",
	)
	fs := bsl.CheckModule(&bsl.Module{Path: "m.bsl", Kind: bsl.KindObject, Russian: true, Source: src})
	var got []string
	for _, f := range fs {
		if f.Code == bsl.CodeExternalCode {
			got = append(got, fmt.Sprintf("%d:%d-%d:%d", f.Line, f.Col, f.EndLine, f.EndCol))
		}
	}
	if !slices.Equal(got, []string{"2:8-3:8"}) {
		t.Errorf("external-code spans %v; want 2:8-3:8\n%s", got, ckDump(fs))
	}
}

func TestCheckUnknownPreprocessorSymbol(t *testing.T) {
	ckRun(t, bsl.CodeUnknownSymbol, []ckCase{
		{name: "ru", src: ckSrc(
			"#Если Сервак Тогда",
			"#КонецЕсли",
			"#Если Сервер Или НеизвестныйКлиент Тогда",
			"#КонецЕсли",
			"#Если сервер или ВНЕШНЕЕСОЕДИНЕНИЕ Тогда",
			"#КонецЕсли",
			"#Если НаКлиенте И НЕ (ВебКлиент Или МобильныйКлиент) Тогда",
			"#ИначеЕсли Клиентт Тогда",
			"#КонецЕсли",
			"#Если НаСервере Или ТолстыйКлиентУправляемоеПриложение Или МобильноеПриложениеКлиент Тогда",
			"#ИначеЕсли МобильноеПриложениеСервер Или МобильныйАвтономныйСервер Или МобильныйКлиент Тогда",
			"#КонецЕсли",
			"#Если Сервер Тогда // комментарий: Сервак",
			"#КонецЕсли",
		), want: []string{"1:7", "3:18", "8:12"}},
		{name: "en", en: true, src: ckSrc(
			"#If Servr Then",
			"#EndIf",
			"#If Server Or ExternalConnection Then",
			"#ElsIf AtClient And Not WebClnt Then",
			"#EndIf",
			"#If ThinClient Or WebClient Or MobileClient Or ThickClientOrdinaryApplication Or ThickClientManagedApplication Then",
			"#EndIf",
			"#If AtServer Or MobileAppServer Or MobileStandaloneServer Or MobileAppClient Or Client Then",
			"#EndIf",
		), want: []string{"1:5", "4:25"}},
	})
}

func TestCheckRegionUnbalanced(t *testing.T) {
	ckRun(t, bsl.CodeRegionUnbalanced, []ckCase{
		{name: "ru balanced", src: ckSrc(
			"#Область Внешняя",
			"#Область Внутренняя",
			"#Если Сервер Тогда",
			"#Иначе",
			"#КонецЕсли",
			"#КонецОбласти",
			"#КонецОбласти",
		)},
		{name: "ru region not closed", src: ckSrc(
			"#Область Открытая",
			"#Область Закрытая",
			"#КонецОбласти",
		), want: []string{"1:1"}},
		{name: "ru end without region", src: ckSrc(
			"#Область А",
			"#КонецОбласти",
			"  #КонецОбласти",
		), want: []string{"3:3"}},
		{name: "ru if not closed and endif without if", src: ckSrc(
			"#КонецЕсли",
			"#Иначе",
			"#Если Сервер Тогда",
			"Процедура А()",
			"КонецПроцедуры",
		), want: []string{"1:1", "2:1", "3:1"}},
		{name: "en", en: true, src: ckSrc(
			"#Region Open",
			"#If Server Then",
			"#EndIf",
			"#EndIf",
			"#Region Closed",
			"#EndRegion",
		), want: []string{"1:1", "4:1"}},
		{name: "en balanced", en: true, src: ckSrc(
			"#Region Public",
			"#If Server Then",
			"#ElsIf Client Then",
			"#Else",
			"#EndIf",
			"#EndRegion",
		)},
		{name: "ru extension markers", src: ckSrc(
			"#Вставка",
			"А = 1;",
			"#КонецВставки",
			"#Удаление",
			"Б = 2;",
			"#КонецУдаления",
			"#КонецВставки",
		), want: []string{"7:1"}},
	})
}

func TestCheckDirectiveMissing(t *testing.T) {
	ckRun(t, bsl.CodeDirectiveMissing, []ckCase{
		{name: "ru managed form", kind: bsl.KindManagedForm, src: ckSrc(
			"&НаКлиенте",
			"Перем А;",
			"",
			"&НаКлиенте",
			"Процедура ПриОткрытии(Отказ)",
			"КонецПроцедуры",
			"",
			"Процедура Заполнить()",
			"КонецПроцедуры",
			"",
			"&НаСервереБезКонтекста",
			"Функция Получить()",
			"КонецФункции",
			"",
			"&Перед(\"ПриСозданииНаСервере\")",
			"Процедура Расш1_ПриСозданииНаСервере(Отказ, СтандартнаяОбработка)",
			"КонецПроцедуры",
			"",
			"&НаСервере",
			"&После(\"ПриЗаписиНаСервере\")",
			"Процедура Расш1_ПриЗаписиНаСервере(Отказ)",
			"КонецПроцедуры",
			"",
			"Функция ТожеБезДирективы()",
			"КонецФункции",
		), want: []string{"8:11", "16:11", "24:9"}},
		{name: "en command", kind: bsl.KindCommand, en: true, src: ckSrc(
			"&AtClient",
			"Procedure CommandProcessing(CommandParameter, CommandExecuteParameters)",
			"EndProcedure",
			"",
			"Procedure Helper()",
			"EndProcedure",
			"",
			"&AtServerNoContext",
			"Function Data()",
			"EndFunction",
		), want: []string{"5:11"}},
		{name: "en managed form all directives", kind: bsl.KindManagedForm, en: true, src: ckSrc(
			"&AtClient",
			"Procedure A()",
			"EndProcedure",
			"&AtServer",
			"Procedure B()",
			"EndProcedure",
			"&AtClientAtServerNoContext",
			"Procedure C()",
			"EndProcedure",
			"&AtClientAtServer",
			"Procedure D()",
			"EndProcedure",
		)},
		{name: "ru object module does not apply", src: ckSrc(
			"Процедура А()",
			"КонецПроцедуры",
		)},
		{name: "ru ordinary form does not apply", kind: bsl.KindOrdinaryForm, src: ckSrc(
			"Процедура А()",
			"КонецПроцедуры",
		)},
	})
}

func TestCheckDirectiveNeedless(t *testing.T) {
	ckRun(t, bsl.CodeDirectiveNeedless, []ckCase{
		{name: "ru object module", src: ckSrc(
			"&НаКлиенте",
			"Перем Б;",
			"&НаСервере",
			"Процедура А()",
			"КонецПроцедуры",
			"Процедура В()",
			"КонецПроцедуры",
			"&Перед(\"ПередЗаписью\")",
			"Процедура Расш1_ПередЗаписью(Отказ)",
			"КонецПроцедуры",
			"  &НаСервереБезКонтекста",
			"Функция Г()",
			"КонецФункции",
		), want: []string{"1:1", "3:1", "11:3"}},
		{name: "en common module", kind: bsl.KindCommon, en: true, object: "CommonModule.Server",
			common: &bsl.CommonModuleFlags{Server: true}, src: ckSrc(
				"&AtServer",
				"Procedure A() Export",
				"EndProcedure",
				"Procedure B() Export",
				"EndProcedure",
			), want: []string{"1:1"}},
		{name: "ru manager module, ordinary form, session", kind: bsl.KindOrdinaryForm, src: ckSrc(
			"&НаКлиенте",
			"Процедура А()",
			"КонецПроцедуры",
		), want: []string{"1:1"}},
		{name: "ru managed form does not apply", kind: bsl.KindManagedForm, src: ckSrc(
			"&НаКлиенте",
			"Процедура А()",
			"КонецПроцедуры",
			"&НаСервере",
			"Процедура Б()",
			"КонецПроцедуры",
		)},
		{name: "en command does not apply", kind: bsl.KindCommand, en: true, src: ckSrc(
			"&AtClient",
			"Procedure CommandProcessing(CommandParameter, CommandExecuteParameters)",
			"EndProcedure",
		)},
	})
}

// ckCommon is a common module for the calls' cases.
func ckCommon(object string, en bool, flags bsl.CommonModuleFlags, lines ...string) *bsl.Module {
	name := object[strings.LastIndexByte(object, '.')+1:]
	return &bsl.Module{Path: "CommonModules/" + name + "/Ext/Module.bsl", Kind: bsl.KindCommon,
		Object: object, Common: &flags, Russian: !en, Source: ckSrc(lines...)}
}

func TestCheckUnavailableCall(t *testing.T) {
	commonRU := []*bsl.Module{
		ckCommon("ОбщийМодуль.РаботаССервером", false, bsl.CommonModuleFlags{Server: true},
			"Функция Получить() Экспорт",
			"КонецФункции",
			"Процедура Внутренняя()",
			"КонецПроцедуры",
		),
		ckCommon("ОбщийМодуль.РаботаССерверомВызовСервера", false, bsl.CommonModuleFlags{Server: true, ServerCall: true},
			"Функция Получить() Экспорт",
			"КонецФункции",
		),
		ckCommon("ОбщийМодуль.ГлобальныйСервер", false, bsl.CommonModuleFlags{Global: true, Server: true},
			"Процедура ПроверитьГлобально() Экспорт",
			"КонецПроцедуры",
		),
		ckCommon("ОбщийМодуль.ГлобальныйВызовСервера", false, bsl.CommonModuleFlags{Global: true, Server: true, ServerCall: true},
			"Процедура ГлобальныйВызов() Экспорт",
			"КонецПроцедуры",
		),
		ckCommon("ОбщийМодуль.РаботаСКлиентом", false, bsl.CommonModuleFlags{ClientManagedApplication: true},
			"Процедура Показать() Экспорт",
			"КонецПроцедуры",
		),
		ckCommon("ОбщийМодуль.ГлобальныйКлиент", false, bsl.CommonModuleFlags{Global: true, ClientManagedApplication: true},
			"Процедура ПоказатьГлобально() Экспорт",
			"КонецПроцедуры",
		),
	}
	commonEN := []*bsl.Module{
		ckCommon("CommonModule.ServerWork", true, bsl.CommonModuleFlags{Server: true},
			"Function Get() Export",
			"EndFunction",
		),
		ckCommon("CommonModule.ServerWorkServerCall", true, bsl.CommonModuleFlags{Server: true, ServerCall: true},
			"Function Get() Export",
			"EndFunction",
		),
		ckCommon("CommonModule.ClientWork", true, bsl.CommonModuleFlags{ClientManagedApplication: true},
			"Procedure Show() Export",
			"EndProcedure",
		),
	}
	ckRun(t, bsl.CodeUnavailableCall, []ckCase{
		{name: "ru managed form: own methods", kind: bsl.KindManagedForm, src: ckSrc(
			"&НаКлиенте",
			"Процедура ПриОткрытии(Отказ)",
			"	ЗаполнитьНаСервере();",
			"	Результат = ПолучитьБезКонтекста();",
			"	Показать();",
			"	БезДирективы();",
			"КонецПроцедуры",
			"",
			"&НаСервере",
			"Процедура ЗаполнитьНаСервере()",
			"	Показать();",
			"	Результат = ПолучитьБезКонтекста();",
			"КонецПроцедуры",
			"",
			"&НаСервереБезКонтекста",
			"Функция ПолучитьБезКонтекста()",
			"	Возврат 1;",
			"КонецФункции",
			"",
			"&НаКлиенте",
			"Процедура Показать()",
			"КонецПроцедуры",
			"",
			"Процедура БезДирективы()",
			"	Показать();",
			"КонецПроцедуры",
		), want: []string{"11:2", "25:2"}},
		{name: "en managed form: own methods", kind: bsl.KindManagedForm, en: true, src: ckSrc(
			"&AtClient",
			"Procedure OnOpen(Cancel)",
			"	FillAtServer();",
			"	Show();",
			"EndProcedure",
			"",
			"&AtServer",
			"Procedure FillAtServer()",
			"	Show();",
			"EndProcedure",
			"",
			"&AtClient",
			"Procedure Show()",
			"EndProcedure",
		), want: []string{"9:2"}},
		{name: "ru client and server no context method narrowed by #Если", kind: bsl.KindManagedForm, src: ckSrc(
			"&НаКлиентеНаСервереБезКонтекста",
			"Функция Общая()",
			"	Показать();",
			"	#Если Клиент Тогда",
			"	Показать();",
			"	#КонецЕсли",
			"	#Если НаКлиенте Тогда",
			"	Показать();",
			"	#Иначе",
			"	Показать();",
			"	#КонецЕсли",
			"	Результат = Получить();",
			"КонецФункции",
			"",
			"&НаКлиенте",
			"Процедура Показать()",
			"КонецПроцедуры",
			"",
			"&НаСервереБезКонтекста",
			"Функция Получить()",
			"КонецФункции",
			// A method without the form's context cannot call one that has
			// it, even on the client; it may call other context-free ones.
		), want: []string{"3:2", "5:2", "8:2", "10:2"}},
		{name: "en client and server command method narrowed by #If", kind: bsl.KindCommand, en: true, src: ckSrc(
			"&AtClientAtServer",
			"Function Shared()",
			"	#If Client Then",
			"	Show();",
			"	#EndIf",
			"	Show();",
			"EndFunction",
			"",
			"&AtClient",
			"Procedure Show()",
			"EndProcedure",
		), want: []string{"6:2"}},
		{name: "ru managed form: common modules", kind: bsl.KindManagedForm, extra: commonRU, src: ckSrc(
			"&НаКлиенте",
			"Процедура Команда(Команда)",
			"	РаботаССервером.Получить();",
			"	РаботаССерверомВызовСервера.Получить();",
			"	ПроверитьГлобально();",
			"	ГлобальныйВызов();",
			"	РаботаСКлиентом.Показать();",
			"	ПоказатьГлобально();",
			"	РаботаССервером.Внутренняя();",
			"	Значение = работасСервером.получить();",
			"КонецПроцедуры",
			"",
			"&НаСервере",
			"Процедура НаСервере()",
			"	РаботаСКлиентом.Показать();",
			"	РаботаССервером.Получить();",
			"	ПроверитьГлобально();",
			"	ПоказатьГлобально();",
			"КонецПроцедуры",
			// A module is judged by its flags, so a call of a method it
			// does not export is reported as well (9:2).
		), want: []string{"3:2", "5:2", "9:2", "10:13", "15:2", "18:2"}, msgHas: "общий модуль ОбщийМодуль."},
		{name: "ru a local method hides a global one", kind: bsl.KindManagedForm, extra: commonRU, src: ckSrc(
			"&НаКлиенте",
			"Процедура Команда(Команда)",
			"	ПроверитьГлобально();",
			"КонецПроцедуры",
			"",
			"&НаКлиенте",
			"Процедура ПроверитьГлобально()",
			"КонецПроцедуры",
		)},
		{name: "ru client common module calls server ones", kind: bsl.KindCommon, object: "ОбщийМодуль.КлиентСервер",
			common: &bsl.CommonModuleFlags{ClientManagedApplication: true, Server: true}, extra: commonRU, src: ckSrc(
				"Процедура А() Экспорт",
				"	РаботаССервером.Получить();",
				"	#Если Сервер Тогда",
				"	РаботаССервером.Получить();",
				"	#Иначе",
				"	РаботаССерверомВызовСервера.Получить();",
				"	РаботаСКлиентом.Показать();",
				"	#КонецЕсли",
				"	РаботаСКлиентом.Показать();",
				"КонецПроцедуры",
			), want: []string{"2:2", "9:2"}},
		{name: "en managed form: common modules", kind: bsl.KindManagedForm, en: true, extra: commonEN, src: ckSrc(
			"&AtClient",
			"Procedure Command(Command)",
			"	ServerWork.Get();",
			"	ServerWorkServerCall.Get();",
			"	ClientWork.Show();",
			"EndProcedure",
			"",
			"&AtServer",
			"Procedure AtServer()",
			"	ServerWork.Get();",
			"	ClientWork.Show();",
			"EndProcedure",
		), want: []string{"3:2", "11:2"}, msgHas: "common module CommonModule."},
		{name: "ru common modules known by their flags alone, names shadowed by variables", kind: bsl.KindManagedForm, extra: []*bsl.Module{
			{Path: "CommonModules/Сервис/Ext/Module.bsl", Kind: bsl.KindCommon, Object: "ОбщийМодуль.Сервис",
				Common: &bsl.CommonModuleFlags{Server: true}, Russian: true},
		}, src: ckSrc(
			"&НаКлиенте",
			"Процедура Команда(Сервис2)",
			"	Сервис.ЧтоУгодно();",
			"КонецПроцедуры",
			"",
			"&НаКлиенте",
			"Процедура Присваивает()",
			"	Сервис.Добавить(1); // the method assigns the name below: a local variable throughout",
			"	Сервис = Новый Массив;",
			"КонецПроцедуры",
			"",
			"&НаКлиенте",
			"Процедура Другая(Сервис)",
			"	Сервис.Добавить(1);",
			"	Для Каждого сервис Из Список Цикл",
			"	КонецЦикла;",
			"КонецПроцедуры",
		), want: []string{"3:2"}},
		{name: "ru object module: server calls from the external connection and the ordinary client", extra: commonRU, src: ckSrc(
			"#Если Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение Тогда",
			"Процедура ПередЗаписью(Отказ)",
			"	РаботаССерверомВызовСервера.Получить();",
			"	РаботаССервером.Получить();",
			"КонецПроцедуры",
			"#КонецЕсли",
		), want: []string{"4:2"}, msgHas: "ТолстыйКлиентОбычноеПриложение"},
		{name: "ru a branch on the OS is compiled only on some OS: not reported", kind: bsl.KindManagedForm, src: ckSrc(
			"&НаСервере",
			"Процедура НаСервере()",
			"	#Если Linux Тогда",
			"	Показать();",
			"	#ИначеЕсли Windows ИЛИ MacOS Тогда",
			"	Показать();",
			"	#КонецЕсли",
			"	#Если Linux ИЛИ НЕ Linux Тогда",
			"	Показать();",
			"	#КонецЕсли",
			"КонецПроцедуры",
			"",
			"&НаКлиенте",
			"Процедура Показать()",
			"КонецПроцедуры",
		), want: []string{"9:2"}},
		{name: "ru object module: a server method called everywhere", src: ckSrc(
			"#Если Сервер Тогда",
			"Процедура Серверная() Экспорт",
			"КонецПроцедуры",
			"#КонецЕсли",
			"",
			"Процедура Везде()",
			"	Серверная();",
			"	#Если Сервер Тогда",
			"	Серверная();",
			"	#КонецЕсли",
			"КонецПроцедуры",
		), want: []string{"7:2"}},
		{name: "en object module wrapped", en: true, src: ckSrc(
			ckWrapEN,
			"Procedure A()",
			"	B();",
			"EndProcedure",
			"Procedure B()",
			"EndProcedure",
			"#EndIf",
		)},
	})
}

// TestCheckFindingsOrdered checks that Check orders findings by file, line
// and column across modules, and skips nil modules.
func TestCheckFindingsOrdered(t *testing.T) {
	a := &bsl.Module{Path: "B.bsl", Kind: bsl.KindObject, Russian: true, Source: ckSrc(
		"Процедура Б()",
		"	УстановитьБезопасныйРежим(Ложь);",
		"КонецПроцедуры",
	)}
	b := &bsl.Module{Path: "A.bsl", Kind: bsl.KindObject, Russian: true, Source: ckSrc(
		"Процедура А()",
		"	Выполнить(\"1\");",
		"КонецПроцедуры",
	)}
	fs := bsl.Check([]*bsl.Module{a, nil, b})
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	if !slices.IsSortedFunc(fs, func(x, y bsl.Finding) int {
		if c := strings.Compare(x.File, y.File); c != 0 {
			return c
		}
		if x.Line != y.Line {
			return x.Line - y.Line
		}
		return x.Col - y.Col
	}) {
		t.Errorf("findings not ordered:\n%s", ckDump(fs))
	}
	if one := bsl.CheckModule(a); len(one) == 0 || one[0].File != "B.bsl" {
		t.Errorf("CheckModule: %s", ckDump(one))
	}
}

func TestCheckDirectiveNotAllowed(t *testing.T) {
	ckSeverity[bsl.CodeDirectiveNotAllowed] = bsl.SeverityError
	ckRun(t, bsl.CodeDirectiveNotAllowed, []ckCase{
		{name: "ru managed form: &НаКлиентеНаСервере", kind: bsl.KindManagedForm, src: ckSrc(
			"&НаКлиентеНаСервере",
			"Процедура А()",
			"КонецПроцедуры",
			"&НаКлиентеНаСервереБезКонтекста",
			"Процедура Б()",
			"КонецПроцедуры",
		), want: []string{"1:1"}, msgHas: "&НаКлиентеНаСервереБезКонтекста"},
		{name: "en command: no-context directives", kind: bsl.KindCommand, en: true, src: ckSrc(
			"&AtServerNoContext",
			"Procedure A()",
			"EndProcedure",
			"  &AtClientAtServerNoContext",
			"Procedure B()",
			"EndProcedure",
			"&AtClientAtServer",
			"Procedure C()",
			"EndProcedure",
		), want: []string{"1:1", "4:3"}, msgHas: "&AtClientAtServer"},
		{name: "ru object module: needless, not disallowed", src: ckSrc(
			"&НаКлиентеНаСервере",
			"Процедура А()",
			"КонецПроцедуры",
		)},
	})
}

package bsl

import (
	"fmt"
	"strings"
)

// std680Clients are the clients of a managed application where standard
// 680 forbids compiling an object's modules: ТонкийКлиент, ВебКлиент,
// МобильныйКлиент, ТолстыйКлиентУправляемоеПриложение.
const std680Clients = ContextSet(1<<ThinClient | 1<<WebClient | 1<<MobileClient | 1<<ThickClientManagedApplication)

// std680Wrap is the wrap the messages ask for.
const (
	std680WrapRU = "#Если Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение Тогда"
	std680WrapEN = "#If Server Or ThickClientOrdinaryApplication Or ExternalConnection Then"
)

// presentationHandlers are the manager module's event handlers that the
// platform calls on the client, which standard 680 leaves outside the wrap.
var presentationHandlers = []string{
	"ОбработкаПолученияПредставления", "ОбработкаПолученияПолейПредставления",
	"PresentationGetProcessing", "PresentationFieldsGetProcessing",
}

func isPresentationHandler(name string) bool {
	for _, h := range presentationHandlers {
		if strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}

// clientReachable reports std680-client-reachable: a declaration of an
// object's module compiled for a managed application's client.
func (c *checker) clientReachable() {
	s := c.s
	if !s.Module.Kind.IsObjectModule() {
		return
	}
	for i := range s.Methods {
		m := &s.Methods[i]
		reach := m.Contexts & std680Clients
		if reach == 0 || s.suppressedAt(m.DeclLine) || c.exempt(m) {
			continue
		}
		what, whatEN := "процедура", "procedure"
		if m.Function {
			what, whatEN = "функция", "function"
		}
		c.report(CodeClientReachable, SeverityError, m.Line, m.Col, nameEnd(m.Col, m.Name),
			fmt.Sprintf("%s «%s» %s компилируется на клиенте (%s): поместите её внутрь %s ... #КонецЕсли (стандарт 680)", upperFirst(what), m.Name, kindPhrase(s.Module.Kind, true), c.contextName(firstContext(reach)), std680WrapRU),
			fmt.Sprintf("%s %q %s is compiled on the client (%s): move it inside %s ... #EndIf (standard 680)", upperFirst(whatEN), m.Name, kindPhrase(s.Module.Kind, false), c.contextName(firstContext(reach)), std680WrapEN))
	}
	for _, v := range s.Variables {
		reach := v.Contexts & std680Clients
		if reach == 0 || s.suppressedAt(v.DeclLine) {
			continue
		}
		c.report(CodeClientReachable, SeverityError, v.Line, v.Col, nameEnd(v.Col, v.Name),
			fmt.Sprintf("переменная «%s» %s компилируется на клиенте (%s): поместите её объявление внутрь %s ... #КонецЕсли (стандарт 680)", v.Name, kindPhrase(s.Module.Kind, true), c.contextName(firstContext(reach)), std680WrapRU),
			fmt.Sprintf("variable %q %s is compiled on the client (%s): move its declaration inside %s ... #EndIf (standard 680)", v.Name, kindPhrase(s.Module.Kind, false), c.contextName(firstContext(reach)), std680WrapEN))
	}
}

// exempt reports whether standard 680 lets the method stay on the client:
// a manager module's presentation handlers, and an extension's methods
// that intercept them.
func (c *checker) exempt(m *Method) bool {
	if c.s.Module.Kind != KindManager {
		return false
	}
	if isPresentationHandler(m.Name) {
		return true
	}
	for _, a := range m.Annotations {
		if a.interceptor() && isPresentationHandler(a.Arg) {
			return true
		}
	}
	return false
}

// clientRaise reports std680-client-raise: an object, record-set or
// value-manager module whose text for a managed application's client does
// not begin with ВызватьИсключение. Manager modules are exempt, since
// their presentation handlers are compiled there by design.
func (c *checker) clientRaise() {
	s := c.s
	switch s.Module.Kind {
	case KindObject, KindRecordSet, KindValueManager:
	default:
		return
	}
	if len(s.code) == 0 {
		return // no code at all: nothing to wrap
	}
	for _, ctx := range std680Clients.Contexts() {
		// The first token of the client's text, or, when the client's
		// text is empty (a wrap without #Иначе), the module's first: an
		// empty text does not begin with ВызватьИсключение either.
		t := &s.code[0]
		for i := range s.code {
			if s.Lines.Compiled(s.code[i].Line, ctx) {
				t = &s.code[i]
				break
			}
		}
		if t.Kind == TokRaise && s.Lines.Compiled(t.Line, ctx) {
			continue
		}
		if !s.Lines.Compiled(t.Line, ctx) {
			c.report(CodeClientRaise, SeverityWarning, t.Line, t.Col, t.endColOnLine(),
				fmt.Sprintf("на клиенте (%s) модуль пуст и не вызывает исключение: закончите обёртку %s веткой #Иначе ВызватьИсключение НСтр(\"ru = 'Недопустимый вызов объекта на клиенте.'\"); перед #КонецЕсли", c.contextName(ctx), std680WrapRU),
				fmt.Sprintf("on the client (%s) the module is empty and raises nothing: end the wrap %s with #Else Raise NStr(\"en = 'Invalid object call on the client.'\"); before #EndIf", c.contextName(ctx), std680WrapEN))
			return
		}
		c.report(CodeClientRaise, SeverityWarning, t.Line, t.Col, t.endColOnLine(),
			fmt.Sprintf("на клиенте (%s) текст модуля начинается не с ВызватьИсключение: оберните код модуля в %s ... #Иначе ВызватьИсключение НСтр(\"ru = 'Недопустимый вызов объекта на клиенте.'\"); #КонецЕсли", c.contextName(ctx), std680WrapRU),
			fmt.Sprintf("on the client (%s) the module's text does not begin with Raise: wrap the module's code in %s ... #Else Raise NStr(\"en = 'Invalid object call on the client.'\"); #EndIf", c.contextName(ctx), std680WrapEN))
		return
	}
}

// endColOnLine is where a finding about the token ends on the token's
// first line: its end, or for a token that spans lines (a multi-line
// string) its first character.
func (t *Token) endColOnLine() int {
	if t.EndLine == t.Line {
		return t.EndCol
	}
	return t.Col + 1
}

// kindPhrase names an object's module kind as the messages do: "модуля
// менеджера", "of a manager module".
func kindPhrase(k ModuleKind, ru bool) string {
	phrases := map[ModuleKind][2]string{
		KindObject:       {"модуля объекта", "of an object module"},
		KindManager:      {"модуля менеджера", "of a manager module"},
		KindRecordSet:    {"модуля набора записей", "of a record set module"},
		KindValueManager: {"модуля менеджера значения", "of a value manager module"},
	}
	p := phrases[k]
	if ru {
		return p[0]
	}
	return p[1]
}

// upperFirst capitalises the first letter.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

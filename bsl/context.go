package bsl

import "strings"

// Context is where 1C compiles and runs a module's code: one of the
// platform's execution environments. A module is compiled separately for
// each context, and the preprocessor (#Если ... #Тогда) keeps for each only
// the lines whose condition its symbols make true.
type Context int

// The contexts, in the order 1C's documentation lists them.
const (
	ThinClient Context = iota
	WebClient
	MobileClient
	ThickClientOrdinaryApplication
	ThickClientManagedApplication
	Server
	ExternalConnection
	MobileAppClient
	MobileAppServer
	MobileStandaloneServer
	numContexts
)

// Contexts are every context, in order.
func Contexts() []Context {
	out := make([]Context, numContexts)
	for i := range out {
		out[i] = Context(i)
	}
	return out
}

// contextNames are each context's Russian and English names, which are also
// the names of their preprocessor symbols.
var contextNames = [numContexts][2]string{
	{"ТонкийКлиент", "ThinClient"},
	{"ВебКлиент", "WebClient"},
	{"МобильныйКлиент", "MobileClient"},
	{"ТолстыйКлиентОбычноеПриложение", "ThickClientOrdinaryApplication"},
	{"ТолстыйКлиентУправляемоеПриложение", "ThickClientManagedApplication"},
	{"Сервер", "Server"},
	{"ВнешнееСоединение", "ExternalConnection"},
	{"МобильноеПриложениеКлиент", "MobileAppClient"},
	{"МобильноеПриложениеСервер", "MobileAppServer"},
	{"МобильныйАвтономныйСервер", "MobileStandaloneServer"},
}

// Name is the context's name in Russian or English.
func (c Context) Name(english bool) string {
	if c < 0 || c >= numContexts {
		return ""
	}
	if english {
		return contextNames[c][1]
	}
	return contextNames[c][0]
}

// String is the context's English name.
func (c Context) String() string { return c.Name(true) }

// ParseContext finds a context by its name in either language, in any
// letter case.
func ParseContext(name string) (Context, bool) {
	for i, n := range contextNames {
		if strings.EqualFold(n[0], name) || strings.EqualFold(n[1], name) {
			return Context(i), true
		}
	}
	return 0, false
}

// IsClient reports whether the context is a client: Клиент and НаКлиенте
// are true in it.
func (c Context) IsClient() bool {
	switch c {
	case ThinClient, WebClient, MobileClient, ThickClientOrdinaryApplication, ThickClientManagedApplication, MobileAppClient:
		return true
	}
	return false
}

// IsServer reports whether the context is a server: Сервер and НаСервере
// are true in it. An external connection is a context of its own, which
// is why 1C's standard wrap of object modules names it beside Сервер.
func (c Context) IsServer() bool {
	switch c {
	case Server, MobileAppServer, MobileStandaloneServer:
		return true
	}
	return false
}

// IsManagedClient reports whether the context is a client of a managed
// application, where objects' modules must not be compiled (standard 680).
func (c Context) IsManagedClient() bool {
	switch c {
	case ThinClient, WebClient, MobileClient, ThickClientManagedApplication:
		return true
	}
	return false
}

// ContextSet is a set of contexts.
type ContextSet uint16

// AllContexts holds every context.
const AllContexts = ContextSet(1<<numContexts - 1)

// SetOf is the set of the given contexts.
func SetOf(cs ...Context) ContextSet {
	var s ContextSet
	for _, c := range cs {
		s |= 1 << c
	}
	return s
}

// Has reports whether the set holds c.
func (s ContextSet) Has(c Context) bool { return s&(1<<c) != 0 }

// Contexts lists the set's contexts in order.
func (s ContextSet) Contexts() []Context {
	var out []Context
	for _, c := range Contexts() {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// Names lists the set's contexts by name.
func (s ContextSet) Names(english bool) []string {
	var out []string
	for _, c := range s.Contexts() {
		out = append(out, c.Name(english))
	}
	return out
}

// SymbolValue is the value of a preprocessor symbol (Клиент, НаСервере, a
// context's name, in either language, any letter case) in a context; ok is
// false for a word 1C does not know as a symbol.
func SymbolValue(name string, c Context) (value, ok bool) {
	switch strings.ToLower(name) {
	case "клиент", "client", "наклиенте", "atclient":
		return c.IsClient(), true
	case "сервер", "server", "насервере", "atserver":
		return c.IsServer(), true
	}
	if sc, found := ParseContext(name); found {
		return sc == c, true
	}
	return false, false
}

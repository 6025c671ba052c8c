package bsl

import "testing"

// TestSymbolValue: every client context makes Клиент and НаКлиенте true,
// the server contexts Сервер and НаСервере, a context's own name only
// itself, in either language and any case; other words are no symbol.
func TestSymbolValue(t *testing.T) {
	for _, c := range Contexts() {
		for _, sym := range []string{"Клиент", "client", "НАКЛИЕНТЕ", "AtClient"} {
			if v, ok := SymbolValue(sym, c); !ok || v != c.IsClient() {
				t.Errorf("%s in %s: %v %v", sym, c, v, ok)
			}
		}
		for _, sym := range []string{"Сервер", "SERVER", "НаСервере", "atserver"} {
			if v, ok := SymbolValue(sym, c); !ok || v != c.IsServer() {
				t.Errorf("%s in %s: %v %v", sym, c, v, ok)
			}
		}
		for _, other := range Contexts() {
			if other == Server {
				continue // its name is the symbol Сервер, checked above
			}
			for _, english := range []bool{false, true} {
				if v, ok := SymbolValue(other.Name(english), c); !ok || v != (other == c) {
					t.Errorf("%s in %s: %v %v", other.Name(english), c, v, ok)
				}
			}
		}
		if _, ok := SymbolValue("Сервак", c); ok {
			t.Errorf("Сервак is a symbol in %s", c)
		}
	}
	if !ThinClient.IsClient() || ExternalConnection.IsServer() || ExternalConnection.IsClient() || !MobileStandaloneServer.IsServer() {
		t.Error("context classes")
	}
	if s := SetOf(ThinClient, Server); !s.Has(Server) || s.Has(WebClient) || len(s.Contexts()) != 2 || AllContexts.Contexts()[9] != MobileStandaloneServer {
		t.Errorf("sets: %v", s.Names(false))
	}
}

package bsl

// ContextOffer is what a module offers in one context: the methods
// compiled there, and the exported ones among them, which other modules
// may call.
type ContextOffer struct {
	Context  Context
	Methods  []Method
	Exported []Method
}

// Offers is, for each context of the set (a module's Contexts), what the
// module's methods offer there, in the contexts' order.
func Offers(contexts ContextSet, methods []Method) []ContextOffer {
	var out []ContextOffer
	for _, c := range contexts.Contexts() {
		o := ContextOffer{Context: c}
		for _, m := range methods {
			if !m.Contexts.Has(c) {
				continue
			}
			o.Methods = append(o.Methods, m)
			if m.Export {
				o.Exported = append(o.Exported, m)
			}
		}
		out = append(out, o)
	}
	return out
}

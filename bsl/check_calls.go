package bsl

import (
	"fmt"
	"strings"
)

// directives reports directive-missing in managed form and command
// modules, whose methods each need one, and directive-needless in every
// other kind, which ignores them.
func (c *checker) directives() {
	s := c.s
	if s.usesDirectives() {
		for i := range s.Methods {
			m := &s.Methods[i]
			if m.Directive != DirectiveNone {
				continue
			}
			c.report(CodeDirectiveMissing, SeverityWarning, m.Line, m.Col, nameEnd(m.Col, m.Name),
				fmt.Sprintf("у метода «%s» нет директивы компиляции, и он компилируется на сервере: укажите перед ним &НаСервере, &НаКлиенте или &НаСервереБезКонтекста", m.Name),
				fmt.Sprintf("method %q has no compilation directive and is compiled on the server: put &AtServer, &AtClient or &AtServerNoContext before it", m.Name))
		}
		return
	}
	needless := func(d Directive, line, col int) {
		if d == DirectiveNone {
			return
		}
		name := "&" + d.Name(!c.ru)
		c.report(CodeDirectiveNeedless, SeverityWarning, line, col, nameEnd(col, name),
			fmt.Sprintf("директива %s в модуле этого вида не действует (где он компилируется, решают вид модуля и #Если): удалите её", name),
			fmt.Sprintf("directive %s has no effect in a module of this kind (its kind and #If decide where it is compiled): delete it", name))
	}
	for _, m := range s.Methods {
		needless(m.Directive, m.DirectiveLine, m.DirectiveCol)
	}
	for _, v := range s.Variables {
		needless(v.Directive, v.DirectiveLine, v.DirectiveCol)
	}
}

// unavailableCalls reports unavailable-call: a call of a method of the same
// module, or an exported method of a common module, in a context where the
// method is not compiled, unless the call is a server call the context may
// make.
func (c *checker) unavailableCalls() {
	s := c.s
	for i := range s.Calls {
		call := &s.Calls[i]
		if call.Contexts == 0 {
			continue
		}
		var callee *Method
		serverCall := false // a client may call the callee on the server
		where, whereEN := "", ""
		switch {
		case !call.Member:
			if m := s.method(call.Name); m != nil {
				callee = m
				serverCall = s.usesDirectives() && m.Directive.server()
				break
			}
			if g, ok := c.idx.globals[strings.ToLower(call.Name)]; ok {
				callee, serverCall = g.method, g.module.Module.Common.ServerCall
				where, whereEN = " общего модуля "+g.module.Module.Object, " of common module "+g.module.Module.Object
			}
		case call.Qualifier != "":
			mod, ok := c.idx.modules[strings.ToLower(call.Qualifier)]
			if !ok {
				break
			}
			callee = mod.exported(call.Name)
			serverCall = mod.Module.Common.ServerCall
			where, whereEN = " общего модуля "+mod.Module.Object, " of common module "+mod.Module.Object
		}
		if callee == nil {
			continue
		}
		missing := call.Contexts &^ callee.Contexts
		if serverCall && callee.Contexts&dumpServerContexts != 0 {
			missing &^= clientContexts
		}
		if missing == 0 {
			continue
		}
		ctx := c.contextName(firstContext(missing))
		line, col := s.span(call)
		c.report(CodeUnavailableCall, SeverityError, line, col, call.EndCol,
			fmt.Sprintf("метод «%s»%s не компилируется в контексте %s, где его вызывают: вызывайте его только там, где он доступен (#Если, директива), или сделайте его доступным в %s", callee.Name, where, ctx, ctx),
			fmt.Sprintf("method %q%s is not compiled in %s, where it is called: call it only where it is available (#If, a directive), or make it available in %s", callee.Name, whereEN, ctx, ctx))
	}
}

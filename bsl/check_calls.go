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
			if !s.allowed(m.Directive) {
				name := "&" + m.Directive.Name(!c.ru)
				c.report(CodeDirectiveNotAllowed, SeverityError, m.DirectiveLine, m.DirectiveCol, nameEnd(m.DirectiveCol, name),
					fmt.Sprintf("директива %s недопустима в %s, и метод «%s» не компилируется нигде: %s", name, kindPlace(s.Module.Kind, true), m.Name, allowedDirectives(s.Module.Kind, true)),
					fmt.Sprintf("directive %s is not allowed in %s, so method %q is compiled nowhere: %s", name, kindPlace(s.Module.Kind, false), m.Name, allowedDirectives(s.Module.Kind, false)))
			}
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
// module in a context where the method is not compiled, or of a common
// module's method where the common module is not, unless the call is a
// server call the context may make (a client calling its form's or
// command's server methods, or a common module with ВызовСервера).
//
// A common module is judged by its flags, as the platform links it: the
// #Если inside another module is not read, since that module's text may
// not be at hand (a dump of a whole application often holds the common
// modules' XML without their code).
func (c *checker) unavailableCalls() {
	s := c.s
	for i := range s.Calls {
		call := &s.Calls[i]
		if call.Contexts == 0 {
			continue
		}
		switch {
		case !call.Member:
			if m := s.method(call.Name); m != nil {
				c.localCall(call, m)
			} else if g, ok := c.idx.globals[strings.ToLower(call.Name)]; ok {
				c.commonCall(call, g.module.Module, g.method.Name)
			}
		case call.Qualifier != "":
			if mod, ok := c.idx.modules[strings.ToLower(call.Qualifier)]; ok && !s.shadows(call, call.Qualifier) {
				c.commonCall(call, mod.Module, call.Name)
			}
		}
	}
}

// localCall checks a call of a method of the same module.
func (c *checker) localCall(call *Call, callee *Method) {
	s := c.s
	if callee.Contexts == 0 {
		return // a method compiled nowhere is its declaration's problem, not its callers'
	}
	if c.leavesContext(call, callee) {
		caller := &s.Methods[call.Method]
		c.reportCall(CodeUnavailableCall, SeverityError, call,
			fmt.Sprintf("метод «%s» с директивой &%s вызывается из внеконтекстного метода «%s» (&%s), которому контекст формы недоступен: сделайте вызываемый метод внеконтекстным или вызывайте его из метода с контекстом формы", callee.Name, directiveName(callee.Directive, true), caller.Name, caller.Directive.Name(false)),
			fmt.Sprintf("method %q (&%s) is called from %q (&%s), which runs without the form's context: make the callee context-free too, or call it from a method that has the form's context", callee.Name, directiveName(callee.Directive, false), caller.Name, caller.Directive.Name(true)))
		return
	}
	missing := call.Contexts &^ callee.Contexts
	if s.usesDirectives() && callee.Directive.server() {
		missing &^= clientContexts // a server call
	}
	if missing == 0 {
		return
	}
	ctx := c.contextName(firstContext(missing))
	c.reportCall(CodeUnavailableCall, SeverityError, call,
		fmt.Sprintf("метод «%s» не компилируется в контексте %s, где его вызывают: вызывайте его только там, где он доступен (#Если, директива), или сделайте его доступным в %s", callee.Name, ctx, ctx),
		fmt.Sprintf("method %q is not compiled in %s, where it is called: call it only where it is available (#If, a directive), or make it available in %s", callee.Name, ctx, ctx))
}

// commonCall checks a call of a common module's method against the
// module's flags.
func (c *checker) commonCall(call *Call, mod *Module, method string) {
	flags := mod.Common
	available := flags.Contexts()
	if flags.ServerCall && available&dumpServerContexts != 0 {
		// A server call, which every client makes, and so does an
		// external connection: it is a client of the server too.
		available |= clientContexts | 1<<ExternalConnection
	}
	missing := call.Contexts &^ available
	if missing == 0 {
		return
	}
	ctx := c.contextName(firstContext(missing))
	c.reportCall(CodeUnavailableCall, SeverityError, call,
		fmt.Sprintf("общий модуль %s не компилируется в контексте %s, где вызывают его метод «%s»: вызывайте метод только там, где модуль доступен, или отметьте у модуля нужный флаг (ВызовСервера для вызова с клиента)", mod.Object, ctx, method),
		fmt.Sprintf("common module %s is not compiled in %s, where its method %q is called: call it only where the module is available, or set the module's flag for that context (ServerCall for calls from a client)", mod.Object, ctx, method))
}

// leavesContext reports whether a call in a managed form goes from a
// method without the form's context (&НаСервереБезКонтекста,
// &НаКлиентеНаСервереБезКонтекста) to one that needs it: an error in every
// context, even on the client.
func (c *checker) leavesContext(call *Call, callee *Method) bool {
	s := c.s
	if s.Module.Kind != KindManagedForm || call.Method < 0 {
		return false
	}
	return s.Methods[call.Method].Directive.noContext() && !callee.Directive.noContext()
}

// directiveName names a directive as a message does, a declaration without
// one by the directive it is compiled with.
func directiveName(d Directive, ru bool) string {
	if d == DirectiveNone {
		d = AtServer
	}
	return d.Name(!ru)
}

// kindPlace names a form or command module as the place of a directive.
func kindPlace(k ModuleKind, ru bool) string {
	switch {
	case k == KindCommand && ru:
		return "модуле команды"
	case k == KindCommand:
		return "a command module"
	case ru:
		return "модуле управляемой формы"
	}
	return "a managed form module"
}

// allowedDirectives says which directives the kind accepts.
func allowedDirectives(k ModuleKind, ru bool) string {
	switch {
	case k == KindCommand && ru:
		return "используйте &НаКлиенте, &НаСервере или &НаКлиентеНаСервере"
	case k == KindCommand:
		return "use &AtClient, &AtServer or &AtClientAtServer"
	case ru:
		return "используйте &НаКлиенте, &НаСервере, &НаСервереБезКонтекста или &НаКлиентеНаСервереБезКонтекста"
	}
	return "use &AtClient, &AtServer, &AtServerNoContext or &AtClientAtServerNoContext"
}

package bsl

import "fmt"

// serverSide are the contexts where code runs with the infobase's data at
// hand, which is where Выполнить needs safe mode: the servers and the
// external connection.
const serverSide = dumpServerContexts | 1<<ExternalConnection

// privilegedMode reports privileged-mode at each call that turns
// privileged mode on (any argument but the literal Ложь), and
// privileged-mode-unbalanced at a method that turns it on more often than
// off.
func (c *checker) privilegedMode() {
	s := c.s
	on := make(map[int]int)
	for i := range s.Calls {
		call := &s.Calls[i]
		if call.Member || call.Contexts == 0 || !call.is("УстановитьПривилегированныйРежим", "SetPrivilegedMode") {
			continue
		}
		if s.literalArg(call, 0) == TokFalse && call.argCount() == 1 {
			on[call.Method]--
			continue
		}
		on[call.Method]++
		c.reportCall(CodePrivilegedMode, SeverityWarning, call,
			"привилегированный режим отключает проверку прав: убедитесь, что код в нём не отдаёт пользователю данных сверх его прав, и выключите режим УстановитьПривилегированныйРежим(Ложь) сразу после нужных действий",
			"privileged mode turns access checks off: make sure the code under it gives the user no data beyond their rights, and turn it off with SetPrivilegedMode(False) right after the actions that need it")
	}
	for i := range s.Methods {
		m := &s.Methods[i]
		if n := on[i]; n > 0 {
			c.report(CodePrivilegedUnbalanced, SeverityError, m.Line, m.Col, nameEnd(m.Col, m.Name),
				fmt.Sprintf("метод «%s» включает привилегированный режим чаще, чем выключает (на %d): добавьте УстановитьПривилегированныйРежим(Ложь) после привилегированных действий на каждом пути выхода, в том числе в Исключение", m.Name, n),
				fmt.Sprintf("method %q turns privileged mode on more often than off (by %d): add SetPrivilegedMode(False) after the privileged actions on every way out, Except included", m.Name, n))
		}
	}
}

// safeMode reports execute-without-safe-mode and safe-mode-disabled.
func (c *checker) safeMode() {
	s := c.s
	safe := make(map[int]bool) // methods where safe mode has been set so far
	for i := range s.Calls {
		call := &s.Calls[i]
		if call.Member || call.Contexts == 0 {
			continue
		}
		switch {
		case call.is("УстановитьБезопасныйРежим", "SetSafeMode"):
			if s.literalArg(call, 0) == TokTrue && call.argCount() == 1 {
				safe[call.Method] = true
				continue
			}
			c.reportCall(CodeSafeModeDisabled, SeverityError, call,
				"безопасный режим выключается или задаётся не литералом Истина: вызывайте УстановитьБезопасныйРежим(Истина) перед выполнением чужого кода и не выключайте его",
				"safe mode is turned off or set by something other than the literal True: call SetSafeMode(True) before running code from outside and never turn it off")
		case call.is("УстановитьОтключениеБезопасногоРежима", "SetSafeModeDisabled"):
			if s.literalArg(call, 0) == TokFalse && call.argCount() == 1 {
				continue
			}
			c.reportCall(CodeSafeModeDisabled, SeverityError, call,
				"отключение безопасного режима позволяет коду расширений и внешних обработок работать без ограничений: уберите вызов или передайте литерал Ложь",
				"disabling safe mode lets the code of extensions and external data processors run unrestricted: remove the call or pass the literal False")
		case c.isExecute(call):
			if call.Contexts&serverSide == 0 || safe[call.Method] {
				continue
			}
			c.reportCall(CodeExecuteWithoutSafeMode, SeverityError, call,
				fmt.Sprintf("«%s» выполняет произвольный код на сервере (%s) без безопасного режима: вызовите УстановитьБезопасныйРежим(Истина) раньше в этом же методе или замените %s вызовом известных методов", call.Name, c.contextName(firstContext(call.Contexts&serverSide)), call.Name),
				fmt.Sprintf("%q runs arbitrary code on the server (%s) without safe mode: call SetSafeMode(True) earlier in the same method, or replace %s with calls of known methods", call.Name, c.contextName(firstContext(call.Contexts&serverSide)), call.Name))
		}
	}
}

// isExecute reports whether a call runs a text as code: the Выполнить
// statement or the global Вычислить function (not a method of the module
// that happens to have its name).
func (c *checker) isExecute(call *Call) bool {
	if call.is("Выполнить", "Execute") {
		return true
	}
	return call.is("Вычислить", "Eval") && c.s.method(call.Name) == nil
}

// externalModules are the managers whose methods load code from outside
// the configuration, and those methods.
var externalModules = []struct {
	managers []string
	methods  []string
}{
	{[]string{"ВнешниеОбработки", "ExternalDataProcessors", "ВнешниеОтчеты", "ExternalReports"}, []string{"Подключить", "Connect", "Создать", "Create"}},
	{[]string{"РасширенияКонфигурации", "ConfigurationExtensions"}, []string{"Создать", "Create"}},
}

// externalCode reports external-code: a call that loads an external data
// processor, report or extension.
func (c *checker) externalCode() {
	s := c.s
	for i := range s.Calls {
		call := &s.Calls[i]
		if call.Qualifier == "" || call.Contexts == 0 || s.shadows(call, call.Qualifier) {
			continue // not a call, or through a variable that has the manager's name
		}
		for _, e := range externalModules {
			if !anyEqualFold(e.managers, call.Qualifier) || !anyEqualFold(e.methods, call.Name) {
				continue
			}
			c.reportCall(CodeExternalCode, SeverityWarning, call,
				fmt.Sprintf("«%s.%s» загружает код не из конфигурации: он выполняется с правами пользователя вне проверки конфигурации; подключайте только проверенные файлы, в безопасном режиме (профиль безопасности), с разрешения администратора", call.Qualifier, call.Name),
				fmt.Sprintf("%q loads code from outside the configuration, which runs with the user's rights and was never checked with it: attach only verified files, in safe mode (a security profile), with the administrator's consent", call.Qualifier+"."+call.Name))
			break
		}
	}
}

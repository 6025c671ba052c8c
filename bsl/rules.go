package bsl

// Rules describes every code the checks report, in the order of the
// issue's list, for SARIF output and documentation.
func Rules() []Rule {
	security := []string{"security"}
	return []Rule{
		{Code: CodeClientReachable, Severity: SeverityError, Tags: security,
			Summary: "A declaration of an object's module is compiled on a managed application's client",
			Description: "Standard 680: object, manager, record-set and value-manager modules are compiled in every context, so their methods and variables must sit inside " +
				"#Если Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение Тогда ... #КонецЕсли; code left outside is sent to thin and web clients, " +
				"where it cannot work and where it shows the server's logic. The presentation handlers of manager modules are exempt; " +
				"declarations between // АПК:361-выкл and // АПК:361-вкл are not reported."},
		{Code: CodeClientRaise, Severity: SeverityWarning,
			Summary: "An object's module does not raise an exception when used on the client",
			Description: "Standard 680: the wrap of an object, record-set or value-manager module ends with #Иначе ВызватьИсключение НСтр(\"ru = 'Недопустимый вызов объекта на клиенте.'\"); " +
				"so that a call from a managed client fails at once with a clear message."},
		{Code: CodePrivilegedMode, Severity: SeverityWarning, Tags: security,
			Summary: "Privileged mode is turned on",
			Description: "УстановитьПривилегированныйРежим with an argument other than the literal Ложь turns every access check off for the session until it is turned off: " +
				"make sure the code under it gives the user nothing beyond their rights, and turn it off right after."},
		{Code: CodePrivilegedUnbalanced, Severity: SeverityError, Tags: security,
			Summary: "A method turns privileged mode on more often than off",
			Description: "Every УстановитьПривилегированныйРежим(Истина) of a method needs its УстановитьПривилегированныйРежим(Ложь), on every way out of the method, " +
				"or the rest of the call runs without access checks."},
		{Code: CodeExecuteWithoutSafeMode, Severity: SeverityError, Tags: security,
			Summary: "Выполнить or Вычислить runs code on the server without safe mode",
			Description: "A text run with Выполнить or Вычислить on the server can do anything the session can, privileged mode included; call УстановитьБезопасныйРежим(Истина) " +
				"earlier in the same method, or call known methods instead (ОбщегоНазначения.ВыполнитьМетодКонфигурации)."},
		{Code: CodeSafeModeDisabled, Severity: SeverityError, Tags: security,
			Summary: "Safe mode is turned off",
			Description: "УстановитьБезопасныйРежим with anything but the literal Истина, or УстановитьОтключениеБезопасногоРежима with anything but the literal Ложь, " +
				"lets code from extensions and external data processors run without the restrictions of safe mode."},
		{Code: CodeExternalCode, Severity: SeverityWarning, Tags: security,
			Summary: "Code from outside the configuration is loaded",
			Description: "ВнешниеОбработки, ВнешниеОтчеты .Подключить/.Создать and РасширенияКонфигурации.Создать load code that was never checked with the configuration: " +
				"attach only verified files, in safe mode or a security profile, with the administrator's consent."},
		{Code: CodeUnknownSymbol, Severity: SeverityError,
			Summary:     "An #Если condition names a symbol the preprocessor does not know",
			Description: "The platform refuses a module whose #Если names an unknown symbol; the known ones are Клиент, НаКлиенте, Сервер, НаСервере and the contexts' names, in Russian or English."},
		{Code: CodeRegionUnbalanced, Severity: SeverityError,
			Summary:     "A #Область, #Если, #Удаление or #Вставка block does not close, or a closing line closes nothing",
			Description: "Every #Область needs its #КонецОбласти, every #Если its #КонецЕсли, every #Удаление its #КонецУдаления and every #Вставка its #КонецВставки; the platform refuses the module otherwise."},
		{Code: CodePreprocessorSyntax, Severity: SeverityError,
			Summary:     "A preprocessor line the platform would refuse",
			Description: "An unknown # instruction, an #Если without Тогда, a condition that does not parse, or #ИначеЕсли after #Иначе."},
		{Code: CodeDirectiveMissing, Severity: SeverityWarning,
			Summary:     "A method of a managed form or command module has no compilation directive",
			Description: "Without a directive the method is compiled on the server; write &НаСервере, &НаКлиенте or &НаСервереБезКонтекста so that readers and checks see where it runs."},
		{Code: CodeDirectiveNeedless, Severity: SeverityWarning,
			Summary:     "A compilation directive in a module that ignores directives",
			Description: "Only managed form and command modules honour compilation directives; in other modules the kind of the module and #Если decide where code is compiled, and the directive misleads readers."},
		{Code: CodeDirectiveNotAllowed, Severity: SeverityError,
			Summary: "A compilation directive the module's kind does not accept",
			Description: "A managed form has no &НаКлиентеНаСервере, and a command module no &НаСервереБезКонтекста or &НаКлиентеНаСервереБезКонтекста; " +
				"the platform compiles a method with such a directive nowhere, so every call of it fails."},
		{Code: CodeUnavailableCall, Severity: SeverityError,
			Summary: "A call of a method that is not compiled where it is called",
			Description: "A method of the same module, or an exported method of a common module, called in a context where it is not compiled fails to compile or at run time there; " +
				"calls from a client to a form's server methods and to common modules with ВызовСервера are server calls and allowed."},
	}
}

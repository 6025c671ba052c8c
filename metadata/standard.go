package metadata

// StandardAttributes returns the attributes the platform gives an object of
// its kind (Ссылка, Код, Наименование, Номер, Дата, Период, ...), with
// Russian and English names, computed from the object's settings.
func (o *Object) StandardAttributes() []*Attribute {
	std := func(ru, en string, t Type) *Attribute {
		return &Attribute{Name: ru, English: en, Type: t, Role: StandardAttribute}
	}
	self := Type{{Primitive: Ref, Object: o.FullName(false)}}
	boolean := Type{{Primitive: Boolean}}
	number := Type{{Primitive: Number, Precision: 10}}
	date := Type{{Primitive: Date}}
	var out []*Attribute
	switch o.Kind {
	case Catalog, ChartOfCharacteristicTypes, ExchangePlan, ChartOfAccounts, ChartOfCalculationTypes:
		out = append(out, std("Ссылка", "Ref", self), std("ВерсияДанных", "DataVersion", Type{{Primitive: String, Length: 12}}),
			std("ПометкаУдаления", "DeletionMark", boolean))
		if o.Kind != ExchangePlan {
			out = append(out, std("Предопределенный", "Predefined", boolean))
		}
		if o.CodeLength > 0 {
			code := Type{{Primitive: String, Length: o.CodeLength}}
			if o.CodeIsNumber {
				code = Type{{Primitive: Number, Precision: o.CodeLength}}
			}
			out = append(out, std("Код", "Code", code))
		}
		if o.DescriptionLength > 0 {
			out = append(out, std("Наименование", "Description", Type{{Primitive: String, Length: o.DescriptionLength}}))
		}
		if o.Hierarchical {
			out = append(out, std("Родитель", "Parent", self))
			if o.FoldersHierarchy {
				out = append(out, std("ЭтоГруппа", "IsFolder", boolean))
			}
		}
		switch o.Kind {
		case ChartOfCharacteristicTypes:
			out = append(out, std("ТипЗначения", "ValueType", nil))
		case ChartOfAccounts:
			out = append(out, std("Порядок", "Order", Type{{Primitive: String, Length: o.OrderLength}}),
				std("Вид", "Type", Type{{Primitive: Ref, Object: AccountTypeEnum}}),
				std("Забалансовый", "OffBalance", boolean))
		case ChartOfCalculationTypes:
			if o.ActionPeriod {
				out = append(out, std("ПериодДействияБазовый", "ActionPeriodIsBasic", boolean))
			}
		case ExchangePlan:
			out = append(out, std("НомерОтправленного", "SentNo", number), std("НомерПринятого", "ReceivedNo", number), std("ЭтотУзел", "ThisNode", boolean))
		}
		if len(o.Owners) > 0 {
			var owner Type
			for _, name := range o.Owners {
				owner = append(owner, TypeSpec{Primitive: Ref, Object: name})
			}
			out = append(out, std("Владелец", "Owner", owner))
		}
	case Document, BusinessProcess, Task:
		numType := Type{{Primitive: String, Length: o.NumberLength}}
		if o.NumberIsNumber {
			numType = Type{{Primitive: Number, Precision: o.NumberLength}}
		}
		out = append(out, std("Ссылка", "Ref", self), std("ВерсияДанных", "DataVersion", Type{{Primitive: String, Length: 12}}),
			std("ПометкаУдаления", "DeletionMark", boolean), std("Номер", "Number", numType), std("Дата", "Date", date))
		switch o.Kind {
		case Document:
			out = append(out, std("Проведен", "Posted", boolean))
		case BusinessProcess:
			out = append(out, std("Стартован", "Started", boolean), std("Завершен", "Completed", boolean),
				std("ВедущаяЗадача", "HeadTask", Type{{Primitive: Ref}}))
		case Task:
			out = append(out, std("Наименование", "Description", Type{{Primitive: String, Length: max(o.DescriptionLength, 150)}}),
				std("Выполнена", "Executed", boolean), std("БизнесПроцесс", "BusinessProcess", Type{{Primitive: Ref}}),
				std("ТочкаМаршрута", "RoutePoint", Type{{Primitive: Ref}}))
		}
	case InformationRegister:
		if o.Periodicity != NotPeriodic {
			out = append(out, std("Период", "Period", date))
		}
		if o.Recorder {
			out = append(out, std("Регистратор", "Recorder", o.recorderType()), std("НомерСтроки", "LineNumber", number), std("Активность", "Active", boolean))
		}
	case AccumulationRegister:
		out = append(out, std("Период", "Period", date), std("Регистратор", "Recorder", o.recorderType()),
			std("НомерСтроки", "LineNumber", number), std("Активность", "Active", boolean))
		if !o.Turnovers {
			out = append(out, std("ВидДвижения", "RecordType", Type{{Primitive: Ref, Object: RecordTypeEnum}}))
		}
	case AccountingRegister:
		out = append(out, std("Период", "Period", date), std("Регистратор", "Recorder", o.recorderType()),
			std("НомерСтроки", "LineNumber", number), std("Активность", "Active", boolean))
		out = append(out, o.accountingStandard(std)...)
	case DocumentJournal:
		// A journal's row is a registered document: its reference, date,
		// number, marks, and its type (ТИП(Документ.X), kept as the type's
		// name). 1C gives a journal no ВерсияДанных.
		var ref Type
		for _, d := range o.Documents {
			ref = append(ref, TypeSpec{Primitive: Ref, Object: d})
		}
		out = append(out, std("Ссылка", "Ref", ref), std("Дата", "Date", date), std("Номер", "Number", o.NumberType),
			std("ПометкаУдаления", "DeletionMark", boolean), std("Проведен", "Posted", boolean),
			std("Тип", "Type", Type{{Primitive: String}}))
	case Enum:
		out = append(out, std("Ссылка", "Ref", self), std("Порядок", "Order", number))
	case Constant:
		out = append(out, std("Значение", "Value", o.Type))
	}
	return out
}

// TabularSectionAttributes are the standard attributes of every row of a
// tabular section: the owner's reference and the line number.
func (t *TabularSection) StandardAttributes(owner *Object) []*Attribute {
	return []*Attribute{
		{Name: "Ссылка", English: "Ref", Type: Type{{Primitive: Ref, Object: owner.FullName(false)}}, Role: StandardAttribute},
		{Name: "НомерСтроки", English: "LineNumber", Type: Type{{Primitive: Number, Precision: 5}}, Role: StandardAttribute},
	}
}

// recorderType is the type of a register's Регистратор: a reference to
// each document that posts to it, or any reference when none says so.
func (o *Object) recorderType() Type {
	var t Type
	for _, d := range o.Recorders {
		t = append(t, TypeSpec{Primitive: Ref, Object: d})
	}
	return t
}

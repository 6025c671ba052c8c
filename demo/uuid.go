package demo

import "dostup/sqlgen"

// ID is the reference id of the demo's object named name ("Кирпичный завод",
// or a document's number) of the object fullName in Russian
// ("Справочник.Контрагенты"): sqlgen.NameUUID of fullName + "/" + name, the
// scheme the query compiler uses for enumeration values. Ids are fixed, so
// tests and scripts can name a reference without looking it up.
func ID(fullName, name string) string {
	return sqlgen.NameUUID(fullName + "/" + name)
}

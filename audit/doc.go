// Package audit answers a security consultant's questions about a 1C
// configuration and its infobase, without COM and on any OS: who may do
// what (the role × object × right matrix, with whether a record-level
// restriction applies), and which grants are dangerous (findings with
// stable codes, which tools outside dostup match on).
//
// Everything here reads the loaded model (metadata.Configuration), in which
// the importer has already applied the role editor's flags: a role with
// setForNewObjects grants every right its file does not withhold. So the
// matrix is what 1C itself grants, not what the role files list.
//
// Rights are named in Russian (Чтение, Администрирование), as 1C's role
// editor and a consultant's report name them; objects with the
// configuration's own kind prefixes (Справочник.Контрагенты); the rights of
// the configuration as a whole sit on the object Конфигурация.
package audit

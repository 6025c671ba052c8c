// Package audit answers a security consultant's questions about 1C
// infobases, without COM and on any OS, over many infobases at once: who
// may do what (the role × object × right matrix, with whether a
// record-level restriction applies; a user's effective rights on an object
// with the restrictions as the user's session reads them), who the users
// are (roles, password age and expiry, authentication kinds, locks, second
// factors, last login and failure from the event log), and what is wrong
// (findings with stable codes, which tools outside dostup match on), all
// of it as one self-contained HTML report.
//
// The flow: Read (an infobase) or FromConfiguration (a dump or a dostup
// configuration, rights only) gives an Infobase; Rights, Memberships,
// Findings and Run make rows of it; WriteReport lays Audits out as a page.
// An Inventory lists many infobases, and Each runs a job on each of them
// in a bounded pool, a failing one reported in its Outcome while the
// others go on.
//
// Everything here reads the loaded model (metadata.Configuration), in which
// the importer has already applied the role editor's flags: a role with
// setForNewObjects grants every right its file does not withhold. So the
// matrix is what 1C itself grants, not what the role files list.
//
// Rights are named in Russian (Чтение, Администрирование), as 1C's role
// editor and a consultant's report name them; objects with the
// configuration's own kind prefixes (Справочник.Контрагенты); the rights of
// the configuration as a whole sit on the object Конфигурация. The JSON of
// every row is described by docs/audit.schema.json.
package audit

// Package vocab is the one list of the words 1C gives to the kinds of
// metadata objects (Справочник/Catalog, with the dump's folder Catalogs) and
// to access rights (Чтение/Read, Проведение/Posting, Администрирование/
// Administration), in Russian and English.
//
// Every stage that meets these words needs the same list: the dump reader
// (onecxml) reads them from Rights.xml and Configuration.xml in English, the
// configuration model (metadata) accepts either language in YAML, the
// printer spells table prefixes in the language asked for, and the runtime
// names the right a change needs in its errors. Keeping the list apart from
// all of them, with no imports of its own, lets each use it without
// depending on the others: the reader stays free of the model, and the
// query language of the model.
//
// Kind and Right are strings holding the English name, the form Rights.xml
// and Configuration.xml store, so a value read from a dump is already one.
// ParseKind and ParseRight accept a name in either language and any letter
// case, since 1C names are case-insensitive.
package vocab

// Package onecxml reads the parts of a 1C:Enterprise configuration dump
// (the XML files that "Выгрузить конфигурацию в файлы" writes) that access
// control needs: the rights and record-level restrictions of each role
// (Roles/<Role>/Ext/Rights.xml), the cheap facts of Configuration.xml
// (name, script variant, object list), and the metadata object files
// (Catalogs/X.xml, InformationRegisters/Y.xml...: attributes, dimensions,
// resources, tabular sections and their types, enum values, session
// parameters, functional options, common attributes). ReadDump reads a
// whole dump; ReadObject one object file.
//
// It is the first stage of importing a real configuration: restriction
// conditions and templates come out as *source.File values whose offsets map
// back to the line and column of the XML file, so that every later stage
// (preprocessor, template expansion, parser, binder) reports errors at the
// place a 1C developer opens in an editor, even though the text it works on
// has had its XML entities, CDATA sections and CRLF line ends decoded.
//
// The package also translates between the English names that Rights.xml
// always uses (Catalog.Контрагенты, Read) and the Russian names that
// restriction texts of a Russian configuration see (Справочник.Контрагенты,
// Чтение). The names of kinds and rights come from metadata/vocab, the one
// list of them, which depends on nothing, so the reader still does not depend
// on the configuration model; only the class words of sub-objects
// (Command/Команда) are kept here, since nothing else needs them.
//
// Its errors are source.Error values, the shape of every positioned error:
// they print as file:line:col: message and marshal to the same JSON as the
// errors of the later stages.
//
// Only the standard library is used: encoding/xml does the parsing, and the
// raw bytes of each condition are decoded a second time here, in step with
// encoding/xml, because encoding/xml does not say where decoded characters
// came from.
package onecxml

// Package importer turns a 1C Configurator dump, as onecxml reads it, into
// dostup's configuration format (dostup import). It is apart from onecxml so
// that the reader does not depend on the configuration model.
package importer

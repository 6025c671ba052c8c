// Package metadata is dostup's configuration model: the objects of an
// infobase (catalogs, documents, information and accumulation registers,
// constants, enumerations) with their attributes, types and tabular sections,
// the session parameters and functional options, the roles with their rights,
// restrictions and templates, and the users.
//
// A configuration is written by hand in YAML files (docs/configuration.md)
// or imported from a 1C dump. Load reads a folder of YAML files and
// validates everything before returning: every problem is reported with
// file:line:col, and nothing is returned half-loaded. Later stages bind
// query and restriction texts to this model and map it to SQL tables.
//
// The Russian and English names of kinds and rights are not listed here but
// in metadata/vocab, which the dump reader and the query printer share
// without depending on the model; this package says which of them the model
// supports (Kinds, IsObjectRight, IsGlobalRight).
package metadata

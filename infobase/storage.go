package infobase

import (
	"dostup/metadata"
	"dostup/sqlgen"
)

// storedType is the type a standard attribute is stored as when the
// metadata gives it none or any reference.
func storedType(a *metadata.Attribute) metadata.Type {
	switch a.Name {
	case "ТипЗначения":
		return metadata.Type{{Primitive: metadata.String}}
	case "ВедущаяЗадача", "БизнесПроцесс", "ТочкаМаршрута":
		return metadata.Type{{Primitive: metadata.Ref}}
	}
	return a.Type
}

// typeTag is sqlgen.TypeTag: the query compiler compares tags with it.
func typeTag(s metadata.TypeSpec) string { return sqlgen.TypeTag(s) }

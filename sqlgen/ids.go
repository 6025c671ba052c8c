package sqlgen

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"

	"dostup/metadata"
)

// EmptyRef is the empty reference (ПустаяСсылка) of every type: 1C keeps
// "no value" of a reference as a value, not as NULL, so that comparisons
// with ЗНАЧЕНИЕ(Справочник.X.ПустаяСсылка) work and joins through it find
// nothing.
const EmptyRef = "00000000-0000-0000-0000-000000000000"

// Namespace is dostup's namespace for name-based UUIDs. A script derives any
// of them, in Python: uuid.uuid5(uuid.UUID(Namespace), "Перечисление.X/Y").
const Namespace = "6f1c3a52-9d2e-4b71-a30c-5e18447d91b6"

// NameUUID returns the name-based UUID (RFC 4122 version 5, SHA-1) of name
// in dostup's namespace: the same name gives the same reference in every
// infobase, so enumeration values and predefined items need no lookup.
func NameUUID(name string) string { return UUIDv5(Namespace, name) }

// UUIDv5 is RFC 4122's name-based UUID with SHA-1 (section 4.3) of name in
// namespace (a UUID in canonical form); the standard library is enough.
func UUIDv5(namespace, name string) string {
	ns, err := hex.DecodeString(strings.ReplaceAll(namespace, "-", ""))
	if err != nil || len(ns) != 16 {
		panic("sqlgen: bad UUID namespace " + namespace) // namespaces are constants
	}
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// PredefinedID is the reference of a predefined item of a catalog (chart,
// exchange plan): ЗНАЧЕНИЕ(Справочник.X.Имя).
func PredefinedID(o *metadata.Object, name string) string {
	return NameUUID(o.FullName(false) + "/" + name)
}

// EnumValueID is the reference of an enumeration value.
func EnumValueID(enum *metadata.Object, value string) string {
	return NameUUID(enum.FullName(false) + "/" + value)
}

// TypeTag is how the tag column of a composite field names a value's type:
// the referenced object's full name in Russian for references, else the
// primitive's Russian name (Строка, Число, Булево, Дата, ...). Неопределено
// is the empty tag.
func TypeTag(s metadata.TypeSpec) string {
	if s.Primitive == metadata.Ref {
		return s.Object
	}
	switch s.Primitive {
	case metadata.String:
		return "Строка"
	case metadata.Number:
		return "Число"
	}
	return metadata.TypeSpec{Primitive: s.Primitive}.String()
}

// RecordTypeID is the id of a value of ВидДвиженияНакопления (Приход or
// Расход, as metadata.RecordTypeValue names them): name-based, since the
// system enumeration has no table to draw ids from.
func RecordTypeID(value string) string { return SystemEnumID(metadata.RecordTypeEnum, value) }

// SystemEnumID is the id of a value of a system enumeration (its full
// name, as metadata.AccountTypeEnum; the value's Russian name):
// name-based, since these enumerations have no table to draw ids from.
func SystemEnumID(enum, value string) string { return NameUUID(enum + "/" + value) }

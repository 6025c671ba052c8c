package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"dostup/infobase"
	"dostup/metadata"
)

func newObjectCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "object",
		Short: "Create, update and delete objects as a user",
		Long: `object writes catalog items, documents and other objects with references as an
infobase user: the user's rights and record-level restrictions decide, as they
do for queries (exit 3 when refused, and nothing is written).`,
	}
	cmd.AddCommand(newObjectPutCmd(e), newObjectDeleteCmd(e))
	return cmd
}

func newObjectPutCmd(e *env) *cobra.Command {
	var dsn string
	var who sessionFlags
	cmd := &cobra.Command{
		Use:   "put --db DB [--user NAME] TYPE JSON|-",
		Short: "Create an object, or update one when JSON has Ссылка",
		Long: `put creates an object of TYPE (Справочник.Контрагенты, Документ.РеализацияТоваров)
from the JSON object of attribute values, or updates the object JSON names by
"Ссылка" (attributes left out keep their values; "ВерсияДанных", when given,
must still be the stored version). A tabular section is an array of rows.
A reference is its UUID or an object of field values that must match exactly
one item the user can read, e.g. {"Наименование": "ООО Лютик"}.

Creating needs the Добавление right and its restriction on the new record;
updating needs Изменение and its restriction before and after. It prints the
object as JSON; exit 3 when refused, 1 when a value is wrong.

  dostup object put --db demo.db --user ivanov Справочник.Контрагенты \
    '{"Наименование": "ООО Новый", "Организация": {"Наименование": "ООО Ромашка"}}'`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dsn == "" {
				return usageError(errors.New("--db is required"))
			}
			data := args[1]
			if data == "-" {
				_, in, err := readInput(e, nil)
				if err != nil {
					return usageError(err)
				}
				data = in
			}
			var values map[string]any
			dec := json.NewDecoder(strings.NewReader(data))
			dec.UseNumber()
			if err := dec.Decode(&values); err != nil {
				return usageError(fmt.Errorf("JSON: %v (expected an object of attribute values)", err))
			}
			ctx := context.Background()
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				return usageError(err)
			}
			defer ib.Close()
			obj := ib.Config.Object(args[0])
			if obj == nil || !obj.Kind.IsReference() || obj.Kind == metadata.Enum {
				return usageError(fmt.Errorf("%s is not an object with references (Справочник.X, Документ.X ...)", args[0]))
			}
			s, err := who.open(ctx, ib)
			if err != nil {
				return err
			}
			ref, err := putObject(ctx, s, obj, values)
			if err != nil {
				return failure(err)
			}
			stored, err := s.Read(ctx, obj.FullName(false), ref)
			if err != nil {
				return failure(err)
			}
			return printObject(e, stored)
		},
	}
	cmd.Flags().StringVar(&dsn, "db", "", "the infobase: an SQLite file or a postgres:// URL")
	who.add(cmd)
	return cmd
}

func newObjectDeleteCmd(e *env) *cobra.Command {
	var dsn string
	var who sessionFlags
	cmd := &cobra.Command{
		Use:   "delete --db DB [--user NAME] TYPE UUID",
		Short: "Delete an object (not a deletion mark) and print what it was",
		Long: `delete deletes the object of TYPE with the reference UUID, with its tabular
sections (and a document's movements), as the user: the Удаление right and its
restriction on the stored record. It prints the deleted object as JSON; exit 3
when refused.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dsn == "" {
				return usageError(errors.New("--db is required"))
			}
			ctx := context.Background()
			ib, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				return usageError(err)
			}
			defer ib.Close()
			s, err := who.open(ctx, ib)
			if err != nil {
				return err
			}
			old, err := s.Read(ctx, args[0], args[1])
			if err != nil {
				return failure(err)
			}
			if err := s.Delete(ctx, args[0], args[1]); err != nil {
				return failure(err)
			}
			return printObject(e, old)
		},
	}
	cmd.Flags().StringVar(&dsn, "db", "", "the infobase: an SQLite file or a postgres:// URL")
	who.add(cmd)
	return cmd
}

// putObject creates or updates an object from JSON values.
func putObject(ctx context.Context, s *infobase.Session, obj *metadata.Object, values map[string]any) (string, error) {
	name := obj.FullName(false)
	var ref string
	var version any
	attrs := map[string]any{}
	sections := map[string][]map[string]any{}
	for k, v := range values {
		switch {
		case strings.EqualFold(k, "Ссылка") || strings.EqualFold(k, "Ref"):
			id, ok := v.(string)
			if !ok {
				return "", errors.New("the value of Ссылка must be the object's UUID")
			}
			ref = id
		case strings.EqualFold(k, "ВерсияДанных") || strings.EqualFold(k, "DataVersion"):
			version = v
		case obj.TabularSection(k) != nil:
			ts := obj.TabularSection(k)
			list, ok := v.([]any)
			if !ok {
				return "", fmt.Errorf("%s is a tabular section: give an array of rows", k)
			}
			var rows []map[string]any
			for i, item := range list {
				row, ok := item.(map[string]any)
				if !ok {
					return "", fmt.Errorf("%s, row %d: expected an object of values", k, i+1)
				}
				for col, cv := range row {
					a := sectionAttribute(ts, col)
					if a == nil {
						return "", fmt.Errorf("%s, row %d: the tabular section has no attribute %s", k, i+1, col)
					}
					rv, err := resolveValue(ctx, s, a, cv)
					if err != nil {
						return "", fmt.Errorf("%s, row %d, %s: %w", k, i+1, col, err)
					}
					row[col] = rv
				}
				rows = append(rows, row)
			}
			sections[ts.Name] = rows
		default:
			a := obj.Attribute(k)
			if a == nil {
				return "", fmt.Errorf("%s has no attribute %s", name, k)
			}
			rv, err := resolveValue(ctx, s, a, v)
			if err != nil {
				return "", fmt.Errorf("%s: %w", k, err)
			}
			attrs[a.Name] = rv
		}
	}
	if ref == "" {
		if version != nil {
			return "", errors.New("ВерсияДанных is given without Ссылка: a new object has no version yet")
		}
		return s.Create(ctx, name, attrs, sections)
	}
	stored, err := s.Read(ctx, name, ref)
	if err != nil {
		return "", err
	}
	if version != nil {
		if fmt.Sprint(version) != fmt.Sprint(stored.Version) {
			return "", fmt.Errorf("%s %s: %w (ВерсияДанных %v given, %d stored)", name, ref, infobase.ErrVersionConflict, version, stored.Version)
		}
	}
	for k, v := range attrs {
		if strings.EqualFold(k, "ПометкаУдаления") {
			b, ok := v.(bool)
			if !ok {
				return "", errors.New("ПометкаУдаления must be true or false")
			}
			stored.DeletionMark = b
			continue
		}
		stored.Values[k] = v
	}
	stored.Sections = sections
	return stored.Ref, s.Update(ctx, stored)
}

func sectionAttribute(ts *metadata.TabularSection, name string) *metadata.Attribute {
	for _, a := range ts.Attributes {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

// resolveValue turns a JSON value into what the objects API takes: an
// object given for a reference becomes the one item it matches, found by a
// query the session runs with РАЗРЕШЕННЫЕ, so the user picks only among
// what the user may read.
func resolveValue(ctx context.Context, s *infobase.Session, a *metadata.Attribute, v any) (any, error) {
	match, ok := v.(map[string]any)
	if !ok {
		return v, nil
	}
	if len(a.Type) != 1 || a.Type[0].Primitive != metadata.Ref || a.Type[0].Object == "" {
		return nil, fmt.Errorf("an object of field values picks a reference only for an attribute of one reference type; %s is %s: give the UUID", a.Name, a.Type)
	}
	if len(match) == 0 {
		return nil, errors.New("{} matches nothing: name fields, as {\"Наименование\": \"…\"}")
	}
	keys := make([]string, 0, len(match))
	for k := range match {
		if !isIdentifier(k) {
			return nil, fmt.Errorf("%q is not a field name", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var conds []string
	params := map[string]any{}
	for i, k := range keys {
		p := fmt.Sprintf("Значение%d", i+1)
		// The field name is checked against the metadata by the
		// compiler; the value is bound.
		conds = append(conds, fmt.Sprintf("Т.%s = &%s", k, p))
		params[p] = match[k]
	}
	target := a.Type[0].Object
	res, err := s.Query(ctx, fmt.Sprintf("ВЫБРАТЬ РАЗРЕШЕННЫЕ ПЕРВЫЕ 2 Т.Ссылка КАК Ссылка ИЗ %s КАК Т ГДЕ %s", target, strings.Join(conds, " И ")), params)
	if err != nil {
		return nil, err
	}
	desc, _ := json.Marshal(match)
	switch len(res.Rows) {
	case 0:
		return nil, fmt.Errorf("%s matches no item of %s that user %s may read", desc, target, s.User())
	case 1:
		return res.Rows[0][0], nil
	}
	return nil, fmt.Errorf("%s matches more than one item of %s: name more fields or give the UUID", desc, target)
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// printObject prints an object as JSON: Ссылка, ВерсияДанных,
// ПометкаУдаления, the attributes, and each tabular section's rows, with
// values as query results print them.
func printObject(e *env, o *infobase.Object) error {
	var b bytes.Buffer
	b.WriteString("{")
	put := func(k string, v any) {
		if b.Len() > 1 {
			b.WriteString(",")
		}
		kj, _ := json.Marshal(k)
		vj, _ := marshalValue(v)
		b.Write(kj)
		b.WriteString(":")
		b.Write(vj)
	}
	put("Ссылка", o.Ref)
	put("ВерсияДанных", o.Version)
	put("ПометкаУдаления", o.DeletionMark)
	keys := make([]string, 0, len(o.Values))
	for k := range o.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		put(k, o.Values[k])
	}
	names := make([]string, 0, len(o.Sections))
	for k := range o.Sections {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		rows := []map[string]any{}
		for _, r := range o.Sections[k] {
			row := map[string]any{}
			for c, v := range r {
				row[c] = jsonValue(v)
			}
			rows = append(rows, row)
		}
		put(k, rows)
	}
	b.WriteString("}\n")
	_, err := e.stdout.Write(b.Bytes())
	return err
}

func marshalValue(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonValue(v)); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// jsonValue is a value as JSON output shows it, the same as query results.
func jsonValue(v any) any {
	switch v := v.(type) {
	case infobase.Number:
		return json.Number(v)
	case time.Time:
		return v.Format("2006-01-02T15:04:05")
	case infobase.TypedValue:
		return map[string]any{"type": v.Type, "value": jsonValue(v.Value)}
	}
	return v
}

package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"dostup/infobase"
	"dostup/metadata"
	"dostup/wire"
)

func newObjectCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "object",
		Short: "Create, update and delete objects as a user",
		Long: `object writes catalog items, documents and other objects with references as an
infobase user: the user's rights and record-level restrictions decide, as they
do for queries (exit 3 when refused, and nothing is written).`,
	}
	cmd.AddCommand(userCmd(e, newObjectPutCmd), userCmd(e, newObjectDeleteCmd))
	return cmd
}

func newObjectPutCmd(e *env, who *sessionFlags) *cobra.Command {
	return &cobra.Command{
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
			if err := needDB(who.dsn); err != nil {
				return err
			}
			data, err := argOrStdin(e, args[1])
			if err != nil {
				return err
			}
			var values map[string]any
			dec := json.NewDecoder(strings.NewReader(data))
			dec.UseNumber()
			if err := dec.Decode(&values); err != nil {
				return usageError(fmt.Errorf("JSON: %v (expected an object of attribute values)", err))
			}
			ctx := cmd.Context()
			ib, err := openInfobase(ctx, who.dsn)
			if err != nil {
				return err
			}
			defer ib.Close()
			obj := ib.Config.Object(args[0])
			if obj == nil || !obj.Kind.IsReference() || obj.Kind == metadata.Enum {
				return usageError(fmt.Errorf("%s is not an object with references (Справочник.X, Документ.X ...)", args[0]))
			}
			s, err := who.session(ctx, ib)
			if err != nil {
				return err
			}
			ref, err := wire.PutObject(ctx, s, obj, values)
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
}

func newObjectDeleteCmd(e *env, who *sessionFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "delete --db DB [--user NAME] TYPE UUID",
		Short: "Delete an object (not a deletion mark) and print what it was",
		Long: `delete deletes the object of TYPE with the reference UUID, with its tabular
sections (and a document's movements), as the user: the Удаление right and its
restriction on the stored record. It prints the deleted object as JSON; exit 3
when refused.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ib, s, err := who.open(ctx)
			if err != nil {
				return err
			}
			defer ib.Close()
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
}

// printObject prints an object as JSON (wire.Object).
func printObject(e *env, o *infobase.Object) error {
	_, err := e.stdout.Write(append(wire.Object(o), '\n'))
	return err
}

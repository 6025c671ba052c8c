package infobase

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"dostup/metadata"
	"dostup/metadata/vocab"
	"dostup/sqlgen"
)

// post posts a document: it sets Проведен and replaces the record sets the
// document recorded in the registers of movements with their records
// (records of other registers stay as they were). A record's Период is the
// document's Дата unless given, Активность true unless given; ВидДвижения
// of a balance register's record is "Приход" or "Расход" (or their ids).
// Регистратор and НомерСтроки are the document and 1..n. One transaction:
// a bad record anywhere leaves the document and every register unchanged.
func (ib *Infobase) post(ctx context.Context, s *Session, fullName, ref string, movements []RecordSet) error {
	om, id, err := ib.document(fullName, ref)
	if err != nil {
		return err
	}
	name := om.Object.FullName(false)
	if err := s.mayWrite(om, vocab.Posting); err != nil {
		return err
	}
	return ib.inTx(ctx, func(tx *sql.Tx) error {
		old, err := ib.readObject(ctx, tx, om, id)
		if err != nil {
			return err
		}
		if old.DeletionMark {
			return &ValidationError{Object: name, Attribute: "ПометкаУдаления", Msg: "a document marked for deletion cannot be posted: clear the mark first"}
		}
		after := copyValues(old.Values)
		after["Проведен"] = true
		err = ib.write(ctx, tx, s, &writeOp{
			Right: vocab.Posting, Object: om, Ref: id, Before: old.Values, After: after,
			apply: func(ctx context.Context, tx *sql.Tx) error {
				return ib.updateRow(ctx, tx, om, id, old.Version, map[string]any{om.Fields["проведен"].Column: true})
			},
		})
		if err != nil {
			return err
		}
		date, _ := old.Values["Дата"].(time.Time)
		seen := map[*sqlgen.ObjectMap]bool{}
		for _, rs := range movements {
			rm := ib.Schema.Object(ib.Config, rs.Register)
			if rm == nil || !recorded(rm.Object) {
				return &ValidationError{Object: name, Attribute: rs.Register, Msg: fmt.Sprintf("%s is not a register of movements: a document records movements in accumulation registers and in information registers subordinate to a recorder", rs.Register)}
			}
			if seen[rm] {
				return &ValidationError{Object: name, Attribute: rs.Register, Msg: fmt.Sprintf("the movements in %s are given twice", rm.Object.FullName(false))}
			}
			seen[rm] = true
			rows, records, err := ib.movements(ctx, tx, name, id, date, rm, rs.Records)
			if err != nil {
				return err
			}
			err = ib.write(ctx, tx, s, &writeOp{
				Right: vocab.Update, Object: rm, Ref: id, Records: records,
				apply: func(ctx context.Context, tx *sql.Tx) error {
					if err := ib.deleteRecordSet(ctx, tx, rm, id); err != nil {
						return err
					}
					for _, cols := range rows {
						if err := ib.insert(ctx, tx, rm.Table, cols); err != nil {
							return err
						}
					}
					return nil
				},
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// unpost clears a document's Проведен and deletes every movement it
// recorded, in every register of the configuration that has a recorder.
func (ib *Infobase) unpost(ctx context.Context, s *Session, fullName, ref string) error {
	om, id, err := ib.document(fullName, ref)
	if err != nil {
		return err
	}
	if err := s.mayWrite(om, vocab.UndoPosting); err != nil {
		return err
	}
	return ib.inTx(ctx, func(tx *sql.Tx) error {
		old, err := ib.readObject(ctx, tx, om, id)
		if err != nil {
			return err
		}
		after := copyValues(old.Values)
		after["Проведен"] = false
		return ib.write(ctx, tx, s, &writeOp{
			Right: vocab.UndoPosting, Object: om, Ref: id, Before: old.Values, After: after,
			apply: func(ctx context.Context, tx *sql.Tx) error {
				if err := ib.deleteMovements(ctx, tx, id); err != nil {
					return err
				}
				return ib.updateRow(ctx, tx, om, id, old.Version, map[string]any{om.Fields["проведен"].Column: false})
			},
		})
	})
}

func (ib *Infobase) document(fullName, ref string) (*sqlgen.ObjectMap, string, error) {
	om, id, err := ib.target(fullName, ref)
	if err != nil {
		return nil, "", err
	}
	if om.Object.Kind != metadata.Document {
		return nil, "", fmt.Errorf("%s is not a document: only documents are posted", om.Object.FullName(false))
	}
	return om, id, nil
}

// recorded reports whether a register keeps records of recorders.
func recorded(o *metadata.Object) bool {
	return o.Kind == metadata.AccumulationRegister || o.Kind == metadata.AccountingRegister || o.Kind == metadata.InformationRegister && o.Recorder
}

// movements checks the records of one register a document writes and gives
// their rows (columns) and values.
func (ib *Infobase) movements(ctx context.Context, tx *sql.Tx, doc, id string, date time.Time, rm *sqlgen.ObjectMap, records []map[string]any) ([]map[string]any, []map[string]any, error) {
	o := rm.Object
	var rows, values []map[string]any
	for i, r := range records {
		at := &place{object: doc, section: o.FullName(false), line: i + 1}
		given := map[string]any{}
		for k, v := range r {
			a := o.Attribute(k)
			if a == nil {
				return nil, nil, at.errorf(k, "no attribute %s", k)
			}
			switch a.Name {
			case "Регистратор", "НомерСтроки":
				return nil, nil, at.errorf(a.Name, "%s is set by posting: the document and the record's place in the set", a.Name)
			}
			given[a.Name] = v
		}
		if _, ok := given["Период"]; !ok && o.Attribute("Период") != nil {
			given["Период"] = date
		}
		if _, ok := given["Активность"]; !ok {
			given["Активность"] = true
		}
		if o.Kind == metadata.AccumulationRegister && !o.Turnovers {
			if v, ok := given["ВидДвижения"]; !ok || v == nil {
				return nil, nil, at.errorf("ВидДвижения", "attribute ВидДвижения: a movement of a balance register is Приход or Расход")
			}
		}
		if o.Kind == metadata.AccountingRegister {
			if err := accountingRecord(o, given, at); err != nil {
				return nil, nil, err
			}
		}
		cols := map[string]any{rm.Fields["номерстроки"].Column: int64(i + 1)}
		rf := rm.Fields["регистратор"]
		for kind, col := range rf.Parts {
			cols[col] = emptyPart(kind)
		}
		cols[rf.Tag], cols[rf.Parts["ref"]] = doc, id
		vals := map[string]any{"Регистратор": TypedValue{Type: doc, Value: Ref{ID: id}}, "НомерСтроки": Number(fmt.Sprint(i + 1))}
		attrs := append(o.StandardAttributes(), o.Attributes...)
		for _, a := range attrs {
			if a.Name == "Регистратор" || a.Name == "НомерСтроки" {
				continue
			}
			c, norm, err := ib.encode(ctx, tx, at, a, storedType(a), rm.Fields[strings.ToLower(a.Name)], given[a.Name], nil)
			if err != nil {
				return nil, nil, err
			}
			for k, x := range c {
				cols[k] = x
			}
			vals[a.Name] = norm
		}
		rows = append(rows, cols)
		values = append(values, vals)
	}
	return rows, values, nil
}

// deleteRecordSet deletes the records of one recorder in a register.
func (ib *Infobase) deleteRecordSet(ctx context.Context, tx *sql.Tx, rm *sqlgen.ObjectMap, id string) error {
	col := rm.Fields["регистратор"].Parts["ref"]
	return ib.exec(ctx, tx, fmt.Sprintf("DELETE FROM %s WHERE %s = %s", ib.q(rm.Table.Name), ib.q(col), ib.p(1)), id)
}

// deleteMovements deletes a document's records in every register with a
// recorder.
func (ib *Infobase) deleteMovements(ctx context.Context, tx *sql.Tx, id string) error {
	for _, o := range ib.Config.Objects {
		if !recorded(o) {
			continue
		}
		if err := ib.deleteRecordSet(ctx, tx, ib.Schema.Object(ib.Config, o.FullName(false)), id); err != nil {
			return err
		}
	}
	return nil
}

// accountingRecord checks what a record of an accounting register needs:
// its account (both when the register has correspondence) and, without
// correspondence, its side.
func accountingRecord(o *metadata.Object, given map[string]any, at *place) error {
	need := []string{"Счет", "ВидДвижения"}
	if o.Correspondence {
		// A record to an off-balance account has one side only.
		_, dt := given["СчетДт"]
		_, kt := given["СчетКт"]
		if !dt && !kt {
			return at.errorf("СчетДт", "a record of %s needs СчетДт, СчетКт or both", o.FullName(false))
		}
		return nil
	}
	for _, name := range need {
		if v, ok := given[name]; !ok || v == nil {
			what := map[string]string{"Счет": "the account it posts to", "ВидДвижения": "Дебет or Кредит"}[name]
			return at.errorf(name, "attribute %s: a record of %s needs %s", name, o.FullName(false), what)
		}
	}
	return nil
}

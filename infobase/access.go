package infobase

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dostup/metadata"
	"dostup/metadata/vocab"
	"dostup/rls"
	"dostup/sqlgen"
)

// write performs one change inside the caller's transaction. Every object
// write goes through here and only here, which is where rights and
// record-level security apply (§3.3): the session's roles must grant the
// operation's right; the restriction of Добавление must hold for the new
// record, of Изменение before and after the change, of Удаление for the
// stored record (posting and unposting change the document, so they are
// judged by Изменение's restriction, and a record set by the register's).
// The engine's own checks (parent, owner, code and number uniqueness) run
// before, with full rights, as 1C runs them. A refusal is an *rls.AccessError
// and the caller's transaction is rolled back, so nothing is written.
// s is nil for the engine's own writes and privileged sessions.
func (ib *Infobase) write(ctx context.Context, tx *sql.Tx, s *Session, op *writeOp) error {
	if s == nil || s.PrivilegedMode() {
		return op.apply(ctx, tx)
	}
	if err := s.mayWrite(op.Object, op.Right); err != nil {
		return err
	}
	if op.Unposts {
		if err := s.mayWrite(op.Object, vocab.UndoPosting); err != nil {
			return err
		}
	}
	right := op.Right
	if right == vocab.Posting || right == vocab.UndoPosting {
		right = vocab.Update
	}
	if op.Before != nil {
		if err := ib.allowed(ctx, tx, s, op.Object, right, op.Ref); err != nil {
			return err
		}
	}
	if err := op.apply(ctx, tx); err != nil {
		return err
	}
	if op.After != nil || op.Records != nil {
		return ib.allowed(ctx, tx, s, op.Object, right, op.Ref)
	}
	return nil
}

// mayWrite refuses a write whose right none of the session's roles grant.
// The write methods ask it before they begin their transaction as well as
// inside it: a refusal needs no write lock, so it is answered, and logged,
// at once even while other writers hold the database.
func (s *Session) mayWrite(om *sqlgen.ObjectMap, right vocab.Right) error {
	if s == nil || s.PrivilegedMode() {
		return nil
	}
	name := om.Object.FullName(false)
	plan, err := s.access.Plan(name, right, rls.Fields{All: true})
	if err != nil {
		return err
	}
	if plan.Decision == rls.Denied && plan.Message == "" {
		return s.denied(&rls.AccessError{Object: name, Right: right, Mode: "write"})
	}
	return nil
}

// allowed checks that the stored record of an object (or every record of a
// record set of the recorder ref) is within the session's restriction of a
// right; nil session or privileged mode allow everything.
func (ib *Infobase) allowed(ctx context.Context, tx *sql.Tx, s *Session, om *sqlgen.ObjectMap, right vocab.Right, ref string) error {
	if s == nil || s.PrivilegedMode() {
		return nil
	}
	check, err := s.forbiddenCheck(om.Object.FullName(false), right)
	if err != nil {
		return s.denied(err)
	}
	if check == nil {
		return nil
	}
	args, err := ib.bindArgs(check.Args, map[string]any{"Ссылка": ref}, s)
	if err != nil {
		return err
	}
	var one int64
	switch err := tx.QueryRowContext(ctx, check.SQL, args...).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("checking access to %s: %w", om.Object.FullName(false), err)
	}
	return s.denied(&rls.AccessError{Object: om.Object.FullName(false), Right: right, Records: true, Mode: rls.ObjectMode(right)})
}

// forbiddenCheck is the compiled check of a right's restriction, made once
// per object and right for the session (its restrictions do not change).
func (s *Session) forbiddenCheck(object string, right vocab.Right) (*sqlgen.Statement, error) {
	key := object + "\x00" + string(right)
	s.mu.Lock()
	c, ok := s.forbidden[key]
	s.mu.Unlock()
	if ok {
		return c.stmt, c.err
	}
	stmt, err := s.compiler.ForbiddenCheck(object, right)
	s.mu.Lock()
	if s.forbidden == nil {
		s.forbidden = map[string]compiledCheck{}
	}
	s.forbidden[key] = compiledCheck{stmt, err}
	s.mu.Unlock()
	return stmt, err
}

type compiledCheck struct {
	stmt *sqlgen.Statement
	err  error
}

// hideForbidden empties the presentation of every reference of obj (its
// attributes and its tabular sections' rows) to a record the session may
// not read: the reference stays, nothing of the record shows, as 1C shows
// a forbidden record's reference. The check is the one queries make
// (the Read right and its restriction on the stored record).
func (s *Session) hideForbidden(ctx context.Context, tx *sql.Tx, om *sqlgen.ObjectMap, obj *Object) error {
	if s == nil || s.PrivilegedMode() {
		return nil
	}
	// target → id → the places holding a presentation of it
	type place struct {
		row  map[string]any
		name string
	}
	shown := map[*sqlgen.ObjectMap]map[string][]place{}
	collect := func(cols []column, row map[string]any) {
		for _, c := range cols {
			if len(c.typ) != 1 || c.typ[0].Primitive != metadata.Ref || c.typ[0].Object == "" {
				continue
			}
			r, ok := row[c.attr.Name].(Ref)
			if !ok || r.Presentation == "" {
				continue
			}
			target := s.ib.Schema.Object(s.ib.Config, c.typ[0].Object)
			if target == nil || !target.Object.Kind.IsReference() || target.Object.Kind == metadata.Enum {
				continue // an enumeration's values are no records: nothing to hide
			}
			if shown[target] == nil {
				shown[target] = map[string][]place{}
			}
			shown[target][r.ID] = append(shown[target][r.ID], place{row, c.attr.Name})
		}
	}
	collect(objectColumns(om), obj.Values)
	for _, sm := range sortedSections(om) {
		cols := sectionColumns(om, sm)
		for _, row := range obj.Sections[sm.Section.Name] {
			collect(cols, row)
		}
	}
	for target, places := range shown {
		ids := make([]any, 0, len(places))
		for _, id := range sortedKeys(places) {
			ids = append(ids, id)
		}
		ok, err := s.readable(ctx, tx, target, ids)
		if err != nil {
			return err
		}
		readable := map[string]bool{}
		for _, id := range ok {
			readable[fmt.Sprint(id)] = true
		}
		for id, list := range places {
			if readable[id] {
				continue
			}
			for _, p := range list {
				r := p.row[p.name].(Ref)
				r.Presentation = ""
				p.row[p.name] = r
			}
		}
	}
	return nil
}

// readable filters ids of an object to those the session may read.
func (s *Session) readable(ctx context.Context, tx *sql.Tx, om *sqlgen.ObjectMap, ids []any) ([]any, error) {
	var out []any
	for _, id := range ids {
		err := s.ib.allowed(ctx, tx, s, om, vocab.Read, fmt.Sprint(id))
		var ae *rls.AccessError
		switch {
		case errors.As(err, &ae):
			continue
		case err != nil:
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// Create writes a new object of a reference kind (catalog, document, chart
// of characteristic types, exchange plan, business process, task) with the
// values and the rows of its tabular sections, and returns its reference.
// Attributes not given get their empty values (empty reference, "", 0,
// false, 0001-01-01), as in 1C. A catalog with a code gets the next free code
// when none is given, a document the next free number and Дата now; codes
// and numbers are unique (within the owner for a subordinate catalog).
// Everything is one transaction. The infobase's own methods write with full
// rights, as the engine; a Session's write as its user.
func (ib *Infobase) Create(ctx context.Context, fullName string, values map[string]any, sections map[string][]map[string]any) (string, error) {
	return ib.create(ctx, nil, fullName, values, sections)
}

// Read reads an object by its reference; a missing one is *NotFoundError.
func (ib *Infobase) Read(ctx context.Context, fullName, ref string) (*Object, error) {
	return ib.read(ctx, nil, fullName, ref)
}

// Update writes an object read before: the attributes in obj.Values (those
// left out keep their stored values), the deletion mark, and the tabular
// sections in obj.Sections, each replaced by the rows given (sections left
// out keep their rows). It fails with ErrVersionConflict when the object
// changed since it was read, and changes nothing then; on success
// obj.Version is the new version.
func (ib *Infobase) Update(ctx context.Context, obj *Object) error { return ib.update(ctx, nil, obj) }

// Delete deletes an object and the rows of its tabular sections at once (not
// a deletion mark); a document's movements go with it. References to it
// elsewhere are not checked: they become broken references, as in 1C.
func (ib *Infobase) Delete(ctx context.Context, fullName, ref string) error {
	return ib.deleteObject(ctx, nil, fullName, ref)
}

// SetDeletionMark sets or clears an object's deletion mark, a change of the
// object that bumps its version. Marking a posted document unposts it (its
// movements are deleted), as 1C does.
func (ib *Infobase) SetDeletionMark(ctx context.Context, fullName, ref string, mark bool) error {
	return ib.setDeletionMark(ctx, nil, fullName, ref, mark)
}

// Post posts a document: it sets Проведен and replaces the record sets the
// document recorded in the registers of movements with their records
// (records of other registers stay as they were). A record's Период is the
// document's Дата unless given, Активность true unless given; ВидДвижения
// of a balance register's record is "Приход" or "Расход" (or their ids).
// Регистратор and НомерСтроки are the document and 1..n. One transaction:
// a bad record anywhere leaves the document and every register unchanged.
func (ib *Infobase) Post(ctx context.Context, fullName, ref string, movements []RecordSet) error {
	return ib.post(ctx, nil, fullName, ref, movements)
}

// Unpost clears a document's Проведен and deletes every movement it
// recorded, in every register of the configuration that has a recorder.
func (ib *Infobase) Unpost(ctx context.Context, fullName, ref string) error {
	return ib.unpost(ctx, nil, fullName, ref)
}

// Create creates an object as the session's user (Infobase.Create): the
// Добавление right, and its restriction on the new record.
func (s *Session) Create(ctx context.Context, fullName string, values map[string]any, sections map[string][]map[string]any) (string, error) {
	id, err := s.ib.create(ctx, s, fullName, values, sections)
	return id, s.logDenied(ctx, err)
}

// Read reads an object as the session's user: the Чтение right, and its
// restriction on the record (a forbidden record is *rls.AccessError).
func (s *Session) Read(ctx context.Context, fullName, ref string) (*Object, error) {
	obj, err := s.ib.read(ctx, s, fullName, ref)
	return obj, s.logDenied(ctx, err)
}

// Update updates an object as the session's user (Infobase.Update): the
// Изменение right, and its restriction before and after the change.
func (s *Session) Update(ctx context.Context, obj *Object) error {
	return s.logDenied(ctx, s.ib.update(ctx, s, obj))
}

// Delete deletes an object as the session's user (Infobase.Delete): the
// Удаление right, and its restriction on the stored record.
func (s *Session) Delete(ctx context.Context, fullName, ref string) error {
	return s.logDenied(ctx, s.ib.deleteObject(ctx, s, fullName, ref))
}

// SetDeletionMark marks an object as the session's user: a change, judged
// as Update is.
func (s *Session) SetDeletionMark(ctx context.Context, fullName, ref string, mark bool) error {
	return s.logDenied(ctx, s.ib.setDeletionMark(ctx, s, fullName, ref, mark))
}

// Post posts a document as the session's user (Infobase.Post): the
// Проведение right with Изменение's restriction on the document, and
// Изменение with its restriction on every record set it writes.
func (s *Session) Post(ctx context.Context, fullName, ref string, movements []RecordSet) error {
	return s.logDenied(ctx, s.ib.post(ctx, s, fullName, ref, movements))
}

// Unpost unposts a document as the session's user: the ОтменаПроведения
// right with Изменение's restriction on the document.
func (s *Session) Unpost(ctx context.Context, fullName, ref string) error {
	return s.logDenied(ctx, s.ib.unpost(ctx, s, fullName, ref))
}

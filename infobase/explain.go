package infobase

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dostup/rls"
)

// ErrNoRecord is returned by ConditionOn when the object has no record of
// the reference given.
var ErrNoRecord = errors.New("no such record")

// ConditionOn evaluates a restriction condition, as the session's access
// gives it (rls.Session.Grants), on one record of a reference object: true
// when the record satisfies it, false when it does not, nil when SQL
// cannot tell (a NULL the condition leaves undecided: the record does not
// pass). Session parameters the condition reads take the session's
// values. It reads the record with full rights, as explaining a decision
// must.
func (s *Session) ConditionOn(ctx context.Context, object string, cond rls.Condition, ref string) (*bool, error) {
	st, err := s.ib.compiler.CompileConditionOn(object, cond)
	if err != nil {
		return nil, err
	}
	sqlText, list := st.Expand(listCount(nil, s))
	args, err := s.ib.bindArgs(list, map[string]any{"Ссылка": ref}, s)
	if err != nil {
		return nil, err
	}
	var v sql.NullInt64
	switch err := s.ib.DB.SQL.QueryRowContext(ctx, sqlText, args...).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("%s %s: %w", object, ref, ErrNoRecord)
	case err != nil:
		return nil, fmt.Errorf("evaluating a restriction of %s: %w", object, statementError(err))
	}
	if !v.Valid {
		return nil, nil
	}
	b := v.Int64 == 1
	return &b, nil
}

// RestrictionSQL is the SQL a restriction condition of the session becomes
// for a table of the object: SELECT 1 FROM the table WHERE the condition,
// session parameters as placeholders. dostup explain shows it.
func (s *Session) RestrictionSQL(object string, cond rls.Condition) (string, error) {
	st, err := s.ib.compiler.CompileRestriction(object, cond)
	if err != nil {
		return "", err
	}
	return st.SQL, nil
}

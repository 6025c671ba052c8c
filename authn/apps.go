package authn

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"dostup/eventlog"
	"dostup/infobase"
)

// Application is a program that authenticates with an id and a secret,
// the first step of [002]; its roles are active in every session it
// opens.
type Application struct {
	Name    string    `json:"name"`
	Roles   []string  `json:"roles"`
	Created time.Time `json:"created"`
}

// AddApplication registers an application with roles and returns its
// secret, shown this once: only a hash is kept. Registering an existing
// name gives it a new secret and the roles given.
func (s *Service) AddApplication(ctx context.Context, name string, roles []string, by Actor) (string, error) {
	if name == "" || len(name) > 100 {
		return "", errors.New("an application needs a name of 1 to 100 characters")
	}
	for _, r := range roles {
		if s.ib.Config.Role(r) == nil {
			return "", fmt.Errorf("application %s: role %q is not in the configuration", name, r)
		}
	}
	secret, _, err := NewToken()
	if err != nil {
		return "", err
	}
	rolesJSON, _ := json.Marshal(nonNil(roles))
	tx, err := s.begin(ctx)
	if err != nil {
		return "", err
	}
	defer s.done(tx)
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+s.q(appsTable)+" WHERE name_key = "+s.p(1), lower(name)); err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+s.q(appsTable)+" (name_key, name, secret_hash, roles, created) VALUES ("+s.p(1)+", "+s.p(2)+", "+s.p(3)+", "+s.p(4)+", "+s.p(5)+")",
		lower(name), name, appSecretHash(secret), string(rolesJSON), s.now().UnixMicro()); err != nil {
		return "", err
	}
	if err := s.log.AppendTx(ctx, tx, by.event(eventlog.ConfigUpdate, "application "+name, map[string]any{"roles": nonNil(roles)})); err != nil {
		return "", err
	}
	return secret, tx.Commit()
}

// appSecretHash is SHA-256: an application secret is 256 random bits, so
// a slow hash would add cost and no strength.
func appSecretHash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Applications lists the registered applications.
func (s *Service) Applications(ctx context.Context) ([]Application, error) {
	rows, err := s.ib.DB.SQL.QueryContext(ctx, "SELECT name, roles, created FROM "+s.q(appsTable)+" ORDER BY name_key")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Application
	for rows.Next() {
		var a Application
		var roles string
		var created int64
		if err := rows.Scan(&a.Name, &roles, &created); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(roles), &a.Roles); err != nil {
			return nil, err
		}
		a.Created = time.UnixMicro(created).UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// AppLogin authenticates an application and opens its session, whose
// roles are the application's. The token is returned this once. A wrong
// secret counts toward locking the source address, reserved and settled
// as a password check is (lockout.go).
func (s *Service) AppLogin(ctx context.Context, name, secret, source string) (string, *Session, error) {
	att, err := s.reserve(ctx, "", source, "")
	if err != nil {
		if isRefusal(err) {
			if lerr := s.logFailure(ctx, "", "", name, source, err.Error()); lerr != nil {
				return "", nil, lerr
			}
		}
		return "", nil, err
	}
	settled := false
	defer func() {
		if !settled {
			s.drop(ctx, att)
		}
	}()
	var hash, roles string
	err = s.ib.DB.SQL.QueryRowContext(ctx, "SELECT secret_hash, roles FROM "+s.q(appsTable)+" WHERE name_key = "+s.p(1), lower(name)).Scan(&hash, &roles)
	if errors.Is(err, sql.ErrNoRows) {
		hash = appSecretHash("") // compare anyway: an unknown id costs the same
	} else if err != nil {
		return "", nil, err
	}
	if !SecretEqual(hash, appSecretHash(secret)) || errors.Is(err, sql.ErrNoRows) {
		settled = true
		if err := s.fail(ctx, att, source, "", failureEvent("", "", name, source, "wrong application id or secret")); err != nil {
			return "", nil, err
		}
		return "", nil, ErrBadCredentials
	}
	sess := &Session{Application: name, Source: source, Methods: []string{"application"}}
	if err := json.Unmarshal([]byte(roles), &sess.Roles); err != nil {
		return "", nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return "", nil, err
	}
	defer s.done(tx)
	if err := s.passTx(ctx, tx, att); err != nil {
		return "", nil, err
	}
	token, err := s.newSession(ctx, tx, sess)
	if err != nil {
		return "", nil, err
	}
	if err := s.log.AppendTx(ctx, tx,
		eventlog.Event{Kind: eventlog.Authentication, Session: sess.ID, Application: name, Source: source, Data: map[string]any{"method": "application"}},
		eventlog.Event{Kind: eventlog.SessionStart, Session: sess.ID, Application: name, Source: source, Data: map[string]any{"roles": nonNil(sess.Roles)}}); err != nil {
		return "", nil, err
	}
	if err := tx.Commit(); err != nil {
		return "", nil, err
	}
	settled = true
	return token, sess, nil
}

// failureEvent is the record of a failed authentication.
func failureEvent(user, session, app, source, why string) eventlog.Event {
	return eventlog.Event{Kind: eventlog.AuthenticationError, Level: eventlog.Warning, User: user, Session: session,
		Application: app, Source: source, Data: map[string]any{"reason": why}}
}

// logFailure writes an authentication error in a transaction of its own.
func (s *Service) logFailure(ctx context.Context, user, session, app, source, why string) error {
	return s.log.Append(ctx, failureEvent(user, session, app, source, why))
}

func isNoUser(err error) bool { return errors.Is(err, infobase.ErrNoUser) }

package lint

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"dostup/audit"
	"dostup/infobase"
	"dostup/rls/rlscheck"
)

// Load reads what dostup lint takes as PATH: a Configurator dump root (a
// folder with Configuration.xml, imported in memory as dostup import
// does, its modules read for the module checks), a dostup configuration
// folder, or an infobase (an SQLite file or a postgres:// URL), whose
// users' role sets decide which roles are held together.
func Load(ctx context.Context, path string) (Input, error) {
	if infobase.IsPostgres(path) {
		return loadInfobase(ctx, path)
	}
	st, err := os.Stat(path)
	if err != nil {
		return Input{}, err
	}
	if !st.IsDir() {
		return loadInfobase(ctx, path)
	}
	t, err := rlscheck.LoadTarget(path)
	if err != nil {
		return Input{}, err
	}
	in := Input{Path: path, Target: t}
	if t.Rights != nil {
		in.Root = path
	}
	return in, nil
}

// loadInfobase reads the configuration and the users of an infobase.
func loadInfobase(ctx context.Context, dsn string) (Input, error) {
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if err != nil {
		return Input{}, err
	}
	defer ib.Close()
	a, err := audit.Read(ctx, ib, dsn)
	if err != nil {
		return Input{}, fmt.Errorf("%s: %w", shown(dsn), err)
	}
	held := [][]string{}
	for _, u := range a.Users {
		if len(u.Roles) > 1 {
			held = append(held, u.Roles)
		}
	}
	return Input{Path: shown(dsn), Target: &rlscheck.Target{Config: ib.Config}, HeldTogether: held}, nil
}

// shown is a DSN as a report names it: without a password.
func shown(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			// Written back as it was, but for the password.
			return strings.Replace(dsn, u.User.String()+"@", url.User(u.User.Username()).String()+":***@", 1)
		}
	}
	if infobase.IsPostgres(dsn) {
		return dsn
	}
	return filepath.Clean(dsn)
}

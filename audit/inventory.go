package audit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sync/errgroup"

	"dostup/infobase"
	"dostup/internal/yamlfile"
	"dostup/rls/rlscheck"
)

// Inventory is a consultant's list of the infobases to audit together.
// Its file is YAML:
//
//	infobases:
//	  - name: buh
//	    db: postgres://127.0.0.1/buh
//	    expected_users: buh-users.csv   # user,roles: the provisioning diff
//	    sod: sod.yaml                   # the segregation-of-duties matrix
//	  - name: unf
//	    db: unf.db
//	  - name: unf-release
//	    config: dumps/unf-3.0.8         # rights only: no users
//
// Relative paths are read from the inventory file's folder.
type Inventory struct {
	Infobases []Entry `yaml:"infobases"`
}

// Entry is one infobase of an inventory: a database (DB) or a
// configuration audited without one (Config), never both.
type Entry struct {
	Name   string `yaml:"name"`
	DB     string `yaml:"db"`
	Config string `yaml:"config"`
	// ExpectedUsers is the provisioning list (LoadExpectedUsers) to diff
	// the infobase's users against.
	ExpectedUsers string `yaml:"expected_users"`
	// SoD is the segregation-of-duties file (LoadSoD).
	SoD string `yaml:"sod"`
}

// LoadInventory reads an inventory file; its mistakes are reported as
// path:line:col.
func LoadInventory(path string) (*Inventory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseInventory(path, data)
}

// ParseInventory reads the text of an inventory file named path; relative
// paths in it are made relative to path's folder.
func ParseInventory(path string, data []byte) (*Inventory, error) {
	var inv Inventory
	at, err := yamlfile.Decode(path, data, &inv, "empty inventory: it lists infobases, each a name and a db or a config")
	if err != nil {
		return nil, err
	}
	if len(inv.Infobases) == 0 {
		return nil, fmt.Errorf("%s: the inventory lists no infobases (write infobases: and a name and a db or a config for each)", path)
	}
	dir := filepath.Dir(path)
	seen := map[string]int{}
	for i := range inv.Infobases {
		e := &inv.Infobases[i]
		here := at(fmt.Sprintf("$.infobases[%d]", i))
		switch {
		case strings.TrimSpace(e.Name) == "":
			return nil, fmt.Errorf("%s: infobase %d has no name", here, i+1)
		case e.DB != "" && e.Config != "":
			return nil, fmt.Errorf("%s: infobase %s has both db and config: give one", here, e.Name)
		case e.DB == "" && e.Config == "":
			return nil, fmt.Errorf("%s: infobase %s has neither db nor config", here, e.Name)
		case e.Config != "" && e.ExpectedUsers != "":
			return nil, fmt.Errorf("%s: infobase %s is a configuration without users: expected_users needs a db", here, e.Name)
		}
		if j, dup := seen[strings.ToLower(e.Name)]; dup {
			return nil, fmt.Errorf("%s: infobase %s is listed twice (also as infobase %d)", here, e.Name, j+1)
		}
		seen[strings.ToLower(e.Name)] = i
		if !infobase.IsPostgres(e.DB) {
			e.DB = beside(dir, e.DB)
		}
		e.Config, e.ExpectedUsers, e.SoD = beside(dir, e.Config), beside(dir, e.ExpectedUsers), beside(dir, e.SoD)
	}
	return &inv, nil
}

// beside makes a relative path of an inventory relative to its folder.
func beside(dir, path string) string {
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}

// Options are the options o with the entry's own provisioning list and
// segregation-of-duties matrix, read from their files.
func (e Entry) Options(o Options) (Options, error) {
	if e.ExpectedUsers != "" {
		list, err := LoadExpectedUsers(e.ExpectedUsers)
		if err != nil {
			return o, err
		}
		o.Expected = list
	}
	if e.SoD != "" {
		s, err := LoadSoD(e.SoD)
		if err != nil {
			return o, err
		}
		o.SoD = s
	}
	return o, nil
}

// Read reads the entry for the audit: its database with Read, or its
// configuration with FromConfiguration.
func (e Entry) Read(ctx context.Context) (*Infobase, error) { return e.read(ctx, true) }

// ReadConfiguration reads only the entry's configuration, for what needs
// no users (the rights matrix): a database's users and event log are not
// read, and the result has no users.
func (e Entry) ReadConfiguration(ctx context.Context) (*Infobase, error) { return e.read(ctx, false) }

func (e Entry) read(ctx context.Context, users bool) (*Infobase, error) {
	if e.Config != "" {
		target, err := rlscheck.LoadTarget(e.Config)
		if err != nil {
			return nil, err
		}
		return FromConfiguration(e.Name, target.Config), nil
	}
	ib, err := infobase.OpenInfobase(ctx, e.DB)
	if err != nil {
		return nil, err
	}
	defer ib.Close()
	if !users {
		return FromConfiguration(e.Name, ib.Config), nil
	}
	return Read(ctx, ib, e.Name)
}

// Outcome is what a job of Each gave for one entry.
type Outcome[T any] struct {
	Entry Entry
	Value T
	Err   error
}

// Each runs do on every entry, at most jobs at a time (jobs < 1 means
// one), each with its own connection as do opens it, and returns the
// outcomes in the entries' order. A failing entry does not stop the
// others: its error is in its outcome. done, when not nil, is called as
// each entry finishes, from the goroutine that ran it.
func Each[T any](ctx context.Context, entries []Entry, jobs int, do func(context.Context, Entry) (T, error), done func(Entry, error)) []Outcome[T] {
	out := make([]Outcome[T], len(entries))
	var g errgroup.Group
	g.SetLimit(max(jobs, 1))
	for i, e := range entries {
		g.Go(func() error {
			v, err := do(ctx, e)
			if err != nil {
				err = fmt.Errorf("%s: %w", e.Name, err)
			}
			out[i] = Outcome[T]{Entry: e, Value: v, Err: err}
			if done != nil {
				done(e, err)
			}
			return nil
		})
	}
	_ = g.Wait() // every job returns nil: errors are in the outcomes
	return out
}

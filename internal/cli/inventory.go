package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"dostup/audit"
	"dostup/infobase"
	"dostup/sdbl/source"
)

// How a command runs over many infobases: the --inventory and --jobs
// flags, the bounded pool of audit.Each, a progress bar on a terminal, and
// the rule that a failing infobase is reported and the others go on, the
// command then exiting 1.

// inventoryFlags are --inventory FILE and --jobs N.
type inventoryFlags struct {
	path string
	jobs int
}

func (f *inventoryFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.path, "inventory", "", "a YAML list of infobases to run on, each concurrently (name, db or config, expected_users, sod)")
	cmd.Flags().IntVar(&f.jobs, "jobs", runtime.NumCPU(), "with --inventory: how many infobases at a time, each on its own connection")
}

// load reads the inventory; its mistakes are bad usage.
func (f *inventoryFlags) load() (*audit.Inventory, error) {
	if f.jobs < 1 {
		return nil, usageError(fmt.Errorf("--jobs %d: give 1 or more", f.jobs))
	}
	inv, err := audit.LoadInventory(f.path)
	if err != nil {
		return nil, usageError(err)
	}
	return inv, nil
}

// overInventory runs job on every infobase of the inventory, at most
// --jobs at a time, and returns their rows in the inventory's order. Each
// failure is printed to stderr as it comes, naming the infobase; failed
// is then an error of exit 1 for the command to return once it has
// printed the others' rows.
func overInventory[T any](ctx context.Context, e *env, f *inventoryFlags, job func(context.Context, audit.Entry) ([]T, error)) (rows []T, failed error, err error) {
	inv, err := f.load()
	if err != nil {
		return nil, nil, err
	}
	bar := newProgress(e.stderr, len(inv.Infobases))
	var mu sync.Mutex
	outcomes := audit.Each(ctx, inv.Infobases, f.jobs, job, func(en audit.Entry, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			bar.clear()
			fmt.Fprintf(e.stderr, "dostup: %v\n", err)
		}
		bar.add()
	})
	bar.finish()
	var names []string
	for _, o := range outcomes {
		if o.Err != nil {
			names = append(names, o.Entry.Name)
			continue
		}
		rows = append(rows, o.Value...)
	}
	if len(names) > 0 {
		failed = &exitError{code: ExitFailure, err: fmt.Errorf("%d of %d infobases failed: %s", len(names), len(outcomes), strings.Join(names, ", "))}
	}
	return rows, failed, nil
}

// progress is a bar on stderr when it is a terminal, and nothing when it
// is a pipe or a file, where a bar's redraws would be noise.
type progress struct{ bar *progressbar.ProgressBar }

func newProgress(w io.Writer, total int) progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return progress{}
	}
	return progress{bar: progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("infobases"),
		progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30))}
}

func (p progress) add() {
	if p.bar != nil {
		_ = p.bar.Add(1)
	}
}

// clear takes the bar off its line so a message printed next is not mixed
// into it; the next add draws it again.
func (p progress) clear() {
	if p.bar != nil {
		_ = p.bar.Clear()
	}
}

func (p progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// auditSource is where an audit command reads: --db DB, --config PATH or
// --inventory FILE.
type auditSource struct {
	db, config string
	inventoryFlags
	// rightsOnly is set by commands that need no users: the users and
	// event log of a database are then not read.
	rightsOnly bool
}

func (s *auditSource) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&s.db, "db", "", dbUsage)
	cmd.Flags().StringVar(&s.config, "config", "", "a dostup configuration folder or a Configurator dump (its rights only: no users)")
	s.inventoryFlags.add(cmd)
}

// read reads an entry as the command needs it: only its configuration
// for a command about rights alone.
func (s *auditSource) read(ctx context.Context, en audit.Entry) (*audit.Infobase, error) {
	if s.rightsOnly {
		return en.ReadConfiguration(ctx)
	}
	return en.Read(ctx)
}

// onlyInventory refuses --db or --config beside --inventory.
func (s *auditSource) onlyInventory() error {
	if s.db != "" || s.config != "" {
		return usageError(errors.New("give one of --db, --config and --inventory"))
	}
	return nil
}

// many reports whether the command runs over an inventory.
func (s *auditSource) many() bool { return s.path != "" }

// entry is the one infobase --db or --config names, as an inventory would
// list it.
func (s *auditSource) entry() (audit.Entry, error) {
	given := 0
	for _, v := range []string{s.db, s.config, s.path} {
		if v != "" {
			given++
		}
	}
	switch {
	case given > 1:
		return audit.Entry{}, usageError(errors.New("give one of --db, --config and --inventory"))
	case given == 0:
		return audit.Entry{}, usageError(errors.New("--db DB or --config PATH is required (or --inventory FILE)"))
	}
	return audit.Entry{Name: s.name(), DB: s.db, Config: s.config}, nil
}

// name is the infobase column of what the flags name: the file or
// database name of --db, the folder name of --config, as a consultant
// telling apart the CSVs of several infobases would write it.
func (s *auditSource) name() string {
	if s.db == "" {
		return filepath.Base(filepath.Clean(s.config))
	}
	if infobase.IsPostgres(s.db) {
		if u, err := url.Parse(s.db); err == nil && strings.Trim(u.Path, "/") != "" {
			return strings.Trim(u.Path, "/")
		}
		return "postgres"
	}
	return strings.TrimSuffix(filepath.Base(s.db), filepath.Ext(s.db))
}

// auditEach runs job on the infobase the flags name, or on every infobase
// of the inventory, and returns the rows; failed is set as overInventory
// sets it. With one infobase, a source that cannot be read is bad usage
// and a configuration that does not validate prints its problems. A source
// with rightsOnly set reads only the configurations.
func auditEach[T any](ctx context.Context, e *env, s *auditSource, job func(context.Context, *audit.Infobase, audit.Entry) ([]T, error)) (rows []T, failed error, err error) {
	read := func(ctx context.Context, en audit.Entry) ([]T, error) {
		ib, err := s.read(ctx, en)
		if err != nil {
			return nil, err
		}
		return job(ctx, ib, en)
	}
	if s.many() {
		if err := s.onlyInventory(); err != nil {
			return nil, nil, err
		}
		return overInventory(ctx, e, &s.inventoryFlags, read)
	}
	en, err := s.entry()
	if err != nil {
		return nil, nil, err
	}
	ib, err := s.read(ctx, en)
	if err != nil {
		var list source.ErrorList
		if errors.As(err, &list) {
			printErrorList(e.stderr, err)
			return nil, nil, failure(fmt.Errorf("%s: the configuration does not validate (%d problems)", en.Config, len(list)))
		}
		return nil, nil, usageError(err)
	}
	rows, err = job(ctx, ib, en)
	return rows, nil, err
}

package infobase

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"dostup/metadata"
	"dostup/sqlgen"
)

// The configuration an infobase stores is its YAML sources (config:NAME
// rows of MetaTable) and, beside them, their compiled form: the validated
// model in metadata's compact encoding. Parsing the YAML of a big
// application takes seconds (unf30: 150 MB in 977 files); reading the
// compiled form takes milliseconds, so OpenInfobase reads the form and
// never the YAML when the form is current.
//
// The form's row (keyCompiled) is the fingerprint of the sources it was
// compiled from, their content hash, then the form itself. The
// fingerprint is each config: row's name and length in bytes, which the
// database reports without reading the rows; the content hash is checked
// when the sources are read anyway. The form is used only when its
// fingerprint is that of the rows the database holds now and the form is
// of this build's encoding and model (metadata.ErrCompactStale): a form
// left stale by a writer that did not rewrite it, or of another version
// of dostup, is ignored, the YAML loaded, and the form written again when
// the database takes writes.
//
// Every writer of the sources writes the form in the same transaction:
// Init, which the CLI's init, import and demo and configuration updates go
// through.
//
// The form itself is a row of its own table (formTable), in a binary column
// that PostgreSQL keeps uncompressed (STORAGE EXTERNAL): the meta table's
// text column would take it only as base64 and compress it, and reading it
// back would cost the server a decompression of megabytes (unf30: 70 ms of
// an open that now takes less than that in all). The meta row keyCompiled
// holds the form's header only, so the query that reads the sources'
// lengths tells whether a current form exists before the form is read.

// keyCompiled is the MetaTable key of the compiled form's header.
const keyCompiled = "compiled"

// formTable holds the compiled form, in the row keyForm.
const formTable = "_dostup_compiled"

// keyForm is the formTable key of the compiled form.
const keyForm = "form"

// configPrefix starts the MetaTable key of each YAML source.
const configPrefix = "config:"

// A compiled form's header is two hex SHA-256 sums: the fingerprint and the
// content hash of its sources.
const compiledHeader = 2 * 2 * sha256.Size

// storedConfig is what OpenInfobase reads of MetaTable before it decides
// whether the YAML is needed.
type storedConfig struct {
	lengths    map[string]int64 // byte length of each source, by name
	unfinished string
	header     string // the form's header, "" when there is none
}

// readStoredConfig reads the sources' names and lengths, the mark of an
// unfinished change and the compiled form, but not the sources.
func readStoredConfig(ctx context.Context, q queryer, db *DB) (*storedConfig, error) {
	// octet_length answers from the row's header in both databases
	// (SQLite since 3.43, PostgreSQL from TOAST's size), so the YAML is not
	// read; the CASE keeps the sources' values unread.
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT key, octet_length(value), CASE WHEN key LIKE '%s%%' THEN NULL ELSE value END FROM %s WHERE key LIKE '%s%%' OR key IN ('%s', '%s')",
		configPrefix, db.Dialect.Quote(MetaTable), configPrefix, metaUnfinished, keyCompiled))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	st := &storedConfig{lengths: map[string]int64{}}
	for rows.Next() {
		var k string
		var n int64
		var v []byte
		if err := rows.Scan(&k, &n, &v); err != nil {
			return nil, err
		}
		switch {
		case k == metaUnfinished:
			st.unfinished = string(v)
		case k == keyCompiled:
			st.header = string(v)
		default:
			st.lengths[strings.TrimPrefix(k, configPrefix)] = n
		}
	}
	return st, rows.Err()
}

// fingerprint hashes the names and lengths of the sources.
func fingerprint(lengths map[string]int64) string {
	names := make([]string, 0, len(lengths))
	for name := range lengths {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		fmt.Fprintf(h, "%s\x00%d\n", name, lengths[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// contentHash hashes the sources themselves.
func contentHash(sources map[string][]byte) string {
	names := make([]string, 0, len(sources))
	for name := range sources {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		fmt.Fprintf(h, "%s\x00%d\n", name, len(sources[name]))
		h.Write(sources[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// decodeCompiled returns the configuration of the stored form when the form
// is of the sources the database holds (their fingerprint) and of this
// build, or nil.
func decodeCompiled(ctx context.Context, db *DB, st *storedConfig) (*metadata.Configuration, error) {
	// A header of another length is an earlier build's, which kept the
	// whole form in the meta table: stale.
	if len(st.header) != compiledHeader || st.header[:compiledHeader/2] != fingerprint(st.lengths) {
		return nil, nil
	}
	var raw []byte
	err := db.SQL.QueryRowContext(ctx, "SELECT value FROM "+db.Dialect.Quote(formTable)+" WHERE key = "+db.Dialect.Placeholder(1), keyForm).Scan(&raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, err
	}
	cfg, err := metadata.UnmarshalCompact(raw)
	if err != nil {
		// Stale (another version) or damaged: the YAML says what it is.
		return nil, nil
	}
	return cfg, nil
}

// compiledForm is the compiled form of cfg, the configuration of sources
// whose fingerprint is given, and its header; rename, when not nil, gives
// the names of cfg's files as the sources name them.
func compiledForm(cfg *metadata.Configuration, sources map[string][]byte, fp string, rename func(string) string) (header string, form []byte, err error) {
	form, err = metadata.MarshalCompact(cfg, rename)
	if err != nil {
		return "", nil, err
	}
	return fp + contentHash(sources), form, nil
}

// createFormTable makes the table of the compiled form when it is missing.
func createFormTable(ctx context.Context, tx *sql.Tx, db *DB) error {
	q := db.Dialect.Quote
	names, err := queryStrings(ctx, tx, db.Dialect.ColumnsQuery(), formTable)
	if err != nil || len(names) > 0 {
		return err
	}
	bytes := db.Dialect.Type(sqlgen.ColumnType{Kind: sqlgen.Bytes})
	if _, err := tx.ExecContext(ctx, "CREATE TABLE "+q(formTable)+" (key TEXT PRIMARY KEY, value "+bytes+" NOT NULL)"); err != nil {
		return fmt.Errorf("creating %s: %w", formTable, err)
	}
	if db.Dialect.Name() == "postgres" {
		// Uncompressed: see the top of this file.
		if _, err := tx.ExecContext(ctx, "ALTER TABLE "+q(formTable)+" ALTER COLUMN value SET STORAGE EXTERNAL"); err != nil {
			return fmt.Errorf("creating %s: %w", formTable, err)
		}
	}
	return nil
}

// putCompiled stores the compiled form and its header.
func putCompiled(ctx context.Context, tx *sql.Tx, db *DB, header string, form []byte) error {
	if err := createFormTable(ctx, tx, db); err != nil {
		return err
	}
	p := db.Dialect.Placeholder
	for _, row := range []struct {
		table, key string
		value      any
	}{{formTable, keyForm, form}, {MetaTable, keyCompiled, header}} {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			db.Dialect.Quote(row.table), p(1), p(2)), row.key, row.value); err != nil {
			return err
		}
	}
	return nil
}

// storeCompiled is Init's part: after the sources are written in tx, the
// form of cfg, when cfg is the configuration of the rows the database now
// holds. Init's cfg was loaded by its caller from the same files, named by
// path (dir/roles/x.yaml) where the infobase names them as stored
// (roles/x.yaml); a renamer maps those names. When the database holds
// sources Init was not given (files of an earlier configuration), or a
// name does not map, cfg is not what OpenInfobase would load, and the form
// is removed instead: the next open loads the YAML and writes it.
func storeCompiled(ctx context.Context, tx *sql.Tx, db *DB, cfg *metadata.Configuration, sources map[string][]byte) error {
	st, err := readStoredConfig(ctx, tx, db)
	if err != nil {
		return err
	}
	same := len(st.lengths) == len(sources)
	for name, content := range sources {
		if n, ok := st.lengths[name]; !ok || n != int64(len(content)) {
			same = false
		}
	}
	r := &renamer{sources: sources, names: map[string]string{}}
	if same {
		header, form, err := compiledForm(cfg, sources, fingerprint(st.lengths), r.name)
		if err != nil {
			return err
		}
		if !r.failed {
			return putCompiled(ctx, tx, db, header, form)
		}
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM "+db.Dialect.Quote(MetaTable)+" WHERE key = "+db.Dialect.Placeholder(1), keyCompiled)
	return err
}

// renamer maps the file names of a configuration loaded from a folder to
// the names of its sources: a name that is a source's, or a path ending in
// /NAME, all under one folder. failed is set by a name that does not map.
type renamer struct {
	sources map[string][]byte
	names   map[string]string
	dir     string
	failed  bool
}

func (r *renamer) name(file string) string {
	if n, done := r.names[file]; done || file == "" {
		return n
	}
	if _, direct := r.sources[file]; direct {
		r.names[file] = file
		return file
	}
	// The longest source name the path ends with: x/a.yaml, not a.yaml,
	// for /dir/x/a.yaml.
	slashed := strings.ReplaceAll(file, `\`, "/")
	best := ""
	for name := range r.sources {
		if len(name) > len(best) && strings.HasSuffix(slashed, "/"+name) {
			best = name
		}
	}
	dir := path.Clean(strings.TrimSuffix(slashed, "/"+best))
	if best == "" || r.dir != "" && dir != r.dir {
		r.failed = true
		return file
	}
	r.dir = dir
	r.names[file] = best
	return best
}

// loadStoredConfig is OpenInfobase's reading of the configuration: the
// compiled form when it is current, else the YAML sources, after which the
// form is written again for the next open (when the database takes
// writes: a read-only copy of an infobase still opens).
func loadStoredConfig(ctx context.Context, db *DB, dsn string) (*metadata.Configuration, error) {
	st, err := readStoredConfig(ctx, db.SQL, db)
	if err != nil {
		return nil, fmt.Errorf("%s is not an infobase (run dostup init or dostup demo first): %w", redact(dsn), err)
	}
	if st.unfinished != "" {
		// Its tables are part old, part new: no configuration describes them.
		again := "dostup init"
		if st.unfinished != "init" {
			again = "the command that dropped it"
		}
		return nil, fmt.Errorf("%s: %w (its %s was interrupted; run %s again to finish it)", redact(dsn), ErrUnfinished, st.unfinished, again)
	}
	if len(st.lengths) == 0 {
		return nil, fmt.Errorf("%s holds no configuration (run dostup init or dostup demo first)", redact(dsn))
	}
	cfg, err := decodeCompiled(ctx, db, st)
	if err != nil {
		return nil, fmt.Errorf("reading the compiled configuration of %s: %w", redact(dsn), err)
	}
	if cfg != nil {
		return cfg, nil
	}
	sources, err := readSources(ctx, db.SQL, db)
	if err != nil {
		return nil, err
	}
	cfg, err = metadata.LoadSources(sources)
	if err != nil {
		return nil, fmt.Errorf("the configuration stored in %s does not load: %w", redact(dsn), err)
	}
	// Writing the form is an optimisation of the next open: a database
	// that refuses it (read-only) has opened all the same.
	_ = rewriteCompiled(ctx, db, cfg, sources, fingerprint(st.lengths))
	return cfg, nil
}

// readSources reads the YAML sources.
func readSources(ctx context.Context, q queryer, db *DB) (map[string][]byte, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT key, value FROM %s WHERE key LIKE '%s%%'", db.Dialect.Quote(MetaTable), configPrefix))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sources := map[string][]byte{}
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		sources[strings.TrimPrefix(k, configPrefix)] = v
	}
	return sources, rows.Err()
}

// errSourcesChanged stops rewriteCompiled when another process changed the
// sources since they were read.
var errSourcesChanged = errors.New("the sources changed while they were read")

// rewriteCompiled writes the form of cfg, loaded from sources whose
// fingerprint was seen, unless the sources have changed since.
func rewriteCompiled(ctx context.Context, db *DB, cfg *metadata.Configuration, sources map[string][]byte, seen string) error {
	tx, err := db.Writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := readStoredConfig(ctx, tx, db)
	if err != nil {
		return err
	}
	if fingerprint(st.lengths) != seen || st.unfinished != "" {
		return errSourcesChanged
	}
	header, form, err := compiledForm(cfg, sources, seen, nil)
	if err != nil {
		return err
	}
	if err := putCompiled(ctx, tx, db, header, form); err != nil {
		return err
	}
	return tx.Commit()
}

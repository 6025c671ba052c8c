package sqlgen_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"dostup/metadata"
	"dostup/metadata/vocab"
	"dostup/rls"
	"dostup/sdbl/parser"
	"dostup/sdbl/preproc"
	"dostup/sdbl/source"
	"dostup/sqlgen"
	"dostup/sqlgen/postgres"
	"dostup/sqlgen/sqlite"
)

var update = flag.Bool("update", false, "rewrite the output sections of testdata/*.txtar")

// goldenOutputs are the sections TestGolden writes, in their order; the
// others are the case's input.
var goldenOutputs = []string{"sqlite.sql", "postgres.sql", "checks", "errors"}

// TestGolden compiles each testdata/*.txtar case and compares the SQL with
// its output sections. A case's input sections:
//
//   - query: a batch in the 1C query language, or forbidden: "Object
//     Right", the check of an object write or read (ForbiddenCheck);
//   - fixture: the name of a configuration (demo, the demo infobase's, or a
//     folder under testdata/fixtures), unless configuration.yaml (and
//     roles.yaml) give one inline;
//   - session: "roles: A, B" and the session's parameters, Name=Value per
//     line (true, false, a number or a string); without it the statement
//     compiles with full rights, as privileged mode does.
//
// Its outputs: each statement's SQL with its arguments for SQLite and for
// PostgreSQL, the access checks of a statement without РАЗРЕШЕННЫЕ, and the
// errors (positioned, or access denied).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string]string{}
			for _, f := range ar.Files {
				sections[f.Name] = string(f.Data)
			}
			cfg := goldenConfig(t, sections)
			got := map[string]string{}
			got["sqlite.sql"], got["checks"], got["errors"] = goldenCompile(t, cfg, sqlite.New(), sections)
			got["postgres.sql"], _, _ = goldenCompile(t, cfg, postgres.New(), sections)
			if *update {
				goldenWrite(t, file, ar, got)
				return
			}
			for _, name := range goldenOutputs {
				if want := sections[name]; got[name] != want {
					t.Errorf("%s:\ngot:\n%s\nwant:\n%s", name, got[name], want)
				}
			}
		})
	}
}

// goldenWrite replaces a case's output sections with what it compiled to.
func goldenWrite(t *testing.T, file string, ar *txtar.Archive, got map[string]string) {
	t.Helper()
	var files []txtar.File
	for _, f := range ar.Files {
		if _, out := got[f.Name]; !out {
			files = append(files, f)
		}
	}
	for _, name := range goldenOutputs {
		files = append(files, txtar.File{Name: name, Data: []byte(got[name])})
	}
	ar.Files = files
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[string]*metadata.Configuration{}
)

// goldenConfig is the configuration a case compiles against.
func goldenConfig(t *testing.T, sections map[string]string) *metadata.Configuration {
	t.Helper()
	if yaml, ok := sections["configuration.yaml"]; ok {
		src := map[string][]byte{"configuration.yaml": []byte(yaml)}
		if roles, ok := sections["roles.yaml"]; ok {
			src["roles.yaml"] = []byte(roles)
		}
		cfg, err := metadata.LoadSources(src)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	name := strings.TrimSpace(sections["fixture"])
	if name == "" {
		t.Fatal("the case names no fixture and has no configuration.yaml")
	}
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if cfg := fixtures[name]; cfg != nil {
		return cfg
	}
	dir := filepath.Join("testdata", "fixtures", name)
	if name == "demo" {
		dir = filepath.Join("..", "demo", "config")
	}
	cfg, err := metadata.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	fixtures[name] = cfg
	return cfg
}

// goldenAccess is the session a case's session section describes, or nil.
func goldenAccess(t *testing.T, cfg *metadata.Configuration, text string) *rls.Session {
	t.Helper()
	roles, params, ok := goldenSession(t, text)
	if !ok {
		return nil
	}
	s, err := rls.NewPolicy(cfg).Session(roles, params)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// goldenSession reads a session section: its roles and parameters; ok is
// false when the section is empty.
func goldenSession(t *testing.T, text string) (roles []string, params preproc.Params, ok bool) {
	t.Helper()
	if strings.TrimSpace(text) == "" {
		return nil, nil, false
	}
	params = preproc.Params{}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "roles:"); ok {
			for _, r := range strings.Split(rest, ",") {
				if r = strings.TrimSpace(r); r != "" {
					roles = append(roles, r)
				}
			}
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("session line %q is neither roles: nor Name=Value", line)
		}
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		switch n, err := strconv.ParseFloat(val, 64); {
		case val == "true" || val == "false":
			params[name] = val == "true"
		case err == nil:
			params[name] = n
		default:
			params[name] = val
		}
	}
	return roles, params, true
}

// goldenCompile compiles a case for one dialect and prints its statements,
// their checks and the errors.
func goldenCompile(t *testing.T, cfg *metadata.Configuration, d sqlgen.Dialect, sections map[string]string) (stmts, checks, errs string) {
	t.Helper()
	c := &sqlgen.Compiler{Config: cfg, Schema: sqlgen.SchemaOf(cfg), Dialect: d}
	if s := goldenAccess(t, cfg, sections["session"]); s != nil {
		c.Access = s
	}
	var out []*sqlgen.Statement
	var err error
	if f, ok := sections["forbidden"]; ok {
		fields := strings.Fields(f)
		if len(fields) != 2 {
			t.Fatalf("forbidden: want \"Object Right\", got %q", f)
		}
		right, ok := vocab.ParseRight(fields[1])
		if !ok {
			t.Fatalf("forbidden: %s is not a right", fields[1])
		}
		var s *sqlgen.Statement
		if s, err = c.ForbiddenCheck(fields[0], right); s != nil {
			out = append(out, s)
		} else if err == nil {
			stmts = "(no check: the right is granted for every record)\n"
		}
	} else {
		text := source.FromFile(source.NewFile("query", strings.TrimRight(sections["query"], "\n")))
		b, perr := parser.ParseQuery(text)
		if perr != nil {
			return "", "", goldenError(perr)
		}
		out, err = c.Compile(text, b)
	}
	var sb, cb strings.Builder
	for i, s := range out {
		if i > 0 {
			sb.WriteString("\n")
		}
		sb.WriteString(s.SQL + "\n")
		writeArgs(&sb, s.Args)
		for j, ch := range s.Checks {
			fmt.Fprintf(&cb, "statement %d, check %d: %s\n%s\n", i+1, j+1, strings.Join(ch.Objects, ", "), ch.SQL)
			writeArgs(&cb, ch.Args)
		}
	}
	if stmts == "" {
		stmts = sb.String()
	}
	if err != nil {
		errs = goldenError(err)
	}
	return stmts, cb.String(), errs
}

// goldenError prints an error a line per positioned error, naming an
// access refusal's fields as well as its text.
func goldenError(err error) string {
	var list source.ErrorList
	if errors.As(err, &list) {
		var b strings.Builder
		for _, e := range list {
			b.WriteString(e.Error() + "\n")
		}
		return b.String()
	}
	var ae *rls.AccessError
	if errors.As(err, &ae) {
		return fmt.Sprintf("access denied: object %s, right %s, records %t, mode %q, message %q\n%s\n", ae.Object, ae.Right.Russian(), ae.Records, ae.Mode, ae.Message, err)
	}
	return err.Error() + "\n"
}

// writeArgs prints a statement's arguments, one per line, by number.
func writeArgs(b *strings.Builder, args []sqlgen.Arg) {
	for i, a := range args {
		fmt.Fprintf(b, "  %d: %s\n", i+1, argText(a))
	}
}

func argText(a sqlgen.Arg) string {
	var s string
	switch {
	case a.Param != "":
		s = "&" + a.Param
	case a.Session != "":
		s = "session &" + a.Session
	default:
		switch v := a.Value.(type) {
		case string:
			s = strconv.Quote(v)
		case time.Time:
			s = "date " + v.Format(time.RFC3339)
		case nil:
			s = "NULL"
		default:
			s = fmt.Sprintf("%T %v", v, v)
		}
	}
	if a.List {
		s += " (list)"
	}
	if a.Elem != 0 {
		s += fmt.Sprintf(" [%d]", a.Elem)
	}
	return s
}

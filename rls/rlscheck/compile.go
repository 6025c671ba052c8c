package rlscheck

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"dostup/metadata"
	"dostup/onecxml"
	"dostup/onecxml/importer"
	"dostup/rls"
	"dostup/sdbl/ast"
	"dostup/sdbl/preproc"
	"dostup/sdbl/source"
	"dostup/sdbl/template"
	"dostup/sqlgen"
)

// Target is a configuration whose restrictions Compile compiles: the
// configuration, and for a Configurator dump the Rights.xml files its roles
// were imported from, so that failures point at the XML the user wrote.
type Target struct {
	Config *metadata.Configuration
	// Rights are the Rights.xml files of a dump; nil for a dostup
	// configuration, whose roles are read from Config.
	Rights []string
	// Warnings are the importer's notes on what it left out of a dump.
	Warnings []string
}

// LoadTarget reads PATH as `dostup rls compile` takes it: a Configurator
// dump root (a folder with Configuration.xml), converted as `dostup import`
// does and loaded from memory, or a dostup configuration folder. A
// configuration that does not validate gives the source.ErrorList of its
// problems.
func LoadTarget(path string) (*Target, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a folder (a Configurator dump root or a dostup configuration)", path)
	}
	if _, err := os.Stat(filepath.Join(path, "Configuration.xml")); err != nil {
		cfg, err := metadata.Load(path)
		if err != nil {
			return nil, err
		}
		return &Target{Config: cfg}, nil
	}
	dump, err := onecxml.ReadDump(path)
	if err != nil {
		return nil, err
	}
	imp, err := importer.Convert(dump)
	if err != nil {
		return nil, err
	}
	// The configuration is built from the converted files as they are:
	// writing and parsing their YAML (a hundred megabytes for a big
	// application) gave the same model, with positions in files that are
	// nowhere on disk. Only when it does not validate is the YAML made, so
	// the messages name a line of each file as dostup import would write it.
	cfg, err := metadata.LoadFormats(imp.Files)
	if err != nil {
		sources := map[string][]byte{}
		for name, f := range imp.Files {
			data, merr := metadata.Marshal(f)
			if merr != nil {
				return nil, fmt.Errorf("%s: %w", name, merr)
			}
			sources[name] = data
		}
		if _, lerr := metadata.LoadSources(sources); lerr != nil {
			err = lerr
		}
		return nil, err
	}
	return &Target{Config: cfg, Rights: dump.Rights, Warnings: imp.Warnings}, nil
}

// CompileOptions configures Compile.
type CompileOptions struct {
	// Params pins session parameters for the preprocessor, as
	// CheckOptions.Params does.
	Params preproc.Params
	// VariantLimit is as in CheckOptions.
	VariantLimit int
	// Dialect is the backend the SQL is compiled for.
	Dialect sqlgen.Dialect
	// DB, when set, is a database holding the configuration's schema
	// (infobase.Init) in Dialect: every compiled statement runs on it with
	// placeholder values of the session parameters' types.
	DB *sql.DB
	// Workers is how many roles are compiled at once; 0 means one per CPU.
	Workers int
}

// CompileReport is the outcome of Compile.
type CompileReport struct {
	Restrictions int       `json:"restrictions"`
	OK           int       `json:"ok"`
	Failed       int       `json:"failed"`
	Variants     int       `json:"variants"` // variant texts, message variants included (counted, not compiled)
	Failures     []Failure `json:"failures"`
	// Unreachable are variants that read fields their table lacks in a
	// branch only sessions contradicting the metadata choose, with the
	// reason: reported, not counted as failures (unreachable.go).
	Unreachable []Failure `json:"unreachable"`
}

// Summary is the report's closing line:
// "<N> restrictions: <K> ok, <F> failed (<V> variants)".
func (r *CompileReport) Summary() string {
	return fmt.Sprintf("%d restrictions: %d ok, %d failed (%d variants)", r.Restrictions, r.OK, r.Failed, r.Variants)
}

// Compile takes every restriction of every role of the target for its
// object and right through the whole pipeline: templates, the preprocessor's
// variants (as Check enumerates them), the parser, then
// sqlgen.Compiler.CompileRestriction, and with opts.DB runs each statement.
// Message variants are counted, not compiled. A restriction fails when any
// of its variants does; it returns an error only when the context ends.
func Compile(ctx context.Context, t *Target, opts CompileOptions) (*CompileReport, error) {
	if opts.Dialect == nil {
		return nil, errors.New("rlscheck.Compile: no dialect")
	}
	cfg := t.Config
	cc := &restrictionCompiler{
		cfg:     cfg,
		c:       &sqlgen.Compiler{Config: cfg, Schema: sqlgen.SchemaOf(cfg), Dialect: opts.Dialect},
		db:      opts.DB,
		args:    sessionValues(cfg),
		checked: map[string]error{},
		memo:    newOutcomes(),
	}
	var jobs []func() *Report
	if t.Rights != nil {
		for _, path := range t.Rights {
			jobs = append(jobs, func() *Report { return cc.rightsFile(ctx, path, opts) })
		}
	} else {
		for _, role := range cfg.Roles {
			jobs = append(jobs, func() *Report { return cc.role(ctx, role, opts) })
		}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	reports := make([]*Report, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				reports[i] = jobs[i]()
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	total := &Report{Failures: []Failure{}, Unreachable: []Failure{}}
	for _, r := range reports {
		total.add(r)
	}
	return &CompileReport{Restrictions: total.Restrictions, OK: total.OK, Failed: total.Failed,
		Variants: total.Variants, Failures: total.Failures, Unreachable: total.Unreachable}, nil
}

// restrictionCompiler is what the roles compiled at once share.
type restrictionCompiler struct {
	cfg  *metadata.Configuration
	c    *sqlgen.Compiler
	db   *sql.DB
	args map[string]any // placeholder values of session parameters and functional options, by lower-cased name

	mu      sync.Mutex
	checked map[string]error // statements already run, by SQL and arguments
	memo    *outcomes        // restriction texts that compiled, for the roles that repeat them
}

// compiledFor is the memo key of compiling for an object and fields: the
// same text compiles to the same statements for them.
func compiledFor(obj *metadata.Object, fields []string) string {
	return "compile\x00" + obj.FullName(false) + "\x00" + strings.Join(fields, "\x00")
}

// rightsFile compiles the restrictions of one Rights.xml of a dump: its
// texts and templates as the file holds them, so positions are the file's.
func (cc *restrictionCompiler) rightsFile(ctx context.Context, path string, opts CompileOptions) *Report {
	ch := &checker{opts: CheckOptions{Params: opts.Params, VariantLimit: opts.VariantLimit}, russian: !cc.cfg.English, report: &Report{Failures: []Failure{}}, metadata: true, memo: cc.memo}
	rights, err := onecxml.ReadRights(path)
	if err != nil {
		ch.report.Failures = append(ch.report.Failures, Failure{File: path, Message: err.Error()})
		ch.report.Failed++
		return ch.report
	}
	ch.role = rights.Role
	var defs []templateDef
	for _, t := range rights.Templates {
		defs = append(defs, templateDef{t.Name, t.Condition})
	}
	ch.buildTemplates(defs)
	for _, obj := range rights.Objects {
		target := cc.cfg.Object(onecxml.TableName(obj.Name, true))
		for _, right := range obj.Rights {
			if !right.Value {
				// The Configurator keeps the text of a right it does not
				// grant, but no session applies it: the importer leaves
				// it out too, so the dump and its import compile the same
				// restrictions.
				continue
			}
			for _, restr := range right.Restrictions {
				tctx := template.Context{
					Table: onecxml.TableName(obj.Name, ch.russian),
					Right: onecxml.RightName(right.Name, ch.russian),
				}
				if target == nil {
					ch.checkRestriction(obj.Name, right.Name, tctx, restr.Condition, notImported(obj.Name, restr.Condition), "")
					continue
				}
				ch.checkRestriction(obj.Name, right.Name, tctx, restr.Condition, cc.variants(ctx, target, restr.Fields), compiledFor(target, restr.Fields))
			}
		}
	}
	return ch.report
}

// role compiles the restrictions of a role of a dostup configuration.
func (cc *restrictionCompiler) role(ctx context.Context, role *metadata.Role, opts CompileOptions) *Report {
	ch := &checker{opts: CheckOptions{Params: opts.Params, VariantLimit: opts.VariantLimit}, role: role.Name, russian: !cc.cfg.English, report: &Report{Failures: []Failure{}}, metadata: true, memo: cc.memo}
	var defs []templateDef
	for _, t := range role.Templates {
		defs = append(defs, templateDef{t.Name, t.Condition})
	}
	ch.buildTemplates(defs)
	for _, or := range role.Objects {
		obj := cc.cfg.Object(or.Object)
		for _, r := range or.Restrictions {
			name := obj.FullName(cc.cfg.English)
			tctx := template.Context{Table: name, Right: metadata.RightName(r.Right, cc.cfg.English)}
			ch.checkRestriction(name, r.Right, tctx, r.Condition, cc.variants(ctx, obj, r.Fields), compiledFor(obj, r.Fields))
		}
	}
	return ch.report
}

// notImported fails every variant of a restriction on an object the
// importer left out of the configuration (a kind dostup does not model,
// such as a chart of accounts): there is no table to compile it for.
func notImported(object string, cond *source.File) variantHook {
	return func(preproc.Variant, *ast.Restriction) []placed {
		return []placed{{loc: source.Location{File: cond}, msg: fmt.Sprintf(
			"%s is not in the imported configuration (dostup import leaves out kinds it does not model yet, see its warnings): its restriction cannot be compiled", object)}}
	}
}

// variants compiles, and with a database runs, each variant of a
// restriction of obj for fields.
func (cc *restrictionCompiler) variants(ctx context.Context, obj *metadata.Object, fields []string) variantHook {
	return func(v preproc.Variant, tree *ast.Restriction) []placed {
		st, err := cc.c.CompileRestriction(obj.FullName(false), rls.Condition{Fields: fields, Text: v.Text, Tree: tree})
		if err != nil {
			return positioned(err)
		}
		args := make([]any, len(st.Args))
		var out []placed
		for i, a := range st.Args {
			if a.Session == "" {
				args[i] = cc.c.Dialect.Arg(a.Value)
				continue
			}
			val, ok := cc.args[strings.ToLower(a.Session)]
			if !ok {
				out = append(out, placed{loc: paramLocation(v.Text, tree, a.Session),
					msg: fmt.Sprintf("&%s is neither a session parameter nor a functional option of the configuration", a.Session)})
				continue
			}
			args[i] = cc.c.Dialect.Arg(val)
		}
		if len(out) > 0 || cc.db == nil {
			return out
		}
		if err := cc.run(ctx, st.SQL, args); err != nil {
			return []placed{{loc: v.Text.Locate(int(tree.Pos())), sql: st.SQL,
				msg: fmt.Sprintf("the compiled statement fails on %s: %v", cc.c.Dialect.Name(), err)}}
		}
		return nil
	}
}

// run runs a statement once per distinct text and arguments, reading every
// row, so that the backend plans and executes it whole.
func (cc *restrictionCompiler) run(ctx context.Context, query string, args []any) error {
	key := query + "\x00" + fmt.Sprintf("%#v", args)
	cc.mu.Lock()
	err, done := cc.checked[key]
	cc.mu.Unlock()
	if done {
		return err
	}
	err = func() error {
		rows, err := cc.db.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err()
	}()
	cc.mu.Lock()
	cc.checked[key] = err
	cc.mu.Unlock()
	return err
}

// paramLocation is where a restriction reads &name, or its start.
func paramLocation(text source.Text, tree *ast.Restriction, name string) source.Location {
	pos := tree.Pos()
	found := false
	ast.Inspect(tree, func(n ast.Node) bool {
		if p, ok := n.(*ast.Param); ok && !found && strings.EqualFold(p.Name, name) {
			pos, found = p.Pos(), true
		}
		return !found
	})
	return text.Locate(int(pos))
}

// EmptyDate is the empty date of 1C, 0001-01-01 00:00:00.
var EmptyDate = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)

// sessionValues are the values a compiled restriction is run with: for
// each session parameter an empty value of its declared type (the first,
// for a composite type), false for each functional option.
func sessionValues(cfg *metadata.Configuration) map[string]any {
	out := map[string]any{}
	for _, fo := range cfg.FunctionalOptions {
		out[strings.ToLower(fo.Name)] = false
	}
	for _, sp := range cfg.SessionParameters {
		out[strings.ToLower(sp.Name)] = emptyValue(sp.Type)
	}
	return out
}

func emptyValue(t metadata.Type) any {
	if len(t) == 0 {
		return sqlgen.EmptyRef
	}
	switch t[0].Primitive {
	case metadata.String:
		return ""
	case metadata.Number:
		return sqlgen.DecimalText("0")
	case metadata.Boolean:
		return false
	case metadata.Date:
		return EmptyDate
	}
	return sqlgen.EmptyRef
}

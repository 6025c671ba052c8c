package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"dostup/bsl"
)

func newBSLCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bsl",
		Short: "Preprocess, list and check the BSL modules of a 1C configuration dump",
	}
	cmd.AddCommand(newBSLPreprocessCmd(e), newBSLMethodsCmd(e), newBSLCheckCmd(e))
	return cmd
}

// contextNames lists every context's Russian and English names for help
// and errors.
func contextNames() string {
	var names []string
	for _, c := range bsl.Contexts() {
		names = append(names, c.Name(false)+"/"+c.Name(true))
	}
	return strings.Join(names, ", ")
}

func newBSLPreprocessCmd(e *env) *cobra.Command {
	var context, osName string
	cmd := &cobra.Command{
		Use:   "preprocess --context NAME [--os windows|linux|macos] FILE",
		Short: "Print a module as 1C compiles it for one context",
		Long: `preprocess prints FILE as the platform compiles it for the context NAME: the
lines of #Если branches not taken there, deleted lines (#Удаление) and the
preprocessor lines themselves are left empty, so that every line keeps its
number in the file.

NAME is a context in Russian or English, in any letter case: ` + contextNames() + `.

A branch on the operating system (#Если Linux Тогда; the symbols Windows,
Linux, MacOS) is kept when some OS compiles it; --os compiles for one.

The preprocessor's errors (unknown symbols, blocks that do not close) go to
stderr as file:line:col; exit 1 when there is one.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, ok := bsl.ParseContext(context)
			if !ok {
				return usageError(fmt.Errorf("--context %q: not a context; use one of %s", context, contextNames()))
			}
			src, err := os.ReadFile(args[0])
			if err != nil {
				return usageError(err)
			}
			out, findings := bsl.Preprocess(string(src), ctx)
			if osName != "" {
				system, ok := bsl.ParseOS(osName)
				if !ok {
					return usageError(fmt.Errorf("--os %q: use windows, linux or macos", osName))
				}
				out, findings = bsl.PreprocessOS(string(src), ctx, system)
			}
			if _, err := io.WriteString(e.stdout, out); err != nil {
				return err
			}
			for i := range findings {
				findings[i].File = args[0]
			}
			if printFindings(e.stderr, findings) > 0 {
				return silent{code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&context, "context", "", "the context to compile for: "+contextNames())
	cmd.Flags().StringVar(&osName, "os", "", "the operating system to compile for (windows, linux or macos); every OS's branches are kept without it")
	_ = cmd.MarkFlagRequired("context")
	return cmd
}

// printFindings prints findings one a line as file:line:col: severity:
// message [code] and returns how many are errors.
func printFindings(w io.Writer, findings []bsl.Finding) int {
	errs := 0
	for _, f := range findings {
		fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", f.File, f.Line, f.Col, f.Severity, f.Message, f.Code)
		if f.Severity == bsl.SeverityError {
			errs++
		}
	}
	return errs
}

// loadModules loads the modules under each PATH (a module file or a folder
// of a dump); errors name the file.
func loadModules(paths []string) ([]*bsl.Module, error) {
	var l bsl.Loader
	var mods []*bsl.Module
	for _, p := range paths {
		files, err := bsl.FindModules(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			m, err := l.Load(f)
			if err != nil {
				return nil, err
			}
			mods = append(mods, m)
		}
	}
	return mods, nil
}

// methodJSON is one method in bsl methods --json.
type methodJSON struct {
	Name      string   `json:"name"`
	Line      int      `json:"line"`
	Col       int      `json:"col"`
	Function  bool     `json:"function"`
	Export    bool     `json:"export"`
	Directive string   `json:"directive,omitempty"`
	Contexts  []string `json:"contexts"`
}

// moduleMethodsJSON is one module in bsl methods --json.
type moduleMethodsJSON struct {
	File     string       `json:"file"`
	Kind     string       `json:"kind"`
	Object   string       `json:"object,omitempty"`
	Contexts []string     `json:"contexts"`
	Methods  []methodJSON `json:"methods"`
	// Offers lists, for each context the module is compiled in, the names
	// of the exported methods available there.
	Offers map[string][]string `json:"offers"`
}

func newBSLMethodsCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "methods [--json] PATH...",
		Short: "List each method of the modules with its line, Экспорт, directive and contexts",
		Long: `methods lists the procedures and functions of each module under PATH (a module
file inside a Configurator dump, or a folder of one): the line of the name,
whether it is exported, its compilation directive and the contexts in which
1C compiles it (from the module's kind, the directive and #Если). After the
methods of a module, the contexts it is compiled in, each with the number of
exported methods it offers there.

--json prints {"modules": [{"file", "kind", "object", "contexts", "methods":
[{"name", "line", "col", "function", "export", "directive", "contexts"}],
"offers": {"<context>": ["<exported method>", ...]}}]}, contexts by their
English names.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			mods, err := loadModules(args)
			if err != nil {
				return usageError(err)
			}
			if asJSON {
				out := struct {
					Modules []moduleMethodsJSON `json:"modules"`
				}{Modules: []moduleMethodsJSON{}}
				for _, m := range mods {
					out.Modules = append(out.Modules, methodsJSON(m))
				}
				return writeJSON(e.stdout, out)
			}
			for i, m := range mods {
				if i > 0 {
					fmt.Fprintln(e.stdout)
				}
				if err := printMethods(e.stdout, m); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func methodsJSON(m *bsl.Module) moduleMethodsJSON {
	methods := bsl.Methods(m)
	out := moduleMethodsJSON{File: m.Path, Kind: string(m.Kind), Object: m.Object,
		Contexts: nonNil(m.Contexts().Names(true)), Methods: []methodJSON{}, Offers: map[string][]string{}}
	for _, x := range methods {
		out.Methods = append(out.Methods, methodJSON{Name: x.Name, Line: x.Line, Col: x.Col, Function: x.Function,
			Export: x.Export, Directive: x.Directive.Name(true), Contexts: nonNil(x.Contexts.Names(true))})
	}
	for _, o := range bsl.Offers(m.Contexts(), methods) {
		names := []string{}
		for _, x := range o.Exported {
			names = append(names, x.Name)
		}
		out.Offers[o.Context.Name(true)] = names
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// printMethods prints one module's methods as a table in the module's
// language.
func printMethods(w io.Writer, m *bsl.Module) error {
	english := !m.Russian
	title := m.Path
	if m.Object != "" {
		title += " (" + m.Object + ", " + string(m.Kind) + ")"
	} else {
		title += " (" + string(m.Kind) + ")"
	}
	fmt.Fprintln(w, title)
	methods := bsl.Methods(m)
	t := newTable(w, "LINE", "METHOD", "EXPORT", "DIRECTIVE", "CONTEXTS")
	for _, x := range methods {
		export := ""
		if x.Export {
			export = "Экспорт"
			if english {
				export = "Export"
			}
		}
		directive := "-"
		if x.Directive != bsl.DirectiveNone {
			directive = "&" + x.Directive.Name(english)
		}
		contexts := strings.Join(x.Contexts.Names(english), ", ")
		switch {
		case x.Contexts == bsl.AllContexts && english:
			contexts = "every context"
		case x.Contexts == bsl.AllContexts:
			contexts = "все контексты"
		case contexts == "":
			contexts = "-"
		}
		t.row(fmt.Sprint(x.Line), x.Name, export, directive, contexts)
	}
	if err := t.flush(); err != nil {
		return err
	}
	for _, o := range bsl.Offers(m.Contexts(), methods) {
		fmt.Fprintf(w, "  %s: %s, %s\n", o.Context.Name(english),
			plural(len(o.Methods), "method", "methods"), plural(len(o.Exported), "exported", "exported"))
	}
	return nil
}

func newBSLCheckCmd(e *env) *cobra.Command {
	var asJSON bool
	var format string
	cmd := &cobra.Command{
		Use:   "check [--json | --format sarif] PATH...",
		Short: "Check BSL modules for security mistakes and preprocessor errors",
		Long: `check reads each module under PATH (a module file inside a Configurator dump, or
a dump root or any folder of one) and reports, with stable codes:

` + ruleList() + `
Calls to common modules are checked against the code of the dump's common
modules; a single module file is checked against the common modules of the
dump it belongs to. Messages are in the configuration's language.

Output: file:line:col: severity: message [code] a finding, then a summary line.
--json prints {"modules": N, "findings": [{"file", "line", "col", "end_line",
"end_col", "code", "severity", "message"}]}; --format sarif a SARIF 2.1.0 log
(GitHub code scanning accepts it). Exit 1 when a finding of severity error
exists, 2 on bad usage or an unreadable module.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json", "sarif"); err != nil {
				return err
			}
			if asJSON {
				if cmd.Flags().Changed("format") && format != "json" {
					return usageError(fmt.Errorf("--json and --format %s: give one of them", format))
				}
				format = "json"
			}
			mods, err := loadModules(args)
			if err != nil {
				return usageError(err)
			}
			context, err := commonContext(args)
			if err != nil {
				return usageError(err)
			}
			findings := bsl.CheckWith(mods, context)
			errs := 0
			for _, f := range findings {
				if f.Severity == bsl.SeverityError {
					errs++
				}
			}
			switch format {
			case "json":
				if findings == nil {
					findings = []bsl.Finding{}
				}
				err = writeJSON(e.stdout, struct {
					Modules  int           `json:"modules"`
					Findings []bsl.Finding `json:"findings"`
				}{len(mods), findings})
			case "sarif":
				err = bsl.WriteSARIF(e.stdout, findings, bsl.Rules(), version())
			default:
				printFindings(e.stdout, findings)
				fmt.Fprintf(e.stdout, "%s: %s, %s\n", plural(len(mods), "module", "modules"),
					plural(errs, "error", "errors"), plural(len(findings)-errs, "warning", "warnings"))
			}
			if err != nil {
				return err
			}
			if errs > 0 {
				return silent{code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of text")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or sarif")
	return cmd
}

// ruleList is the codes and summaries for check's help.
func ruleList() string {
	var b strings.Builder
	for _, r := range bsl.Rules() {
		fmt.Fprintf(&b, "  %-28s %-7s %s\n", r.Code, r.Severity, r.Summary)
	}
	return b.String()
}

// commonContext loads the common modules of the dumps the PATHs belong to
// (their flags, and their code when the dump has it), so that calls to
// them are checked too.
func commonContext(args []string) ([]*bsl.Module, error) {
	roots := map[string]bool{}
	for _, a := range args {
		if root := bsl.DumpRoot(a); root != "" {
			roots[root] = true
		}
	}
	var context []*bsl.Module
	for root := range roots {
		common, err := bsl.LoadCommonModules(root)
		if err != nil {
			return nil, err
		}
		context = append(context, common...)
	}
	return context, nil
}

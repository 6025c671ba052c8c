package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"dostup/infobase"
	"dostup/rules"
	"dostup/rules/store"
)

func newRulesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Decide, report and change through orders with the rules register",
		Long: `rules works with a rules register (SPEC §4): attribute-based decisions for
operations that object rights cannot express.

A register is a directory of YAML files (--rules DIR): the properties of an
operation's context, the groups and synonyms of their values, rules, and
orders (приказы) that add and remove rules from a date. With --db DB the orders
applied to that infobase (dostup rules order apply) count too, and every
process using the database sees a committed order at once.

Example (examples/wholesale, the seed's wholesale firm):
  dostup rules decide --rules examples/wholesale Роль=Стажер Действие=Правка ВидОбъекта=Расходная Товары=Водка`,
	}
	cmd.AddCommand(newRulesDecideCmd(e), newRulesReportCmd(e), newRulesOrderCmd(e), newRulesLintCmd(e))
	return cmd
}

// rulesSource is where a command reads its register: the directory, and
// optionally the database holding applied orders.
type rulesSource struct {
	dir, db string
	at      string
}

func (s *rulesSource) flags(cmd *cobra.Command, withAt bool) {
	cmd.Flags().StringVar(&s.dir, "rules", "", "the rules directory (YAML files: properties, groups, rules, orders)")
	cmd.Flags().StringVar(&s.db, "db", "", "an infobase (SQLite file or postgres:// URL) holding orders applied to it")
	if withAt {
		cmd.Flags().StringVar(&s.at, "at", "", "decide with the rules in force at this moment (ДД.ММ.ГГГГ [ЧЧ:ММ:СС] or ГГГГ-ММ-ДД); default now")
	}
}

// open loads the register; the store is nil without --db.
func (s *rulesSource) open(ctx context.Context) (*rules.Register, *store.Store, func(), error) {
	if s.dir == "" {
		return nil, nil, nil, usageError(errors.New("--rules DIR is required: the directory of the register's YAML files"))
	}
	reg, err := rules.Load(s.dir)
	if err != nil {
		return nil, nil, nil, rulesLoadError(err)
	}
	if s.db == "" {
		useQueries(ctx, reg.Config, "")
		return reg, nil, func() {}, nil
	}
	db, err := infobase.Open(ctx, s.db)
	if err != nil {
		return nil, nil, nil, usageError(err)
	}
	st, err := store.Open(ctx, db, reg)
	if err != nil {
		db.Close()
		return nil, nil, nil, failure(err)
	}
	reg, err = st.Register(ctx)
	if err != nil {
		db.Close()
		return nil, nil, nil, failure(err)
	}
	closeIB := useQueries(ctx, reg.Config, s.db)
	return reg, st, func() { closeIB(); db.Close() }, nil
}

// useQueries lets properties declared with a 1C query compute their values
// from the infobase at dsn, with full rights; without an infobase there,
// such a property fails the decision that needs it, saying why.
func useQueries(ctx context.Context, cfg *rules.Config, dsn string) func() {
	need := false
	for _, p := range cfg.Properties {
		need = need || p.Query != ""
	}
	if !need {
		return func() {}
	}
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if dsn == "" {
		err = errors.New("give --db with the infobase whose data it reads")
	}
	if err != nil {
		cfg.UseQueries(func(context.Context, string, map[string]any) ([][]any, error) {
			return nil, fmt.Errorf("no infobase to run it on: %v", err)
		})
		return func() {}
	}
	queryInfobase(cfg, ib)
	return func() { ib.Close() }
}

// queryInfobase lets the register's properties declared with a 1C query
// compute their values from ib, with full rights.
func queryInfobase(cfg *rules.Config, ib *infobase.Infobase) {
	cfg.UseQueries(func(ctx context.Context, text string, params map[string]any) ([][]any, error) {
		res, err := ib.Query(ctx, text, params)
		if err != nil {
			return nil, err
		}
		return res.Rows, nil
	})
}

// rulesLoadError: a register with mistakes is a problem found (exit 1), an
// unreadable directory bad input (exit 2).
func rulesLoadError(err error) error {
	var l rules.ErrorList
	if errors.As(err, &l) {
		return failure(err)
	}
	return usageError(err)
}

// rulesAt opens the register and takes the rules in force at --at.
func (s *rulesSource) rulesAt(ctx context.Context) (*rules.Register, *rules.Set, func(), error) {
	reg, _, done, err := s.open(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	at, err := s.moment()
	if err != nil {
		done()
		return nil, nil, nil, err
	}
	set, err := reg.At(at)
	if err != nil {
		done()
		return nil, nil, nil, failure(err)
	}
	return reg, set, done, nil
}

func (s *rulesSource) moment() (time.Time, error) {
	if s.at == "" {
		return time.Now(), nil
	}
	t, _, err := rules.ParseDate(s.at)
	if err != nil {
		return time.Time{}, usageError(fmt.Errorf("--at: %v", err))
	}
	return t, nil
}

// rulesValues reads Name=Value arguments.
func rulesValues(cfg *rules.Config, args []string) (map[string]any, error) {
	vals := map[string]any{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usageError(fmt.Errorf("%q: write Name=Value (list values comma-separated: Товары=Водка,Хлеб)", a))
		}
		p, ok := cfg.Property(k)
		if !ok {
			return nil, usageError(fmt.Errorf("unknown property %s; the register declares %s", k, cfg.Names()))
		}
		vals[p.Name] = v
	}
	return vals, nil
}

func newRulesDecideCmd(e *env) *cobra.Command {
	var src rulesSource
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "decide --rules DIR [--db DB] [--at DATE] [--json] Name=Value...",
		Short: "Decide whether an operation is allowed (exit 0 allow, 3 deny)",
		Long: `decide resolves a context against the rules in force at --at (default now):
the best priority among matching rules that carry one, then rules strictly more
general than another matching rule drop out, then deny wins, and with no
matching rule the answer is deny.

Values are Name=Value with the property's Russian or English name; a list
property takes comma-separated values (Товары=Водка,Хлеб). Numbers and dates
as 1C writes them (1500, 31.12.2004).

It prints the decision, the deciding rule and its message, and every matching
rule with why it won or lost; --json prints
  {"effect":"allow"|"deny","rule":ID|null,"message":...,"trace":[...]}
Exit 0 allow, 3 deny, 1 a register with mistakes, 2 bad usage.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			reg, set, done, err := src.rulesAt(ctx)
			if err != nil {
				return err
			}
			defer done()
			vals, err := rulesValues(reg.Config, args)
			if err != nil {
				return err
			}
			d, err := set.Decide(ctx, &rules.Request{Values: vals})
			if err != nil {
				return usageError(err)
			}
			if asJSON {
				if err := writeJSON(e.stdout, d); err != nil {
					return err
				}
			} else {
				printDecision(e, d)
			}
			if d.Effect != rules.Allow {
				return silent{code: ExitDenied}
			}
			return nil
		},
	}
	src.flags(cmd, true)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the decision as JSON")
	return cmd
}

func printDecision(e *env, d *rules.Decision) {
	if d.Rule == nil {
		fmt.Fprintf(e.stdout, "%s: %s\n", d.Effect, d.Message)
	} else if d.Message != "" {
		fmt.Fprintf(e.stdout, "%s by rule %s: %s\n", d.Effect, d.Rule.ID, d.Message)
	} else {
		fmt.Fprintf(e.stdout, "%s by rule %s\n", d.Effect, d.Rule.ID)
	}
	for _, s := range d.Trace {
		var m []string
		for _, x := range s.Matched() {
			m = append(m, fmt.Sprintf("%s=%s (%s)", x.Property, x.Condition, x.Level))
		}
		if len(m) == 0 {
			m = append(m, "any context")
		}
		fmt.Fprintf(e.stdout, "  %-12s %-5s %s — %s\n      %s\n", s.Outcome, s.Effect, s.Rule, s.Reason(), strings.Join(m, ", "))
	}
}

func newRulesLintCmd(e *env) *cobra.Command {
	var asJSON bool
	var at, db string
	cmd := &cobra.Command{
		Use:   "lint [--json] [--at DATE] [--db DB] DIR",
		Short: "Check a rules directory: mistakes, conflicting rules, rules that never decide",
		Long: `lint loads a rules directory (every mistake reported at file:line:col) and
checks the rules in force at --at (default: with every order):

  conflict  two rules of the same priority with opposite effects match one
            context and neither is more specific: deny wins there by default;
            add a more specific rule for the overlap or give one a priority
  shadowed  a rule that can never decide: another rule matching wherever it
            does has a better priority, or denies and is never less specific,
            or repeats it

Exit 0 clean, 1 mistakes or findings, 2 bad usage.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := rulesSource{dir: args[0], db: db, at: at}
			reg, _, done, err := src.open(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			var moment time.Time
			if at != "" {
				if moment, err = src.moment(); err != nil {
					return err
				}
			}
			set, err := reg.At(moment)
			if err != nil {
				return failure(err)
			}
			findings := set.Lint()
			if asJSON {
				if findings == nil {
					findings = []rules.Finding{}
				}
				if err := writeJSON(e.stdout, map[string]any{"rules": len(set.Rules()), "orders": len(reg.Orders), "findings": findings}); err != nil {
					return err
				}
			} else {
				for _, f := range findings {
					fmt.Fprintln(e.stdout, f)
				}
				fmt.Fprintf(e.stdout, "%d rules from %d orders: %d findings\n", len(set.Rules()), reg.InForce(moment), len(findings))
			}
			if len(findings) > 0 {
				return silent{code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the findings as JSON")
	cmd.Flags().StringVar(&at, "at", "", "check the rules in force at this moment; default with every order")
	cmd.Flags().StringVar(&db, "db", "", "an infobase holding orders applied to it")
	return cmd
}

func newRulesReportCmd(e *env) *cobra.Command {
	var src rulesSource
	var asJSON bool
	var by []string
	cmd := &cobra.Command{
		Use:   "report may|who [--rules DIR] [--db DB] [--at DATE] [--by Name,...] Name=Value...",
		Short: "Report what a role or user may do, or who may perform an action on an object kind",
		Long: `report decides every combination of the values the rules and groups name for
some properties, with the values given fixed:

  may Роль=Стажер                            what the role may do: Действие × ВидОбъекта
  may Пользователь=Иванов Роль=Менеджер      the same for a user in a role
  who Действие=Проведение ВидОбъекта=Расходная  which roles may do it
  --by Name,...                               enumerate other properties instead

Each row is a context the rules allow, or one whose decision depends on a
property the report leaves open (the "unless" rules: Товары Алкоголь → deny).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			kind := args[0]
			if kind != "may" && kind != "who" {
				return usageError(fmt.Errorf("report %q: use may or who", kind))
			}
			reg, set, done, err := src.rulesAt(ctx)
			if err != nil {
				return err
			}
			defer done()
			vals, err := rulesValues(reg.Config, args[1:])
			if err != nil {
				return err
			}
			if len(by) == 0 {
				if kind == "may" {
					by = []string{"Действие", "ВидОбъекта"}
				} else {
					by = []string{"Роль"}
				}
			}
			var props []*rules.Property
			for _, n := range by {
				p, ok := reg.Config.Property(n)
				if !ok {
					return usageError(fmt.Errorf("--by: unknown property %s; the register declares %s", n, reg.Config.Names()))
				}
				if _, fixed := vals[p.Name]; fixed {
					continue
				}
				props = append(props, p)
			}
			rows, err := set.Report(ctx, vals, props)
			if err != nil {
				return usageError(err)
			}
			if asJSON {
				if rows == nil {
					rows = []rules.ReportRow{}
				}
				return writeJSON(e.stdout, rows)
			}
			var head []string
			for _, p := range props {
				head = append(head, p.Name)
			}
			t := newVerbatimTable(e.stdout, append(head, "decision", "rule", "unless")...)
			for _, r := range rows {
				var cells []string
				for _, p := range props {
					cells = append(cells, r.Values[p.Name])
				}
				rule := r.Rule
				if rule == "" {
					rule = "—"
				}
				t.row(append(cells, r.Effect.String(), rule, strings.Join(r.Unless, "; "))...)
			}
			return t.flush()
		},
	}
	src.flags(cmd, true)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the rows as JSON")
	cmd.Flags().StringSliceVar(&by, "by", nil, "properties to enumerate (default: Действие,ВидОбъекта for may, Роль for who)")
	return cmd
}

func newRulesOrderCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "order",
		Short: "Apply, list and show orders (приказы) that change the rules",
	}
	var src rulesSource
	var asJSON bool
	apply := &cobra.Command{
		Use:   "apply --rules DIR --db DB FILE",
		Short: "Commit an order from a YAML file to an infobase",
		Long: `apply reads one order (order: number, date, author, reason, add, remove) from
FILE, checks it against the register in force with every order already
committed (removed rules must be in force, added ids must not), and commits it
to the infobase. Without number: it gets the next. Every process using the
database decides by it from its next decision.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if src.db == "" {
				return usageError(errors.New("--db DB is required: orders are applied to an infobase"))
			}
			reg, st, done, err := src.open(ctx)
			if err != nil {
				return err
			}
			defer done()
			b, err := os.ReadFile(args[0])
			if err != nil {
				return usageError(err)
			}
			o, err := rules.ParseOrder(reg.Config, args[0], b)
			if err != nil {
				return rulesLoadError(err)
			}
			o, err = st.Apply(ctx, o)
			if err != nil {
				return failure(err)
			}
			fmt.Fprintf(e.stdout, "order %d of %s applied: %d rules added, %d removed\n", o.Number, o.Date.Format("02.01.2006"), len(o.Add), len(o.Remove))
			return nil
		},
	}
	src.flags(apply, false)
	list := &cobra.Command{
		Use:   "list --rules DIR [--db DB] [--json]",
		Short: "List the orders of the register, by date and number",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, _, done, err := src.open(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			if asJSON {
				return writeJSON(e.stdout, reg.Orders)
			}
			t := newVerbatimTable(e.stdout, "number", "date", "author", "added", "removed", "where", "reason")
			for _, o := range reg.Orders {
				where := o.Pos.File
				if !o.AppliedAt.IsZero() {
					where = "database, " + o.AppliedAt.Local().Format("02.01.2006 15:04:05")
				}
				t.row(strconv.Itoa(o.Number), formatMoment(o.Date), o.Author, strconv.Itoa(len(o.Add)), strconv.Itoa(len(o.Remove)), where, o.Reason)
			}
			return t.flush()
		},
	}
	show := &cobra.Command{
		Use:   "show --rules DIR [--db DB] [--json] NUMBER",
		Short: "Show one order: who signed it, why, and the rules it added and removed",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := strconv.Atoi(args[0])
			if err != nil {
				return usageError(fmt.Errorf("order number %q is not a number", args[0]))
			}
			reg, _, done, err := src.open(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			o, ok := reg.Order(n)
			if !ok {
				return failure(fmt.Errorf("no order %d; dostup rules order list shows them", n))
			}
			if asJSON {
				return writeJSON(e.stdout, o)
			}
			fmt.Fprintf(e.stdout, "order %d of %s\nauthor: %s\nreason: %s\n", o.Number, formatMoment(o.Date), o.Author, o.Reason)
			if !o.AppliedAt.IsZero() {
				fmt.Fprintf(e.stdout, "applied: %s\n", o.AppliedAt.Local().Format("02.01.2006 15:04:05"))
			}
			rm := append([]string(nil), o.Remove...)
			sort.Strings(rm)
			for _, id := range rm {
				fmt.Fprintf(e.stdout, "- %s\n", id)
			}
			for _, r := range o.Add {
				fmt.Fprintf(e.stdout, "+ %s\n", r)
			}
			return nil
		},
	}
	for _, c := range []*cobra.Command{list, show} {
		c.Flags().StringVar(&src.dir, "rules", "", "the rules directory")
		c.Flags().StringVar(&src.db, "db", "", "an infobase holding orders applied to it")
		c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	}
	cmd.AddCommand(apply, list, show)
	return cmd
}

func formatMoment(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("02.01.2006")
	}
	return t.Format("02.01.2006 15:04:05")
}

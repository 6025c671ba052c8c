// Command rules measures rules-register decisions per second over 10, 1,000
// and 10,000 rules, for dostup beside the same policy written for Casbin
// and for Cedar, in one run, and prints the ratios:
//
//	rules  dostup/s  casbin/s  cedar/s  dostup÷casbin  dostup÷cedar
//
// It is a module of its own (bench/rules/go.mod) so that dostup's module does
// not depend on Casbin or Cedar.
//
// The policy: one rule per (role, action, object kind), an allow or (one in
// seven) a deny, one in eleven only for discounts over 1000. Those contexts
// do not overlap, so the three engines' different ways of combining rules
// (dostup's specificity, Casbin's effect expression, Cedar's forbid-wins)
// give the same answers; the run checks that they do before timing.
//
//	go run . [-benchtime 1s]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/cedar-policy/cedar-go"

	"dostup/rules"
)

type tuple struct {
	role, action, kind string
	deny, discount     bool
}

func policy(n int) []tuple {
	var out []tuple
	for i := 0; i < n; i++ {
		out = append(out, tuple{fmt.Sprintf("r%d", i%97), fmt.Sprintf("a%d", i%13), fmt.Sprintf("k%d", i/97/13), i%7 == 0, i%11 == 0})
	}
	return out
}

type request struct {
	role, action, kind string
	discount           int
}

func requests(n int) []request {
	var out []request
	for i := 0; i < 64; i++ {
		j := (i * 7919) % n
		d := 500
		if i%2 == 0 {
			d = 1500
		}
		out = append(out, request{fmt.Sprintf("r%d", j%97), fmt.Sprintf("a%d", j%13), fmt.Sprintf("k%d", j/97/13), d})
	}
	// One that no rule matches.
	out = append(out, request{"nobody", "a0", "k0", 0})
	return out
}

type engine struct {
	name   string
	decide func(request) bool
}

func dostupEngine(p []tuple) (engine, error) {
	cfg, err := rules.NewConfig([]*rules.Property{
		{Name: "Роль", EN: "Role"}, {Name: "Действие", EN: "Action"}, {Name: "ВидОбъекта", EN: "ObjectKind"},
		{Name: "Скидка", EN: "Discount", Type: rules.Type{Kind: rules.Number}},
	})
	if err != nil {
		return engine{}, err
	}
	var rs []*rules.Rule
	for i, t := range p {
		r := &rules.Rule{ID: fmt.Sprint(i), Effect: rules.Allow, Conditions: []rules.Condition{
			{Property: "Роль", Text: t.role}, {Property: "Действие", Text: t.action}, {Property: "ВидОбъекта", Text: t.kind}}}
		if t.deny {
			r.Effect = rules.Deny
		}
		if t.discount {
			r.Conditions = append(r.Conditions, rules.Condition{Property: "Скидка", Text: ">1000"})
		}
		rs = append(rs, r)
	}
	set, err := rules.Compile(cfg, rs)
	if err != nil {
		return engine{}, err
	}
	ctx := context.Background()
	return engine{"dostup", func(q request) bool {
		d, err := set.Decide(ctx, &rules.Request{Values: map[string]any{"Роль": q.role, "Действие": q.action, "ВидОбъекта": q.kind, "Скидка": q.discount}})
		if err != nil {
			panic(err)
		}
		return d.Allowed()
	}}, nil
}

const casbinModel = `
[request_definition]
r = sub, act, obj, discount

[policy_definition]
p = sub, act, obj, mindiscount, eft

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = r.sub == p.sub && r.act == p.act && r.obj == p.obj && above(r.discount, p.mindiscount)
`

func casbinEngine(p []tuple) (engine, error) {
	m, err := model.NewModelFromString(casbinModel)
	if err != nil {
		return engine{}, err
	}
	e, err := casbin.NewEnforcer(m)
	if err != nil {
		return engine{}, err
	}
	e.AddFunction("above", func(args ...any) (any, error) {
		min := args[1].(string)
		if min == "" {
			return true, nil
		}
		var v float64
		fmt.Sscan(min, &v)
		return args[0].(float64) > v, nil
	})
	var rows [][]string
	for _, t := range p {
		eft, min := "allow", ""
		if t.deny {
			eft = "deny"
		}
		if t.discount {
			min = "1000"
		}
		rows = append(rows, []string{t.role, t.action, t.kind, min, eft})
	}
	if _, err := e.AddPolicies(rows); err != nil {
		return engine{}, err
	}
	return engine{"casbin", func(q request) bool {
		ok, err := e.Enforce(q.role, q.action, q.kind, float64(q.discount))
		if err != nil {
			panic(err)
		}
		return ok
	}}, nil
}

func cedarEngine(p []tuple) (engine, error) {
	var b strings.Builder
	for _, t := range p {
		eff := "permit"
		if t.deny {
			eff = "forbid"
		}
		fmt.Fprintf(&b, "%s (principal == Role::%q, action == Action::%q, resource == Kind::%q)", eff, t.role, t.action, t.kind)
		if t.discount {
			b.WriteString(" when { context.discount > 1000 }")
		}
		b.WriteString(";\n")
	}
	ps, err := cedar.NewPolicySetFromBytes("policy.cedar", []byte(b.String()))
	if err != nil {
		return engine{}, err
	}
	return engine{"cedar", func(q request) bool {
		ok, _ := cedar.Authorize(ps, cedar.EntityMap{}, cedar.Request{
			Principal: cedar.NewEntityUID("Role", cedar.String(q.role)),
			Action:    cedar.NewEntityUID("Action", cedar.String(q.action)),
			Resource:  cedar.NewEntityUID("Kind", cedar.String(q.kind)),
			Context:   cedar.NewRecord(cedar.RecordMap{"discount": cedar.Long(q.discount)}),
		})
		return ok == cedar.Allow
	}}, nil
}

func main() {
	benchtime := flag.Duration("benchtime", time.Second, "time per engine and size")
	flag.Parse()
	testing.Init()
	_ = flag.Set("test.benchtime", benchtime.String())
	fmt.Printf("%8s %12s %12s %12s %14s %13s\n", "rules", "dostup/s", "casbin/s", "cedar/s", "dostup÷casbin", "dostup÷cedar")
	for _, n := range []int{10, 1000, 10000} {
		p := policy(n)
		var engines []engine
		for _, build := range []func([]tuple) (engine, error){dostupEngine, casbinEngine, cedarEngine} {
			e, err := build(p)
			if err != nil {
				fmt.Fprintln(os.Stderr, "bench/rules:", err)
				os.Exit(1)
			}
			engines = append(engines, e)
		}
		reqs := requests(n)
		for _, q := range reqs {
			want := engines[0].decide(q)
			for _, e := range engines[1:] {
				if got := e.decide(q); got != want {
					fmt.Fprintf(os.Stderr, "bench/rules: %d rules, %+v: dostup says %v, %s says %v\n", n, q, want, e.name, got)
					os.Exit(1)
				}
			}
		}
		rate := make([]float64, len(engines))
		for i, e := range engines {
			r := testing.Benchmark(func(b *testing.B) {
				for k := 0; k < b.N; k++ {
					e.decide(reqs[k%len(reqs)])
				}
			})
			rate[i] = float64(r.N) / r.T.Seconds()
		}
		fmt.Printf("%8d %12.0f %12.0f %12.0f %14.2f %13.2f\n", n, rate[0], rate[1], rate[2], rate[0]/rate[1], rate[0]/rate[2])
	}
}

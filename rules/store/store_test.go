package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"dostup/eventlog"
	"dostup/infobase"
	"dostup/internal/testdb"
	"dostup/rules"
)

func wholesale(t *testing.T) *rules.Register {
	t.Helper()
	reg, err := rules.Load("../../examples/wholesale")
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, _, err := rules.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var manager10Days = &rules.Request{Values: map[string]any{"Роль": "Менеджер", "Действие": "Правка", "ВидОбъекта": "Расходная", "ДнейОтТочкиАктуальности": 10}}

// TestOrderSeenByAnotherHandle applies an order through one handle and
// expects a second handle on the same database, open all along, to decide
// by it at once: what two server processes would do.
func TestOrderSeenByAnotherHandle(t *testing.T) {
	for _, backend := range testdb.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, backend)
			open := func() *Store {
				db, err := infobase.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				s, err := Open(ctx, db, wholesale(t))
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			a, b := open(), open()
			at := date(t, "01.06.2005")
			d, err := b.Decide(ctx, at, manager10Days)
			if err != nil {
				t.Fatal(err)
			}
			if d.Effect != rules.Deny || d.Rule.ID != "менеджер-неделя" {
				t.Fatalf("before the order: %s by %v", d.Effect, d.Rule)
			}
			// Order 2 lifts the week limit from 01.01.2005.
			o, err := a.Apply(ctx, &rules.Order{Date: date(t, "01.01.2005"), Author: "Директор", Reason: "менеджеры правят без ограничения", Remove: []string{"менеджер-неделя"}})
			if err != nil {
				t.Fatal(err)
			}
			if o.Number != 2 {
				t.Errorf("the order got number %d, want 2 (the next after the file's order 1)", o.Number)
			}
			d, err = b.Decide(ctx, at, manager10Days)
			if err != nil {
				t.Fatal(err)
			}
			if d.Effect != rules.Allow {
				t.Fatalf("the other handle does not see the order: %s by %v", d.Effect, d.Rule)
			}
			// At a date before the order the week limit is still in force.
			d, _ = b.Decide(ctx, date(t, "31.12.2004"), manager10Days)
			if d.Effect != rules.Deny {
				t.Errorf("a decision before the order's date: %s", d.Effect)
			}
			// Order 3 puts it back with a limit of 30 days.
			_, err = b.Apply(ctx, &rules.Order{Date: date(t, "01.03.2005"), Author: "Директор", Reason: "месяц", Add: []*rules.Rule{{
				ID: "менеджер-месяц", Effect: rules.Deny, Message: "не более месяца назад",
				Conditions: []rules.Condition{{Property: "Роль", Text: "Менеджер"}, {Property: "Действие", Text: "Правка"}, {Property: "ВидОбъекта", Text: "Расходная"}, {Property: "ДнейОтТочкиАктуальности", Text: ">30"}},
			}}})
			if err != nil {
				t.Fatal(err)
			}
			d, _ = a.Decide(ctx, at, &rules.Request{Values: map[string]any{"Роль": "Менеджер", "Действие": "Правка", "ВидОбъекта": "Расходная", "ДнейОтТочкиАктуальности": 45}})
			if d.Effect != rules.Deny || d.Rule.ID != "менеджер-месяц" {
				t.Errorf("after order 3: %s by %v", d.Effect, d.Rule)
			}
			// Mistakes are refused and change nothing.
			if _, err := a.Apply(ctx, &rules.Order{Number: 3, Date: date(t, "01.04.2005"), Author: "x"}); !errors.Is(err, ErrOrderExists) {
				t.Errorf("a taken number: %v", err)
			}
			if _, err := a.Apply(ctx, &rules.Order{Date: date(t, "01.04.2005"), Author: "x", Remove: []string{"нет-такого"}}); err == nil {
				t.Errorf("removing an unknown rule was accepted")
			}
			reg, err := b.Register(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(reg.Orders) != 3 {
				t.Errorf("%d orders, want 3", len(reg.Orders))
			}
			// Each committed order is in the event log; refused ones are not.
			events, err := a.log.Query(ctx, eventlog.Filter{Kind: eventlog.RulesOrder})
			if err != nil || len(events) != 2 || events[0].User != "Директор" || events[0].Data["reason"] != "менеджеры правят без ограничения" {
				t.Errorf("order events: %v %v", events, err)
			}
			h, err := a.RuleHistory(ctx, "менеджер-неделя")
			if err != nil || len(h) != 1 || h[0].Order != 2 || h[0].Op != "remove" {
				t.Errorf("history of менеджер-неделя: %v %v", h, err)
			}
		})
	}
}

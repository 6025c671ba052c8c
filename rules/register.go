package rules

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// Order (приказ) is a dated, numbered batch of changes to the register,
// signed by its author with a reason. Its removals apply before its
// additions, so an order changes a rule by removing it and adding the new
// version under the same id.
type Order struct {
	Number    int       `json:"number"`
	Date      time.Time `json:"date"` // in force from this moment (a date without time: from the start of the day)
	Author    string    `json:"author"`
	Reason    string    `json:"reason"`
	Add       []*Rule   `json:"add,omitempty"`
	Remove    []string  `json:"remove,omitempty"`
	AppliedAt time.Time `json:"applied_at,omitzero"` // when it was committed to a database; zero for orders kept as files
	Pos       Pos       `json:"-"`
}

// Register is the configuration, the rules in force from the beginning, and
// the orders, sorted by date and number. It compiles the rule set in force
// at a moment on first use and keeps it.
type Register struct {
	Config *Config
	Base   []*Rule
	Orders []*Order

	mu   sync.Mutex
	sets map[int]*Set // by how many orders are in force
}

// NewRegister checks that the orders apply in sequence (unique numbers, no
// removal of a rule not in force, no second rule with an id in force) and
// that every rule compiles.
func NewRegister(cfg *Config, base []*Rule, orders []*Order) (*Register, error) {
	r := &Register{Config: cfg, Base: base, Orders: append([]*Order(nil), orders...), sets: map[int]*Set{}}
	sort.SliceStable(r.Orders, func(i, j int) bool {
		a, b := r.Orders[i], r.Orders[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		return a.Number < b.Number
	})
	var errs ErrorList
	seen := map[int]*Order{}
	for _, o := range r.Orders {
		if o.Number <= 0 {
			errs.Add(o.Pos, "order", fmt.Sprintf("an order dated %s has no number: give it number:", o.Date.Format("02.01.2006")))
		} else if prev, dup := seen[o.Number]; dup {
			errs.Add(o.Pos, "order", fmt.Sprintf("order number %d is used twice (first at %s)", o.Number, prev.Pos))
		}
		seen[o.Number] = o
	}
	// Compile the base and each order's additions (so a mistake shows now,
	// not at the first decision at that date), then replay the orders to
	// check removals and ids.
	batches := [][]*Rule{r.Base}
	for _, o := range r.Orders {
		batches = append(batches, o.Add)
	}
	for _, b := range batches {
		if _, err := Compile(cfg, b); err != nil {
			if l, ok := err.(ErrorList); ok {
				errs = append(errs, l...)
			} else {
				errs.Add(Pos{}, "config", err.Error())
			}
		}
	}
	if len(errs) == 0 {
		if _, err := r.rulesAt(len(r.Orders)); err != nil {
			errs = append(errs, err.(ErrorList)...)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// rulesAt applies the first k orders to the base rules.
func (r *Register) rulesAt(k int) ([]*Rule, error) {
	rules := append([]*Rule(nil), r.Base...)
	var errs ErrorList
	for _, o := range r.Orders[:k] {
		for _, id := range o.Remove {
			i := indexOf(rules, id)
			if i < 0 {
				errs.Add(o.Pos, "order", fmt.Sprintf("order %d removes rule %s, which is not in force on %s", o.Number, id, o.Date.Format("02.01.2006")))
				continue
			}
			rules = append(rules[:i:i], rules[i+1:]...)
		}
		for _, rule := range o.Add {
			if indexOf(rules, rule.ID) >= 0 {
				errs.Add(rule.Pos, "order", fmt.Sprintf("order %d adds rule %s, which is already in force; remove it in the same order to change it", o.Number, rule.ID))
				continue
			}
			rules = append(rules, rule)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return rules, nil
}

func indexOf(rules []*Rule, id string) int {
	for i, r := range rules {
		if r.ID == id {
			return i
		}
	}
	return -1
}

// InForce returns how many of the orders are in force at t (all of them for
// the zero time).
func (r *Register) InForce(t time.Time) int {
	if t.IsZero() {
		return len(r.Orders)
	}
	return sort.Search(len(r.Orders), func(i int) bool { return r.Orders[i].Date.After(t) })
}

// At returns the rule set in force at t; the zero time means with every order.
func (r *Register) At(t time.Time) (*Set, error) {
	k := r.InForce(t)
	r.mu.Lock()
	defer r.mu.Unlock()
	if s, ok := r.sets[k]; ok {
		return s, nil
	}
	rules, err := r.rulesAt(k)
	if err != nil {
		return nil, err
	}
	s, err := Compile(r.Config, rules)
	if err != nil {
		return nil, err
	}
	r.sets[k] = s
	return s, nil
}

// Order finds an order by number.
func (r *Register) Order(number int) (*Order, bool) {
	for _, o := range r.Orders {
		if o.Number == number {
			return o, true
		}
	}
	return nil, false
}

// NextNumber is the number a new order gets when it has none.
func (r *Register) NextNumber() int {
	n := 0
	for _, o := range r.Orders {
		n = max(n, o.Number)
	}
	return n + 1
}

// With returns a register with more orders, checked as NewRegister checks.
func (r *Register) With(orders ...*Order) (*Register, error) {
	return NewRegister(r.Config, r.Base, append(append([]*Order(nil), r.Orders...), orders...))
}

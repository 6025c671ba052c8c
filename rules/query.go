package rules

import (
	"context"
	"fmt"
)

// QueryFunc runs a query in the 1C query language in privileged mode (the
// rules decide what a user may do, so computing a property must not depend
// on what that user may read) and returns its rows, values as the infobase
// gives them. The CLI passes an infobase's Query.
type QueryFunc func(ctx context.Context, text string, params map[string]any) ([][]any, error)

// Presenter is a value a query returns that reads as text in a rule, such
// as a reference with its presentation; references are compared by what
// rules name them (Водка), not by id.
type Presenter interface{ Present() string }

// UseQueries makes each property declared with a query compute its value
// by running it: the query's parameters are the values the request gives,
// under their property names in both languages (&Объект reads Объект); the
// first column is the value — every row's for a list property, the first
// row's otherwise, and no row leaves the property absent. Properties with
// a Go provider keep it.
func (c *Config) UseQueries(run QueryFunc) {
	for _, p := range c.Properties {
		if p.Query == "" || p.Provider != nil {
			continue
		}
		p.Provider = func(ctx context.Context, req *Request) (any, error) {
			params := map[string]any{}
			for name, v := range req.Values {
				q, ok := c.Property(name)
				if !ok {
					continue
				}
				if val, ok := v.(Value); ok {
					v = val.format(q.Type.Kind)
				}
				params[q.Name] = v
				if q.EN != "" {
					params[q.EN] = v
				}
			}
			rows, err := run(ctx, p.Query, params)
			if err != nil {
				return nil, fmt.Errorf("its query: %w", err)
			}
			value := func(row []any) any {
				if len(row) == 0 {
					return nil
				}
				if pr, ok := row[0].(Presenter); ok {
					return pr.Present()
				}
				return row[0]
			}
			if !p.Type.List {
				if len(rows) == 0 {
					return nil, nil
				}
				return value(rows[0]), nil
			}
			list := make([]any, 0, len(rows))
			for _, row := range rows {
				if v := value(row); v != nil {
					list = append(list, v)
				}
			}
			return list, nil
		}
	}
}

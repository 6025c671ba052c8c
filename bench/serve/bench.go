package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"dostup/authn"
	"dostup/demo"
	"dostup/eventlog"
	"dostup/infobase"
	"dostup/server"
)

type options struct {
	requests, clients, queries int
	sqlite, postgres           string
	timeout                    time.Duration
	hash                       authn.HashParams // zero: the default, as in production
	instances                  int              // more than 1: the load again over this many instances on one database
	out, log                   io.Writer
}

// result is one backend's measurements.
type result struct {
	backend                 string
	requests, errors        int
	perSecond               float64
	p99, healthP99          time.Duration
	loginP99, queryP99      time.Duration
	wantEvents, foundEvents int64
	// instances and multiPerSecond are the run over several instances.
	instances      int
	multiPerSecond float64
}

func (r result) String() string {
	line := fmt.Sprintf("serve %s: %d requests, %d errors: %.0f req/s; p99 %.1f ms (logins %.1f, queries %.1f), health p99 %.1f ms: p99 ratio %.1f (queries %.1f); event log: %d of %d",
		r.backend, r.requests, r.errors, r.perSecond, ms(r.p99), ms(r.loginP99), ms(r.queryP99), ms(r.healthP99),
		float64(r.p99)/float64(r.healthP99), float64(r.queryP99)/float64(r.healthP99), r.foundEvents, r.wantEvents)
	if r.instances > 1 {
		line += fmt.Sprintf("; %d instances on one database: %.0f req/s, %.2f× one instance", r.instances, r.multiPerSecond, r.multiPerSecond/r.perSecond)
	}
	return line
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func run(ctx context.Context, o options) error {
	if o.requests < 1 || o.clients < 1 || o.queries < 0 {
		return errors.New("--requests and --clients must be at least 1, --queries at least 0")
	}
	type target struct{ backend, dsn string }
	var targets []target
	if o.sqlite != "" {
		for _, p := range []string{o.sqlite, o.sqlite + "-wal", o.sqlite + "-shm"} {
			_ = os.Remove(p)
		}
		targets = append(targets, target{"sqlite", o.sqlite})
	}
	if o.postgres != "" {
		dsn, err := freshSchema(ctx, o.postgres, "dostup_bench_serve")
		if err != nil {
			return fmt.Errorf("PostgreSQL: %w", err)
		}
		targets = append(targets, target{"postgres", dsn})
	}
	failed := false
	for _, t := range targets {
		tctx, cancel := context.WithTimeout(ctx, o.timeout)
		r, err := measure(tctx, o, t.backend, t.dsn)
		cancel()
		if err != nil {
			return fmt.Errorf("%s: %w", t.backend, err)
		}
		fmt.Fprintln(o.out, r)
		if r.errors > 0 || r.foundEvents != r.wantEvents {
			failed = true
		}
	}
	if failed {
		return errors.New("errors or lost event-log records (see above)")
	}
	return nil
}

// freshSchema gives the run an empty schema: the one a search_path in
// the URL names (tests make their own), or schema, dropped and made anew.
func freshSchema(ctx context.Context, dsn, schema string) (string, error) {
	if u, err := url.Parse(dsn); err == nil && u.Query().Get("search_path") != "" {
		return dsn, nil
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
		return "", err
	}
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// measure makes the demo on a backend, serves it on loopback, and sends
// the load and then the baseline.
func measure(ctx context.Context, o options, backend, dsn string) (result, error) {
	r := result{backend: backend}
	db, err := infobase.Open(ctx, dsn)
	if err != nil {
		return r, err
	}
	if err := demo.Create(ctx, db); err != nil {
		db.Close()
		return r, err
	}
	db.Close()
	ib, err := infobase.OpenInfobase(ctx, dsn)
	if err != nil {
		return r, err
	}
	defer ib.Close()
	// The password checks' gate sized for the load, as an operator sizes
	// it: the default slots (a CPU left to the rest of the API) and every
	// client's login able to wait for one. The default queue (twice the
	// slots) refuses a burst of sixteen at once with 503 busy, which is the
	// gate working, not the API's cost.
	gate := authn.NewHashGate(authn.HashSlots(), o.clients, 10*time.Second)
	auth, err := authn.New(ctx, ib, authn.Config{Hash: o.hash, Hashing: gate})
	if err != nil {
		return r, err
	}
	if _, err := demo.Secure(ctx, auth); err != nil {
		return r, err
	}
	// A user of its own for each client, as a load of many people is: the
	// lockout refuses more concurrent attempts on one account than its
	// limit of failures, so sixteen clients sharing three accounts would
	// measure that refusal instead of the API.
	// Each is a manager of one of the demo's organisations, an item of
	// Справочник.Пользователи as ivanov is, so its session parameters (and
	// so its restrictions) are his kind.
	admin, err := ib.NewSession(ctx, "admin", infobase.SessionOptions{Privileged: true})
	if err != nil {
		return r, err
	}
	users, passwords := make([]string, o.clients), map[string]string{}
	for c := range users {
		users[c] = fmt.Sprintf("load%02d", c+1)
		passwords[users[c]] = fmt.Sprintf("Load-%02d-2026!", c+1)
		org := demo.ID("Справочник.Организации", []string{"ООО Ромашка", "ООО Лютик"}[c%2])
		if _, err := admin.Create(ctx, "Справочник.Пользователи", map[string]any{"Наименование": users[c], "Организация": org}, nil); err != nil {
			return r, err
		}
		if err := auth.AddUser(ctx, &infobase.User{Name: users[c], Roles: []string{"Менеджер"}, ShowInList: true, PasswordAuth: true}, passwords[users[c]], authn.Actor{User: "bench", Source: "bench"}); err != nil {
			return r, err
		}
	}
	bases, closeAll, err := serveInstances(ctx, o, auth, dsn, 1)
	if err != nil {
		return r, err
	}
	defer closeAll()
	evlog, err := ib.EventLog(ctx)
	if err != nil {
		return r, err
	}
	r, err = load(ctx, o, backend, bases, users, passwords, evlog)
	if err != nil || o.instances < 2 {
		return r, err
	}
	// The same load spread over several instances on the one database, as
	// behind a load balancer: what scaling out gives on this machine.
	more, closeMore, err := serveInstances(ctx, o, nil, dsn, o.instances-1)
	if err != nil {
		return r, err
	}
	defer closeMore()
	multi, err := load(ctx, o, backend, append(bases, more...), users, passwords, evlog)
	if err != nil {
		return r, err
	}
	r.instances, r.multiPerSecond = o.instances, multi.perSecond
	r.errors += multi.errors
	if multi.foundEvents != multi.wantEvents {
		r.wantEvents, r.foundEvents = r.wantEvents+multi.wantEvents, r.foundEvents+multi.foundEvents
	}
	return r, nil
}

// serveInstances serves n instances of the API on loopback and returns
// their addresses: over auth when given (the first), else each over an
// infobase and an authentication service of its own on dsn, as another
// process would be, with a password gate of its own.
func serveInstances(ctx context.Context, o options, auth *authn.Service, dsn string, n int) (bases []string, closeAll func(), err error) {
	var closers []func()
	closeAll = func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	for range n {
		a := auth
		if a == nil {
			own, err := infobase.OpenInfobase(ctx, dsn)
			if err != nil {
				closeAll()
				return nil, nil, err
			}
			closers = append(closers, func() { own.Close() })
			gate := authn.NewHashGate(authn.HashSlots(), o.clients, 10*time.Second)
			if a, err = authn.New(ctx, own, authn.Config{Hash: o.hash, Hashing: gate}); err != nil {
				closeAll()
				return nil, nil, err
			}
		}
		srv, err := server.New(server.Config{Auth: a})
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = hs.Serve(ln) }()
		closers = append(closers, func() { hs.Close() })
		bases = append(bases, "http://"+ln.Addr().String())
	}
	return bases, closeAll, nil
}

// load sends the load over the instances at bases (client c to instance c
// mod their number), then the baseline to the first, and counts the
// session events the load left in the log.
func load(ctx context.Context, o options, backend string, bases, users []string, passwords map[string]string, evlog *eventlog.Log) (result, error) {
	r := result{backend: backend}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.clients}, Timeout: time.Minute}
	before, err := evlog.Count(ctx, eventlog.Filter{Kind: "_$Session$_."})
	if err != nil {
		return r, err
	}

	// The load: clients take visits (login, queries, logout) until the
	// request budget is spent.
	visit := o.queries + 2
	visits := (o.requests + visit - 1) / visit
	var next, errs, logins atomic.Int64
	lat := make([][]time.Duration, o.clients)
	loginLat := make([][]time.Duration, o.clients)
	queryLat := make([][]time.Duration, o.clients)
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < o.clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			base := bases[c%len(bases)]
			for {
				v := next.Add(1) - 1
				if v >= int64(visits) || ctx.Err() != nil {
					return
				}
				user := users[c]
				t0 := time.Now()
				code, body := call(ctx, client, "POST", base+"/api/v1/auth/login", "", map[string]string{"user": user, "password": passwords[user]})
				lat[c] = append(lat[c], time.Since(t0))
				loginLat[c] = append(loginLat[c], time.Since(t0))
				token, _ := body["token"].(string)
				if code != 200 || token == "" {
					errs.Add(1)
					continue
				}
				logins.Add(1)
				for q := 0; q < o.queries; q++ {
					t0 = time.Now()
					code, _ = call(ctx, client, "POST", base+"/api/v1/query", token, map[string]any{
						"text":   "ВЫБРАТЬ РАЗРЕШЕННЫЕ Номер, Контрагент.Наименование, СуммаДокумента ИЗ Документ.РеализацияТоваров ГДЕ СуммаДокумента > &Сумма",
						"params": map[string]any{"Сумма": q * 1000},
					})
					lat[c] = append(lat[c], time.Since(t0))
					queryLat[c] = append(queryLat[c], time.Since(t0))
					if code != 200 {
						errs.Add(1)
					}
				}
				t0 = time.Now()
				code, _ = call(ctx, client, "POST", base+"/api/v1/auth/logout", token, nil)
				lat[c] = append(lat[c], time.Since(t0))
				if code != 204 {
					errs.Add(1)
				}
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := ctx.Err(); err != nil {
		return r, fmt.Errorf("the load did not finish in time: %w", err)
	}
	all := flat(lat)
	r.requests, r.errors = len(all), int(errs.Load())
	r.perSecond = float64(len(all)) / elapsed.Seconds()
	r.p99 = percentile(all, 0.99)
	r.loginP99, r.queryP99 = percentile(flat(loginLat), 0.99), percentile(flat(queryLat), 0.99)

	// The baseline: as many health requests at the same concurrency.
	var hnext atomic.Int64
	hlat := make([][]time.Duration, o.clients)
	for c := 0; c < o.clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for hnext.Add(1) <= int64(len(all)) && ctx.Err() == nil {
				t0 := time.Now()
				code, _ := call(ctx, client, "GET", bases[0]+"/api/v1/health", "", nil)
				hlat[c] = append(hlat[c], time.Since(t0))
				if code != 200 {
					errs.Add(1)
				}
			}
		}(c)
	}
	wg.Wait()
	r.healthP99 = percentile(flat(hlat), 0.99)
	r.errors = int(errs.Load())

	// Every login wrote Authentication and Start, every logout Finish.
	after, err := evlog.Count(ctx, eventlog.Filter{Kind: "_$Session$_."})
	if err != nil {
		return r, err
	}
	r.wantEvents, r.foundEvents = 3*logins.Load(), after-before
	return r, nil
}

func call(ctx context.Context, c *http.Client, method, u, token string, body any) (int, map[string]any) {
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	var m map[string]any
	data, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(data, &m)
	return resp.StatusCode, m
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s))*p+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(s) {
		i = len(s) - 1
	}
	return s[i]
}

func flat(per [][]time.Duration) []time.Duration {
	var out []time.Duration
	for _, l := range per {
		out = append(out, l...)
	}
	return out
}

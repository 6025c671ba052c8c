package server

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"dostup/authn"
	"dostup/infobase"
	"dostup/rules/store"
)

// Config sets up a Server.
type Config struct {
	// Auth authenticates requests and keeps sessions; its infobase is the
	// one the API serves.
	Auth *authn.Service
	// Logger receives one structured record per request; nil discards.
	Logger *slog.Logger
	// MaxBody bounds a request body (default 1 MiB): a bigger one is
	// answered 413 without being read.
	MaxBody int64
	// RequestTimeout bounds the work of one request (default 30 s).
	RequestTimeout time.Duration
	// Rules, when set, is the rules register the /api/v1/rules endpoints
	// decide with and apply orders to.
	Rules *store.Store
}

// Server is the HTTP JSON API over one infobase.
type Server struct {
	auth   *authn.Service
	ib     *infobase.Infobase
	log    *slog.Logger
	cfg    Config
	routes []route
	mux    *http.ServeMux

	mu       sync.Mutex
	sessions map[string]*infobase.Session // by authenticated session and its roles
}

// route is one endpoint: the OpenAPI document must list exactly these.
type route struct {
	method, path string
	handler      func(w http.ResponseWriter, r *http.Request) error
}

// New makes a server.
func New(cfg Config) (*Server, error) {
	if cfg.Auth == nil {
		return nil, errors.New("server: Config.Auth is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	s := &Server{auth: cfg.Auth, ib: cfg.Auth.Infobase(), log: cfg.Logger, cfg: cfg, sessions: map[string]*infobase.Session{}}
	s.routes = s.routeTable()
	s.mux = http.NewServeMux()
	probe := http.NewServeMux()
	for _, rt := range s.routes {
		s.mux.Handle(rt.method+" "+rt.path, s.wrap(rt.handler))
		probe.Handle(rt.method+" "+rt.path, http.NotFoundHandler())
	}
	// Anything else is a JSON 404, or a 405 naming the methods the path
	// has, not net/http's text pages.
	s.mux.Handle("/", s.wrap(func(w http.ResponseWriter, r *http.Request) error {
		var allow []string
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			other := r.Clone(r.Context())
			other.Method = m
			if _, pattern := probe.Handler(other); pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			return apiErr(http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed on "+r.URL.Path+"; use "+strings.Join(allow, " or "))
		}
		return apiErr(http.StatusNotFound, "not_found", "no such endpoint: "+r.Method+" "+r.URL.Path)
	}))
	return s, nil
}

// Handler is the server's HTTP handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.mux }

// Routes lists "METHOD /path" of every endpoint, as the OpenAPI document
// must describe them.
func (s *Server) Routes() []string {
	out := make([]string, len(s.routes))
	for i, rt := range s.routes {
		out[i] = rt.method + " " + rt.path
	}
	return out
}

// Serve listens on addr and serves until ctx ends, then shuts down
// gracefully: requests under way finish (for up to 10 s), new ones are
// refused. ready, when not nil, gets the address listened on.
func (s *Server) Serve(ctx context.Context, addr string, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      s.cfg.RequestTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr())
	}
	s.log.Info("serving", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = hs.Shutdown(shut)
	s.log.Info("stopped")
	return err
}

// apiError is an error answered with a status and a JSON body.
type apiError struct {
	status int
	body   map[string]any
}

func (e *apiError) Error() string { return fmt.Sprint(e.body["message"]) }

func apiErr(status int, code, message string) *apiError {
	return &apiError{status: status, body: map[string]any{"error": code, "message": message}}
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// requestIDKey is the context key of a request's id.
type requestIDKey struct{}

// requestID is the id of the request a context belongs to, or "".
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// newRequestID gives a request its id: the client's X-Request-Id when it
// is a sane one (1 to 64 ASCII letters, digits and . _ : -), so that the id
// of a proxy in front follows the request into this log; otherwise 16
// random bytes in hex. Either way it is answered in X-Request-Id.
func newRequestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); saneRequestID(id) {
		return id
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

// wrap gives every handler the same frame: a request id, a body limit, a
// timeout, a recovered panic answered 500 without details, errors turned
// into JSON, and one log record per request carrying the id.
func (s *Server) wrap(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw}
		id := newRequestID(r)
		w.Header().Set("X-Request-Id", id)
		ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), requestIDKey{}, id), s.cfg.RequestTimeout)
		defer cancel()
		r = r.WithContext(ctx)
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					s.log.Error("panic", "request_id", id, "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
					err = apiErr(http.StatusInternalServerError, "internal", "internal error")
				}
			}()
			err = h(w, r)
		}()
		if err != nil {
			s.writeError(w, r, err)
		}
		s.log.Info("request", "request_id", id, "method", r.Method, "path", r.URL.Path, "status", w.status,
			"ms", float64(time.Since(start).Microseconds())/1000, "source", clientAddr(r))
	})
}

// writeJSON answers with a status and a JSON value.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// readJSON decodes a request body into v: one JSON value, known fields
// only, within the size limit.
func readJSON(r *http.Request, v any) error {
	// Any Content-Type is read as JSON (curl -d sends a form type); tokens
	// travel in a header, so a cross-site form gains nothing.
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return apiErr(http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("the body is larger than %d bytes", tooBig.Limit))
		case errors.Is(err, io.EOF):
			return apiErr(http.StatusBadRequest, "bad_json", "the body is empty: send a JSON object")
		}
		return apiErr(http.StatusBadRequest, "bad_json", "the body is not valid JSON for this request: "+err.Error())
	}
	if dec.More() {
		return apiErr(http.StatusBadRequest, "bad_json", "the body holds more than one JSON value")
	}
	return nil
}

// readOptionalJSON is readJSON for a body that may be empty.
func readOptionalJSON(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return readJSON(r, v)
}

// clientAddr is the client's IP address: the connection's peer. A header
// such as X-Forwarded-For is not trusted, as any client can send it.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// bearer is the token of the Authorization header, or "".
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

package server

import (
	_ "embed"
	"net/http"
)

// The route table is every endpoint the server answers; the OpenAPI
// document must list exactly these (TestOpenAPIMatchesRoutes), so a route
// is added here and there together.

//go:embed openapi.json
var openAPI []byte

// routeTable lists the endpoints; those wrapped in asAdmin answer only an
// administrator.
func (s *Server) routeTable() []route {
	return []route{
		{"GET", "/api/openapi.json", s.openAPI},
		{"GET", "/api/v1/health", s.health},
		{"POST", "/api/v1/auth/app", s.appLogin},
		{"POST", "/api/v1/auth/login", s.login},
		{"POST", "/api/v1/auth/otp/send", s.sendCode},
		{"POST", "/api/v1/auth/otp", s.verifyOTP},
		{"POST", "/api/v1/auth/logout", s.logout},
		{"POST", "/api/v1/auth/password", s.changePassword},
		{"GET", "/api/v1/session", s.currentSession},
		{"POST", "/api/v1/query", s.query},
		{"POST", "/api/v1/objects/{type}", s.createObject},
		{"GET", "/api/v1/objects/{type}/{ref}", s.readObject},
		{"PUT", "/api/v1/objects/{type}/{ref}", s.updateObject},
		{"DELETE", "/api/v1/objects/{type}/{ref}", s.deleteObject},
		{"POST", "/api/v1/objects/{type}/{ref}/post", s.postObject},
		{"POST", "/api/v1/objects/{type}/{ref}/unpost", s.unpostObject},
		{"GET", "/api/v1/users", s.asAdmin(listUsers)},
		{"POST", "/api/v1/users", s.asAdmin(addUser)},
		{"GET", "/api/v1/users/{name}", s.asAdmin(showUser)},
		{"PATCH", "/api/v1/users/{name}", s.asAdmin(patchUser)},
		{"DELETE", "/api/v1/users/{name}", s.asAdmin(onUser(deleteUser))},
		{"POST", "/api/v1/users/{name}/password", s.asAdmin(onUser(setPassword))},
		{"POST", "/api/v1/users/{name}/lock", s.asAdmin(onUser(lockUser))},
		{"POST", "/api/v1/users/{name}/unlock", s.asAdmin(onUser(unlockUser))},
		{"GET", "/api/v1/policy", s.asAdmin(getPolicy)},
		{"PUT", "/api/v1/policy", s.asAdmin(putPolicy)},
		{"GET", "/api/v1/sessions", s.asAdmin(listSessions)},
		{"DELETE", "/api/v1/sessions/{id}", s.asAdmin(revokeSession)},
		{"GET", "/api/v1/log", s.asAdmin(eventLog)},
		{"GET", "/api/v1/audit/rights", s.asAdmin(auditRights)},
		{"GET", "/api/v1/audit/users", s.asAdmin(auditUsers)},
		{"GET", "/api/v1/audit/findings", s.asAdmin(auditFindings)},
		{"GET", "/api/v1/explain", s.asAdmin(explainAccess)},
		{"POST", "/api/v1/rules/decide", s.rulesDecide},
		{"GET", "/api/v1/rules/orders", s.asAdmin(s.rulesOrders)},
		{"POST", "/api/v1/rules/orders", s.asAdmin(s.applyOrder)},
	}
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(openAPI)
	return err
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

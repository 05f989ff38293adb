package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"termtem/internal/api"
	"termtem/internal/locale"
	"termtem/internal/server"
	"termtem/internal/store/storetest"
)

// TestOpenAPIMatchesRoutes keeps the OpenAPI document true: every /api/v1
// route is documented with its method, and every documented operation is
// served.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Deps{DB: storetest.Open(t), Cat: cat, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var served []string
	for _, r := range srv.Routes() {
		if strings.HasPrefix(r.Pattern, "/api/v1/") {
			served = append(served, r.Method+" "+r.Pattern)
		}
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Fatalf("OpenAPI document and routes differ:\ndocumented %v\nserved     %v", documented, served)
	}
}

package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

// TestOpenAPIDocumentIsSound checks the generated document against the
// rules of OpenAPI 3.1 that matter to client generators — version, info,
// unique operation ids, declared path parameters, responses on every
// operation, every $ref resolvable — and that every documented operation is
// served by the router (and nothing undocumented is).
func TestOpenAPIDocumentIsSound(t *testing.T) {
	db := testdb.New(t)
	mux := http.NewServeMux()
	api.New(mux, api.Deps{DB: db, Version: "test"})
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Title, Version string }
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name, In string
				Required bool
			}
			Responses map[string]any
		}
		Components struct {
			Schemas map[string]any
		}
	}
	raw := rec.Body.Bytes()
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Fatalf("header: %q %+v", doc.OpenAPI, doc.Info)
	}
	ids := map[string]bool{}
	paramRE := regexp.MustCompile(`\{([^}]+)\}`)
	p := newWorkspace(t, db, "Doc Co", crm.RoleOwner)
	_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
	for path, item := range doc.Paths {
		for method, op := range item {
			if op.OperationID == "" || ids[op.OperationID] {
				t.Errorf("%s %s: missing or duplicate operationId %q", method, path, op.OperationID)
			}
			ids[op.OperationID] = true
			if len(op.Responses) == 0 {
				t.Errorf("%s %s: no responses", method, path)
			}
			for _, m := range paramRE.FindAllStringSubmatch(path, -1) {
				found := false
				for _, prm := range op.Parameters {
					found = found || (prm.In == "path" && prm.Name == m[1] && prm.Required)
				}
				if !found {
					t.Errorf("%s %s: path parameter %s not declared as required", method, path, m[1])
				}
			}
			// The router serves it: with a key, never the "no such endpoint" 404.
			target := "/api/v1" + paramRE.ReplaceAllString(path, "1")
			req := httptest.NewRequest(strings.ToUpper(method), target, strings.NewReader(`{}`))
			req.Header.Set("Authorization", "Bearer "+key)
			req.Header.Set("Content-Type", "application/json")
			rr := httptest.NewRecorder()
			mux.ServeHTTP(rr, req)
			if strings.Contains(rr.Body.String(), "No such API endpoint") {
				t.Errorf("%s %s is documented but not routed", method, target)
			}
		}
	}
	for _, m := range regexp.MustCompile(`"\$ref":"#/components/schemas/([^"]+)"`).FindAllSubmatch(raw, -1) {
		if doc.Components.Schemas[string(m[1])] == nil {
			t.Errorf("$ref to missing schema %s", m[1])
		}
	}
	if len(ids) < 20 {
		t.Fatalf("only %d operations documented", len(ids))
	}
}

// TestOpenAPIDocumentsAddresses checks that the address, time zone and
// links of contacts and companies are in the document, limits included, so
// client generators see them.
func TestOpenAPIDocumentsAddresses(t *testing.T) {
	db := testdb.New(t)
	mux := http.NewServeMux()
	api.New(mux, api.Deps{DB: db, Version: "test"})
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	type schema struct {
		Type       any               `json:"type"`
		Ref        string            `json:"$ref"`
		MaxLength  int               `json:"maxLength"`
		MaxItems   int               `json:"maxItems"`
		Required   []string          `json:"required"`
		Properties map[string]schema `json:"properties"`
		Items      *schema           `json:"items"`
	}
	var doc struct {
		Components struct{ Schemas map[string]schema }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas
	for _, name := range []string{"Contact", "Company"} {
		if got := s[name].Properties["address"].Ref; got != "#/components/schemas/Address" {
			t.Errorf("%s.address = %q", name, got)
		}
		if got := s[name+"Input"].Properties["address"].Ref; got != "#/components/schemas/AddressInput" {
			t.Errorf("%sInput.address = %q", name, got)
		}
	}
	if len(s["Address"].Required) != 5 {
		t.Errorf("Address: every part is always present, required = %v", s["Address"].Required)
	}
	for part, max := range map[string]int{"street": 300, "city": 100, "state": 100, "postal_code": 100, "country": 100} {
		if got := s["AddressInput"].Properties[part].MaxLength; got != max {
			t.Errorf("AddressInput.%s maxLength = %d, want %d", part, got, max)
		}
	}
	if s["Contact"].Properties["time_zone"].Type != "string" || s["ContactInput"].Properties["time_zone"].MaxLength == 0 {
		t.Errorf("time_zone: %+v / %+v", s["Contact"].Properties["time_zone"], s["ContactInput"].Properties["time_zone"])
	}
	if l := s["ContactInput"].Properties["links"]; l.MaxItems != 10 || l.Items == nil || l.Items.Ref != "#/components/schemas/LinkInput" {
		t.Errorf("ContactInput.links = %+v", l)
	}
	if got := s["LinkInput"].Required; len(got) != 1 || got[0] != "url" {
		t.Errorf("LinkInput: only the url is required, got %v", got)
	}
	if l := s["Contact"].Properties["links"]; l.Items == nil || l.Items.Ref != "#/components/schemas/Link" {
		t.Errorf("Contact.links = %+v", l)
	}
}

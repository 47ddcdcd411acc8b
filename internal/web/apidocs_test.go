package web_test

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

// TestAPIDocsListEveryOperation checks the self-hosted reference names every
// operation of the generated OpenAPI document, and loads nothing from
// elsewhere.
func TestAPIDocsListEveryOperation(t *testing.T) {
	srv := web.NewServer(web.Deps{DB: testdb.New(t), Jobs: fakeJobs{}})
	rec := get(t, srv, "/api/docs")
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("/api/docs = %d", rec.Code)
	}
	n := 0
	for _, route := range srv.Routes() {
		method, path, _ := strings.Cut(route, " ")
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		n++
		if !strings.Contains(body, strings.TrimPrefix(path, "/api/v1")+"</code>") || !strings.Contains(body, ">"+method+"<") {
			t.Errorf("reference lacks %s %s", method, path)
		}
	}
	if n < 15 {
		t.Fatalf("only %d API operations enumerated", n)
	}
	if strings.Contains(body, `src="http`) || strings.Contains(body, `href="http`) || strings.Contains(body, "<script>") {
		t.Fatal("reference loads from elsewhere or inlines script")
	}
}

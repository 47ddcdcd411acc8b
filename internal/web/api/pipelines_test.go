package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

// TestPipelinesIfMatchAPI: pipelines, stages and lost reasons answer with
// an ETag and a version, take If-Match on PATCH (412 when stale, optional
// as for contacts), and a pipeline's stages reorder with stage_order.
func TestPipelinesIfMatchAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Versions", crm.RoleAdmin)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		ifMatch := func(v string) map[string]string { return map[string]string{"If-Match": v} }

		_, list := send(t, mux, key, step{name: "list", method: "GET", path: "/api/v1/pipelines", status: 200, has: []string{`"version":1`}})
		sales := list["data"].([]any)[0].(map[string]any)
		pid := sales["id"].(string)
		var stages []string
		for _, s := range sales["stages"].([]any) {
			stages = append(stages, s.(map[string]any)["id"].(string))
		}
		rec, _ := send(t, mux, key, step{name: "get pipeline", method: "GET", path: "/api/v1/pipelines/" + pid, status: 200})
		if rec.Header().Get("ETag") != `"1"` {
			t.Fatalf("pipeline ETag %q", rec.Header().Get("ETag"))
		}
		rec, _ = send(t, mux, key, step{name: "rename", method: "PATCH", path: "/api/v1/pipelines/" + pid, status: 200,
			header: ifMatch(`"1"`), body: `{"name":"New business"}`, has: []string{`"name":"New business"`}})
		if rec.Header().Get("ETag") != `"2"` {
			t.Fatalf("pipeline ETag after rename %q", rec.Header().Get("ETag"))
		}
		send(t, mux, key, step{name: "stale pipeline", method: "PATCH", path: "/api/v1/pipelines/" + pid, status: 412,
			header: ifMatch(`"1"`), body: `{"name":"Stale"}`, has: []string{`"code":"conflict"`}})
		send(t, mux, key, step{name: "bad If-Match", method: "PATCH", path: "/api/v1/pipelines/" + pid, status: 400,
			header: ifMatch(`"one"`), body: `{"name":"Bad"}`})
		// Reorder: the last stage first, with the current version (weak form too).
		order := `["` + stages[4] + `","` + stages[0] + `","` + stages[1] + `","` + stages[2] + `","` + stages[3] + `"]`
		_, re := send(t, mux, key, step{name: "reorder stages", method: "PATCH", path: "/api/v1/pipelines/" + pid, status: 200,
			header: ifMatch(`W/"2"`), body: `{"stage_order":` + order + `}`,
			has: []string{`"stages":[{"id":"` + stages[4] + `"`, `"name":"Closing","probability":90,"rot_days":14,"position":0,"version":2`, `"version":3`}})
		if re["version"].(float64) != 3 {
			t.Fatalf("pipeline version after reorder: %v", re["version"])
		}
		send(t, mux, key, step{name: "order persists", method: "GET", path: "/api/v1/pipelines/" + pid, status: 200,
			has: []string{`"stages":[{"id":"` + stages[4] + `"`}})
		send(t, mux, key, step{name: "without If-Match", method: "PATCH", path: "/api/v1/pipelines/" + pid, status: 200,
			body: `{"name":"Sales"}`, has: []string{`"version":4`}})

		// Stages.
		rec, st := send(t, mux, key, step{name: "get stage", method: "GET", path: "/api/v1/stages/" + stages[0], status: 200})
		v := rec.Header().Get("ETag")
		if v == "" || v != `"`+ftoa(st["version"])+`"` {
			t.Fatalf("stage ETag %q, version %v", v, st["version"])
		}
		send(t, mux, key, step{name: "patch stage", method: "PATCH", path: "/api/v1/stages/" + stages[0], status: 200,
			header: ifMatch(v), body: `{"probability":12}`, has: []string{`"probability":12`}})
		send(t, mux, key, step{name: "stale stage", method: "PATCH", path: "/api/v1/stages/" + stages[0], status: 412,
			header: ifMatch(v), body: `{"probability":13}`})
		send(t, mux, key, step{name: "stage unchanged", method: "GET", path: "/api/v1/stages/" + stages[0], status: 200,
			has: []string{`"probability":12`}})
		send(t, mux, key, step{name: "pipeline counts stage changes", method: "GET", path: "/api/v1/pipelines/" + pid, status: 200,
			has: []string{`"version":5`}})

		// Lost reasons.
		rec, r := send(t, mux, key, step{name: "add reason", method: "POST", path: "/api/v1/lost-reasons", status: 201,
			body: `{"name":"Went dark"}`, has: []string{`"version":1`}})
		if rec.Header().Get("ETag") != `"1"` {
			t.Fatalf("lost reason ETag %q", rec.Header().Get("ETag"))
		}
		rid := r["id"].(string)
		send(t, mux, key, step{name: "rename reason", method: "PATCH", path: "/api/v1/lost-reasons/" + rid, status: 200,
			header: ifMatch(`"1"`), body: `{"name":"Ghosted"}`, has: []string{`"Ghosted"`, `"version":2`}})
		send(t, mux, key, step{name: "stale reason", method: "PATCH", path: "/api/v1/lost-reasons/" + rid, status: 412,
			header: ifMatch(`"1"`), body: `{"name":"Stale"}`})
		send(t, mux, key, step{name: "reasons", method: "GET", path: "/api/v1/lost-reasons", status: 200,
			has: []string{`"Ghosted"`}, hasNot: []string{"Stale"}})
	})
}

func ftoa(v any) string {
	f, _ := v.(float64)
	return fmt.Sprint(int64(f))
}

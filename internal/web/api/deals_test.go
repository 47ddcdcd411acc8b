package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

func TestPipelinesAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Pipes", crm.RoleAdmin)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		m := newWorkspace(t, db, "Pipes Member", crm.RoleMember)
		_, memberKey := newKey(t, db, m, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Pipes Other", crm.RoleAdmin)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})

		_, list := send(t, mux, key, step{name: "list", method: "GET", path: "/api/v1/pipelines", status: 200,
			has: []string{`"name":"Sales"`, `"name":"Proposal","probability":50`, `"position":4`}})
		sales := list["data"].([]any)[0].(map[string]any)
		salesID := sales["id"].(string)
		stages := sales["stages"].([]any)
		lead := stages[0].(map[string]any)["id"].(string)
		qual := stages[1].(map[string]any)["id"].(string)
		send(t, mux, key, step{name: "get", method: "GET", path: "/api/v1/pipelines/" + salesID, status: 200, has: []string{"Closing"}})
		send(t, mux, otherKey, step{name: "other workspace", method: "GET", path: "/api/v1/pipelines/" + salesID, status: 404})
		send(t, mux, key, step{name: "bad id", method: "GET", path: "/api/v1/pipelines/abc", status: 404})
		send(t, mux, key, step{name: "no stages", method: "POST", path: "/api/v1/pipelines", status: 422,
			body: `{"name":"Empty","stages":[]}`, has: []string{"stages"}})
		send(t, mux, key, step{name: "bad probability", method: "POST", path: "/api/v1/pipelines", status: 422,
			body: `{"name":"X","stages":[{"name":"A","probability":120}]}`, has: []string{"probability"}})
		send(t, mux, memberKey, step{name: "member creates", method: "POST", path: "/api/v1/pipelines", status: 403,
			body: `{"name":"Mine","stages":[{"name":"A"}]}`})
		_, ren := send(t, mux, key, step{name: "create", method: "POST", path: "/api/v1/pipelines", status: 201,
			body: `{"name":"Renewals","stages":[{"name":"Due","probability":40,"rot_days":7},{"name":"Signed","probability":95}]}`,
			has:  []string{`"name":"Renewals"`, `"position":1`, `"rot_days":7`}})
		renID := ren["id"].(string)
		due := ren["stages"].([]any)[0].(map[string]any)["id"].(string)
		send(t, mux, key, step{name: "rename + move first", method: "PATCH", path: "/api/v1/pipelines/" + renID, status: 200,
			body: `{"name":"Renewals 2027","position":0}`, has: []string{`"name":"Renewals 2027"`, `"position":0`}})
		send(t, mux, key, step{name: "default is now first", method: "GET", path: "/api/v1/pipelines", status: 200,
			has: []string{`"data":[{"id":"` + renID}})
		send(t, mux, key, step{name: "bad stage order", method: "PATCH", path: "/api/v1/pipelines/" + salesID, status: 422,
			body: `{"stage_order":["` + lead + `"]}`, has: []string{"stage_order"}})
		_, st := send(t, mux, key, step{name: "add stage", method: "POST", path: "/api/v1/pipelines/" + salesID + "/stages", status: 201,
			body: `{"name":"Demo","probability":35,"position":2}`, has: []string{`"name":"Demo"`, `"position":2`}})
		demo := st["id"].(string)
		send(t, mux, key, step{name: "patch stage", method: "PATCH", path: "/api/v1/stages/" + demo, status: 200,
			body: `{"probability":40,"rot_days":10}`, has: []string{`"probability":40`, `"rot_days":10`}})
		send(t, mux, key, step{name: "get stage", method: "GET", path: "/api/v1/stages/" + demo, status: 200, has: []string{`"Demo"`}})
		send(t, mux, otherKey, step{name: "other stage", method: "PATCH", path: "/api/v1/stages/" + demo, status: 404, body: `{"name":"Hack"}`})

		// A stage holding deals asks where they go.
		_, d := send(t, mux, key, step{name: "deal in demo", method: "POST", path: "/api/v1/deals", status: 201,
			body: `{"title":"In demo","stage_id":"` + demo + `"}`})
		send(t, mux, key, step{name: "delete stage without move_to", method: "DELETE", path: "/api/v1/stages/" + demo, status: 422,
			has: []string{"move_to"}})
		send(t, mux, key, step{name: "delete stage", method: "DELETE", path: "/api/v1/stages/" + demo + "?move_to=" + qual, status: 204})
		send(t, mux, key, step{name: "deal moved", method: "GET", path: "/api/v1/deals/" + d["id"].(string), status: 200,
			has: []string{`"stage":"Qualified"`}})
		send(t, mux, key, step{name: "delete pipeline", method: "DELETE", path: "/api/v1/pipelines/" + renID, status: 204})
		send(t, mux, key, step{name: "its stage is gone", method: "GET", path: "/api/v1/stages/" + due, status: 404})
		send(t, mux, key, step{name: "last pipeline stays", method: "DELETE", path: "/api/v1/pipelines/" + salesID, status: 409})

		// Lost reasons.
		send(t, mux, key, step{name: "reasons", method: "GET", path: "/api/v1/lost-reasons", status: 200, has: []string{`"Price"`, `"No budget"`}})
		_, r := send(t, mux, key, step{name: "add reason", method: "POST", path: "/api/v1/lost-reasons", status: 201,
			body: `{"name":"Went dark"}`, has: []string{`"position":6`}})
		send(t, mux, key, step{name: "duplicate reason", method: "POST", path: "/api/v1/lost-reasons", status: 422,
			body: `{"name":"Went dark"}`, has: []string{"already"}})
		send(t, mux, key, step{name: "rename reason", method: "PATCH", path: "/api/v1/lost-reasons/" + r["id"].(string), status: 200,
			body: `{"name":"Ghosted","position":0}`, has: []string{`"Ghosted"`, `"position":0`}})
		send(t, mux, memberKey, step{name: "non-admin deletes reason", method: "DELETE", path: "/api/v1/lost-reasons/" + r["id"].(string), status: 403})
		send(t, mux, key, step{name: "delete reason", method: "DELETE", path: "/api/v1/lost-reasons/" + r["id"].(string), status: 204})
	})
}

func TestDealsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Dealers", crm.RoleMember)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Dealers Other", crm.RoleAdmin)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})
		_, pl := send(t, mux, key, step{name: "pipelines", method: "GET", path: "/api/v1/pipelines", status: 200})
		stages := pl["data"].([]any)[0].(map[string]any)["stages"].([]any)
		stageID := func(i int) string { return stages[i].(map[string]any)["id"].(string) }
		_, co := send(t, mux, key, step{name: "company", method: "POST", path: "/api/v1/companies", status: 201, body: `{"name":"Initech"}`})
		_, c1 := send(t, mux, key, step{name: "contact 1", method: "POST", path: "/api/v1/contacts", status: 201, body: `{"first_name":"Ada"}`})
		_, c2 := send(t, mux, key, step{name: "contact 2", method: "POST", path: "/api/v1/contacts", status: 201, body: `{"first_name":"Bob"}`})
		coID, c1ID, c2ID := co["id"].(string), c1["id"].(string), c2["id"].(string)

		_, d := send(t, mux, key, step{name: "create with decimal value", method: "POST", path: "/api/v1/deals", status: 201,
			body: `{"title":"Big","value":"1250.50","currency":"EUR","stage_id":"` + stageID(2) + `","contact_ids":["` + c1ID + `","` + c2ID + `"],` +
				`"company_id":"` + coID + `","expected_close":"2026-12-31","priority":"high","tags":["q4"]}`,
			has: []string{`"value":"1250.50"`, `"value_minor":125050`, `"stage":"Proposal"`, `"probability":50`,
				`"weighted_value_minor":62525`, `"contact_ids":["` + c1ID + `","` + c2ID + `"]`, `"contact_id":"` + c1ID, `"status":"open"`, `"closed_at":null`}})
		id := d["id"].(string)
		send(t, mux, key, step{name: "create with minor units", method: "POST", path: "/api/v1/deals", status: 201,
			body: `{"title":"Small","value_minor":9900}`, has: []string{`"value":"99.00"`, `"currency":"USD"`, `"stage":"Lead in"`}})
		send(t, mux, key, step{name: "both values", method: "POST", path: "/api/v1/deals", status: 422,
			body: `{"title":"X","value":"1","value_minor":100}`, has: []string{`"value"`}})
		send(t, mux, key, step{name: "too many decimals", method: "POST", path: "/api/v1/deals", status: 422,
			body: `{"title":"X","value":"10.5","currency":"JPY"}`, has: []string{`"value"`, "JPY"}})
		send(t, mux, key, step{name: "invalid fields", method: "POST", path: "/api/v1/deals", status: 422,
			body: `{"title":"","currency":"euro","expected_close":"soon","contact_ids":["1"],"stage_id":"2"}`,
			has:  []string{`"title"`, `"currency"`, `"expected_close"`, `"contact_id"`, `"stage_id"`, `"code":"invalid"`}})
		send(t, mux, key, step{name: "unknown field", method: "POST", path: "/api/v1/deals", status: 422, body: `{"title":"X","amount":5}`, has: []string{"amount"}})
		send(t, mux, key, step{name: "negative minor", method: "POST", path: "/api/v1/deals", status: 422, body: `{"title":"X","value_minor":-5}`})

		rec, _ := send(t, mux, key, step{name: "get", method: "GET", path: "/api/v1/deals/" + id, status: 200, has: []string{`"title":"Big"`}})
		if rec.Header().Get("ETag") != `"1"` {
			t.Fatalf("ETag %q", rec.Header().Get("ETag"))
		}
		send(t, mux, key, step{name: "fields", method: "GET", path: "/api/v1/deals/" + id + "?fields=value", status: 200,
			has: []string{`"id"`, `"value"`}, hasNot: []string{"Big"}})
		send(t, mux, otherKey, step{name: "another workspace's deal", method: "GET", path: "/api/v1/deals/" + id, status: 404})
		send(t, mux, otherKey, step{name: "another workspace moves", method: "POST", path: "/api/v1/deals/" + id + "/move", status: 404,
			body: `{"stage_id":"` + stageID(3) + `"}`})
		send(t, mux, otherKey, step{name: "another workspace wins", method: "POST", path: "/api/v1/deals/" + id + "/won", status: 404})
		send(t, mux, otherKey, step{name: "another workspace deletes", method: "DELETE", path: "/api/v1/deals/" + id, status: 404})
		send(t, mux, key, step{name: "patch", method: "PATCH", path: "/api/v1/deals/" + id, status: 200, header: map[string]string{"If-Match": `"1"`},
			body: `{"value":"2000","contacts":[{"contact_id":"` + c2ID + `","role":"Champion"}]}`,
			has:  []string{`"value_minor":200000`, `"role":"Champion"`, `"version":2`}})
		send(t, mux, key, step{name: "clear priority", method: "PATCH", path: "/api/v1/deals/" + id, status: 200,
			body: `{"priority":""}`, has: []string{`"priority":""`, `"version":3`}})
		send(t, mux, key, step{name: "bad priority", method: "PATCH", path: "/api/v1/deals/" + id, status: 422,
			body: `{"priority":"urgent"}`, has: []string{"priority"}})
		send(t, mux, key, step{name: "stale If-Match", method: "PATCH", path: "/api/v1/deals/" + id, status: 412,
			header: map[string]string{"If-Match": `"1"`}, body: `{"title":"Nope"}`})
		for _, s := range []step{
			{name: "stale move", path: "/move", body: `{"stage_id":"` + stageID(3) + `"}`},
			{name: "stale won", path: "/won"},
			{name: "stale lost", path: "/lost", body: `{"reason":"Price"}`},
		} {
			s.method, s.path, s.status, s.header = "POST", "/api/v1/deals/"+id+s.path, 412, map[string]string{"If-Match": `"1"`}
			s.has = []string{`"code":"conflict"`}
			send(t, mux, key, s)
		}
		send(t, mux, key, step{name: "unchanged by stale requests", method: "GET", path: "/api/v1/deals/" + id, status: 200,
			has: []string{`"stage":"Proposal"`, `"status":"open"`, `"version":3`}})
		send(t, mux, key, step{name: "move", method: "POST", path: "/api/v1/deals/" + id + "/move", status: 200,
			body: `{"stage_id":"` + stageID(3) + `"}`, has: []string{`"stage":"Negotiation"`, `"weighted_value_minor":150000`}})
		send(t, mux, key, step{name: "undo without If-Match", method: "POST", path: "/api/v1/deals/" + id + "/undo", status: 428})
		send(t, mux, key, step{name: "undo a move from a stale version", method: "POST", path: "/api/v1/deals/" + id + "/undo", status: 412,
			header: map[string]string{"If-Match": `"3"`}})
		send(t, mux, key, step{name: "undo the move", method: "POST", path: "/api/v1/deals/" + id + "/undo", status: 200,
			header: map[string]string{"If-Match": `"4"`}, has: []string{`"stage":"Proposal"`, `"version":5`}})
		send(t, mux, key, step{name: "nothing more to undo", method: "POST", path: "/api/v1/deals/" + id + "/undo", status: 412,
			header: map[string]string{"If-Match": `"5"`}, has: []string{"no move or decision"}})
		send(t, mux, key, step{name: "history without the undone stay", method: "GET", path: "/api/v1/deals/" + id + "/history", status: 200,
			has: []string{`"stage":"Proposal","entered_at"`}, hasNot: []string{`"stage":"Negotiation"`}})
		send(t, mux, key, step{name: "move again", method: "POST", path: "/api/v1/deals/" + id + "/move", status: 200,
			body: `{"stage_id":"` + stageID(3) + `"}`, has: []string{`"stage":"Negotiation"`}})
		send(t, mux, key, step{name: "move to nowhere", method: "POST", path: "/api/v1/deals/" + id + "/move", status: 422,
			body: `{"stage_id":"123"}`, has: []string{"stage_id"}})
		send(t, mux, key, step{name: "history", method: "GET", path: "/api/v1/deals/" + id + "/history", status: 200,
			has: []string{`"stage":"Proposal"`, `"stage":"Negotiation"`, `"left_at":null`}})
		send(t, mux, key, step{name: "filter", method: "GET", status: 200,
			path: "/api/v1/deals?filter=" + q(`stage = "Negotiation" and value >= 1500 and owner = me()`),
			has:  []string{`"Big"`, `"total_estimate":1`}, hasNot: []string{"Small"}})
		send(t, mux, key, step{name: "bad filter", method: "GET", path: "/api/v1/deals?filter=" + q(`stag = "x"`), status: 422, has: []string{"filter"}})
		send(t, mux, key, step{name: "bad sort", method: "GET", path: "/api/v1/deals?sort=colour", status: 422, has: []string{"sort"}})
		_, pg := send(t, mux, key, step{name: "page 1", method: "GET", path: "/api/v1/deals?sort=title&limit=1", status: 200, has: []string{`"Big"`}})
		send(t, mux, key, step{name: "page 2", method: "GET", path: "/api/v1/deals?sort=title&limit=1&cursor=" + pg["next_cursor"].(string),
			status: 200, has: []string{`"Small"`}, hasNot: []string{`"Big"`}})
		send(t, mux, key, step{name: "lost without reason from the list", method: "POST", path: "/api/v1/deals/" + id + "/lost", status: 422,
			body: `{"reason":"Astrology"}`, has: []string{"reason", "Price"}})
		send(t, mux, key, step{name: "lost", method: "POST", path: "/api/v1/deals/" + id + "/lost", status: 200,
			body: `{"reason":"price"}`, has: []string{`"status":"lost"`, `"lost_reason":"Price"`, `"weighted_value_minor":0`}, hasNot: []string{`"closed_at":null`}})
		send(t, mux, key, step{name: "reopen", method: "POST", path: "/api/v1/deals/" + id + "/reopen", status: 200,
			has: []string{`"status":"open"`, `"closed_at":null`}})
		send(t, mux, key, step{name: "won", method: "POST", path: "/api/v1/deals/" + id + "/won", status: 200,
			has: []string{`"status":"won"`, `"probability":100`}})
		// Bulk: all or nothing.
		send(t, mux, key, step{name: "bulk invalid", method: "POST", path: "/api/v1/deals/bulk", status: 422,
			body: `{"items":[{"title":"B1"},{"title":""}]}`, has: []string{"items.1.title"}})
		send(t, mux, key, step{name: "bulk", method: "POST", path: "/api/v1/deals/bulk", status: 201,
			body: `{"items":[{"title":"B1","value":"5"},{"title":"B2"}]}`, has: []string{`"B1"`, `"B2"`}})
		send(t, mux, key, step{name: "bulk update", method: "PATCH", path: "/api/v1/deals/bulk", status: 200,
			body: `{"items":[{"id":"` + id + `","priority":"low"}]}`, has: []string{`"priority":"low"`}})
		send(t, mux, key, step{name: "no leak of invalid bulk", method: "GET", path: "/api/v1/deals?filter=" + q(`title = "B1"`), status: 200,
			has: []string{`"total_estimate":1`}})
		send(t, mux, key, step{name: "delete", method: "DELETE", path: "/api/v1/deals/" + id, status: 204})
		send(t, mux, key, step{name: "gone", method: "GET", path: "/api/v1/deals/" + id, status: 404})

		// Every change wrote its event, in order.
		did, _ := crm.ParseID(id)
		var evs []crm.Event
		db.Read(context.Background(), func(tx *store.Tx) (err error) { evs, err = tx.Events(p.WorkspaceID, "deal", did, 50); return err })
		var actions []string
		for i := len(evs) - 1; i >= 0; i-- {
			a := string(evs[i].Action)
			for _, k := range []string{"stage_id", "status", "value", "priority"} {
				if _, ok := evs[i].Changes[k]; ok {
					a += ":" + k
				}
			}
			actions = append(actions, a)
		}
		// (moved, undone, moved again)
		want := "[created:stage_id:status:value:priority updated:value updated:priority updated:stage_id updated:stage_id updated:stage_id updated:status updated:status updated:status updated:priority deleted]"
		if got := fmt.Sprint(actions); got != want {
			t.Fatalf("events\n got %s\nwant %s", got, want)
		}
	})
}

func q(s string) string { return url.QueryEscape(s) }

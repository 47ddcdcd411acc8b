package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

func TestActivitiesAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Acme", crm.RoleAdmin)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Other", crm.RoleAdmin)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})
		var ada records.Contact
		if err := db.Write(context.Background(), func(tx *store.Tx) (err error) {
			ada, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Ada", Email: "ada@example.com"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		soon := time.Now().UTC().Add(2 * time.Hour).Format(time.RFC3339)
		past := time.Now().UTC().Add(-48 * time.Hour).Format(time.RFC3339)

		_, created := send(t, mux, key, step{name: "create", method: "POST", path: "/api/v1/activities", status: 201,
			body: `{"type":"meeting","title":"Demo","due_at":"` + soon + `","duration_min":45,"contact_id":"` + ada.ID.String() + `","remind_before_min":15}`,
			has:  []string{`"title":"Demo"`, `"contact_id":"` + ada.ID.String() + `"`, `"remind_before_min":15`, `"done":false`, `"version":1`, `"role":"required"`}})
		id := created["id"].(string)
		for _, bad := range []step{
			{name: "no title, no due", body: `{"type":"task"}`, has: []string{`"title"`, `"due_at"`, `"code":"invalid"`}},
			{name: "unknown type", body: `{"type":"party","title":"x","due_at":"` + soon + `"}`, has: []string{`type`}},
			{name: "bad time", body: `{"title":"x","due_at":"tomorrow"}`, has: []string{`due_at`}},
			{name: "negative duration", body: `{"title":"x","due_at":"` + soon + `","duration_min":-1}`, has: []string{`duration_min`}},
			{name: "unknown contact", body: `{"title":"x","due_at":"` + soon + `","contact_id":"42"}`, has: []string{`"contact_id"`}},
			{name: "unknown field", body: `{"title":"x","due_at":"` + soon + `","colour":"red"}`, has: []string{`colour`}},
		} {
			bad.method, bad.path, bad.status = "POST", "/api/v1/activities", 422
			rec, _ := send(t, mux, key, bad)
			if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
				t.Fatalf("%s: content type %q", bad.name, rec.Header().Get("Content-Type"))
			}
		}
		rec, _ := send(t, mux, key, step{name: "get", method: "GET", path: "/api/v1/activities/" + id, status: 200, has: []string{`"Demo"`}})
		if rec.Header().Get("ETag") != `"1"` {
			t.Fatalf("ETag %q", rec.Header().Get("ETag"))
		}
		send(t, mux, key, step{name: "fields", method: "GET", path: "/api/v1/activities/" + id + "?fields=title", status: 200,
			has: []string{`"id"`, `"title"`}, hasNot: []string{"due_at", "contacts"}})
		send(t, mux, otherKey, step{name: "other workspace get", method: "GET", path: "/api/v1/activities/" + id, status: 404, has: []string{`"code":"not_found"`}})
		send(t, mux, otherKey, step{name: "other workspace done", method: "POST", path: "/api/v1/activities/" + id + "/done", status: 404})
		send(t, mux, otherKey, step{name: "other workspace patch", method: "PATCH", path: "/api/v1/activities/" + id, body: `{"title":"mine"}`, status: 404})
		send(t, mux, otherKey, step{name: "other workspace delete", method: "DELETE", path: "/api/v1/activities/" + id, status: 404})
		send(t, mux, key, step{name: "garbage id", method: "GET", path: "/api/v1/activities/abc", status: 404})
		send(t, mux, key, step{name: "patch", method: "PATCH", path: "/api/v1/activities/" + id, status: 200,
			header: map[string]string{"If-Match": `"1"`}, body: `{"title":"Demo v2","location":"Room 1"}`,
			has: []string{`"title":"Demo v2"`, `"location":"Room 1"`, `"version":2`}})
		send(t, mux, key, step{name: "stale If-Match", method: "PATCH", path: "/api/v1/activities/" + id, status: 412,
			header: map[string]string{"If-Match": `"1"`}, body: `{"title":"Lost"}`, has: []string{"changed by someone else"}})
		send(t, mux, key, step{name: "done", method: "POST", path: "/api/v1/activities/" + id + "/done", status: 200,
			body: `{"outcome":"Signed"}`, has: []string{`"done":true`, `"outcome":"Signed"`, `"version":3`}})
		send(t, mux, key, step{name: "done without body", method: "POST", path: "/api/v1/activities/" + id + "/done", status: 200,
			has: []string{`"done":true`, `"version":3`}})
		send(t, mux, key, step{name: "undone", method: "POST", path: "/api/v1/activities/" + id + "/undone", status: 200,
			has: []string{`"done":false`, `"done_at":null`, `"outcome":"Signed"`}})

		// Lists: filter, sort, cursor.
		send(t, mux, key, step{name: "bulk", method: "POST", path: "/api/v1/activities/bulk", status: 201,
			body: `{"items":[{"title":"Old task","due_at":"` + past + `"},{"title":"Call","type":"call","due_at":"` + soon + `"}]}`,
			has:  []string{`"Old task"`, `"Call"`}})
		send(t, mux, key, step{name: "bulk invalid", method: "POST", path: "/api/v1/activities/bulk", status: 422,
			body: `{"items":[{"title":"ok","due_at":"` + soon + `"},{"title":""}]}`, has: []string{`items.1.title`}})
		_, page := send(t, mux, key, step{name: "list", method: "GET", path: "/api/v1/activities?limit=2", status: 200,
			has: []string{`"total_estimate":3`, `"Old task"`}})
		send(t, mux, key, step{name: "page 2", method: "GET", path: "/api/v1/activities?limit=2&cursor=" + page["next_cursor"].(string), status: 200,
			hasNot: []string{`"Old task"`, "total_estimate"}})
		send(t, mux, key, step{name: "filter", method: "GET", path: `/api/v1/activities?filter=type%20%3D%20%22call%22%20and%20done%20%3D%20false`, status: 200,
			has: []string{`"Call"`}, hasNot: []string{"Demo", "Old task"}})
		send(t, mux, key, step{name: "bad filter", method: "GET", path: `/api/v1/activities?filter=tpye%20%3D%20%22call%22`, status: 422,
			has: []string{`"filter"`, "did you mean 'type'"}})
		send(t, mux, key, step{name: "bad sort", method: "GET", path: `/api/v1/activities?sort=colour`, status: 422, has: []string{`"sort"`}})
		send(t, mux, key, step{name: "sorted", method: "GET", path: `/api/v1/activities?sort=-due_at&limit=1`, status: 200, hasNot: []string{"Old task"}})
		send(t, mux, otherKey, step{name: "other list", method: "GET", path: `/api/v1/activities`, status: 200, has: []string{`"data":[]`}})
		send(t, mux, key, step{name: "my day overdue", method: "GET", path: `/api/v1/activities/my-day?bucket=overdue`, status: 200,
			has: []string{`"Old task"`}, hasNot: []string{"Demo"}})
		send(t, mux, key, step{name: "my day bad bucket", method: "GET", path: `/api/v1/activities/my-day?bucket=someday`, status: 422})

		send(t, mux, key, step{name: "invite", method: "POST", path: "/api/v1/activities/" + id + "/invite", status: 200, has: []string{`"queued":1`}})
		send(t, mux, key, step{name: "invite again", method: "POST", path: "/api/v1/activities/" + id + "/invite", status: 200, has: []string{`"queued":0`}})
		send(t, mux, otherKey, step{name: "other workspace invite", method: "POST", path: "/api/v1/activities/" + id + "/invite", status: 404})
		send(t, mux, key, step{name: "delete", method: "DELETE", path: "/api/v1/activities/" + id, status: 204})
		send(t, mux, key, step{name: "deleted", method: "GET", path: "/api/v1/activities/" + id, status: 404})

		// Notifications: a reminder for the key's user, not for the other workspace.
		var nid string
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			if _, err := activities.Notify(tx, p.WorkspaceID, p.UserID, "reminder", "Call: Ada", "Due soon", "/activities/1", "k1"); err != nil {
				return err
			}
			return tx.QueryRow(`SELECT id FROM notifications WHERE workspace_id = ?`, p.WorkspaceID).Scan(&nid)
		}); err != nil {
			t.Fatal(err)
		}
		send(t, mux, key, step{name: "notifications", method: "GET", path: "/api/v1/notifications", status: 200,
			has: []string{`"title":"Call: Ada"`, `"unread":1`, `"read_at":null`}})
		send(t, mux, otherKey, step{name: "other notifications", method: "GET", path: "/api/v1/notifications", status: 200,
			has: []string{`"data":[]`, `"unread":0`}})
		send(t, mux, otherKey, step{name: "other read", method: "POST", path: "/api/v1/notifications/" + nid + "/read", status: 404})
		send(t, mux, key, step{name: "read", method: "POST", path: "/api/v1/notifications/" + nid + "/read", status: 204})
		send(t, mux, key, step{name: "after read", method: "GET", path: "/api/v1/notifications", status: 200, has: []string{`"unread":0`}})
		send(t, mux, key, step{name: "read all", method: "POST", path: "/api/v1/notifications/read-all", status: 204})
		send(t, mux, key, step{name: "bad before", method: "GET", path: "/api/v1/notifications?before=x", status: 422, has: []string{`"before"`}})

		// Every change wrote an event on the activity, in its transaction.
		var evs []crm.Event
		aid, _ := crm.ParseID(id)
		if err := db.Read(context.Background(), func(tx *store.Tx) (err error) { evs, err = tx.Events(p.WorkspaceID, "activity", aid, 20); return err }); err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range evs {
			actions = append(actions, string(e.Action))
		}
		if strings.Join(actions, ",") != "deleted,updated,updated,updated,created" {
			t.Fatalf("events: %v", actions)
		}
	})
}

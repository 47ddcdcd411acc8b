package api_test

import (
	"net/http"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

func TestNotesAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Notes Co", crm.RoleMember)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Elsewhere", crm.RoleMember)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})
		_, c := send(t, mux, key, step{name: "contact", method: "POST", path: "/api/v1/contacts", status: 201, body: `{"first_name":"Nia"}`})
		cid := c["id"].(string)
		_, n := send(t, mux, key, step{name: "note", method: "POST", path: "/api/v1/notes", status: 201,
			body: `{"object_type":"contact","object_id":"` + cid + `","body":"Met at **expo** <img src=x onerror=alert(1)>"}`,
			has:  []string{`"html":"<p>Met at <strong>expo</strong> </p>\n"`}})
		nid := n["id"].(string)
		send(t, mux, otherKey, step{name: "note on another workspace's contact", method: "POST", path: "/api/v1/notes", status: 422,
			body: `{"object_type":"contact","object_id":"` + cid + `","body":"x"}`, has: []string{"object_id"}})
		send(t, mux, key, step{name: "list", method: "GET", path: "/api/v1/notes?object_type=contact&object_id=" + cid, status: 200,
			has: []string{nid}})
		send(t, mux, otherKey, step{name: "list elsewhere", method: "GET", path: "/api/v1/notes?object_type=contact&object_id=" + cid, status: 200,
			has: []string{`"data":[]`}})
		send(t, mux, key, step{name: "pin", method: "PATCH", path: "/api/v1/notes/" + nid, status: 200,
			header: map[string]string{"If-Match": `"1"`}, body: `{"pinned":true}`, has: []string{`"pinned":true`, `"version":2`}})
		send(t, mux, otherKey, step{name: "delete elsewhere", method: "DELETE", path: "/api/v1/notes/" + nid, status: 404})
		send(t, mux, key, step{name: "delete", method: "DELETE", path: "/api/v1/notes/" + nid, status: 204})
	})
}

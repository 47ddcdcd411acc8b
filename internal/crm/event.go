package crm

import "time"

// Action is what happened to a record.
type Action string

// Record actions in the event stream.
const (
	Created Action = "created"
	Updated Action = "updated"
	Deleted Action = "deleted"
)

// Actor is who caused a change: a user, an API key, or the system itself (a job).
type Actor struct {
	Type string // "user", "apikey", "system"
	ID   ID
}

// System is the actor for changes made by jobs and the CLI.
var System = Actor{Type: "system"}

// UserActor returns the actor for a signed-in user.
func UserActor(id ID) Actor { return Actor{Type: "user", ID: id} }

// Change is the before and after value of one field.
type Change struct {
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

// Event is one entry of the event stream: every create, update and delete of a
// record writes one, in the same transaction as the change. The timeline,
// webhooks, workflows, search indexing and the audit log all read from it.
type Event struct {
	ID          ID
	WorkspaceID ID
	At          time.Time
	Actor       Actor
	ObjectType  string
	ObjectID    ID
	Action      Action
	Changes     map[string]Change
	RequestID   string
}

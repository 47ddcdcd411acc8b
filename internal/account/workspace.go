package account

import (
	"fmt"
	"net/mail"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// DefaultStages are the stages of the "Sales" pipeline every new workspace
// starts with; admins rename and reorder them.
var DefaultStages = []struct {
	Name        string
	Probability int
	RotDays     int
}{
	{"Lead in", 10, 14},
	{"Qualified", 25, 14},
	{"Proposal", 50, 21},
	{"Negotiation", 75, 21},
	{"Closing", 90, 14},
}

// DefaultLostReasons are the reasons a deal is lost that every new workspace
// starts with; admins edit the list in Settings → Pipelines.
var DefaultLostReasons = []string{"Price", "Chose a competitor", "No budget", "Bad timing", "No response", "Other"}

// CreateWorkspace creates a workspace with its default pipeline.
func CreateWorkspace(tx *store.Tx, name string, actor crm.Actor) (crm.Workspace, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 120 {
		return crm.Workspace{}, (crm.FieldErrors{"workspace": "Give the workspace a name (up to 120 characters)."}).Err()
	}
	ws := crm.Workspace{ID: tx.NewID(), Name: name, CreatedAt: tx.Now}
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`INSERT INTO workspaces (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)`,
		ws.ID, ws.Name, now, now); err != nil {
		return ws, fmt.Errorf("account: create workspace: %w", err)
	}
	if err := tx.Emit(crm.Event{WorkspaceID: ws.ID, Actor: actor, ObjectType: "workspace", ObjectID: ws.ID,
		Action: crm.Created, Changes: map[string]crm.Change{"name": {After: name}}}); err != nil {
		return ws, err
	}
	pipeline := tx.NewID()
	if _, err := tx.Exec(`INSERT INTO pipelines (id, workspace_id, name, position, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)`,
		pipeline, ws.ID, "Sales", now, now); err != nil {
		return ws, fmt.Errorf("account: create pipeline: %w", err)
	}
	for i, s := range DefaultStages {
		if _, err := tx.Exec(`INSERT INTO stages (id, workspace_id, pipeline_id, name, position, probability, rot_days, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, tx.NewID(), ws.ID, pipeline, s.Name, i, s.Probability, s.RotDays, now, now); err != nil {
			return ws, fmt.Errorf("account: create stage: %w", err)
		}
	}
	for i, r := range DefaultLostReasons {
		if _, err := tx.Exec(`INSERT INTO lost_reasons (id, workspace_id, name, position, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, tx.NewID(), ws.ID, r, i, now, now); err != nil {
			return ws, fmt.Errorf("account: create lost reason: %w", err)
		}
	}
	return ws, tx.Emit(crm.Event{WorkspaceID: ws.ID, Actor: actor, ObjectType: "pipeline", ObjectID: pipeline,
		Action: crm.Created, Changes: map[string]crm.Change{"name": {After: "Sales"}}})
}

// NormalizeEmail trims and lower-cases an address and checks its form.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return s, false
	}
	return s, true
}

// NewUser is what creating a user takes.
type NewUser struct {
	Email    string
	Name     string
	Password string // plain text; only its hash is stored
}

// CreateUser validates and stores a user. The password is hashed here; it is
// never stored, logged or returned.
func CreateUser(tx *store.Tx, in NewUser) (crm.User, error) {
	fe := crm.FieldErrors{}
	email, ok := NormalizeEmail(in.Email)
	if !ok {
		fe.Add("email", "Enter a valid email address, like name@example.com.")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || len(name) > 120 {
		fe.Add("name", "Enter your name (up to 120 characters).")
	}
	if msg := ValidatePassword(in.Password, email); msg != "" {
		fe.Add("password", msg)
	}
	if err := fe.Err(); err != nil {
		return crm.User{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return crm.User{}, err
	}
	u := crm.User{ID: tx.NewID(), Email: email, Name: name, CreatedAt: tx.Now}
	now := store.Micros(tx.Now)
	_, err = tx.Exec(`INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.ID, email, name, hash, now, now)
	if crm.ErrorCode(err) == crm.Conflict {
		return u, (crm.FieldErrors{"email": "An account with this email already exists."}).Err()
	}
	if err != nil {
		return u, fmt.Errorf("account: create user: %w", err)
	}
	return u, nil
}

// AddMember gives user a role in workspace.
func AddMember(tx *store.Tx, ws, user crm.ID, role crm.Role, actor crm.Actor) error {
	if !role.Valid() {
		return crm.Errorf(crm.Invalid, "Unknown role %q.", role)
	}
	if _, err := tx.Exec(`INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?, ?, ?, ?)`,
		ws, user, string(role), store.Micros(tx.Now)); err != nil {
		return fmt.Errorf("account: add member: %w", err)
	}
	return tx.Emit(crm.Event{WorkspaceID: ws, Actor: actor, ObjectType: "membership", ObjectID: user,
		Action: crm.Created, Changes: map[string]crm.Change{"role": {After: string(role)}}})
}

// SetupInput is the first-run form.
type SetupInput struct {
	Token     string
	Workspace string
	NewUser
}

// Setup spends a one-time setup token to create the first workspace and its
// owner. A used, expired or unknown token is refused.
func Setup(tx *store.Tx, in SetupInput) (crm.Workspace, crm.User, error) {
	n, err := tx.Exec(`DELETE FROM setup_tokens WHERE token_hash = ? AND expires_at > ?`, HashToken(in.Token), store.Micros(tx.Now))
	if err != nil {
		return crm.Workspace{}, crm.User{}, err
	}
	if n == 0 {
		return crm.Workspace{}, crm.User{}, crm.Errorf(crm.NotFound,
			"This setup link is not valid any more. Restart tandem serve to print a new one.")
	}
	if need, err := NeedsSetup(tx); err != nil || !need {
		return crm.Workspace{}, crm.User{}, crm.Errorf(crm.Conflict, "Tandem is already set up; sign in instead.")
	}
	u, err := CreateUser(tx, in.NewUser)
	fe := crm.FieldErrors{}
	for k, v := range crm.ErrorFields(err) {
		fe.Add(k, v)
	}
	if err != nil && len(fe) == 0 {
		return crm.Workspace{}, u, err
	}
	ws, werr := CreateWorkspace(tx, in.Workspace, crm.UserActor(u.ID))
	for k, v := range crm.ErrorFields(werr) {
		fe.Add(k, v)
	}
	if err := fe.Err(); err != nil {
		return ws, u, err
	}
	if werr != nil {
		return ws, u, werr
	}
	return ws, u, AddMember(tx, ws.ID, u.ID, crm.RoleOwner, crm.UserActor(u.ID))
}

package crm

import "time"

// Role is what a user may do in a workspace.
type Role string

// Roles, from most to least powerful.
const (
	RoleOwner    Role = "owner"
	RoleAdmin    Role = "admin"
	RoleManager  Role = "manager"
	RoleMember   Role = "member"
	RoleReadOnly Role = "readonly"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleOwner, RoleAdmin, RoleManager, RoleMember, RoleReadOnly}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Rank orders roles: a higher rank may do more.
func (r Role) Rank() int {
	for i, x := range Roles {
		if x == r {
			return len(Roles) - i
		}
	}
	return 0
}

// Workspace is one customer of the service: the tenant boundary.
type Workspace struct {
	ID        ID
	Name      string
	CreatedAt time.Time
}

// User is a person who works in one or more workspaces.
type User struct {
	ID        ID
	Email     string
	Name      string
	CreatedAt time.Time
}

// Membership is a user's role in one workspace.
type Membership struct {
	WorkspaceID ID
	UserID      ID
	Role        Role
}

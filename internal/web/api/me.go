package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Me is who an API key acts as.
type Me struct {
	User struct {
		ID    crm.ID `json:"id" doc:"User id"`
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"user"`
	Workspace struct {
		ID   crm.ID `json:"id" doc:"Workspace id"`
		Name string `json:"name"`
	} `json:"workspace"`
	Role     crm.Role `json:"role" enum:"owner,admin,manager,member,readonly" doc:"Effective role: the lower of the key's and the user's"`
	APIKeyID crm.ID   `json:"api_key_id"`
}

type meOutput struct{ Body Me }

func (a *API) routes() {
	huma.Register(a.huma, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/me", Tags: []string{"Account"},
		Summary:     "Who am I",
		Description: "The user, workspace and effective role of the API key used.",
	}, a.getMe)
	a.contactRoutes()
	a.fieldRoutes()
	a.companyRoutes()
	a.companyMergeRoutes()
	a.viewRoutes()
	a.noteRoutes()
	a.searchRoutes()
	a.productRoutes()
	a.dealItemRoutes()

	a.privacyRoutes()
	a.consentRoutes()

	a.pipelineRoutes()
	a.dealRoutes()

	a.activityRoutes()
	a.notificationRoutes()

	a.importRoutes()
	a.auditRoutes()
}

func (a *API) getMe(ctx context.Context, _ *struct{}) (*meOutput, error) {
	p := principal(ctx)
	out := &meOutput{}
	out.Body.User.ID, out.Body.User.Name, out.Body.User.Email = p.UserID, p.Name, p.Email
	out.Body.Workspace.ID, out.Body.Workspace.Name = p.WorkspaceID, p.Workspace
	out.Body.Role, out.Body.APIKeyID = p.Role, p.APIKeyID
	return out, nil
}

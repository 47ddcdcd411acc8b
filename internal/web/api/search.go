package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// SearchHit is one search result.
type SearchHit struct {
	Type     string `json:"type" enum:"contact,company"`
	ID       crm.ID `json:"id"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
	URL      string `json:"url" doc:"The record's page in the web UI"`
}

type searchInput struct {
	Q     string `query:"q" required:"true" minLength:"1" maxLength:"200" doc:"Names (typos forgiven), emails, phone numbers, domains"`
	Limit int    `query:"limit" minimum:"1" maximum:"50" default:"20"`
}

type searchOutput struct {
	Body struct {
		Data []SearchHit `json:"data"`
	}
}

func (a *API) searchRoutes() {
	huma.Register(a.huma, huma.Operation{OperationID: "search", Method: http.MethodGet, Path: "/search", Tags: []string{"Search"},
		Summary: "Search contacts and companies", Description: "One query across names, emails, phone digits and domains, best first."}, a.search)
}

func (a *API) search(ctx context.Context, in *searchInput) (*searchOutput, error) {
	p := principal(ctx)
	out := &searchOutput{}
	out.Body.Data = []SearchHit{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		rs, err := records.Search(tx, p, in.Q, in.Limit)
		for _, r := range rs {
			path := "/contacts/"
			if r.Type == "company" {
				path = "/companies/"
			}
			out.Body.Data = append(out.Body.Data, SearchHit{Type: r.Type, ID: r.ID, Title: r.Title, Subtitle: r.Subtitle, URL: path + r.ID.String()})
		}
		return err
	})
	if err != nil {
		return nil, a.fail(ctx, err)
	}
	return out, nil
}

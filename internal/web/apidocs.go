package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/web/view"
)

// apiDocs renders the API reference from the generated OpenAPI document, so
// the page always matches the handlers. Public: it holds no data.
func (s *Server) apiDocs(w http.ResponseWriter, r *http.Request) {
	doc := s.api.OpenAPI()
	groups := map[string]*view.APIGroup{}
	var names []string
	for path, item := range doc.Paths {
		for _, m := range []struct {
			method string
			op     *huma.Operation
		}{{"GET", item.Get}, {"POST", item.Post}, {"PATCH", item.Patch}, {"PUT", item.Put}, {"DELETE", item.Delete}} {
			if m.op == nil {
				continue
			}
			tag := "Other"
			if len(m.op.Tags) > 0 {
				tag = m.op.Tags[0]
			}
			g, ok := groups[tag]
			if !ok {
				g = &view.APIGroup{Name: tag}
				groups[tag] = g
				names = append(names, tag)
			}
			g.Ops = append(g.Ops, operation(doc, m.method, path, m.op))
		}
	}
	sort.Strings(names)
	var out []view.APIGroup
	for _, n := range names {
		g := groups[n]
		sort.Slice(g.Ops, func(i, j int) bool {
			if g.Ops[i].Path != g.Ops[j].Path {
				return g.Ops[i].Path < g.Ops[j].Path
			}
			return methodRank(g.Ops[i].Method) < methodRank(g.Ops[j].Method)
		})
		out = append(out, *g)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = view.APIDocsPage(doc.Info.Title, doc.Info.Version, out, s.assets.URL).Render(r.Context(), w)
}

func methodRank(m string) int { return strings.Index("GETPOSTPATCHPUTDELETE", m) }

func operation(doc *huma.OpenAPI, method, path string, op *huma.Operation) view.APIOperation {
	o := view.APIOperation{ID: op.OperationID, Method: method, Path: path, Summary: op.Summary, Description: op.Description}
	for _, p := range op.Parameters {
		typ := ""
		if p.Schema != nil {
			typ = p.Schema.Type
		}
		o.Params = append(o.Params, view.APIParam{Name: p.Name, In: p.In, Type: typ, Doc: p.Description, Required: p.Required})
	}
	if op.RequestBody != nil {
		if mt := op.RequestBody.Content["application/json"]; mt != nil && mt.Schema != nil {
			o.Body = properties(doc, mt.Schema)
		}
	}
	return o
}

// properties lists a body schema's top-level fields, following a $ref.
func properties(doc *huma.OpenAPI, s *huma.Schema) []view.APIParam {
	if s.Ref != "" {
		s = doc.Components.Schemas.SchemaFromRef(s.Ref)
	}
	if s == nil {
		return nil
	}
	var names []string
	for n := range s.Properties {
		if !strings.HasPrefix(n, "$") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out []view.APIParam
	for _, n := range names {
		p := s.Properties[n]
		typ := p.Type
		if p.Ref != "" {
			typ = "object"
		}
		if p.Items != nil && typ == "array" {
			typ = "array of " + p.Items.Type
			if p.Items.Ref != "" {
				typ = "array of objects"
			}
		}
		out = append(out, view.APIParam{Name: n, In: "body", Type: typ, Doc: p.Description, Required: contains(s.Required, n)})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

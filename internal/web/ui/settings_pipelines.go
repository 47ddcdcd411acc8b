package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// PipelinesSettings renders Settings → Pipelines.
func (h *Handlers) PipelinesSettings(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	v := view.PipelinesSettingsView{CanEdit: p.Role.Rank() >= crm.RoleAdmin.Rank()}
	err := h.read(r.Context(), func(tx *store.Tx) error {
		ps, err := deals.ListPipelines(tx, p.WorkspaceID)
		if err != nil {
			return err
		}
		for i, pl := range ps {
			pe := view.PipelineEdit{ID: pl.ID.String(), Name: pl.Name, First: i == 0, Last: i == len(ps)-1}
			for i, s := range pl.Stages {
				se := view.StageEdit{ID: s.ID.String(), Name: s.Name, Probability: s.Probability, RotDays: s.RotDays,
					First: i == 0, Last: i == len(pl.Stages)-1}
				for _, o := range pl.Stages {
					if o.ID != s.ID {
						se.MoveTargets = append(se.MoveTargets, view.Option{Value: o.ID.String(), Label: o.Name})
					}
				}
				pe.Stages = append(pe.Stages, se)
			}
			for _, o := range ps {
				for _, s := range o.Stages {
					if o.ID != pl.ID {
						pe.Others = append(pe.Others, view.Option{Value: s.ID.String(), Label: o.Name + " → " + s.Name})
					}
				}
			}
			v.Pipelines = append(v.Pipelines, pe)
		}
		rs, err := deals.ListLostReasons(tx, p.WorkspaceID)
		for _, x := range rs {
			v.Reasons = append(v.Reasons, view.ReasonEdit{ID: x.ID.String(), Name: x.Name})
		}
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.PipelinesSettings(h.shell(w, r, "Pipelines", "settings"), v))
}

// pipelineChange runs one settings change and goes back to the page with a
// flash saying how it went.
func (h *Handlers) pipelineChange(w http.ResponseWriter, r *http.Request, fn func(tx *store.Tx, p crm.Principal, id crm.ID) error) {
	p := principal(r)
	id, _ := crm.ParseID(r.PathValue("id"))
	err := h.write(r.Context(), func(tx *store.Tx) error { return fn(tx, p, id) })
	switch code := crm.ErrorCode(err); {
	case err == nil:
		h.flash(w, "ok", "Saved.")
	case code == crm.Invalid || code == crm.Conflict || code == crm.Forbidden:
		h.flash(w, "error", "Not saved: "+firstFieldMessage(err))
	default:
		h.Errs.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/pipelines", http.StatusSeeOther)
}

func intForm(r *http.Request, name string) *int {
	n, err := strconv.Atoi(form(r, name))
	if err != nil {
		return nil
	}
	return &n
}

func strForm(r *http.Request, name string) *string {
	s := form(r, name)
	return &s
}

// PipelineCreate adds a pipeline with comma-separated stages.
func (h *Handlers) PipelineCreate(w http.ResponseWriter, r *http.Request) {
	h.pipelineChange(w, r, func(tx *store.Tx, p crm.Principal, _ crm.ID) error {
		var stages []deals.StageInput
		for _, n := range strings.Split(form(r, "stages"), ",") {
			if n = strings.TrimSpace(n); n != "" {
				stages = append(stages, deals.StageInput{Name: &n})
			}
		}
		_, err := deals.CreatePipeline(tx, p, form(r, "name"), stages)
		return err
	})
}

// PipelineRename renames a pipeline.
func (h *Handlers) PipelineRename(w http.ResponseWriter, r *http.Request) {
	h.pipelineChange(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		_, err := deals.UpdatePipeline(tx, p, id, deals.PipelinePatch{Name: strForm(r, "name")})
		return err
	})
}

// PipelineMove moves a pipeline one place up or down the list (the first
// is the default: new deals without a pipeline go there).
func (h *Handlers) PipelineMove(w http.ResponseWriter, r *http.Request) {
	h.pipelineChange(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		pl, err := deals.GetPipeline(tx, p.WorkspaceID, id)
		if err != nil {
			return err
		}
		ps, err := deals.ListPipelines(tx, p.WorkspaceID)
		if err != nil {
			return err
		}
		// Positions may have gaps (a pipeline was deleted): move by place in
		// the list, not by the stored number.
		at := slices.IndexFunc(ps, func(x deals.Pipeline) bool { return x.ID == pl.ID })
		pos := at + 1
		if form(r, "dir") == "up" {
			pos = max(0, at-1)
		}
		_, err = deals.UpdatePipeline(tx, p, id, deals.PipelinePatch{Position: &pos})
		return err
	})
}

// PipelineDelete deletes a pipeline, moving its deals to move_to.
func (h *Handlers) PipelineDelete(w http.ResponseWriter, r *http.Request) {
	h.pipelineChange(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		to, _ := crm.ParseID(form(r, "move_to"))
		return deals.DeletePipeline(tx, p, id, to)
	})
}

// StageCreate adds a stage at the end of a pipeline.
func (h *Handlers) StageCreate(w http.ResponseWriter, r *http.Request) {
	h.pipelineChange(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		_, err := deals.CreateStage(tx, p, id, deals.StageInput{Name: strForm(r, "name"), Probability: intForm(r, "probability"),
			RotDays: intForm(r, "rot_days")})
		return err
	})
}

// StageSave changes a stage's name, probability and rotting days.
func (h *Handlers) StageSave(w http.ResponseWriter, r *http.Request) {
	h.pipelineChange(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		_, err := deals.UpdateStage(tx, p, id, deals.StageInput{Name: strForm(r, "name"), Probability: intForm(r, "probability"),
			RotDays: intForm(r, "rot_days")})
		return err
	})
}

// StageMove moves a stage one place up or down.
func (h *Handlers) StageMove(w http.ResponseWriter, r *http.Request) {
	h.pipelineChange(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		s, err := deals.GetStage(tx, p.WorkspaceID, id)
		if err != nil {
			return err
		}
		pos := s.Position + 1
		if form(r, "dir") == "up" {
			pos = max(0, s.Position-1)
		}
		_, err = deals.UpdateStage(tx, p, id, deals.StageInput{Position: &pos})
		return err
	})
}

// StageDelete removes a stage, moving its deals to move_to.
func (h *Handlers) StageDelete(w http.ResponseWriter, r *http.Request) {
	h.pipelineChange(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		to, _ := crm.ParseID(form(r, "move_to"))
		return deals.DeleteStage(tx, p, id, to)
	})
}

// LostReasonCreate adds a lost reason.
func (h *Handlers) LostReasonCreate(w http.ResponseWriter, r *http.Request) {
	h.pipelineChange(w, r, func(tx *store.Tx, p crm.Principal, _ crm.ID) error {
		_, err := deals.CreateLostReason(tx, p, form(r, "name"))
		return err
	})
}

// LostReasonSave renames (or, with delete=1, removes) a lost reason.
func (h *Handlers) LostReasonSave(w http.ResponseWriter, r *http.Request) {
	h.pipelineChange(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		if form(r, "delete") != "" {
			return deals.DeleteLostReason(tx, p, id)
		}
		_, err := deals.UpdateLostReason(tx, p, id, strForm(r, "name"), nil)
		return err
	})
}

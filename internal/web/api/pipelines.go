package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
)

// Stage is a pipeline stage as the API shows it.
type Stage struct {
	ID          crm.ID `json:"id"`
	PipelineID  crm.ID `json:"pipeline_id"`
	Name        string `json:"name"`
	Probability int    `json:"probability" doc:"Win probability in percent, 0..100"`
	RotDays     int    `json:"rot_days" doc:"An open deal in this stage longer than this many days is rotting; 0: never"`
	Position    int    `json:"position" doc:"0-based order within the pipeline"`
	Version     int64  `json:"version" doc:"Send as If-Match to change only this version; moving a neighbour changes it too"`
}

// Pipeline is a pipeline with its stages in order.
type Pipeline struct {
	ID       crm.ID  `json:"id"`
	Name     string  `json:"name"`
	Position int     `json:"position"`
	Stages   []Stage `json:"stages"`
	Version  int64   `json:"version" doc:"Send as If-Match to change only this version; it changes with the pipeline and with any of its stages"`
}

func stageOut(s deals.Stage) Stage {
	return Stage{ID: s.ID, PipelineID: s.PipelineID, Name: s.Name, Probability: s.Probability, RotDays: s.RotDays, Position: s.Position,
		Version: s.Version}
}

func pipelineOut(p deals.Pipeline) Pipeline {
	out := Pipeline{ID: p.ID, Name: p.Name, Position: p.Position, Stages: []Stage{}, Version: p.Version}
	for _, s := range p.Stages {
		out.Stages = append(out.Stages, stageOut(s))
	}
	return out
}

// StageInput creates or changes a stage.
type StageInput struct {
	Name        *string `json:"name,omitempty" maxLength:"80"`
	Probability *int    `json:"probability,omitempty" minimum:"0" maximum:"100"`
	RotDays     *int    `json:"rot_days,omitempty" minimum:"0" maximum:"3650"`
	Position    *int    `json:"position,omitempty" minimum:"0"`
}

func (in StageInput) domain() deals.StageInput {
	return deals.StageInput{Name: in.Name, Probability: in.Probability, RotDays: in.RotDays, Position: in.Position}
}

type pipelineListOutput struct {
	Body struct {
		Data []Pipeline `json:"data"`
	}
}

type pipelineOutput struct {
	ETag string `header:"ETag"`
	Body Pipeline
}

func pipelineResponse(p deals.Pipeline) *pipelineOutput {
	return &pipelineOutput{ETag: etag(p.Version), Body: pipelineOut(p)}
}

type pipelineCreateInput struct {
	Body struct {
		Name   string       `json:"name" maxLength:"80"`
		Stages []StageInput `json:"stages" minItems:"1" maxItems:"30"`
	}
}

type pipelinePatchInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The version from the ETag or the version field; 412 if the pipeline or one of its stages changed since"`
	Body    struct {
		Name       *string  `json:"name,omitempty" maxLength:"80"`
		Position   *int     `json:"position,omitempty" minimum:"0"`
		StageOrder []crm.ID `json:"stage_order,omitempty" doc:"Every stage id of the pipeline, in the new order"`
	}
}

type moveToInput struct {
	ID     string `path:"id"`
	MoveTo string `query:"move_to" doc:"The stage that takes the deals of what is removed; required when it holds deals"`
}

type pathID struct {
	ID string `path:"id"`
}

type stageOutput struct {
	ETag string `header:"ETag"`
	Body Stage
}

func stageResponse(s deals.Stage) *stageOutput {
	return &stageOutput{ETag: etag(s.Version), Body: stageOut(s)}
}

type stageCreateInput struct {
	ID   string `path:"id" doc:"Pipeline id"`
	Body StageInput
}

type stagePatchInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The version from the ETag or the version field; 412 if the stage changed since"`
	Body    StageInput
}

func (a *API) pipelineRoutes() {
	tags := []string{"Pipelines"}
	reg := func(op huma.Operation) huma.Operation { op.Tags = tags; return op }
	huma.Register(a.huma, reg(huma.Operation{OperationID: "list-pipelines", Method: http.MethodGet, Path: "/pipelines",
		Summary: "List pipelines with their stages", Description: "In order; the first is the default pipeline."}), a.listPipelines)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "create-pipeline", Method: http.MethodPost, Path: "/pipelines",
		Summary: "Create a pipeline", Description: "Admins only. Stages in the order given.", DefaultStatus: http.StatusCreated}), a.createPipeline)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "get-pipeline", Method: http.MethodGet, Path: "/pipelines/{id}",
		Summary: "Get a pipeline"}), a.getPipeline)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "update-pipeline", Method: http.MethodPatch, Path: "/pipelines/{id}",
		Summary: "Rename, move or reorder a pipeline's stages", Description: "Admins only. Reorder the stages with stage_order. Send If-Match for optimistic concurrency."}), a.updatePipeline)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "delete-pipeline", Method: http.MethodDelete, Path: "/pipelines/{id}",
		Summary: "Delete a pipeline", DefaultStatus: http.StatusNoContent,
		Description: "Admins only. Its deals move to move_to (a stage of another pipeline). The last pipeline cannot be deleted."}), a.deletePipeline)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "create-stage", Method: http.MethodPost, Path: "/pipelines/{id}/stages",
		Summary: "Add a stage to a pipeline", Description: "Admins only. At position, or at the end.", DefaultStatus: http.StatusCreated}), a.createStage)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "get-stage", Method: http.MethodGet, Path: "/stages/{id}",
		Summary: "Get a stage"}), a.getStage)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "update-stage", Method: http.MethodPatch, Path: "/stages/{id}",
		Summary: "Change a stage", Description: "Admins only: name, probability, rotting days, position. Send If-Match for optimistic concurrency."}), a.updateStage)
	huma.Register(a.huma, reg(huma.Operation{OperationID: "delete-stage", Method: http.MethodDelete, Path: "/stages/{id}",
		Summary: "Delete a stage", DefaultStatus: http.StatusNoContent,
		Description: "Admins only. Its deals (open, won, lost and trashed) move to move_to, required when it holds any."}), a.deleteStage)
	a.lostReasonRoutes()
}

// read and write run fn and turn its error into the API's problem.
func (a *API) read(ctx context.Context, fn func(*store.Tx) error) error {
	if err := a.DB.Read(ctx, fn); err != nil {
		return a.fail(ctx, err)
	}
	return nil
}

func (a *API) write(ctx context.Context, fn func(*store.Tx) error) error {
	if err := a.DB.Write(ctx, fn); err != nil {
		return a.fail(ctx, err)
	}
	return nil
}

// writeIf is write for a change under If-Match: fn gets the version the
// header names (0 without one, which is allowed), and a conflict when one
// was named is 412 Precondition Failed.
func (a *API) writeIf(ctx context.Context, ifMatch string, fn func(tx *store.Tx, version int64) error) error {
	version, err := parseIfMatch(ifMatch)
	if err != nil {
		return err
	}
	err = a.DB.Write(ctx, func(tx *store.Tx) error { return fn(tx, version) })
	if crm.ErrorCode(err) == crm.Conflict && version != 0 {
		return huma.Error412PreconditionFailed(crm.ErrorMessage(err))
	}
	if err != nil {
		return a.fail(ctx, err)
	}
	return nil
}

// etag is the ETag header for a version; If-Match sends it back.
func etag(version int64) string { return fmt.Sprintf(`"%d"`, version) }

// ids parses path or query ids; "" is 0 when optional.
func (a *API) id(ctx context.Context, s string, optional bool) (crm.ID, error) {
	if s == "" && optional {
		return 0, nil
	}
	id, err := crm.ParseID(s)
	if err != nil {
		return 0, a.fail(ctx, err)
	}
	return id, nil
}

func (a *API) listPipelines(ctx context.Context, _ *struct{}) (*pipelineListOutput, error) {
	out := &pipelineListOutput{}
	out.Body.Data = []Pipeline{}
	return out, a.read(ctx, func(tx *store.Tx) error {
		ps, err := deals.ListPipelines(tx, principal(ctx).WorkspaceID)
		for _, p := range ps {
			out.Body.Data = append(out.Body.Data, pipelineOut(p))
		}
		return err
	})
}

func (a *API) createPipeline(ctx context.Context, in *pipelineCreateInput) (*pipelineOutput, error) {
	var stages []deals.StageInput
	for _, s := range in.Body.Stages {
		stages = append(stages, s.domain())
	}
	var out *pipelineOutput
	err := a.write(ctx, func(tx *store.Tx) error {
		p, err := deals.CreatePipeline(tx, principal(ctx), in.Body.Name, stages)
		out = pipelineResponse(p)
		return err
	})
	return out, err
}

func (a *API) getPipeline(ctx context.Context, in *pathID) (*pipelineOutput, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	var out *pipelineOutput
	err = a.read(ctx, func(tx *store.Tx) error {
		p, err := deals.GetPipeline(tx, principal(ctx).WorkspaceID, id)
		out = pipelineResponse(p)
		return err
	})
	return out, err
}

func (a *API) updatePipeline(ctx context.Context, in *pipelinePatchInput) (*pipelineOutput, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	var out *pipelineOutput
	err = a.writeIf(ctx, in.IfMatch, func(tx *store.Tx, version int64) error {
		p, err := deals.UpdatePipelineIf(tx, principal(ctx), id, deals.PipelinePatch{Name: in.Body.Name, Position: in.Body.Position,
			StageOrder: in.Body.StageOrder}, version)
		out = pipelineResponse(p)
		return err
	})
	return out, err
}

func (a *API) deletePipeline(ctx context.Context, in *moveToInput) (*struct{}, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	moveTo, err := a.id(ctx, in.MoveTo, true)
	if err != nil {
		return nil, err
	}
	return nil, a.write(ctx, func(tx *store.Tx) error { return deals.DeletePipeline(tx, principal(ctx), id, moveTo) })
}

func (a *API) createStage(ctx context.Context, in *stageCreateInput) (*stageOutput, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	var out *stageOutput
	err = a.write(ctx, func(tx *store.Tx) error {
		s, err := deals.CreateStage(tx, principal(ctx), id, in.Body.domain())
		out = stageResponse(s)
		return err
	})
	return out, err
}

func (a *API) getStage(ctx context.Context, in *pathID) (*stageOutput, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	var out *stageOutput
	err = a.read(ctx, func(tx *store.Tx) error {
		s, err := deals.GetStage(tx, principal(ctx).WorkspaceID, id)
		out = stageResponse(s)
		return err
	})
	return out, err
}

func (a *API) updateStage(ctx context.Context, in *stagePatchInput) (*stageOutput, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	var out *stageOutput
	err = a.writeIf(ctx, in.IfMatch, func(tx *store.Tx, version int64) error {
		s, err := deals.UpdateStageIf(tx, principal(ctx), id, in.Body.domain(), version)
		out = stageResponse(s)
		return err
	})
	return out, err
}

func (a *API) deleteStage(ctx context.Context, in *moveToInput) (*struct{}, error) {
	id, err := a.id(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	moveTo, err := a.id(ctx, in.MoveTo, true)
	if err != nil {
		return nil, err
	}
	return nil, a.write(ctx, func(tx *store.Tx) error { return deals.DeleteStage(tx, principal(ctx), id, moveTo) })
}

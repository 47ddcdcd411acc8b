package ui

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
)

// The board's actions answer fetch() with JSON (the deal's new state and
// the pipeline's column totals, so the board updates without a reload) and
// a plain form post with a redirect to the deal.

type columnTotals struct {
	StageID  string `json:"stage_id"`
	Count    int    `json:"count"`
	Sum      string `json:"sum"`
	Weighted string `json:"weighted"`
}

type dealState struct {
	ID       string         `json:"id"`
	Version  int64          `json:"version"`
	StageID  string         `json:"stage_id"`
	Stage    string         `json:"stage"`
	Status   string         `json:"status"`
	Columns  []columnTotals `json:"columns"`
	Rotting  int            `json:"rotting_days"`
	Previous string         `json:"previous_stage_id"`
	// SortKey is the deal's place in a column of the board's order (form
	// value sort): deals.CardKey.
	SortKey [][2]any `json:"sort_key"`
}

// DealMove moves a deal to stage_id (POST /deals/{id}/move).
func (h *Handlers) DealMove(w http.ResponseWriter, r *http.Request) {
	h.dealAction(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID, v int64) (deals.Deal, error) {
		stage, err := crm.ParseID(form(r, "stage_id"))
		if err != nil {
			return deals.Deal{}, (crm.FieldErrors{"stage_id": "Choose a stage."}).Err()
		}
		return deals.Move(tx, p, id, stage, v)
	})
}

// DealWon marks a deal won.
func (h *Handlers) DealWon(w http.ResponseWriter, r *http.Request) {
	h.dealAction(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID, v int64) (deals.Deal, error) {
		return deals.Win(tx, p, id, v)
	})
}

// DealLost marks a deal lost for form value reason.
func (h *Handlers) DealLost(w http.ResponseWriter, r *http.Request) {
	h.dealAction(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID, v int64) (deals.Deal, error) {
		return deals.Lose(tx, p, id, form(r, "reason"), v)
	})
}

// DealReopen puts a closed deal back in play.
func (h *Handlers) DealReopen(w http.ResponseWriter, r *http.Request) {
	h.dealAction(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID, v int64) (deals.Deal, error) {
		return deals.Reopen(tx, p, id, v)
	})
}

// DealUndo takes back the user's last move of a deal, or the last won or
// lost decision on it (deals.Undo): the board's Undo.
func (h *Handlers) DealUndo(w http.ResponseWriter, r *http.Request) {
	h.dealAction(w, r, func(tx *store.Tx, p crm.Principal, id crm.ID, v int64) (deals.Deal, error) {
		return deals.Undo(tx, p, id, v)
	})
}

func (h *Handlers) dealAction(w http.ResponseWriter, r *http.Request, fn func(*store.Tx, crm.Principal, crm.ID, int64) (deals.Deal, error)) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such deal."))
		return
	}
	version, _ := strconv.ParseInt(form(r, "version"), 10, 64)
	var st dealState
	err = h.write(r.Context(), func(tx *store.Tx) error {
		before, err := deals.ViewDeal(tx, p, id)
		if err != nil {
			return err
		}
		d, err := fn(tx, p, id, version)
		if err != nil {
			return err
		}
		st = dealState{ID: d.ID.String(), Version: d.Version, StageID: d.StageID.String(), Stage: d.StageName, Status: d.Status,
			Rotting: d.RottingDays(tx.Now), Previous: before.StageID.String(), SortKey: deals.CardKey(d, form(r, "sort"))}
		if !wantsJSON(r) {
			return nil
		}
		b, err := deals.LoadBoard(tx, p, deals.BoardQuery{PipelineID: d.PipelineID, Filter: form(r, "filter"), PerColumn: -1})
		if crm.ErrorCode(err) == crm.Invalid {
			b, err = deals.LoadBoard(tx, p, deals.BoardQuery{PipelineID: d.PipelineID, PerColumn: -1})
		}
		for _, c := range b.Columns {
			st.Columns = append(st.Columns, columnTotals{StageID: c.Stage.ID.String(), Count: c.Count, Sum: amounts(c.Sums), Weighted: amounts(c.Weighted)})
		}
		return err
	})
	if !wantsJSON(r) {
		if err != nil && crm.ErrorCode(err) != crm.Invalid && crm.ErrorCode(err) != crm.Conflict {
			h.Errs.Error(w, r, err)
			return
		}
		if err != nil {
			h.flash(w, "error", "Not saved: "+firstFieldMessage(err))
		} else {
			h.flash(w, "ok", "Saved.")
		}
		http.Redirect(w, r, "/deals/"+id.String(), http.StatusSeeOther)
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(st)
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

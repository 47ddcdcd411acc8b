package privacy

import (
	"errors"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// Settings are a workspace's privacy settings.
type Settings struct {
	FormToken string `json:"form_token"` // the public request form lives at /privacy/{token}/request
	Regime    string `json:"regime"`     // default for requests from the form
}

// GetSettings returns the workspace's settings; FormToken is empty until
// the public form is turned on (EnableForm).
func GetSettings(tx *store.Tx, ws crm.ID) (Settings, error) {
	s := Settings{Regime: "gdpr"}
	err := tx.QueryRow(`SELECT form_token, regime FROM privacy_settings WHERE workspace_id = ?`, ws).Scan(&s.FormToken, &s.Regime)
	if errors.Is(err, store.ErrNoRows) {
		return s, nil
	}
	return s, err
}

// EnableForm gives the workspace its public request form (owners and
// admins), or a new address for it when renew is set (the old link stops
// working), and returns the settings.
func EnableForm(tx *store.Tx, p crm.Principal, renew bool) (Settings, error) {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return Settings{}, err
	}
	s, err := GetSettings(tx, p.WorkspaceID)
	if err != nil || (s.FormToken != "" && !renew) {
		return s, err
	}
	s.FormToken = ids.Token(12)
	if _, err := tx.Exec(`DELETE FROM privacy_settings WHERE workspace_id = ?`, p.WorkspaceID); err != nil {
		return s, err
	}
	if _, err := tx.Exec(`INSERT INTO privacy_settings (workspace_id, form_token, regime, updated_at) VALUES (?, ?, ?, ?)`,
		p.WorkspaceID, s.FormToken, s.Regime, store.Micros(tx.Now)); err != nil {
		return s, err
	}
	return s, settingsChanged(tx, p, "form", "enabled")
}

// SetRegime changes the default regime of requests from the public form.
func SetRegime(tx *store.Tx, p crm.Principal, regime string) error {
	if regime != "gdpr" && regime != "ccpa" {
		return (crm.FieldErrors{"regime": "Choose gdpr or ccpa."}).Err()
	}
	if _, err := EnableForm(tx, p, false); err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE privacy_settings SET regime = ?, updated_at = ? WHERE workspace_id = ?`, regime, store.Micros(tx.Now), p.WorkspaceID); err != nil {
		return err
	}
	return settingsChanged(tx, p, "regime", regime)
}

func settingsChanged(tx *store.Tx, p crm.Principal, field, value string) error {
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "privacy_settings", ObjectID: p.WorkspaceID,
		Action: crm.Updated, Changes: map[string]crm.Change{field: {After: value}}})
}

// FormWorkspace returns the workspace whose public form token is token, and
// its name; NotFound for anything else.
func FormWorkspace(tx *store.Tx, token string) (crm.ID, string, string, error) {
	var ws crm.ID
	var name, regime string
	// The token is the only key a visitor has: instance-wide lookup.
	err := tx.Unscoped().QueryRow(`SELECT s.workspace_id, w.name, s.regime FROM privacy_settings s JOIN workspaces w ON w.id = s.workspace_id
		WHERE s.form_token = ?`, strings.TrimSpace(token)).Scan(&ws, &name, &regime)
	if errors.Is(err, store.ErrNoRows) || token == "" {
		return 0, "", "", crm.Errorf(crm.NotFound, "No such page.")
	}
	return ws, name, regime, err
}

// SubmitPublic registers a request from the public form and emails the
// confirmation link to the address given. It answers the same whether or not
// the address is known, so the form reveals nothing.
func (sv Service) SubmitPublic(tx *store.Tx, token string, in NewRequest) error {
	ws, _, regime, err := FormWorkspace(tx, token)
	if err != nil {
		return err
	}
	if in.Regime == "" {
		in.Regime = regime
	}
	in.Source = "form"
	r, err := sv.createRequest(tx, ws, crm.System, 0, in)
	if err != nil {
		return err
	}
	if sv.Mail == nil {
		return nil // registered; the team verifies by other means
	}
	_, err = sv.sendVerification(tx, ws, crm.System, r)
	return err
}

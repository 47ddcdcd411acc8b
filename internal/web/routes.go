package web

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/web/api"
)

// routes is the whole HTTP surface of Tandem, in one place. Every route is
// registered through handle, so tests can enumerate them all (the
// tenant-isolation suite walks this list).
func (s *Server) routes() {
	u := s.ui
	// Operators.
	s.handle("GET /healthz", http.HandlerFunc(s.healthz))
	s.handle("GET /readyz", http.HandlerFunc(s.readyz))
	s.handle("GET /metrics", s.metricsHandler())
	s.handle("GET /api/docs", http.HandlerFunc(s.apiDocs))
	s.handle("GET /assets/", s.assets)

	// First run and sign-in.
	s.handle("GET /setup", http.HandlerFunc(u.SetupShow))
	s.handle("POST /setup", http.HandlerFunc(u.SetupSave))
	s.handle("GET /login", http.HandlerFunc(u.LoginShow))
	s.handle("POST /login", http.HandlerFunc(u.LoginSave))
	s.handle("GET /login/sso", http.HandlerFunc(u.SSOStart))
	s.handle("GET /login/sso/callback", http.HandlerFunc(u.SSOCallback))
	s.handle("GET /login/2fa", http.HandlerFunc(u.SecondFactorShow))
	s.handle("POST /login/2fa", http.HandlerFunc(u.SecondFactorSave))
	s.handle("POST /logout", http.HandlerFunc(u.Logout))
	s.handle("GET /forgot", http.HandlerFunc(u.ForgotShow))
	s.handle("POST /forgot", http.HandlerFunc(u.ForgotSave))
	s.handle("GET /reset", http.HandlerFunc(u.ResetShow))
	s.handle("POST /reset", http.HandlerFunc(u.ResetSave))
	s.handle("GET /invite", http.HandlerFunc(u.InviteShow))
	s.handle("POST /invite", http.HandlerFunc(u.InviteAccept))

	// The app.
	s.handle("GET /{$}", u.RequireUser(u.HomeShow))
	s.handle("GET /companies", u.RequireUser(u.CompanyList))
	s.handle("POST /companies", u.RequireUser(u.CompanyCreate))
	s.handle("GET /companies/pick", u.RequireUser(u.CompanyPick))
	s.handle("GET /contacts/pick", u.RequireUser(u.ContactPick))
	s.handle("GET /deals/pick", u.RequireUser(u.DealPick))
	s.handle("GET /companies/{id}", u.RequireUser(u.CompanyShow))
	s.handle("GET /companies/{id}/edit", u.RequireUser(u.CompanyFieldEdit))
	s.handle("POST /companies/{id}/edit", u.RequireUser(u.CompanyFieldSave))
	s.handle("GET /contacts/{id}", u.RequireUser(u.ContactShow))
	s.handle("GET /contacts/{id}/edit", u.RequireUser(u.ContactFieldEdit))
	s.handle("POST /contacts/{id}/edit", u.RequireUser(u.ContactFieldSave))
	s.handle("POST /contacts/{id}/past-companies", u.RequireUser(u.PastCompanyAdd))
	s.handle("POST /contacts/{id}/past-companies/{past}/delete", u.RequireUser(u.PastCompanyRemove))
	s.handle("GET /contacts", u.RequireUser(u.ContactList))
	s.handle("GET /contacts/export", u.RequireUser(u.ContactExport))
	s.handle("GET /companies/export", u.RequireUser(u.CompanyExport))
	s.handle("GET /deals/export", u.RequireUser(u.DealExport))
	s.handle("GET /import", u.RequireUser(u.ImportNew))
	s.handle("POST /import", u.RequireUser(u.ImportUpload))
	s.handle("GET /import/map/{token}", u.RequireUser(u.ImportMapShow))
	s.handle("POST /import/map/{token}", u.RequireUser(u.ImportStart))
	s.handle("GET /imports/{id}", u.RequireUser(u.ImportShow))
	s.handle("GET /imports/{id}/events", u.RequireUser(u.ImportEvents))
	s.handle("GET /imports/{id}/report", u.RequireUser(u.ImportReport))
	s.handle("POST /imports/{id}/cancel", u.RequireUser(u.ImportAction("cancel")))
	s.handle("POST /imports/{id}/resume", u.RequireUser(u.ImportAction("resume")))
	s.handle("POST /imports/{id}/undo", u.RequireUser(u.ImportAction("undo")))
	s.handle("POST /contacts", u.RequireUser(u.ContactCreate))
	s.handle("POST /contacts/bulk", u.RequireUser(u.ContactBulk))
	s.handle("POST /companies/bulk", u.RequireUser(u.CompanyBulk))
	s.handle("POST /views", u.RequireUser(u.ViewCreate))
	s.handle("POST /views/{id}", u.RequireUser(u.ViewUpdate))
	s.handle("POST /views/{id}/delete", u.RequireUser(u.ViewDelete))

	// Notes and merging on record pages.
	s.handle("POST /contacts/{id}/notes", u.RequireUser(u.NoteCreate("contact")))
	s.handle("POST /companies/{id}/notes", u.RequireUser(u.NoteCreate("company")))
	s.handle("POST /contacts/{id}/files", u.RequireUser(u.FileUpload("contact")))
	s.handle("POST /companies/{id}/files", u.RequireUser(u.FileUpload("company")))
	s.handle("GET /files/{id}", u.RequireUser(u.FileDownload))
	s.handle("GET /contacts/{id}/merge", u.RequireUser(u.MergeShow))
	s.handle("POST /contacts/{id}/merge", u.RequireUser(u.MergeSave))
	s.handle("GET /companies/{id}/merge", u.RequireUser(u.CompanyMergeShow))
	s.handle("POST /companies/{id}/merge", u.RequireUser(u.CompanyMergeSave))

	s.handle("GET /search", u.RequireUser(u.SearchShow))

	// Line items of a deal: a panel the deal page embeds (and a page of its own).
	s.handle("GET /deals/{id}/items", u.RequireUser(u.DealItemsShow))
	s.handle("POST /deals/{id}/items", u.RequireUser(u.DealItemAdd))
	s.handle("POST /deals/{id}/items/value", u.RequireUser(u.DealItemsValue))
	s.handle("POST /deals/{id}/items/{item}", u.RequireUser(u.DealItemSave))
	s.handle("POST /deals/{id}/items/{item}/delete", u.RequireUser(u.DealItemRemove))
	s.handle("POST /deals/{id}/items/{item}/move", u.RequireUser(u.DealItemMove))

	// Deals and the pipeline board.
	s.handle("GET /pipeline", u.RequireUser(u.BoardShow))
	s.handle("GET /pipeline/column", u.RequireUser(u.BoardColumn))
	s.handle("GET /deals", u.RequireUser(u.DealList))
	s.handle("POST /deals", u.RequireUser(u.DealCreate))
	s.handle("GET /deals/{id}", u.RequireUser(u.DealShow))
	s.handle("GET /deals/{id}/edit", u.RequireUser(u.DealFieldEdit))
	s.handle("POST /deals/{id}/edit", u.RequireUser(u.DealFieldSave))
	s.handle("POST /deals/{id}/move", u.RequireUser(u.DealMove))
	s.handle("POST /deals/{id}/won", u.RequireUser(u.DealWon))
	s.handle("POST /deals/{id}/lost", u.RequireUser(u.DealLost))
	s.handle("POST /deals/{id}/reopen", u.RequireUser(u.DealReopen))
	s.handle("POST /deals/{id}/undo", u.RequireUser(u.DealUndo))
	s.handle("GET /deals/{id}/contacts", u.RequireUser(u.DealContactsShow))
	s.handle("POST /deals/{id}/contacts", u.RequireUser(u.DealContactAdd))
	s.handle("POST /deals/{id}/contacts/{contact}", u.RequireUser(u.DealContactSave))
	s.handle("POST /deals/{id}/contacts/{contact}/delete", u.RequireUser(u.DealContactRemove))
	s.handle("POST /deals/{id}/contacts/{contact}/primary", u.RequireUser(u.DealContactPrimary))
	s.handle("GET /contacts/{id}/deals", u.RequireUser(u.DealsPanel("contact")))
	s.handle("GET /companies/{id}/deals", u.RequireUser(u.DealsPanel("company")))
	s.handle("GET /settings/pipelines", u.RequireUser(u.PipelinesSettings))
	s.handle("POST /settings/pipelines", u.RequireUser(u.PipelineCreate))
	s.handle("POST /settings/pipelines/{id}", u.RequireUser(u.PipelineRename))
	s.handle("POST /settings/pipelines/{id}/move", u.RequireUser(u.PipelineMove))
	s.handle("POST /settings/pipelines/{id}/delete", u.RequireUser(u.PipelineDelete))
	s.handle("POST /settings/pipelines/{id}/stages", u.RequireUser(u.StageCreate))
	s.handle("POST /settings/stages/{id}", u.RequireUser(u.StageSave))
	s.handle("POST /settings/stages/{id}/move", u.RequireUser(u.StageMove))
	s.handle("POST /settings/stages/{id}/delete", u.RequireUser(u.StageDelete))
	s.handle("POST /settings/lost-reasons", u.RequireUser(u.LostReasonCreate))
	s.handle("POST /settings/lost-reasons/{id}", u.RequireUser(u.LostReasonSave))

	// Activities, the calendar and notifications.
	s.handle("GET /my-day", u.RequireUser(u.MyDayShow))
	s.handle("GET /calendar", u.RequireUser(u.CalendarShow))
	s.handle("GET /calendar/{file}", http.HandlerFunc(u.CalendarFeed)) // the secret token is the key
	s.handle("POST /activities", u.RequireUser(u.ActivityCreate))
	s.handle("GET /activities/new", u.RequireUser(u.ActivityNew))
	s.handle("GET /activities/{id}", u.RequireUser(u.ActivityShow))
	s.handle("POST /activities/{id}", u.RequireUser(u.ActivityUpdate))
	s.handle("POST /activities/{id}/done", u.RequireUser(u.ActivityDone))
	s.handle("POST /activities/{id}/undone", u.RequireUser(u.ActivityUndone))
	s.handle("POST /activities/{id}/delete", u.RequireUser(u.ActivityDelete))
	s.handle("GET /contacts/{id}/activities", u.RequireUser(u.ActivityPanel("contact")))
	s.handle("GET /companies/{id}/activities", u.RequireUser(u.ActivityPanel("company")))
	s.handle("GET /deals/{id}/activities", u.RequireUser(u.ActivityPanel("deal")))
	s.handle("GET /notifications", u.RequireUser(u.NotificationList))
	s.handle("GET /notifications/count", u.RequireUser(u.NotificationCount))
	s.handle("POST /notifications/{id}/read", u.RequireUser(u.NotificationRead))
	s.handle("POST /notifications/read-all", u.RequireUser(u.NotificationReadAll))
	s.handle("GET /settings/calendar", u.RequireUser(u.CalendarSettings))
	s.handle("POST /settings/calendar/feed", u.RequireUser(u.FeedCreate))
	s.handle("POST /settings/calendar/feed/revoke", u.RequireUser(u.FeedRevoke))
	s.handle("POST /settings/calendar/zone", u.RequireUser(u.ZoneSave))
	s.handle("POST /settings/calendar/workspace-zone", u.RequireUser(u.WorkspaceZoneSave))

	// Workspaces of a user who belongs to several.
	s.handle("GET /workspaces", u.RequireUser(u.WorkspacesShow))
	s.handle("POST /workspaces/{id}/switch", u.RequireUser(u.WorkspaceSwitch))

	// Settings.
	s.handle("GET /settings", http.RedirectHandler("/settings/security", http.StatusSeeOther))
	s.handle("GET /settings/security", u.RequireUser(u.SettingsSecurity))
	s.handle("POST /settings/sessions/{id}/revoke", u.RequireUser(u.SessionRevoke))
	s.handle("POST /settings/sessions/revoke-others", u.RequireUser(u.SessionRevokeOthers))
	s.handle("GET /settings/fields", u.RequireUser(u.FieldList))
	s.handle("POST /settings/fields", u.RequireUser(u.FieldCreate))
	s.handle("POST /settings/fields/{id}", u.RequireUser(u.FieldUpdate))
	s.handle("POST /settings/fields/{id}/move", u.RequireUser(u.FieldMove))
	s.handle("POST /settings/fields/{id}/retire", u.RequireUser(u.FieldRetire))
	s.handle("GET /settings/products", u.RequireUser(u.ProductSettings))
	s.handle("POST /settings/products", u.RequireUser(u.ProductCreate))
	s.handle("POST /settings/products/{id}", u.RequireUser(u.ProductSave))
	s.handle("POST /settings/products/{id}/archive", u.RequireUser(u.ProductArchive))
	s.handle("GET /settings/api-keys", u.RequireUser(u.APIKeyList))
	s.handle("POST /settings/api-keys", u.RequireUser(u.APIKeyCreate))
	s.handle("POST /settings/api-keys/{id}/revoke", u.RequireUser(u.APIKeyRevoke))
	s.handle("POST /settings/password", u.RequireUser(u.PasswordChange))
	s.handle("POST /settings/2fa/start", u.RequireUser(u.TwoFactorStart))
	s.handle("POST /settings/2fa/confirm", u.RequireUser(u.TwoFactorConfirm))
	s.handle("POST /settings/2fa/disable", u.RequireUser(u.TwoFactorDisable))
	s.handle("POST /settings/2fa/require", u.RequireUser(u.TwoFactorRequire))
	s.handle("GET /settings/members", u.RequireUser(u.MembersShow))
	s.handle("GET /settings/outbox", u.RequireUser(u.OutboxShow))
	s.handle("POST /settings/visibility", u.RequireUser(u.VisibilitySave))
	s.handle("POST /settings/teams", u.RequireUser(u.TeamCreate))
	s.handle("POST /settings/teams/{id}/members", u.RequireUser(u.TeamAddMember))
	s.handle("POST /settings/invitations", u.RequireUser(u.InviteCreate))
	s.handle("POST /settings/invitations/{id}/revoke", u.RequireUser(u.InviteRevoke))
	s.handle("POST /settings/members/{id}/role", u.RequireUser(u.MemberRole))
	s.handle("POST /settings/members/{id}/deactivate", u.RequireUser(u.MemberDeactivate))
	s.handle("GET /settings/consent", u.RequireUser(u.ConsentSettingsShow))
	s.handle("POST /settings/consent", u.RequireUser(u.ConsentSettingsSave))
	s.handle("POST /settings/consent/suppressions", u.RequireUser(u.SuppressionSave))
	s.handle("POST /contacts/{id}/consent", u.RequireUser(u.ConsentRecord))

	// The public preference centre (signed link, no sign-in).
	s.handle("GET /preferences/{token}", http.HandlerFunc(u.PreferencesShow))
	s.handle("POST /preferences/{token}", http.HandlerFunc(u.PreferencesSave))

	// Privacy: contact export and erasure, Settings → Privacy, public pages.
	s.handle("POST /contacts/{id}/export", u.RequireUser(u.ContactDataExport))
	s.handle("GET /contacts/{id}/erase", u.RequireUser(u.ContactEraseShow))
	s.handle("POST /contacts/{id}/erase", u.RequireUser(u.ContactEraseSave))
	s.handle("POST /contacts/{id}/legal-hold", u.RequireUser(u.ContactHoldSave))
	s.handle("GET /settings/privacy", u.RequireUser(u.PrivacySettings))
	s.handle("POST /settings/privacy/regime", u.RequireUser(u.PrivacyRegimeSave))
	s.handle("POST /settings/privacy/form", u.RequireUser(u.PrivacyFormEnable))
	s.handle("POST /settings/privacy/retention/{kind}", u.RequireUser(u.PrivacyRetentionSave))
	s.handle("POST /settings/privacy/requests", u.RequireUser(u.PrivacyRequestCreate))
	s.handle("GET /settings/privacy/requests/{id}", u.RequireUser(u.PrivacyRequestShow))
	s.handle("POST /settings/privacy/requests/{id}/download", u.RequireUser(u.PrivacyRequestDownload))
	s.handle("POST /settings/privacy/requests/{id}/{step}", u.RequireUser(u.PrivacyRequestStep))
	s.handle("GET /settings/audit", u.RequireUser(u.AuditShow))
	s.handle("POST /settings/audit/export", u.RequireUser(u.AuditExport))
	s.handle("GET /privacy/{token}/request", http.HandlerFunc(u.PublicRequestShow))
	s.handle("POST /privacy/{token}/request", http.HandlerFunc(u.PublicRequestSave))
	s.handle("GET /privacy-verify/{token}", http.HandlerFunc(u.PublicVerifyShow))
	s.handle("POST /privacy-verify/{token}", http.HandlerFunc(u.PublicVerifySave))

	// Everything else: the branded 404 (problem+json for API clients).
	s.handle("/", http.HandlerFunc(u.NotFound))
}

func (s *Server) handle(pattern string, h http.Handler) {
	s.patterns = append(s.patterns, pattern)
	s.mux.Handle(pattern, h)
}

// Routes lists every registered route pattern, the JSON API's included.
func (s *Server) Routes() []string {
	out := append([]string(nil), s.patterns...)
	for path, item := range s.api.OpenAPI().Paths {
		for _, m := range []struct {
			method string
			op     *huma.Operation
		}{{"GET", item.Get}, {"POST", item.Post}, {"PUT", item.Put}, {"PATCH", item.Patch}, {"DELETE", item.Delete}} {
			if m.op != nil {
				out = append(out, m.method+" "+api.Prefix+path)
			}
		}
	}
	return out
}

package view

import (
	"github.com/tandemcrm/tandem/internal/crm"
)

// Flash is a one-time message shown after a redirect.
type Flash struct {
	Kind string // "ok" or "error"
	Text string
}

// Shell is what every signed-in page needs.
type Shell struct {
	Title   string
	Active  string // nav key: home, contacts, companies
	User    crm.Principal
	Flashes []Flash
	Asset   func(name string) string
}

// Errors maps field names to messages.
type Errors map[string]string

// SetupView is the first-run form.
type SetupView struct {
	Token      string
	Workspace  string
	Name       string
	Email      string
	Errors     Errors
	Message    string // a form-level problem
	BadToken   bool
	AlreadySet bool
}

// LoginView is the sign-in form.
type LoginView struct {
	SSOName string // set when single sign-on is configured
	Email   string
	Error   string
	Next    string
	Flashes []Flash
}

// HomeView is the dashboard.
type HomeView struct {
	Contacts, Companies, OpenDeals int
	RecentCompanies                []CompanyRow
	RecentContacts                 []ContactRow
}

// CompanyRow is one line of the companies table.
type CompanyRow struct {
	ID       string
	Name     string
	Domain   string
	Industry string
	Size     int
	Created  string
	New      bool
}

// CompanyForm is the create-company form with what was typed.
type CompanyForm struct {
	Name, Domain, Industry string
	Columns                string // the list's columns, for the new row
	Errors                 Errors
}

// CompaniesView is the companies list.
type CompaniesView struct {
	Rows []CompanyRow
	Next string // URL of the next page, "" on the last
	Form CompanyForm
}

// ContactRow is one line of the contacts table.
type ContactRow struct {
	ID        string
	Name      string
	Email     string
	CompanyID string
	Company   string
	Lifecycle string
	Created   string
	New       bool
}

// ContactForm is the create-contact form.
type ContactForm struct {
	FirstName, LastName, Email string
	CompanyID                  string // the chosen company, "" for none
	CompanyName                string // its name
	Columns                    string // the list's columns, for the new row
	Errors                     Errors
}

// Option is one choice of a <select>.
type Option struct {
	Value, Label string
}

// ContactsView is the contacts list.
type ContactsView struct {
	Rows []ContactRow
	Next string
	Form ContactForm
}

// TimelineEntry is one line of a record's history.
type TimelineEntry struct {
	When    string
	Who     string
	Action  string
	Summary string
}

// CompanyView is a company's record page.
type CompanyView struct {
	Company  CompanyRow
	Timeline []TimelineEntry
}

// SessionRow is one signed-in device in settings.
type SessionRow struct {
	ID, Device, IP, LastSeen, Created string
	Current                           bool
}

// SecurityView is the security settings page.
type SecurityView struct {
	Sessions   []SessionRow
	TwoFactor  bool // the user has a second factor
	Require2FA bool // the workspace demands one
	IsOwner    bool
	Errors     Errors
}

// APIKeyRow is one key in settings.
type APIKeyRow struct {
	ID, Name, Prefix, Role, Created, LastUsed, Expires, Status string
	Active                                                     bool
}

// APIKeysView is the API keys page. NewKey is set once, right after creation.
type APIKeysView struct {
	Keys   []APIKeyRow
	NewKey string
	Name   string
	Role   string
	Roles  []string
	Errors Errors
}

// Picker is a company picker (CompanyPicker): the form field's name, the
// chosen company's id and name ("" for none).
type Picker struct {
	ID, Name, Label string
	Value, Text     string
	Placeholder     string
	Autofocus       bool
}

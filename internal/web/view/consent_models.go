package view

import (
	"strconv"
	"strings"
)

// ConsentPanel is the consent section of a contact's page.
type ConsentPanel struct {
	ContactID     string
	Rows          []ConsentRow // one per purpose of the workspace
	History       []ConsentRow // the ledger, newest first
	Purposes      []Option
	Statuses      []string
	Bases         []string
	CanEdit       bool
	PreferenceURL string // the signed link to the person's preference centre
	Notices       []string
}

// ConsentRow is one purpose's state, or one ledger entry.
type ConsentRow struct {
	Purpose, Label, Status, Basis, Source, When, By, Evidence string
	RequiresConsent                                           bool
}

// ConsentSettingsView is Settings → Consent.
type ConsentSettingsView struct {
	CanEdit       bool
	Tracking      string
	AllowRecreate bool
	Purposes      []PurposeRow
	Errors        Errors
	Suppressions  []SuppressionRow
	SupKind       string
	SupValue      string
	SupErrors     Errors
}

// PurposeRow is one purpose in the settings form.
type PurposeRow struct {
	Key, Label      string
	RequiresConsent bool
}

// SuppressionRow is one entry of the suppression list: never its value.
type SuppressionRow struct{ Kind, Reason, When string }

// PreferencesView is the public preference centre.
type PreferencesView struct {
	Token     string
	Valid     bool // false: an unknown, altered or expired link
	Workspace string
	Greeting  string // the person's first name, or ""
	Rows      []ConsentRow
	Saved     bool
	Signal    string // "Sec-GPC" or "DNT" when the browser sent one
	Limited   bool   // too many requests
}

func itoa(n int) string { return strconv.Itoa(n) }

// humanWords turns a key like legitimate_interest into "legitimate interest".
func humanWords(s string) string { return strings.ReplaceAll(s, "_", " ") }

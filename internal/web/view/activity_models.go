package view

// ActivityRow is one activity in "my day", a record's panel or a list.
type ActivityRow struct {
	ID       string
	Type     string // task, call, …
	Title    string
	When     string // in the viewer's time zone
	Overdue  bool
	Done     bool
	Outcome  string
	Related  []Link // contacts, company, deal
	Owner    string // who it is assigned to, when not the viewer
	ShowDate bool
}

// ActivityBucket is one section of "my day".
type ActivityBucket struct {
	Key, Label string
	Rows       []ActivityRow
	Next       string // URL of the next page of this bucket, "" on the last
	Empty      string
}

// MyDayView is the "my day" page.
type MyDayView struct {
	Zone    string
	Buckets []ActivityBucket
	Form    ActivityForm
}

// ActivityForm creates or edits an activity.
type ActivityForm struct {
	ID           string // "" when creating
	Version      string
	Type         string
	Title        string
	Date, Time   string // in the user's zone: 2026-12-03, 15:00
	AllDay       bool
	Duration     string
	RemindBefore string // minutes, "-1" none
	Location     string
	Notes        string
	Outcome      string
	Done         bool
	OwnerID      string
	Owners       []Option // who it may be assigned to; none: only the user
	Contacts     []Option // linked contacts: id and name
	CompanyID    string
	CompanyName  string
	DealID       string
	DealTitle    string
	Back         string // where to go after saving
	Zone         string
	Errors       Errors
	Quick        bool // the short form (my day, record panels)
}

// ActivityPanelView is the activities panel on a contact, company or deal page.
type ActivityPanelView struct {
	Object, ID string // contact, company, deal
	Rows       []ActivityRow
	Form       ActivityForm
}

// CalendarDay is one day cell of the calendar.
type CalendarDay struct {
	Date     string // 2026-12-03
	Label    string // "3" or "Thu 3"
	Today    bool
	InMonth  bool
	Items    []CalendarItem
	AddURL   string
	WeekURL  string // the week of this day (month view's "more")
	MoreThan int    // items not shown (month view)
}

// CalendarItem is an activity on the calendar.
type CalendarItem struct {
	ID, Title, Time, Type string
	About                 string // its contacts, company and deal, for the tooltip
	Done                  bool
}

// CalendarView is the week or month calendar.
type CalendarView struct {
	Mode       string // week, month
	Title      string // "Dec 1 – 7, 2026" or "December 2026"
	Prev, Next string
	Today      string
	WeekURL    string
	MonthURL   string
	Weeks      [][]CalendarDay
	Zone       string
	Weekdays   []string
	Empty      bool   // nothing in the whole span
	NewURL     string // the full form for a new activity
}

// NotificationRow is one notification.
type NotificationRow struct {
	ID, Title, Body, URL, When string
	Unread                     bool
}

// NotificationsView is the notification centre.
type NotificationsView struct {
	Rows   []NotificationRow
	Unread int
	Next   string
}

// CalendarSettingsView is the calendar feed and time zone settings.
type CalendarSettingsView struct {
	Active   bool
	Created  string
	LastUsed string
	NewURL   string // shown once, right after it was made
	Zone     string // the user's own zone, "" for the workspace's
	Zones    []string
	WSZone   string
	IsAdmin  bool // may set the workspace's zone
	Errors   Errors
}

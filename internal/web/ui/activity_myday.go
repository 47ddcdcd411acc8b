package ui

import (
	"net/http"
	"net/url"
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// myDayPage is how many activities each bucket shows before "More".
const myDayPage = 50

var bucketLabels = map[activities.Bucket][2]string{
	activities.Overdue:  {"Overdue", "Nothing overdue."},
	activities.Today:    {"Today", "Nothing more today."},
	activities.Upcoming: {"Upcoming", "Nothing planned yet."},
}

// MyDayShow lists the user's overdue, today's and upcoming activities, in
// their time zone. ?overdue=<cursor> (likewise today, upcoming) pages one
// bucket.
func (h *Handlers) MyDayShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var v view.MyDayView
	err := h.read(r.Context(), func(tx *store.Tx) error {
		loc, err := zone(tx, p)
		if err != nil {
			return err
		}
		d := activities.Day{Now: tx.Now, Loc: loc}
		v.Zone = loc.String()
		if v.Form, err = newActivityForm(tx, p, loc, "/my-day"); err != nil {
			return err
		}
		v.Form.Date = r.URL.Query().Get("date")
		if _, err := time.Parse("2006-01-02", v.Form.Date); err != nil {
			v.Form.Date = tx.Now.In(loc).Format("2006-01-02")
		}
		cursors := map[activities.Bucket]string{}
		for _, b := range activities.Buckets {
			cursors[b] = r.URL.Query().Get(string(b))
		}
		pages, err := activities.MyDayAll(tx, p, d, cursors, myDayPage)
		if err != nil {
			return err
		}
		for i, b := range activities.Buckets {
			page := pages[i]
			lb := bucketLabels[b]
			vb := view.ActivityBucket{Key: string(b), Label: lb[0], Empty: lb[1]}
			for _, a := range page.Items {
				vb.Rows = append(vb.Rows, activityRow(a, d, p.UserID))
			}
			if page.Next != "" {
				vb.Next = "/my-day?" + url.Values{string(b): {page.Next}}.Encode() + "#bucket-" + string(b)
			}
			v.Buckets = append(v.Buckets, vb)
		}
		return nil
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.MyDayPage(h.shell(w, r, "My day", "my-day"), v))
}

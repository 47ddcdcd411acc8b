package view

import (
	"net/url"
	"strings"
)

// ExportURL downloads this contacts list as CSV: its filter, its sort (the
// list's default when none is chosen) and the columns it shows.
func (v ListView) ExportURL() string {
	q := url.Values{}
	if v.Filter != "" {
		q.Set("filter", v.Filter)
	}
	sort := v.Sort
	if sort == "" {
		sort = "-created_at"
	}
	q.Set("sort", sort)
	keys := make([]string, 0, len(v.Columns))
	for _, c := range v.Columns {
		keys = append(keys, c.Key)
	}
	q.Set("columns", strings.Join(keys, ","))
	return v.Path + "/export?" + q.Encode()
}

// ExportURL is the deals list as a file: its filter and sort.
func (v DealListView) ExportURL() string {
	q := url.Values{}
	if v.Filter != "" {
		q.Set("filter", v.Filter)
	}
	q.Set("sort", v.Sort)
	return "/deals/export?" + q.Encode()
}

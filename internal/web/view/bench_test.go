package view_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// BenchmarkListPage renders the contacts list page with 50 rows of eight
// columns, as a salesperson's default view shows it (no database).
func BenchmarkListPage(b *testing.B) {
	v := view.ListView{Object: "contact", Path: "/contacts", Nouns: "contacts", Sort: "-created_at", Total: "1,000+ contacts",
		Page: 1, NextURL: "/contacts?cursor=x", Self: "/contacts", CanWrite: true, Form: view.ContactForm{}}
	for _, c := range []string{"Name", "Email", "Phone", "Company", "Lifecycle", "Owner", "Tags", "Created"} {
		v.Columns = append(v.Columns, view.ListColumn{Key: c, Label: c, SortURL: "/contacts?sort=" + c})
		v.Choices = append(v.Choices, view.ColumnChoice{Key: c, Label: c, On: true})
	}
	for i := range 50 {
		id := fmt.Sprint(400000000000000000 + i)
		v.Rows = append(v.Rows, view.ListRow{Object: "contact", ID: id, URL: "/contacts/" + id, Cells: []view.Cell{
			{Text: fmt.Sprintf("Person %d Lastname", i), URL: "/contacts/" + id}, {Text: fmt.Sprintf("p%d@example.com", i)},
			{Text: "+44 20 7946 0000"}, {Text: "Acme Ltd", URL: "/companies/1"}, {Text: "lead", Badge: true},
			{Text: "Nora Owner"}, {Tags: []string{"vip", "q3"}}, {Text: "Nov 30, 2026", Muted: true},
		}})
	}
	s := view.Shell{Title: "Contacts", Active: "contacts", User: crm.Principal{UserID: 1, WorkspaceID: 2, Role: crm.RoleOwner},
		Asset: func(n string) string { return "/assets/" + n }}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := view.ListPage(s, v).Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

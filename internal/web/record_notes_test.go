package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

func TestNotesAndMergeOnRecordPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
		var token string
		db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
		b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"Dup Co"}, "name": {"Dee"}, "email": {"dee@dup.test"}, "password": {"a long enough phrase"}})
		b.do("POST", "/contacts", url.Values{"first_name": {"Ada"}, "last_name": {"King"}, "email": {"ada@dup.test"}})
		b.do("POST", "/contacts", url.Values{"first_name": {"Ada"}, "last_name": {"King"}, "email": {"ada.k@other.test"}})
		var ids []string
		for _, m := range regexp.MustCompile(`/contacts/(\d+)"`).FindAllStringSubmatch(b.do("GET", "/contacts", nil).Body.String(), -1) {
			if len(ids) == 0 || ids[len(ids)-1] != m[1] {
				ids = append(ids, m[1])
			}
		}
		if len(ids) != 2 {
			t.Fatalf("contact links: %v", ids)
		}
		first, second := ids[0], ids[1]
		if rec := b.do("POST", "/contacts/"+first+"/notes", url.Values{"body": {"Met at **expo**, ask @dee@dup.test <script>x</script>"}}); rec.Code != 303 {
			t.Fatalf("note: %d", rec.Code)
		}
		page := b.do("GET", "/contacts/"+first, nil).Body.String()
		if !strings.Contains(page, "<strong>expo</strong>") || !strings.Contains(page, `<span class="mention">@Dee</span>`) || strings.Contains(page, "<script>x") {
			t.Fatal("record page lacks the sanitised note")
		}
		if !strings.Contains(page, "/contacts/"+first+"/merge?from="+second) || !strings.Contains(page, "same name") {
			i := strings.Index(page, "record-notes")
			t.Fatalf("record page lacks the possible duplicate:\n%.1500s", page[max(i, 0):])
		}
		merge := b.do("GET", "/contacts/"+first+"/merge?from="+second, nil)
		if merge.Code != 200 || !strings.Contains(merge.Body.String(), `Merge <a href="/contacts/`+second+`">Ada King</a> into Ada King`) || !strings.Contains(merge.Body.String(), "of both are kept") {
			t.Fatalf("merge screen: %d\n%.2000s", merge.Code, merge.Body.String())
		}
		if rec := b.do("POST", "/contacts/"+first+"/merge", url.Values{"from": {second}}); rec.Code != 303 {
			t.Fatalf("merge: %d", rec.Code)
		}
		if rec := b.do("GET", "/contacts/"+second, nil); rec.Code != 404 {
			t.Fatalf("merged-away contact: %d", rec.Code)
		}
		if page := b.do("GET", "/contacts/"+first, nil).Body.String(); !strings.Contains(page, "ada.k@other.test") {
			t.Fatal("the other email did not move over")
		}
	})
}

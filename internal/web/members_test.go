package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/sysmail"
	"github.com/tandemcrm/tandem/internal/web"
)

func TestInviteAcceptAndManage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		owner := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
		var token string
		db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
		owner.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"Invite Co"}, "name": {"Owen"},
			"email": {"owen@invite.test"}, "password": {"a long enough phrase"}})

		if rec := owner.do("POST", "/settings/invitations", url.Values{"email": {"bad"}, "role": {"member"}}); rec.Code != 422 {
			t.Fatalf("bad invite: %d", rec.Code)
		}
		rec := owner.do("POST", "/settings/invitations", url.Values{"email": {"Nina@Invite.test"}, "role": {"manager"}})
		if rec.Code != 201 || !strings.Contains(rec.Body.String(), "nina@invite.test") {
			t.Fatalf("invite: %d", rec.Code)
		}
		var mails []sysmail.Item
		var ws int64
		db.Read(context.Background(), func(tx *store.Tx) error {
			if err := tx.QueryRow(`SELECT id FROM workspaces`).Scan(&ws); err != nil {
				return err
			}
			var err error
			mails, err = sysmail.List(tx, 0, 10)
			if len(mails) == 0 {
				rows, _ := tx.Query(`SELECT recipient, text_body FROM outbox WHERE workspace_id = ?`, ws)
				defer rows.Close()
				for rows.Next() {
					var m sysmail.Item
					rows.Scan(&m.To, &m.Text)
					mails = append(mails, m)
				}
			}
			return err
		})
		if len(mails) != 1 || mails[0].To != "nina@invite.test" {
			t.Fatalf("invitation mail: %+v", mails)
		}
		link := regexp.MustCompile(`/invite\?token=[A-Za-z0-9_-]+`).FindString(mails[0].Text)
		nina := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
		if rec := nina.do("GET", link, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Join Invite Co") {
			t.Fatalf("accept page: %d", rec.Code)
		}
		tok := strings.TrimPrefix(link, "/invite?token=")
		if rec := nina.do("POST", "/invite", url.Values{"token": {tok}, "name": {"Nina"}, "password": {"short"}}); rec.Code != 422 {
			t.Fatalf("weak password on accept: %d", rec.Code)
		}
		if rec := nina.do("POST", "/invite", url.Values{"token": {tok}, "name": {"Nina"}, "password": {"a long enough phrase"}}); rec.Code != 303 {
			t.Fatalf("accept: %d", rec.Code)
		}
		if rec := nina.do("GET", "/", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Welcome aboard") {
			t.Fatalf("nina's home: %d", rec.Code)
		}
		// A manager cannot change roles.
		page := owner.do("GET", "/settings/members", nil).Body.String()
		ids := regexp.MustCompile(`/settings/members/(\d+)/role`).FindAllStringSubmatch(page, -1)
		if len(ids) != 1 {
			t.Fatalf("role forms: %v", ids)
		}
		ninaID := ids[0][1]
		if rec := nina.do("POST", "/settings/members/"+ninaID+"/role", url.Values{"role": {"admin"}}); rec.Code != 403 {
			t.Fatalf("manager changed a role: %d", rec.Code)
		}
		if rec := owner.do("POST", "/settings/members/"+ninaID+"/role", url.Values{"role": {"member"}}); rec.Code != 303 {
			t.Fatalf("owner changed a role: %d", rec.Code)
		}
		ownerID := regexp.MustCompile(`option value="(\d+)">records to Owen`).FindStringSubmatch(page)
		if ownerID == nil {
			t.Fatal("no reassign option")
		}
		if rec := owner.do("POST", "/settings/members/"+ninaID+"/deactivate", url.Values{"reassign_to": {ownerID[1]}}); rec.Code != 303 {
			t.Fatalf("deactivate: %d", rec.Code)
		}
		if rec := nina.do("GET", "/", nil); rec.Code != 303 {
			t.Fatalf("deactivated member still in: %d", rec.Code)
		}
	})
}

func TestOutboxForOwnersOnly(t *testing.T) {
	db := testdb.New(t)
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
	b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
	var token string
	db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
	b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"Mail Co"}, "name": {"Mo"},
		"email": {"mo@mail.test"}, "password": {"a long enough phrase"}})
	b.do("POST", "/settings/invitations", url.Values{"email": {"pat@mail.test"}, "role": {"readonly"}})
	rec := b.do("GET", "/settings/outbox", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "invited you to Mail Co") || !strings.Contains(rec.Body.String(), "no SMTP configured") {
		t.Fatalf("outbox: %d", rec.Code)
	}
	link := regexp.MustCompile(`/invite\?token=[A-Za-z0-9_-]+`).FindString(rec.Body.String())
	pat := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
	pat.do("POST", "/invite", url.Values{"token": {strings.TrimPrefix(link, "/invite?token=")}, "name": {"Pat"}, "password": {"a long enough phrase"}})
	if rec := pat.do("GET", "/settings/outbox", nil); rec.Code != 403 {
		t.Fatalf("read-only user read the outbox: %d", rec.Code)
	}
}

func TestSwitchWorkspace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
		var token string
		db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
		b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"First Co"}, "name": {"Flo"},
			"email": {"flo@first.test"}, "password": {"a long enough phrase"}})
		var second, third string
		db.Write(context.Background(), func(tx *store.Tx) error {
			var uid int64
			tx.QueryRow(`SELECT id FROM users WHERE email = 'flo@first.test'`).Scan(&uid)
			w2, _ := account.CreateWorkspace(tx, "Second Co", crm.System)
			w3, _ := account.CreateWorkspace(tx, "Not Mine", crm.System)
			second, third = w2.ID.String(), w3.ID.String()
			return account.AddMember(tx, w2.ID, crm.ID(uid), crm.RoleMember, crm.System)
		})
		page := b.do("GET", "/workspaces", nil).Body.String()
		if !strings.Contains(page, "Second Co") || strings.Contains(page, "Not Mine") {
			t.Fatalf("workspaces page: %.300s", page)
		}
		if rec := b.do("POST", "/workspaces/"+third+"/switch", url.Values{}); rec.Code != 404 {
			t.Fatalf("switch to a workspace not mine: %d", rec.Code)
		}
		if rec := b.do("POST", "/workspaces/"+second+"/switch", url.Values{}); rec.Code != 303 {
			t.Fatalf("switch: %d", rec.Code)
		}
		if home := b.do("GET", "/", nil).Body.String(); !strings.Contains(home, "Second Co") {
			t.Fatal("home does not show the new workspace")
		}
	})
}

func TestTeamsAndVisibilityUI(t *testing.T) {
	db := testdb.New(t)
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
	b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
	var token string
	db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
	b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"T Co"}, "name": {"Tia"}, "email": {"tia@t.test"}, "password": {"a long enough phrase"}})
	if rec := b.do("POST", "/settings/teams", url.Values{"name": {"EMEA sales"}, "manager_id": {"0"}}); rec.Code != 303 {
		t.Fatalf("create team: %d", rec.Code)
	}
	if rec := b.do("POST", "/settings/visibility", url.Values{"visibility": {"team"}}); rec.Code != 303 {
		t.Fatalf("visibility: %d", rec.Code)
	}
	if rec := b.do("POST", "/settings/visibility", url.Values{"visibility": {"everyone"}}); rec.Code != 303 {
		t.Fatalf("bad visibility: %d", rec.Code)
	}
	page := b.do("GET", "/settings/members", nil).Body.String()
	if !strings.Contains(page, "EMEA sales") || !strings.Contains(page, `<option value="team" selected>`) || !strings.Contains(page, "Choose own, team or all") {
		t.Fatalf("members page lacks team, rule or error flash")
	}
}

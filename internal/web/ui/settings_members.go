package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/sysmail"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// MembersShow lists the workspace's members and invitations.
func (h *Handlers) MembersShow(w http.ResponseWriter, r *http.Request) {
	h.renderMembers(w, r, http.StatusOK, view.MembersView{})
}

func (h *Handlers) renderMembers(w http.ResponseWriter, r *http.Request, status int, v view.MembersView) {
	p := principal(r)
	var ms []account.Member
	var invs []account.Invitation
	var teams []account.Team
	var vis account.Visibility
	err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		if ms, err = account.ListMembers(tx, p.WorkspaceID); err != nil {
			return err
		}
		if teams, err = account.ListTeams(tx, p.WorkspaceID); err != nil {
			return err
		}
		if vis, err = account.MemberVisibility(tx, p.WorkspaceID); err != nil {
			return err
		}
		invs, err = account.ListInvitations(tx, p.WorkspaceID)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	for _, m := range ms {
		v.Members = append(v.Members, view.MemberRow{ID: m.UserID.String(), Name: m.Name, Email: m.Email, Role: string(m.Role),
			Joined: m.JoinedAt.Format("Jan 2, 2006"), Active: m.DeactivatedAt.IsZero(), TwoFactor: m.TwoFactor, IsYou: m.UserID == p.UserID})
	}
	names := map[crm.ID]string{}
	for _, m := range ms {
		names[m.UserID] = m.Name
	}
	v.Visibility = string(vis)
	for _, t := range teams {
		row := view.TeamRow{ID: t.ID.String(), Name: t.Name, Manager: names[t.ManagerID]}
		for i, u := range t.Members {
			if i > 0 {
				row.Members += ", "
			}
			row.Members += names[u]
		}
		v.Teams = append(v.Teams, row)
	}
	now := h.DB.Now()
	for _, i := range invs {
		row := view.InviteRow{ID: i.ID.String(), Email: i.Email, Role: string(i.Role), Sent: i.CreatedAt.Format("Jan 2, 15:04"),
			Pending: i.Pending(now), Status: "pending"}
		switch {
		case !i.AcceptedAt.IsZero():
			row.Status = "accepted"
		case !i.RevokedAt.IsZero():
			row.Status = "withdrawn"
		case !now.Before(i.ExpiresAt):
			row.Status = "expired"
		}
		v.Invitations = append(v.Invitations, row)
	}
	v.CanManage, v.CanInvite = p.Role.Rank() >= crm.RoleAdmin.Rank(), p.Role.Rank() >= crm.RoleManager.Rank()
	for _, role := range crm.Roles {
		if role.Rank() <= p.Role.Rank() {
			v.Roles = append(v.Roles, string(role))
		}
	}
	if v.Role == "" {
		v.Role = string(crm.RoleMember)
	}
	h.render(w, r, status, view.MembersPage(h.shell(w, r, "Settings", "settings"), v))
}

// InviteCreate invites someone by email and mails them the link.
func (h *Handlers) InviteCreate(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	email, role := form(r, "email"), crm.Role(form(r, "role"))
	var link string
	err := h.write(r.Context(), func(tx *store.Tx) error {
		inv, token, err := account.Invite(tx, p, email, role)
		if err != nil {
			return err
		}
		link = h.BaseURL + "/invite?token=" + token
		_, err = sysmail.Queue(tx, h.queue(), sysmail.Message{WorkspaceID: p.WorkspaceID, To: inv.Email,
			Subject: p.Name + " invited you to " + p.Workspace + " on Tandem",
			Text: p.Name + " invited you to join " + p.Workspace + " on Tandem as " + string(inv.Role) + ".\n\n" +
				"Accept within a week:\n\n" + link + "\n\nIf you did not expect this, ignore this message.\n"},
			"invite:"+inv.ID.String())
		return err
	})
	if crm.ErrorCode(err) == crm.Invalid {
		h.renderMembers(w, r, http.StatusUnprocessableEntity, view.MembersView{Email: email, Role: string(role), Errors: crm.ErrorFields(err)})
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Invitation sent to "+email+".")
	h.renderMembers(w, r, http.StatusCreated, view.MembersView{Link: link})
}

// InviteRevoke withdraws a pending invitation.
func (h *Handlers) InviteRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := crm.ParseID(r.PathValue("id"))
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error { return account.RevokeInvitation(tx, principal(r), id) })
	}
	h.afterMemberChange(w, r, err, "The invitation is withdrawn.")
}

// MemberRole changes a member's role.
func (h *Handlers) MemberRole(w http.ResponseWriter, r *http.Request) {
	id, err := crm.ParseID(r.PathValue("id"))
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error {
			return account.ChangeRole(tx, principal(r), id, crm.Role(form(r, "role")))
		})
	}
	h.afterMemberChange(w, r, err, "Role changed.")
}

// MemberDeactivate removes a member's access and hands over their records.
func (h *Handlers) MemberDeactivate(w http.ResponseWriter, r *http.Request) {
	id, err := crm.ParseID(r.PathValue("id"))
	to, _ := crm.ParseID(form(r, "reassign_to")) // 0 is refused by Deactivate, after the member is found
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error {
			_, err := account.Deactivate(tx, principal(r), id, to)
			return err
		})
	}
	h.afterMemberChange(w, r, err, "Member deactivated; their records have a new owner.")
}

func (h *Handlers) afterMemberChange(w http.ResponseWriter, r *http.Request, err error, ok string) {
	switch crm.ErrorCode(err) {
	case "":
		h.flash(w, "ok", ok)
	case crm.Invalid:
		msg := crm.ErrorMessage(err)
		for _, m := range crm.ErrorFields(err) {
			msg = m
		}
		h.flash(w, "error", msg)
	default:
		h.Errs.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/members", http.StatusSeeOther)
}

// VisibilitySave sets what members see.
func (h *Handlers) VisibilitySave(w http.ResponseWriter, r *http.Request) {
	err := h.write(r.Context(), func(tx *store.Tx) error {
		return account.SetMemberVisibility(tx, principal(r), account.Visibility(form(r, "visibility")))
	})
	h.afterMemberChange(w, r, err, "Record visibility saved.")
}

// TeamCreate makes a team.
func (h *Handlers) TeamCreate(w http.ResponseWriter, r *http.Request) {
	manager, _ := crm.ParseID(form(r, "manager_id"))
	err := h.write(r.Context(), func(tx *store.Tx) error {
		_, err := account.CreateTeam(tx, principal(r), form(r, "name"), manager)
		return err
	})
	h.afterMemberChange(w, r, err, "Team created.")
}

// TeamAddMember puts a member in a team.
func (h *Handlers) TeamAddMember(w http.ResponseWriter, r *http.Request) {
	team, err := crm.ParseID(r.PathValue("id"))
	user, _ := crm.ParseID(form(r, "user_id"))
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error { return account.AddToTeam(tx, principal(r), team, user) })
	}
	h.afterMemberChange(w, r, err, "Added to the team.")
}

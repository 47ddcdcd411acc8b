package importer

import (
	"encoding/json"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// Undo implements Kind: the contacts (and companies) the import created
// go to the trash; the contacts it updated get their before-images back.
func (Contacts) Undo(tx *store.Tx, r *Run) (UndoResult, error) {
	var res UndoResult
	for _, t := range []struct{ table, object string }{{"contacts", "contact"}, {"companies", "company"}} {
		n, err := trashCreated(tx, r, t.table, t.object)
		if err != nil {
			return res, err
		}
		if t.object == "contact" {
			res.Removed += int(n)
		}
	}
	return res, restoreAll(tx, r, &res)
}

// Undo implements Kind.
func (Companies) Undo(tx *store.Tx, r *Run) (UndoResult, error) {
	var res UndoResult
	n, err := trashCreated(tx, r, "companies", "company")
	res.Removed = int(n)
	if err != nil {
		return res, err
	}
	return res, restoreAll(tx, r, &res)
}

// trashCreated moves every live record of table that import r created to
// the trash, and removes their search documents, set-based.
func trashCreated(tx *store.Tx, r *Run, table, object string) (int64, error) {
	ws, now := r.WorkspaceID, store.Micros(r.Now)
	if _, err := search.Delete(tx, `workspace_id = ? AND object_type = ? AND object_id IN (SELECT id FROM `+table+
		` WHERE workspace_id = ? AND import_id = ? AND deleted_at IS NULL)`, ws, object, ws, r.ID); err != nil {
		return 0, errf("undo: search index: %w", err)
	}
	n, err := tx.Exec(`UPDATE `+table+` SET deleted_at = ?, updated_at = ?, version = version + 1
		WHERE workspace_id = ? AND import_id = ? AND deleted_at IS NULL`, now, now, ws, r.ID)
	if err != nil {
		return 0, errf("undo: remove %s: %w", table, err)
	}
	return n, nil
}

// restoreAll puts back the before-images of the records r updated, each
// only if its version is still the one the import left (a record someone
// changed since is left alone and counted).
func restoreAll(tx *store.Tx, r *Run, res *UndoResult) error {
	rows, err := tx.Query(`SELECT object_type, object_id, before, after_version FROM import_before
		WHERE workspace_id = ? AND import_id = ? ORDER BY object_type, object_id`, r.WorkspaceID, r.ID)
	if err != nil {
		return errf("undo: %w", err)
	}
	type image struct {
		object  string
		id      crm.ID
		before  string
		version int64
	}
	var images []image
	for rows.Next() {
		var im image
		if err := rows.Scan(&im.object, &im.id, &im.before, &im.version); err != nil {
			rows.Close()
			return err
		}
		images = append(images, im)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, im := range images {
		var ok bool
		var err error
		switch im.object {
		case "contact":
			ok, err = restoreContact(tx, r, im.before, im.version)
		case "company":
			ok, err = restoreCompany(tx, r, im.before, im.version)
		case "deal":
			ok, err = restoreDeal(tx, r, im.before, im.version)
		case "product":
			ok, err = restoreProduct(tx, r, im.before, im.version)
		case "activity":
			ok, err = restoreActivity(tx, r, im.before, im.version)
		}
		if err != nil {
			return err
		}
		if ok {
			res.Restored++
		} else {
			res.LeftAlone++
		}
	}
	return nil
}

func restoreContact(tx *store.Tx, r *Run, before string, version int64) (bool, error) {
	var c contactRow
	if err := json.Unmarshal([]byte(before), &c); err != nil {
		return false, errf("undo: before-image: %w", err)
	}
	cur, err := scanContact(tx.QueryRow(contactSelect+` WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, r.WorkspaceID, c.ID))
	if err == store.ErrNoRows || (err == nil && cur.Version != version) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	// Before-images from before imports wrote addresses, time zones and
	// links have none: those are left as they are.
	if !strings.Contains(before, `"time_zone"`) {
		c.Address, c.TimeZone, c.Links = cur.Address, cur.TimeZone, cur.Links
	}
	email, phone := c.email(), c.phone()
	_, err = tx.Exec(`UPDATE contacts SET first_name = ?, last_name = ?, email = ?, emails = ?, phone = ?, phone_digits = ?, phones = ?,
		title = ?, company_id = ?, owner_id = ?, lifecycle = ?, source = ?, tags = ?, custom = ?, external_id = ?, street = ?, city = ?,
		state = ?, postal_code = ?, country = ?, time_zone = ?, links = ?, updated_by = ?,
		updated_at = ?, version = version + 1 WHERE workspace_id = ? AND id = ? AND version = ?`,
		c.First, c.Last, email, jsonText(c.Emails), phone, crm.Digits(phone), jsonText(c.Phones), c.Title, c.CompanyID, c.Owner,
		c.Lifecycle, c.Source, jsonText(c.Tags), jsonText(c.Custom), c.ExternalID, c.Street, c.City, c.State, c.PostalCode, c.Country,
		c.TimeZone, linksText(c.Links), r.Principal.UserID, store.Micros(r.Now),
		r.WorkspaceID, c.ID, version)
	if err != nil {
		return false, errf("undo: restore contact %d: %w", c.ID, err)
	}
	if err := search.Index(tx, r.WorkspaceID, "contact", c.ID, strings.TrimSpace(c.First+" "+c.Last),
		search.ContactDoc(records.EmailsOf(c.Emails), records.PhonesOf(c.Phones), c.Title)); err != nil {
		return false, err
	}
	c.Version = cur.Version
	return true, tx.Emit(crm.Event{WorkspaceID: r.WorkspaceID, Actor: r.Principal.Actor(), ObjectType: "contact", ObjectID: c.ID,
		Action: crm.Updated, Changes: diffRows(cur, c)})
}

func restoreCompany(tx *store.Tx, r *Run, before string, version int64) (bool, error) {
	var c companyRow
	if err := json.Unmarshal([]byte(before), &c); err != nil {
		return false, errf("undo: before-image: %w", err)
	}
	cur, err := scanCompany(tx.QueryRow(companySelect+` WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, r.WorkspaceID, c.ID))
	if err == store.ErrNoRows || (err == nil && cur.Version != version) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	// Before-images from before imports wrote addresses have none: the
	// address is left as it is.
	if !strings.Contains(before, `"postal_code"`) {
		c.Address = cur.Address
	}
	if !strings.Contains(before, `"parent_id"`) { // likewise the parent
		c.Parent = cur.Parent
	}
	_, err = tx.Exec(`UPDATE companies SET name = ?, domain = ?, industry = ?, size = ?, phone = ?, street = ?, city = ?, state = ?,
		postal_code = ?, country = ?, owner_id = ?, parent_id = ?, tags = ?, custom = ?,
		external_id = ?, updated_by = ?, updated_at = ?, version = version + 1 WHERE workspace_id = ? AND id = ? AND version = ?`,
		c.Name, c.Domain, c.Industry, c.Size, c.Phone, c.Street, c.City, c.State, c.PostalCode, c.Country, c.Owner, c.Parent,
		jsonText(c.Tags), jsonText(c.Custom), c.ExternalID, r.Principal.UserID, store.Micros(r.Now), r.WorkspaceID, c.ID, version)
	if err != nil {
		return false, errf("undo: restore company %d: %w", c.ID, err)
	}
	// Before-images from before other domains were imported have none:
	// then the domains are left as they are.
	if c.Domains != nil || strings.Contains(before, `"domains"`) {
		if err := writeDomains(tx, r.WorkspaceID, c); err != nil {
			return false, err
		}
	}
	if err := search.Index(tx, r.WorkspaceID, "company", c.ID, c.Name,
		search.CompanyDoc(append([]string{c.Domain}, c.Domains...), c.Industry, c.Phone)); err != nil {
		return false, err
	}
	c.Version = cur.Version
	return true, tx.Emit(crm.Event{WorkspaceID: r.WorkspaceID, Actor: r.Principal.Actor(), ObjectType: "company", ObjectID: c.ID,
		Action: crm.Updated, Changes: diffRows(cur, c)})
}

package consent

import "github.com/tandemcrm/tandem/internal/filter"

// FilterRelation lets the contact filter language say
// consent.<purpose> = granted (withdrawn, denied; "is empty" for nothing
// recorded). It compiles to an EXISTS subquery on consent_current, scoped to
// the contact's workspace: one row per contact and purpose, so
// "consent.sms != granted" means "no granted SMS consent". Keys that are not
// plain purpose keys are skipped: they reach SQL text.
func FilterRelation(purposes []string) filter.Relation {
	var fields []filter.Field
	for _, k := range purposes {
		if !purposeKey.MatchString(k) {
			continue
		}
		fields = append(fields, filter.Field{Name: k, Type: filter.Enum, Values: Statuses,
			SQL: "CASE WHEN {t}.purpose = '" + k + "' THEN {t}.status ELSE '' END"})
	}
	return filter.Relation{Name: "consent", LocalKey: "id", RemoteKey: "contact_id",
		Target: &filter.Schema{Object: "consent", Table: "consent_current", Fields: fields}}
}

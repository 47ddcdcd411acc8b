package filter

// Schemas shaped like the real contacts, companies and deals tables, for
// tests and as examples of how objects declare themselves.

var companySchema = &Schema{
	Object: "company",
	Table:  "companies",
	Fields: []Field{
		{Name: "name", Type: Text, Column: "name"},
		{Name: "domain", Type: Text, Column: "domain"},
		{Name: "industry", Type: Text, Column: "industry"},
		{Name: "size", Type: Number, Column: "size"},
		{Name: "owner", Type: User, Column: "owner_id"},
		{Name: "created_at", Type: DateTime, Column: "created_at"},
	},
	Custom: []Field{{Name: "tier", Type: Enum, Values: []string{"gold", "silver"}}},
}

var contactSchema = &Schema{
	Object: "contact",
	Table:  "contacts",
	Fields: []Field{
		{Name: "first_name", Type: Text, Column: "first_name"},
		{Name: "last_name", Type: Text, Column: "last_name"},
		{Name: "email", Type: Text, Column: "email"},
		{Name: "lifecycle", Type: Enum, Column: "lifecycle", Values: []string{"lead", "prospect", "customer", "churned"}},
		{Name: "owner", Type: User, Column: "owner_id"},
		{Name: "company", Type: Ref, Column: "company_id"},
		{Name: "created_at", Type: DateTime, Column: "created_at"},
	},
	Custom: []Field{
		{Name: "region", Type: Text},
		{Name: "score", Type: Number},
		{Name: "vip", Type: Bool},
		{Name: "renewal", Type: Date},
		{Name: "labels", Type: Tags},
	},
	Relations: []Relation{{Name: "company", Target: companySchema, LocalKey: "company_id"}},
}

var dealSchema = &Schema{
	Object: "deal",
	Table:  "deals",
	Fields: []Field{
		{Name: "title", Type: Text, Column: "title"},
		{Name: "value", Type: Money, Column: "value"},
		{Name: "status", Type: Enum, Column: "status", Values: []string{"open", "won", "lost"}},
		{Name: "expected_close", Type: Date, Column: "expected_close"},
		{Name: "owner", Type: User, Column: "owner_id"},
		{Name: "stage", Type: Ref, Column: "stage_id"},
		{Name: "closed_at", Type: DateTime, Column: "closed_at"},
	},
	Relations: []Relation{
		{Name: "company", Target: companySchema, LocalKey: "company_id"},
		{Name: "contact", Target: contactSchema, LocalKey: "contact_id"},
	},
}

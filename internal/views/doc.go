// Package views owns saved list views (a named filter, sort and set of
// columns over contacts, companies or deals, private or shared with the workspace)
// and the catalogue of columns a list can show. It checks filters and sorts
// through records (deals: through deals), and must not import net/http or
// the web packages.
package views

// Package products owns the product catalogue and the line items of deals:
// their validation, their SQL, the events their changes write, and the
// arithmetic of quantities, prices, discounts and taxes.
//
// Money is integer minor units of a currency (cents for USD, yen for JPY,
// fils for KWD); quantities are integer thousandths of a unit; discounts and
// tax rates are basis points (1/100 of a percent). Every amount of a line is
// rounded once, half away from zero, to the currency's minor unit, and a
// deal's totals are the sums of its lines' rounded amounts, so the figures
// on a quote always add up (money.go).
//
// The catalogue belongs to the workspace: everyone sees it, managers, admins
// and owners change it. Line items follow their deal: whoever may see the
// deal sees them, whoever may change it changes them (account.Can on the
// deal's owner). Another workspace's product or deal is simply not found.
//
// The package works on the deals table only through its own few statements
// (reading a deal's owner, currency and value; writing the value when it
// follows the items, which it keeps within the range deals accepts:
// MaxDealValue). It must not import the deals package or net/http.
package products

-- Products and line items on deals. A product has a price in each currency
-- it is sold in (product_prices); a deal's line items copy the product's
-- name, SKU, price and tax rate when added (a snapshot: later catalogue
-- changes do not rewrite quotes already made). Quantities are integer
-- thousandths (1.5 units = 1500); prices and amounts integer minor units of
-- the deal's currency; discounts and tax rates basis points (7.5% = 750).
-- The stored amounts of a line are computed in Go (internal/products) on
-- every write, so reports can sum them without repeating the arithmetic.

-- +goose Up
CREATE TABLE products (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    sku          TEXT    NOT NULL DEFAULT '',
    description  TEXT    NOT NULL DEFAULT '',
    tax_rate     INTEGER NOT NULL DEFAULT 0,   -- basis points
    archived_at  INTEGER,                      -- NULL: active
    created_by   INTEGER NOT NULL DEFAULT 0,
    updated_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER,
    version      INTEGER NOT NULL DEFAULT 1
);
-- A SKU names one product of the workspace, whatever its case; archived
-- products keep theirs, deleted ones free it.
CREATE UNIQUE INDEX products_sku ON products (workspace_id, lower(sku)) WHERE sku <> '' AND deleted_at IS NULL;
CREATE INDEX products_name ON products (workspace_id, name);
CREATE INDEX products_created ON products (workspace_id, created_at);

CREATE TABLE product_prices (
    workspace_id INTEGER NOT NULL,
    product_id   INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    currency     TEXT    NOT NULL,             -- ISO 4217, upper case
    unit_price   INTEGER NOT NULL,             -- minor units
    PRIMARY KEY (product_id, currency)
);
CREATE INDEX product_prices_workspace ON product_prices (workspace_id, product_id);

CREATE TABLE deal_items (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    deal_id      INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    product_id   INTEGER NOT NULL DEFAULT 0,   -- 0: a free line
    name         TEXT    NOT NULL,             -- snapshot of the product's name, editable
    sku          TEXT    NOT NULL DEFAULT '',  -- snapshot
    quantity     INTEGER NOT NULL,             -- thousandths of a unit
    unit_price   INTEGER NOT NULL,             -- minor units of the deal's currency
    discount     INTEGER NOT NULL DEFAULT 0,   -- basis points
    tax_rate     INTEGER NOT NULL DEFAULT 0,   -- basis points
    position     INTEGER NOT NULL DEFAULT 0,
    subtotal     INTEGER NOT NULL DEFAULT 0,   -- computed: quantity × unit price, rounded
    discount_amount INTEGER NOT NULL DEFAULT 0,
    tax_amount   INTEGER NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL DEFAULT 0,   -- subtotal - discount + tax
    created_by   INTEGER NOT NULL DEFAULT 0,
    updated_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX deal_items_deal ON deal_items (workspace_id, deal_id, position);
CREATE INDEX deal_items_product ON deal_items (workspace_id, product_id);

-- When set, the deal's value is the net total of its line items (after
-- discounts, before tax), kept current by every item change.
ALTER TABLE deals ADD COLUMN value_from_items INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE deals DROP COLUMN value_from_items;
DROP TABLE deal_items;
DROP TABLE product_prices;
DROP TABLE products;

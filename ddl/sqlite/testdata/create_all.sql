-- table "orgs"
CREATE TABLE "orgs" (
  "id" BIGINT NOT NULL,
  "owner_id" INTEGER,
  "untyped",
  PRIMARY KEY ("id"),
  FOREIGN KEY ("owner_id") REFERENCES "users" ("id")
);

-- table "users"
CREATE TABLE "users" (
  "id" INTEGER NOT NULL CONSTRAINT "pk_users" PRIMARY KEY AUTOINCREMENT,
  "email" VARCHAR(255) NOT NULL COLLATE "NOCASE",
  "created" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "note" TEXT DEFAULT 'it''s',
  "n" NUMERIC(10,2) NOT NULL DEFAULT -1.50,
  "active" BOOLEAN NOT NULL DEFAULT TRUE,
  "stamp" TEXT DEFAULT (datetime('now')),
  "total" NUMERIC(12,2) GENERATED ALWAYS AS (n * 2) VIRTUAL,
  "label" TEXT GENERATED ALWAYS AS ('#' || id) STORED,
  "org_id" BIGINT,
  UNIQUE ("email"),
  CONSTRAINT "uq_users_org_email" UNIQUE ("org_id", "email"),
  CHECK (n >= 0),
  CONSTRAINT "ck_users_email" CHECK (email LIKE '%@%'),
  CONSTRAINT "fk_users_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED
);

-- table "users"
CREATE UNIQUE INDEX "ix_users_lower_email" ON "users" (lower(email)) WHERE email IS NOT NULL;

-- table "users"
CREATE INDEX "ix_users_created" ON "users" ("created" DESC, "note" COLLATE "RTRIM");

-- table "we\"ird kv"
CREATE TABLE "we""ird kv" (
  "select" TEXT NOT NULL,
  "Ünï" ANY,
  PRIMARY KEY ("select")
) WITHOUT ROWID, STRICT;

-- virtual table "docs"
CREATE VIRTUAL TABLE "docs" USING fts5(title, body);

-- view "v_users"
CREATE VIEW "v_users" ("user id", "mail") AS SELECT id, email FROM users;

-- view "order"
CREATE VIEW "order" AS SELECT 1;

-- trigger "trg" on "users"
CREATE TRIGGER trg AFTER INSERT ON users BEGIN SELECT 1; END;


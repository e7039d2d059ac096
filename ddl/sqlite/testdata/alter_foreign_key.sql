-- table "we\"ird" [safe, rebuild]
-- note: rebuilds the table: SQLite cannot make this change with ALTER TABLE
CREATE TABLE "_dbtool_new_we""ird" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "name" TEXT,
  "qty" INTEGER,
  CONSTRAINT "ck_qty" CHECK (qty >= 0),
  CONSTRAINT "fk_p" FOREIGN KEY ("qty") REFERENCES "p" ("id") ON DELETE CASCADE
);

-- table "we\"ird" [may fail, rebuild]
-- note: copies every row into the rebuilt table
INSERT INTO "_dbtool_new_we""ird" ("id", "name", "qty")
  SELECT "id", "name", "qty" FROM "we""ird";

-- table "we\"ird" [safe, rebuild]
DELETE FROM sqlite_sequence WHERE name = '_dbtool_new_we"ird';

-- table "we\"ird" [safe, rebuild]
INSERT INTO sqlite_sequence (name, seq)
  SELECT '_dbtool_new_we"ird', seq FROM sqlite_sequence WHERE name = 'we"ird';

-- table "we\"ird" [safe, rebuild]
DROP TABLE "we""ird";

-- table "we\"ird" [safe, rebuild]
PRAGMA legacy_alter_table = ON;

-- table "we\"ird" [safe, rebuild]
ALTER TABLE "_dbtool_new_we""ird" RENAME TO "we""ird";

-- table "we\"ird" [safe, rebuild]
PRAGMA legacy_alter_table = OFF;

-- table "we\"ird" [safe, rebuild]
CREATE INDEX "ix_name" ON "we""ird" ("name");


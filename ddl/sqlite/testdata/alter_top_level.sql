-- trigger "trg" on "we\"ird" [safe]
DROP TRIGGER IF EXISTS "trg";

-- view "v" [safe]
DROP VIEW "v";

-- index "ix_old" on "we\"ird" [safe]
DROP INDEX "ix_old";

-- table "old" [safe]
ALTER TABLE "old" RENAME TO "we""ird";

-- index "ix_before" on "we\"ird" [safe]
DROP INDEX "ix_before";

-- index "ix_before" on "we\"ird" [safe]
CREATE INDEX "ix_name" ON "we""ird" ("name");

-- table "gone" [drops data]
DROP TABLE "gone";

-- virtual table "docs" [drops data]
DROP TABLE "docs";

-- view "w" [safe]
DROP VIEW IF EXISTS "w";

-- view "w" [safe]
CREATE VIEW "w" AS SELECT 1 AS a, 2 AS b;


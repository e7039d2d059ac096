-- column "name" of table "we\"ird" [safe]
ALTER TABLE "we""ird" RENAME COLUMN "name" TO "title";


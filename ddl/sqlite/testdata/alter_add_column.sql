-- column "note" of table "we\"ird" [safe]
ALTER TABLE "we""ird" ADD COLUMN "note" TEXT DEFAULT 'it''s';


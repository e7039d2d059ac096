-- setting "check_function_bodies"
SET LOCAL check_function_bodies = false;
-- trigger "tr" on "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
DROP TRIGGER tr ON "Sales Dept"."order";
-- view "v"
DROP VIEW v;
-- materialized view "app"."mv"
DROP MATERIALIZED VIEW app.mv;
-- foreign key (parent) on table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order" and the table it references]
ALTER TABLE "Sales Dept"."order" DROP CONSTRAINT order_parent_fkey;
-- index "ix" on "Sales Dept"."order"
--   [outside the transaction]
DROP INDEX CONCURRENTLY "Sales Dept".ix;
-- table "user"
--   [drops data; takes an ACCESS EXCLUSIVE lock on table "user"]
DROP TABLE "user";
-- table "a"
--   [takes an ACCESS EXCLUSIVE lock on table "a"]
ALTER TABLE a RENAME TO b;
--   [takes an ACCESS EXCLUSIVE lock on table "b"]
ALTER TABLE b SET SCHEMA "Sales Dept";
-- table "x"."a"
--   [takes an ACCESS EXCLUSIVE lock on table "x.a"]
DO $dbtool$
BEGIN EXECUTE format('ALTER TABLE %s SET SCHEMA %I', 'x.a'::regclass, current_schema()); END
$dbtool$;
-- index "ix" on "Sales Dept"."order"
ALTER INDEX "Sales Dept".ix RENAME TO "ix 2";
-- column "Qty" of table "Sales Dept"."order"
--   [may lose data; takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"; rewrites the table; scans the table while holding the lock, to check for NULLs]
ALTER TABLE "Sales Dept"."order" ALTER COLUMN "Qty" TYPE integer USING "Qty"::integer,
    ALTER COLUMN "Qty" SET NOT NULL,
    ALTER COLUMN "Qty" SET DEFAULT 0;
-- column "note" of table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"; rebuilds the indexes on the column]
ALTER TABLE "Sales Dept"."order" ALTER COLUMN note TYPE text COLLATE "C";
COMMENT ON COLUMN "Sales Dept"."order".note IS 'It''s noted.';
-- column "id" of table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH 10);
SELECT setval(pg_get_serial_sequence('"Sales Dept"."order"', 'id'), max(id)) FROM "Sales Dept"."order" HAVING max(id) >= 10;
--   [may lose data; takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" ALTER COLUMN id DROP IDENTITY;
CREATE SEQUENCE "Sales Dept".order_id_seq AS integer;
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" ALTER COLUMN id SET DEFAULT nextval('"Sales Dept".order_id_seq'::regclass);
ALTER SEQUENCE "Sales Dept".order_id_seq OWNED BY "Sales Dept"."order".id;
SELECT setval('"Sales Dept".order_id_seq', GREATEST(max(id), 0) + 1, false) FROM "Sales Dept"."order";
--   [may lose data; takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" ALTER COLUMN id DROP DEFAULT;
--   [may lose data]
DROP SEQUENCE "Sales Dept".order_id_seq;
-- column "total" of table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"; rewrites the table; drops the column and adds it again, at the end of the table: PostgreSQL cannot change a generation expression in place]
ALTER TABLE "Sales Dept"."order" DROP COLUMN total,
    ADD COLUMN total integer GENERATED ALWAYS AS (id * 3) STORED;
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" ALTER COLUMN total DROP EXPRESSION;
-- column "at" of table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"; rewrites the table]
ALTER TABLE "Sales Dept"."order" ADD COLUMN at timestamp with time zone DEFAULT clock_timestamp() NOT NULL;
COMMENT ON COLUMN "Sales Dept"."order".at IS 'When.';
-- column "old" of table "Sales Dept"."order"
--   [drops data; takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" DROP COLUMN old;
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" RENAME COLUMN old TO new;
-- primary key "id, Qty" of table "Sales Dept"."order"
--   [may fail; takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"; builds the key's index and sets its columns NOT NULL, scanning the table]
ALTER TABLE "Sales Dept"."order" DROP CONSTRAINT order_pkey, ADD CONSTRAINT pk PRIMARY KEY (id, "Qty");
-- unique (Qty) of table "Sales Dept"."order"
--   [may fail; takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"; builds the constraint's index]
ALTER TABLE "Sales Dept"."order" ADD UNIQUE NULLS NOT DISTINCT ("Qty");
-- unique (note, Qty) of table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" DROP CONSTRAINT "order_note_Qty_key";
-- check ("Qty" > 0) of table "Sales Dept"."order"
--   [may fail; takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order", briefly: the rows are checked later]
ALTER TABLE "Sales Dept"."order" ADD CONSTRAINT "order_Qty_check" CHECK ("Qty" > 0) NOT VALID;
--   [may fail; outside the transaction; scans the table under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes through; if it fails, the constraint stays NOT VALID (checked for new rows only)]
ALTER TABLE "Sales Dept"."order" VALIDATE CONSTRAINT "order_Qty_check";
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" DROP CONSTRAINT "order_Qty_check";
-- check "c" of table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" DROP CONSTRAINT c;
-- exclusion "x" of table "Sales Dept"."order"
--   [may fail; takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"; builds the constraint's index]
ALTER TABLE "Sales Dept"."order" ADD CONSTRAINT x EXCLUDE USING btree (id WITH =);
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" DROP CONSTRAINT x;
-- constraint "c" of table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" RENAME CONSTRAINT c TO "c 2";
-- comment of table "Sales Dept"."order"
COMMENT ON TABLE "Sales Dept"."order" IS 'Orders.';
COMMENT ON TABLE "Sales Dept"."order" IS NULL;
-- row-level security of table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
ALTER TABLE "Sales Dept"."order" ENABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY;
-- policy "p" of table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
CREATE POLICY p ON "Sales Dept"."order" FOR SELECT USING (true);
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"]
DROP POLICY p ON "Sales Dept"."order";
-- partition of "p" of table "Sales Dept"."order"
--   [takes an ACCESS EXCLUSIVE lock on table "p" and table "Sales Dept.order"]
ALTER TABLE p DETACH PARTITION "Sales Dept"."order";
--   [may fail; takes a SHARE UPDATE EXCLUSIVE lock on table "p" and an ACCESS EXCLUSIVE lock on table "Sales Dept.order"; scans the table to check that its rows fall within the bound]
ALTER TABLE p ATTACH PARTITION "Sales Dept"."order" FOR VALUES IN ('a');
-- foreign key (parent) on table "Sales Dept"."order"
--   [may fail; takes a SHARE ROW EXCLUSIVE lock on table "Sales Dept.order" and the table it references, briefly: the rows are checked later]
ALTER TABLE "Sales Dept"."order" ADD CONSTRAINT order_parent_fkey FOREIGN KEY (parent) REFERENCES "user" NOT VALID;
--   [may fail; outside the transaction; scans the table under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes through; if it fails, the constraint stays NOT VALID (checked for new rows only)]
ALTER TABLE "Sales Dept"."order" VALIDATE CONSTRAINT order_parent_fkey;
-- index "ix" on "Sales Dept"."order"
--   [outside the transaction; builds the index without blocking writes; if it fails, an INVALID index is left behind and must be dropped]
CREATE INDEX CONCURRENTLY ix ON "Sales Dept"."order" ("Qty");
--   [outside the transaction]
COMMENT ON INDEX "Sales Dept".ix IS 'Qty.';
-- schema "Old"
DROP SCHEMA "Old";
-- extension "uuid-ossp"
DROP EXTENSION "uuid-ossp";
-- enum "gone"
--   [may lose data]
DROP TYPE gone;
-- value "happy" of enum "app"."mood"
ALTER TYPE app.mood ADD VALUE 'happy' AFTER 'ok';
-- value "it's" of enum "app"."mood"
ALTER TYPE app.mood ADD VALUE 'it''s' BEFORE 'sad';
-- value "last" of enum "app"."mood"
ALTER TYPE app.mood ADD VALUE 'last';
-- value "ok" of enum "app"."mood"
ALTER TYPE app.mood RENAME VALUE 'ok' TO 'fine';
-- enum "app"."mood"
ALTER TYPE app.mood RENAME TO mood_old;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
--   [takes an ACCESS EXCLUSIVE lock on table "Sales Dept.order"; rewrites the table]
DO $dbtool$
DECLARE def text;
BEGIN
  SELECT pg_get_expr(d.adbin, d.adrelid) INTO def FROM pg_attrdef d
    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = '"Sales Dept"."order"'::regclass AND a.attname = 'Mood';
  IF def IS NOT NULL THEN
    EXECUTE 'SELECT (' || def || ')::text' INTO def;
    ALTER TABLE "Sales Dept"."order" ALTER COLUMN "Mood" DROP DEFAULT;
  END IF;
  ALTER TABLE "Sales Dept"."order" ALTER COLUMN "Mood" TYPE app.mood USING "Mood"::text::app.mood;
  IF def IS NOT NULL THEN
    EXECUTE 'ALTER TABLE "Sales Dept"."order" ALTER COLUMN "Mood" SET DEFAULT ' || quote_literal(def) || '::app.mood';
  END IF;
END
$dbtool$;
DROP TYPE app.mood_old;
-- domain "d"
DROP DOMAIN d;
--   [may fail]
ALTER DOMAIN d SET DEFAULT 'x';
--   [may fail; checks every column of the domain's type for NULLs]
ALTER DOMAIN d SET NOT NULL;
--   [may fail]
ALTER DOMAIN d DROP CONSTRAINT d_check;
--   [may fail]
COMMENT ON DOMAIN d IS 'D.';
-- sequence "s"
--   [may lose data]
DROP SEQUENCE s;
ALTER SEQUENCE s AS smallint CACHE 5 CYCLE OWNED BY NONE;
-- aggregate "cnt"()
DROP AGGREGATE cnt(*);
-- procedure "app"."go"(IN x integer)
DROP PROCEDURE app.go(IN x integer);
-- function "app"."f"(x integer)
CREATE OR REPLACE FUNCTION app.f(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;
COMMENT ON FUNCTION app.f(x integer) IS 'F.';
--   [drops the routine and creates it again: what uses it makes the drop fail]
DROP FUNCTION app.f(x integer);
CREATE FUNCTION app.f(x integer) RETURNS bigint LANGUAGE sql AS $$ SELECT x $$;
-- trigger "Sales Dept"."tr" on "Sales Dept"."order"
COMMENT ON TRIGGER tr ON "Sales Dept"."order" IS 'T.';
-- function "app"."f"
COMMENT ON FUNCTION app.f(x integer) IS NULL;
-- materialized view "app"."mv"
COMMENT ON MATERIALIZED VIEW app.mv IS 'MV.';

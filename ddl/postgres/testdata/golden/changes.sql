-- setting "check_function_bodies"
SET LOCAL check_function_bodies = false;
-- extension "uuid-ossp"
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
-- schema "Sales Dept"
CREATE SCHEMA IF NOT EXISTS "Sales Dept";
COMMENT ON SCHEMA "Sales Dept" IS 'Sales.';
-- domain "plain"
CREATE DOMAIN plain AS text;
-- sequence "Sales Dept"."n"
CREATE SEQUENCE "Sales Dept".n MINVALUE 0 START WITH 0;
-- table "Sales Dept"."order"
CREATE TABLE "Sales Dept"."order" (
    id bigint NOT NULL,
    parent bigint
);
-- table "nothing"
CREATE TABLE nothing ();
-- composite type "Sales Dept"."pair"
CREATE TYPE "Sales Dept".pair AS (
    a integer,
    b text COLLATE "C"
);
COMMENT ON TYPE "Sales Dept".pair IS 'Two.';
-- composite type "empty"
CREATE TYPE empty AS ();
-- domain "pos"
CREATE DOMAIN pos AS integer CHECK (VALUE > 0);
ALTER DOMAIN pos ADD CONSTRAINT pos_small CHECK (VALUE < 100) NOT VALID;
-- table "unchecked"
CREATE TABLE unchecked (
    n integer,
    CONSTRAINT n_small CHECK (n < 9)
);
ALTER TABLE unchecked ADD CHECK (n > 0) NOT VALID;
ALTER TABLE unchecked ADD FOREIGN KEY (n) REFERENCES t (id) NOT VALID;
-- table "p"
CREATE TABLE p (
    k text NOT NULL
) PARTITION BY LIST (k);
-- table "p_a"
CREATE TABLE p_a PARTITION OF p FOR VALUES IN ('a');
-- sequence "Sales Dept"."n"
ALTER SEQUENCE "Sales Dept".n OWNED BY "Sales Dept"."order".id;
-- sequence "m"
ALTER SEQUENCE m OWNED BY "other schema".t.c;
-- foreign key "fk parent" on table "Sales Dept"."order"
ALTER TABLE "Sales Dept"."order" ADD CONSTRAINT "fk parent" FOREIGN KEY (parent) REFERENCES "Sales Dept"."order" ON DELETE SET DEFAULT DEFERRABLE NOT VALID;
-- index "ix" on "Sales Dept"."order"
CREATE UNIQUE INDEX ix ON "Sales Dept"."order" USING btree (parent COLLATE "und-x-icu" public.int8_ops NULLS LAST);
COMMENT ON INDEX "Sales Dept".ix IS 'On parent.';
-- procedure "Sales Dept"."go"(IN x integer)
CREATE PROCEDURE "Sales Dept".go(IN x integer) LANGUAGE sql AS $$ SELECT 1 $$;
COMMENT ON PROCEDURE "Sales Dept".go(IN x integer) IS 'Goes.';
-- aggregate "cnt"()
CREATE AGGREGATE cnt(*) (SFUNC = int8inc, STYPE = bigint);
COMMENT ON AGGREGATE cnt(*) IS 'Counts.';
-- view "Sales Dept"."v"
CREATE VIEW "Sales Dept".v AS
SELECT 1 AS one;
COMMENT ON VIEW "Sales Dept".v IS 'V.';
-- trigger "tr" on "Sales Dept"."order"
CREATE TRIGGER tr AFTER INSERT ON "Sales Dept"."order" FOR EACH ROW EXECUTE FUNCTION f();
COMMENT ON TRIGGER tr ON "Sales Dept"."order" IS 'T.';

-- setting "check_function_bodies"
SET LOCAL check_function_bodies = false;
-- schema "ext"
CREATE SCHEMA IF NOT EXISTS ext;
-- schema "audit"
CREATE SCHEMA IF NOT EXISTS audit;
COMMENT ON SCHEMA audit IS E'Audit trail; it''s "kept" \\ forever.';
-- schema "Ünïcode Schema"
CREATE SCHEMA IF NOT EXISTS "Ünïcode Schema";
-- extension "btree_gist"
CREATE EXTENSION IF NOT EXISTS btree_gist;
-- extension "hstore"
CREATE EXTENSION IF NOT EXISTS hstore SCHEMA ext;
-- enum "status"
CREATE TYPE status AS ENUM ('new', 'in progress', 'done', E'it''s \\ odd');
-- enum "audit"."action"
CREATE TYPE audit.action AS ENUM ('insert', 'update', 'delete');
COMMENT ON TYPE audit.action IS 'What happened.';
-- domain "short_code"
CREATE DOMAIN short_code AS character varying(8) COLLATE "C" DEFAULT 'AAA' NOT NULL CHECK (VALUE::text ~ '^[A-Z]+$'::text) CONSTRAINT short_code_len CHECK (length(VALUE::text) >= 2);
COMMENT ON DOMAIN short_code IS 'Upper-case letters only.';
-- domain "audit"."pct"
CREATE DOMAIN audit.pct AS numeric(5,2) DEFAULT 0 CHECK (VALUE >= 0::numeric AND VALUE <= 100::numeric);
-- sequence "ticket_seq"
CREATE SEQUENCE ticket_seq AS integer INCREMENT BY 5 MINVALUE 100 MAXVALUE 1000000 START WITH 200 CACHE 10 CYCLE;
COMMENT ON SEQUENCE ticket_seq IS 'Ticket numbers.';
-- sequence "countdown \"seq\""
CREATE SEQUENCE "countdown ""seq""" AS smallint INCREMENT BY -1 MINVALUE -100 MAXVALUE -2 START WITH -5;
-- sequence "audit"."event_seq"
CREATE SEQUENCE audit.event_seq;
-- function "is_code"(c text)
CREATE OR REPLACE FUNCTION public.is_code(c text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE STRICT
AS $function$SELECT c ~ '^[A-Z]+$'$function$;
COMMENT ON FUNCTION is_code(c text) IS 'Whether c looks like a code.';
-- function "open_tickets"()
CREATE OR REPLACE FUNCTION public.open_tickets()
 RETURNS bigint
 LANGUAGE sql
 STABLE
AS $function$SELECT count(*) FROM tickets WHERE status <> 'done'$function$;
-- function "stamp"()
CREATE OR REPLACE FUNCTION public.stamp()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$function$;
-- procedure "close_all"()
CREATE OR REPLACE PROCEDURE public.close_all()
 LANGUAGE sql
AS $procedure$UPDATE tickets SET status = 'done'$procedure$;
-- aggregate "product"(double precision)
CREATE AGGREGATE public.product(double precision) (
    SFUNC = float8mul,
    STYPE = double precision,
    INITCOND = '1'
);
COMMENT ON AGGREGATE product(double precision) IS 'Multiplies its arguments.';
-- table "tickets"
CREATE TABLE tickets (
    id serial NOT NULL,
    number integer DEFAULT nextval('ticket_seq'::regclass) NOT NULL,
    code short_code,
    status status DEFAULT 'new' NOT NULL,
    title character varying(200) COLLATE "C" NOT NULL,
    price numeric(10,2) DEFAULT 0.00 NOT NULL,
    ratio real DEFAULT -1.5,
    weight double precision DEFAULT 2.25,
    flag boolean DEFAULT true,
    created timestamp(3) with time zone DEFAULT now() NOT NULL,
    updated_at timestamp without time zone,
    day date DEFAULT CURRENT_DATE,
    at time(0) without time zone,
    at_tz time(6) with time zone,
    wait interval DEFAULT '1 day',
    doc jsonb DEFAULT '{}' NOT NULL,
    raw_doc json,
    blob bytea,
    ref uuid DEFAULT gen_random_uuid() NOT NULL,
    ip inet,
    net cidr,
    mac macaddr,
    tags text[] DEFAULT '{}',
    grid integer[],
    labels character varying(10)[],
    fixed character(3) DEFAULT 'ab',
    padded bpchar,
    whole numeric(7,0),
    any_number numeric,
    small smallint DEFAULT -1,
    big bigint DEFAULT 12345678901,
    note text DEFAULT E'it''s \\ here',
    attrs ext.hstore,
    doubled numeric(11,2) GENERATED ALWAYS AS (price * 2::numeric) STORED,
    PRIMARY KEY (id),
    UNIQUE (number),
    CONSTRAINT "Title+Code ""uq""" UNIQUE NULLS NOT DISTINCT (title, code),
    CHECK (price >= 0::numeric),
    CHECK (ratio < weight),
    CONSTRAINT ck_code CHECK (is_code(code::text))
);
COMMENT ON TABLE tickets IS E'Tickets: it''s "quoted" and \\ back-slashed.';
COMMENT ON COLUMN tickets.title IS 'Title; "C" collation.';
COMMENT ON COLUMN tickets.doubled IS 'Twice the price.';
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE tickets FORCE ROW LEVEL SECURITY;
CREATE POLICY "everyone reads" ON tickets FOR SELECT USING (true);
CREATE POLICY "own rows" ON tickets AS RESTRICTIVE FOR UPDATE USING (status <> 'done'::status) WITH CHECK (price >= 0::numeric);
CREATE POLICY insert_checked ON tickets FOR INSERT WITH CHECK (flag);
CREATE UNIQUE INDEX ix_tickets_lower_title ON tickets ((lower(title::text))) WHERE (status <> 'done'::status);
COMMENT ON INDEX ix_tickets_lower_title IS 'Open titles, case-blind.';
CREATE INDEX ix_tickets_upper_title ON tickets ((upper(title::text)) COLLATE "POSIX");
CREATE INDEX ix_tickets_created ON tickets (created DESC NULLS LAST, id NULLS FIRST) INCLUDE (title, status);
CREATE INDEX ix_tickets_title_pattern ON tickets (title varchar_pattern_ops);
CREATE INDEX ix_tickets_title_c ON tickets (note COLLATE "POSIX" DESC);
CREATE INDEX ix_tickets_hash ON tickets USING hash (code);
CREATE INDEX ix_tickets_doc ON tickets USING gin (doc jsonb_path_ops);
CREATE INDEX ix_tickets_tags ON tickets USING gin (tags);
CREATE INDEX ix_tickets_ip ON tickets USING gist (ip inet_ops);
CREATE INDEX ix_tickets_net ON tickets USING spgist (net);
CREATE INDEX ix_tickets_brin ON tickets USING brin (created);
CREATE INDEX "Ticket ""Index""" ON tickets (number, (price * 2::numeric));
-- table "identities"
CREATE TABLE identities (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 10) NOT NULL,
    by_default smallint GENERATED BY DEFAULT AS IDENTITY (START WITH 5) NOT NULL,
    plain integer GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    big_serial bigserial NOT NULL,
    small_serial smallserial NOT NULL,
    PRIMARY KEY (id)
);
-- table "order"
CREATE TABLE "order" (
    "user" integer NOT NULL,
    "group" text NOT NULL,
    "Mixed Case" text,
    "with space" text,
    "quote""d" integer,
    "Ünïcode" text,
    "select" integer,
    CONSTRAINT "order ""pk""" PRIMARY KEY ("user", "group"),
    CONSTRAINT "check ""user""" CHECK ("user" > 0),
    CONSTRAINT "Order→Tickets" FOREIGN KEY ("select") REFERENCES tickets (id) ON DELETE SET NULL
);
COMMENT ON TABLE "order" IS 'A reserved word as a table name.';
COMMENT ON COLUMN "order"."Ünïcode" IS 'Non-ASCII.';
-- table "lines"
CREATE TABLE lines (
    order_user integer,
    order_group text,
    n integer NOT NULL,
    ticket_id integer,
    FOREIGN KEY (order_user, order_group) REFERENCES "order" ("user", "group") MATCH FULL ON DELETE CASCADE ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE RESTRICT ON UPDATE SET DEFAULT DEFERRABLE
);
-- table "eggs"
CREATE TABLE eggs (
    id serial NOT NULL,
    chicken_id integer,
    PRIMARY KEY (id)
);
-- table "chickens"
CREATE TABLE chickens (
    id serial NOT NULL,
    egg_id integer,
    PRIMARY KEY (id),
    FOREIGN KEY (egg_id) REFERENCES eggs (id) DEFERRABLE INITIALLY DEFERRED
);
-- table "audit"."events"
CREATE TABLE audit.events (
    id bigint DEFAULT nextval('audit.event_seq'::regclass) NOT NULL,
    action audit.action NOT NULL,
    ticket_id integer,
    share audit.pct,
    during tstzrange NOT NULL,
    room integer NOT NULL,
    PRIMARY KEY (id),
    EXCLUDE USING gist (room WITH =, during WITH &&),
    CONSTRAINT ex_events_ticket EXCLUDE USING gist (ticket_id WITH =, during WITH &&) WHERE (ticket_id IS NOT NULL),
    FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
);
-- table "readings"
CREATE TABLE readings (
    sensor integer NOT NULL,
    taken date NOT NULL,
    kind text DEFAULT 'temp' NOT NULL,
    value double precision,
    PRIMARY KEY (sensor, taken, kind)
) PARTITION BY RANGE (taken);
CREATE INDEX ix_readings_taken ON readings (taken);
-- table "readings_2024"
CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (kind);
-- table "readings_2024_temp"
CREATE TABLE readings_2024_temp PARTITION OF readings_2024 FOR VALUES IN ('temp');
-- table "readings_2024_other"
CREATE TABLE readings_2024_other PARTITION OF readings_2024 DEFAULT;
-- table "readings_2025"
CREATE TABLE readings_2025 PARTITION OF readings (
    value WITH OPTIONS DEFAULT 0 NOT NULL,
    CONSTRAINT ck_2025_value CHECK (value >= 0::double precision)
) FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- table "readings_rest"
CREATE TABLE readings_rest PARTITION OF readings DEFAULT;
-- table "shards"
CREATE TABLE shards (
    id bigint NOT NULL,
    PRIMARY KEY (id)
) PARTITION BY HASH (id);
-- table "shards_0"
CREATE TABLE shards_0 PARTITION OF shards FOR VALUES WITH (modulus 2, remainder 0);
-- table "shards_1"
CREATE TABLE shards_1 PARTITION OF shards FOR VALUES WITH (modulus 2, remainder 1);
-- table "reading_notes"
CREATE TABLE reading_notes (
    sensor integer NOT NULL,
    taken date NOT NULL,
    kind text NOT NULL,
    note text,
    FOREIGN KEY (sensor, taken, kind) REFERENCES readings (sensor, taken, kind)
);
-- table "things"
CREATE TABLE things (
    id integer NOT NULL,
    name text
);
-- table "colored"
CREATE TABLE colored (
    color text
);
-- table "colored_things"
CREATE TABLE colored_things (
    shade integer
) INHERITS (things, colored);
-- table "Ünïcode Schema"."Ünïcode Table"
CREATE TABLE "Ünïcode Schema"."Ünïcode Table" (
    "ID" serial NOT NULL,
    ticket integer,
    PRIMARY KEY ("ID"),
    FOREIGN KEY (ticket) REFERENCES tickets (id)
);
CREATE INDEX "Ünïcode Index" ON "Ünïcode Schema"."Ünïcode Table" (ticket);
COMMENT ON INDEX "Ünïcode Schema"."Ünïcode Index" IS 'Indexed.';
-- view "open tickets"
CREATE VIEW "open tickets" AS
SELECT tickets.id,
    tickets.title,
    tickets.status AS state
   FROM tickets
  WHERE tickets.status <> 'done'::status
WITH CASCADED CHECK OPTION;
COMMENT ON VIEW "open tickets" IS 'Tickets not done.';
-- view "open_titles"
CREATE VIEW open_titles AS
SELECT "open tickets".id,
    "open tickets".title
   FROM "open tickets"
WITH LOCAL CHECK OPTION;
-- materialized view "ticket_counts"
CREATE MATERIALIZED VIEW ticket_counts AS
SELECT tickets.status,
    count(*) AS n
   FROM tickets
  GROUP BY tickets.status;
CREATE UNIQUE INDEX ix_ticket_counts_status ON ticket_counts (status);
CREATE INDEX ix_ticket_counts_n ON ticket_counts (n DESC);
COMMENT ON INDEX ix_ticket_counts_n IS 'Largest first.';
COMMENT ON MATERIALIZED VIEW ticket_counts IS 'Per status.';
-- view "audit"."recent"
CREATE VIEW audit.recent AS
SELECT events.id,
    events.action
   FROM audit.events
  WHERE events.id > 0;
-- foreign key "fk_egg_chicken" on table "eggs"
ALTER TABLE eggs ADD CONSTRAINT fk_egg_chicken FOREIGN KEY (chicken_id) REFERENCES chickens (id);
-- sequence "audit"."event_seq"
ALTER SEQUENCE audit.event_seq OWNED BY audit.events.id;
-- trigger "trg_tickets_stamp" on "tickets"
CREATE TRIGGER trg_tickets_stamp BEFORE UPDATE ON public.tickets FOR EACH ROW EXECUTE FUNCTION stamp();
COMMENT ON TRIGGER trg_tickets_stamp ON tickets IS 'Keeps updated_at current.';
-- trigger "Order \"Trigger\"" on "order"
CREATE TRIGGER "Order ""Trigger""" AFTER INSERT OR DELETE ON public."order" FOR EACH STATEMENT EXECUTE FUNCTION stamp();

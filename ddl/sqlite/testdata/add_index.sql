-- index "ix" on "t"
CREATE INDEX "ix" ON "t" ("a", b + 1 DESC);


CREATE TABLE "metric_counts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"metric" text NOT NULL,
	"labels" text[] NOT NULL,
	"n" bigint NOT NULL
);

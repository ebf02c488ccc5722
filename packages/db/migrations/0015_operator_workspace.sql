CREATE TABLE "protocol_days" (
	"day" date PRIMARY KEY NOT NULL,
	"base" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quick_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid,
	"shortcut" text NOT NULL,
	"body" text NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Protocol numbers AAAAMMDD-NNNNNN: the day (in the given timezone) and the sequence's value less the day's
-- base. A sequence never waits on another transaction, so busy inbound paths creating conversations at once
-- do not queue on a counter row; only the first conversation of a day writes its base. A value drawn before
-- that base (a concurrent first-of-day) is drawn again, so every number of a day is positive and unique.
CREATE SEQUENCE "conversation_protocol_seq";--> statement-breakpoint
CREATE FUNCTION next_conversation_protocol(at timestamptz, tz text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  d date := (at AT TIME ZONE tz)::date;
  n bigint := nextval('conversation_protocol_seq');
  b bigint;
BEGIN
  SELECT base INTO b FROM protocol_days WHERE day = d;
  IF b IS NULL THEN
    INSERT INTO protocol_days (day, base) VALUES (d, n - 1) ON CONFLICT (day) DO NOTHING;
    SELECT base INTO b FROM protocol_days WHERE day = d;
  END IF;
  WHILE n <= b LOOP
    n := nextval('conversation_protocol_seq');
  END LOOP;
  RETURN to_char(d, 'YYYYMMDD') || '-' || lpad((n - b)::text, greatest(6, length((n - b)::text)), '0');
END
$$;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "protocol" text;--> statement-breakpoint
UPDATE "conversations" c SET "protocol" = p.protocol
  FROM (SELECT id, next_conversation_protocol(created_at, 'America/Sao_Paulo') AS protocol
        FROM (SELECT id, created_at FROM "conversations" ORDER BY created_at, id) o) p
  WHERE c.id = p.id;--> statement-breakpoint
ALTER TABLE "conversations" ALTER COLUMN "protocol" SET DEFAULT next_conversation_protocol(now(), 'America/Sao_Paulo');--> statement-breakpoint
ALTER TABLE "conversations" ALTER COLUMN "protocol" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "quick_replies" ADD CONSTRAINT "quick_replies_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quick_replies" ADD CONSTRAINT "quick_replies_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "quick_replies_scope_shortcut_idx" ON "quick_replies" USING btree (coalesce("owner_id", '00000000-0000-0000-0000-000000000000'::uuid),"shortcut");--> statement-breakpoint
CREATE INDEX "quick_replies_owner_idx" ON "quick_replies" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_protocol_idx" ON "conversations" USING btree ("protocol");--> statement-breakpoint
CREATE INDEX "conversations_tags_idx" ON "conversations" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "messages_notes_idx" ON "messages" USING btree ("conversation_id","created_at") WHERE "messages"."type" = 'note';
CREATE TABLE "webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"public_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" bigint,
	"type" text NOT NULL,
	"event_kind" text,
	"event_payload" jsonb,
	"lane" text NOT NULL,
	"contact_id" uuid,
	"data" jsonb,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"response_status" integer,
	"response_excerpt" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"event_types" text[] NOT NULL,
	"secret_encrypted" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"disabled_at" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_lane_idx" ON "webhook_deliveries" USING btree ("endpoint_id","lane","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("endpoint_id","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_contact_idx" ON "webhook_deliveries" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_lane_only_idx" ON "webhook_deliveries" USING btree ("lane");--> statement-breakpoint
-- Outbound webhooks are derived from the one event stream: every statement that inserts events (the
-- publisher, `eventsCte`) also queues their deliveries to the enabled endpoints subscribed to their
-- public type, in the same transaction, and a delivery job per (endpoint, lane). With no enabled
-- endpoint it costs one index-less probe of a tiny table. The public type of each catalog kind is
-- documented in docs/webhooks.md; copies of an event addressed to a previous operator are skipped.
CREATE FUNCTION webhook_public_type(kind text, payload jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN payload ? 'copyFor' THEN NULL
    WHEN kind = 'message.created' AND payload->>'direction' = 'IN' THEN 'message.received'
    WHEN kind = 'message.created' THEN 'message.sent'
    WHEN kind = 'message.status' THEN 'message.status'
    WHEN kind = 'conversation.created' THEN 'conversation.opened'
    WHEN kind = 'conversation.assigned' THEN 'conversation.assigned'
    WHEN kind = 'conversation.transferred' THEN 'conversation.transferred'
    WHEN kind = 'conversation.closed' THEN 'conversation.closed'
    WHEN kind = 'conversation.rated' THEN 'csat.answered'
    WHEN kind = 'contact.created' THEN 'contact.created'
    WHEN kind = 'contact.updated' THEN 'contact.updated'
    WHEN kind = 'campaign.finished' THEN 'campaign.finished'
  END
$$;--> statement-breakpoint
CREATE FUNCTION webhook_fanout() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lanes integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE enabled) THEN
    RETURN NULL;
  END IF;
  WITH d AS (
    INSERT INTO webhook_deliveries (endpoint_id, event_id, type, event_kind, event_payload, lane, contact_id)
    SELECT w.id, e.id, t.type, e.kind, e.payload,
      coalesce(e.payload->>'conversationId', 'e:' || e.id),
      CASE WHEN e.payload->>'contactId' ~ '^[0-9a-f-]{36}$' THEN (e.payload->>'contactId')::uuid END
    FROM new_events e
    CROSS JOIN LATERAL (SELECT webhook_public_type(e.kind, e.payload) AS type) t
    JOIN webhook_endpoints w ON w.enabled AND t.type = ANY (w.event_types)
    WHERE t.type IS NOT NULL
    ORDER BY e.id, w.id
    RETURNING endpoint_id, lane
  )
  SELECT count(graphile_worker.add_job(
    'webhooks/deliver_lane',
    json_build_object('endpointId', l.endpoint_id, 'lane', l.lane),
    job_key => 'webhook:' || l.endpoint_id || ':' || l.lane,
    job_key_mode => 'preserve_run_at'
  )) INTO lanes
  FROM (SELECT DISTINCT endpoint_id, lane FROM d) l;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER webhook_fanout AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION webhook_fanout();

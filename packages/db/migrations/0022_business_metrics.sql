CREATE TABLE "metric_counts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"metric" text NOT NULL,
	"labels" text[] NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
-- A label value taken from stored data: kept when it looks like a code, else the fixed 'other', so a
-- provider that sends free text as a code cannot create series.
CREATE FUNCTION metric_label(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN 'none' WHEN v ~ '^[A-Za-z0-9_.:-]{1,32}$' THEN v ELSE 'other' END
$$;--> statement-breakpoint
-- elsehu_messages_total{direction,provider,type}: every stored message (inbound received, outbound queued),
-- internal notes excepted (never sent). One insert per statement, so the batched inbound path pays once.
CREATE FUNCTION metric_count_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_counts (metric, labels, n)
  SELECT 'messages', ARRAY[m.direction::text, i.provider::text, m.kind], count(*)
  FROM (SELECT direction, instance_id,
          CASE WHEN type IN ('text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'reaction',
            'interactive', 'button', 'template', 'contacts', 'order', 'system', 'unsupported', 'unknown')
          THEN type ELSE 'other' END AS kind
        FROM new_messages WHERE type <> 'note') m
  JOIN service_instances i ON i.id = m.instance_id
  GROUP BY m.direction, i.provider, m.kind;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER metric_count_messages AFTER INSERT ON messages
  REFERENCING NEW TABLE AS new_messages FOR EACH STATEMENT EXECUTE FUNCTION metric_count_messages();--> statement-breakpoint
-- elsehu_provider_errors_total{provider,code}: an outbound message the provider refused for good, at the
-- send or later by a status webhook. A worker that died mid-send is not the provider's error.
CREATE FUNCTION metric_count_message_failure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_counts (metric, labels, n)
  SELECT 'provider_errors', ARRAY[i.provider::text, metric_label(NEW.error_code)], 1
  FROM service_instances i WHERE i.id = NEW.instance_id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER metric_count_message_failure AFTER UPDATE OF status ON messages FOR EACH ROW
  WHEN (NEW.status = 'FAILED' AND OLD.status IS DISTINCT FROM 'FAILED' AND NEW.direction = 'OUT'
    AND NEW.error_code IS DISTINCT FROM 'UNKNOWN_AFTER_CRASH')
  EXECUTE FUNCTION metric_count_message_failure();--> statement-breakpoint
-- elsehu_campaign_messages_total{status}: recipients reaching each outcome; and the campaign side of
-- elsehu_provider_errors_total: a refusal (FAILED) or a retryable error that put the recipient back (PENDING).
CREATE FUNCTION metric_count_recipients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_counts (metric, labels, n)
  SELECT 'campaign_messages', ARRAY[n.status::text], count(*)
  FROM new_recipients n JOIN old_recipients o ON o.id = n.id
  WHERE n.status IS DISTINCT FROM o.status AND n.status IN ('SENT', 'DELIVERED', 'READ', 'FAILED', 'SKIPPED', 'UNKNOWN')
  GROUP BY n.status;
  INSERT INTO metric_counts (metric, labels, n)
  SELECT 'provider_errors', ARRAY[i.provider::text, metric_label(n.error_code)], count(*)
  FROM new_recipients n JOIN old_recipients o ON o.id = n.id
  JOIN campaigns c ON c.id = n.campaign_id JOIN service_instances i ON i.id = c.instance_id
  WHERE n.error_code IS NOT NULL
    AND ((n.status = 'FAILED' AND o.status <> 'FAILED') OR (n.status = 'PENDING' AND o.status = 'SENDING'))
  GROUP BY i.provider, metric_label(n.error_code);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER metric_count_recipients AFTER UPDATE ON campaign_recipients
  REFERENCING OLD TABLE AS old_recipients NEW TABLE AS new_recipients
  FOR EACH STATEMENT EXECUTE FUNCTION metric_count_recipients();

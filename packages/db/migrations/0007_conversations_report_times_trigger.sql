ALTER TABLE "conversations" ALTER COLUMN "wait_s" DROP EXPRESSION;--> statement-breakpoint
ALTER TABLE "conversations" ALTER COLUMN "handle_s" DROP EXPRESSION;--> statement-breakpoint
ALTER TABLE "conversations" ALTER COLUMN "first_response_s" DROP EXPRESSION;--> statement-breakpoint
ALTER TABLE "conversations" ALTER COLUMN "duration_s" DROP EXPRESSION;--> statement-breakpoint
-- The same four definitions (docs/metrics.md) the generated columns had, now set by a trigger that fires only
-- when an input (or one of the times itself) is written: an inbound message's stamp of last_message_at,
-- last_inbound_at and unread_count no longer costs Postgres a re-parse of the four expressions.
CREATE FUNCTION conversations_report_times() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.wait_s := round(extract(epoch from NEW.first_assigned_at
    - case when NEW.queued_at <= NEW.first_assigned_at then NEW.queued_at else NEW.created_at end))::integer;
  NEW.handle_s := round(extract(epoch from NEW.closed_at - NEW.first_assigned_at))::integer;
  -- A reply before the assignment counts as 0; greatest() skips a null assignment, as the definition says.
  NEW.first_response_s := case when NEW.first_response_at is not null
    then greatest(round(extract(epoch from NEW.first_response_at - NEW.first_assigned_at))::integer, 0) end;
  NEW.duration_s := round(extract(epoch from NEW.closed_at - NEW.created_at))::integer;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER conversations_report_times
  BEFORE INSERT OR UPDATE OF created_at, queued_at, first_assigned_at, first_response_at, closed_at,
    wait_s, handle_s, first_response_s, duration_s
  ON conversations FOR EACH ROW EXECUTE FUNCTION conversations_report_times();

-- The inbound message path, one update of its conversation per message.
-- 1. Nothing indexes last_message_at (no query ordered by it alone) and room is left on each page: the
--    per-message update changes no indexed column and becomes HOT, adding no index entries, so a busy
--    conversation's lookups do not wade through dead ones until autovacuum comes by.
-- 2. The reports' active-conversation index keeps operator_id and instance_id as INCLUDE columns: as key
--    columns, Postgres 18's skip scan made it look as cheap as conversations_one_active_idx for finding a
--    contact's active conversation, and each lookup walked every active conversation of the instance.
DROP INDEX "conversations_last_message_idx";--> statement-breakpoint
ALTER TABLE "conversations" SET (fillfactor = 80);--> statement-breakpoint
DROP INDEX "conversations_active_idx";--> statement-breakpoint
CREATE INDEX "conversations_active_idx" ON "conversations" USING btree ("status") INCLUDE ("operator_id", "instance_id") WHERE "conversations"."status" in ('WAITING', 'OPEN');

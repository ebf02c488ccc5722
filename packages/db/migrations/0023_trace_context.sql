ALTER TABLE "messages" ADD COLUMN "trace" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "trace" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "trace" text;
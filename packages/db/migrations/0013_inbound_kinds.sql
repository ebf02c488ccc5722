CREATE TABLE "webhook_claims" (
	"webhook_event_id" bigint PRIMARY KEY NOT NULL,
	"claims" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "referral" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "reaction" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "edit_history" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "deleted_at" timestamp with time zone;
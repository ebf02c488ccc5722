ALTER TABLE "templates" ADD COLUMN "meta_template_id" text;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "meta_status" text;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "meta_status_reason" text;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "meta_category" text;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "meta_quality" text;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "meta_synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "service_instances" ADD COLUMN "provider_details" jsonb;
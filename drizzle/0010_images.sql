CREATE SCHEMA "media";
--> statement-breakpoint
CREATE TYPE "media"."image_status" AS ENUM('fetching', 'queued', 'processing', 'ready', 'failed');--> statement-breakpoint
CREATE TABLE "media"."images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"content_hash" text,
	"status" "media"."image_status" DEFAULT 'queued' NOT NULL,
	"error" text,
	"source_url" text,
	"original_bytes" bigint DEFAULT 0 NOT NULL,
	"stored_bytes" bigint DEFAULT 0 NOT NULL,
	"format" text,
	"width" integer,
	"height" integer,
	"animated" boolean DEFAULT false NOT NULL,
	"fallback" text,
	"widths" integer[],
	"placeholder" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp (3) with time zone,
	CONSTRAINT "images_hash_hex" CHECK ("media"."images"."content_hash" is null or "media"."images"."content_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "images_owner_hash_key" ON "media"."images" USING btree ("owner_id","content_hash");--> statement-breakpoint
CREATE INDEX "images_owner_created_idx" ON "media"."images" USING btree ("owner_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "images_hash_idx" ON "media"."images" USING btree ("content_hash");
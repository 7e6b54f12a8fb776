CREATE SCHEMA "newsletter";
--> statement-breakpoint
CREATE TYPE "newsletter"."delivery_status" AS ENUM('pending', 'sending', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "newsletter"."send_status" AS ENUM('scheduled', 'queued', 'sending', 'sent', 'cancelled');--> statement-breakpoint
CREATE TYPE "newsletter"."subscriber_source" AS ENUM('form', 'account', 'import');--> statement-breakpoint
CREATE TYPE "newsletter"."subscriber_status" AS ENUM('pending', 'imported', 'active', 'unsubscribed', 'bouncing');--> statement-breakpoint
CREATE TABLE "newsletter"."confirmation_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"subscriber_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "newsletter"."deliveries" (
	"post_id" uuid NOT NULL,
	"subscriber_id" uuid NOT NULL,
	"email" text NOT NULL,
	"batch" integer NOT NULL,
	"status" "newsletter"."delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"sent_at" timestamp with time zone,
	CONSTRAINT "deliveries_post_id_subscriber_id_pk" PRIMARY KEY("post_id","subscriber_id")
);
--> statement-breakpoint
CREATE TABLE "newsletter"."post_sends" (
	"post_id" uuid PRIMARY KEY NOT NULL,
	"author_id" uuid NOT NULL,
	"status" "newsletter"."send_status" NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "newsletter"."subscribers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"author_id" uuid NOT NULL,
	"email" text NOT NULL,
	"status" "newsletter"."subscriber_status" NOT NULL,
	"source" "newsletter"."subscriber_source" NOT NULL,
	"consent_statement" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"unsubscribed_from_post_id" uuid,
	"bounced_at" timestamp with time zone,
	"bounce_reason" text
);
--> statement-breakpoint
ALTER TABLE "newsletter"."confirmation_tokens" ADD CONSTRAINT "confirmation_tokens_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "newsletter"."subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter"."deliveries" ADD CONSTRAINT "deliveries_post_id_post_sends_post_id_fk" FOREIGN KEY ("post_id") REFERENCES "newsletter"."post_sends"("post_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter"."deliveries" ADD CONSTRAINT "deliveries_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "newsletter"."subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "confirmation_tokens_subscriber_idx" ON "newsletter"."confirmation_tokens" USING btree ("subscriber_id");--> statement-breakpoint
CREATE INDEX "deliveries_post_batch_idx" ON "newsletter"."deliveries" USING btree ("post_id","batch");--> statement-breakpoint
CREATE INDEX "deliveries_unfinished_idx" ON "newsletter"."deliveries" USING btree ("post_id") WHERE "newsletter"."deliveries"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE UNIQUE INDEX "subscribers_author_email_key" ON "newsletter"."subscribers" USING btree ("author_id","email");--> statement-breakpoint
CREATE INDEX "subscribers_author_status_idx" ON "newsletter"."subscribers" USING btree ("author_id","status");--> statement-breakpoint
CREATE INDEX "subscribers_email_idx" ON "newsletter"."subscribers" USING btree ("email");
CREATE TYPE "users"."email_token_purpose" AS ENUM('verify-email', 'reset-password', 'change-email');--> statement-breakpoint
CREATE TABLE "users"."email_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"purpose" "users"."email_token_purpose" NOT NULL,
	"user_id" uuid NOT NULL,
	"new_email" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users"."users" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users"."email_tokens" ADD CONSTRAINT "email_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_tokens_user_idx" ON "users"."email_tokens" USING btree ("user_id","purpose");--> statement-breakpoint
CREATE INDEX "users_unverified_idx" ON "users"."users" USING btree ("created_at") WHERE "users"."users"."email_verified_at" IS NULL;--> statement-breakpoint
-- Accounts made before email verification existed keep working: they count as verified.
UPDATE "users"."users" SET "email_verified_at" = "created_at" WHERE "email_verified_at" IS NULL;

CREATE TABLE "users"."sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "users"."users_username_key";--> statement-breakpoint
ALTER TABLE "users"."users" ADD COLUMN "pending_email" text;--> statement-breakpoint
ALTER TABLE "users"."sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "users"."sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expiry_idx" ON "users"."sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "users"."users" USING btree ("username") WHERE "users"."users"."email_verified_at" IS NOT NULL;--> statement-breakpoint
-- Names written before names were kept to one visible line (lib/validations/user.ts): the same cleaning,
-- done once. Session cookies issued before this migration name no session row, so every writer signs
-- in again once after it.
UPDATE "users"."users"
SET "display_name" = coalesce(
  nullif(btrim(regexp_replace(regexp_replace("display_name", '[\u0001-\u001F\u007F-\u009F\u2028\u2029\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]+', ' ', 'g'), '\s+', ' ', 'g')), ''),
  "username"
)
WHERE "display_name" ~ '[\u0001-\u001F\u007F-\u009F\u2028\u2029\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]';

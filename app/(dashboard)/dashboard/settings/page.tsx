import type { Metadata } from "next";
import Link from "next/link";
import { requireSession } from "@/app/_lib/require-session";
import { PageHeader } from "@/components/page-header";
import { env } from "@/server/env.js";
import { api } from "@/trpc/server";
import { ChangeEmailForm, ChangePasswordForm, SignOutEverywhere } from "./_components/account-forms";
import { ProfileForm } from "./_components/profile-form";
import { DeleteAccountForm } from "@/components/portability/delete-account-form";
import { ExportPanel } from "@/components/portability/export-panel";
import { ImportPanel } from "@/components/portability/import-panel";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const session = await requireSession("/dashboard/settings");
  const me = await (await api()).users.me();

  return (
    <>
      <PageHeader
        title="Settings"
        description={
          <>
            Your profile, as readers see it on{" "}
            <Link href={`/@${session.user.username}`} className="font-medium text-accent-700 hover:underline">
              your public page
            </Link>
            , and your account.
          </>
        }
      />
      <section aria-labelledby="profile-title" className="mt-10 max-w-2xl">
        <h2 id="profile-title" className="mb-4 text-xl font-semibold text-stone-900">
          Public profile
        </h2>
        <ProfileForm initial={{ displayName: me.displayName, bio: me.bio }} username={me.username} />
      </section>
      <section aria-labelledby="account-title" className="mt-12 max-w-2xl">
        <h2 id="account-title" className="mb-4 text-xl font-semibold text-stone-900">
          Account
        </h2>
        <div className="space-y-6">
          <ChangeEmailForm currentEmail={me.email} />
          <ChangePasswordForm email={me.email} />
          <SignOutEverywhere />
        </div>
      </section>
      <section aria-labelledby="data-title" className="mt-12 max-w-2xl">
        <h2 id="data-title" className="mb-4 text-xl font-semibold text-stone-900">
          Your data
        </h2>
        <div className="space-y-6">
          <ImportPanel maxBytes={env.IMPORT_MAX_BYTES} />
          <ExportPanel />
          <DeleteAccountForm username={me.username} />
        </div>
      </section>
    </>
  );
}

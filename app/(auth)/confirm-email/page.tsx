import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "../_components/auth-card";
import { ConfirmEmailChangeForm } from "../_components/email-link-forms";

export const metadata: Metadata = { title: "Confirm your new email", referrer: "no-referrer" };

export default async function ConfirmEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  return (
    <AuthCard
      title="Confirm your new email"
      description="Your account switches to this address once you confirm."
      footer={
        <Link href="/dashboard/settings" className="font-medium text-accent-700 underline-offset-4 hover:underline">
          Your settings
        </Link>
      }
    >
      <ConfirmEmailChangeForm token={typeof token === "string" ? token : ""} />
    </AuthCard>
  );
}

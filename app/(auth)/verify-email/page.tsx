import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "../_components/auth-card";
import { VerifyEmailForm } from "../_components/email-link-forms";

export const metadata: Metadata = { title: "Confirm your email", referrer: "no-referrer" };

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  return (
    <AuthCard
      title="Confirm your email"
      description="One step left."
      footer={
        <Link href="/sign-in" className="font-medium text-accent-700 underline-offset-4 hover:underline">
          Sign in instead
        </Link>
      }
    >
      <VerifyEmailForm token={typeof token === "string" ? token : ""} />
    </AuthCard>
  );
}

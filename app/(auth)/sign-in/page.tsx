import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "@/server/auth/session";
import { AuthCard } from "../_components/auth-card";
import { SignInForm } from "../_components/sign-in-form";
import { safeCallbackUrl } from "../_lib/callback-url";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  if (await getSession()) redirect(callbackUrl);

  const signUpHref = callbackUrl === "/dashboard" ? "/sign-up" : `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return (
    <AuthCard
      title="Welcome back"
      description="Sign in to keep writing."
      footer={
        <>
          New to InkWell?{" "}
          <Link href={signUpHref} className="font-medium text-accent-700 underline-offset-4 hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}

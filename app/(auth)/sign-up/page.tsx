import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "@/server/auth/session";
import { AuthCard } from "../_components/auth-card";
import { SignUpForm } from "../_components/sign-up-form";
import { safeCallbackUrl } from "../_lib/callback-url";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  if (await getSession()) redirect(callbackUrl);

  const signInHref = callbackUrl === "/dashboard" ? "/sign-in" : `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return (
    <AuthCard
      title="Start writing"
      description="Create your InkWell account. It takes a minute."
      footer={
        <>
          Already have an account?{" "}
          <Link href={signInHref} className="font-medium text-accent-700 underline-offset-4 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm />
    </AuthCard>
  );
}

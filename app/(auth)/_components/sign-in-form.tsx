"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { zodFieldErrors, type FieldErrors } from "@/components/trpc-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { goToAfterAuthChange } from "@/components/auth-navigation";
import { useHydrated } from "@/components/use-hydrated";
import { userSignInSchema } from "@/lib/validations/user";

/** The server says "rate_limited:<seconds>" when there were too many attempts; anything else is a wrong password. */
function signInErrorMessage(code: string | undefined): string {
  const match = /^rate_limited:(\d+)$/.exec(code ?? "");
  // The same for an unknown address, a wrong password and an address not confirmed yet.
  if (!match) return "Wrong email or password. Just signed up? Confirm your email first: follow the link we sent you.";
  const seconds = Number(match[1]);
  const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return `Too many sign-in attempts. Please wait ${wait} and try again.`;
}

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  const [refusals, setRefusals] = useState(0);

  // A refused submit puts the focus on the first field to fix, whose error is read with it.
  useEffect(() => {
    if (refusals > 0) formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [refusals]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const parsed = userSignInSchema.safeParse({ email, password });
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error.issues));
      setRefusals((n) => n + 1);
      return;
    }
    setFieldErrors({});
    setPending(true);
    try {
      const result = await signIn("credentials", { email: parsed.data.email, password, redirect: false });
      if (!result || result.error || !result.ok) {
        setFormError(signInErrorMessage(result?.code));
        setPending(false);
        return;
      }
      goToAfterAuthChange(callbackUrl);
    } catch {
      setFormError("We could not reach InkWell. Check your connection and try again.");
      setPending(false);
    }
  }

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} className="space-y-5">
      {formError ? (
        <Alert tone="error" id="sign-in-error">
          {formError}
        </Alert>
      ) : null}
      <FormField id="email" label="Email" errors={fieldErrors.email}>
        {(control) => (
          <Input
            {...control}
            type="email"
            name="email"
            autoComplete="email"
            inputMode="email"
            required
            readOnly={!hydrated}
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              setFieldErrors((prev) => ({ ...prev, email: undefined }));
            }}
          />
        )}
      </FormField>
      <FormField id="password" label="Password" errors={fieldErrors.password}>
        {(control) => (
          <Input
            {...control}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            readOnly={!hydrated}
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              setFieldErrors((prev) => ({ ...prev, password: undefined }));
            }}
          />
        )}
      </FormField>
      <Button type="submit" size="lg" className="w-full" pending={pending} disabled={!hydrated}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      {/* After the button, so the tab order is Email, Password, Sign in (Enter in the password field
          signs in; it never lands on this link by accident). */}
      <p className="text-center text-sm">
        <Link href="/forgot-password" className="touch:py-3 inline-block font-medium text-accent-700 underline-offset-4 hover:underline">
          Forgot your password?
        </Link>
      </p>
    </form>
  );
}

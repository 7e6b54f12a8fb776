"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { goToAfterAuthChange } from "@/components/auth-navigation";
import { errorMessage, serverFieldErrors, zodFieldErrors, type FieldErrors } from "@/components/trpc-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useHydrated } from "@/components/use-hydrated";
import { userEmailTokenSchema, userForgotPasswordSchema, userResetPasswordSchema, userSignUpConfirmSchema } from "@/lib/validations/user";
import { useTRPC } from "@/trpc/react";

// The forms behind the links InkWell mails. Opening a link changes nothing (mail scanners prefetch
// links): each page shows a button, and only its POST uses the token.

const linkClass = "font-medium text-accent-700 underline-offset-4 hover:underline";

/** A token that cannot be right (missing, truncated): say so before the writer presses anything. */
function BadLink({ children }: { children: React.ReactNode }) {
  return (
    <Alert tone="error" title="This link is not complete">
      {children}
    </Alert>
  );
}

/** Why the server refused a sign-up link (SignUpRefusal, as the "email-token" provider's code), in words. */
function signUpRefusalMessage(code: string | undefined): string {
  if (code === "wrong-password") {
    return "That is not the password of the latest sign-up with this address. Enter the password you chose when you signed up, or sign up again to start over.";
  }
  if (code === "username-taken") return "Someone else confirmed that username first. Sign up again with another username.";
  const reserved = /^username-reserved:([a-z0-9_]{1,30})$/.exec(code ?? "");
  if (reserved) {
    return `The username ${reserved[1]} is no longer available: InkWell now keeps it for one of its own pages. Sign up again with the same address and another username; this link stops working then.`;
  }
  return "This link is invalid, was already used, or has expired. If your address is confirmed already, sign in; otherwise sign up again to get a new link.";
}

/**
 * /verify-email: confirms the address and signs the writer in (Auth.js "email-token" provider). It asks
 * for the password chosen at sign-up: anyone can sign up with any address, and the link alone would
 * confirm whichever registration came last, a stranger's included.
 */
export function VerifyEmailForm({ token }: { token: string }) {
  const hydrated = useHydrated();
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const valid = userEmailTokenSchema.safeParse({ token }).success;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const parsed = userSignUpConfirmSchema.safeParse({ token, password });
    if (!parsed.success) return setFieldErrors(zodFieldErrors(parsed.error.issues));
    setFieldErrors({});
    setPending(true);
    try {
      const result = await signIn("email-token", { token, password, redirect: false });
      if (!result || result.error || !result.ok) {
        setError(signUpRefusalMessage(result?.code));
        setPending(false);
        return;
      }
      goToAfterAuthChange("/dashboard");
    } catch {
      setError("We could not reach InkWell. Check your connection and try again.");
      setPending(false);
    }
  }

  if (!valid) return <BadLink>Open the link from the email again, or copy all of it into the address bar.</BadLink>;
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5">
      {error ? (
        <Alert tone="error">
          {error}{" "}
          <Link href="/sign-up" className={linkClass}>
            Sign up again
          </Link>
        </Alert>
      ) : null}
      <p className="text-stone-700">Confirm your email address to finish signing up. You will be signed in and taken to your dashboard.</p>
      <FormField id="password" label="Password" hint="The password you chose when you signed up." errors={fieldErrors.password}>
        {(control) => (
          <Input {...control} type="password" name="password" autoComplete="current-password" required readOnly={!hydrated} value={password} onChange={(e) => setPassword(e.target.value)} />
        )}
      </FormField>
      <Button type="submit" size="lg" className="w-full" pending={pending} disabled={!hydrated}>
        {pending ? "Confirming…" : "Confirm email address"}
      </Button>
    </form>
  );
}

/** /forgot-password: the same answer whether or not the address has an account. */
export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const request = useMutation(trpc.users.requestPasswordReset.mutationOptions());
  const [email, setEmail] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const parsed = userForgotPasswordSchema.safeParse({ email });
    if (!parsed.success) return setFieldErrors(zodFieldErrors(parsed.error.issues));
    setFieldErrors({});
    try {
      setSentTo((await request.mutateAsync(parsed.data)).email);
    } catch (error) {
      const fields = serverFieldErrors(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(errorMessage(error));
    }
  }

  if (sentTo) {
    return (
      <div role="status" aria-labelledby="reset-sent-title" className="space-y-2">
        <h2 id="reset-sent-title" className="font-serif text-xl font-semibold text-stone-900">
          Check your email
        </h2>
        <p className="text-stone-700">
          If <span className="font-medium text-stone-900">{sentTo}</span> has an InkWell account, we sent it a link to choose a new
          password. It works once, for one hour.
        </p>
      </div>
    );
  }
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5">
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <FormField id="email" label="Email" hint="The address you sign in with." errors={fieldErrors.email}>
        {(control) => (
          <Input {...control} type="email" name="email" autoComplete="email" inputMode="email" required readOnly={!hydrated} value={email} onChange={(e) => setEmail(e.target.value)} />
        )}
      </FormField>
      <Button type="submit" size="lg" className="w-full" pending={request.isPending} disabled={!hydrated}>
        {request.isPending ? "Sending…" : "Send reset link"}
      </Button>
    </form>
  );
}

/** /reset-password: a new password; every session ends, then this browser signs in with it. */
export function ResetPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const reset = useMutation(trpc.users.resetPassword.mutationOptions());
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const valid = userEmailTokenSchema.safeParse({ token }).success;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const parsed = userResetPasswordSchema.safeParse({ token, password });
    if (!parsed.success) return setFieldErrors(zodFieldErrors(parsed.error.issues));
    setFieldErrors({});
    let email: string;
    try {
      email = (await reset.mutateAsync(parsed.data)).email;
    } catch (error) {
      const fields = serverFieldErrors(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(errorMessage(error));
      return;
    }
    setSigningIn(true);
    const result = await signIn("credentials", { email, password, redirect: false }).catch(() => null);
    if (result?.ok && !result.error) return goToAfterAuthChange("/dashboard");
    setSigningIn(false);
    setFormError("Your password is changed, but signing in failed. Please sign in.");
  }

  if (!valid) return <BadLink>Open the link from the email again, or ask for a new one.</BadLink>;
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5">
      {formError ? (
        <Alert tone="error">
          {formError}{" "}
          <Link href="/forgot-password" className={linkClass}>
            Ask for a new link
          </Link>
        </Alert>
      ) : null}
      <FormField id="password" label="New password" hint="At least 8 characters. You will be signed out everywhere else." errors={fieldErrors.password}>
        {(control) => (
          <Input {...control} type="password" name="password" autoComplete="new-password" required readOnly={!hydrated} value={password} onChange={(e) => setPassword(e.target.value)} />
        )}
      </FormField>
      <Button type="submit" size="lg" className="w-full" pending={reset.isPending || signingIn} disabled={!hydrated}>
        {signingIn ? "Signing you in…" : reset.isPending ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}

/** /confirm-email: switches the account to the new address the link was sent to. */
export function ConfirmEmailChangeForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const confirm = useMutation(trpc.users.confirmEmailChange.mutationOptions());
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const valid = userEmailTokenSchema.safeParse({ token }).success;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    try {
      setDone((await confirm.mutateAsync({ token })).email);
    } catch (error) {
      setFormError(errorMessage(error));
    }
  }

  if (!valid) return <BadLink>Open the link from the email again, or change your email again in your settings.</BadLink>;
  if (done) {
    return (
      <Alert tone="success" title="Email changed">
        You now sign in with {done}.{" "}
        <Link href="/dashboard/settings" className={linkClass}>
          Back to your settings
        </Link>
      </Alert>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-5">
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <p className="text-stone-700">Confirm that your InkWell account should use this address from now on.</p>
      <Button type="submit" size="lg" className="w-full" pending={confirm.isPending} disabled={!hydrated}>
        {confirm.isPending ? "Confirming…" : "Confirm new email address"}
      </Button>
    </form>
  );
}

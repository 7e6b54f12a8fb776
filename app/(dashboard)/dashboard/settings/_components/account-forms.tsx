"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorCode, errorMessage, serverFieldErrors, zodFieldErrors, type FieldErrors } from "@/components/trpc-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useSignOut } from "@/components/sign-out-button";
import { goToAfterAuthChange } from "@/components/auth-navigation";
import { useHydrated } from "@/components/use-hydrated";
import { userChangeEmailSchema, userChangePasswordSchema } from "@/lib/validations/user";
import { useTRPC } from "@/trpc/react";

/** A wrong current password comes back as BAD_REQUEST without field errors: show it on that field. */
function accountErrors(error: unknown): { fields: FieldErrors; form: string | null } {
  const fields = serverFieldErrors(error);
  if (Object.keys(fields).length > 0) return { fields, form: null };
  const message = errorMessage(error);
  if (errorCode(error) === "BAD_REQUEST" && /current password/i.test(message)) return { fields: { currentPassword: [message] }, form: null };
  if (errorCode(error) === "CONFLICT" || /already your email/i.test(message)) return { fields: { email: [message] }, form: null };
  return { fields: {}, form: message };
}

function CardTitle3({ id, children }: { id: string; children: string }) {
  return (
    <h3 id={id} className="text-base font-semibold text-stone-900">
      {children}
    </h3>
  );
}

export function ChangeEmailForm({ currentEmail }: { currentEmail: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const changeEmail = useMutation(trpc.users.changeEmail.mutationOptions());
  const [email, setEmail] = useState("");
  const [currentPassword, setCurrentPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    setDone(null);
    const parsed = userChangeEmailSchema.safeParse({ email, currentPassword });
    if (!parsed.success) return setFieldErrors(zodFieldErrors(parsed.error.issues));
    setFieldErrors({});
    try {
      const sent = await changeEmail.mutateAsync(parsed.data);
      setEmail("");
      setCurrentPassword("");
      setDone(`Check ${sent.email}: follow the link we sent there to switch. Until then you keep signing in with ${currentEmail}.`);
    } catch (error) {
      const { fields, form } = accountErrors(error);
      setFieldErrors(fields);
      setFormError(form);
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="change-email-title">
      <Card>
        <CardHeader>
          <CardTitle3 id="change-email-title">Email</CardTitle3>
          <CardDescription>
            You sign in with <span className="font-medium text-stone-800">{currentEmail}</span>.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-5">
          {formError ? <Alert tone="error">{formError}</Alert> : null}
          <FormField id="new-email" label="New email" errors={fieldErrors.email}>
            {(control) => (
              <Input {...control} type="email" autoComplete="email" readOnly={!hydrated} value={email} onChange={(e) => setEmail(e.target.value)} />
            )}
          </FormField>
          <FormField id="email-current-password" label="Current password" errors={fieldErrors.currentPassword}>
            {(control) => (
              <Input
                {...control}
                type="password"
                autoComplete="current-password"
                readOnly={!hydrated}
                value={currentPassword}
                onChange={(e) => setCurrentPassword(e.target.value)}
              />
            )}
          </FormField>
        </CardContent>
        <CardFooter className="flex-wrap">
          <Button type="submit" variant="secondary" pending={changeEmail.isPending} disabled={!hydrated}>
            Change email
          </Button>
          <p role="status" className="text-sm font-medium text-emerald-800">
            {done}
          </p>
        </CardFooter>
      </Card>
    </form>
  );
}

export function ChangePasswordForm({ email }: { email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const hydrated = useHydrated();
  const changePassword = useMutation(trpc.users.changePassword.mutationOptions());
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    setDone(null);
    const parsed = userChangePasswordSchema.safeParse({ currentPassword, newPassword });
    if (!parsed.success) return setFieldErrors(zodFieldErrors(parsed.error.issues));
    setFieldErrors({});
    try {
      await changePassword.mutateAsync(parsed.data);
    } catch (error) {
      const { fields, form } = accountErrors(error);
      setFieldErrors(fields);
      setFormError(form);
      return;
    }
    // Changing the password ended every session, this one too: sign this browser in again.
    setSigningIn(true);
    const result = await signIn("credentials", { email, password: parsed.data.newPassword, redirect: false }).catch(() => undefined);
    setSigningIn(false);
    if (!result || result.error || !result.ok) {
      goToAfterAuthChange("/sign-in?callbackUrl=%2Fdashboard%2Fsettings");
      return;
    }
    setCurrentPassword("");
    setNewPassword("");
    setDone("Password changed. You were signed out on your other devices.");
    router.refresh();
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="change-password-title">
      <Card>
        <CardHeader>
          <CardTitle3 id="change-password-title">Password</CardTitle3>
          <CardDescription>Changing it signs you out everywhere else.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-5">
          {formError ? <Alert tone="error">{formError}</Alert> : null}
          <FormField id="password-current-password" label="Current password" errors={fieldErrors.currentPassword}>
            {(control) => (
              <Input
                {...control}
                type="password"
                autoComplete="current-password"
                readOnly={!hydrated}
                value={currentPassword}
                onChange={(e) => setCurrentPassword(e.target.value)}
              />
            )}
          </FormField>
          <FormField id="new-password" label="New password" hint="At least 8 characters." errors={fieldErrors.newPassword}>
            {(control) => (
              <Input {...control} type="password" autoComplete="new-password" readOnly={!hydrated} value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
            )}
          </FormField>
        </CardContent>
        <CardFooter className="flex-wrap">
          <Button type="submit" variant="secondary" pending={changePassword.isPending || signingIn} disabled={!hydrated}>
            Change password
          </Button>
          <p role="status" className="text-sm font-medium text-emerald-800">
            {done}
          </p>
        </CardFooter>
      </Card>
    </form>
  );
}

export function SignOutEverywhere() {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const endAll = useMutation(trpc.users.signOutEverywhere.mutationOptions());
  const { signOutTo, pending: signingOut } = useSignOut();
  const pending = endAll.isPending || signingOut;

  async function onClick() {
    if (!window.confirm("Sign out on every device, this one included?")) return;
    try {
      await endAll.mutateAsync();
    } catch {
      return; // shown below
    }
    await signOutTo("/sign-in").catch(() => undefined);
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle3 id="sign-out-everywhere-title">Sessions</CardTitle3>
        <CardDescription>Lost a device, or signed in somewhere public? End every session at once.</CardDescription>
      </CardHeader>
      <CardFooter className="mt-6 flex-wrap">
        <Button variant="danger" pending={pending} disabled={!hydrated} onClick={() => void onClick()}>
          Sign out everywhere
        </Button>
        {endAll.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {errorMessage(endAll.error)}
          </p>
        ) : null}
      </CardFooter>
    </Card>
  );
}

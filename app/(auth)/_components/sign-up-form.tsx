"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { errorCode, errorMessage, serverFieldErrors, zodFieldErrors, type FieldErrors } from "@/components/trpc-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { goToAfterAuthChange } from "@/components/auth-navigation";
import { useHydrated } from "@/components/use-hydrated";
import { userRegisterSchema, type UserRegisterInput } from "@/lib/validations/user";
import { useTRPC } from "@/trpc/react";

type Field = keyof UserRegisterInput;

/** Which field a CONFLICT is about, from the server's message ("That username is taken." / "…email…"). */
function conflictField(message: string): Field {
  return /username/i.test(message) ? "username" : "email";
}

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const trpc = useTRPC();
  const register = useMutation(trpc.users.register.mutationOptions());
  const [values, setValues] = useState<UserRegisterInput>({ email: "", username: "", displayName: "", password: "" });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const pending = register.isPending || signingIn;
  const hydrated = useHydrated();

  function set(field: Field, value: string) {
    setValues((prev) => ({ ...prev, [field]: value }));
    setFieldErrors((prev) => ({ ...prev, [field]: undefined }));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const parsed = userRegisterSchema.safeParse(values);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    try {
      await register.mutateAsync(parsed.data);
    } catch (error) {
      const fields = serverFieldErrors(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else if (errorCode(error) === "CONFLICT") {
        const message = errorMessage(error);
        setFieldErrors({ [conflictField(message)]: [message] });
      } else setFormError(errorMessage(error, "We could not create your account. Please try again."));
      return;
    }
    setSigningIn(true);
    try {
      const result = await signIn("credentials", { email: parsed.data.email, password: values.password, redirect: false });
      if (!result || result.error || !result.ok) throw new Error("sign-in failed");
      goToAfterAuthChange(callbackUrl);
    } catch {
      setSigningIn(false);
      setFormError("Your account is ready, but signing in failed. Please sign in.");
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5">
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <FormField id="displayName" label="Display name" hint="Shown with your posts. You can change it later." errors={fieldErrors.displayName}>
        {(control) => (
          <Input {...control} name="displayName" autoComplete="name" required readOnly={!hydrated} value={values.displayName} onChange={(e) => set("displayName", e.target.value)} />
        )}
      </FormField>
      <FormField id="username" label="Username" hint="Your address: /@username. Letters, digits and underscores." errors={fieldErrors.username}>
        {(control) => (
          <Input
            {...control}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            readOnly={!hydrated}
            value={values.username}
            onChange={(e) => set("username", e.target.value)}
          />
        )}
      </FormField>
      <FormField id="email" label="Email" errors={fieldErrors.email}>
        {(control) => (
          <Input {...control} type="email" name="email" autoComplete="email" inputMode="email" required readOnly={!hydrated} value={values.email} onChange={(e) => set("email", e.target.value)} />
        )}
      </FormField>
      <FormField id="password" label="Password" hint="At least 8 characters." errors={fieldErrors.password}>
        {(control) => (
          <Input {...control} type="password" name="password" autoComplete="new-password" required readOnly={!hydrated} value={values.password} onChange={(e) => set("password", e.target.value)} />
        )}
      </FormField>
      <Button type="submit" size="lg" className="w-full" pending={pending} disabled={!hydrated}>
        {signingIn ? "Signing you in…" : register.isPending ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}

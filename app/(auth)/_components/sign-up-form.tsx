"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorCode, errorMessage, serverFieldErrors, zodFieldErrors, type FieldErrors } from "@/components/trpc-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useHydrated } from "@/components/use-hydrated";
import { userRegisterSchema, type UserRegisterInput } from "@/lib/validations/user";
import { useTRPC } from "@/trpc/react";

type Field = keyof UserRegisterInput;

/** Which field a CONFLICT is about, from the server's message (only "That username is taken." today). */
function conflictField(message: string): Field {
  return /username/i.test(message) ? "username" : "email";
}

/** Shown after sign-up, whatever the address's state: the mailbox, not the page, says what happened. */
function CheckYourEmail({ email, onBack }: { email: string; onBack: () => void }) {
  return (
    <div className="space-y-5">
      <div role="status" aria-labelledby="check-email-title" className="space-y-2">
        <h2 id="check-email-title" className="font-serif text-xl font-semibold text-stone-900">
          Check your email
        </h2>
        <p className="text-stone-700">
          We sent a link to <span className="font-medium text-stone-900">{email}</span>. Open it and enter the password you just
          chose to confirm your address and start writing. It works once, for 24 hours.
        </p>
        <p className="text-sm text-stone-600">
          Nothing arrived after a few minutes? Check your spam folder, or sign up again: the new link replaces this one.
        </p>
      </div>
      <Button type="button" variant="secondary" className="w-full" onClick={onBack}>
        Use another address
      </Button>
    </div>
  );
}

export function SignUpForm() {
  const trpc = useTRPC();
  const register = useMutation(trpc.users.register.mutationOptions());
  const [values, setValues] = useState<UserRegisterInput>({ email: "", username: "", displayName: "", password: "" });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const pending = register.isPending;
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
      const answer = await register.mutateAsync(parsed.data);
      setSentTo(answer.email);
      setValues((prev) => ({ ...prev, password: "" }));
    } catch (error) {
      const fields = serverFieldErrors(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else if (errorCode(error) === "CONFLICT") {
        const message = errorMessage(error);
        setFieldErrors({ [conflictField(message)]: [message] });
      } else setFormError(errorMessage(error, "We could not create your account. Please try again."));
      return;
    }
  }

  if (sentTo) return <CheckYourEmail email={sentTo} onBack={() => setSentTo(null)} />;

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
        {register.isPending ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { goToAfterAuthChange } from "@/components/auth-navigation";
import { errorField, errorMessage, serverFieldErrors, zodFieldErrors, type FieldErrors } from "@/components/trpc-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useHydrated } from "@/components/use-hydrated";
import { accountDeleteSchema } from "@/lib/validations/user";
import { useTRPC } from "@/trpc/react";

/** Deleting the account: the password and the username typed out; then the browser leaves. */
export function DeleteAccountForm({ username }: { username: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const remove = useMutation(trpc.portability.deleteAccount.mutationOptions());
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const parsed = accountDeleteSchema.safeParse({ password, confirmation });
    if (!parsed.success) return setFieldErrors(zodFieldErrors(parsed.error.issues));
    if (parsed.data.confirmation !== username) return setFieldErrors({ confirmation: [`Type your username, ${username}, to confirm.`] });
    setFieldErrors({});
    try {
      await remove.mutateAsync(parsed.data);
      goToAfterAuthChange("/");
    } catch (error) {
      const fields = serverFieldErrors(error);
      const field = errorField(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else if (field === "password" || field === "confirmation") setFieldErrors({ [field]: [errorMessage(error)] });
      else setFormError(errorMessage(error));
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="delete-account-title">
      <Card>
        <CardHeader>
          <h3 id="delete-account-title" className="text-base font-semibold text-red-800">
            Delete your account
          </h3>
          <CardDescription>
            Your posts, their history, your sessions and everything else of yours are deleted for good; your public pages answer that they are gone.
            Your username stays reserved for 30 days. Download your posts first if you want to keep them.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-5">
          {formError ? <Alert tone="error">{formError}</Alert> : null}
          <FormField id="delete-password" label="Password" errors={fieldErrors.password}>
            {(control) => <Input {...control} type="password" autoComplete="current-password" readOnly={!hydrated} value={password} onChange={(e) => setPassword(e.target.value)} />}
          </FormField>
          <FormField id="delete-confirmation" label={`Type your username, ${username}, to confirm`} errors={fieldErrors.confirmation}>
            {(control) => <Input {...control} autoComplete="off" spellCheck={false} readOnly={!hydrated} value={confirmation} onChange={(e) => setConfirmation(e.target.value)} />}
          </FormField>
        </CardContent>
        <CardFooter>
          <Button type="submit" variant="danger" pending={remove.isPending} disabled={!hydrated}>
            Delete my account
          </Button>
        </CardFooter>
      </Card>
    </form>
  );
}

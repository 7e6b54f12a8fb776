import { dictionary } from "@zxcvbn-ts/language-common";

// ~49,000 of the most used passwords, from zxcvbn-ts's maintained list. Server-only: too big to ship to
// browsers. Compared case-insensitively, as attackers' lists are tried in every case.
const commonPasswords = new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));

export function isCommonPassword(password: string): boolean {
  return commonPasswords.has(password.toLowerCase());
}

export const COMMON_PASSWORD_MESSAGE = "This password is one of the most common ones. Choose one that is harder to guess.";

import "server-only";
import { cache } from "react";
import { getSession } from "../auth/session";

/** The signed-in writer (or null), read once per request however many components ask. */
export const getViewer = cache(getSession);

import { z } from "zod";

export const importByIdSchema = z.object({ id: z.uuid("Unknown import.") });

/** The refusal of an archive over the upload limit: said by the form before uploading, and by the server. */
export const uploadTooLargeMessage = (maxBytes: number) => `The file is larger than ${Math.round(maxBytes / 1024 ** 2)} MB, the largest import InkWell accepts.`;

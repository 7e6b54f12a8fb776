import { EventEmitter, on } from "node:events";
import { env } from "../env.js";
import { onFeedChannel } from "../jobs/status-feed";
import { sendProgressChannel, sendProgressEventSchema, type SendProgressEvent } from "../jobs/newsletter-contract";

// Send progress for the writer's open pages, through the web process's one status-feed subscriber.

const globalForProgress = globalThis as unknown as { inkwellSendProgress?: EventEmitter };

function emitter(): EventEmitter {
  if (!globalForProgress.inkwellSendProgress) {
    const events = new EventEmitter();
    events.setMaxListeners(0); // one listener per open page
    onFeedChannel(
      sendProgressChannel(env.QUEUE_PREFIX),
      (message) => {
        try {
          const parsed = sendProgressEventSchema.safeParse(JSON.parse(message));
          if (parsed.success) events.emit(`author:${parsed.data.authorId}`, parsed.data);
        } catch {
          // not ours
        }
      },
      () => {},
    );
    globalForProgress.inkwellSendProgress = events;
  }
  return globalForProgress.inkwellSendProgress;
}

/** Progress events of one writer's sends, until `signal` aborts. */
export async function* sendProgressEvents(authorId: string, signal: AbortSignal): AsyncGenerator<SendProgressEvent> {
  for await (const [event] of on(emitter(), `author:${authorId}`, { signal })) yield event as SendProgressEvent;
}

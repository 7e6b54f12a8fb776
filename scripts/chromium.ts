// How every Chromium this project starts is launched (Playwright's tests, the images bench): Debian's
// package, since browsers cannot be downloaded here (`apt-get install -y chromium`, see .ci/run).
import type { LaunchOptions } from "@playwright/test";

export const chromiumLaunchOptions = {
  executablePath: "/usr/bin/chromium",
  // Root in CI needs --no-sandbox; the rest keep Chromium off the (closed) network.
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
  ],
} satisfies LaunchOptions;

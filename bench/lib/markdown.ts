// Deterministic Markdown posts of a given size: headings, paragraphs with emphasis and links, lists,
// block quotes, fenced code, GFM tables and task lists — what the render pipeline sees from writers.

/** A small seeded PRNG (mulberry32), so every run benchmarks the same inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the quiet river carried paper boats past old mills while writers argued about commas and coffee " +
  "every draft begins somewhere small then grows into something worth reading aloud to friends " +
  "markdown keeps the focus on words instead of buttons so the page stays calm and readable " +
  "benchmark latency throughput queue worker render sanitize publish reader editor version"
).split(" ");

function words(rand: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)] ?? "word");
  return out.join(" ");
}

function sentence(rand: () => number): string {
  const n = 8 + Math.floor(rand() * 14);
  let s = words(rand, n);
  const r = rand();
  if (r < 0.15) s = s.replace(/(\w+) (\w+)/, "**$1 $2**");
  else if (r < 0.3) s = s.replace(/(\w+)$/, "_$1_");
  else if (r < 0.4) s = s.replace(/(\w+) /, "[$1](https://example.com/$1) ");
  else if (r < 0.47) s = s.replace(/(\w+) /, "`$1()` ");
  else if (r < 0.52) s += " https://example.org/autolinked";
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

function block(rand: () => number, i: number): string {
  const r = rand();
  if (i % 12 === 0) return `## ${words(rand, 4)} ${i}`;
  if (r < 0.5) return Array.from({ length: 3 + Math.floor(rand() * 4) }, () => sentence(rand)).join(" ");
  if (r < 0.6) return Array.from({ length: 4 }, () => `- ${sentence(rand)}`).join("\n");
  if (r < 0.67) return Array.from({ length: 3 }, (_, k) => `${k + 1}. ${sentence(rand)}`).join("\n");
  if (r < 0.73) return `> ${sentence(rand)} ${sentence(rand)}`;
  if (r < 0.8) {
    const lines = Array.from({ length: 5 }, (_, k) => `  const v${k} = compute("${words(rand, 2)}", ${k});`);
    return ["```ts", "function example() {", ...lines, "}", "```"].join("\n");
  }
  if (r < 0.87) {
    const rows = Array.from({ length: 4 }, (_, k) => `| ${words(rand, 2)} | ${k * 7} | ${words(rand, 3)} |`);
    return ["| name | value | note |", "| --- | ---: | :--- |", ...rows].join("\n");
  }
  if (r < 0.92) return `- [x] ${words(rand, 5)}\n- [ ] ${words(rand, 6)}`;
  if (r < 0.96) return `![${words(rand, 2)}](https://example.com/img/${i}.png)`;
  return `Footnote reference here[^n${i}].\n\n[^n${i}]: ${sentence(rand)}`;
}

/** A Markdown document of about `bytes` bytes (never more than bytes + one block). */
export function makeMarkdown(bytes: number, seed: number): string {
  const rand = prng(seed);
  const parts: string[] = [`# Post ${seed}`];
  let size = parts[0]!.length;
  for (let i = 1; size < bytes; i++) {
    const b = block(rand, i);
    parts.push(b);
    size += b.length + 2;
  }
  return parts.join("\n\n").slice(0, Math.max(bytes, 1));
}

/** `count` distinct documents of about `bytes` bytes each. */
export function makeCorpus(count: number, bytes: number, seed = 1): string[] {
  return Array.from({ length: count }, (_, i) => makeMarkdown(bytes, seed * 100_003 + i));
}

const CODE_LANGUAGES = ["ts", "js", "python", "bash", "json", "css"] as const;

function codeBlock(rand: () => number, i: number): string {
  const language = CODE_LANGUAGES[i % CODE_LANGUAGES.length]!;
  const lines = Array.from({ length: 8 + Math.floor(rand() * 10) }, (_, k) => {
    const name = `${words(rand, 1)}${k}`;
    switch (language) {
      case "python":
        return k === 0 ? `def ${name}(value, *args):` : `    ${name} = [x * ${k} for x in range(${k + 2}) if x % 2 == 0]  # ${words(rand, 3)}`;
      case "bash":
        return `${name}=$(grep -c "${words(rand, 1)}" /var/log/app.log) && echo "$${name}" | tee -a out.txt`;
      case "json":
        return `  "${name}": { "enabled": ${k % 2 === 0}, "count": ${k * 13}, "label": "${words(rand, 2)}" },`;
      case "css":
        return `.${name} > a:hover { margin: ${k}px ${k * 2}rem; color: #${(k * 4099).toString(16).padStart(6, "0")}; }`;
      default:
        return `  const ${name} = await fetch(\`/api/${words(rand, 1)}/\${id}\`).then((r) => r.json() as Promise<Item[]>); // ${words(rand, 3)}`;
    }
  });
  return [`\`\`\`${language}`, ...lines, "```"].join("\n");
}

/** A post that is mostly fenced code in several languages, with a sentence or two between blocks. */
export function makeCodeHeavyMarkdown(bytes: number, seed: number): string {
  const rand = prng(seed);
  const parts: string[] = [`# Code post ${seed}`];
  let size = parts[0]!.length;
  for (let i = 1; size < bytes; i++) {
    const b = i % 3 === 0 ? sentence(rand) : codeBlock(rand, i);
    parts.push(b);
    size += b.length + 2;
  }
  return parts.join("\n\n").slice(0, Math.max(bytes, 1));
}

/** `count` distinct code-heavy documents of about `bytes` bytes each. */
export function makeCodeHeavyCorpus(count: number, bytes: number, seed = 1): string[] {
  return Array.from({ length: count }, (_, i) => makeCodeHeavyMarkdown(bytes, seed * 100_003 + i));
}

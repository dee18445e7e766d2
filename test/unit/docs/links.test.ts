// Every link of the project's Markdown resolves, with its anchor, in the two places a reader meets
// it: the repository (every Markdown file outside node_modules, dist and .git) and the packed npm
// tarball (every Markdown file `npm pack` ships, resolved against the tarball's own files only).
// A link to this repository on GitHub (`https://github.com/wacht/pulumi-wacht/blob/main/<path>`)
// must name a file or folder of the repository; other web links are not followed (offline).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const REPO_URL =
  /^https:\/\/github\.com\/wacht\/pulumi-wacht\/(?:blob|tree)\/main\/([^#?]*)(#.*)?$/;
const SKIPPED_DIRS = new Set(["node_modules", "dist", ".git", ".demo", "coverage"]);

/** Markdown text without fenced code blocks and inline code spans (whose brackets are not links). */
function prose(text: string): string {
  return text
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, " "))
    .replace(/`[^`\n]*`/g, (span) => " ".repeat(span.length));
}

/** The link targets of a Markdown text, with their line numbers. */
export function linksOf(text: string): { target: string; line: number }[] {
  const body = prose(text);
  const out: { target: string; line: number }[] = [];
  for (const m of body.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const line = body.slice(0, m.index).split("\n").length;
    out.push({ target: m[1]!, line });
  }
  for (const m of body.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) {
    out.push({ target: m[1]!, line: body.slice(0, m.index).split("\n").length });
  }
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slugOf(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link's text
    .replace(/`/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a Markdown text defines: its headings (repeats get -1, -2, …) and HTML ids. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const lines = text.split("\n");
  let fence: string | undefined;
  for (const line of lines) {
    const f = /^(```|~~~)/.exec(line);
    if (f) {
      fence = fence === undefined ? f[1] : line.startsWith(fence) ? undefined : fence;
      continue;
    }
    if (fence !== undefined) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slugOf(h[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(m[1]!);
  }
  return anchors;
}

function markdownFiles(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name))
        out.push(...markdownFiles(path.join(dir, entry.name), root));
    } else if (entry.name.endsWith(".md")) {
      out.push(path.relative(root, path.join(dir, entry.name)));
    }
  }
  return out.sort();
}

/**
 * The broken links of `files` (relative to `root`), each as "file:line: target (why)". Relative
 * links resolve inside `root`; links to this repository on GitHub resolve in the repository.
 */
export function brokenLinks(root: string, files: string[]): string[] {
  const broken: string[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (file: string) => {
    let a = anchorCache.get(file);
    if (!a) anchorCache.set(file, (a = anchorsOf(fs.readFileSync(file, "utf8"))));
    return a;
  };
  for (const rel of files) {
    const file = path.join(root, rel);
    for (const { target, line } of linksOf(fs.readFileSync(file, "utf8"))) {
      const where = `${rel}:${line}: ${target}`;
      const onGitHub = REPO_URL.exec(target);
      let base: string;
      let fragment: string | undefined;
      let resolved: string;
      if (onGitHub) {
        base = REPO_ROOT;
        resolved = path.join(REPO_ROOT, decodeURIComponent(onGitHub[1]!));
        fragment = onGitHub[2]?.slice(1);
      } else if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
        continue; // another site, or mailto: not followed offline
      } else {
        const [p, ...frag] = target.split("#");
        fragment = frag.length > 0 ? frag.join("#") : undefined;
        base = root;
        if (p!.startsWith("/")) {
          broken.push(`${where} (an absolute path)`);
          continue;
        }
        resolved = p === "" ? file : path.resolve(path.dirname(file), decodeURIComponent(p!));
      }
      if (!resolved.startsWith(base + path.sep) && resolved !== base) {
        broken.push(`${where} (outside ${base === root ? "this tree" : "the repository"})`);
        continue;
      }
      if (!fs.existsSync(resolved)) {
        broken.push(`${where} (no such file)`);
        continue;
      }
      if (fragment !== undefined && resolved.endsWith(".md")) {
        if (!anchorsIn(resolved).has(decodeURIComponent(fragment))) {
          broken.push(`${where} (no heading with anchor #${fragment})`);
        }
      }
    }
  }
  return broken;
}

describe("links in the Markdown", () => {
  test("the checker finds headings, anchors and links as GitHub does", () => {
    expect(slugOf("`User` reference")).toBe("user-reference");
    expect(slugOf("Adopting existing users (instead of `pulumi import`)")).toBe(
      "adopting-existing-users-instead-of-pulumi-import",
    );
    expect(slugOf("A CLI without the Node.js language host")).toBe(
      "a-cli-without-the-nodejs-language-host",
    );
    expect([...anchorsOf("# A\n## B\n```\n# not a heading\n```\n## B\n")]).toEqual([
      "a",
      "b",
      "b-1",
    ]);
    expect(linksOf("[a](x.md#y) `[b](no.md)`\n```\n[c](no.md)\n```\n[d]: ref.md\n")).toEqual([
      { target: "x.md#y", line: 1 },
      { target: "ref.md", line: 5 },
    ]);
  });

  test("the checker reports a missing file, a missing anchor and a link that leaves the tree", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-links-"));
    try {
      fs.writeFileSync(
        path.join(dir, "a.md"),
        "# Title\n[ok](#title) [gone](b.md) [bad](#nope) [up](../x.md)\n",
      );
      expect(brokenLinks(dir, ["a.md"])).toEqual([
        "a.md:2: b.md (no such file)",
        "a.md:2: #nope (no heading with anchor #nope)",
        "a.md:2: ../x.md (outside this tree)",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("every link resolves in the repository", () => {
    const files = markdownFiles(REPO_ROOT);
    expect(files).toEqual(expect.arrayContaining(["README.md", "docs/user-reference.md"]));
    expect(brokenLinks(REPO_ROOT, files)).toEqual([]);
  });

  test("every link resolves in the packed npm tarball", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-links-pack-"));
    try {
      const out = execFileSync(
        "npm",
        ["pack", "--ignore-scripts", "--json", "--pack-destination", dir],
        { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      );
      const tarball = path.join(dir, (JSON.parse(out) as { filename: string }[])[0]!.filename);
      execFileSync("tar", ["-xzf", tarball, "-C", dir]);
      const unpacked = path.join(dir, "package");
      const files = markdownFiles(unpacked);
      expect(files).toEqual(expect.arrayContaining(["README.md", "docs/user-reference.md"]));
      expect(brokenLinks(unpacked, files)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

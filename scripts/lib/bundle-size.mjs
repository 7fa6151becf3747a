// Size of a small program once bundled the way an application would ship it: esbuild bundle +
// minify, then gzip. Used by the size-budget check and by the benchmarks.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/**
 * @param {{ code: string, resolveDir: string, platform: "browser" | "node" }} program
 * @returns {Promise<{ minified: number, gzip: number, text: string }>}
 */
export async function bundleSize({ code, resolveDir, platform }) {
  const result = await build({
    stdin: { contents: code, resolveDir, loader: "js", sourcefile: "program.js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    write: false,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  const bytes = result.outputFiles[0].contents;
  return {
    minified: bytes.byteLength,
    gzip: gzipSync(bytes, { level: 9 }).byteLength,
    text: result.outputFiles[0].text,
  };
}

/** The minimal `files.retrieve` program of each of our provider packages, importing `from`. */
export const retrievePrograms = {
  "@org/coze-files": (from) =>
    `import { createCozeClient } from ${JSON.stringify(from)};\n` +
    `createCozeClient({ token: "pat_x" }).files.retrieve({ file_id: "1" }).then((f) => console.log(f.file_name));`,
  "@org/cognite-files": (from) =>
    `import { createCogniteClient } from ${JSON.stringify(from)};\n` +
    `createCogniteClient({ project: "p", token: "t" }).files.retrieve({ id: 1 }).then((f) => console.log(f.name));`,
  "@org/wooshpay-files": (from) =>
    `import { createWooshpayClient } from ${JSON.stringify(from)};\n` +
    `createWooshpayClient({ apiKey: "sk_test_x" }).files.retrieve({ id: "file_1" }).then((f) => console.log(f.filename));`,
};
